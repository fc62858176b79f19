// rl::core::WorkflowEngine on the progress-report approval workflow, built
// here by hand as plugin/definitions/workflows/progress_report_approval.json
// defines it (起草 → 部门负责人审核 → 分管院领导审核 → 司改办归档), with the
// demo org chart and reports of 刑庭: who may do what at each step, where
// each action moves the report, and what is refused and how.
#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/org_chart.h"
#include "core/workflow.h"
#include "core_test_helpers.h"
#include "test_assertions.h"

namespace rl::core {
// So that failing expectations print "not_permitted" instead of 1.
inline void PrintTo(Verdict verdict, std::ostream* os) {
    *os << to_string(verdict);
}
inline void PrintTo(ReportState state, std::ostream* os) {
    *os << to_string(state);
}
}  // namespace rl::core

namespace {

using rl::core::ActionInput;
using rl::core::Decision;
using rl::core::OrgChart;
using rl::core::PersonRole;
using rl::core::ReportPosition;
using rl::core::ReportState;
using rl::core::Verdict;
using rl::core::Workflow;
using rl::core::WorkflowEngine;
using rl::test::has_text;
using rl::test::progress_report_approval;

const std::string kDept = "刑庭";
const std::string kContact = "u-xingting-contact";
const std::string kHead = "u-xingting-head";
const std::string kLeader = "u-vp-trial";
const std::string kOffice = "u-sigaiban-head";

ActionInput act(const std::string& action, const std::string& actor) {
    ActionInput in;
    in.action = action;
    in.actor = actor;
    return in;
}

class WorkflowEngineTest : public ::testing::Test {
protected:
    Workflow workflow = progress_report_approval();
    OrgChart chart = rl::test::demo_org_chart();
    WorkflowEngine engine{workflow, chart};

    // Decides in on the report at `from`, for the version it is at.
    Decision decide(const ReportPosition& from, ActionInput in,
                    const std::vector<std::string>& missing = {}) const {
        if (from.exists && !in.expected_version) {
            in.expected_version = from.version;
        }
        return engine.decide(from, kDept, in, missing);
    }

    // The position after an action that must be allowed.
    ReportPosition advance(const ReportPosition& from, const ActionInput& in) const {
        const Decision d = decide(from, in);
        EXPECT_EQ(d.verdict, Verdict::allowed)
            << in.action << " by " << in.actor << " at '" << from.step << "': " << d.message;
        return d.next;
    }

    ReportPosition drafted() const {
        return advance(ReportPosition{}, act("save_draft", kContact));
    }
    ReportPosition at_head() const { return advance(drafted(), act("submit", kContact)); }
    ReportPosition at_leader() const { return advance(at_head(), act("approve", kHead)); }
    ReportPosition at_office() const { return advance(at_leader(), act("approve", kLeader)); }
    ReportPosition filed() const { return advance(at_office(), act("file", kOffice)); }

