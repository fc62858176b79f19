// The progress-report form's content and its rules. Validation failures are
// field errors for the user to fix, not failed calls.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/reporting.h"
#include "core/workflow.h"

namespace rl::core {

struct Evidence {
    std::string name;
    std::string url;  // an http(s) link to where the host stores it; may be empty
};

struct ReportContent {
    std::string progress_summary;  // 工作进展情况
    std::string measures;          // 主要措施
    std::string problems;          // 存在问题
    std::string next_steps;        // 下步工作计划
    std::optional<int> percent_complete;
    std::vector<Evidence> evidence;  // 佐证材料
    bool completed = false;          // 任务已完成
};

struct FieldError {
    std::string field;
    std::string message;
};

// How much one report may hold (limits.* in the configuration).
struct ContentLimits {
    std::size_t text_chars = 20000;     // each of the four text fields, in characters
    std::size_t evidence_entries = 50;  // evidence links
    std::size_t name_chars = 200;       // an evidence name
    std::size_t url_chars = 2048;       // an evidence URL
};

// An evidence link a browser may follow safely: http:// or https:// (any
// case), a host, and no spaces or control characters. javascript:, data:,
// file: and the like never reach the people who open a report.
bool is_web_link(const std::string& url);

// What a draft may hold (anything well-formed within the limits) …
std::vector<FieldError> check_draft(const ReportContent& content, const ContentLimits& limits = {});
// … and what a submitted report must hold.
std::vector<FieldError> check_for_submit(const ReportContent& content,
                                         const ContentLimits& limits = {});

// The ledger status of one obligation. overdue: past its due date and not yet
// submitted (not started, a draft, or returned to the drafting step).
ObligationStatus obligation_status(bool waived, const std::optional<ReportPosition>& report,
                                   const std::string& drafting_step, const Date& due,
                                   const Date& today);

}  // namespace rl::core
