// Reporting cycles: which period a report covers, when it is due, and what
// an obligation's status is. Monthly by default; quarterly per plan or task.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/calendar.h"

namespace rl::core {

enum class Cycle { monthly, quarterly };
const char* to_string(Cycle cycle);
std::optional<Cycle> cycle_from_string(std::string_view text);

// A reporting period: a month ("2019-10") or a quarter ("2019-Q4").
struct Period {
    Cycle cycle = Cycle::monthly;
    int year = 1970;
    int index = 1;  // month 1–12, or quarter 1–4

    // "2019-10" or "2019-Q4"; nullopt otherwise.
    static std::optional<Period> parse(std::string_view text);
    // The period of this cycle that contains the date.
    static Period containing(Cycle cycle, const Date& date);

    std::string key() const;
    Date first_day() const;
    Date last_day() const;
    int last_month() const { return cycle == Cycle::monthly ? index : index * 3; }
    Period previous() const;
    Period next() const;

    friend bool operator==(const Period& a, const Period& b) {
        return a.cycle == b.cycle && a.year == b.year && a.index == b.index;
    }
};

struct ReportingPolicy {
    Cycle default_cycle = Cycle::monthly;
    int due_working_day = 5;                   // of the month after the period ends
    std::map<std::string, Cycle> plan_cycles;  // plan key → cycle
    std::map<std::string, Cycle> task_cycles;  // task number → cycle

    Cycle cycle_for(const std::string& plan_key, const std::string& task_number) const;
    Date due_date(const Period& period, const WorkingCalendar& calendar) const;
    // The period of an obligation that falls in a month: for a monthly task,
    // the month itself; for a quarterly task, the quarter when the month is
    // its last month, else nothing.
    std::optional<Period> period_in_month(Cycle cycle, int year, int month) const;
};

// The years a plan is about: every year its title names ("2019年…",
// "2019—2023年…"), else the first year its preamble names ("深入推进2019年…"),
// else fallback_year (the year it was imported). Years are 4-digit numbers
// from kFirstYear to kLastYear.
struct YearSpan {
    int first = 0;
    int last = 0;
};
YearSpan plan_years(std::string_view title, std::string_view preamble, int fallback_year);

// How far around its years a plan takes reports: a period must lie from
// kPlanYearMargin years before the first to as many after the last (a 2019
// plan: 2017-01 to 2021-12).
constexpr int kPlanYearMargin = 2;
bool within_plan_years(const Period& period, const YearSpan& years);

// The month whose reports are being collected on a day: the last month that
// ended before it ("2019-10" on 2019-11-04).
Period reporting_month(const Date& today);

// Where an obligation stands, as the ledger shows it.
enum class ObligationStatus { not_started, draft, in_approval, returned, filed, overdue, waived };
const char* to_string(ObligationStatus status);

}  // namespace rl::core
