// rl::core::ReminderPlanner and rl::core::deliver_after_ms with the autumn 2019
// calendar built by hand (中秋节, 国庆节 2019-10-01..07, make-up working days
// 2019-09-29 and 2019-10-12) and the demo org chart: which reminders are due
// on a day, to whom, and under which dedupe key; when a message may go out.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/reminders.h"
#include "core/workflow.h"
#include "core_test_helpers.h"
#include "test_assertions.h"

namespace rl::core {
inline void PrintTo(ReminderRule rule, std::ostream* os) {
    *os << to_string(rule);
}
}  // namespace rl::core

namespace {

using rl::core::Date;
using rl::core::OpenObligation;
using rl::core::PersonRole;
using rl::core::QuietHours;
using rl::core::Recipient;
using rl::core::Reminder;
using rl::core::ReminderPlanner;
using rl::core::ReminderRule;
using rl::core::ReminderSettings;
using rl::core::ReportPosition;
using rl::core::ReportState;
using rl::core::Workflow;
using rl::core::WorkingCalendar;
using rl::test::has_text;
using rl::test::progress_report_approval;

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

// Epoch ms of a court time (UTC+8).
std::int64_t court_ms(int year, int month, int day, int hour = 0, int minute = 0) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    return (static_cast<std::int64_t>(timegm(&tm)) - 8 * 3600) * 1000;
}

// Task 33's 2019-10 obligation for 刑庭 (lead), due 2019-11-07, nothing drafted.
OpenObligation obligation(const std::string& department = "刑庭", std::int64_t id = 7,
                          const char* due = "2019-11-07") {
    OpenObligation o;
    o.id = id;
    o.plan_id = 1;
    o.task_number = "33";
    o.task_title = "制定审判流程标准";
    o.department = department;
    o.role = "lead";
    o.period = "2019-10";
    o.due = d(due);
    o.missed_periods = 0;
    return o;
}

ReportPosition in_approval(const std::string& step, const std::string& assignee = "") {
    ReportPosition p;
    p.exists = true;
    p.state = ReportState::in_approval;
    p.step = step;
    p.assignee = assignee;
    p.version = 2;
    return p;
}

class ReminderPlannerTest : public ::testing::Test {
protected:
    std::vector<Reminder> plan(const std::vector<OpenObligation>& open, const char* today) {
        const ReminderPlanner planner(settings_, calendar_, workflow_, chart_);
        return planner.plan(open, d(today));
    }
    std::vector<Reminder> plan(const OpenObligation& o, const char* today) {
        return plan(std::vector<OpenObligation>{o}, today);
    }

    static std::vector<Reminder> of_rule(const std::vector<Reminder>& all, ReminderRule rule) {
        std::vector<Reminder> out;
        std::copy_if(all.begin(), all.end(), std::back_inserter(out),
                     [&](const Reminder& r) { return r.rule == rule; });
        return out;
    }
    static std::set<std::string> recipients(const std::vector<Reminder>& rs) {
        std::set<std::string> out;
        for (const auto& r : rs) {
            out.insert(r.recipient.key());
        }
        return out;
    }
    // "person:ID" of everyone holding role for department in the demo org chart,
    // which must include the demo person named (the chart may gain more).
    std::set<std::string> holders(PersonRole role, const std::string& department,
                                  const std::string& known) const {
        std::set<std::string> out;
        for (const auto& p : chart_.people()) {
            if (rl::core::holds_role_for(p, role, department)) {
                out.insert("person:" + p.id);
            }
        }
        EXPECT_EQ(out.count("person:" + known), 1u) << known << " holds the role";
        return out;
    }
    std::set<std::string> accountability_recipients(const std::string& department) const {
        std::set<std::string> to =
            holders(PersonRole::supervision_office, department, "u-jianchashi-head");
        const auto presidents = holders(PersonRole::president, department, "u-president");
        to.insert(presidents.begin(), presidents.end());
        return to;
    }
    static std::set<ReminderRule> rules(const std::vector<Reminder>& rs) {
        std::set<ReminderRule> out;
        for (const auto& r : rs) {
            out.insert(r.rule);
        }
        return out;
    }

    ReminderSettings settings_;  // defaults: 3, 2, 3, 5, 2, 10, 3
    WorkingCalendar calendar_ = autumn_2019();
    Workflow workflow_ = progress_report_approval();
    rl::core::OrgChart chart_ = rl::test::demo_org_chart();
};

// ------------------------------------------------------------ before_due

