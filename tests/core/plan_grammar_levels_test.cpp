// The paragraph grammar of rl::core::parse_plan, continued: label lines
// written with a mark (【牵头单位】, [牵头单位], ■牵头单位：), subsection tasks
// whose numbered measures carry no units of their own, and numbered tasks the
// plan writes before its first responsibility line (never dropped silently).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/plan_parser.h"
#include "core_test_helpers.h"
#include "test_assertions.h"

namespace {

using rl::test::deadline_of;
using rl::test::task_numbers;

using rl::core::parse_plan;
using rl::core::Plan;
using rl::core::Task;
using rl::test::departments_of;
using rl::test::Dept;
using rl::test::kCo;
using rl::test::kLead;
using rl::test::task_of;

// ------------------------------------------------------ marked label lines

constexpr const char* kMarkedLabels = R"(某县2022年重点工作任务分工方案
一、优化营商环境
1.压缩企业开办时间。
【责任领导】王五
【配合单位】县市场监管局、县税务局
【牵头单位】县行政审批局
【完成时限】2022年6月底前
2.推进工程建设项目审批制度改革。
【牵头单位：】县住房城乡建设局
【配合单位：】县自然资源局
【完成时限：】2022年9月底前
二、保障和改善民生
3.建设保障性租赁住房。
[牵头单位]县住房城乡建设局
［配合单位］县财政局、县城市管理局
[完成时限]2022年12月底前
4.改造提升农村公路。
■牵头单位：县交通运输局
■配合单位：县财政局
■完成时限：2022年一季度
5.推进义务教育优质均衡。
◆牵头单位：县教育局
●配合单位：县财政局、县人力资源社会保障局
●完成时限：长期坚持
6.建设乡镇养老服务中心。
【责任单位】县民政局、县卫生健康委
【完成时限】2022年10月底前
7.办好全县文化惠民活动。
【牵头单位】县文化旅游局　【配合单位】县财政局　【完成时限】2022年11月底前
)";

TEST(PlanGrammarMarkedLabels, LabelsInSquareBracketsGiveDepartmentsAndDeadlines) {
    const Plan plan = parse_plan(kMarkedLabels);
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7"}));
    const Task& t2 = task_of(plan, "2");
    EXPECT_EQ(departments_of(t2.departments),
              (std::vector<Dept>{{"县住房城乡建设局", kLead}, {"县自然资源局", kCo}}))
        << "【牵头单位：】 is a label too";
    EXPECT_EQ(deadline_of(t2), "2022年9月底前=2022-09-30");
    const Task& t3 = task_of(plan, "3");
    EXPECT_EQ(
        departments_of(t3.departments),
        (std::vector<Dept>{{"县住房城乡建设局", kLead}, {"县财政局", kCo}, {"县城市管理局", kCo}}));
    EXPECT_EQ(deadline_of(t3), "2022年12月底前=2022-12-31");
    EXPECT_EQ(departments_of(task_of(plan, "6").departments),
              (std::vector<Dept>{{"县民政局", kLead}, {"县卫生健康委", kCo}}))
        << "【责任单位】 alone: the first listed leads";
    EXPECT_EQ(departments_of(task_of(plan, "7").departments),
              (std::vector<Dept>{{"县文化旅游局", kLead}, {"县财政局", kCo}}))
        << "several marked labels on one line";
    EXPECT_EQ(deadline_of(task_of(plan, "7")), "2022年11月底前=2022-11-30");
    ASSERT_FALSE(t3.departments.empty());
    EXPECT_EQ(t3.departments[0].source, "[牵头单位]县住房城乡建设局")
        << "the source is the line as written";
    EXPECT_EQ(plan.responsibility_lines, 12u);
    EXPECT_TRUE(rl::test::is_empty(plan.warnings)) << ::testing::PrintToString(plan.warnings);
}

TEST(PlanGrammarMarkedLabels, LabelsAfterABulletMarkAreRead) {
    const Plan plan = parse_plan(kMarkedLabels);
    const Task& t4 = task_of(plan, "4");
    EXPECT_EQ(departments_of(t4.departments),
              (std::vector<Dept>{{"县交通运输局", kLead}, {"县财政局", kCo}}));
    EXPECT_EQ(deadline_of(t4), "2022年一季度=2022-03-31");
    const Task& t5 = task_of(plan, "5");
    EXPECT_EQ(
        departments_of(t5.departments),
        (std::vector<Dept>{{"县教育局", kLead}, {"县财政局", kCo}, {"县人力资源社会保障局", kCo}}));
    EXPECT_EQ(deadline_of(t5), "长期坚持=");
}

