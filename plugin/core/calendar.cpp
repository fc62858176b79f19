#include "core/calendar.h"

#include <cstdio>
#include <limits>
#include <stdexcept>

namespace rl::core {

namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

int days_in_month(int y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}

bool is_weekend(const Date& d) {
    return d.weekday() >= 6;
}

}  // namespace

std::optional<Date> Date::parse(std::string_view iso) {
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') {
        return std::nullopt;
    }
    int parts[3] = {0, 0, 0};
    const std::size_t starts[3] = {0, 5, 8};
    const std::size_t lengths[3] = {4, 2, 2};
    for (int i = 0; i < 3; ++i) {
        for (std::size_t k = 0; k < lengths[i]; ++k) {
            const char c = iso[starts[i] + k];
            if (c < '0' || c > '9') {
                return std::nullopt;
            }
            parts[i] = parts[i] * 10 + (c - '0');
        }
    }
    if (parts[1] < 1 || parts[1] > 12 || parts[2] < 1 ||
        parts[2] > days_in_month(parts[0], parts[1])) {
        return std::nullopt;
    }
    return Date{parts[0], parts[1], parts[2]};
}

Date Date::from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const int y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
    return Date{y, m, d};
}

Date Date::in_court_time(std::int64_t epoch_ms) {
    const std::int64_t local = epoch_ms + kCourtUtcOffsetMs;
    std::int64_t days = local / 86400000;
    if (local % 86400000 < 0) {
        --days;
    }
    return from_days(days);
}

std::int64_t Date::days() const {
    return days_from_civil(year, month, day);
}

int Date::weekday() const {
    const std::int64_t z = days();  // 1970-01-01 was a Thursday (4)
    return static_cast<int>(((z % 7) + 7 + 3) % 7) + 1;
}

std::string Date::iso() const {
    // Written digit by digit (snprintf was a fifth of the time the ledger's
    // warnings took); within the short-string buffer, so nothing is allocated.
    if (year < 0 || year > 9999 || month < 0 || month > 99 || day < 0 || day > 99) {
        char buffer[48];
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
        return buffer;
    }
    std::string out(10, '-');
    const auto digit = [](int value) { return static_cast<char>('0' + value % 10); };
    out[0] = digit(year / 1000);
    out[1] = digit(year / 100);
    out[2] = digit(year / 10);
    out[3] = digit(year);
    out[5] = digit(month / 10);
    out[6] = digit(month);
    out[8] = digit(day / 10);
    out[9] = digit(day);
    return out;
}

std::int64_t start_of_day_ms(const Date& date) {
    return date.days() * 86400000 - kCourtUtcOffsetMs;
}

void WorkingCalendar::add_year(int year, const std::vector<Holiday>& holidays,
                               const std::vector<Date>& working_days) {
    const auto in_year = [&](const Date& d) {
        if (d.year != year) {
            throw std::invalid_argument("date " + d.iso() + " is not in year " +
                                        std::to_string(year));
        }
    };
    std::map<std::int64_t, std::string> new_holidays;
    for (const auto& h : holidays) {
        in_year(h.from);
        in_year(h.to);
        if (h.to < h.from) {
            throw std::invalid_argument("holiday " + h.name + " ends (" + h.to.iso() +
                                        ") before it starts (" + h.from.iso() + ")");
        }
        for (auto day = h.from.days(); day <= h.to.days(); ++day) {
            new_holidays[day] = h.name;
        }
    }
    std::set<std::int64_t> new_working;
    for (const auto& d : working_days) {
        in_year(d);
        if (!is_weekend(d)) {
            throw std::invalid_argument("make-up working day " + d.iso() +
                                        " is not a Saturday or Sunday");
        }
        if (new_holidays.count(d.days()) != 0) {
            throw std::invalid_argument(d.iso() +
                                        " is listed both as a holiday and as a working day");
        }
        new_working.insert(d.days());
    }
    // Replace the year's data wholesale, so reloading a corrected file works.
    const auto first = Date{year, 1, 1}.days();
    const auto last = Date{year, 12, 31}.days();
    holidays_.erase(holidays_.lower_bound(first), holidays_.upper_bound(last));
    working_days_.erase(working_days_.lower_bound(first), working_days_.upper_bound(last));
    holidays_.insert(new_holidays.begin(), new_holidays.end());
    working_days_.insert(new_working.begin(), new_working.end());
    years_.insert(year);
}

