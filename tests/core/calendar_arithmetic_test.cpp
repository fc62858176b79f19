// rl::core::WorkingCalendar's counting and adding of working days are
// arithmetic — whole weeks, then only the calendar's holiday and make-up
// entries — never a walk day by day. Specified against the day-by-day answer
// over many random ranges on the real 2019 and 2024 State Council calendars
// (with their 调休 days), and on counts so large that a walk would run for
// hours (a supervision notice due in INT_MAX working days once did, inside a
// write transaction).
#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/calendar.h"

namespace {

using rl::core::Date;
using rl::core::Holiday;
using rl::core::WorkingCalendar;

Date d(const char* iso) {
    const auto parsed = Date::parse(iso);
    if (!parsed) {
        throw std::runtime_error(std::string("test date does not parse: ") + iso);
    }
    return *parsed;
}

// data/cn-working-calendar.json for 2019 and 2024, as the State Council set them.
WorkingCalendar state_council_2019_and_2024() {
    WorkingCalendar calendar;
    calendar.add_year(2019,
                      {{"元旦", d("2019-01-01"), d("2019-01-01")},
                       {"春节", d("2019-02-04"), d("2019-02-10")},
                       {"清明节", d("2019-04-05"), d("2019-04-07")},
                       {"劳动节", d("2019-05-01"), d("2019-05-04")},
                       {"端午节", d("2019-06-07"), d("2019-06-09")},
                       {"中秋节", d("2019-09-13"), d("2019-09-15")},
                       {"国庆节", d("2019-10-01"), d("2019-10-07")}},
                      {d("2019-02-02"), d("2019-02-03"), d("2019-04-28"), d("2019-05-05"),
                       d("2019-09-29"), d("2019-10-12")});
    calendar.add_year(2024,
                      {{"元旦", d("2024-01-01"), d("2024-01-01")},
                       {"春节", d("2024-02-10"), d("2024-02-17")},
                       {"清明节", d("2024-04-04"), d("2024-04-06")},
                       {"劳动节", d("2024-05-01"), d("2024-05-05")},
                       {"端午节", d("2024-06-10"), d("2024-06-10")},
                       {"中秋节", d("2024-09-15"), d("2024-09-17")},
                       {"国庆节", d("2024-10-01"), d("2024-10-07")}},
                      {d("2024-02-04"), d("2024-02-18"), d("2024-04-07"), d("2024-04-28"),
                       d("2024-05-11"), d("2024-09-14"), d("2024-09-29"), d("2024-10-12")});
    return calendar;
}

// The answers by walking one day at a time: the specification.
int count_by_walking(const WorkingCalendar& c, const Date& from, const Date& to) {
    int n = 0;
    for (auto day = from.days(); day <= to.days(); ++day) {
        n += c.is_working_day(Date::from_days(day)) ? 1 : 0;
    }
    return n;
}

Date add_by_walking(const WorkingCalendar& c, const Date& from, int n) {
    Date day = from;
    while (n > 0) {
        day = day.plus_days(1);
        n -= c.is_working_day(day) ? 1 : 0;
    }
    return day;
}

TEST(WorkingCalendarArithmetic, CountMatchesTheDayByDayAnswerOverRandomRanges) {
    const WorkingCalendar calendar = state_council_2019_and_2024();
    std::mt19937 random(20191001);  // fixed: the same ranges every run
    // 2018-07-01 … 2025-06-30: two years with data, and years without.
    std::uniform_int_distribution<std::int64_t> day(d("2018-07-01").days(), d("2025-06-30").days());
    std::uniform_int_distribution<std::int64_t> length(0, 900);
    for (int i = 0; i < 3000; ++i) {
        const Date from = Date::from_days(day(random));
        const Date to = from.plus_days(length(random));
        ASSERT_EQ(calendar.count_working_days(from, to), count_by_walking(calendar, from, to))
            << from.iso() << " … " << to.iso();
    }
}

TEST(WorkingCalendarArithmetic, CountAgreesOnEveryShortRangeAroundTheMakeUpDays) {
    // Every range of up to 16 days starting in 2019-09-20 … 2019-10-20, where
    // the 中秋 and 国庆 holidays and two make-up days (Sun 09-29, Sat 10-12) sit.
    const WorkingCalendar calendar = state_council_2019_and_2024();
    for (auto first = d("2019-09-20").days(); first <= d("2019-10-20").days(); ++first) {
        for (std::int64_t span = -1; span < 16; ++span) {
            const Date from = Date::from_days(first);
            const Date to = Date::from_days(first + span);
            ASSERT_EQ(calendar.count_working_days(from, to), count_by_walking(calendar, from, to))
                << from.iso() << " … " << to.iso();
        }
    }
}

TEST(WorkingCalendarArithmetic, AddMatchesTheDayByDayAnswerOverRandomStartsAndCounts) {
    const WorkingCalendar calendar = state_council_2019_and_2024();
    std::mt19937 random(20241001);
    std::uniform_int_distribution<std::int64_t> day(d("2018-07-01").days(), d("2025-06-30").days());
    std::uniform_int_distribution<int> count(1, 700);
    for (int i = 0; i < 3000; ++i) {
        const Date from = Date::from_days(day(random));
        const int n = count(random);
        ASSERT_EQ(calendar.add_working_days(from, n).iso(), add_by_walking(calendar, from, n).iso())
            << from.iso() << " + " << n << " working days";
    }
}

TEST(WorkingCalendarArithmetic, AddAcrossTheSpringFestivalAndItsMakeUpWeekend) {
    const WorkingCalendar calendar = state_council_2019_and_2024();
    // Fri 2019-02-01 → Sat 02-02 and Sun 02-03 are made up, 02-04 … 02-10 is 春节.
    EXPECT_EQ(calendar.add_working_days(d("2019-02-01"), 1).iso(), "2019-02-02");
    EXPECT_EQ(calendar.add_working_days(d("2019-02-01"), 2).iso(), "2019-02-03");
    EXPECT_EQ(calendar.add_working_days(d("2019-02-01"), 3).iso(), "2019-02-11");
    EXPECT_EQ(calendar.count_working_days(d("2019-02-01"), d("2019-02-11")), 4);
}

TEST(WorkingCalendarArithmetic, TwoBillionWorkingDaysAreAddedAndCountedWithoutAWalk) {
    // Plain weekends: from a Friday, every 5 working days are 7 calendar days.
    const WorkingCalendar plain;
    const Date friday = d("2021-01-01");
    ASSERT_EQ(friday.weekday(), 5);
    const int n = 2000000000;
    const Date end = plain.add_working_days(friday, n);
    EXPECT_EQ(end.days() - friday.days(), std::int64_t{n} / 5 * 7);
    EXPECT_EQ(plain.count_working_days(friday.plus_days(1), end), n);
}

TEST(WorkingCalendarArithmetic, IntMaxWorkingDaysOnTheStateCouncilCalendarLandOnAWorkingDay) {
    const WorkingCalendar calendar = state_council_2019_and_2024();
    const Date from = d("2019-09-27");
    const Date end = calendar.add_working_days(from, INT_MAX);
    EXPECT_TRUE(calendar.is_working_day(end));
    EXPECT_EQ(calendar.count_working_days(from.plus_days(1), end), INT_MAX);
    EXPECT_EQ(calendar.count_working_days(from.plus_days(1), end.plus_days(-1)), INT_MAX - 1);
}

TEST(WorkingCalendarArithmetic, CountOverAMillionYearsIsExact) {
    // 1,000,000 years of the proleptic Gregorian calendar are 365,242,500 days,
    // exactly 52,177,500 weeks: 260,887,500 weekdays, less the 2019 and 2024
    // holidays that fall on weekdays (17 + 19), plus their 6 + 8 make-up days.
    const WorkingCalendar calendar = state_council_2019_and_2024();
    const Date from = d("2000-01-01");
    const Date to = Date::from_days(from.days() + 365242500 - 1);
    EXPECT_EQ(calendar.count_working_days(from, to), 260887500 - 17 - 19 + 6 + 8);
}

}  // namespace