TEST(PlanGrammarMarkedLabels, CooperatingUnitsBeforeTheLeadKeepThePrintedOrder) {
    const Plan plan = parse_plan(kMarkedLabels);
    const Task& t1 = task_of(plan, "1");
    EXPECT_EQ(
        departments_of(t1.departments),
        (std::vector<Dept>{{"县市场监管局", kCo}, {"县税务局", kCo}, {"县行政审批局", kLead}}))
        << "roles from the labels, order as printed; the leader is no department";
    EXPECT_EQ(deadline_of(t1), "2022年6月底前=2022-06-30");
    EXPECT_TRUE(rl::test::has_text(t1.text, "王五")) << "the leader in charge stays in the text";
}

// ---------------------------------------- measures under a subsection task

constexpr const char* kMeasures = R"(某区人民法院2023年审判执行改革要点
一、深化审判权力运行机制改革
（一）完善审判团队建设。
1.按案件类型组建专业化审判团队。
2.落实法官助理、书记员配置比例。
责任部门：政治处（牵头）、审判管理办公室、民事审判一庭
完成时限：2023年5月底前
（二）规范院庭长监督管理。
1.制定院庭长监督管理权责清单。
2.建立监督管理全程留痕机制。
3.定期通报监督管理情况。
牵头部门：审判管理办公室　配合部门：办公室　完成时限：2023年8月底前
二、深化诉讼服务改革
（一）推进跨域立案服务。
1.完善跨域立案工作流程。
责任部门：立案庭、技术科
完成时限：2023年3月底前
（二）优化诉前调解。
1.建立特邀调解员名册。
2.完善诉调对接平台。
责任部门：诉讼服务中心
完成时限：常态化开展
)";

TEST(PlanGrammarMeasures, UnitsAfterARunOfMeasuresBelongToTheSubsection) {
    const Plan plan = parse_plan(kMeasures);
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1.1", "1.2", "2.1", "2.2"}))
        << "the （一） headings are the tasks, not their measures";
    const Task& t = task_of(plan, "1.1");
    EXPECT_EQ(t.label, "（一）");
    EXPECT_EQ(t.title, "完善审判团队建设");
    EXPECT_EQ(t.text,
              "完善审判团队建设。\n1.按案件类型组建专业化审判团队。\n2.落实法官助理、"
              "书记员配置比例。")
        << "the measures are the task's text";
    EXPECT_EQ(
        departments_of(t.departments),
        (std::vector<Dept>{{"政治处", kLead}, {"审判管理办公室", kCo}, {"民事审判一庭", kCo}}));
    EXPECT_EQ(deadline_of(t), "2023年5月底前=2023-05-31");
    EXPECT_EQ(t.where, "line 3");
    const Task& t12 = task_of(plan, "1.2");
    EXPECT_EQ(departments_of(t12.departments),
              (std::vector<Dept>{{"审判管理办公室", kLead}, {"办公室", kCo}}));
    EXPECT_EQ(deadline_of(t12), "2023年8月底前=2023-08-31");
    EXPECT_EQ(departments_of(task_of(plan, "2.1").departments),
              (std::vector<Dept>{{"立案庭", kLead}, {"技术科", kCo}}))
        << "a subsection with a single measure is a task like the others";
    EXPECT_EQ(deadline_of(task_of(plan, "2.2")), "常态化开展=");
    EXPECT_TRUE(rl::test::is_empty(plan.warnings)) << ::testing::PrintToString(plan.warnings);
}

