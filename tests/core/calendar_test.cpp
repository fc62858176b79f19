// rl::core::Date and rl::core::WorkingCalendar: parsing and court time, and
// working-day arithmetic on a calendar holding the autumn 2019 holidays as
// the State Council notice set them (中秋节 09-13…15, 国庆节 10-01…07,
// make-up working days Sunday 09-29 and Saturday 10-12).
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "test_assertions.h"

namespace {

using rl::core::Date;
using rl::core::Holiday;
using rl::core::WorkingCalendar;
using rl::test::has_text;

Date d(const char* iso) {
    const auto parsed = Date::parse(iso);
    if (!parsed) {
        throw std::runtime_error(std::string("test date does not parse: ") + iso);
    }
    return *parsed;
}

std::vector<std::string> isos(const std::vector<Date>& dates) {
    std::vector<std::string> out;
    for (const auto& date : dates) {
        out.push_back(date.iso());
    }
    return out;
}

WorkingCalendar autumn_2019() {
    WorkingCalendar calendar;
    calendar.add_year(2019,
                      {{"中秋节", d("2019-09-13"), d("2019-09-15")},
                       {"国庆节", d("2019-10-01"), d("2019-10-07")}},
                      {d("2019-09-29"), d("2019-10-12")});
    return calendar;
}

// The message of the std::invalid_argument f throws, or a marker.
template <typename F>
std::string invalid_argument_of(F&& f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no std::invalid_argument thrown)";
}

// --- Date -------------------------------------------------------------------

TEST(Date, ParseAcceptsARealDateInIsoForm) {
    const auto date = Date::parse("2019-10-01");
    ASSERT_TRUE(date.has_value());
    EXPECT_EQ(date->year, 2019);
    EXPECT_EQ(date->month, 10);
    EXPECT_EQ(date->day, 1);
    EXPECT_EQ(date->iso(), "2019-10-01");
}

TEST(Date, ParseRejectsTheTwentyNinthOfFebruaryInACommonYear) {
    EXPECT_FALSE(Date::parse("2019-02-29").has_value());
    EXPECT_FALSE(Date::parse("1900-02-29").has_value());
}

TEST(Date, ParseAcceptsTheTwentyNinthOfFebruaryInALeapYear) {
    EXPECT_TRUE(Date::parse("2020-02-29").has_value());
    EXPECT_TRUE(Date::parse("2000-02-29").has_value());
}

TEST(Date, ParseRejectsAnythingButZeroPaddedYearMonthDay) {
    for (const char* text :
         {"2019-1-01", "2019-01-1", "19-01-01", "2019/10/01", "2019-10-01 ", " 2019-10-01",
          "2019-10-0a", "2019-00-10", "2019-13-01", "2019-04-31", "2019-10-00", "", "20191001"}) {
        EXPECT_FALSE(Date::parse(text).has_value()) << "'" << text << "'";
    }
}

TEST(Date, IsoIsZeroPaddedYearMonthDayAndParsesBack) {
    EXPECT_EQ((Date{2019, 10, 1}).iso(), "2019-10-01");
    EXPECT_EQ((Date{1900, 1, 9}).iso(), "1900-01-09");
    EXPECT_EQ((Date{2199, 12, 31}).iso(), "2199-12-31");
    EXPECT_EQ((Date{7, 2, 28}).iso(), "0007-02-28");
    EXPECT_EQ((Date{9999, 11, 30}).iso(), "9999-11-30");
    EXPECT_EQ((Date{10000, 1, 1}).iso(), "10000-01-01");  // past four digits: all of them
    EXPECT_EQ((Date{-1, 1, 1}).iso(), "-001-01-01");
    const std::int64_t first = (Date{1, 1, 1}).days(), last = (Date{9999, 12, 31}).days();
    for (std::int64_t days = first; days <= last; days += 997) {
        const Date date = Date::from_days(days);
        const auto back = Date::parse(date.iso());
        ASSERT_TRUE(back.has_value()) << date.iso();
        EXPECT_EQ(back->days(), days) << date.iso();
    }
}

