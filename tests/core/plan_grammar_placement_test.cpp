// Where a plan puts a task's units, its deadline and a section's body when
// they do not stand where the grammar first expected them: a unit bracket
// followed by its deadline, a deadline in the task's own words, a deadline
// at the end of a labelled unit list, and a section heading whose paragraph
// goes on with the section's tasks (rl::core::parse_plan).
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

// ------------------------------------------- a unit bracket, then its deadline

TEST(PlanGrammarPlacement, TheDeadlineAfterAUnitBracketIsTheTasksDeadline) {
    const Plan plan = parse_plan(R"(某省高级人民法院2022年商事审判改革任务分工
一、优化审判资源配置
1、推进案件繁简分流，健全快审机制。〔责任部门：民一庭，配合部门：立案庭、审管办〕2022年6月底前完成。
2、完善破产审判机制。〔责任部门：民二庭，配合部门：研究室〕。2022年9月底前完成。
3、统一裁判尺度。〔责任单位：民三庭、刑二庭等有关部门按职责分工负责〕长期坚持。
4、建立类案检索制度（研究室、技术处负责）2022年底前完成。
5、规范小额诉讼程序。〔责任部门：民二庭；完成时限：2022年3月底前〕
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1", "2", "3", "4", "5"}));
    const Task& t1 = task_of(plan, "1");
    ASSERT_EQ(departments_of(t1.departments),
              (std::vector<Dept>{{"民一庭", kLead}, {"立案庭", kCo}, {"审管办", kCo}}))
        << "the bracket is read although a deadline sentence follows it";
    EXPECT_EQ(deadline_of(t1), "2022年6月底前完成=2022-06-30");
    EXPECT_EQ(t1.text, "推进案件繁简分流，健全快审机制。")
        << "neither the bracket nor the deadline after it is task text";
    EXPECT_EQ(t1.departments[0].source, "〔责任部门：民一庭，配合部门：立案庭、审管办〕");
    const Task& t2 = task_of(plan, "2");
    EXPECT_EQ(departments_of(t2.departments),
              (std::vector<Dept>{{"民二庭", kLead}, {"研究室", kCo}}))
        << "a full stop between the bracket and the deadline";
    EXPECT_EQ(deadline_of(t2), "2022年9月底前完成=2022-09-30");
    EXPECT_EQ(t2.text, "完善破产审判机制。");
    const Task& t3 = task_of(plan, "3");
    EXPECT_EQ(departments_of(t3.departments),
              (std::vector<Dept>{{"民三庭", kLead}, {"刑二庭", kCo}}));
    EXPECT_EQ(deadline_of(t3), "长期坚持=");
    EXPECT_EQ(departments_of(task_of(plan, "4").departments),
              (std::vector<Dept>{{"研究室", kLead}, {"技术处", kCo}}));
    EXPECT_EQ(deadline_of(task_of(plan, "4")), "2022年底前完成=2022-12-31");
    EXPECT_EQ(deadline_of(task_of(plan, "5")), "2022年3月底前=2022-03-31")
        << "a bracket that ends the task reads as before";
    EXPECT_TRUE(rl::test::is_empty(plan.warnings)) << ::testing::PrintToString(plan.warnings);
}

TEST(PlanGrammarPlacement, ABracketFollowedByMoreThanADeadlineIsTaskText) {
    const Plan plan = parse_plan(R"(某县人民法院2022年改革任务
一、深化诉源治理
1.推进诉调对接（立案庭）。形成矛盾纠纷源头化解的长效机制。
责任部门：立案庭
2.完善调解平台（试行）2022年底前完成上线运行，并向全院推广使用。
责任部门：技术科
)");
    const Task& t1 = task_of(plan, "1");
    EXPECT_EQ(t1.text, "推进诉调对接（立案庭）。形成矛盾纠纷源头化解的长效机制。");
    EXPECT_EQ(departments_of(t1.departments), (std::vector<Dept>{{"立案庭", kLead}}));
    const Task& t2 = task_of(plan, "2");
    EXPECT_EQ(t2.text, "完善调解平台（试行）2022年底前完成上线运行，并向全院推广使用。")
        << "a bracket in the middle of a sentence is not a unit list";
    EXPECT_EQ(departments_of(t2.departments), (std::vector<Dept>{{"技术科", kLead}}));
}

// ------------------------------------- a section heading that goes on as body

TEST(PlanGrammarPlacement, ASectionHeadingIsItsFirstSentenceAndTheRestIsItsBody) {
    const Plan plan = parse_plan(R"(某县人民法院2022年司法改革工作要点
一、深化审判权力运行改革。一是完善院庭长阅核制度（审管办负责，2022年3月底前完成）；二是健全法官考核办法（政治部、审管办负责，长期坚持）。
二、推进执行改革。
一是推行执行繁简分流（执行局负责，2022年4月底前完成）。
三、加强改革保障。一是落实改革台账管理（办公室负责）。
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1.1", "1.2", "2.1", "3.1"}));
    ASSERT_EQ(plan.sections.size(), 3u);
    EXPECT_EQ(plan.sections[0].title, "深化审判权力运行改革")
        << "the heading is its first sentence, not the whole paragraph";
    const Task& first = task_of(plan, "1.1");
    EXPECT_EQ(first.label, "一是");
    EXPECT_EQ(departments_of(first.departments), (std::vector<Dept>{{"审管办", kLead}}));
    EXPECT_EQ(deadline_of(first), "2022年3月底前完成=2022-03-31");
    EXPECT_EQ(first.where, "line 2");
    EXPECT_EQ(departments_of(task_of(plan, "1.2").departments),
              (std::vector<Dept>{{"政治部", kLead}, {"审管办", kCo}}));
    EXPECT_EQ(departments_of(task_of(plan, "3.1").departments),
              (std::vector<Dept>{{"办公室", kLead}}));
    EXPECT_EQ(plan.sections[2].title, "加强改革保障");
    EXPECT_TRUE(rl::test::is_empty(plan.warnings)) << ::testing::PrintToString(plan.warnings);
}

TEST(PlanGrammarPlacement, ASectionsBodyThatIsNoTaskIsAWarningNamingItsLine) {
    const Plan plan = parse_plan(R"(某县人民法院2022年改革任务
一、总体要求。坚持问题导向，统筹推进各项改革。
1.完善审判监督机制。
责任部门：审管办
)");
    EXPECT_EQ(plan.sections[0].title, "总体要求");
    bool warned = false;
    for (const auto& warning : plan.warnings) {
        warned = warned || (rl::test::has_text(warning, "line 2") &&
                            rl::test::has_text(warning, "坚持问题导向"));
    }
    EXPECT_TRUE(warned) << "the body after a heading is never dropped silently: "
                        << ::testing::PrintToString(plan.warnings);
}

// ---------------------------------------- deadlines in a task's own words

TEST(PlanGrammarPlacement, ADeadlineInTheTasksOwnTextIsItsDeadline) {
    const Plan plan = parse_plan(R"(某市中级人民法院2022年改革任务
一、推进审判改革
1.完善审判监督管理机制，2022年6月底前完成。
责任部门：审管办
2.推进电子卷宗随案生成，年底前实现全覆盖。（技术科负责）
3.健全法官考核办法，2021年已出台的考核细则继续执行。
责任部门：政治部
4.规范终本案件管理，2022年3月底前完成清理。
责任部门：执行局
完成时限：2022年9月底前
)");
    EXPECT_EQ(deadline_of(task_of(plan, "1")), "2022年6月底前完成=2022-06-30")
        << "no 完成时限 line, no bracket: the task's words give its deadline";
    EXPECT_EQ(task_of(plan, "1").text, "完善审判监督管理机制，2022年6月底前完成。")
        << "the words stay the task's text";
    EXPECT_EQ(deadline_of(task_of(plan, "2")), "年底前=2022-12-31");
    EXPECT_EQ(deadline_of(task_of(plan, "3")), "(none)") << "a year in passing is not a deadline";
    EXPECT_EQ(deadline_of(task_of(plan, "4")), "2022年9月底前=2022-09-30")
        << "a 完成时限 line wins over the task's words";
}

TEST(PlanGrammarPlacement, WordsEndingAUnitBracketThatAreNoNamesAreNeverDepartments) {
    const Plan plan = parse_plan(R"(某市中级人民法院2022年改革任务
一、推进审判改革
1.完善审判监督管理机制。〔责任单位：审管办、研究室，常态化开展〕
2.推进电子卷宗随案生成。〔责任单位：技术科，2022年10月底前完成〕
3.规范终本案件管理。
责任单位：执行局、审管办，2022年8月底前完成
)");
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"审管办", kLead}, {"研究室", kCo}}));
    EXPECT_EQ(deadline_of(task_of(plan, "1")), "常态化开展=");
    EXPECT_EQ(departments_of(task_of(plan, "2").departments),
              (std::vector<Dept>{{"技术科", kLead}}));
    EXPECT_EQ(deadline_of(task_of(plan, "2")), "2022年10月底前完成=2022-10-31");
    EXPECT_EQ(departments_of(task_of(plan, "3").departments),
              (std::vector<Dept>{{"执行局", kLead}, {"审管办", kCo}}));
    EXPECT_EQ(deadline_of(task_of(plan, "3")), "2022年8月底前完成=2022-08-31");
}

// ------------------------------------------------- text wrapped at 24 characters

TEST(PlanGrammarPlacement, UnitsAndDeadlinesWrappedAt24CharactersAreReadWhole) {
    const Plan plan = parse_plan(R"(某市中级人民法院2020年改革任务
一、推进审判改革
　　1.完善审判监督管理机制，健全院庭长
阅核制度。（审判管理办公室、研究室、
纪检监察室负责，2020年10
月底前完成）
　　2.推进电子卷宗随案生成。〔责任部门
：技术科，配合部门：审判管理办公室
、办公室〕2020年12月
底前完成。
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1", "2"}));
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"审判管理办公室", kLead}, {"研究室", kCo}, {"纪检监察室", kCo}}));
    EXPECT_EQ(deadline_of(task_of(plan, "1")), "2020年10月底前完成=2020-10-31");
    EXPECT_EQ(departments_of(task_of(plan, "2").departments),
              (std::vector<Dept>{{"技术科", kLead}, {"审判管理办公室", kCo}, {"办公室", kCo}}));
    EXPECT_EQ(deadline_of(task_of(plan, "2")), "2020年12月底前完成=2020-12-31");
}

}  // namespace
