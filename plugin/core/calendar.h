// The Chinese working-day calendar: weekends, statutory holidays and make-up
// working days (调休), as yearly data. Every due date is counted with it.
// Court time is UTC+8 (China has one time zone and no daylight saving).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rl::core {

// The years a date or period from outside the plugin may name: wide enough
// for any court record, narrow enough that nothing counts days for centuries.
constexpr int kFirstYear = 1900;
constexpr int kLastYear = 2199;

// A calendar date (proleptic Gregorian), without time or zone.
struct Date {
    int year = 1970;
    int month = 1;
    int day = 1;

    // "2019-10-01"; nullopt unless a real date in exactly that form.
    static std::optional<Date> parse(std::string_view iso);
    // The date in court time (UTC+8) at the instant epoch_ms.
    static Date in_court_time(std::int64_t epoch_ms);
    static Date from_days(std::int64_t days_since_epoch);

    std::int64_t days() const;  // days since 1970-01-01
    int weekday() const;        // 1 = Monday … 7 = Sunday
    Date plus_days(std::int64_t n) const { return from_days(days() + n); }
    std::string iso() const;

    friend bool operator==(const Date& a, const Date& b) { return a.days() == b.days(); }
    friend bool operator!=(const Date& a, const Date& b) { return !(a == b); }
    friend bool operator<(const Date& a, const Date& b) { return a.days() < b.days(); }
    friend bool operator<=(const Date& a, const Date& b) { return a.days() <= b.days(); }
};

// Court time: UTC+8.
constexpr std::int64_t kCourtUtcOffsetMs = 8LL * 3600 * 1000;
// The instant (epoch ms) a court-time date begins.
std::int64_t start_of_day_ms(const Date& date);

struct Holiday {
    std::string name;  // 国庆节
    Date from;
    Date to;  // inclusive
};

class WorkingCalendar {
public:
    // Adds one year's data. Throws std::invalid_argument naming the date when
    // a date lies outside the year, a range is reversed, a make-up working day
    // is not a weekend, or a day is both holiday and working day.
    void add_year(int year, const std::vector<Holiday>& holidays,
                  const std::vector<Date>& working_days);

    bool covers(int year) const { return years_.count(year) != 0; }
    std::vector<int> years() const { return {years_.begin(), years_.end()}; }
    // Years between from and to that have no data (plain weekends are used).
    std::vector<int> uncovered_years(const Date& from, const Date& to) const;

    bool is_working_day(const Date& date) const;
    // The holiday's name, or "调休上班" for a make-up working day, or nullopt.
    std::optional<std::string> note(const Date& date) const;

    // The n-th working day after date (n >= 1); date itself is not counted.
    // Both are arithmetic over whole weeks and the calendar's entries, never
    // a walk day by day: their cost does not grow with n or the range.
    Date add_working_days(const Date& date, int n) const;
    // Working days in [from, to], both inclusive; 0 when to < from.
    int count_working_days(const Date& from, const Date& to) const;
    std::vector<Date> working_days(const Date& from, const Date& to) const;
    // The n-th working day (n >= 1) of a month.
    Date nth_working_day_of_month(int year, int month, int n) const;

private:
    static std::int64_t weekdays_between(std::int64_t first, std::int64_t last);
    std::int64_t count_between(std::int64_t first, std::int64_t last) const;

    std::set<int> years_;
    std::map<std::int64_t, std::string> holidays_;  // day → holiday name
    std::set<std::int64_t> working_days_;           // make-up working days
};

}  // namespace rl::core