TEST(Date, WeekdayNumbersMondayOneToSundaySeven) {
    EXPECT_EQ(d("2019-10-01").weekday(), 2);  // Tuesday, 国庆节
    EXPECT_EQ(d("2019-09-29").weekday(), 7);  // Sunday
    EXPECT_EQ(d("2019-10-12").weekday(), 6);  // Saturday
    EXPECT_EQ(d("2019-11-04").weekday(), 1);  // Monday
    EXPECT_EQ(d("1970-01-01").weekday(), 4);  // Thursday
    EXPECT_EQ(d("1969-12-28").weekday(), 7);  // Sunday, before the epoch
}

TEST(Date, DaysCountFromTheEpochAndRoundTrip) {
    EXPECT_EQ(d("1970-01-01").days(), 0);
    EXPECT_EQ(d("1970-01-02").days(), 1);
    EXPECT_EQ(d("1969-12-31").days(), -1);
    EXPECT_EQ(d("2019-10-01").days(), 18170);
    EXPECT_EQ(Date::from_days(18170), d("2019-10-01"));
    EXPECT_EQ(d("2019-12-31").plus_days(1), d("2020-01-01"));
    EXPECT_EQ(d("2020-03-01").plus_days(-1), d("2020-02-29"));
}

TEST(Date, InCourtTimeIsUtcPlusEight) {
    // 2019-10-31T16:30:00Z is 2019-11-01 00:30 in Beijing.
    const std::int64_t ms = 1572539400000LL;
    EXPECT_EQ(Date::in_court_time(ms).iso(), "2019-11-01");
    // 2019-10-31T15:59:59.999Z is still 2019-10-31 23:59:59.999 in Beijing.
    EXPECT_EQ(Date::in_court_time(1572537599999LL).iso(), "2019-10-31");
    EXPECT_EQ(Date::in_court_time(1572537600000LL).iso(), "2019-11-01");
}

TEST(Date, InCourtTimeBeforeTheEpochRoundsDownToThePreviousDay) {
    // 1969-12-31T15:00:00Z is 1969-12-31 23:00 in Beijing.
    EXPECT_EQ(Date::in_court_time(-9LL * 3600 * 1000).iso(), "1969-12-31");
    // 1969-12-31T16:00:00Z is 1970-01-01 00:00 in Beijing.
    EXPECT_EQ(Date::in_court_time(-8LL * 3600 * 1000).iso(), "1970-01-01");
}

TEST(Date, StartOfDayIsMidnightCourtTimeAndRoundTrips) {
    EXPECT_EQ(rl::core::start_of_day_ms(d("2019-11-01")), 1572537600000LL);  // 2019-10-31T16:00Z
    for (const char* iso : {"2019-11-01", "1970-01-01", "1969-12-31", "2024-02-29"}) {
        const Date date = d(iso);
        const std::int64_t start = rl::core::start_of_day_ms(date);
        EXPECT_EQ(Date::in_court_time(start), date) << iso;
        EXPECT_EQ(Date::in_court_time(start - 1), date.plus_days(-1)) << iso;
        EXPECT_EQ(Date::in_court_time(start + 86400000 - 1), date) << iso;
    }
}

// --- WorkingCalendar: data ----------------------------------------------------

TEST(WorkingCalendar, MakeUpWorkingDayOnAWeekendIsWorking) {
    const auto calendar = autumn_2019();
    EXPECT_TRUE(calendar.is_working_day(d("2019-09-29")));  // Sunday
    EXPECT_TRUE(calendar.is_working_day(d("2019-10-12")));  // Saturday
    EXPECT_EQ(calendar.note(d("2019-09-29")), std::optional<std::string>("调休上班"));
}

TEST(WorkingCalendar, HolidayWeekdaysAreNotWorkingAndCarryTheHolidayName) {
    const auto calendar = autumn_2019();
    for (const char* iso : {"2019-10-01", "2019-10-02", "2019-10-03", "2019-10-04", "2019-10-05",
                            "2019-10-06", "2019-10-07"}) {
        EXPECT_FALSE(calendar.is_working_day(d(iso))) << iso;
        EXPECT_EQ(calendar.note(d(iso)), std::optional<std::string>("国庆节")) << iso;
    }
    EXPECT_TRUE(calendar.is_working_day(d("2019-10-08")));
    EXPECT_EQ(calendar.note(d("2019-10-08")), std::nullopt);
}