TEST_F(ReminderPlannerTest, BeforeDueFiresWithinThreeWorkingDaysAndNotEarlier) {
    const OpenObligation o = obligation();  // due Thursday 2019-11-07
    // Friday 11-01: 11-04..07 are four working days ahead; the weekend adds none.
    EXPECT_TRUE(plan(o, "2019-10-31").empty());
    EXPECT_TRUE(plan(o, "2019-11-01").empty());
    EXPECT_TRUE(plan(o, "2019-11-02").empty());
    EXPECT_TRUE(plan(o, "2019-11-03").empty());
    for (const char* day : {"2019-11-04", "2019-11-05", "2019-11-06"}) {
        const auto rs = plan(o, day);
        ASSERT_EQ(rs.size(), 1u) << day;
        EXPECT_EQ(rs[0].rule, ReminderRule::before_due) << day;
        EXPECT_EQ(rs[0].recipient.kind, Recipient::Kind::department);
        EXPECT_EQ(rs[0].recipient.key(), "department:刑庭");
        EXPECT_EQ(rs[0].obligation_id, 7);
        EXPECT_EQ(rs[0].occurrence, "2019-11-07");
        EXPECT_TRUE(has_text(rs[0].line, {"任务33", "2019-11-07"}));
    }
    // The key is the same every day: the sweep sends it once.
    EXPECT_EQ(plan(o, "2019-11-04")[0].key(), plan(o, "2019-11-06")[0].key());
    EXPECT_TRUE(has_text(plan(o, "2019-11-04")[0].line, "剩余3个工作日"));
    EXPECT_TRUE(has_text(plan(o, "2019-11-06")[0].line, "剩余1个工作日"));
}

TEST_F(ReminderPlannerTest, BeforeDueCountsWorkingDaysAcrossTheNationalDayHolidays) {
    // Period 2019-09 is due on the make-up Saturday 2019-10-12 (5th working day of October).
    const OpenObligation o = obligation("刑庭", 8, "2019-10-12");
    // On 10-03 (a holiday) five working days are left (10-08..10-12): not within 3.
    EXPECT_TRUE(plan(o, "2019-10-03").empty());
    // On 10-09, 10-10/11/12 are left: within 3.
    const auto rs = plan(o, "2019-10-09");
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_EQ(rs[0].rule, ReminderRule::before_due);
    settings_.before_due_working_days = 5;
    const auto wide = plan(o, "2019-10-03");
    ASSERT_EQ(wide.size(), 1u);
    EXPECT_TRUE(has_text(wide[0].line, "剩余5个工作日"));
}

TEST_F(ReminderPlannerTest, BeforeDueWithZeroDaysNeverFiresBeforeTheDueDay) {
    settings_.before_due_working_days = 0;
    EXPECT_TRUE(plan(obligation(), "2019-11-06").empty());
    EXPECT_EQ(rules(plan(obligation(), "2019-11-07")),
              std::set<ReminderRule>{ReminderRule::due_today});
}

// ------------------------------------------------------------ due_today

TEST_F(ReminderPlannerTest, DueTodayFiresOnTheDueDateToTheDepartment) {
    const auto rs = plan(obligation(), "2019-11-07");
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_EQ(rs[0].rule, ReminderRule::due_today);
    EXPECT_EQ(rs[0].recipient.key(), "department:刑庭");
    EXPECT_EQ(rs[0].occurrence, "2019-11-07");
    EXPECT_TRUE(has_text(rs[0].line, "今日"));
    EXPECT_FALSE(rl::core::is_urgent(ReminderRule::due_today));
    EXPECT_FALSE(rl::core::is_urgent(ReminderRule::before_due));
    EXPECT_FALSE(rl::core::is_urgent(ReminderRule::approval_waiting));
}

TEST_F(ReminderPlannerTest, DueTodayOnAMakeUpWorkingSaturday) {
    const auto rs = plan(obligation("刑庭", 8, "2019-10-12"), "2019-10-12");
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_EQ(rs[0].rule, ReminderRule::due_today);
}

// ------------------------------------------------------------ overdue

