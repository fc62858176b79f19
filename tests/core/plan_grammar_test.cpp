// The paragraph grammar of rl::core::parse_plan on plans shaped the way
// courts and government bodies publish them (tests/fixtures/plans/*.txt):
// units inline or in brackets, label lines in any order, three levels, 一是,
// restarted section numbering, closing lines, plans without units, hard
// wraps, and Word-like documents whose bold names mark the leads.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "core/document.h"
#include "core/plan_parser.h"
#include "core/utf8.h"
#include "core_test_helpers.h"
#include "test_assertions.h"

namespace {

using rl::test::deadline_of;
using rl::test::task_numbers;

using rl::core::Block;
using rl::core::Document;
using rl::core::DocumentBlocks;
using rl::core::parse_plan;
using rl::core::ParseOptions;
using rl::core::Plan;
using rl::core::Task;
using rl::test::departments_of;
using rl::test::Dept;
using rl::test::kCo;
using rl::test::kLead;
using rl::test::task_of;
using TextRun = rl::core::Run;

Plan fixture(const std::string& name) {
    return parse_plan(rl::test::read_file(std::string(RL_FIXTURES) + "/plans/" + name));
}

// ------------------------------------------------------------ inline units

TEST(PlanGrammarInline, UnitsInTheClosingBracketAreTheTasksDepartmentsAndDeadline) {
    const Plan plan = fixture("inline-units.txt");
    EXPECT_EQ(task_numbers(plan),
              (std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8", "9"}));
    const Task& t1 = task_of(plan, "1");
    EXPECT_EQ(departments_of(t1.departments),
              (std::vector<Dept>{{"审管办", kLead}, {"立案庭", kCo}}));
    EXPECT_EQ(deadline_of(t1), "2020年6月底前完成=2020-06-30");
    EXPECT_EQ(t1.text, "完善审判权力运行机制，健全院庭长审判监督管理权责清单。")
        << "the bracket of units is not task text";
    EXPECT_EQ(t1.departments[0].source, "（审管办、立案庭负责，2020年6月底前完成）");
    EXPECT_EQ(t1.where, "line 6");
}

TEST(PlanGrammarInline, QualifiersAreStrippedAndTheirRolesKept) {
    const Plan plan = fixture("inline-units.txt");
    EXPECT_EQ(departments_of(task_of(plan, "5").departments),
              (std::vector<Dept>{{"审管办", kLead}, {"执行局", kCo}}));
    EXPECT_EQ(departments_of(task_of(plan, "6").departments),
              (std::vector<Dept>{{"各审判执行部门", kLead}}));
    EXPECT_EQ(deadline_of(task_of(plan, "6")), "长期坚持=");
    EXPECT_EQ(departments_of(task_of(plan, "7").departments),
              (std::vector<Dept>{{"立案庭", kLead}, {"民一庭", kCo}, {"民二庭", kCo}}));
    EXPECT_EQ(deadline_of(task_of(plan, "7")), "年底前完成=2020-12-31")
        << "年底前 takes the plan's year from its title";
    EXPECT_EQ(deadline_of(task_of(plan, "9")), "一季度完成=2020-03-31");
}

TEST(PlanGrammarInline, ARemarkInBracketsIsNotReadAsDepartments) {
    const Plan plan = fixture("inline-units.txt");
    const Task& t8 = task_of(plan, "8");
    EXPECT_TRUE(t8.departments.empty());
    EXPECT_EQ(t8.text, "制定《关于规范庭审活动的若干规定（试行）》。");
    EXPECT_TRUE(rl::test::any_has_text(plan.warnings, {"task 8", "line 14", "nobody"}));
}

TEST(PlanGrammarInline, FirstListedLeadsFromTheBracketThatSaysSoOn) {
    ParseOptions options;
    options.lead_rule = rl::core::LeadRule::explicit_only;
    const Plan plan = parse_plan(
        rl::test::read_file(std::string(RL_FIXTURES) + "/plans/inline-units.txt"), options);
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"审管办", kCo}, {"立案庭", kCo}}))
        << "before the plan says 列第一位者为牵头部门, explicit_only leaves no lead";
    EXPECT_EQ(departments_of(task_of(plan, "2").departments),
              (std::vector<Dept>{{"技术科", kLead}, {"立案庭", kCo}, {"办公室", kCo}}));
    EXPECT_EQ(departments_of(task_of(plan, "3").departments),
              (std::vector<Dept>{{"研究室", kLead}, {"技术科", kCo}}))
        << "下同: the rule holds for the tasks after it";
}

TEST(PlanGrammarInline, FirstListedLeadsSaidInTheSameSentenceAsTheUnitsKeepsTheUnits) {
    // "（A、B负责，列第一位者为牵头部门）": the rule after a comma, not a
    // sentence of its own; the names before it are still the units.
    ParseOptions options;
    options.lead_rule = rl::core::LeadRule::explicit_only;
    const Plan plan = parse_plan(R"(某县人民法院2023年司法改革工作要点
一、深化审判权力运行机制改革
1.健全审判团队运行机制（政治处、审判管理办公室负责，列第一位者为牵头部门）。
2.完善法官员额退出机制（政治部、审管办负责，列第一位者为牵头部门，2023年9月底前完成）。
3.落实院庭长办案要求（审管办、政治处负责）。
)",
                                 options);
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"政治处", kLead}, {"审判管理办公室", kCo}}));
    EXPECT_EQ(departments_of(task_of(plan, "2").departments),
              (std::vector<Dept>{{"政治部", kLead}, {"审管办", kCo}}));
    EXPECT_EQ(deadline_of(task_of(plan, "2")), "2023年9月底前完成=2023-09-30");
    EXPECT_EQ(departments_of(task_of(plan, "3").departments),
              (std::vector<Dept>{{"审管办", kLead}, {"政治处", kCo}}))
        << "once said, the rule holds from there on";
}

