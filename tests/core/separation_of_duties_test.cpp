// The separation of duties (四眼原则) and the org chart of now, decided by
// rl::core::WorkflowEngine on reports of 刑庭 with the demo org chart: nobody
// acts at two steps of one report — themselves, for someone (代办) or by
// hand-over (转交); hand-overs and acting-for follow the org chart as it is
// now (inactive people, people who changed department or role); people may
// hold roles in several departments; and who may read which department's
// reports.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/org_chart.h"
#include "core/workflow.h"
#include "core_test_helpers.h"
#include "test_assertions.h"

namespace {

using rl::core::ActionInput;
using rl::core::Decision;
using rl::core::kSeparationOfDuties;
using rl::core::OrgChart;
using rl::core::Person;
using rl::core::PersonRole;
using rl::core::Position;
using rl::core::ReportPosition;
using rl::core::ReportState;
using rl::core::Verdict;
using rl::core::Workflow;
using rl::core::WorkflowEngine;
using rl::test::has_text;

const std::string kDept = "刑庭";
const std::string kContact = "u-xingting-contact";
const std::string kHead = "u-xingting-head";
const std::string kDeputy = "u-xingting-deputy";
const std::string kLeader = "u-vp-trial";
const std::string kOffice = "u-sigaiban-head";
const std::string kOffice2 = "u-sigaiban-contact";

ActionInput act(const std::string& action, const std::string& actor,
                const std::string& acting_for = "") {
    ActionInput in;
    in.action = action;
    in.actor = actor;
    in.acting_for = acting_for;
    return in;
}

ActionInput hand_over(const std::string& actor, const std::string& to) {
    ActionInput in = act("hand_over", actor);
    in.hand_over_to = to;
    return in;
}

ActionInput returning(const std::string& actor, const std::string& target) {
    ActionInput in = act("return", actor);
    in.target_step = target;
    in.reason = "请补充佐证材料";
    return in;
}

// The demo org chart, with people edited or added before it is built.
OrgChart chart_with(const std::vector<Person>& extra,
                    const std::vector<std::pair<std::string, bool>>& active = {}) {
    const OrgChart demo = rl::test::demo_org_chart();
    OrgChart chart;
    chart.demo = true;
    for (const auto& d : demo.departments()) {
        chart.add_department(d);
    }
    for (const auto& g : demo.groups()) {
        chart.add_group(g);
    }
    for (Person p : demo.people()) {
        for (const auto& [id, on] : active) {
            if (p.id == id) {
                p.active = on;
            }
        }
        chart.add_person(p);
    }
    for (const auto& p : extra) {
        chart.add_person(p);
    }
    return chart;
}

class SeparationTest : public ::testing::Test {
protected:
    Workflow workflow = rl::test::progress_report_approval();

    Decision decide(const OrgChart& chart, const ReportPosition& from, ActionInput in,
                    bool separation = true) const {
        if (from.exists && !in.expected_version) {
            in.expected_version = from.version;
        }
        return WorkflowEngine(workflow, chart, separation).decide(from, kDept, in);
    }
    ReportPosition advance(const OrgChart& chart, const ReportPosition& from,
                           const ActionInput& in) const {
        const Decision d = decide(chart, from, in);
        EXPECT_EQ(d.verdict, Verdict::allowed)
            << in.action << " by " << in.actor << " at '" << from.step << "': " << d.message;
        return d.next;
    }
    // Drafted and submitted by the contact: waiting for the head.
    ReportPosition at_head(const OrgChart& chart) const {
        return advance(chart, advance(chart, ReportPosition{}, act("save_draft", kContact)),
                       act("submit", kContact));
    }

    static void expect_separation_refusal(const Decision& d, const std::string& who) {
        EXPECT_EQ(d.verdict, Verdict::not_permitted) << d.message;
        EXPECT_EQ(d.rule, kSeparationOfDuties);
        EXPECT_TRUE(has_text(d.message, {"separation of duties", "四眼原则", who})) << d.message;
    }

