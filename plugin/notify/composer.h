// Turns reminders into messages: one per recipient and channel per sweep,
// listing all of that recipient's due items, with a title, a markdown body
// for the robots and a JSON payload for the OA message centre; each item in
// the payload names its report, the link that opens it in the console and
// what the recipient may do (the person channels build their text from it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/org_chart.h"
#include "core/reminders.h"
#include "core/workflow.h"
#include "storage/notification_store.h"

namespace rl::notify {

// The report a line is about: what the console needs to open it.
struct ReportRef {
    std::string task;
    std::string item;
    std::string department;
    std::string period;  // "2019-10"; empty for a line about a task (a supervision notice)
};

// A line of a consolidated message and the key that makes it unique.
struct Entry {
    std::string rule;  // before_due … or urge, supervision_notice
    std::int64_t obligation_id = 0;
    std::string line;
    std::string dedupe_key;  // including the channel
    ReportRef report;
    std::string
        action;  // what the recipient may do about it: "请填报并提交", "请审核（同意或退回）"
};

// {console_base_url}/#/report?task=…&item=…&department=…&period=… with every value
// percent-encoded; empty when there is no console_base_url or no task.
std::string report_link(const std::string& console_base_url, const ReportRef& report);

// What the holders of a workflow step may do there, as the message says it: derived from the
// step's actions (submit: 请填报并提交; approve/return: 请审核（同意或退回）; file: 请审核（归档或
// 退回）), so it never promises what the workflow does not allow.
std::string action_at_step(const core::Workflow& workflow, const std::string& step_id);
// For the rules that ask for something other than a step's work: escalation (请督促报送),
// accountability (请研究是否约谈问责), supervision_notice (请答复督办通知).
std::string action_for_rule(const std::string& rule);

// A fresh message id: "msg_" and 32 hex digits.
std::string new_message_id();

storage::OutboxMessage compose(const core::Recipient& recipient, const std::string& channel,
                               const std::string& kind, bool urgent,
                               const std::vector<Entry>& entries, const core::OrgChart& org_chart,
                               std::int64_t now_ms, std::int64_t deliver_after_ms,
                               const std::string& console_base_url);

// The Chinese heading of a rule or message kind ("逾期催报").
const char* heading(const std::string& rule);

}  // namespace rl::notify