TEST_F(ReminderPlannerTest, OverdueOccurrenceChangesEveryTwoWorkingDaysAndKeepsItsKeyWithinAStep) {
    const OpenObligation o = obligation();
    std::map<std::string, std::string> key_on;
    std::map<std::string, int> late_on;
    for (const char* day :
         {"2019-11-08", "2019-11-09", "2019-11-10", "2019-11-11", "2019-11-12", "2019-11-13"}) {
        const auto rs = of_rule(plan(o, day), ReminderRule::overdue);
        ASSERT_EQ(rs.size(), 1u) << day;
        EXPECT_EQ(rs[0].recipient.key(), "department:刑庭") << day;
        key_on[day] = rs[0].key();
        late_on[day] = rs[0].overdue_working_days;
    }
    EXPECT_EQ(late_on["2019-11-08"], 1);
    EXPECT_EQ(late_on["2019-11-09"], 1);  // Saturday: no working day passed
    EXPECT_EQ(late_on["2019-11-11"], 2);
    EXPECT_EQ(late_on["2019-11-13"], 4);
    // Working days 1 and 2 late: occurrence #0 (and the weekend in between).
    EXPECT_EQ(key_on["2019-11-08"], key_on["2019-11-09"]);
    EXPECT_EQ(key_on["2019-11-08"], key_on["2019-11-10"]);
    EXPECT_EQ(key_on["2019-11-08"], key_on["2019-11-11"]);
    // 3 and 4 late: #1, a new reminder.
    EXPECT_NE(key_on["2019-11-11"], key_on["2019-11-12"]);
    EXPECT_EQ(key_on["2019-11-12"], key_on["2019-11-13"]);
    EXPECT_TRUE(has_text(key_on["2019-11-08"], "#0"));
    EXPECT_TRUE(has_text(key_on["2019-11-12"], "#1"));
    EXPECT_TRUE(rl::core::is_urgent(ReminderRule::overdue));
}

TEST_F(ReminderPlannerTest, OverdueRepeatsEveryNWorkingDaysAsConfigured) {
    settings_.overdue_repeat_working_days = 1;
    const OpenObligation o = obligation();
    const auto k1 = of_rule(plan(o, "2019-11-08"), ReminderRule::overdue).at(0).key();
    const auto k1_weekend = of_rule(plan(o, "2019-11-10"), ReminderRule::overdue).at(0).key();
    const auto k2 = of_rule(plan(o, "2019-11-11"), ReminderRule::overdue).at(0).key();
    EXPECT_EQ(k1, k1_weekend);
    EXPECT_NE(k1, k2);
}

TEST_F(ReminderPlannerTest, SamePlanTwiceTheSameDayGivesTheSameKeys) {
    std::vector<OpenObligation> open = {obligation("刑庭", 1), obligation("民庭", 2)};
    open[1].missed_periods = 3;
    std::vector<std::string> first, second;
    for (const auto& r : plan(open, "2019-11-20")) {
        first.push_back(r.key());
    }
    for (const auto& r : plan(open, "2019-11-20")) {
        second.push_back(r.key());
    }
    EXPECT_FALSE(first.empty());
    EXPECT_EQ(first, second);
    EXPECT_EQ(std::set<std::string>(first.begin(), first.end()).size(), first.size())
        << "every reminder of a day has its own key";
}

TEST_F(ReminderPlannerTest, NoRemindersForAFiledReportOrOneInApprovalBeforeItsWait) {
    OpenObligation filed = obligation();
    filed.report = ReportPosition{};
    filed.report->exists = true;
    filed.report->state = ReportState::filed;
    filed.report->step = "reform_office";
    EXPECT_TRUE(plan(filed, "2019-11-20").empty());

    OpenObligation submitted = obligation();
    submitted.report = in_approval("department_head");
    submitted.step_since = d("2019-11-07");
    EXPECT_TRUE(plan(submitted, "2019-11-08").empty())
        << "a submitted report is not chased as overdue";
}

TEST_F(ReminderPlannerTest, ADraftOrAReportReturnedToDraftingIsStillChased) {
    OpenObligation drafted = obligation();
    drafted.report = ReportPosition{};
    drafted.report->exists = true;
    drafted.report->state = ReportState::draft;
    drafted.report->step = "draft";
    EXPECT_EQ(rules(plan(drafted, "2019-11-08")), std::set<ReminderRule>{ReminderRule::overdue});

    OpenObligation returned = drafted;
    returned.report->state = ReportState::returned;
    returned.report->resume_step = "reform_office";
    EXPECT_EQ(rules(plan(returned, "2019-11-08")), std::set<ReminderRule>{ReminderRule::overdue});
}

// ------------------------------------------------------------ approval_waiting