TEST(PlanGrammarInline, APreambleSayingTheFirstListedLeadsSetsTheRule) {
    ParseOptions options;
    options.lead_rule = rl::core::LeadRule::explicit_only;
    const Plan plan = parse_plan(R"(某院2020年工作要点
以下各项任务中，由列第一位的部门牵头。
一、深化改革
1.推进繁简分流（立案庭、民一庭负责）。
)",
                                 options);
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"立案庭", kLead}, {"民一庭", kCo}}));
}

TEST(PlanGrammarInline, ClosingLinesAreTheClosingNotTheLastTask) {
    const Plan plan = fixture("inline-units.txt");
    EXPECT_EQ(plan.closing, "某市中级人民法院\n2020年3月2日\n（此件公开发布）");
    EXPECT_EQ(task_of(plan, "9").text, "深化裁判文书、庭审和执行信息公开。");
    EXPECT_EQ(plan.year, 2020);
    EXPECT_EQ(plan.format, "text");
}

TEST(PlanGrammarInline, AChineseNumeralDateLineClosesThePlanAndGivesItsYear) {
    const Plan plan = parse_plan(R"(工作要点
一、深化改革
1.推进繁简分流（立案庭负责，年底前完成）。
某县人民法院
二〇一九年三月一日
（此件不公开）
)");
    EXPECT_EQ(plan.closing, "某县人民法院\n二〇一九年三月一日\n（此件不公开）");
    EXPECT_EQ(plan.year, 2019);
    EXPECT_EQ(deadline_of(task_of(plan, "1")), "年底前完成=2019-12-31");
    EXPECT_EQ(task_of(plan, "1").text, "推进繁简分流。");
}

TEST(PlanGrammarInline, AYearlessDeadlineInAPlanWithoutAYearIsWarnedOnce) {
    const Plan plan = parse_plan(R"(工作要点
一、深化改革
1.推进繁简分流（立案庭负责，年底前完成）。
2.推进执行改革（执行局负责，年内完成）。
)");
    EXPECT_FALSE(plan.year.has_value());
    EXPECT_EQ(task_of(plan, "1").deadline->due, "");
    std::size_t year_warnings = 0;
    for (const auto& warning : plan.warnings) {
        year_warnings += rl::test::has_text(warning, "year") ? 1 : 0;
    }
    EXPECT_EQ(year_warnings, 1u) << ::testing::PrintToString(plan.warnings);
}

// ---------------------------------------------------------- bracketed units

TEST(PlanGrammarBracketed, LabelledUnitsInSquareBracketsAreRead) {
    const Plan plan = fixture("bracketed-units.txt");
    EXPECT_EQ(plan.task_count(), 5u);
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"审管办", kLead}, {"立案庭", kCo}, {"技术科", kCo}}));
    EXPECT_EQ(departments_of(task_of(plan, "2").departments),
              (std::vector<Dept>{{"政治部", kLead}, {"审管办", kCo}}));
    EXPECT_EQ(departments_of(task_of(plan, "3").departments),
              (std::vector<Dept>{{"技术科", kLead}, {"办公室", kCo}}));
    EXPECT_EQ(deadline_of(task_of(plan, "3")), "2021年10月底前=2021-10-31");
    EXPECT_EQ(departments_of(task_of(plan, "4").departments),
              (std::vector<Dept>{{"立案庭", kLead}, {"各人民法庭", kCo}}));
    EXPECT_EQ(departments_of(task_of(plan, "5").departments),
              (std::vector<Dept>{{"各人民法庭", kLead}}));
    EXPECT_EQ(task_of(plan, "1").departments[1].source,
              "〔责任部门：审管办，配合部门：立案庭、技术科〕");
    EXPECT_TRUE(rl::test::is_empty(plan.warnings)) << ::testing::PrintToString(plan.warnings);
}

TEST(PlanGrammarBracketed, ResponsibleWithCooperatingUnitsMeansEveryResponsibleUnitLeads) {
    const Plan plan = parse_plan(R"(某区人民法院2021年刑事审判改革任务分工
一、推进以审判为中心的刑事诉讼制度改革
1．推进庭审实质化。落实三项规程〔责任部门：刑一庭、刑二庭，配合部门：法警队、技术科〕
2．规范量刑建议采纳。〔责任单位：刑一庭、刑二庭；完成时限：2021年9月底前〕
3．完善证人出庭作证制度。
责任单位：刑二庭、刑一庭
配合单位：法警队
4．推进认罪认罚从宽。〔牵头部门：刑一庭，责任部门：刑二庭，配合部门：法警队〕
)");
    EXPECT_EQ(
        departments_of(task_of(plan, "1").departments),
        (std::vector<Dept>{{"刑一庭", kLead}, {"刑二庭", kLead}, {"法警队", kCo}, {"技术科", kCo}}))
        << "责任部门 paired with 配合部门: the pair says who leads and who helps";
    EXPECT_EQ(departments_of(task_of(plan, "2").departments),
              (std::vector<Dept>{{"刑一庭", kLead}, {"刑二庭", kCo}}))
        << "责任单位 alone: the first listed leads";
    EXPECT_EQ(departments_of(task_of(plan, "3").departments),
              (std::vector<Dept>{{"刑二庭", kLead}, {"刑一庭", kLead}, {"法警队", kCo}}))
        << "the same pair written as label lines";
    EXPECT_EQ(departments_of(task_of(plan, "4").departments),
              (std::vector<Dept>{{"刑一庭", kLead}, {"刑二庭", kCo}, {"法警队", kCo}}))
        << "a 牵头 label says who leads: the 责任 list then co-operates";
}

