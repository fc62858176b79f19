// rl::core report form rules: what a draft may hold, what a submitted report
// must hold, and the ledger status of an obligation from its report's
// position and due date.
#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/report_form.h"

namespace rl::core {
// So that failing expectations print "overdue" instead of 5.
inline void PrintTo(ObligationStatus status, std::ostream* os) {
    *os << to_string(status);
}
}  // namespace rl::core

namespace {

using rl::core::check_draft;
using rl::core::check_for_submit;
using rl::core::Date;
using rl::core::FieldError;
using rl::core::obligation_status;
using rl::core::ObligationStatus;
using rl::core::ReportContent;
using rl::core::ReportPosition;
using rl::core::ReportState;

Date d(const char* iso) {
    const auto parsed = Date::parse(iso);
    if (!parsed) {
        throw std::runtime_error(std::string("test date does not parse: ") + iso);
    }
    return *parsed;
}

std::vector<std::string> fields_of(const std::vector<FieldError>& errors) {
    std::vector<std::string> out;
    for (const auto& e : errors) {
        out.push_back(e.field);
    }
    return out;
}

ReportContent complete_content() {
    ReportContent c;
    c.progress_summary = "已完成庭审记录改革试点方案起草。";
    c.percent_complete = 60;
    return c;
}

// --- check_draft / check_for_submit ---------------------------------------------

TEST(ReportForm, EmptyDraftIsAcceptable) {
    EXPECT_TRUE(check_draft(ReportContent{}).empty());
}

TEST(ReportForm, SubmitAcceptsSummaryAndPercent) {
    EXPECT_TRUE(check_for_submit(complete_content()).empty());
}

TEST(ReportForm, SubmitRequiresProgressSummary) {
    auto c = complete_content();
    c.progress_summary.clear();
    EXPECT_EQ(fields_of(check_for_submit(c)), std::vector<std::string>{"progress_summary"});
}

TEST(ReportForm, SubmitTreatsWhitespaceOnlySummaryAsMissing) {
    auto c = complete_content();
    c.progress_summary = " \n\t\u3000\u3000";  // includes ideographic spaces
    EXPECT_EQ(fields_of(check_for_submit(c)), std::vector<std::string>{"progress_summary"});
}

TEST(ReportForm, SubmitRequiresPercentComplete) {
    auto c = complete_content();
    c.percent_complete.reset();
    EXPECT_EQ(fields_of(check_for_submit(c)), std::vector<std::string>{"percent_complete"});
    EXPECT_TRUE(check_draft(c).empty());  // a draft may leave it out
}

TEST(ReportForm, PercentOutsideZeroToHundredIsInvalid) {
    for (int percent : {-1, 101, 1000}) {
        auto c = complete_content();
        c.percent_complete = percent;
        EXPECT_EQ(fields_of(check_draft(c)), std::vector<std::string>{"percent_complete"})
            << percent;
        EXPECT_EQ(fields_of(check_for_submit(c)), std::vector<std::string>{"percent_complete"})
            << percent;
    }
    for (int percent : {0, 100}) {
        auto c = complete_content();
        c.percent_complete = percent;
        EXPECT_TRUE(check_for_submit(c).empty()) << percent;
    }
}

TEST(ReportForm, CompletedTaskMustBeHundredPercent) {
    auto c = complete_content();
    c.completed = true;
    c.percent_complete = 99;
    EXPECT_EQ(fields_of(check_for_submit(c)), std::vector<std::string>{"completed"});
    c.percent_complete = 100;
    EXPECT_TRUE(check_for_submit(c).empty());
}

TEST(ReportForm, EvidenceNeedsAName) {
    auto c = complete_content();
    c.evidence = {{"试点方案.pdf", ""}, {"  ", "https://oa.example/f/2"}};
    EXPECT_EQ(fields_of(check_draft(c)), std::vector<std::string>{"evidence[1].name"});
}

TEST(ReportForm, TextMustBeValidUtf8) {
    auto c = complete_content();
    c.measures = "\xff\xfe";
    EXPECT_EQ(fields_of(check_draft(c)), std::vector<std::string>{"measures"});
}

TEST(ReportForm, TextIsLimitedToTwentyThousandCharacters) {
    auto c = complete_content();
    std::string text;
    for (int i = 0; i < 20000; ++i) {
        text += "改";  // three bytes, one character
    }
    c.problems = text;
    EXPECT_TRUE(check_draft(c).empty());
    c.problems += "革";
    EXPECT_EQ(fields_of(check_draft(c)), std::vector<std::string>{"problems"});
}

// --- obligation_status -------------------------------------------------------------

const Date kDue = d("2019-11-07");
const Date kBeforeDue = d("2019-11-06");
const Date kAfterDue = d("2019-11-08");

ReportPosition at(ReportState state, const std::string& step) {
    ReportPosition p;
    p.exists = true;
    p.state = state;
    p.step = step;
    p.version = 3;
    return p;
}

ObligationStatus status(const std::optional<ReportPosition>& report, const Date& today,
                        bool waived = false) {
    return obligation_status(waived, report, "draft", kDue, today);
}

TEST(ObligationStatusOf, WaivedWinsOverEverything) {
    EXPECT_EQ(status(std::nullopt, kAfterDue, true), ObligationStatus::waived);
    EXPECT_EQ(status(at(ReportState::draft, "draft"), kAfterDue, true), ObligationStatus::waived);
    EXPECT_EQ(status(at(ReportState::filed, "reform_office"), kBeforeDue, true),
              ObligationStatus::waived);
}

TEST(ObligationStatusOf, NoReportIsNotStartedUntilTheDueDateThenOverdue) {
    EXPECT_EQ(status(std::nullopt, kBeforeDue), ObligationStatus::not_started);
    EXPECT_EQ(status(std::nullopt, kDue), ObligationStatus::not_started);  // due today: not late
    EXPECT_EQ(status(std::nullopt, kAfterDue), ObligationStatus::overdue);
    EXPECT_EQ(status(ReportPosition{}, kAfterDue), ObligationStatus::overdue);  // exists == false
    EXPECT_EQ(status(ReportPosition{}, kBeforeDue), ObligationStatus::not_started);
}

TEST(ObligationStatusOf, DraftPastDueIsOverdue) {
    EXPECT_EQ(status(at(ReportState::draft, "draft"), kBeforeDue), ObligationStatus::draft);
    EXPECT_EQ(status(at(ReportState::draft, "draft"), kDue), ObligationStatus::draft);
    EXPECT_EQ(status(at(ReportState::draft, "draft"), kAfterDue), ObligationStatus::overdue);
}

TEST(ObligationStatusOf, InApprovalPastDueIsStillInApproval) {
    EXPECT_EQ(status(at(ReportState::in_approval, "department_head"), kBeforeDue),
              ObligationStatus::in_approval);
    EXPECT_EQ(status(at(ReportState::in_approval, "leader_in_charge"), kAfterDue),
              ObligationStatus::in_approval);
}

TEST(ObligationStatusOf, ReturnedToTheDraftingStepPastDueIsOverdue) {
    EXPECT_EQ(status(at(ReportState::returned, "draft"), kBeforeDue), ObligationStatus::returned);
    EXPECT_EQ(status(at(ReportState::returned, "draft"), kAfterDue), ObligationStatus::overdue);
}

TEST(ObligationStatusOf, ReturnedToAnApprovalStepIsReturnedEvenPastDue) {
    EXPECT_EQ(status(at(ReportState::returned, "department_head"), kBeforeDue),
              ObligationStatus::returned);
    EXPECT_EQ(status(at(ReportState::returned, "department_head"), kAfterDue),
              ObligationStatus::returned);
}

TEST(ObligationStatusOf, FiledIsFiledEvenPastDue) {
    EXPECT_EQ(status(at(ReportState::filed, "reform_office"), kBeforeDue), ObligationStatus::filed);
    EXPECT_EQ(status(at(ReportState::filed, "reform_office"), kAfterDue), ObligationStatus::filed);
}

}  // namespace