    OrgChart demo = rl::test::demo_org_chart();
};

// --- who acted where is recorded -------------------------------------------------------

TEST_F(SeparationTest, EveryActionRecordsItsActorAtItsStepOnce) {
    ReportPosition p = advance(demo, ReportPosition{}, act("save_draft", kContact));
    p = advance(demo, p, act("save_draft", kContact));
    p = advance(demo, p, act("submit", kContact));
    p = advance(demo, p, act("approve", kOffice, kHead));  // 代办: the actor is recorded
    const std::vector<rl::core::StepActor> expected = {{"draft", kContact},
                                                       {"department_head", kOffice}};
    EXPECT_EQ(p.step_actors, expected);
}

TEST_F(SeparationTest, AWithdrawIsAnActOfTheStepTheReportComesBackTo) {
    ReportPosition p = advance(demo, at_head(demo), act("approve", kHead));
    p = advance(demo, p, act("withdraw", kHead));
    ASSERT_EQ(p.step, "department_head");
    EXPECT_EQ(p.step_actors.back().step, "department_head");
    EXPECT_EQ(p.step_actors.back().person, kHead);
    EXPECT_EQ(p.step_actors.size(), 2u);
}

// --- the three ways a report was approved by its own author ----------------------------

TEST_F(SeparationTest, AHandOverToTheSubmittingContactIsRefused) {
    // The contact holds no head role: a hand-over goes only to a holder of the step's role.
    const Decision d = decide(demo, at_head(demo), hand_over(kHead, kContact));
    EXPECT_NE(d.verdict, Verdict::allowed);
    EXPECT_TRUE(has_text(d.message, {kContact, "head of 刑庭"})) << d.message;
}

TEST_F(SeparationTest, AHandOverToADeputyWhoSubmittedIsRefusedByTheRule) {
    // A clerk who holds both roles of 刑庭 drafted and submitted this report.
    const OrgChart chart = chart_with({Person{"u-xingting-clerk",
                                              "演示·刑庭书记员",
                                              "刑庭",
                                              {PersonRole::contact, PersonRole::head},
                                              {},
                                              {},
                                              true}});
    ReportPosition p = advance(chart, ReportPosition{}, act("save_draft", "u-xingting-clerk"));
    p = advance(chart, p, act("submit", "u-xingting-clerk"));
    const Decision d = decide(chart, p, hand_over(kHead, "u-xingting-clerk"));
    expect_separation_refusal(d, "u-xingting-clerk");
    // And the clerk cannot approve it either, hand-over or not.
    expect_separation_refusal(decide(chart, p, act("approve", "u-xingting-clerk")),
                              "u-xingting-clerk");
}

TEST_F(SeparationTest, AHeadWhoSubmittedForTheContactMayNotApproveAsHead) {
    ReportPosition p = advance(demo, ReportPosition{}, act("save_draft", kContact));
    p = advance(demo, p, act("submit", kHead, kContact));
    ASSERT_EQ(p.step, "department_head");
    expect_separation_refusal(decide(demo, p, act("approve", kHead)), kHead);
    // The deputy head, who did not take part, may.
    EXPECT_EQ(decide(demo, p, act("approve", kDeputy)).verdict, Verdict::allowed);
}

TEST_F(SeparationTest, OneReformOfficePersonCannotCarryAReportAlone) {
    ReportPosition p = advance(demo, ReportPosition{}, act("save_draft", kOffice, kContact));
    p = advance(demo, p, act("submit", kOffice, kContact));
    expect_separation_refusal(decide(demo, p, act("approve", kOffice, kHead)), kOffice);
    // Others take the steps; the drafting office member still may not file.
    p = advance(demo, p, act("approve", kHead));
    p = advance(demo, p, act("approve", kLeader));
    expect_separation_refusal(decide(demo, p, act("file", kOffice)), kOffice);
    EXPECT_EQ(decide(demo, p, act("file", kOffice2)).verdict, Verdict::allowed);
}

TEST_F(SeparationTest, ActingForTheSubmitterAtALaterStepIsRefused) {
    // A head who is also the contact drafts; another acts for them as head.
    const OrgChart chart = chart_with({Person{"u-xingting-both",
                                              "演示·刑庭负责人兼联系人",
                                              "刑庭",
                                              {PersonRole::contact, PersonRole::head},
                                              {},
                                              {},
                                              true}});
    ReportPosition p = advance(chart, ReportPosition{}, act("save_draft", "u-xingting-both"));
    p = advance(chart, p, act("submit", "u-xingting-both"));
    expect_separation_refusal(decide(chart, p, act("approve", kOffice, "u-xingting-both")),
                              "u-xingting-both");
    expect_separation_refusal(decide(chart, p, act("approve", "u-xingting-both")),
                              "u-xingting-both");
    EXPECT_EQ(decide(chart, p, act("approve", kHead)).verdict, Verdict::allowed);
}

TEST_F(SeparationTest, AReturnDoesNotStartAFreshCycle) {
    // The head approved; the leader returns it to the drafter; the head may
    // not now resubmit it for the contact, since it would skip to the leader
    // with only the head's own approval behind it.
    ReportPosition p = advance(demo, at_head(demo), act("approve", kHead));
    p = advance(demo, p, returning(kLeader, "draft"));
    expect_separation_refusal(decide(demo, p, act("submit", kHead, kContact)), kHead);
    EXPECT_EQ(decide(demo, p, act("submit", kContact)).verdict, Verdict::allowed);
}

TEST_F(SeparationTest, ActingAgainAtTheSameStepIsAllowed) {
    // The leader returns it to the head; the same head approves again.
    ReportPosition p = advance(demo, at_head(demo), act("approve", kHead));
    p = advance(demo, p, returning(kLeader, "department_head"));
    EXPECT_EQ(decide(demo, p, act("approve", kHead)).verdict, Verdict::allowed);
    // The office returns it to the leader, who approves again.
    p = advance(demo, advance(demo, p, act("approve", kHead)), act("approve", kLeader));
    p = advance(demo, p, returning(kOffice, "leader_in_charge"));
    EXPECT_EQ(decide(demo, p, act("approve", kLeader)).verdict, Verdict::allowed);
}

TEST_F(SeparationTest, TurnedOffTheOldBehaviourComesBack) {
    ReportPosition p = advance(demo, ReportPosition{}, act("save_draft", kContact));
    p = advance(demo, p, act("submit", kHead, kContact));
    const Decision d = decide(demo, p, act("approve", kHead), /*separation=*/false);
    EXPECT_EQ(d.verdict, Verdict::allowed) << d.message;
    EXPECT_TRUE(d.rule.empty());
}

// --- the org chart of now --------------------------------------------------------------

TEST_F(SeparationTest, AHandOverLapsesWhenTheAssigneeMovesToAnotherDepartment) {
    const ReportPosition handed = advance(demo, at_head(demo), hand_over(kHead, kDeputy));
    ASSERT_EQ(handed.assignee, kDeputy);
    // The deputy moves to 民庭.
    OrgChart moved;
    {
        const OrgChart base = rl::test::demo_org_chart();
        for (const auto& d : base.departments()) {
            moved.add_department(d);
        }
        for (Person p : base.people()) {
            if (p.id == kDeputy) {
                p.department = "民庭";
            }
            moved.add_person(p);
        }
    }
    const WorkflowEngine engine(workflow, moved);
    const auto why = engine.lapsed_hand_over(handed, kDept);
    ASSERT_TRUE(why.has_value());
    EXPECT_TRUE(has_text(*why, {kDeputy, "head of 刑庭"})) << *why;
    const Decision deputy = decide(moved, handed, act("approve", kDeputy));
    EXPECT_EQ(deputy.verdict, Verdict::not_permitted) << deputy.message;
    // The step's role holders may act again.
    EXPECT_EQ(decide(moved, handed, act("approve", kHead)).verdict, Verdict::allowed);
    // In the chart it was made under, it still binds.
    EXPECT_FALSE(WorkflowEngine(workflow, demo).lapsed_hand_over(handed, kDept).has_value());
}

TEST_F(SeparationTest, AnInactivePersonCanNeitherActNorReceiveAHandOverNorBeActedFor) {
    const OrgChart chart = chart_with({}, {{kDeputy, false}, {kContact, false}});
    ReportPosition p = advance(demo, at_head(demo), hand_over(kHead, kDeputy));
    const Decision acting = decide(chart, p, act("approve", kDeputy));
    EXPECT_EQ(acting.verdict, Verdict::not_permitted);
    EXPECT_TRUE(has_text(acting.message, {kDeputy, "inactive"})) << acting.message;
    EXPECT_TRUE(WorkflowEngine(workflow, chart).lapsed_hand_over(p, kDept).has_value());

    const Decision receiving = decide(chart, at_head(demo), hand_over(kHead, kDeputy));
    EXPECT_NE(receiving.verdict, Verdict::allowed);
    EXPECT_TRUE(has_text(receiving.message, {kDeputy, "inactive"})) << receiving.message;

    const ReportPosition drafted =
        advance(demo, ReportPosition{}, act("save_draft", "u-xingting-deputy", kContact));
    const Decision for_inactive = decide(chart, drafted, act("submit", kOffice, kContact));
    EXPECT_EQ(for_inactive.verdict, Verdict::not_permitted) << for_inactive.message;
}

TEST_F(SeparationTest, AHeadMayActOnlyForMembersOfTheReportsDepartment) {
    // The 民庭 head acting for the 刑庭 contact on a 刑庭 report.
    ReportPosition p = advance(demo, ReportPosition{}, act("save_draft", kContact));
    const Decision d = decide(demo, p, act("submit", "u-minting-head", kContact));
    EXPECT_EQ(d.verdict, Verdict::not_permitted);
    EXPECT_TRUE(has_text(d.message, {"u-minting-head", kContact, "刑庭"})) << d.message;
}

// --- roles in several departments ------------------------------------------------------

TEST_F(SeparationTest, APersonMayHoldRolesInSeveralDepartments) {
    // Head of 民庭 and also the contact of 刑庭.
    Person both{"u-minting-head2",
                "演示·民庭负责人兼刑庭联系人",
                "民庭",
                {PersonRole::head},
                {},
                {Position{"刑庭", {PersonRole::contact}}},
                true};
    const OrgChart chart = chart_with({both});
    const Person& p = *chart.person("u-minting-head2");
    EXPECT_TRUE(rl::core::holds_role_for(p, PersonRole::head, "民庭"));
    EXPECT_TRUE(rl::core::holds_role_for(p, PersonRole::contact, "刑庭"));
    EXPECT_FALSE(rl::core::holds_role_for(p, PersonRole::head, "刑庭"));
    EXPECT_FALSE(rl::core::holds_role_for(p, PersonRole::contact, "民庭"));
    // Drafts and submits the 刑庭 report …
    ReportPosition r = advance(chart, ReportPosition{}, act("save_draft", "u-minting-head2"));
    r = advance(chart, r, act("submit", "u-minting-head2"));
    EXPECT_EQ(r.step, "department_head");
    // … which the 刑庭 head approves, not they.
    EXPECT_EQ(decide(chart, r, act("approve", "u-minting-head2")).verdict, Verdict::not_permitted);
    EXPECT_EQ(decide(chart, r, act("approve", kHead)).verdict, Verdict::allowed);
}

TEST_F(SeparationTest, APositionMustNameADepartmentAndOnlyDepartmentRoles) {
    OrgChart chart = rl::test::demo_org_chart();
    EXPECT_THROW(chart.add_person(Person{"u-x",
                                         "x",
                                         "民庭",
                                         {PersonRole::head},
                                         {},
                                         {Position{"不存在庭", {PersonRole::contact}}},
                                         true}),
                 std::invalid_argument);
    EXPECT_THROW(chart.add_person(Person{"u-y",
                                         "y",
                                         "民庭",
                                         {PersonRole::head},
                                         {},
                                         {Position{"刑庭", {PersonRole::reform_office}}},
                                         true}),
                 std::invalid_argument);
    EXPECT_NO_THROW(chart.add_person(Person{"u-z", "z", "民庭", {PersonRole::head}, {}, {}, true}));
}

// --- who may read --------------------------------------------------------------------

TEST_F(SeparationTest, ReadingFollowsDepartmentsLeadersAndCourtWideRoles) {
    const auto reads = [&](const std::string& id, const std::string& department) {
        return rl::core::may_read(*demo.person(id), department);
    };
    EXPECT_TRUE(reads(kContact, "刑庭"));
    EXPECT_TRUE(reads(kHead, "刑庭"));
    EXPECT_FALSE(reads(kHead, "民庭"));
    EXPECT_TRUE(reads(kLeader, "刑庭"));              // in charge of it
    EXPECT_FALSE(reads("u-vp-admin", "刑庭"));        // in charge of others
    EXPECT_TRUE(reads(kOffice, "刑庭"));              // reform office
    EXPECT_TRUE(reads("u-president", "民庭"));        // president
    EXPECT_TRUE(reads("u-jianchashi-head", "民庭"));  // supervision office
    const OrgChart chart = chart_with({}, {{kHead, false}});
    EXPECT_FALSE(rl::core::may_read(*chart.person(kHead), "刑庭"));
}

}  // namespace
