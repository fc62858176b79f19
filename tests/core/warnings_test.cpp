// rl::core::task_warning and rl::core::department_warnings with the autumn
// 2019 calendar built by hand (国庆节 2019-10-01..07, make-up working days
// 2019-09-29 and 2019-10-12): every boundary of red, yellow and green, for a
// task and for the departments that lead it or co-operate on it.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/reporting.h"
#include "core/warnings.h"
#include "test_assertions.h"

namespace {

using rl::core::Colour;
using rl::core::Date;
using rl::core::ObligationStatus;
using rl::core::ReportDue;
using rl::core::TaskStanding;
using rl::core::TaskWarning;
using rl::core::Warning;
using rl::core::WarningThresholds;
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

TaskStanding task(std::optional<Date> deadline, bool settled = false) {
    TaskStanding t;
    t.task = "33";
    t.deadline = deadline;
    t.settled = settled;
    t.state = settled ? "已办结" : "";
    return t;
}

ReportDue report(const std::string& department, bool lead, const char* due,
                 ObligationStatus status) {
    ReportDue r;
    r.department = department;
    r.lead = lead;
    r.period = "2019-09";
    r.due = d(due);
    r.status = status;
    return r;
}

class TaskWarningTest : public ::testing::Test {
protected:
    Warning warn(const TaskStanding& t, const std::vector<ReportDue>& reports, const char* today) {
        return rl::core::task_warning(t, reports, d(today), calendar_, thresholds_);
    }
    WorkingCalendar calendar_ = autumn_2019();
    WarningThresholds thresholds_{3, 2};
};

TEST_F(TaskWarningTest, NoDeadlineAndNoReportsIsGreenWithoutReasons) {
    const Warning w = warn(task(std::nullopt), {}, "2019-09-30");
    EXPECT_EQ(w.colour, Colour::green);
    EXPECT_TRUE(w.reasons.empty());
}

TEST_F(TaskWarningTest, DeadlineTodayIsYellowWithNoWorkingDayLeft) {
    thresholds_.deadline_yellow_within = 0;
    const Warning w = warn(task(d("2019-09-30")), {}, "2019-09-30");
    EXPECT_EQ(w.colour, Colour::yellow);
    ASSERT_EQ(w.reasons.size(), 1u);
    EXPECT_EQ(w.reasons[0].rule, "deadline_near");
    EXPECT_EQ(w.reasons[0].working_days, 0);
}

TEST_F(TaskWarningTest, DeadlineYellowCountsWorkingDaysAcrossTheNationalDayHolidays) {
    // From Monday 09-30, 10-08 (Tuesday after the holidays) is one working day away.
    thresholds_.deadline_yellow_within = 1;
    Warning w = warn(task(d("2019-10-08")), {}, "2019-09-30");
    EXPECT_EQ(w.colour, Colour::yellow);
    EXPECT_EQ(w.reasons.at(0).working_days, 1);
    EXPECT_TRUE(rl::test::has_text(w.reasons[0].text, {"2019-10-08", "还剩1个工作日"}));
    thresholds_.deadline_yellow_within = 0;
    EXPECT_EQ(warn(task(d("2019-10-08")), {}, "2019-09-30").colour, Colour::green);
}

TEST_F(TaskWarningTest, DeadlineOneWorkingDayBeyondTheThresholdIsGreen) {
    // From Monday 09-23 (N = 3): 09-26 is the third working day, 09-27 the fourth.
    EXPECT_EQ(warn(task(d("2019-09-26")), {}, "2019-09-23").colour, Colour::yellow);
    EXPECT_EQ(warn(task(d("2019-09-27")), {}, "2019-09-23").colour, Colour::green);
}

TEST_F(TaskWarningTest, DeadlinePassedIsRedTheDayAfterWithItsWorkingDaysLate) {
    Warning w = warn(task(d("2019-09-30")), {}, "2019-10-01");
    EXPECT_EQ(w.colour, Colour::red);
    EXPECT_EQ(w.reasons.at(0).rule, "deadline_passed");
    EXPECT_EQ(w.reasons[0].working_days, 0);  // 10-01 is a holiday: late, but no working day yet
    w = warn(task(d("2019-09-30")), {}, "2019-10-08");
    EXPECT_EQ(w.reasons.at(0).working_days, 1);
    EXPECT_TRUE(rl::test::has_text(w.reasons[0].text, {"2019-09-30", "逾期1个工作日"}));
}

TEST_F(TaskWarningTest, ASettledTaskIsGreenWhateverIsLate) {
    const Warning w =
        warn(task(d("2019-09-01"), true),
             {report("刑庭", true, "2019-09-06", ObligationStatus::overdue)}, "2019-10-08");
    EXPECT_EQ(w.colour, Colour::green);
    ASSERT_EQ(w.reasons.size(), 1u);
    EXPECT_EQ(w.reasons[0].rule, "settled");
    EXPECT_TRUE(rl::test::has_text(w.reasons[0].text, "已办结"));
}

TEST_F(TaskWarningTest, AnOverdueReportIsRedWithItsDepartmentAndWorkingDaysLate) {
    const Warning w =
        warn(task(std::nullopt), {report("民庭", false, "2019-09-30", ObligationStatus::overdue)},
             "2019-10-09");
    EXPECT_EQ(w.colour, Colour::red);
    ASSERT_EQ(w.reasons.size(), 1u);
    EXPECT_EQ(w.reasons[0].rule, "report_overdue");
    EXPECT_EQ(w.reasons[0].department, "民庭");
    EXPECT_EQ(w.reasons[0].working_days, 2);  // 10-08, 10-09
    EXPECT_TRUE(rl::test::has_text(w.reasons[0].text, {"民庭（配合）", "逾期2个工作日"}));
}

TEST_F(TaskWarningTest, AReportNotSubmittedTurnsYellowAtTheReportThreshold) {
    // M = 2; from Monday 09-23: due 09-25 leaves 2 working days, 09-26 leaves 3.
    for (auto status : {ObligationStatus::not_started, ObligationStatus::draft}) {
        Warning w =
            warn(task(std::nullopt), {report("刑庭", true, "2019-09-25", status)}, "2019-09-23");
        EXPECT_EQ(w.colour, Colour::yellow) << rl::core::to_string(status);
        EXPECT_EQ(w.reasons.at(0).rule, "report_due_soon");
        EXPECT_EQ(w.reasons[0].working_days, 2);
        EXPECT_EQ(
            warn(task(std::nullopt), {report("刑庭", true, "2019-09-26", status)}, "2019-09-23")
                .colour,
            Colour::green);
    }
}

TEST_F(TaskWarningTest, SubmittedFiledOrWaivedReportsRaiseNothingEvenPastDue) {
    for (auto status :
         {ObligationStatus::in_approval, ObligationStatus::filed, ObligationStatus::waived}) {
        const Warning w =
            warn(task(std::nullopt), {report("刑庭", true, "2019-09-24", status)}, "2019-09-30");
        EXPECT_EQ(w.colour, Colour::green) << rl::core::to_string(status);
        EXPECT_TRUE(w.reasons.empty());
    }
}

TEST_F(TaskWarningTest, AReturnedReportIsYellowHoweverFarItsDueDate) {
    const Warning w =
        warn(task(std::nullopt), {report("刑庭", true, "2019-10-31", ObligationStatus::returned)},
             "2019-09-23");
    EXPECT_EQ(w.colour, Colour::yellow);
    EXPECT_EQ(w.reasons.at(0).rule, "report_returned");
    EXPECT_TRUE(rl::test::has_text(w.reasons[0].text, "被退回"));
}

TEST_F(TaskWarningTest, RedOutranksYellowAndRedReasonsComeFirst) {
    const Warning w = warn(task(d("2019-09-25")),
                           {report("刑庭", true, "2019-10-31", ObligationStatus::returned),
                            report("民庭", false, "2019-09-20", ObligationStatus::overdue)},
                           "2019-09-23");
    EXPECT_EQ(w.colour, Colour::red);
    ASSERT_EQ(w.reasons.size(), 3u);
    EXPECT_EQ(w.reasons[0].rule, "report_overdue");
    EXPECT_EQ(w.reasons[1].rule, "deadline_near");
    EXPECT_EQ(w.reasons[2].rule, "report_returned");
}

TEST(DepartmentWarnings, TheLeadAnswersForTheTaskAndCoOperatorsOnlyForTheirOwnReports) {
    const WorkingCalendar calendar = autumn_2019();
    const WarningThresholds thresholds{3, 2};
    // Task 33: deadline passed, 民庭 (co) overdue. Task 2: 技术科 (co) returned.
    TaskWarning t33{"33", {"刑庭"}, {}};
    t33.warning = rl::core::task_warning(
        task(d("2019-09-20")), {report("民庭", false, "2019-09-06", ObligationStatus::overdue)},
        d("2019-09-23"), calendar, thresholds);
    TaskWarning t2{"2", {"干部科"}, {}};
    t2.warning = rl::core::task_warning(
        task(std::nullopt), {report("技术科", false, "2019-10-31", ObligationStatus::returned)},
        d("2019-09-23"), calendar, thresholds);
    TaskWarning t5{"5", {"审管办"}, {}};
    t5.warning = rl::core::task_warning(task(d("2019-09-01"), true), {}, d("2019-09-23"), calendar,
                                        thresholds);
    const auto by = rl::core::department_warnings({t33, t2, t5}, {"刑庭", "立案庭", "审管办"});
    EXPECT_EQ(by.at("刑庭").colour, Colour::red);
    EXPECT_EQ(by.at("刑庭").reasons.size(), 2u);  // its deadline and 民庭's report
    EXPECT_EQ(by.at("民庭").colour, Colour::red);
    ASSERT_EQ(by.at("民庭").reasons.size(), 1u);  // not the task's deadline
    EXPECT_EQ(by.at("民庭").reasons[0].rule, "report_overdue");
    EXPECT_EQ(by.at("民庭").reasons[0].task, "33");
    EXPECT_EQ(by.at("干部科").colour, Colour::yellow);
    EXPECT_EQ(by.at("技术科").colour, Colour::yellow);
    EXPECT_EQ(by.at("立案庭").colour, Colour::green);  // named, nothing against it
    EXPECT_TRUE(by.at("立案庭").reasons.empty());
    EXPECT_EQ(by.at("审管办").colour, Colour::green);  // its task is settled
    EXPECT_TRUE(by.at("审管办").reasons.empty());
}

TEST(DepartmentWarnings, ReasonsComeRedFirstAndInTheTasksOrderWithinAColour) {
    const WorkingCalendar calendar = autumn_2019();
    const WarningThresholds thresholds{3, 2};
    const auto led = [&](const char* number, std::vector<ReportDue> reports) {
        TaskWarning t{number, {"刑庭"}, {}};
        TaskStanding standing = task(std::nullopt);
        standing.task = number;
        t.warning =
            rl::core::task_warning(standing, reports, d("2019-09-23"), calendar, thresholds);
        return t;
    };
    // Yellow, red, yellow, red and yellow again, task by task.
    const auto by = rl::core::department_warnings(
        {led("1", {report("刑庭", true, "2019-10-31", ObligationStatus::returned)}),
         led("2", {report("刑庭", true, "2019-09-06", ObligationStatus::overdue)}),
         led("3", {report("民庭", false, "2019-10-31", ObligationStatus::returned)}),
         led("4", {report("民庭", false, "2019-09-10", ObligationStatus::overdue),
                   report("刑庭", true, "2019-09-11", ObligationStatus::overdue)}),
         led("5", {report("刑庭", true, "2019-09-24", ObligationStatus::not_started)})},
        {"刑庭"});
    const Warning& w = by.at("刑庭");
    EXPECT_EQ(w.colour, Colour::red);
    std::vector<std::string> seen;
    for (const auto& r : w.reasons) {
        seen.push_back(r.task + ":" + r.department + ":" + rl::core::to_string(r.colour));
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"2:刑庭:red", "4:民庭:red", "4:刑庭:red",
                                              "1:刑庭:yellow", "3:民庭:yellow", "5:刑庭:yellow"}));
}

}  // namespace