TEST_F(ReminderPlannerTest, ApprovalWaitingGoesToTheStepsApproversAfterThreeWorkingDays) {
    OpenObligation o = obligation();
    o.report = in_approval("department_head");
    o.step_since = d("2019-11-04");  // Monday
    EXPECT_TRUE(plan(o, "2019-11-05").empty());
    EXPECT_TRUE(plan(o, "2019-11-06").empty());  // 2 working days
    const auto rs = plan(o, "2019-11-07");       // 3 working days
    ASSERT_FALSE(rs.empty());
    EXPECT_EQ(rules(rs), std::set<ReminderRule>{ReminderRule::approval_waiting});
    EXPECT_EQ(rs[0].recipient.kind, Recipient::Kind::person);
    EXPECT_EQ(recipients(rs), holders(PersonRole::head, "刑庭", "u-xingting-head"));
    EXPECT_TRUE(has_text(rs[0].line, {"刑庭", "部门负责人审核", "3个工作日"}));
    // Still the same reminder until another 3 working days have passed.
    EXPECT_EQ(plan(o, "2019-11-08")[0].key(), rs[0].key());
    EXPECT_EQ(plan(o, "2019-11-11")[0].key(), rs[0].key());
    EXPECT_NE(plan(o, "2019-11-12")[0].key(), rs[0].key());
}

TEST_F(ReminderPlannerTest, ApprovalWaitingAtTheLeaderStepGoesToTheLeaderInCharge) {
    OpenObligation o = obligation("民庭");
    o.report = in_approval("leader_in_charge");
    o.step_since = d("2019-11-01");
    const auto rs = plan(o, "2019-11-06");
    EXPECT_EQ(recipients(rs), holders(PersonRole::leader_in_charge, "民庭", "u-vp-trial"));

    OpenObligation office = obligation("技术科");
    office.report = in_approval("reform_office");
    office.step_since = d("2019-11-01");
    EXPECT_EQ(recipients(plan(office, "2019-11-06")),
              holders(PersonRole::reform_office, "技术科", "u-sigaiban-head"));
}

TEST_F(ReminderPlannerTest, ApprovalWaitingGoesOnlyToTheAssigneeAfterHandOver) {
    OpenObligation o = obligation();
    o.report = in_approval("department_head", "u-xingting-contact");
    o.step_since = d("2019-11-04");
    const auto rs = plan(o, "2019-11-07");
    EXPECT_EQ(recipients(rs), std::set<std::string>{"person:u-xingting-contact"});
    const ReminderPlanner planner(settings_, calendar_, workflow_, chart_);
    EXPECT_EQ(planner.approvers(o), std::vector<std::string>{"u-xingting-contact"});
}

// The leader returned the report to the head (state "returned", at the
// department_head step): it now waits at an approval step for the head,
// exactly like a submitted report, and the head is reminded the same way.
TEST_F(ReminderPlannerTest, AReportReturnedToTheHeadStepWaitingThreeWorkingDaysRemindsTheHead) {
    OpenObligation o = obligation();
    o.report = ReportPosition{};
    o.report->exists = true;
    o.report->state = ReportState::returned;
    o.report->step = "department_head";
    o.report->resume_step = "leader_in_charge";
    o.report->previous_step = "leader_in_charge";
    o.report->entered_by = "u-vp-trial";
    o.report->version = 4;
    o.step_since = d("2019-11-04");
    const auto rs = plan(o, "2019-11-07");
    EXPECT_EQ(rules(rs), std::set<ReminderRule>{ReminderRule::approval_waiting});
    const auto heads = holders(PersonRole::head, "刑庭", "u-xingting-head");
    EXPECT_EQ(recipients(rs), heads);
    const ReminderPlanner planner(settings_, calendar_, workflow_, chart_);
    std::set<std::string> approvers;
    for (const auto& id : planner.approvers(o)) {
        approvers.insert("person:" + id);
    }
    EXPECT_EQ(approvers, heads);
}

TEST_F(ReminderPlannerTest, ApprovalWaitingSkipsTheNationalDayHolidays) {
    OpenObligation o = obligation("刑庭", 9, "2019-10-12");
    o.report = in_approval("department_head");
    o.step_since = d("2019-09-30");
    // 10-01..07 are holidays: by 10-09 only 10-08 and 10-09 have passed.
    EXPECT_TRUE(plan(o, "2019-10-07").empty());
    EXPECT_TRUE(plan(o, "2019-10-09").empty());
    EXPECT_EQ(rules(plan(o, "2019-10-10")), std::set<ReminderRule>{ReminderRule::approval_waiting});
}

// ------------------------------------------------------------ escalation