// -------------------------------------------------------------- label lines

TEST(PlanGrammarLabels, LeadThenResponsibleMeansTheResponsibleCooperate) {
    const Plan plan = fixture("label-lines.txt");
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"办公室", kLead}, {"法制科", kCo}, {"政治处", kCo}}));
    EXPECT_EQ(deadline_of(task_of(plan, "1")), "2020年6月底前=2020-06-30");
    EXPECT_EQ(task_of(plan, "1").text,
              "深入学习贯彻习近平法治思想，把法治政府建设摆在全局工作的重要位置。");
}

TEST(PlanGrammarLabels, LabelsInAnyOrderGiveTheSameRolesDeadlineAndProgress) {
    const Plan plan = fixture("label-lines.txt");
    const Task& t2 = task_of(plan, "2");
    EXPECT_EQ(departments_of(t2.departments),
              (std::vector<Dept>{{"法制科", kCo}, {"办公室", kLead}}));
    EXPECT_EQ(deadline_of(t2), "2020年12月31日=2020-12-31");
    EXPECT_EQ(t2.progress, "6月底前制定目录，12月底前完成评估");
    EXPECT_TRUE(rl::test::is_empty(plan.warnings)) << ::testing::PrintToString(plan.warnings);
}

TEST(PlanGrammarLabels, LabelsSharingOneLineAndLeadersAreNotDepartments) {
    const Plan plan = fixture("label-lines.txt");
    const Task& t3 = task_of(plan, "3");
    EXPECT_EQ(departments_of(t3.departments),
              (std::vector<Dept>{{"政治处", kLead}, {"办公室", kCo}, {"督察室", kCo}}));
    EXPECT_EQ(deadline_of(t3), "年内=2020-12-31");
    EXPECT_TRUE(rl::test::has_text(t3.text, "责任领导：张某某"));
    EXPECT_EQ(deadline_of(task_of(plan, "4")), "2020年三季度=2020-09-30");
}

// ------------------------------------------------------------------- levels

TEST(PlanGrammarLevels, SubsectionsAboveNumberedTasksAreGroups) {
    const Plan plan = fixture("three-levels.txt");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1", "2", "3", "4"}));
    ASSERT_TRUE(task_of(plan, "2").group.has_value());
    EXPECT_EQ(task_of(plan, "2").group->number, "一");
    EXPECT_EQ(task_of(plan, "2").group->title, "完善审判监督管理机制");
    EXPECT_EQ(task_of(plan, "3").group->title, "加强审判团队建设");
    EXPECT_EQ(task_of(plan, "4").group->title, "推进诉讼服务中心建设")
        << "a group belongs to its section";
    EXPECT_TRUE(rl::test::is_empty(plan.warnings)) << ::testing::PrintToString(plan.warnings);
}

TEST(PlanGrammarLevels, SubsectionsCarryingTheUnitsAreTheTasksNumberedBySection) {
    const Plan plan = fixture("subsection-tasks.txt");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1.1", "1.2", "2.1", "2.2"}));
    const Task& t = task_of(plan, "2.1");
    EXPECT_EQ(t.label, "（一）");
    EXPECT_EQ(t.title, "加强法官教育培训");
    EXPECT_EQ(departments_of(t.departments), (std::vector<Dept>{{"政治处", kLead}}));
    EXPECT_EQ(deadline_of(t), "年底前完成=2020-12-31");
}