    static ActionInput returning(const std::string& actor, const std::string& target,
                                 const std::string& reason = "请补充佐证材料") {
        ActionInput in = act("return", actor);
        in.target_step = target;
        in.reason = reason;
        return in;
    }
};

// --- the definition ------------------------------------------------------------------

TEST(Workflow, TheMirroredDefinitionValidates) {
    const Workflow w = progress_report_approval();
    EXPECT_NO_THROW(w.validate());
    EXPECT_EQ(w.first().id, "draft");
    EXPECT_EQ(w.last().id, "reform_office");
    EXPECT_EQ(w.index_of("leader_in_charge"), 2);
    EXPECT_EQ(w.index_of("nowhere"), -1);
    EXPECT_EQ(w.step("nowhere"), nullptr);
    ASSERT_NE(w.step("department_head"), nullptr);
    EXPECT_TRUE(w.step("department_head")->allows("approve"));
    EXPECT_FALSE(w.step("department_head")->allows("file"));
}

TEST(Workflow, ValidateRefusesFewerThanTwoSteps) {
    Workflow w = progress_report_approval();
    w.steps.resize(1);
    EXPECT_THROW(w.validate(), std::invalid_argument);
}

TEST(Workflow, ValidateRefusesADuplicateStepId) {
    Workflow w = progress_report_approval();
    w.steps[2].id = "department_head";
    w.steps[2].return_targets = {"draft"};
    try {
        w.validate();
        ADD_FAILURE() << "no std::invalid_argument thrown";
    } catch (const std::invalid_argument& e) {
        EXPECT_TRUE(has_text(e.what(), {"department_head", "twice"}));
    }
}

TEST(Workflow, ValidateRefusesAReturnTargetThatIsNotAnEarlierStep) {
    for (const std::string target : {"leader_in_charge", "department_head", "nowhere"}) {
        Workflow w = progress_report_approval();
        w.steps[1].return_targets = {target};  // department_head returning to itself or later
        try {
            w.validate();
            ADD_FAILURE() << target << ": no std::invalid_argument thrown";
        } catch (const std::invalid_argument& e) {
            EXPECT_TRUE(has_text(e.what(), {target, "not an earlier step"}));
        }
    }
}

TEST(Workflow, StateAndVerdictNamesRoundTrip) {
    for (auto s : {ReportState::draft, ReportState::in_approval, ReportState::returned,
                   ReportState::filed}) {
        EXPECT_EQ(rl::core::report_state_from_string(rl::core::to_string(s)), s);
    }
    EXPECT_EQ(rl::core::report_state_from_string("approved"), std::nullopt);
    EXPECT_STREQ(rl::core::to_string(Verdict::not_permitted), "not_permitted");
    EXPECT_STREQ(rl::core::to_string(Verdict::conflict), "conflict");
}

TEST(HoldsRoleFor, ContactAndHeadAreForTheirOwnDepartmentOnly) {
    const OrgChart chart = rl::test::demo_org_chart();
    EXPECT_TRUE(rl::core::holds_role_for(*chart.person(kContact), PersonRole::contact, "刑庭"));
    EXPECT_FALSE(rl::core::holds_role_for(*chart.person(kContact), PersonRole::contact, "民庭"));
    EXPECT_FALSE(rl::core::holds_role_for(*chart.person(kContact), PersonRole::head, "刑庭"));
    EXPECT_TRUE(rl::core::holds_role_for(*chart.person(kHead), PersonRole::head, "刑庭"));
}

TEST(HoldsRoleFor, LeaderInChargeOnlyForTheDepartmentsInCharge) {
    const OrgChart chart = rl::test::demo_org_chart();
    EXPECT_TRUE(
        rl::core::holds_role_for(*chart.person(kLeader), PersonRole::leader_in_charge, "刑庭"));
    EXPECT_FALSE(rl::core::holds_role_for(*chart.person("u-vp-admin"), PersonRole::leader_in_charge,
                                          "刑庭"));
    EXPECT_TRUE(rl::core::holds_role_for(*chart.person("u-vp-admin"), PersonRole::leader_in_charge,
                                         "干部科"));
}

TEST(HoldsRoleFor, ReformOfficeActsForEveryDepartment) {
    const OrgChart chart = rl::test::demo_org_chart();
    EXPECT_TRUE(
        rl::core::holds_role_for(*chart.person(kOffice), PersonRole::reform_office, "刑庭"));
    EXPECT_FALSE(rl::core::holds_role_for(*chart.person(kHead), PersonRole::reform_office, "刑庭"));
}

// --- the way through -----------------------------------------------------------------

TEST_F(WorkflowEngineTest, SaveDraftByTheContactCreatesVersionOneAtDraft) {
    const Decision d = decide(ReportPosition{}, act("save_draft", kContact));
    ASSERT_EQ(d.verdict, Verdict::allowed) << d.message;
    EXPECT_TRUE(d.next.exists);
    EXPECT_EQ(d.next.version, 1);
    EXPECT_EQ(d.next.step, "draft");
    EXPECT_EQ(d.next.state, ReportState::draft);
    EXPECT_EQ(d.role, "contact");
}

TEST_F(WorkflowEngineTest, SavingADraftAgainBumpsTheVersionAndStaysAtDraft) {
    const ReportPosition next = advance(drafted(), act("save_draft", kContact));
    EXPECT_EQ(next.version, 2);
    EXPECT_EQ(next.step, "draft");
    EXPECT_EQ(next.state, ReportState::draft);
}

TEST_F(WorkflowEngineTest, SubmitSendsTheDraftToTheDepartmentHeadInApproval) {
    const Decision d = decide(drafted(), act("submit", kContact));
    ASSERT_EQ(d.verdict, Verdict::allowed) << d.message;
    EXPECT_EQ(d.next.step, "department_head");
    EXPECT_EQ(d.next.state, ReportState::in_approval);
    EXPECT_EQ(d.next.version, 2);
    EXPECT_EQ(d.next.previous_step, "draft");
    EXPECT_EQ(d.next.entered_by, kContact);
}

TEST_F(WorkflowEngineTest, SubmitBeforeAnyDraftIsInvalid) {
    EXPECT_EQ(decide(ReportPosition{}, act("submit", kContact)).verdict, Verdict::invalid);
}

TEST_F(WorkflowEngineTest, HeadApproveSendsItToTheLeaderInCharge) {
    const Decision d = decide(at_head(), act("approve", kHead));
    ASSERT_EQ(d.verdict, Verdict::allowed) << d.message;
    EXPECT_EQ(d.next.step, "leader_in_charge");
    EXPECT_EQ(d.next.state, ReportState::in_approval);
    EXPECT_EQ(d.next.version, 3);
    EXPECT_EQ(d.role, "head");
}

TEST_F(WorkflowEngineTest, LeaderInChargeApproveSendsItToTheReformOffice) {
    const Decision d = decide(at_leader(), act("approve", kLeader));
    ASSERT_EQ(d.verdict, Verdict::allowed) << d.message;
    EXPECT_EQ(d.next.step, "reform_office");
    EXPECT_EQ(d.next.state, ReportState::in_approval);
    EXPECT_EQ(d.next.version, 4);
    EXPECT_EQ(d.role, "leader_in_charge");
}

TEST_F(WorkflowEngineTest, ReformOfficeFileFilesTheReport) {
    const Decision d = decide(at_office(), act("file", kOffice));
    ASSERT_EQ(d.verdict, Verdict::allowed) << d.message;
    EXPECT_EQ(d.next.state, ReportState::filed);
    EXPECT_EQ(d.next.version, 5);
    EXPECT_EQ(d.role, "reform_office");
}

TEST_F(WorkflowEngineTest, ApproveAtTheFilingStepIsInvalid) {
    EXPECT_EQ(decide(at_office(), act("approve", kOffice)).verdict, Verdict::invalid);
}

TEST_F(WorkflowEngineTest, SaveDraftWhileInApprovalIsInvalid) {
    EXPECT_EQ(decide(at_head(), act("save_draft", kContact)).verdict, Verdict::invalid);
}

TEST_F(WorkflowEngineTest, UnknownActionIsInvalid) {
    const Decision d = decide(at_head(), act("sign", kHead));
    EXPECT_EQ(d.verdict, Verdict::invalid);
    EXPECT_TRUE(has_text(d.message, "sign"));
}

// --- who may act ---------------------------------------------------------------------

TEST_F(WorkflowEngineTest, AnotherDepartmentsContactMayNotSubmit) {
    const Decision d = decide(drafted(), act("submit", "u-minting-contact"));
    EXPECT_EQ(d.verdict, Verdict::not_permitted);
    EXPECT_TRUE(has_text(d.message, {"u-minting-contact", "刑庭"}));
}

TEST_F(WorkflowEngineTest, AnotherDepartmentsContactMayNotStartTheDraft) {
    EXPECT_EQ(decide(ReportPosition{}, act("save_draft", "u-minting-contact")).verdict,
              Verdict::not_permitted);
}

TEST_F(WorkflowEngineTest, ContactMayNotApproveAtTheHeadsStep) {
    EXPECT_EQ(decide(at_head(), act("approve", kContact)).verdict, Verdict::not_permitted);
}

TEST_F(WorkflowEngineTest, HeadMayNotApproveAtTheLeadersStep) {
    EXPECT_EQ(decide(at_leader(), act("approve", kHead)).verdict, Verdict::not_permitted);
}

TEST_F(WorkflowEngineTest, LeaderNotInChargeOfTheDepartmentMayNotApprove) {
    const Decision d = decide(at_leader(), act("approve", "u-vp-admin"));
    EXPECT_EQ(d.verdict, Verdict::not_permitted);
    EXPECT_TRUE(has_text(d.message, "leader in charge of 刑庭"));
}

TEST_F(WorkflowEngineTest, HeadMayNotFile) {
    EXPECT_EQ(decide(at_office(), act("file", kHead)).verdict, Verdict::not_permitted);
}

TEST_F(WorkflowEngineTest, PersonNotInTheOrgChartIsNotPermitted) {
    const Decision d = decide(at_head(), act("approve", "u-nobody"));
    EXPECT_EQ(d.verdict, Verdict::not_permitted);
    EXPECT_TRUE(has_text(d.message, "u-nobody"));
}

// --- versions ------------------------------------------------------------------------

TEST_F(WorkflowEngineTest, StaleExpectedVersionIsAConflict) {
    const ReportPosition head = at_head();  // version 2
    for (int stale : {1, 3}) {
        ActionInput in = act("approve", kHead);
        in.expected_version = stale;
        const Decision d = decide(head, in);
        EXPECT_EQ(d.verdict, Verdict::conflict) << stale;
        EXPECT_TRUE(has_text(d.message, "version 2")) << stale;
    }
}

TEST_F(WorkflowEngineTest, MissingVersionOnAnExistingReportIsInvalid) {
    const ReportPosition head = at_head();
    const Decision d = engine.decide(head, kDept, act("approve", kHead));  // no expected_version
    EXPECT_EQ(d.verdict, Verdict::invalid);
    EXPECT_TRUE(has_text(d.message, "version"));
}

// --- return --------------------------------------------------------------------------

TEST_F(WorkflowEngineTest, ReturnWithoutAReasonIsInvalid) {
    for (const std::string reason : {"", "  \t\n"}) {
        const Decision d = decide(at_head(), returning(kHead, "draft", reason));
        EXPECT_EQ(d.verdict, Verdict::invalid) << "'" << reason << "'";
        EXPECT_TRUE(has_text(d.message, "reason"));
    }
}

TEST_F(WorkflowEngineTest, ReturnToAStepNotAmongItsReturnTargetsIsInvalid) {
    const Decision later = decide(at_head(), returning(kHead, "leader_in_charge"));
    EXPECT_EQ(later.verdict, Verdict::invalid);
    EXPECT_TRUE(has_text(later.message, {"leader_in_charge", "draft"}));
    EXPECT_EQ(decide(at_head(), returning(kHead, "department_head")).verdict, Verdict::invalid);
    EXPECT_EQ(decide(at_leader(), returning(kLeader, "reform_office")).verdict, Verdict::invalid);
    EXPECT_EQ(decide(at_leader(), returning(kLeader, "nowhere")).verdict, Verdict::invalid);
}

TEST_F(WorkflowEngineTest, ReturnWithoutATargetGoesToTheDraftingStep) {
    const Decision d = decide(at_leader(), returning(kLeader, ""));
    ASSERT_EQ(d.verdict, Verdict::allowed) << d.message;
    EXPECT_EQ(d.next.step, "draft");
    EXPECT_EQ(d.next.state, ReportState::returned);
    EXPECT_EQ(d.next.resume_step, "leader_in_charge");
}

TEST_F(WorkflowEngineTest, ReturnFromReformOfficeToHeadResumesAtReformOffice) {
    const Decision d = decide(at_office(), returning(kOffice, "department_head"));
    ASSERT_EQ(d.verdict, Verdict::allowed) << d.message;
    EXPECT_EQ(d.next.step, "department_head");
    EXPECT_EQ(d.next.state, ReportState::returned);
    EXPECT_EQ(d.next.resume_step, "reform_office");

    const Decision again = decide(d.next, act("approve", kHead));
    ASSERT_EQ(again.verdict, Verdict::allowed) << again.message;
    EXPECT_EQ(again.next.step, "reform_office");  // leader_in_charge is skipped
    EXPECT_EQ(again.next.state, ReportState::in_approval);
    EXPECT_EQ(again.next.resume_step, "");
}

TEST_F(WorkflowEngineTest, ResubmittingAfterAReturnToDraftGoesStraightToTheReturningStep) {
    const ReportPosition returned = advance(at_leader(), returning(kLeader, "draft"));
    const ReportPosition edited = advance(returned, act("save_draft", kContact));
    const Decision d = decide(edited, act("submit", kContact));
    ASSERT_EQ(d.verdict, Verdict::allowed) << d.message;
    EXPECT_EQ(d.next.step, "leader_in_charge");
    EXPECT_EQ(d.next.state, ReportState::in_approval);
    EXPECT_EQ(d.next.resume_step, "");

    const ReportPosition from_office = advance(at_office(), returning(kOffice, "draft"));
    EXPECT_EQ(advance(from_office, act("submit", kContact)).step, "reform_office");
}

// --- withdraw ------------------------------------------------------------------------

TEST_F(WorkflowEngineTest, SubmitterMayWithdrawFromTheHeadBackToDraft) {
    const Decision d = decide(at_head(), act("withdraw", kContact));
    ASSERT_EQ(d.verdict, Verdict::allowed) << d.message;
    EXPECT_EQ(d.next.step, "draft");
    EXPECT_EQ(d.next.state, ReportState::draft);
    EXPECT_EQ(d.next.version, 3);
    EXPECT_EQ(d.next.resume_step, "");
    EXPECT_EQ(d.role, "sender");
    // … and submit it again, to the head.
    EXPECT_EQ(advance(d.next, act("submit", kContact)).step, "department_head");
}

TEST_F(WorkflowEngineTest, OnlyTheSenderMayWithdraw) {
    EXPECT_EQ(decide(at_head(), act("withdraw", kHead)).verdict, Verdict::not_permitted);
    EXPECT_EQ(decide(at_head(), act("withdraw", "u-minting-contact")).verdict,
              Verdict::not_permitted);
}

TEST_F(WorkflowEngineTest, ContactMayNotWithdrawOnceTheHeadHasApproved) {
    const Decision d = decide(at_leader(), act("withdraw", kContact));
    EXPECT_EQ(d.verdict, Verdict::not_permitted);
}

TEST_F(WorkflowEngineTest, HeadMayWithdrawTheirApprovalUntilTheLeaderActs) {
    const Decision d = decide(at_leader(), act("withdraw", kHead));
    ASSERT_EQ(d.verdict, Verdict::allowed) << d.message;
    EXPECT_EQ(d.next.step, "department_head");
    EXPECT_EQ(d.next.state, ReportState::in_approval);
    // Once the leader approved, the head's approval can no longer be withdrawn.
    EXPECT_EQ(decide(at_office(), act("withdraw", kHead)).verdict, Verdict::not_permitted);
}

TEST_F(WorkflowEngineTest, NothingToWithdrawAtDraftIsInvalid) {
    EXPECT_EQ(decide(drafted(), act("withdraw", kContact)).verdict, Verdict::invalid);
    EXPECT_EQ(decide(ReportPosition{}, act("withdraw", kContact)).verdict, Verdict::invalid);
}

TEST_F(WorkflowEngineTest, WithdrawingAReturnedReportIsInvalid) {
    const ReportPosition returned = advance(at_office(), returning(kOffice, "department_head"));
    EXPECT_EQ(decide(returned, act("withdraw", kOffice)).verdict, Verdict::invalid);
}

TEST_F(WorkflowEngineTest, WithdrawingAfterASkipKeepsTheWayBackToTheReturningStep) {
    const ReportPosition returned = advance(at_leader(), returning(kLeader, "draft"));
    const ReportPosition resubmitted = advance(returned, act("submit", kContact));
    ASSERT_EQ(resubmitted.step, "leader_in_charge");
    const ReportPosition withdrawn = advance(resubmitted, act("withdraw", kContact));
    EXPECT_EQ(withdrawn.step, "draft");
    EXPECT_EQ(withdrawn.state, ReportState::draft);
    EXPECT_EQ(withdrawn.resume_step, "leader_in_charge");
    EXPECT_EQ(advance(withdrawn, act("submit", kContact)).step, "leader_in_charge");
}

// --- hand over -----------------------------------------------------------------------

TEST_F(WorkflowEngineTest, AfterHandOverOnlyTheAssigneeMayApprove) {
    ActionInput in = act("hand_over", kHead);
    in.hand_over_to = "u-xingting-deputy";
    const Decision d = decide(at_head(), in);
    ASSERT_EQ(d.verdict, Verdict::allowed) << d.message;
    EXPECT_EQ(d.next.step, "department_head");
    EXPECT_EQ(d.next.state, ReportState::in_approval);
    EXPECT_EQ(d.next.assignee, "u-xingting-deputy");
    EXPECT_EQ(d.next.version, 3);

    const Decision head = decide(d.next, act("approve", kHead));
    EXPECT_EQ(head.verdict, Verdict::not_permitted);
    EXPECT_TRUE(has_text(head.message, "u-xingting-deputy"));

    const Decision assignee = decide(d.next, act("approve", "u-xingting-deputy"));
    ASSERT_EQ(assignee.verdict, Verdict::allowed) << assignee.message;
    EXPECT_EQ(assignee.next.step, "leader_in_charge");
    EXPECT_EQ(assignee.next.assignee, "");
}

TEST_F(WorkflowEngineTest, HandOverGoesOnlyToSomeoneWhoCouldHoldTheStep) {
    ActionInput in = act("hand_over", kHead);
    in.hand_over_to = "u-minting-head";  // a head, but of another department
    const Decision d = decide(at_head(), in);
    EXPECT_EQ(d.verdict, Verdict::invalid);
    EXPECT_TRUE(has_text(d.message, "u-minting-head"));
}

TEST_F(WorkflowEngineTest, AHandedOverReportCanNoLongerBeWithdrawn) {
    ActionInput in = act("hand_over", kHead);
    in.hand_over_to = "u-xingting-deputy";
    const Decision d = decide(at_head(), in);
    ASSERT_EQ(d.verdict, Verdict::allowed) << d.message;
    EXPECT_EQ(decide(d.next, act("withdraw", kContact)).verdict, Verdict::not_permitted);
}

TEST_F(WorkflowEngineTest, HandOverToSomeoneNotInTheOrgChartIsInvalid) {
    ActionInput in = act("hand_over", kHead);
    in.hand_over_to = "u-nobody";
    EXPECT_EQ(decide(at_head(), in).verdict, Verdict::invalid);
}

TEST_F(WorkflowEngineTest, HandOverToOneselfIsInvalid) {
    ActionInput in = act("hand_over", kHead);
    in.hand_over_to = kHead;
    EXPECT_EQ(decide(at_head(), in).verdict, Verdict::invalid);
}

TEST_F(WorkflowEngineTest, HandOverBeforeAnyDraftNeverLeavesTheReportAtNoStep) {
    ActionInput in = act("hand_over", kContact);
    in.hand_over_to = "u-gbk-contact";
    const Decision d = decide(ReportPosition{}, in);
    if (d.verdict == Verdict::allowed) {
        // Allowed: the report must then be at the drafting step, where the
        // assignee can go on; a report at step "" refuses every action.
        EXPECT_EQ(d.next.step, "draft");
        ActionInput save = act("save_draft", "u-gbk-contact");
        save.expected_version = d.next.version;
        EXPECT_EQ(engine.decide(d.next, kDept, save).verdict, Verdict::allowed);
    } else {
        EXPECT_EQ(d.verdict, Verdict::invalid) << d.message;
    }
}

// --- act for (代办) -------------------------------------------------------------------

TEST_F(WorkflowEngineTest, ReformOfficeMayActForTheHeadAndItIsRecorded) {
    ActionInput in = act("approve", kOffice);
    in.acting_for = kHead;
    const Decision d = decide(at_head(), in);
    ASSERT_EQ(d.verdict, Verdict::allowed) << d.message;
    EXPECT_EQ(d.next.step, "leader_in_charge");
    EXPECT_TRUE(has_text(d.role, {"head", "acted for", kOffice}));
}

TEST_F(WorkflowEngineTest, AnotherDepartmentsHeadMayNotActForTheHead) {
    ActionInput in = act("approve", "u-minting-head");
    in.acting_for = kHead;
    const Decision d = decide(at_head(), in);
    EXPECT_EQ(d.verdict, Verdict::not_permitted);
    EXPECT_TRUE(has_text(d.message, {"u-minting-head", kHead}));
}

TEST_F(WorkflowEngineTest, HeadMayActForTheirOwnContact) {
    ActionInput in = act("submit", kHead);
    in.acting_for = kContact;
    const Decision d = decide(drafted(), in);
    ASSERT_EQ(d.verdict, Verdict::allowed) << d.message;
    EXPECT_EQ(d.next.step, "department_head");
    EXPECT_TRUE(has_text(d.role, {"contact", "acted for", kHead}));
}

TEST_F(WorkflowEngineTest, ContactMayNotActForTheirHead) {
    ActionInput in = act("approve", kContact);
    in.acting_for = kHead;
    EXPECT_EQ(decide(at_head(), in).verdict, Verdict::not_permitted);
}

TEST_F(WorkflowEngineTest, ActingForSomeoneNotInTheOrgChartIsInvalid) {
    ActionInput in = act("approve", kOffice);
    in.acting_for = "u-nobody";
    EXPECT_EQ(decide(at_head(), in).verdict, Verdict::invalid);
}

// --- filing --------------------------------------------------------------------------

TEST_F(WorkflowEngineTest, FilingWithCoReportsMissingIsInvalidAndListsThem) {
    const Decision d = decide(at_office(), act("file", kOffice), {"民庭", "执行局"});
    EXPECT_EQ(d.verdict, Verdict::invalid);
    EXPECT_TRUE(has_text(d.message, {"民庭", "执行局"}));
}

TEST_F(WorkflowEngineTest, NothingCanBeDoneWithAFiledReport) {
    const ReportPosition done = filed();
    ASSERT_EQ(done.state, ReportState::filed);
    for (const ActionInput& in :
         {act("file", kOffice), act("approve", kLeader), act("save_draft", kContact),
          act("submit", kContact), act("withdraw", kOffice), returning(kOffice, "draft")}) {
        const Decision d = decide(done, in);
        EXPECT_EQ(d.verdict, Verdict::invalid) << in.action << ": " << d.message;
        EXPECT_TRUE(has_text(d.message, "filed")) << in.action;
    }
}

}  // namespace
