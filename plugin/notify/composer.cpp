#include "notify/composer.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <random>

#include "storage/database.h"
#include "transport/markdown.h"
#include "transport/signing.h"

namespace rl::notify {

namespace {

std::string recipient_name(const core::Recipient& r, const core::OrgChart& chart) {
    if (r.kind == core::Recipient::Kind::department) {
        return r.id;
    }
    const core::Person* p = chart.person(r.id);
    return p != nullptr ? p->name : r.id;
}

}  // namespace

std::string new_message_id() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    static const char* const kHex = "0123456789abcdef";
    std::string id = "msg_";
    for (int part = 0; part < 2; ++part) {
        const std::uint64_t v = rng();
        for (int i = 0; i < 16; ++i) {
            id += kHex[(v >> (i * 4)) & 15];
        }
    }
    return id;
}

std::string report_link(const std::string& console_base_url, const ReportRef& report) {
    if (console_base_url.empty() || report.task.empty()) {
        return {};
    }
    using transport::url_encode_component;
    std::string link = console_base_url + "/#/report?task=" + url_encode_component(report.task) +
                       "&item=" + url_encode_component(report.item) +
                       "&department=" + url_encode_component(report.department);
    if (!report.period.empty()) {
        link += "&period=" + url_encode_component(report.period);
    }
    return link;
}

std::string action_at_step(const core::Workflow& workflow, const std::string& step_id) {
    const core::WorkflowStep* step = workflow.step(step_id);
    if (step == nullptr) {
        return "请查看";
    }
    if (step->allows("submit")) {
        return "请填报并提交";
    }
    std::vector<std::string> verbs;
    if (step->allows("approve")) {
        verbs.emplace_back("同意");
    }
    if (step->allows("file")) {
        verbs.emplace_back("归档");
    }
    if (step->allows("return")) {
        verbs.emplace_back("退回");
    }
    if (verbs.empty()) {
        return "请查看";
    }
    std::string text = "请审核（";
    for (std::size_t i = 0; i < verbs.size(); ++i) {
        text += (i == 0 ? "" : "或") + verbs[i];
    }
    return text + "）";
}

std::string action_for_rule(const std::string& rule) {
    if (rule == "escalation") {
        return "请督促报送";
    }
    if (rule == "accountability") {
        return "请研究是否约谈问责";
    }
    if (rule == "supervision_notice") {
        return "请答复督办通知";
    }
    if (rule == "supervision_answer") {
        return "请查阅督办回复";
    }
    if (rule == "instruction" || rule == "instruction_before_due" ||
        rule == "instruction_due_today" || rule == "instruction_overdue") {
        return "请按批示要求办理并反馈";
    }
    if (rule == "instruction_escalation") {
        return "请督促反馈";
    }
    if (rule == "task_before_due" || rule == "task_due_today" || rule == "task_overdue") {
        return "请按时限完成任务，申请办结或延期";
    }
    if (rule == "task_escalation") {
        return "请督促落实";
    }
    if (rule == "closure_waiting") {
        return "请及时审批办结申请";
    }
    if (rule == "extension_waiting") {
        return "请及时审批延期申请";
    }
    if (rule == "closure_escalation" || rule == "extension_escalation") {
        return "请督促审批";
    }
    return "请查看";
}

const char* heading(const std::string& rule) {
    static const std::map<std::string, const char*> kHeadings = {
        {"before_due", "到期前提醒"},
        {"due_today", "今日到期"},
        {"overdue", "逾期催报"},
        {"approval_waiting", "待审批提醒"},
        {"escalation", "逾期升级提醒"},
        {"accountability", "约谈问责建议"},
        {"urge", "催办"},
        {"supervision_notice", "督办通知"},
        {"supervision_answer", "督办回复"},
        {"instruction", "领导批示"},
        {"instruction_before_due", "批示反馈到期提醒"},
        {"instruction_due_today", "批示今日反馈到期"},
        {"instruction_overdue", "批示逾期未反馈"},
        {"instruction_escalation", "批示逾期升级提醒"},
        {"task_before_due", "任务完成时限临近"},
        {"task_due_today", "任务今日到期"},
        {"task_overdue", "任务逾期未完成"},
        {"task_escalation", "任务逾期升级提醒"},
        {"closure_waiting", "办结申请待审批"},
        {"closure_escalation", "办结申请久未审批"},
        {"extension_waiting", "延期申请待审批"},
        {"extension_escalation", "延期申请久未审批"},
    };
    const auto it = kHeadings.find(rule);
    return it == kHeadings.end() ? "提醒" : it->second;
}