std::vector<int> WorkingCalendar::uncovered_years(const Date& from, const Date& to) const {
    std::vector<int> out;
    for (int y = from.year; y <= to.year; ++y) {
        if (!covers(y)) {
            out.push_back(y);
        }
    }
    return out;
}

bool WorkingCalendar::is_working_day(const Date& date) const {
    const auto day = date.days();
    if (working_days_.count(day) != 0) {
        return true;
    }
    if (holidays_.count(day) != 0) {
        return false;
    }
    return !is_weekend(date);
}

std::optional<std::string> WorkingCalendar::note(const Date& date) const {
    const auto day = date.days();
    if (working_days_.count(day) != 0) {
        return std::string("调休上班");
    }
    const auto it = holidays_.find(day);
    if (it != holidays_.end()) {
        return it->second;
    }
    return std::nullopt;
}

// Mondays to Fridays in [first, last] (days since the epoch), by whole weeks:
// any 7 consecutive days hold exactly 5 of them.
std::int64_t WorkingCalendar::weekdays_between(std::int64_t first, std::int64_t last) {
    if (last < first) {
        return 0;
    }
    const std::int64_t span = last - first + 1;
    std::int64_t n = span / 7 * 5;
    for (std::int64_t day = first + span / 7 * 7; day <= last; ++day) {
        n += Date::from_days(day).weekday() <= 5 ? 1 : 0;  // at most 6 days
    }
    return n;
}

// Plain weekdays, less the holidays that fall on one, plus the make-up
// working days (always weekends): only the calendar's entries in the range
// are visited, never each day, so any range costs the same.
std::int64_t WorkingCalendar::count_between(std::int64_t first, std::int64_t last) const {
    if (last < first) {
        return 0;
    }
    std::int64_t n = weekdays_between(first, last);
    for (auto it = holidays_.lower_bound(first); it != holidays_.end() && it->first <= last; ++it) {
        n -= Date::from_days(it->first).weekday() <= 5 ? 1 : 0;
    }
    for (auto it = working_days_.lower_bound(first); it != working_days_.end() && *it <= last;
         ++it) {
        ++n;
    }
    return n;
}

Date WorkingCalendar::add_working_days(const Date& date, int n) const {
    if (n < 1) {
        throw std::invalid_argument("add_working_days needs n >= 1");
    }
    // The answer is the first day d after date with n working days in
    // (date, d]. Counting is monotonic in d, so search: widen until the
    // count reaches n, then bisect.
    const std::int64_t first = date.days() + 1;
    std::int64_t low = first;  // count(first, low - 1) < n holds throughout
    std::int64_t span = std::int64_t{n} / 5 * 7 + 7;
    while (count_between(first, first + span - 1) < n) {
        low = first + span;
        span *= 2;
    }
    std::int64_t high = first + span - 1;  // count(first, high) >= n
    while (low < high) {
        const std::int64_t mid = low + (high - low) / 2;
        if (count_between(first, mid) >= n) {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    return Date::from_days(high);
}

int WorkingCalendar::count_working_days(const Date& from, const Date& to) const {
    const std::int64_t n = count_between(from.days(), to.days());
    return n > std::numeric_limits<int>::max() ? std::numeric_limits<int>::max()
                                               : static_cast<int>(n);
}

std::vector<Date> WorkingCalendar::working_days(const Date& from, const Date& to) const {
    std::vector<Date> out;
    for (auto day = from.days(); day <= to.days(); ++day) {
        const Date d = Date::from_days(day);
        if (is_working_day(d)) {
            out.push_back(d);
        }
    }
    return out;
}

Date WorkingCalendar::nth_working_day_of_month(int year, int month, int n) const {
    if (n < 1) {
        throw std::invalid_argument("nth_working_day_of_month needs n >= 1");
    }
    const Date first{year, month, 1};
    const Date start = first.plus_days(-1);
    const Date found = add_working_days(start, n);
    if (found.month != month || found.year != year) {
        throw std::invalid_argument(std::to_string(year) + "-" + std::to_string(month) +
                                    " has fewer than " + std::to_string(n) + " working days");
    }
    return found;
}

}  // namespace rl::core