TEST(PlanGrammarMeasures, NumberedTasksWithTheirOwnUnitsStayTasksUnderTheirSubsection) {
    // One task without units of its own among tasks that carry them: the
    // numbered lines are still the tasks, the first assigned to nobody.
    const Plan plan = parse_plan(R"(某院2023年改革任务
一、深化审判权力运行机制改革
（一）完善审判团队建设
1.按案件类型组建专业化审判团队。
2.落实法官助理配置比例。
责任部门：政治处
3.完善审判团队考核办法。
责任部门：审判管理办公室
（二）规范院庭长监督管理
4.制定院庭长监督管理权责清单。
责任部门：审判管理办公室、办公室
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1", "2", "3", "4"}));
    EXPECT_EQ(task_of(plan, "2").group->title, "完善审判团队建设");
    EXPECT_EQ(departments_of(task_of(plan, "2").departments),
              (std::vector<Dept>{{"政治处", kLead}}));
    EXPECT_TRUE(task_of(plan, "1").departments.empty());
    EXPECT_TRUE(rl::test::any_has_text(plan.warnings, {"task 1", "line 4", "nobody"}));
}

// ------------------------------------------- tasks before the first units

TEST(PlanGrammarNothingDropped, TasksNumberedOnToTheFirstAssignedTaskAreRead) {
    // Section 一's tasks assign nobody yet; the numbering runs on into
    // section 二, where the units start. Once they went to the preamble
    // with only a warning that the numbering had a gap.
    const Plan plan = parse_plan(R"(某院2021年司法改革任务分工
为推进改革，制定本方案。
一、推进立案制度改革
1.完善网上立案工作机制。
2.推行跨域立案诉讼服务。
二、推进审判制度改革
3.完善审判团队运行机制。
责任部门：政治处
完成时限：2021年5月底前
4.规范专业法官会议。
责任部门：审判管理办公室
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1", "2", "3", "4"}));
    ASSERT_EQ(plan.sections.size(), 2u);
    EXPECT_EQ(plan.sections[0].title, "推进立案制度改革");
    EXPECT_EQ(plan.preamble, "为推进改革，制定本方案。");
    EXPECT_TRUE(rl::test::any_has_text(plan.warnings, {"task 1", "line 4", "nobody"}));
    EXPECT_FALSE(rl::test::any_has_text(plan.warnings, {"gap"}))
        << ::testing::PrintToString(plan.warnings);
}

TEST(PlanGrammarNothingDropped, SectionsNumberedOnToTheFirstAssignedTaskAreRead) {
    // Task numbers start again in each section: the section numbering
    // 一、二、 joins section 一 to the plan's body.
    const Plan plan = parse_plan(R"(某院2021年司法改革任务分工
一、推进立案制度改革
1.完善网上立案工作机制。
2.推行跨域立案诉讼服务。
二、推进审判制度改革
1.完善审判团队运行机制。
责任部门：政治处
2.规范专业法官会议。
责任部门：审判管理办公室
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1.1", "1.2", "2.1", "2.2"}));
    EXPECT_EQ(task_of(plan, "1.2").text, "推行跨域立案诉讼服务。");
}

TEST(PlanGrammarNothingDropped, ATaskLeftInThePreambleIsWarnedByItsLine) {
    // Numbering that neither runs on to the first task (3 is missing) nor
    // sits in a section of the body: the lines stay in the preamble, each
    // said so with its line.
    const Plan plan = parse_plan(R"(某院2021年司法改革任务分工
1.完善网上立案工作机制。
2.推行跨域立案诉讼服务。
一、推进审判制度改革
4.完善审判团队运行机制。
责任部门：政治处
5.规范专业法官会议。
责任部门：审判管理办公室
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"4", "5"}));
    EXPECT_TRUE(rl::test::any_has_text(plan.warnings, {"line 2", "完善网上立案", "preamble"}))
        << ::testing::PrintToString(plan.warnings);
    EXPECT_TRUE(rl::test::any_has_text(plan.warnings, {"line 3", "preamble"}));
}

TEST(PlanGrammarNothingDropped, APreamblesOwnNumberedHeadingsAreNotWarnedOf) {
    const Plan plan = parse_plan(R"(某院2021年司法改革任务分工
1.指导思想
坚持深化司法体制改革。
2.工作要求
一、推进审判制度改革
1.完善审判团队运行机制。
责任部门：政治处
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1"}));
    EXPECT_TRUE(rl::test::has_text(plan.preamble, "1.指导思想"));
    EXPECT_TRUE(rl::test::is_empty(plan.warnings)) << ::testing::PrintToString(plan.warnings);
}

}  // namespace
