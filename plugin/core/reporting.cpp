#include "core/reporting.h"

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include "core/utf8.h"

namespace rl::core {

const char* to_string(Cycle cycle) {
    return cycle == Cycle::monthly ? "monthly" : "quarterly";
}

std::optional<Cycle> cycle_from_string(std::string_view text) {
    if (text == "monthly") {
        return Cycle::monthly;
    }
    if (text == "quarterly") {
        return Cycle::quarterly;
    }
    return std::nullopt;
}

std::optional<Period> Period::parse(std::string_view text) {
    const auto digits = [](std::string_view s) {
        if (s.empty()) {
            return -1;
        }
        int n = 0;
        for (char c : s) {
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    };
    if (text.size() == 7 && text[4] == '-' && text[5] == 'Q') {
        const int year = digits(text.substr(0, 4));
        const int quarter = digits(text.substr(6, 1));
        if (year < 0 || quarter < 1 || quarter > 4) {
            return std::nullopt;
        }
        return Period{Cycle::quarterly, year, quarter};
    }
    if (text.size() == 7 && text[4] == '-') {
        const int year = digits(text.substr(0, 4));
        const int month = digits(text.substr(5, 2));
        if (year < 0 || month < 1 || month > 12) {
            return std::nullopt;
        }
        return Period{Cycle::monthly, year, month};
    }
    return std::nullopt;
}

Period Period::containing(Cycle cycle, const Date& date) {
    return cycle == Cycle::monthly ? Period{cycle, date.year, date.month}
                                   : Period{cycle, date.year, (date.month - 1) / 3 + 1};
}

std::string Period::key() const {
    char buffer[16];
    if (cycle == Cycle::monthly) {
        std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, index);
    } else {
        std::snprintf(buffer, sizeof buffer, "%04d-Q%d", year, index);
    }
    return buffer;
}

Date Period::first_day() const {
    return Date{year, cycle == Cycle::monthly ? index : (index - 1) * 3 + 1, 1};
}

Date Period::last_day() const {
    const int month = last_month();
    const Date next_first = month == 12 ? Date{year + 1, 1, 1} : Date{year, month + 1, 1};
    return next_first.plus_days(-1);
}

Period Period::previous() const {
    return containing(cycle, first_day().plus_days(-1));
}

Period Period::next() const {
    return containing(cycle, last_day().plus_days(1));
}

Cycle ReportingPolicy::cycle_for(const std::string& plan_key,
                                 const std::string& task_number) const {
    const auto task = task_cycles.find(task_number);
    if (task != task_cycles.end()) {
        return task->second;
    }
    const auto plan = plan_cycles.find(plan_key);
    return plan != plan_cycles.end() ? plan->second : default_cycle;
}

Date ReportingPolicy::due_date(const Period& period, const WorkingCalendar& calendar) const {
    const Date after = period.last_day().plus_days(1);
    return calendar.nth_working_day_of_month(after.year, after.month, due_working_day);
}

std::optional<Period> ReportingPolicy::period_in_month(Cycle cycle, int year, int month) const {
    if (cycle == Cycle::monthly) {
        return Period{Cycle::monthly, year, month};
    }
    if (month % 3 != 0) {
        return std::nullopt;
    }
    return Period{Cycle::quarterly, year, month / 3};
}

namespace {

// The 4-digit years (ASCII or full-width digits, not part of a longer
// number) in text, in order, each with whether 年 follows it.
std::vector<std::pair<int, bool>> years_in(std::string_view text) {
    std::vector<std::pair<int, bool>> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        int value = 0;
        int digits = 0;
        std::size_t after = pos;
        while (after < text.size()) {
            std::size_t next = after;
            const char32_t c = utf8::fold_width(utf8::next(text, next));
            if (c < '0' || c > '9') {
                break;
            }
            value = digits < 5 ? value * 10 + static_cast<int>(c - '0') : value;
            ++digits;
            after = next;
        }
        if (digits == 0) {
            utf8::next(text, pos);
            continue;
        }
        if (digits == 4 && value >= kFirstYear && value <= kLastYear) {
            std::size_t next = after;
            const bool nian = after < text.size() && utf8::next(text, next) == U'年';
            out.emplace_back(value, nian);
        }
        pos = after;
    }
    return out;
}

}  // namespace

YearSpan plan_years(std::string_view title, std::string_view preamble, int fallback_year) {
    const auto named = years_in(title);
    if (!named.empty()) {
        YearSpan span{named.front().first, named.front().first};
        for (const auto& [year, nian] : named) {
            span.first = std::min(span.first, year);
            span.last = std::max(span.last, year);
        }
        return span;
    }
    for (const auto& [year, nian] : years_in(preamble)) {
        if (nian) {
            return {year, year};
        }
    }
    return {fallback_year, fallback_year};
}

bool within_plan_years(const Period& period, const YearSpan& years) {
    return period.year >= years.first - kPlanYearMargin &&
           period.year <= years.last + kPlanYearMargin;
}

Period reporting_month(const Date& today) {
    return Period::containing(Cycle::monthly, today).previous();
}

const char* to_string(ObligationStatus status) {
    switch (status) {
        case ObligationStatus::not_started:
            return "not_started";
        case ObligationStatus::draft:
            return "draft";
        case ObligationStatus::in_approval:
            return "in_approval";
        case ObligationStatus::returned:
            return "returned";
        case ObligationStatus::filed:
            return "filed";
        case ObligationStatus::overdue:
            return "overdue";
        case ObligationStatus::waived:
            return "waived";
    }
    return "?";
}

}  // namespace rl::core
