#include "core/report_form.h"

#include "core/utf8.h"

namespace rl::core {

namespace {

void check_text(std::vector<FieldError>& errors, const std::string& field, const std::string& text,
                std::size_t max_chars) {
    if (!utf8::is_valid(text)) {
        errors.push_back({field, "is not valid UTF-8 text"});
        return;
    }
    const std::size_t length = utf8::length(text);
    if (length > max_chars) {
        errors.push_back({field, "is " + std::to_string(length) + " characters long, more than " +
                                     std::to_string(max_chars)});
    }
}

bool starts_with_ignoring_case(const std::string& s, std::string_view prefix) {
    if (s.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        const char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
        if (c != prefix[i]) {
            return false;
        }
    }
    return true;
}

}  // namespace

bool is_web_link(const std::string& url) {
    std::size_t host = 0;
    if (starts_with_ignoring_case(url, "https://")) {
        host = 8;
    } else if (starts_with_ignoring_case(url, "http://")) {
        host = 7;
    } else {
        return false;
    }
    if (host >= url.size() || url[host] == '/' || url[host] == '?' || url[host] == '#') {
        return false;  // no host
    }
    std::size_t pos = 0;
    while (pos < url.size()) {
        const char32_t c = utf8::next(url, pos);
        if (utf8::is_control(c) || utf8::is_space(c) || c == 0xFFFD) {
            return false;
        }
    }
    return true;
}

std::vector<FieldError> check_draft(const ReportContent& c, const ContentLimits& limits) {
    std::vector<FieldError> errors;
    check_text(errors, "progress_summary", c.progress_summary, limits.text_chars);
    check_text(errors, "measures", c.measures, limits.text_chars);
    check_text(errors, "problems", c.problems, limits.text_chars);
    check_text(errors, "next_steps", c.next_steps, limits.text_chars);
    if (c.percent_complete && (*c.percent_complete < 0 || *c.percent_complete > 100)) {
        errors.push_back({"percent_complete", "must be between 0 and 100"});
    }
    if (c.evidence.size() > limits.evidence_entries) {
        errors.push_back({"evidence", "has " + std::to_string(c.evidence.size()) +
                                          " entries, more than " +
                                          std::to_string(limits.evidence_entries)});
        return errors;
    }
    for (std::size_t i = 0; i < c.evidence.size(); ++i) {
        const std::string at = "evidence[" + std::to_string(i) + "]";
        const Evidence& e = c.evidence[i];
        if (utf8::trim(e.name).empty()) {
            errors.push_back({at + ".name", "is required"});
        } else {
            check_text(errors, at + ".name", e.name, limits.name_chars);
        }
        if (e.url.empty()) {
            continue;
        }
        const std::size_t before = errors.size();
        check_text(errors, at + ".url", e.url, limits.url_chars);
        if (errors.size() == before && !is_web_link(e.url)) {
            errors.push_back({at + ".url", "must be an http:// or https:// link"});
        }
    }
    return errors;
}

std::vector<FieldError> check_for_submit(const ReportContent& c, const ContentLimits& limits) {
    std::vector<FieldError> errors = check_draft(c, limits);
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
