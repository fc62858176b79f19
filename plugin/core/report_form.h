// The progress-report form's content and its rules. Validation failures are
// field errors for the user to fix, not failed calls.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/reporting.h"
#include "core/workflow.h"

namespace rl::core {

struct Evidence {
    std::string name;
    std::string url;  // where the host stores it; may be empty
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

// What a draft may hold (anything well-formed) …
std::vector<FieldError> check_draft(const ReportContent& content);
// … and what a submitted report must hold.
std::vector<FieldError> check_for_submit(const ReportContent& content);

// The ledger status of one obligation. overdue: past its due date and not yet
// submitted (not started, a draft, or returned to the drafting step).
ObligationStatus obligation_status(bool waived, const std::optional<ReportPosition>& report,
                                   const std::string& drafting_step, const Date& due,
                                   const Date& today);

}  // namespace rl::core