TEST_F(ReminderPlannerTest, EscalationToTheLeaderInChargeAfterFiveOverdueWorkingDays) {
    const OpenObligation o = obligation();  // 刑庭: u-vp-trial is in charge
    EXPECT_TRUE(of_rule(plan(o, "2019-11-13"), ReminderRule::escalation).empty());  // 4 late
    const auto rs = of_rule(plan(o, "2019-11-14"), ReminderRule::escalation);       // 5 late
    ASSERT_FALSE(rs.empty());
    EXPECT_EQ(recipients(rs), holders(PersonRole::leader_in_charge, "刑庭", "u-vp-trial"));
    EXPECT_EQ(rs[0].overdue_working_days, 5);
    EXPECT_EQ(rs[0].occurrence, "2019-10");
    EXPECT_TRUE(has_text(rs[0].line, {"刑庭", "任务33"}));
    EXPECT_TRUE(rl::core::is_urgent(ReminderRule::escalation));
    // The department is still chased as well.
    EXPECT_EQ(of_rule(plan(o, "2019-11-14"), ReminderRule::overdue).size(), 1u);
    // The escalation's key stays put while the obligation stays late.
    EXPECT_EQ(of_rule(plan(o, "2019-11-20"), ReminderRule::escalation).at(0).key(), rs[0].key());
}

TEST_F(ReminderPlannerTest, EscalationAfterTwoMissedPeriodsEvenWhenOnlyOneDayLate) {
    OpenObligation o = obligation("执行局");  // u-vp-enforcement
    o.missed_periods = 1;
    EXPECT_TRUE(of_rule(plan(o, "2019-11-08"), ReminderRule::escalation).empty());
    o.missed_periods = 2;
    const auto rs = of_rule(plan(o, "2019-11-08"), ReminderRule::escalation);
    EXPECT_EQ(recipients(rs), holders(PersonRole::leader_in_charge, "执行局", "u-vp-enforcement"));
    EXPECT_TRUE(has_text(rs.at(0).line, "累计未报2期"));
    EXPECT_TRUE(of_rule(plan(o, "2019-11-08"), ReminderRule::accountability).empty());
}

TEST_F(ReminderPlannerTest, NoEscalationBeforeTheDueDateWhateverWasMissedBefore) {
    OpenObligation o = obligation();
    o.missed_periods = 5;
    EXPECT_EQ(rules(plan(o, "2019-11-05")), std::set<ReminderRule>{ReminderRule::before_due});
    EXPECT_EQ(rules(plan(o, "2019-11-07")), std::set<ReminderRule>{ReminderRule::due_today});
}

// ------------------------------------------------------------ accountability

TEST_F(ReminderPlannerTest, AccountabilityGoesToTheSupervisionOfficeAndThePresident) {
    const OpenObligation o = obligation();
    // 5 + 10 = 15 working days late: 2019-11-28 (14 on 11-27).
    EXPECT_TRUE(of_rule(plan(o, "2019-11-27"), ReminderRule::accountability).empty());
    const auto rs = of_rule(plan(o, "2019-11-28"), ReminderRule::accountability);
    EXPECT_EQ(recipients(rs), accountability_recipients("刑庭"));
    for (const auto& r : rs) {
        EXPECT_EQ(r.overdue_working_days, 15);
        EXPECT_TRUE(has_text(r.line, {"刑庭", "约谈问责"}));
    }
    EXPECT_TRUE(rl::core::is_urgent(ReminderRule::accountability));
    // The leader is escalated to as well.
    EXPECT_EQ(recipients(of_rule(plan(o, "2019-11-28"), ReminderRule::escalation)),
              holders(PersonRole::leader_in_charge, "刑庭", "u-vp-trial"));
}

TEST_F(ReminderPlannerTest, AccountabilityAfterThreeMissedPeriods) {
    OpenObligation o = obligation("审管办");  // u-vp-management
    o.missed_periods = 3;
    const auto rs = plan(o, "2019-11-08");
    EXPECT_EQ(recipients(of_rule(rs, ReminderRule::accountability)),
              accountability_recipients("审管办"));
    EXPECT_EQ(recipients(of_rule(rs, ReminderRule::escalation)),
              holders(PersonRole::leader_in_charge, "审管办", "u-vp-management"));
    EXPECT_EQ(recipients(of_rule(rs, ReminderRule::overdue)),
              std::set<std::string>{"department:审管办"});
}

TEST_F(ReminderPlannerTest, RuleIdsAreTheRegisteredNotificationRules) {
    EXPECT_EQ(rl::core::rule_id(ReminderRule::before_due), "reform_ledger.rule.before_due");
    EXPECT_EQ(rl::core::rule_id(ReminderRule::accountability), "reform_ledger.rule.accountability");
}

// ------------------------------------------------------------ a task's own deadline

