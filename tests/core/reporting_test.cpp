// rl::core::Period and rl::core::ReportingPolicy: which period a report
// covers, when it is due (the n-th working day of the month after the period,
// counted with the working-day calendar), and which cycle a task follows.
#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "core/calendar.h"
#include "core/reporting.h"

namespace {

using rl::core::Cycle;
using rl::core::Date;
using rl::core::ObligationStatus;
using rl::core::Period;
using rl::core::ReportingPolicy;
using rl::core::WorkingCalendar;

Date d(const char* iso) {
    const auto parsed = Date::parse(iso);
    if (!parsed) {
        throw std::runtime_error(std::string("test date does not parse: ") + iso);
    }
    return *parsed;
}

Period p(const char* text) {
    const auto parsed = Period::parse(text);
    if (!parsed) {
        throw std::runtime_error(std::string("test period does not parse: ") + text);
    }
    return *parsed;
}

// 2019 as the State Council notice set it, from September on.
WorkingCalendar autumn_2019() {
    WorkingCalendar calendar;
    calendar.add_year(2019,
                      {{"中秋节", d("2019-09-13"), d("2019-09-15")},
                       {"国庆节", d("2019-10-01"), d("2019-10-07")}},
                      {d("2019-09-29"), d("2019-10-12")});
    return calendar;
}

// --- Cycle ----------------------------------------------------------------------

TEST(Cycle, NamesRoundTrip) {
    EXPECT_STREQ(rl::core::to_string(Cycle::monthly), "monthly");
    EXPECT_STREQ(rl::core::to_string(Cycle::quarterly), "quarterly");
    EXPECT_EQ(rl::core::cycle_from_string("monthly"), Cycle::monthly);
    EXPECT_EQ(rl::core::cycle_from_string("quarterly"), Cycle::quarterly);
    EXPECT_EQ(rl::core::cycle_from_string("Monthly"), std::nullopt);
    EXPECT_EQ(rl::core::cycle_from_string("yearly"), std::nullopt);
}

// --- Period -----------------------------------------------------------------------

TEST(Period, ParsesAMonth) {
    const auto period = Period::parse("2019-10");
    ASSERT_TRUE(period.has_value());
    EXPECT_EQ(period->cycle, Cycle::monthly);
    EXPECT_EQ(period->year, 2019);
    EXPECT_EQ(period->index, 10);
    EXPECT_EQ(period->key(), "2019-10");
}

TEST(Period, ParsesAQuarter) {
    const auto period = Period::parse("2019-Q4");
    ASSERT_TRUE(period.has_value());
    EXPECT_EQ(period->cycle, Cycle::quarterly);
    EXPECT_EQ(period->year, 2019);
    EXPECT_EQ(period->index, 4);
    EXPECT_EQ(period->key(), "2019-Q4");
}

TEST(Period, RejectsAMonthOutsideOneToTwelve) {
    EXPECT_FALSE(Period::parse("2019-13").has_value());
    EXPECT_FALSE(Period::parse("2019-00").has_value());
}

TEST(Period, RejectsAQuarterOutsideOneToFour) {
    EXPECT_FALSE(Period::parse("2019-Q5").has_value());
    EXPECT_FALSE(Period::parse("2019-Q0").has_value());
}

TEST(Period, RejectsOtherShapes) {
    for (const char* text : {"2019-1", "2019-010", "2019/10", "2019-q4", "2019-QX", "19-10",
                             "2019-Q44", "", "2019-1a", "+019-10"}) {
        EXPECT_FALSE(Period::parse(text).has_value()) << "'" << text << "'";
    }
}

TEST(Period, KeyIsZeroPadded) {
    EXPECT_EQ((Period{Cycle::monthly, 2019, 3}).key(), "2019-03");
    EXPECT_EQ((Period{Cycle::quarterly, 2019, 1}).key(), "2019-Q1");
}

TEST(Period, FirstAndLastDayOfAMonth) {
    EXPECT_EQ(p("2019-10").first_day().iso(), "2019-10-01");
    EXPECT_EQ(p("2019-10").last_day().iso(), "2019-10-31");
    EXPECT_EQ(p("2019-11").last_day().iso(), "2019-11-30");
    EXPECT_EQ(p("2019-02").last_day().iso(), "2019-02-28");
    EXPECT_EQ(p("2020-02").last_day().iso(), "2020-02-29");
    EXPECT_EQ(p("2019-12").last_day().iso(), "2019-12-31");
}

TEST(Period, FirstAndLastDayOfAQuarter) {
    EXPECT_EQ(p("2019-Q1").first_day().iso(), "2019-01-01");
    EXPECT_EQ(p("2019-Q1").last_day().iso(), "2019-03-31");
    EXPECT_EQ(p("2019-Q3").first_day().iso(), "2019-07-01");
    EXPECT_EQ(p("2019-Q3").last_day().iso(), "2019-09-30");
    EXPECT_EQ(p("2019-Q4").first_day().iso(), "2019-10-01");
    EXPECT_EQ(p("2019-Q4").last_day().iso(), "2019-12-31");
    EXPECT_EQ(p("2019-Q4").last_month(), 12);
    EXPECT_EQ(p("2019-11").last_month(), 11);
}

TEST(Period, PreviousCrossesTheYear) {
    EXPECT_EQ(p("2019-01").previous().key(), "2018-12");
    EXPECT_EQ(p("2019-10").previous().key(), "2019-09");
    EXPECT_EQ(p("2019-Q1").previous().key(), "2018-Q4");
    EXPECT_EQ(p("2019-Q4").previous().key(), "2019-Q3");
}

TEST(Period, NextCrossesTheYear) {
    EXPECT_EQ(p("2019-12").next().key(), "2020-01");
    EXPECT_EQ(p("2019-Q4").next().key(), "2020-Q1");
    EXPECT_EQ(p("2019-02").next().key(), "2019-03");
}

TEST(Period, ContainingFindsThePeriodOfADate) {
    EXPECT_EQ(Period::containing(Cycle::quarterly, d("2019-11-15")).key(), "2019-Q4");
    EXPECT_EQ(Period::containing(Cycle::quarterly, d("2019-09-30")).key(), "2019-Q3");
    EXPECT_EQ(Period::containing(Cycle::quarterly, d("2019-01-01")).key(), "2019-Q1");
    EXPECT_EQ(Period::containing(Cycle::monthly, d("2019-11-15")).key(), "2019-11");
    EXPECT_EQ(Period::containing(Cycle::monthly, d("2019-12-31")).key(), "2019-12");
}

TEST(Period, EqualityComparesCycleYearAndIndex) {
    EXPECT_TRUE(p("2019-10") == (Period{Cycle::monthly, 2019, 10}));
    EXPECT_FALSE(p("2019-04") == p("2019-Q4"));
    EXPECT_FALSE(p("2019-10") == p("2018-10"));
}

// --- ReportingPolicy ------------------------------------------------------------------

TEST(ReportingPolicy, DefaultIsMonthlyDueOnTheFifthWorkingDay) {
    const ReportingPolicy policy;
    EXPECT_EQ(policy.default_cycle, Cycle::monthly);
    EXPECT_EQ(policy.due_working_day, 5);
    EXPECT_EQ(policy.cycle_for("any plan", "1"), Cycle::monthly);
}

TEST(ReportingPolicy, DueDateIsTheFifthWorkingDayOfTheNextMonth) {
    const ReportingPolicy policy;
    const auto calendar = autumn_2019();
    // November 2019: Fri 1, Mon 4, Tue 5, Wed 6, Thu 7.
    EXPECT_EQ(policy.due_date(p("2019-10"), calendar).iso(), "2019-11-07");
}

TEST(ReportingPolicy, DueDateSkipsTheNationalDayHolidayAndCountsTheMakeUpSaturday) {
    const ReportingPolicy policy;
    const auto calendar = autumn_2019();
    // October 2019: 8, 9, 10, 11, and Saturday 12 (调休上班).
    EXPECT_EQ(policy.due_date(p("2019-09"), calendar).iso(), "2019-10-12");
}

TEST(ReportingPolicy, QuarterIsDueLikeItsLastMonth) {
    const ReportingPolicy policy;
    const auto calendar = autumn_2019();
    EXPECT_EQ(policy.due_date(p("2019-Q3"), calendar), policy.due_date(p("2019-09"), calendar));
    EXPECT_EQ(policy.due_date(p("2019-Q3"), calendar).iso(), "2019-10-12");
}

TEST(ReportingPolicy, DueWorkingDayIsConfigurable) {
    ReportingPolicy policy;
    policy.due_working_day = 1;
    const auto calendar = autumn_2019();
    EXPECT_EQ(policy.due_date(p("2019-09"), calendar).iso(), "2019-10-08");
    policy.due_working_day = 10;
    // October 2019: 8, 9, 10, 11, 12, 14, 15, 16, 17, 18.
    EXPECT_EQ(policy.due_date(p("2019-09"), calendar).iso(), "2019-10-18");
}

TEST(ReportingPolicy, DecemberIsDueInJanuaryOfTheNextYear) {
    const ReportingPolicy policy;
    const WorkingCalendar plain;  // 2020 without data: plain weekends
    // January 2020: Wed 1, Thu 2, Fri 3, Mon 6, Tue 7.
    EXPECT_EQ(policy.due_date(p("2019-12"), plain).iso(), "2020-01-07");
    EXPECT_EQ(policy.due_date(p("2019-Q4"), plain).iso(), "2020-01-07");
}

TEST(ReportingPolicy, MonthlyTaskHasAPeriodInEveryMonth) {
    const ReportingPolicy policy;
    for (int month = 1; month <= 12; ++month) {
        const auto period = policy.period_in_month(Cycle::monthly, 2019, month);
        ASSERT_TRUE(period.has_value()) << month;
        EXPECT_EQ(*period, (Period{Cycle::monthly, 2019, month})) << month;
    }
}

TEST(ReportingPolicy, QuarterlyTaskHasAPeriodOnlyInAQuartersLastMonth) {
    const ReportingPolicy policy;
    for (int month = 1; month <= 12; ++month) {
        const auto period = policy.period_in_month(Cycle::quarterly, 2019, month);
        if (month % 3 == 0) {
            ASSERT_TRUE(period.has_value()) << month;
            EXPECT_EQ(*period, (Period{Cycle::quarterly, 2019, month / 3})) << month;
        } else {
            EXPECT_FALSE(period.has_value()) << month;
        }
    }
    EXPECT_EQ(policy.period_in_month(Cycle::quarterly, 2019, 12)->key(), "2019-Q4");
}

TEST(ReportingPolicy, CycleForPrefersTaskOverPlanOverDefault) {
    ReportingPolicy policy;
    policy.plan_cycles["plan-a"] = Cycle::quarterly;
    policy.task_cycles["7"] = Cycle::monthly;
    policy.task_cycles["8"] = Cycle::quarterly;
    EXPECT_EQ(policy.cycle_for("plan-a", "7"), Cycle::monthly);    // task over plan
    EXPECT_EQ(policy.cycle_for("plan-a", "1"), Cycle::quarterly);  // plan over default
    EXPECT_EQ(policy.cycle_for("plan-b", "8"), Cycle::quarterly);  // task over default
    EXPECT_EQ(policy.cycle_for("plan-b", "1"), Cycle::monthly);    // default
    policy.default_cycle = Cycle::quarterly;
    EXPECT_EQ(policy.cycle_for("plan-b", "1"), Cycle::quarterly);
}

TEST(ReportingMonth, IsTheMonthThatEndedBeforeToday) {
    EXPECT_EQ(rl::core::reporting_month(d("2019-11-04")).key(), "2019-10");
    EXPECT_EQ(rl::core::reporting_month(d("2019-11-30")).key(), "2019-10");
    EXPECT_EQ(rl::core::reporting_month(d("2019-01-15")).key(), "2018-12");
    EXPECT_EQ(rl::core::reporting_month(d("2019-03-01")).key(), "2019-02");
    EXPECT_EQ(rl::core::reporting_month(d("2019-11-04")).cycle, Cycle::monthly);
}

TEST(ObligationStatus, NamesAreTheLedgersStatusKeys) {
    EXPECT_STREQ(rl::core::to_string(ObligationStatus::not_started), "not_started");
    EXPECT_STREQ(rl::core::to_string(ObligationStatus::draft), "draft");
    EXPECT_STREQ(rl::core::to_string(ObligationStatus::in_approval), "in_approval");
    EXPECT_STREQ(rl::core::to_string(ObligationStatus::returned), "returned");
    EXPECT_STREQ(rl::core::to_string(ObligationStatus::filed), "filed");
    EXPECT_STREQ(rl::core::to_string(ObligationStatus::overdue), "overdue");
    EXPECT_STREQ(rl::core::to_string(ObligationStatus::waived), "waived");
}

}  // namespace
