// rl::core::parse_plan on plans that are too big or have lines it cannot
// place: nothing is kept in part or dropped without a word. A plan of more
// tasks than the limit is refused whole, at the line that crosses it; task
// numbers are not cut at five digits; every line the parser cannot place in
// the plan is a warning naming its line; warnings are listed up to a bound
// and counted beyond it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/plan_parser.h"
#include "core_test_helpers.h"
#include "test_assertions.h"

namespace {

using rl::core::parse_plan;
using rl::core::ParseOptions;
using rl::core::Plan;
using rl::core::PlanError;
using rl::test::any_has_text;
using rl::test::has_text;
using rl::test::task_of;

std::string plan_error_of(const std::string& text, const ParseOptions& options = {}) {
    try {
        parse_plan(text, options);
    } catch (const PlanError& e) {
        return e.what();
    }
    return "(parse_plan threw no PlanError)";
}

// A plan of `tasks` numbered tasks, each with its responsibility line: the
// title is line 1, the section line 2, task k on line 2k + 1.
std::string numbered_plan(int tasks) {
    std::string text = "分工方案\n一、推进司法责任制\n";
    text.reserve(static_cast<std::size_t>(tasks) * 40);
    for (int k = 1; k <= tasks; ++k) {
        text += std::to_string(k) + ".任务。\n责任部门：干部科\n";
    }
    return text;
}

std::size_t task_count(const Plan& plan) {
    std::size_t n = 0;
    for (const auto& section : plan.sections) {
        n += section.tasks.size();
    }
    return n;
}

TEST(PlanParserLimits, TaskNumbersBeyondFiveDigitsAreTasksNotText) {
    ParseOptions options;
    options.max_tasks = 200000;
    const Plan plan = parse_plan(numbered_plan(100005), options);
    EXPECT_EQ(task_count(plan), 100005u);
    EXPECT_EQ(task_of(plan, "100000").text, "任务。");
    EXPECT_EQ(task_of(plan, "100005").text, "任务。");
    EXPECT_EQ(task_of(plan, "99999").text, "任务。") << "the task before keeps only its own text";
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
}

TEST(PlanParserLimits, AMillionTaskPlanIsRefusedWholeAtTheLineThatCrossesTheLimit) {
    // The default limit is 100,000 tasks and items; task 100,001 is on line 200,003.
    const std::string message = plan_error_of(numbered_plan(1000000));
    EXPECT_TRUE(has_text(message, {"line 200003", "100000", "limits.plan_tasks", "refused"}));
}

TEST(PlanParserLimits, TheLimitCountsItemsWithTheirTasks) {
    ParseOptions options;
    options.max_tasks = 2;
    const std::string text = R"(分工方案
一、推进司法责任制
1.任务一。
（1）子项一。
责任部门：干部科
（2）子项二。
责任部门：技术科
)";
    EXPECT_TRUE(has_text(plan_error_of(text, options), {"line 6", "more than 2 tasks and items"}));
    options.max_tasks = 3;
    EXPECT_EQ(task_of(parse_plan(text, options), "1").items.size(), 2u);
}

TEST(PlanParserLimits, ANumberTooLongForATaskIsKeptAsTextWithAWarningNamingItsLine) {
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
1.加强审判团队建设。
1234567890.这一行的编号太长，不是任务。
责任部门：干部科
)");
    EXPECT_EQ(task_count(plan), 1u);
    EXPECT_TRUE(has_text(task_of(plan, "1").text, "1234567890.这一行"));
    EXPECT_TRUE(any_has_text(plan.warnings, {"line 4", "9 digits", "task 1"}));
}

TEST(PlanParserLimits, TextBetweenASectionHeadingAndItsFirstTaskIsWarnedByLine) {
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
1.加强审判团队建设。
责任部门：干部科
二、推进人员分类管理改革
本部分要求各部门高度重视。
2.完善法官员额退出机制。
责任部门：干部科、监察室
)");
    EXPECT_EQ(task_count(plan), 2u);
    ASSERT_EQ(plan.warnings.size(), 1u) << ::testing::PrintToString(plan.warnings);
    EXPECT_TRUE(has_text(plan.warnings[0], {"line 6", "section 二", "not part of any task"}));
}

TEST(PlanParserLimits, PlanLinesAfterTheClosingNoteAreKeptInTheNoteAndWarnedByLine) {
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
1.加强审判团队建设。
责任部门：干部科
注:黑体字标注的为牵头责任部门。
2.这一行在注之后。
责任部门：技术科
说明文字。
)");
    EXPECT_EQ(task_count(plan), 1u);
    EXPECT_TRUE(has_text(plan.notes, {"2.这一行在注之后。", "责任部门：技术科", "说明文字。"}));
    EXPECT_TRUE(any_has_text(plan.warnings, {"line 6", "after the closing note (line 5)"}));
    EXPECT_TRUE(any_has_text(plan.warnings, {"line 7", "after the closing note (line 5)"}));
    EXPECT_EQ(plan.warnings.size(), 2u) << "plain text in a note is the note";
}

TEST(PlanParserLimits, WarningsAreListedUpToTwoHundredAndCountedBeyond) {
    std::string text = "分工方案\n一、推进司法责任制\n1.加强审判团队建设。\n责任部门：干部科\n";
    for (int i = 0; i < 1000; ++i) {
        text += "责任部门之后的说明。\n";  // each is warned: kept as text of task 1
    }
    const Plan plan = parse_plan(text);
    ASSERT_EQ(plan.warnings.size(), 201u);
    EXPECT_TRUE(has_text(plan.warnings[0], "line 5"));
    EXPECT_TRUE(has_text(plan.warnings[199], "line 204"));
    EXPECT_TRUE(has_text(plan.warnings[200], {"800 more warnings", "not listed"}));
}

// The parser reads a line at a time (it once held every line, classified:
// a 16 MiB file of empty lines took gigabytes); line numbers stay exact.
TEST(PlanParserLimits, AMillionEmptyLinesOnEitherSideOfAPlanReadAsThePlan) {
    std::string text = "分工方案\n";
    text.append(1000000, '\n');
    text += "一、推进司法责任制\n1.加强审判团队建设。\n责任部门：干部科\n";
    text.append(1000000, '\n');
    const Plan plan = parse_plan(text);
    EXPECT_EQ(task_count(plan), 1u);
    EXPECT_EQ(task_of(plan, "1").line, 1000003);
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
}

TEST(PlanParserLimits, TheSeedStillReadsWithoutAWarningUnderTheDefaultLimit) {
    const Plan plan = parse_plan(rl::test::seed_plan_text(), ParseOptions{});
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
    EXPECT_EQ(task_count(plan), 45u);
}

}  // namespace