TEST_F(ReminderPlannerTest, ATasksDeadlineIsRemindedToEachLeadAndEscalatedToTheirLeaders) {
    rl::core::OpenTaskDeadline t;
    t.task_id = 12;
    t.plan_id = 1;
    t.number = "33";
    t.title = "制定审判流程标准";
    t.lead = {"刑庭", "执行局"};  // in the charge of two different leaders
    t.due = d("2019-10-09");      // Wednesday after the National Day holidays
    const ReminderPlanner planner(settings_, calendar_, workflow_, chart_);
    const auto on = [&](const char* today) { return planner.plan_tasks({t}, d(today)); };
    // 2019-09-27 (Fri): 09-29 (make-up Sunday), 09-30, 10-08, 10-09 are four
    // working days ahead — within the five of the rule; 09-25: six.
    EXPECT_TRUE(on("2019-09-25").empty());
    auto before = on("2019-09-27");
    EXPECT_EQ(rules(before), (std::set<ReminderRule>{ReminderRule::task_before_due}));
    EXPECT_EQ(recipients(before), (std::set<std::string>{"department:刑庭", "department:执行局"}));
    EXPECT_TRUE(has_text(before[0].line, "剩余4个工作日")) << before[0].line;
    EXPECT_EQ(rules(on("2019-10-09")), (std::set<ReminderRule>{ReminderRule::task_due_today}));
    // The 12th is a make-up working Saturday: 10-10, 10-11, 10-12 are three days late.
    const auto late3 = on("2019-10-12");
    EXPECT_EQ(rules(late3), (std::set<ReminderRule>{ReminderRule::task_overdue}));
    EXPECT_EQ(late3[0].key(), "task_overdue|12|department:刑庭|2019-10-09#0");
    EXPECT_TRUE(rl::core::is_urgent(ReminderRule::task_overdue));
    // 10-14: four days late, a new occurrence; 10-15: five — escalated, once
    // per leader, under a key that keeps to the deadline.
    EXPECT_EQ(on("2019-10-14")[0].key(), "task_overdue|12|department:刑庭|2019-10-09#1");
    const auto late5 = on("2019-10-15");
    std::set<std::string> leaders = holders(PersonRole::leader_in_charge, "刑庭", "u-vp-trial");
    const auto enforcement = holders(PersonRole::leader_in_charge, "执行局", "u-vp-enforcement");
    leaders.insert(enforcement.begin(), enforcement.end());
    EXPECT_EQ(recipients(of_rule(late5, ReminderRule::task_escalation)), leaders);
    EXPECT_EQ(of_rule(late5, ReminderRule::task_escalation).size(), leaders.size());
    EXPECT_EQ(of_rule(on("2019-10-21"), ReminderRule::task_escalation)[0].key(),
              of_rule(late5, ReminderRule::task_escalation)[0].key());
    // A new deadline (an approved extension) gives new keys.
    const std::string old_key = of_rule(on("2019-10-21"), ReminderRule::task_overdue)[0].key();
    t.due = d("2019-10-10");
    const std::string new_key = of_rule(on("2019-10-21"), ReminderRule::task_overdue)[0].key();
    EXPECT_NE(new_key, old_key);
    EXPECT_TRUE(has_text(new_key, "|2019-10-10#")) << new_key;
    EXPECT_EQ(rl::core::rule_id(ReminderRule::task_escalation),
              "reform_ledger.rule.task_escalation");
}

// ------------------------------------------------------------ closures and extensions in approval

// Task 33's closure application (办结申请) by 刑庭, at the department head's
// step since Thursday 2019-09-26. The closure workflow has the report
// workflow's steps and roles (plugin/definitions/workflows/task_closure_approval.json).
rl::core::PendingTaskApproval closure_at(const std::string& step, const char* since) {
    rl::core::PendingTaskApproval p;
    p.kind = rl::core::PendingTaskApproval::Kind::closure;
    p.id = 4;
    p.plan_id = 1;
    p.task_number = "33";
    p.task_title = "制定审判流程标准";
    p.department = "刑庭";
    p.step = step;
    p.since = d(since);
    return p;
}