TEST(WorkingCalendar, OrdinaryWeekendIsNotWorking) {
    const auto calendar = autumn_2019();
    EXPECT_FALSE(calendar.is_working_day(d("2019-10-19")));
    EXPECT_FALSE(calendar.is_working_day(d("2019-10-20")));
    EXPECT_EQ(calendar.note(d("2019-10-19")), std::nullopt);
}

TEST(WorkingCalendar, YearWithoutDataFallsBackToPlainWeekends) {
    const auto calendar = autumn_2019();
    EXPECT_FALSE(calendar.covers(2021));
    EXPECT_TRUE(calendar.covers(2019));
    EXPECT_TRUE(calendar.is_working_day(d("2021-10-01")));   // a Friday; no data for 2021
    EXPECT_FALSE(calendar.is_working_day(d("2021-10-02")));  // Saturday
    EXPECT_EQ(calendar.uncovered_years(d("2019-06-01"), d("2021-03-01")),
              (std::vector<int>{2020, 2021}));
    EXPECT_TRUE(calendar.uncovered_years(d("2019-01-01"), d("2019-12-31")).empty());
    EXPECT_EQ(calendar.years(), std::vector<int>{2019});
}

TEST(WorkingCalendar, AddYearRejectsAMakeUpWorkingDayThatIsNotAWeekend) {
    WorkingCalendar calendar;
    EXPECT_TRUE(
        has_text(invalid_argument_of([&] { calendar.add_year(2019, {}, {d("2019-10-08")}); }),
                 {"2019-10-08", "not a Saturday or Sunday"}));
    EXPECT_FALSE(calendar.covers(2019));
}

TEST(WorkingCalendar, AddYearRejectsADateOutsideTheYear) {
    WorkingCalendar calendar;
    EXPECT_TRUE(
        has_text(invalid_argument_of([&] {
                     calendar.add_year(2019, {{"元旦", d("2018-12-30"), d("2019-01-01")}}, {});
                 }),
                 {"2018-12-30", "2019"}));
    EXPECT_TRUE(
        has_text(invalid_argument_of([&] { calendar.add_year(2019, {}, {d("2020-01-04")}); }),
                 "2020-01-04"));
}

TEST(WorkingCalendar, AddYearRejectsAReversedRange) {
    WorkingCalendar calendar;
    EXPECT_TRUE(
        has_text(invalid_argument_of([&] {
                     calendar.add_year(2019, {{"国庆节", d("2019-10-07"), d("2019-10-01")}}, {});
                 }),
                 {"国庆节", "2019-10-07", "2019-10-01"}));
}

TEST(WorkingCalendar, AddYearRejectsADayThatIsBothHolidayAndWorkingDay) {
    WorkingCalendar calendar;
    EXPECT_TRUE(has_text(invalid_argument_of([&] {
                             calendar.add_year(2019, {{"国庆节", d("2019-10-01"), d("2019-10-07")}},
                                               {d("2019-10-05")});  // a Saturday in the holiday
                         }),
                         {"2019-10-05", "both"}));
}

TEST(WorkingCalendar, AddYearAgainReplacesThatYearsData) {
    auto calendar = autumn_2019();
    calendar.add_year(2019, {{"国庆节", d("2019-10-01"), d("2019-10-03")}}, {});
    EXPECT_TRUE(calendar.is_working_day(d("2019-10-04")));   // Friday, no longer a holiday
    EXPECT_FALSE(calendar.is_working_day(d("2019-09-29")));  // Sunday, no longer made up
    EXPECT_FALSE(calendar.is_working_day(d("2019-10-03")));
}

// --- WorkingCalendar: arithmetic ------------------------------------------------

TEST(WorkingCalendar, AddWorkingDaysSkipsTheNationalDayHoliday) {
    const auto calendar = autumn_2019();
    EXPECT_EQ(calendar.add_working_days(d("2019-09-30"), 1).iso(), "2019-10-08");
    EXPECT_EQ(calendar.add_working_days(d("2019-09-30"), 5).iso(), "2019-10-12");
    EXPECT_EQ(calendar.add_working_days(d("2019-09-30"), 6).iso(), "2019-10-14");
}