TEST(PlanGrammarLevels, ASectionWhoseTasksAreNumberedInBracketsReadsThemAsTasks) {
    // Sections numbered 1. and then, in one section, （1）: with no task
    // before them in their section, （1） lines are that section's tasks.
    const Plan plan = parse_plan(R"(某市中级人民法院2025年司法体制改革工作要点
一、深化司法责任制综合配套改革
1.完善审判团队运行机制（政治部、审判管理办公室负责）。
2.健全院庭长阅核制度（审判管理办公室负责）。
二、深化执行体制机制改革
（1）健全执行案件繁简分流机制。集中办理疑难复杂案件（执行局牵头，立案庭配合，2025年8月底前完成）。
（2）规范执行款物管理。实现一案一账号（司法警察支队负责）。
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1.1", "1.2", "2.1", "2.2"}));
    const Task& first = task_of(plan, "2.1");
    EXPECT_EQ(first.label, "（1）");
    EXPECT_TRUE(first.items.empty());
    EXPECT_EQ(departments_of(first.departments),
              (std::vector<Dept>{{"执行局", kLead}, {"立案庭", kCo}}));
    EXPECT_EQ(deadline_of(first), "2025年8月底前完成=2025-08-31");
    EXPECT_EQ(first.text, "健全执行案件繁简分流机制。集中办理疑难复杂案件。");
    EXPECT_EQ(departments_of(task_of(plan, "2.2").departments),
              (std::vector<Dept>{{"司法警察支队", kLead}}));
    EXPECT_TRUE(rl::test::is_empty(plan.warnings)) << ::testing::PrintToString(plan.warnings);
}

TEST(PlanGrammarLevels, SubsectionLinesCarryingUnitsInAPlanOfNumberedTasksAreTasks) {
    // Tasks numbered 1. in two sections, （一） in the third: the （一）
    // lines carry the units, so they are that section's tasks, never
    // headings of a group that has none.
    const Plan plan = parse_plan(R"(某市中级人民法院2026年司法体制改革工作要点
一、深化司法责任制综合配套改革
1.完善审判权力和责任清单（审判管理办公室牵头，政治部配合，2026年5月底前完成）。
2.健全审判监督管理机制（审判管理办公室负责，长期坚持）。
二、深化执行体制改革
（一）推进执行指挥中心实体化运行。提升执行指挥调度能力（执行局牵头，信息技术处配合，2026年8月底前完成）。
（二）完善终本案件动态管理（执行局负责，常态化推进）。
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1.1", "1.2", "2.1", "2.2"}));
    const Task& first = task_of(plan, "2.1");
    EXPECT_EQ(first.label, "（一）");
    EXPECT_EQ(departments_of(first.departments),
              (std::vector<Dept>{{"执行局", kLead}, {"信息技术处", kCo}}));
    EXPECT_EQ(deadline_of(first), "2026年8月底前完成=2026-08-31");
    EXPECT_EQ(departments_of(task_of(plan, "2.2").departments),
              (std::vector<Dept>{{"执行局", kLead}}));
    EXPECT_TRUE(rl::test::is_empty(plan.warnings)) << ::testing::PrintToString(plan.warnings);
}

TEST(PlanGrammarLevels, YiShiParagraphsAreTasks) {
    const Plan plan = fixture("yishi.txt");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1.1", "1.2", "2.1", "2.2"}));
    EXPECT_EQ(task_of(plan, "1.2").label, "二是");
    EXPECT_EQ(departments_of(task_of(plan, "1.2").departments),
              (std::vector<Dept>{{"研究室", kLead}, {"审管办", kCo}}));
    EXPECT_EQ(departments_of(task_of(plan, "2.2").departments),
              (std::vector<Dept>{{"执行局", kLead}}));
}

TEST(PlanGrammarLevels, YiShiClausesRunTogetherInOneParagraphAreATaskEach) {
    const Plan plan = parse_plan(R"(某县人民法院2022年司法改革工作要点
一、加强诉讼服务
一是完善网上立案。推行网上立案指引（立案庭负责，2022年5月底前完成）。
二是优化送达机制。推广电子送达（立案庭、技术科负责，长期坚持）。
二、强化改革保障
一是建立改革台账。逐项明确责任（研究室负责，2022年3月底前完成）；二是开展改革评估。委托第三方评估（审管办、研究室负责，2022年年底前完成）；三是加强改革培训（政治部负责）。
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1.1", "1.2", "2.1", "2.2", "2.3"}));
    const Task& first = task_of(plan, "2.1");
    EXPECT_EQ(first.label, "一是");
    ASSERT_EQ(departments_of(first.departments), (std::vector<Dept>{{"研究室", kLead}}))
        << "each clause has the units of its own bracket";
    EXPECT_EQ(deadline_of(first), "2022年3月底前完成=2022-03-31");
    EXPECT_EQ(first.text, "一是建立改革台账。逐项明确责任；");
    EXPECT_EQ(first.departments[0].source, "（研究室负责，2022年3月底前完成）");
    const Task& second = task_of(plan, "2.2");
    EXPECT_EQ(second.label, "二是");
    EXPECT_EQ(second.title, "二是开展改革评估");
    EXPECT_EQ(departments_of(second.departments),
              (std::vector<Dept>{{"审管办", kLead}, {"研究室", kCo}}));
    EXPECT_EQ(deadline_of(second), "2022年年底前完成=2022-12-31");
    const Task& third = task_of(plan, "2.3");
    EXPECT_EQ(third.label, "三是");
    EXPECT_EQ(departments_of(third.departments), (std::vector<Dept>{{"政治部", kLead}}));
    EXPECT_EQ(deadline_of(third), "(none)");
    EXPECT_EQ(third.where, first.where) << "all three come from one paragraph";
    EXPECT_EQ(departments_of(task_of(plan, "1.2").departments),
              (std::vector<Dept>{{"立案庭", kLead}, {"技术科", kCo}}))
        << "a paragraph per 一是 reads as before";
    EXPECT_TRUE(rl::test::is_empty(plan.warnings)) << ::testing::PrintToString(plan.warnings);
}

TEST(PlanGrammarLevels, AYiShiClauseWhoseUnitsFollowItsFullStopEndsAtTheirBracket) {
    // Form e: each clause ends in 。 and its bracket of units comes after
    // the full stop, the next clause straight after the bracket.
    const Plan plan = parse_plan(R"(某市中级人民法院2022年司法改革工作要点
一、深化审判权力运行机制改革
一是完善院庭长阅核制度。（审管办负责，2022年4月底前完成）二是健全审判委员会工作规则。（研究室、审管办负责）三是规范专业法官会议。（各审判业务庭分别负责，长期坚持）
二、加强改革保障
重点抓好以下工作：一是落实改革台账管理。（办公室负责，2022年年底前完成）二是开展改革成效评估。（审管办负责）
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1.1", "1.2", "1.3", "2.1", "2.2"}));
    const Task& first = task_of(plan, "1.1");
    EXPECT_EQ(first.label, "一是");
    EXPECT_EQ(departments_of(first.departments), (std::vector<Dept>{{"审管办", kLead}}));
    EXPECT_EQ(deadline_of(first), "2022年4月底前完成=2022-04-30");
    EXPECT_EQ(first.departments[0].source, "（审管办负责，2022年4月底前完成）");
    const Task& second = task_of(plan, "1.2");
    EXPECT_EQ(second.label, "二是");
    EXPECT_EQ(departments_of(second.departments),
              (std::vector<Dept>{{"研究室", kLead}, {"审管办", kCo}}));
    EXPECT_EQ(deadline_of(second), "(none)");
    const Task& third = task_of(plan, "1.3");
    EXPECT_EQ(third.label, "三是");
    EXPECT_EQ(departments_of(third.departments), (std::vector<Dept>{{"各审判业务庭", kLead}}));
    EXPECT_EQ(deadline_of(third), "长期坚持=");
    EXPECT_EQ(departments_of(task_of(plan, "2.1").departments),
              (std::vector<Dept>{{"办公室", kLead}}));
    EXPECT_EQ(deadline_of(task_of(plan, "2.1")), "2022年年底前完成=2022-12-31");
    EXPECT_EQ(departments_of(task_of(plan, "2.2").departments),
              (std::vector<Dept>{{"审管办", kLead}}));
}

TEST(PlanGrammarLevels, YiShiClausesInsideANumberedTaskStayItsText) {
    const Plan plan = parse_plan(R"(某县人民法院2022年司法改革工作要点
一、加强队伍建设
1.加强法官培训。
一是开展业务培训；二是开展岗位练兵。
责任部门：政治部
2.严格考核。一是完善考核指标；二是落实考核结果（政治部、审管办负责）。
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1", "2"}));
    EXPECT_EQ(task_of(plan, "1").text, "加强法官培训。\n一是开展业务培训；二是开展岗位练兵。");
    EXPECT_EQ(task_of(plan, "2").text, "严格考核。一是完善考核指标；二是落实考核结果。");
    EXPECT_EQ(departments_of(task_of(plan, "2").departments),
              (std::vector<Dept>{{"政治部", kLead}, {"审管办", kCo}}));
}

TEST(PlanGrammarLevels, ALeadInSentenceBeforeRunTogetherYiShiClausesIsTheSectionsNarrative) {
    const Plan plan = parse_plan(R"(某市中级人民法院2022年深化司法体制综合配套改革工作要点
一、深化审判权力运行机制改革
为落实司法责任制，重点抓好以下工作：一是完善院庭长阅核制度（审管办负责，2022年3月底前完成）；二是健全审判委员会工作规则（研究室负责）。
二、深化执行体制改革
围绕切实解决执行难，重点抓好以下工作：一是推行执行案件繁简分流（执行局负责，2022年6月底前完成）；二是加强执行款物管理（执行局、计划财务处负责）；三是建立失信惩戒联动机制（执行局、研究室负责，长期坚持）。
三、加强改革保障。坚持统筹推进。一是落实改革台账管理（办公室负责，2022年年底前完成），二是开展改革成效评估（审管办负责）。
四、强化队伍建设
按照从严治院要求，一是开展司法能力培训（政治部负责）；二是严格廉政监督（纪检监察室、政治部负责）。
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1.1", "1.2", "2.1", "2.2", "2.3",
                                                            "3.1", "3.2", "4.1", "4.2"}));
    const Task& execution = task_of(plan, "2.1");
    EXPECT_EQ(execution.label, "一是");
    EXPECT_EQ(execution.text, "一是推行执行案件繁简分流；");
    EXPECT_EQ(departments_of(execution.departments), (std::vector<Dept>{{"执行局", kLead}}));
    EXPECT_EQ(deadline_of(execution), "2022年6月底前完成=2022-06-30");
    EXPECT_EQ(departments_of(task_of(plan, "2.2").departments),
              (std::vector<Dept>{{"执行局", kLead}, {"计划财务处", kCo}}))
        << "each clause has the units of its own bracket";
    EXPECT_EQ(deadline_of(task_of(plan, "2.2")), "(none)");
    EXPECT_EQ(task_of(plan, "2.3").label, "三是");
    EXPECT_EQ(departments_of(task_of(plan, "2.3").departments),
              (std::vector<Dept>{{"执行局", kLead}, {"研究室", kCo}}));
    EXPECT_EQ(departments_of(task_of(plan, "1.2").departments),
              (std::vector<Dept>{{"研究室", kLead}}));
    // After 。 in the heading's own paragraph, and clauses parted by ，
    EXPECT_EQ(plan.sections[2].title, "加强改革保障");
    EXPECT_EQ(departments_of(task_of(plan, "3.1").departments),
              (std::vector<Dept>{{"办公室", kLead}}));
    EXPECT_EQ(deadline_of(task_of(plan, "3.1")), "2022年年底前完成=2022-12-31");
    EXPECT_EQ(task_of(plan, "3.2").label, "二是");
    EXPECT_EQ(departments_of(task_of(plan, "3.2").departments),
              (std::vector<Dept>{{"审管办", kLead}}));
    // After ，
    EXPECT_EQ(task_of(plan, "4.1").text, "一是开展司法能力培训；");
    EXPECT_EQ(departments_of(task_of(plan, "4.2").departments),
              (std::vector<Dept>{{"纪检监察室", kLead}, {"政治部", kCo}}));
    // The lead-ins are no task's text, and each is named where it stands.
    for (const auto& section : plan.sections) {
        for (const auto& task : section.tasks) {
            EXPECT_EQ(task.text.find("重点抓好"), std::string::npos) << task.number;
            EXPECT_EQ(task.text.find("从严治院"), std::string::npos) << task.number;
        }
    }
    EXPECT_TRUE(rl::test::any_has_text(plan.warnings, {"line 3", "为落实司法责任制"}))
        << ::testing::PrintToString(plan.warnings);
    EXPECT_TRUE(rl::test::any_has_text(plan.warnings, {"line 5", "围绕切实解决执行难"}))
        << ::testing::PrintToString(plan.warnings);
    EXPECT_TRUE(rl::test::any_has_text(plan.warnings, {"line 6", "坚持统筹推进"}))
        << ::testing::PrintToString(plan.warnings);
    EXPECT_TRUE(rl::test::any_has_text(plan.warnings, {"line 8", "按照从严治院要求"}))
        << ::testing::PrintToString(plan.warnings);
}

TEST(PlanGrammarLevels, ALeadInAfterTasksOfItsSectionStartsNewTasksNotTheLastOnesText) {
    const Plan plan = parse_plan(R"(某县人民法院2022年司法改革工作要点
一、加强诉讼服务
一是完善网上立案（立案庭负责，2022年5月底前完成）。
二是优化送达机制（立案庭、技术科负责）。
此外，为提升群众满意度。三是推行跨域立案（立案庭负责）；四是规范诉讼引导（诉讼服务中心负责，2022年9月底前完成）。
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1.1", "1.2", "1.3", "1.4"}));
    EXPECT_EQ(task_of(plan, "1.2").text, "二是优化送达机制。")
        << "the lead-in is not the text of the task before it";
    EXPECT_EQ(departments_of(task_of(plan, "1.2").departments),
              (std::vector<Dept>{{"立案庭", kLead}, {"技术科", kCo}}));
    EXPECT_EQ(task_of(plan, "1.4").label, "四是");
    EXPECT_EQ(departments_of(task_of(plan, "1.4").departments),
              (std::vector<Dept>{{"诉讼服务中心", kLead}}));
    EXPECT_EQ(deadline_of(task_of(plan, "1.4")), "2022年9月底前完成=2022-09-30");
    EXPECT_TRUE(rl::test::any_has_text(plan.warnings, {"line 5", "此外"}))
        << ::testing::PrintToString(plan.warnings);
}

TEST(PlanGrammarLevels, ALeadInInsideANumberedTaskStaysItsText) {
    const Plan plan = parse_plan(R"(某县人民法院2022年司法改革工作要点
一、加强队伍建设
1.加强法官培训（政治部负责）。
为此，重点抓好以下工作：一是开展业务培训；二是开展岗位练兵。
2.严格考核（审管办负责）。
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1", "2"}));
    EXPECT_EQ(task_of(plan, "1").text,
              "加强法官培训。\n为此，重点抓好以下工作：一是开展业务培训；二是开展岗位练兵。");
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"政治部", kLead}}));
}

TEST(PlanGrammarLevels, ItemsStayUnderTheirTask) {
    const Plan plan = parse_plan(R"(分工方案
一、推进人员分类管理改革
（一）加强队伍建设
1.加强法官助理、书记员的配备和培养。
（1）建立健全法官助理招录机制（政治部负责）。
（2）完善聘用制书记员管理制度（政治部、办公室负责）。
)");
    const Task& t = task_of(plan, "1");
    ASSERT_EQ(t.items.size(), 2u);
    EXPECT_EQ(departments_of(t.items[1].departments),
              (std::vector<Dept>{{"政治部", kLead}, {"办公室", kCo}}));
    EXPECT_EQ(t.items[1].where, "line 6");
    EXPECT_EQ(t.group->title, "加强队伍建设");
}

// ----------------------------------------------------- parts and no units

TEST(PlanGrammarParts, SectionNumberingThatStartsAgainIsASecondPartWithAWarning) {
    const Plan plan = fixture("annex-restart.txt");
    ASSERT_EQ(plan.sections.size(), 4u);
    EXPECT_EQ(plan.sections[1].part, 1);
    EXPECT_EQ(plan.sections[2].part, 2);
    EXPECT_EQ(plan.sections[2].title, "深化审判流程公开");
    EXPECT_EQ(plan.task_count(), 4u);
    EXPECT_TRUE(rl::test::any_has_text(plan.warnings, {"line 11", "part 2"}));
}

// The seed's division-of-labour part (with its closing note) written 23
// times over, tasks numbered on from 1 to 1,035: once read as 45 tasks,
// because the first note swallowed the rest of the file.
TEST(PlanGrammarParts, TheSeedRepeated23TimesGives1035Tasks) {
    const std::string seed = rl::test::seed_plan_text();
    const std::size_t body = seed.find("一、推进司法责任制");
    ASSERT_NE(body, std::string::npos);
    std::string text = seed.substr(0, body);
    const std::regex task(R"(^(\d+)\.)");
    for (int copy = 0; copy < 23; ++copy) {
        std::size_t start = body;
        while (start < seed.size()) {
            std::size_t end = seed.find('\n', start);
            end = end == std::string::npos ? seed.size() : end + 1;
            std::string line = seed.substr(start, end - start);
            std::smatch m;
            if (std::regex_search(line, m, task)) {
                line = std::to_string(std::stoi(m[1]) + 45 * copy) + line.substr(m[0].length() - 1);
            }
            text += line;
            start = end;
        }
        if (text.back() != '\n') {
            text += '\n';
        }
    }
    const Plan plan = parse_plan(text);
    EXPECT_EQ(plan.task_count(), 1035u);
    EXPECT_EQ(task_numbers(plan).back(), "1035");
    EXPECT_EQ(plan.sections.size(), 138u);
    EXPECT_EQ(plan.sections.back().part, 23);
    EXPECT_TRUE(rl::test::any_has_text(plan.warnings, {"part 2"}));
}

TEST(PlanGrammarParts, APlanWithoutUnitsIsReadWithAWarningForEachTask) {
    const Plan plan = fixture("no-units.txt");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1", "2", "3", "4"}));
    EXPECT_EQ(plan.warnings.size(), 4u);
    EXPECT_TRUE(rl::test::any_has_text(plan.warnings, {"task 3", "line 7", "nobody"}));
}

// -------------------------------------------------------------- hard wraps

std::string without_breaks(std::string text) {
    text.erase(std::remove(text.begin(), text.end(), '\n'), text.end());
    return text;
}

// The seed with every line cut at 35 characters: task 33's 技术科 breaks
// into 技术 / 科, and long task paragraphs into several lines.
TEST(PlanGrammarWrapped, TheSeedHardWrappedReadsAsTheSeed) {
    const std::string seed = rl::test::seed_plan_text();
    std::string wrapped;
    std::size_t start = 0;
    while (start <= seed.size()) {
        std::size_t end = seed.find('\n', start);
        if (end == std::string::npos) {
            end = seed.size();
        }
        const std::string_view line(seed.data() + start, end - start);
        std::size_t pos = 0;
        std::size_t chars = 0;
        std::size_t cut = 0;
        while (pos < line.size()) {
            rl::core::utf8::next(line, pos);
            if (++chars == 35 && pos < line.size()) {
                wrapped.append(line.substr(cut, pos - cut));
                wrapped += '\n';
                cut = pos;
                chars = 0;
            }
        }
        wrapped.append(line.substr(cut));
        wrapped += '\n';
        start = end + 1;
    }
    ASSERT_TRUE(rl::test::has_text(wrapped, "立案庭；技术\n科"));
    const Plan plan = parse_plan(wrapped);
    const Plan& seed_plan = rl::test::seed_plan();
    ASSERT_EQ(task_numbers(plan), task_numbers(seed_plan));
    for (const auto& section : seed_plan.sections) {
        for (const auto& expected : section.tasks) {
            const Task& task = task_of(plan, expected.number);
            EXPECT_EQ(departments_of(task.departments), departments_of(expected.departments))
                << "task " << expected.number;
            EXPECT_EQ(task.title, expected.title) << "task " << expected.number;
            // A cut right after a 。 cannot be told from a paragraph's end:
            // the text is the same but for where its paragraphs break.
            EXPECT_EQ(without_breaks(task.text), without_breaks(expected.text))
                << "task " << expected.number;
            ASSERT_EQ(task.items.size(), expected.items.size());
            for (std::size_t i = 0; i < expected.items.size(); ++i) {
                EXPECT_EQ(departments_of(task.items[i].departments),
                          departments_of(expected.items[i].departments));
            }
        }
    }
    EXPECT_TRUE(rl::test::is_empty(plan.warnings)) << ::testing::PrintToString(plan.warnings);
}

TEST(PlanGrammarWrapped, ABracketOfUnitsStartingTheNextLineEndsTheWrappedTask) {
    // The wrap falls just before the bracket: the next line starts with it.
    const Plan plan = parse_plan(R"(某区人民法院2023年司法改革工作要点
一、提升执行工作质效
　　1.完善执行指挥中心实体化运行机制，实行执行事务集约办理
（执行指挥中心、执行局负责，2023年6月底前完成）。
　　2.推行审判辅助人员分类管理，建立书记员集约化管理模式
（政治处、司法行政装备科负责，列第一位者为牵头部门，年底前完
成）。
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1", "2"}));
    const Task& t1 = task_of(plan, "1");
    EXPECT_EQ(departments_of(t1.departments),
              (std::vector<Dept>{{"执行指挥中心", kLead}, {"执行局", kCo}}));
    EXPECT_EQ(deadline_of(t1), "2023年6月底前完成=2023-06-30");
    EXPECT_EQ(t1.text, "完善执行指挥中心实体化运行机制，实行执行事务集约办理。");
    EXPECT_EQ(t1.departments[0].source, "（执行指挥中心、执行局负责，2023年6月底前完成）");
    const Task& t2 = task_of(plan, "2");
    EXPECT_EQ(departments_of(t2.departments),
              (std::vector<Dept>{{"政治处", kLead}, {"司法行政装备科", kCo}}));
    EXPECT_EQ(deadline_of(t2), "年底前完成=2023-12-31");
    EXPECT_TRUE(rl::test::is_empty(plan.warnings)) << ::testing::PrintToString(plan.warnings);
}

TEST(PlanGrammarWrapped, AClosingBracketWrappedOverLinesIsReadWhole) {
    const Plan plan = parse_plan(R"(某区人民法院2023年改革任务分工方案
一、深化审判改革
1.推进繁简分流。完善小额诉讼程序，对简单案件快审快结（民事审
判庭牵头，立案庭、技术科配合，2023年9月底前完成）。
2.规范审判监督。建立院庭长监督台账，全程留痕（审判管理办公室、纪
检监察室、
办公室负责，持续推进）。
3.推进执行改革。实行执行案件分段集约〔责任部门：执行局，
配合部门：技术科；完成时限：2023年6月底前〕
4.加强司法调研（重点课题
责任部门：研究室
完成时限：2023年年底前
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1", "2", "3", "4"}));
    const Task& t1 = task_of(plan, "1");
    ASSERT_EQ(departments_of(t1.departments),
              (std::vector<Dept>{{"民事审判庭", kLead}, {"立案庭", kCo}, {"技术科", kCo}}));
    EXPECT_EQ(deadline_of(t1), "2023年9月底前完成=2023-09-30");
    EXPECT_EQ(t1.text, "推进繁简分流。完善小额诉讼程序，对简单案件快审快结。");
    EXPECT_EQ(t1.departments[0].source,
              "（民事审判庭牵头，立案庭、技术科配合，2023年9月底前完成）");
    EXPECT_EQ(t1.where, "line 3");
    const Task& t2 = task_of(plan, "2");
    EXPECT_EQ(departments_of(t2.departments),
              (std::vector<Dept>{{"审判管理办公室", kLead}, {"纪检监察室", kCo}, {"办公室", kCo}}))
        << "a bracket over three lines, a name broken between two";
    EXPECT_EQ(deadline_of(t2), "持续推进=");
    const Task& t3 = task_of(plan, "3");
    EXPECT_EQ(departments_of(t3.departments),
              (std::vector<Dept>{{"执行局", kLead}, {"技术科", kCo}}))
        << "a labelled bracket goes on in a line that starts with a label";
    EXPECT_EQ(deadline_of(t3), "2023年6月底前=2023-06-30");
    const Task& t4 = task_of(plan, "4");
    EXPECT_EQ(departments_of(t4.departments), (std::vector<Dept>{{"研究室", kLead}}))
        << "a bracket that no line closes joins nothing: the lines read as before";
    EXPECT_EQ(deadline_of(t4), "2023年年底前=2023-12-31");
    EXPECT_EQ(t4.text, "加强司法调研（重点课题");
}

// ---------------------------------------------- Word-like documents (runs)

Block paragraph(std::vector<TextRun> runs, int position) {
    Block block;
    for (const auto& run : runs) {
        block.paragraph.text += run.text;
    }
    block.paragraph.runs = std::move(runs);
    block.paragraph.where = "paragraph " + std::to_string(position);
    block.paragraph.position = position;
    return block;
}

Document word_plan() {
    Document doc;
    doc.format = "docx";
    int p = 0;
    doc.blocks.push_back(paragraph({{"某市法院2019年司法改革分工方案", false}}, ++p));
    doc.blocks.push_back(paragraph({{"一、推进司法责任制", false}}, ++p));
    doc.blocks.push_back(paragraph({{"1.明确司法人员岗位职责。", false}}, ++p));
    doc.blocks.push_back(paragraph(
        {{"责任部门：", false}, {"干部科", false}, {"、", false}, {"技术科", true}}, ++p));
    doc.blocks.push_back(paragraph({{"2.推进繁简分流（", false},
                                    {"立案庭", true},
                                    {"、", false},
                                    {"民一庭", true},
                                    {"、审管办负责）。", false}},
                                   ++p));
    doc.blocks.push_back(paragraph({{"3.推进执行改革。", false}}, ++p));
    doc.blocks.push_back(paragraph({{"责任部门：执行局、技术科", false}}, ++p));
    return doc;
}

TEST(PlanGrammarBold, BoldNamesInAResponsibilityLineLeadAndTheOthersCooperate) {
    const Document doc = word_plan();
    DocumentBlocks source(doc);
    const Plan plan = parse_plan(source);
    EXPECT_EQ(plan.format, "docx");
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"干部科", kCo}, {"技术科", kLead}}));
    EXPECT_EQ(task_of(plan, "1").where, "paragraph 3");
    EXPECT_EQ(task_of(plan, "1").departments[1].source, "责任部门：干部科、技术科");
}