TEST_F(ReminderPlannerTest, AClosureWaitingAtAStepRemindsWhoseTurnItIsThenTheReformOfficeOnce) {
    const ReminderPlanner planner(settings_, calendar_, workflow_, chart_);
    const auto on = [&](const rl::core::PendingTaskApproval& p, const char* today) {
        return planner.plan_task_approvals({p}, workflow_, d(today));
    };
    const auto p = closure_at("department_head", "2019-09-26");
    // 09-27 and the make-up Sunday 09-29: two working days waiting.
    EXPECT_TRUE(on(p, "2019-09-29").empty());
    // 09-30: three — the head of 刑庭 is reminded, not urgently.
    const auto three = on(p, "2019-09-30");
    EXPECT_EQ(rules(three), (std::set<ReminderRule>{ReminderRule::closure_waiting}));
    EXPECT_EQ(recipients(three), holders(PersonRole::head, "刑庭", "u-xingting-head"));
    EXPECT_FALSE(rl::core::is_urgent(ReminderRule::closure_waiting));
    EXPECT_EQ(three[0].key(),
              "closure_waiting|4|person:" + three[0].recipient.id + "|department_head@2019-09-26");
    EXPECT_TRUE(has_text(three[0].line, "任务33")) << three[0].line;
    EXPECT_TRUE(has_text(three[0].line, "等待3个工作日")) << three[0].line;
    // The National Day holidays add nothing; 10-08 is the fourth day, the
    // same reminder (once per step), no escalation yet.
    EXPECT_EQ(on(p, "2019-10-07")[0].key(), three[0].key());
    EXPECT_EQ(rules(on(p, "2019-10-08")), (std::set<ReminderRule>{ReminderRule::closure_waiting}));
    EXPECT_EQ(on(p, "2019-10-08")[0].key(), three[0].key());
    // 10-09: five — the reform office is told, urgently, once per step.
    const auto five = on(p, "2019-10-09");
    EXPECT_EQ(recipients(of_rule(five, ReminderRule::closure_escalation)),
              holders(PersonRole::reform_office, "刑庭", "u-sigaiban-head"));
    EXPECT_TRUE(rl::core::is_urgent(ReminderRule::closure_escalation));
    EXPECT_EQ(of_rule(on(p, "2019-10-21"), ReminderRule::closure_escalation)[0].key(),
              of_rule(five, ReminderRule::closure_escalation)[0].key());
    // At the next step (since 10-09) it starts afresh, with the leader in charge.
    const auto next = closure_at("leader_in_charge", "2019-10-09");
    EXPECT_TRUE(on(next, "2019-10-11").empty());
    const auto leader = on(next, "2019-10-12");  // the make-up Saturday is the third day
    EXPECT_EQ(recipients(leader), holders(PersonRole::leader_in_charge, "刑庭", "u-vp-trial"));
    EXPECT_NE(leader[0].key(), three[0].key());
    EXPECT_EQ(rl::core::rule_id(ReminderRule::closure_waiting),
              "reform_ledger.rule.closure_waiting");
}

TEST_F(ReminderPlannerTest, AClosureHandedOverRemindsTheAssigneeAndADraftIsNotChased) {
    const ReminderPlanner planner(settings_, calendar_, workflow_, chart_);
    auto p = closure_at("department_head", "2019-09-26");
    p.assignee = "u-xingting-deputy";
    const auto rs = planner.plan_task_approvals({p}, workflow_, d("2019-09-30"));
    EXPECT_EQ(recipients(rs), (std::set<std::string>{"person:u-xingting-deputy"}));
    // Returned to the department's draft step: the department's turn, not an approver's.
    EXPECT_TRUE(
        planner.plan_task_approvals({closure_at("draft", "2019-09-02")}, workflow_, d("2019-10-21"))
            .empty());
}

TEST_F(ReminderPlannerTest, AnExtensionRequestRemindsTheLeaderInChargeThenTheReformOffice) {
    ReminderSettings s = settings_;
    s.extension_waiting_working_days = 2;
    s.extension_escalation_working_days = 4;
    const ReminderPlanner planner(s, calendar_, workflow_, chart_);
    auto p = closure_at("requested", "2019-09-26");
    p.kind = rl::core::PendingTaskApproval::Kind::extension;
    p.id = 9;
    const auto on = [&](const rl::core::PendingTaskApproval& e, const char* today) {
        return planner.plan_task_approvals({e}, workflow_, d(today));
    };
    EXPECT_TRUE(on(p, "2019-09-27").empty());
    const auto two = on(p, "2019-09-29");
    EXPECT_EQ(rules(two), (std::set<ReminderRule>{ReminderRule::extension_waiting}));
    EXPECT_EQ(recipients(two), holders(PersonRole::leader_in_charge, "刑庭", "u-vp-trial"));
    EXPECT_EQ(two[0].key(), "extension_waiting|9|person:u-vp-trial|requested@2019-09-26");
    const auto four = on(p, "2019-10-08");
    EXPECT_EQ(recipients(of_rule(four, ReminderRule::extension_escalation)),
              holders(PersonRole::reform_office, "刑庭", "u-sigaiban-head"));
    // Endorsed on 10-08: the reform office's turn.
    p.step = "endorsed";
    p.since = d("2019-10-08");
    const auto endorsed = on(p, "2019-10-10");
    EXPECT_EQ(rules(endorsed), (std::set<ReminderRule>{ReminderRule::extension_waiting}));
    EXPECT_EQ(recipients(endorsed), holders(PersonRole::reform_office, "刑庭", "u-sigaiban-head"));
    EXPECT_TRUE(has_text(endorsed[0].key(), "|endorsed@2019-10-08")) << endorsed[0].key();
}

