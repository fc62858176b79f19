#include "core/report_form.h"

#include "core/utf8.h"

namespace rl::core {

namespace {
constexpr std::size_t kMaxTextLength = 20000;  // characters per text field

void check_text(std::vector<FieldError>& errors, const char* field, const std::string& text) {
    if (!utf8::is_valid(text)) {
        errors.push_back({field, "is not valid UTF-8 text"});
    } else if (utf8::length(text) > kMaxTextLength) {
        errors.push_back(
            {field, "is longer than " + std::to_string(kMaxTextLength) + " characters"});
    }
}
}  // namespace

std::vector<FieldError> check_draft(const ReportContent& c) {
    std::vector<FieldError> errors;
    check_text(errors, "progress_summary", c.progress_summary);
    check_text(errors, "measures", c.measures);
    check_text(errors, "problems", c.problems);
    check_text(errors, "next_steps", c.next_steps);
    if (c.percent_complete && (*c.percent_complete < 0 || *c.percent_complete > 100)) {
        errors.push_back({"percent_complete", "must be between 0 and 100"});
    }
    for (std::size_t i = 0; i < c.evidence.size(); ++i) {
        if (utf8::trim(c.evidence[i].name).empty()) {
            errors.push_back({"evidence[" + std::to_string(i) + "].name", "is required"});
        }
    }
    return errors;
}

std::vector<FieldError> check_for_submit(const ReportContent& c) {
    std::vector<FieldError> errors = check_draft(c);
    if (utf8::trim(c.progress_summary).empty()) {
        errors.push_back({"progress_summary", "is required"});
    }
    if (!c.percent_complete) {
        errors.push_back({"percent_complete", "is required"});
    }
    if (c.completed && c.percent_complete && *c.percent_complete != 100) {
        errors.push_back({"completed", "a completed task is 100 percent complete"});
    }
    return errors;
}

ObligationStatus obligation_status(bool waived, const std::optional<ReportPosition>& report,
                                   const std::string& drafting_step, const Date& due,
                                   const Date& today) {
    if (waived) {
        return ObligationStatus::waived;
    }
    const bool past_due = due < today;
    if (!report || !report->exists) {
        return past_due ? ObligationStatus::overdue : ObligationStatus::not_started;
    }
    switch (report->state) {
        case ReportState::filed:
            return ObligationStatus::filed;
        case ReportState::in_approval:
            return ObligationStatus::in_approval;
        case ReportState::draft:
            return past_due ? ObligationStatus::overdue : ObligationStatus::draft;
        case ReportState::returned:
            return past_due && report->step == drafting_step ? ObligationStatus::overdue
                                                             : ObligationStatus::returned;
    }
    return ObligationStatus::not_started;
}

}  // namespace rl::core