TEST(PlanGrammarBold, BoldNamesInAnInlineUnitListLead) {
    const Document doc = word_plan();
    DocumentBlocks source(doc);
    const Plan plan = parse_plan(source);
    EXPECT_EQ(departments_of(task_of(plan, "2").departments),
              (std::vector<Dept>{{"立案庭", kLead}, {"民一庭", kLead}, {"审管办", kCo}}));
}

TEST(PlanGrammarBold, WithoutBoldTheFirstListedLeads) {
    const Document doc = word_plan();
    DocumentBlocks source(doc);
    const Plan plan = parse_plan(source);
    EXPECT_EQ(departments_of(task_of(plan, "3").departments),
              (std::vector<Dept>{{"执行局", kLead}, {"技术科", kCo}}));
}

TEST(PlanGrammarTables, ALayoutTableIsReadCellByCellAsParagraphs) {
    Document doc;
    doc.format = "docx";
    doc.blocks.push_back(paragraph({{"某院工作要点", false}}, 1));
    Block table;
    table.kind = Block::Kind::table;
    table.table.where = "table 1";
    table.table.position = 2;
    rl::core::Cell left;
    left.text = "一、深化改革\n1.推进繁简分流（立案庭负责）。";
    rl::core::Cell right;
    right.text = "2.推进执行改革（执行局负责）。";
    table.table.rows = {{left, right}};
    doc.blocks.push_back(table);
    DocumentBlocks source(doc);
    const Plan plan = parse_plan(source);
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1", "2"}));
    EXPECT_EQ(task_of(plan, "2").where, "table 1 row 1 (cell 2)");
    EXPECT_EQ(departments_of(task_of(plan, "2").departments),
              (std::vector<Dept>{{"执行局", kLead}}));
}

}  // namespace