TEST(WorkingCalendar, AddWorkingDaysCountsAMakeUpSunday) {
    const auto calendar = autumn_2019();
    // Friday 09-27 → Sunday 09-29 (made up) is the 1st, Monday 09-30 the 2nd.
    EXPECT_EQ(calendar.add_working_days(d("2019-09-27"), 1).iso(), "2019-09-29");
    EXPECT_EQ(calendar.add_working_days(d("2019-09-27"), 2).iso(), "2019-09-30");
}

TEST(WorkingCalendar, AddWorkingDaysDoesNotCountTheStartDay) {
    const auto calendar = autumn_2019();
    EXPECT_EQ(calendar.add_working_days(d("2019-10-08"), 1).iso(), "2019-10-09");
}

TEST(WorkingCalendar, AddWorkingDaysNeedsAPositiveCount) {
    const auto calendar = autumn_2019();
    EXPECT_THROW(calendar.add_working_days(d("2019-10-08"), 0), std::invalid_argument);
    EXPECT_THROW(calendar.add_working_days(d("2019-10-08"), -1), std::invalid_argument);
}

TEST(WorkingCalendar, CountWorkingDaysIncludesBothEndsAndMakeUpDays) {
    const auto calendar = autumn_2019();
    // 09-29 (Sun, made up), 09-30, 10-08, 10-09, 10-10, 10-11, 10-12 (Sat, made up).
    EXPECT_EQ(calendar.count_working_days(d("2019-09-28"), d("2019-10-13")), 7);
    EXPECT_EQ(calendar.count_working_days(d("2019-10-08"), d("2019-10-08")), 1);
    EXPECT_EQ(calendar.count_working_days(d("2019-10-01"), d("2019-10-07")), 0);
}

TEST(WorkingCalendar, CountWorkingDaysIsZeroWhenTheRangeIsReversed) {
    const auto calendar = autumn_2019();
    EXPECT_EQ(calendar.count_working_days(d("2019-10-13"), d("2019-09-28")), 0);
}

TEST(WorkingCalendar, WorkingDaysListsTheDaysInOrder) {
    const auto calendar = autumn_2019();
    EXPECT_TRUE(calendar.working_days(d("2019-10-01"), d("2019-10-07")).empty());
    EXPECT_EQ(isos(calendar.working_days(d("2019-09-28"), d("2019-10-13"))),
              (std::vector<std::string>{"2019-09-29", "2019-09-30", "2019-10-08", "2019-10-09",
                                        "2019-10-10", "2019-10-11", "2019-10-12"}));
}

TEST(WorkingCalendar, NthWorkingDayOfMonthCountsFromTheFirst) {
    const auto calendar = autumn_2019();
    EXPECT_EQ(calendar.nth_working_day_of_month(2019, 11, 1).iso(), "2019-11-01");  // Friday
    EXPECT_EQ(calendar.nth_working_day_of_month(2019, 11, 5).iso(), "2019-11-07");
    EXPECT_EQ(calendar.nth_working_day_of_month(2019, 10, 1).iso(), "2019-10-08");
    EXPECT_EQ(calendar.nth_working_day_of_month(2019, 10, 5).iso(), "2019-10-12");
    EXPECT_EQ(calendar.nth_working_day_of_month(2019, 9, 1).iso(), "2019-09-02");
}

TEST(WorkingCalendar, NthWorkingDayOfMonthThrowsWhenTheMonthHasFewer) {
    const auto calendar = autumn_2019();
    // October 2019: 18 weekdays from 10-08 to 10-31, plus Saturday 10-12 = 19.
    EXPECT_EQ(calendar.nth_working_day_of_month(2019, 10, 19).iso(), "2019-10-31");
    EXPECT_THROW(calendar.nth_working_day_of_month(2019, 10, 20), std::invalid_argument);
    EXPECT_THROW(calendar.nth_working_day_of_month(2019, 10, 0), std::invalid_argument);
}

TEST(WorkingCalendar, NthWorkingDayOfMonthNeverAnswersADayInAnotherYear) {
    const WorkingCalendar plain;  // plain weekends: 2021 has 261 working days
    // The 262nd working day counted from 2021-01-01 is Monday 2022-01-03:
    // January again, but not January 2021.
    EXPECT_THROW(plain.nth_working_day_of_month(2021, 1, 262), std::invalid_argument);
}

}  // namespace