// ------------------------------------------------------------ deliver_after_ms

class DeliverAfter : public ::testing::Test {
protected:
    std::int64_t after(std::int64_t now, bool urgent = false) const {
        return rl::core::deliver_after_ms(now, urgent, quiet_, calendar_);
    }
    QuietHours quiet_;  // 20:00–08:00
    WorkingCalendar calendar_ = autumn_2019();
};

TEST_F(DeliverAfter, UrgentGoesNowEvenAtNightOnAHoliday) {
    const std::int64_t now = court_ms(2019, 10, 3, 23, 30);
    EXPECT_EQ(after(now, true), now);
}

TEST_F(DeliverAfter, AWorkingDayAtTenGoesNow) {
    const std::int64_t now = court_ms(2019, 11, 8, 10, 0);
    EXPECT_EQ(after(now), now);
    const std::int64_t eight = court_ms(2019, 11, 8, 8, 0);
    EXPECT_EQ(after(eight), eight) << "08:00 is the end of the quiet hours";
    const std::int64_t before_twenty = court_ms(2019, 11, 8, 19, 59);
    EXPECT_EQ(after(before_twenty), before_twenty);
}

TEST_F(DeliverAfter, TwentyTwoOClockWaitsForEightOnTheNextWorkingDay) {
    // Wednesday 22:00 → Thursday 08:00.
    EXPECT_EQ(after(court_ms(2019, 11, 6, 22, 0)), court_ms(2019, 11, 7, 8, 0));
    // Friday 22:00 → Monday 08:00.
    EXPECT_EQ(after(court_ms(2019, 11, 8, 22, 0)), court_ms(2019, 11, 11, 8, 0));
    // 20:00 exactly is quiet.
    EXPECT_EQ(after(court_ms(2019, 11, 6, 20, 0)), court_ms(2019, 11, 7, 8, 0));
}

TEST_F(DeliverAfter, EarlyMorningOfAWorkingDayWaitsForEightTheSameDay) {
    EXPECT_EQ(after(court_ms(2019, 11, 7, 6, 30)), court_ms(2019, 11, 7, 8, 0));
}

TEST_F(DeliverAfter, AHolidayWaitsForEightOnTheFirstWorkingDayAfterIt) {
    EXPECT_EQ(after(court_ms(2019, 10, 3, 10, 0)), court_ms(2019, 10, 8, 8, 0));
    EXPECT_EQ(after(court_ms(2019, 10, 1, 0, 30)), court_ms(2019, 10, 8, 8, 0));
    // The evening before the holidays too.
    EXPECT_EQ(after(court_ms(2019, 9, 30, 21, 0)), court_ms(2019, 10, 8, 8, 0));
}

TEST_F(DeliverAfter, TheMakeUpWorkingSaturdayIsAWorkingDay) {
    const std::int64_t now = court_ms(2019, 10, 12, 10, 0);
    EXPECT_EQ(after(now), now);
    // Friday night before it → Saturday 08:00.
    EXPECT_EQ(after(court_ms(2019, 10, 11, 22, 0)), court_ms(2019, 10, 12, 8, 0));
    // Saturday night after it → Monday 10-14 08:00.
    EXPECT_EQ(after(court_ms(2019, 10, 12, 21, 0)), court_ms(2019, 10, 14, 8, 0));
}

TEST_F(DeliverAfter, AnOrdinaryWeekendWaitsForMonday) {
    EXPECT_EQ(after(court_ms(2019, 11, 9, 10, 0)), court_ms(2019, 11, 11, 8, 0));
    // The make-up Sunday 2019-09-29 is a working day.
    const std::int64_t sunday = court_ms(2019, 9, 29, 10, 0);
    EXPECT_EQ(after(sunday), sunday);
}

TEST_F(DeliverAfter, QuietHoursWithinOneDay) {
    quiet_.start_minute = 12 * 60;
    quiet_.end_minute = 14 * 60;
    EXPECT_EQ(after(court_ms(2019, 11, 7, 12, 30)), court_ms(2019, 11, 7, 14, 0));
    const std::int64_t eleven = court_ms(2019, 11, 7, 11, 0);
    EXPECT_EQ(after(eleven), eleven);
}

}  // namespace