storage::OutboxMessage compose(const core::Recipient& recipient, const std::string& channel,
                               const std::string& kind, bool urgent,
                               const std::vector<Entry>& entries, const core::OrgChart& org_chart,
                               std::int64_t now_ms, std::int64_t deliver_after_ms,
                               const std::string& console_base_url) {
    storage::OutboxMessage m;
    m.message_id = new_message_id();
    m.channel = channel;
    m.recipient = recipient.key();
    m.kind = kind;
    m.urgent = urgent;
    m.deliver_after_ms = deliver_after_ms;
    const std::string name = recipient_name(recipient, org_chart);
    // The title is shown in notification lists: one line, nothing invisible.
    m.title = transport::plain_line(std::string("【司改台账】") + name + "：" +
                                    std::to_string(entries.size()) + "项" +
                                    (kind == "reminder" ? "报送提醒" : heading(kind)));

    // Group the lines under their rule's heading, rules in first-seen order.
    std::vector<std::string> order;
    std::map<std::string, std::vector<const Entry*>> by_rule;
    for (const auto& e : entries) {
        if (by_rule.count(e.rule) == 0) {
            order.push_back(e.rule);
        }
        by_rule[e.rule].push_back(&e);
        m.items.push_back({e.dedupe_key, e.rule, e.obligation_id});
    }
    // The markup is ours; every text in it is literal (see transport/markdown.h).
    m.body = "### " + transport::markdown_literal(m.title) + "\n";
    for (const auto& rule : order) {
        m.body += std::string("\n**") + heading(rule) + "**\n";
        for (const auto* e : by_rule[rule]) {
            m.body += "- " + transport::markdown_literal(e->line) + "\n";
        }
    }

    // The webhook's JSON carries every text exactly as it is (length-aware:
    // nothing is cut at an embedded NUL; the JSON writer escapes controls).
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    const auto text = [&w](const std::string& value) {
        w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    };
    w.StartObject();
    w.Key("id");
    text(m.message_id);
    w.Key("type");
    w.String("reform_ledger.notification");
    w.Key("kind");
    text(kind);
    w.Key("urgent");
    w.Bool(urgent);
    w.Key("recipient");
    w.StartObject();
    w.Key("kind");
    w.String(recipient.kind == core::Recipient::Kind::department ? "department" : "person");
    w.Key("id");
    text(recipient.id);
    w.Key("name");
    text(name);
    w.EndObject();
    w.Key("title");
    text(m.title);
    w.Key("markdown");
    text(m.body);
    w.Key("items");
    w.StartArray();
    for (const auto& e : entries) {
        w.StartObject();
        w.Key("rule");
        w.String(e.rule.c_str());
        w.Key("obligation_id");
        w.Int64(e.obligation_id);
        w.Key("text");
        text(e.line);
        if (!e.report.task.empty()) {
            w.Key("report");
            w.StartObject();
            w.Key("task");
            text(e.report.task);
            w.Key("item");
            text(e.report.item);
            w.Key("department");
            text(e.report.department);
            w.Key("period");
            text(e.report.period);
            w.EndObject();
        }
        const std::string link = report_link(console_base_url, e.report);
        if (!link.empty()) {
            w.Key("link");
            text(link);
        }
        if (!e.action.empty()) {
            w.Key("action");
            text(e.action);
        }
        w.EndObject();
    }
    w.EndArray();
    w.Key("created_at");
    text(storage::iso_utc(now_ms));
    w.EndObject();
    m.payload = buffer.GetString();
    return m;
}

}  // namespace rl::notify
