// rl::core::tally and rl::core::rank_departments with the autumn 2019 calendar
// built by hand (国庆节 2019-10-01..07): which reports count, on time or late
// by how many working days, the weights, and ties in the ranked table.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/scores.h"

namespace {

using rl::core::Date;
using rl::core::DepartmentRecord;
using rl::core::DepartmentScore;
using rl::core::ReportRecord;
using rl::core::ScoreWeights;
using rl::core::WorkingCalendar;

Date d(const char* iso) {
    return *Date::parse(iso);
}

WorkingCalendar autumn_2019() {
    WorkingCalendar calendar;
    calendar.add_year(2019,
                      {{"中秋节", d("2019-09-13"), d("2019-09-15")},
                       {"国庆节", d("2019-10-01"), d("2019-10-07")}},
                      {d("2019-09-29"), d("2019-10-12")});
    return calendar;
}

ReportRecord due(const char* date, std::optional<const char*> submitted = std::nullopt) {
    ReportRecord r;
    r.department = "刑庭";
    r.due = d(date);
    if (submitted) {
        r.first_submitted = d(*submitted);
    }
    return r;
}

DepartmentRecord tallied(const std::vector<ReportRecord>& reports, const char* today) {
    DepartmentRecord record;
    record.department = "刑庭";
    const WorkingCalendar calendar = autumn_2019();
    for (const auto& r : reports) {
        rl::core::tally(record, r, d(today), calendar);
    }
    return record;
}

TEST(Tally, SubmittedOnTheDueDateIsOnTime) {
    const auto r = tallied({due("2019-09-30", "2019-09-30")}, "2019-10-08");
    EXPECT_EQ(r.reports_due, 1);
    EXPECT_EQ(r.reports_on_time, 1);
    EXPECT_EQ(r.overdue_working_days, 0);
}

TEST(Tally, SubmittedAfterTheHolidaysIsLateByWorkingDaysOnly) {
    // Due Monday 09-30, submitted Wednesday 10-09: 10-08 and 10-09.
    const auto r = tallied({due("2019-09-30", "2019-10-09")}, "2019-10-10");
    EXPECT_EQ(r.reports_due, 1);
    EXPECT_EQ(r.reports_on_time, 0);
    EXPECT_EQ(r.overdue_working_days, 2);
}

TEST(Tally, NotSubmittedCountsLateUntilTodayFromTheDayAfterItsDueDate) {
    EXPECT_EQ(tallied({due("2019-09-30")}, "2019-09-30").reports_due, 0);  // due today: not yet
    const auto r = tallied({due("2019-09-30")}, "2019-10-08");
    EXPECT_EQ(r.reports_due, 1);
    EXPECT_EQ(r.reports_on_time, 0);
    EXPECT_EQ(r.overdue_working_days, 1);
}

TEST(Tally, SubmittedBeforeItIsDueCountsAsOnTime) {
    const auto r = tallied({due("2019-10-31", "2019-10-09")}, "2019-10-10");
    EXPECT_EQ(r.reports_due, 1);
    EXPECT_EQ(r.reports_on_time, 1);
}

TEST(Tally, WaivedReportsAreNotDueButTheirUrgesAndReturnsCount) {
    ReportRecord r = due("2019-09-06");
    r.waived = true;
    r.urges = 2;
    r.returns = 1;
    const auto record = tallied({r}, "2019-10-08");
    EXPECT_EQ(record.reports_due, 0);
    EXPECT_EQ(record.overdue_working_days, 0);
    EXPECT_EQ(record.urges, 2);
    EXPECT_EQ(record.returns, 1);
}

DepartmentRecord record(const std::string& name, int due, int on_time, int late_days = 0,
                        int urges = 0, int notices = 0, int returns = 0) {
    DepartmentRecord r;
    r.department = name;
    r.reports_due = due;
    r.reports_on_time = on_time;
    r.overdue_working_days = late_days;
    r.urges = urges;
    r.supervision_notices = notices;
    r.returns = returns;
    return r;
}

TEST(RankDepartments, EachWeightTakesItsPartAndTheScoreIsTheirSum) {
    const ScoreWeights weights;  // 40, 1, 2, 5, 2, 5
    const auto table = rl::core::rank_departments({record("刑庭", 4, 3, 3, 1, 1, 2)}, weights);
    ASSERT_EQ(table.size(), 1u);
    const DepartmentScore& s = table[0];
    ASSERT_TRUE(s.on_time_rate.has_value());
    EXPECT_DOUBLE_EQ(*s.on_time_rate, 0.75);
    EXPECT_DOUBLE_EQ(s.points.on_time_rate, -10);
    EXPECT_DOUBLE_EQ(s.points.overdue_working_days, -3);
    EXPECT_DOUBLE_EQ(s.points.urges, -2);
    EXPECT_DOUBLE_EQ(s.points.supervision_notices, -5);
    EXPECT_DOUBLE_EQ(s.points.returns, -4);
    EXPECT_DOUBLE_EQ(s.points.closed_on_time, 0);
    EXPECT_DOUBLE_EQ(s.score, 76);
    EXPECT_EQ(s.rank, 1);
}

TEST(RankDepartments, NoReportDueMeansNoRateAndNoDeduction) {
    const auto table = rl::core::rank_departments({record("技术科", 0, 0)}, ScoreWeights{});
    EXPECT_FALSE(table.at(0).on_time_rate.has_value());
    EXPECT_DOUBLE_EQ(table[0].score, 100);
}

TEST(RankDepartments, ClosedOnTimeAddsOnlyWhenTheLedgerRecordsClosure) {
    DepartmentRecord r = record("刑庭", 1, 1);
    EXPECT_DOUBLE_EQ(rl::core::rank_departments({r}, ScoreWeights{}).at(0).score, 100);
    r.tasks_closed_on_time = 2;
    EXPECT_DOUBLE_EQ(rl::core::rank_departments({r}, ScoreWeights{}).at(0).score, 110);
}

TEST(RankDepartments, TheScoreIsNotClampedAtZero) {
    const auto table =
        rl::core::rank_departments({record("刑庭", 1, 0, 70)}, ScoreWeights{});  // -40 -70
    EXPECT_DOUBLE_EQ(table.at(0).score, -10);
}

TEST(RankDepartments, EqualScoresShareARankListedByNameAndTheNextRankSkips) {
    ScoreWeights weights;
    weights.on_time_rate = 30;
    weights.urge = 1.5;
    const auto table =
        rl::core::rank_departments({record("民庭", 2, 1), record("刑庭", 2, 2, 0, 10),
                                    record("立案庭", 2, 1), record("技术科", 2, 2)},
                                   weights);
    ASSERT_EQ(table.size(), 4u);
    EXPECT_EQ(table[0].record.department, "技术科");
    EXPECT_EQ(table[0].rank, 1);
    EXPECT_TRUE(table[0].tied_with.empty());
    // 民庭 and 立案庭 lose 15 each; 刑庭 loses 15 for urges: three at 85.
    EXPECT_DOUBLE_EQ(table[1].score, 85);
    EXPECT_EQ(table[1].rank, 2);
    EXPECT_EQ(table[2].rank, 2);
    EXPECT_EQ(table[3].rank, 2);
    // By name (UTF-8 byte order) among equals.
    EXPECT_LT(table[1].record.department, table[2].record.department);
    EXPECT_LT(table[2].record.department, table[3].record.department);
    EXPECT_EQ(table[1].tied_with.size(), 2u);
}

TEST(RankDepartments, ScoresAreRoundedToTwoDecimalsBeforeTheyAreCompared) {
    ScoreWeights weights;
    weights.on_time_rate = 10;
    // 1/3 and 2/6 late: both lose 3.333… → 96.67, one rank.
    const auto table =
        rl::core::rank_departments({record("甲", 3, 2), record("乙", 6, 4)}, weights);
    EXPECT_DOUBLE_EQ(table.at(0).score, 96.67);
    EXPECT_EQ(table[0].rank, table[1].rank);
}

}  // namespace
