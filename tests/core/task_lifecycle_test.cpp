// A task's life (rl::core task_lifecycle): every stage change allowed and
// refused, who may make which change with the demo org chart, the state people
// see, overdue working days by the court calendar, and the two-step extension
// approval.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/task_lifecycle.h"
#include "core_test_helpers.h"
#include "test_assertions.h"

namespace {

using rl::core::Date;
using rl::core::ExtensionState;
using rl::core::TaskChange;
using rl::core::TaskStage;
using rl::core::TaskState;
using rl::core::Verdict;
using rl::test::has_text;

const std::vector<std::string> kLead = {"刑庭"};

Date d(const char* iso) {
    return *Date::parse(iso);
}

const rl::core::OrgChart& chart() {
    static const rl::core::OrgChart c = rl::test::demo_org_chart();
    return c;
}

const rl::core::Person* person(const std::string& id) {
    return chart().person(id);
}

constexpr TaskStage kStages[] = {TaskStage::open, TaskStage::closure_requested, TaskStage::closed,
                                 TaskStage::struck, TaskStage::cancelled};

struct Expected {
    TaskChange change;
    std::vector<TaskStage> from;  // the stages that allow it
    TaskStage to_or_same;         // open stands for "stays where it was" for set/assign/extension
    bool stays;
};

TEST(TaskLifecycle, EveryStageChangeIsAllowedFromExactlyItsStagesAndRefusedFromTheRest) {
    const std::vector<Expected> table = {
        {TaskChange::submit_closure, {TaskStage::open}, TaskStage::closure_requested, false},
        {TaskChange::recall_closure, {TaskStage::closure_requested}, TaskStage::open, false},
        {TaskChange::close, {TaskStage::closure_requested}, TaskStage::closed, false},
        {TaskChange::strike, {TaskStage::closed}, TaskStage::struck, false},
        {TaskChange::reopen, {TaskStage::closed, TaskStage::struck}, TaskStage::open, false},
        {TaskChange::cancel, {TaskStage::open}, TaskStage::cancelled, false},
        {TaskChange::set_deadline,
         {TaskStage::open, TaskStage::closure_requested},
         TaskStage::open,
         true},
        {TaskChange::assign,
         {TaskStage::open, TaskStage::closure_requested},
         TaskStage::open,
         true},
        {TaskChange::request_extension, {TaskStage::open}, TaskStage::open, true},
    };
    for (const auto& e : table) {
        for (TaskStage from : kStages) {
            const auto decision = rl::core::decide_stage(from, e.change);
            const bool allowed = std::find(e.from.begin(), e.from.end(), from) != e.from.end();
            SCOPED_TRACE(std::string(to_string(e.change)) + " from " + to_string(from));
            if (allowed) {
                EXPECT_EQ(decision.verdict, Verdict::allowed);
                EXPECT_EQ(decision.next, e.stays ? from : e.to_or_same);
            } else {
                EXPECT_EQ(decision.verdict, Verdict::invalid);
                EXPECT_TRUE(has_text(decision.message, to_string(from)));
            }
        }
    }
}

TEST(TaskLifecycle, OpenTasksAreNotStartedUntilAReportIsSubmitted) {
    EXPECT_EQ(rl::core::task_state(TaskStage::open, false), TaskState::not_started);
    EXPECT_EQ(rl::core::task_state(TaskStage::open, true), TaskState::in_progress);
    EXPECT_EQ(rl::core::task_state(TaskStage::closure_requested, true),
              TaskState::closure_requested);
    EXPECT_EQ(rl::core::task_state(TaskStage::closed, false), TaskState::closed);
    EXPECT_EQ(rl::core::task_state(TaskStage::struck, true), TaskState::struck);
    EXPECT_EQ(rl::core::task_state(TaskStage::cancelled, false), TaskState::cancelled);
    EXPECT_STREQ(rl::core::label_of(TaskState::not_started), "未启动");
    EXPECT_STREQ(rl::core::label_of(TaskState::in_progress), "推进中");
    EXPECT_STREQ(rl::core::label_of(TaskState::closure_requested), "申请办结");
    EXPECT_STREQ(rl::core::label_of(TaskState::closed), "已办结");
    EXPECT_STREQ(rl::core::label_of(TaskState::struck), "已销号");
    EXPECT_STREQ(rl::core::label_of(TaskState::cancelled), "已撤消");
    for (TaskStage s : kStages) {
        EXPECT_EQ(rl::core::task_stage_from_string(to_string(s)), s);
    }
    EXPECT_FALSE(rl::core::task_stage_from_string("in_progress"));
}

TEST(TaskLifecycle, OverdueCountsTheCourtsWorkingDaysAfterTheDeadline) {
    rl::core::WorkingCalendar calendar;
    // 2020-10-01..08 national holiday, 2020-10-10 (Saturday) a make-up working day.
    calendar.add_year(2020, {{"国庆节、中秋节", d("2020-10-01"), d("2020-10-08")}},
                      {d("2020-09-27"), d("2020-10-10")});
    // Deadline Wednesday 30 September; today Monday 12 October: 9, 10 (make-up), 12.
    auto t =
        rl::core::task_timing(TaskStage::open, true, d("2020-09-30"), d("2020-10-12"), calendar);
    EXPECT_TRUE(t.overdue);
    EXPECT_EQ(t.overdue_working_days, 3);
    EXPECT_EQ(t.state, TaskState::in_progress);
    EXPECT_EQ(t.effective_deadline, d("2020-09-30"));

    // On the deadline itself: not overdue, nothing left after today.
    t = rl::core::task_timing(TaskStage::open, false, d("2020-09-30"), d("2020-09-30"), calendar);
    EXPECT_FALSE(t.overdue);
    EXPECT_EQ(t.working_days_left, 0);
    // Before it: the working days from tomorrow to the deadline.
    t = rl::core::task_timing(TaskStage::open, false, d("2020-10-09"), d("2020-09-28"), calendar);
    EXPECT_FALSE(t.overdue);
    EXPECT_EQ(t.working_days_left, 3);  // 29, 30 September, 9 October

    // Finished tasks, and tasks without a deadline, are never overdue.
    for (TaskStage s : {TaskStage::closed, TaskStage::struck, TaskStage::cancelled}) {
        EXPECT_FALSE(
            rl::core::task_timing(s, true, d("2020-09-30"), d("2020-10-12"), calendar).overdue);
    }
    EXPECT_FALSE(
        rl::core::task_timing(TaskStage::open, true, std::nullopt, d("2020-10-12"), calendar)
            .overdue);
    // Applying for closure does not stop the clock.
    EXPECT_TRUE(rl::core::task_timing(TaskStage::closure_requested, true, d("2020-09-30"),
                                      d("2020-10-12"), calendar)
                    .overdue);
}

TEST(TaskLifecycle, OnlyTheReformOfficeSetsDeadlinesStrikesReopensCancelsAndAssigns) {
    for (TaskChange change : {TaskChange::set_deadline, TaskChange::cancel, TaskChange::assign}) {
        SCOPED_TRACE(to_string(change));
        for (const char* who : {"u-xingting-contact", "u-xingting-head", "u-vp-trial"}) {
            const auto refused =
                rl::core::decide_change(TaskStage::open, change, person(who), kLead, "原因");
            EXPECT_EQ(refused.verdict, Verdict::not_permitted) << who;
            EXPECT_TRUE(has_text(refused.message, "reform office"));
        }
        EXPECT_EQ(rl::core::decide_change(TaskStage::open, change, person("u-sigaiban-contact"),
                                          kLead, "原因")
                      .verdict,
                  Verdict::allowed);
    }
    EXPECT_EQ(rl::core::decide_change(TaskStage::closed, TaskChange::strike,
                                      person("u-xingting-head"), kLead, "原因")
                  .verdict,
              Verdict::not_permitted);
    EXPECT_EQ(rl::core::decide_change(TaskStage::closed, TaskChange::strike,
                                      person("u-sigaiban-head"), kLead, "已完成")
                  .next,
              TaskStage::struck);
    EXPECT_EQ(rl::core::decide_change(TaskStage::struck, TaskChange::reopen,
                                      person("u-sigaiban-head"), kLead, "需继续推进")
                  .next,
              TaskStage::open);
    // Unknown or inactive actors are refused before anything else.
    EXPECT_EQ(
        rl::core::decide_change(TaskStage::open, TaskChange::cancel, nullptr, kLead, "x").verdict,
        Verdict::not_permitted);
}

TEST(TaskLifecycle, DeadlinesStrikesReopensAndCancellationsNeedAReasonAssignmentsDoNot) {
    for (TaskChange change : {TaskChange::set_deadline, TaskChange::cancel}) {
        const auto d1 = rl::core::decide_change(TaskStage::open, change, person("u-sigaiban-head"),
                                                kLead, "  ");
        EXPECT_EQ(d1.verdict, Verdict::invalid);
        EXPECT_TRUE(has_text(d1.message, "reason"));
    }
    EXPECT_EQ(rl::core::decide_change(TaskStage::closed, TaskChange::strike,
                                      person("u-sigaiban-head"), kLead, "")
                  .verdict,
              Verdict::invalid);
    EXPECT_EQ(rl::core::decide_change(TaskStage::closed, TaskChange::reopen,
                                      person("u-sigaiban-head"), kLead, "")
                  .verdict,
              Verdict::invalid);
    EXPECT_EQ(rl::core::decide_change(TaskStage::open, TaskChange::assign,
                                      person("u-sigaiban-head"), kLead, "")
                  .verdict,
              Verdict::allowed);
    // The right person in the wrong stage is refused by the stage.
    const auto late = rl::core::decide_change(TaskStage::cancelled, TaskChange::set_deadline,
                                              person("u-sigaiban-head"), kLead, "调整");
    EXPECT_EQ(late.verdict, Verdict::invalid);
    EXPECT_TRUE(has_text(late.message, "cancelled"));
    // Closing goes through the closure workflow, never decide_change.
    EXPECT_EQ(rl::core::decide_change(TaskStage::closure_requested, TaskChange::close,
                                      person("u-sigaiban-head"), kLead, "x")
                  .verdict,
              Verdict::invalid);
}

TEST(TaskLifecycle, OnlyALeadDepartmentAsksForMoreTimeWithAReason) {
    EXPECT_EQ(rl::core::decide_change(TaskStage::open, TaskChange::request_extension,
                                      person("u-xingting-contact"), kLead, "需要调研")
                  .verdict,
              Verdict::allowed);
    EXPECT_EQ(rl::core::decide_change(TaskStage::open, TaskChange::request_extension,
                                      person("u-xingting-head"), kLead, "需要调研")
                  .verdict,
              Verdict::allowed);
    EXPECT_EQ(rl::core::decide_change(TaskStage::open, TaskChange::request_extension,
                                      person("u-xingting-contact"), {"民庭"}, "需要调研")
                  .verdict,
              Verdict::not_permitted);
    EXPECT_EQ(rl::core::decide_change(TaskStage::open, TaskChange::request_extension,
                                      person("u-xingting-contact"), kLead, "")
                  .verdict,
              Verdict::invalid);
    EXPECT_EQ(rl::core::decide_change(TaskStage::closed, TaskChange::request_extension,
                                      person("u-xingting-contact"), kLead, "需要调研")
                  .verdict,
              Verdict::invalid);
}

TEST(TaskLifecycle, ExtensionsAreEndorsedByTheLeaderInChargeThenApprovedByTheReformOffice) {
    using rl::core::decide_extension;
    // The reform office cannot skip the leader in charge.
    auto x = decide_extension(ExtensionState::requested, "approve", person("u-sigaiban-head"),
                              "刑庭", "");
    EXPECT_EQ(x.verdict, Verdict::not_permitted);
    EXPECT_TRUE(has_text(x.message, "leader in charge"));
    x = decide_extension(ExtensionState::requested, "approve", person("u-vp-trial"), "刑庭", "");
    EXPECT_EQ(x.verdict, Verdict::allowed);
    EXPECT_EQ(x.next, ExtensionState::endorsed);
    EXPECT_EQ(x.role, "leader_in_charge");
    // The leader cannot also give the final approval.
    x = decide_extension(ExtensionState::endorsed, "approve", person("u-vp-trial"), "刑庭", "");
    EXPECT_EQ(x.verdict, Verdict::not_permitted);
    x = decide_extension(ExtensionState::endorsed, "approve", person("u-sigaiban-head"), "刑庭",
                         "");
    EXPECT_EQ(x.next, ExtensionState::approved);
    // Refusals at either step need a reason and end the request.
    x = decide_extension(ExtensionState::requested, "refuse", person("u-vp-trial"), "刑庭", "");
    EXPECT_EQ(x.verdict, Verdict::invalid);
    x = decide_extension(ExtensionState::requested, "refuse", person("u-vp-trial"), "刑庭",
                         "理由不充分");
    EXPECT_EQ(x.next, ExtensionState::refused);
    x = decide_extension(ExtensionState::endorsed, "refuse", person("u-sigaiban-head"), "刑庭",
                         "不符合要求");
    EXPECT_EQ(x.next, ExtensionState::refused);
    for (ExtensionState done : {ExtensionState::approved, ExtensionState::refused}) {
        x = decide_extension(done, "approve", person("u-sigaiban-head"), "刑庭", "");
        EXPECT_EQ(x.verdict, Verdict::invalid);
        EXPECT_TRUE(has_text(x.message, "already"));
    }
    EXPECT_EQ(decide_extension(ExtensionState::requested, "grant", person("u-vp-trial"), "刑庭", "")
                  .verdict,
              Verdict::invalid);
    // The department's own people do not decide their request.
    EXPECT_EQ(decide_extension(ExtensionState::requested, "approve", person("u-xingting-head"),
                               "刑庭", "")
                  .verdict,
              Verdict::not_permitted);
}

TEST(TaskLifecycle, ANewDeadlineMustLieAfterTodayAndTheCurrentOne) {
    EXPECT_EQ(rl::core::check_new_deadline(d("2020-12-31"), d("2020-06-30"), d("2020-06-01")), "");
    EXPECT_TRUE(
        has_text(rl::core::check_new_deadline(d("2020-06-30"), d("2020-06-30"), d("2020-06-01")),
                 "not after the current one"));
    EXPECT_TRUE(
        has_text(rl::core::check_new_deadline(d("2020-05-01"), std::nullopt, d("2020-06-01")),
                 "not after today"));
    EXPECT_EQ(rl::core::check_new_deadline(d("2020-07-01"), std::nullopt, d("2020-06-01")), "");
}

}  // namespace
