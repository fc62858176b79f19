// rl::core::parse_plan, specified on the real seed plan
// (host_stub/demo/yanji-2019-plan.txt) and on small plans that vary its
// punctuation and labels the way other courts' documents do.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "core/plan_parser.h"
#include "core_test_helpers.h"
#include "test_assertions.h"

namespace {

using rl::test::task_numbers;

using rl::core::LeadRule;
using rl::core::parse_plan;
using rl::core::ParseOptions;
using rl::core::Plan;
using rl::core::PlanError;
using rl::test::departments_of;
using rl::test::Dept;
using rl::test::kCo;
using rl::test::kLead;
using rl::test::seed_plan;
using rl::test::task_of;

// The message of the PlanError parse_plan throws, or a marker if it throws none.
std::string plan_error_of(const std::string& text, const ParseOptions& options = {}) {
    try {
        parse_plan(text, options);
    } catch (const PlanError& e) {
        return e.what();
    }
    return "(parse_plan threw no PlanError)";
}

// ------------------------------------------------------------------ the seed

TEST(PlanParserSeed, HasSixSectionsNumberedInChineseWithTheirTitles) {
    const Plan& plan = seed_plan();
    ASSERT_EQ(plan.sections.size(), 6u);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"一", "推进司法责任制"},         {"二", "推进人员分类管理改革"},
        {"三", "更好落实司法为民"},       {"四", "推进审判执行领域改革"},
        {"五", "推进机构改革向纵深发展"}, {"六", "深化司法公开"},
    };
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(plan.sections[i].number, expected[i].first) << "section " << i;
        EXPECT_EQ(plan.sections[i].title, expected[i].second) << "section " << i;
    }
}

TEST(PlanParserSeed, Has45TasksNumbered1To45InDocumentOrder) {
    const Plan& plan = seed_plan();
    std::vector<std::string> expected;
    for (int n = 1; n <= 45; ++n) {
        expected.push_back(std::to_string(n));
    }
    EXPECT_EQ(task_numbers(plan), expected);
    EXPECT_EQ(plan.task_count(), 45u);
}

TEST(PlanParserSeed, TasksBelongToTheSectionTheyAreWrittenUnder) {
    const Plan& plan = seed_plan();
    ASSERT_EQ(plan.sections.size(), 6u);
    const std::vector<std::pair<std::string, std::string>> first_and_last = {
        {"1", "11"}, {"12", "19"}, {"20", "27"}, {"28", "40"}, {"41", "41"}, {"42", "45"},
    };
    for (std::size_t i = 0; i < first_and_last.size(); ++i) {
        const auto& tasks = plan.sections[i].tasks;
        ASSERT_FALSE(tasks.empty()) << "section " << plan.sections[i].number;
        EXPECT_EQ(tasks.front().number, first_and_last[i].first);
        EXPECT_EQ(tasks.back().number, first_and_last[i].second);
    }
}

TEST(PlanParserSeed, Reads46ResponsibilityLinesAndTwoItems) {
    EXPECT_EQ(seed_plan().responsibility_lines, 46u);
    EXPECT_EQ(seed_plan().item_count(), 2u);
}

TEST(PlanParserSeed, Task14IsSplitIntoTwoItemsEachLedByTheCadreSection) {
    const auto& task = task_of(seed_plan(), "14");
    EXPECT_EQ(task.title, "加强法官助理、书记员的配备和培养");
    EXPECT_EQ(task.text, "加强法官助理、书记员的配备和培养。");
    EXPECT_TRUE(rl::test::is_empty(task.departments));
    ASSERT_EQ(task.items.size(), 2u);
    EXPECT_EQ(task.items[0].number, "1");
    EXPECT_EQ(task.items[1].number, "2");
    EXPECT_TRUE(
        rl::test::begins_with(task.items[0].text, "建立健全符合司法职业特点的法官助理招录机制"));
    EXPECT_TRUE(rl::test::begins_with(task.items[1].text, "积极研究建立法官后备人才培养体系"));
    EXPECT_EQ(departments_of(task.items[0].departments), (std::vector<Dept>{{"干部科", kLead}}));
    EXPECT_EQ(departments_of(task.items[1].departments), (std::vector<Dept>{{"干部科", kLead}}));
    EXPECT_EQ(task.line, 56);
    EXPECT_EQ(task.items[0].line, 57);
    EXPECT_EQ(task.items[1].line, 59);
}

TEST(PlanParserSeed, Task33ListsSixDepartmentsSeparatedByFullWidthSemicolons) {
    EXPECT_EQ(departments_of(task_of(seed_plan(), "33").departments),
              (std::vector<Dept>{{"刑庭", kLead},
                                 {"民庭", kCo},
                                 {"行政庭（综合审判庭）", kCo},
                                 {"执行指挥中心", kCo},
                                 {"立案庭", kCo},
                                 {"技术科", kCo}}));
}

TEST(PlanParserSeed, FirstListedDepartmentLeadsByDefault) {
    EXPECT_EQ(departments_of(task_of(seed_plan(), "24").departments),
              (std::vector<Dept>{{"朝阳川法庭", kLead},
                                 {"办公室", kCo},
                                 {"干部科", kCo},
                                 {"审管办", kCo},
                                 {"技术科", kCo}}));
}

TEST(PlanParserSeed, EveryTaskAndItemHasExactlyOneLeadAndItIsTheFirstListed) {
    for (const auto& section : seed_plan().sections) {
        for (const auto& task : section.tasks) {
            const auto check = [&](const std::vector<rl::core::DepartmentRef>& refs,
                                   const std::string& where) {
                ASSERT_FALSE(refs.empty()) << where;
                EXPECT_EQ(refs.front().role, kLead) << where;
                for (std::size_t i = 1; i < refs.size(); ++i) {
                    EXPECT_EQ(refs[i].role, kCo) << where << " department " << refs[i].name;
                }
            };
            if (task.items.empty()) {
                check(task.departments, "task " + task.number);
            }
            for (const auto& item : task.items) {
                check(item.departments, "task " + task.number + " item " + item.number);
            }
        }
    }
}

TEST(PlanParserSeed, TaskTitleIsTheFirstSentenceWithoutItsFullStop) {
    EXPECT_EQ(task_of(seed_plan(), "1").title, "加强审判团队建设");
    EXPECT_EQ(task_of(seed_plan(), "25").title, "推进家事审判方式改革工作");
    EXPECT_EQ(task_of(seed_plan(), "8").title, "进一步完善“四类案件”识别监督制度");
    EXPECT_EQ(task_of(seed_plan(), "45").title, "深化执行信息公开");
}

TEST(PlanParserSeed, TaskTextKeepsBothParagraphsJoinedByNewline) {
    const auto& task = task_of(seed_plan(), "1");
    EXPECT_TRUE(
        rl::test::begins_with(task.text, "加强审判团队建设。根据案件数量、案件类型、难易程度"));
    const auto newline = task.text.find('\n');
    ASSERT_NE(newline, std::string::npos);
    EXPECT_EQ(task.text.find('\n', newline + 1), std::string::npos) << "exactly two paragraphs";
    EXPECT_EQ(task.text.substr(newline + 1),
              "统筹内设机构改革与审判团队建设，实行“院—综合审判庭”管理模式。");
    EXPECT_EQ(task.line, 28);

    const auto& task40 = task_of(seed_plan(), "40");
    EXPECT_TRUE(rl::test::has_text(task40.text, "不断提升执行质效。\n完善立、审、执相衔接机制。"));
}

TEST(PlanParserSeed, TaskTextDoesNotIncludeTheResponsibilityLine) {
    EXPECT_FALSE(rl::test::has_text(task_of(seed_plan(), "2").text, "责任部门"));
    EXPECT_EQ(task_of(seed_plan(), "25").text, "推进家事审判方式改革工作。");
}

TEST(PlanParserSeed, DepartmentNamesAreKeptAsWrittenIncludingGroupNames) {
    EXPECT_EQ(departments_of(task_of(seed_plan(), "5").departments),
              (std::vector<Dept>{{"研究室", kLead}, {"技术科", kCo}, {"各审判执行部门", kCo}}));
    EXPECT_EQ(departments_of(task_of(seed_plan(), "27").departments),
              (std::vector<Dept>{{"行政庭（综合审判庭）", kLead}}));
    EXPECT_EQ(departments_of(task_of(seed_plan(), "40").departments),
              (std::vector<Dept>{{"执行局", kLead}, {"立案审判各部门", kCo}}));
}

TEST(PlanParserSeed, WorkPointsPreambleIsNarrativeNotTasks) {
    const Plan& plan = seed_plan();
    EXPECT_TRUE(rl::test::has_text(plan.preamble, "指导思想"));
    EXPECT_TRUE(rl::test::has_text(plan.preamble, "工作要求"));
    EXPECT_TRUE(rl::test::has_text(plan.preamble, "推进人员分类管理改革"));
    EXPECT_TRUE(rl::test::begins_with(plan.preamble, "为响党中央的号召"));
    EXPECT_TRUE(rl::test::has_text(plan.preamble, "现将有关任务分工如下："));
    for (const auto& section : plan.sections) {
        for (const auto& task : section.tasks) {
            EXPECT_NE(task.title, "指导思想") << "task " << task.number;
            EXPECT_NE(task.title, "工作内容") << "task " << task.number;
            EXPECT_NE(task.title, "工作要求") << "task " << task.number;
        }
    }
}

TEST(PlanParserSeed, TitleIsTheFirstLineAndNotesAreTheClosingNote) {
    EXPECT_EQ(seed_plan().title, "延吉市法院司法改革工作要点及分工方案");
    EXPECT_TRUE(rl::test::begins_with(seed_plan().notes, "注"));
    EXPECT_EQ(seed_plan().notes,
              "注：以上任务，黑体字标注的为牵头责任部门。因绝大多数项目为全年持续推进改革项目，"
              "故分工方案没有列完成时限。");
}

TEST(PlanParserSeed, WordBookmarkArtefactsAreStripped) {
    EXPECT_FALSE(rl::test::has_text(seed_plan().preamble, "[bookmark"));
    EXPECT_TRUE(rl::test::has_text(seed_plan().preamble, "\n（二）加强组织领导和监督。"));
}

TEST(PlanParserSeed, YieldsNoWarnings) {
    EXPECT_TRUE(rl::test::is_empty(seed_plan().warnings));
}

TEST(PlanParserSeed, LeadOverrideMakesTheNamedDepartmentTheOnlyLead) {
    ParseOptions options;
    options.lead_overrides = {{"33", "民庭"}};
    const Plan plan = parse_plan(rl::test::seed_plan_text(), options);
    EXPECT_EQ(departments_of(task_of(plan, "33").departments),
              (std::vector<Dept>{{"刑庭", kCo},
                                 {"民庭", kLead},
                                 {"行政庭（综合审判庭）", kCo},
                                 {"执行指挥中心", kCo},
                                 {"立案庭", kCo},
                                 {"技术科", kCo}}));
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
    // Other tasks are untouched.
    EXPECT_EQ(departments_of(task_of(plan, "35").departments),
              (std::vector<Dept>{{"民庭", kLead}, {"刑庭", kCo}, {"行政庭（综合审判庭）", kCo}}));
}

TEST(PlanParserSeed, LeadOverrideNamingAnAbsentDepartmentWarnsAndChangesNothing) {
    ParseOptions options;
    options.lead_overrides = {{"33", "干部科"}};
    const Plan plan = parse_plan(rl::test::seed_plan_text(), options);
    EXPECT_EQ(departments_of(task_of(plan, "33").departments),
              departments_of(task_of(seed_plan(), "33").departments));
    ASSERT_EQ(plan.warnings.size(), 1u);
    EXPECT_TRUE(rl::test::has_text(plan.warnings[0], {"干部科", "33"}));
}

TEST(PlanParserSeed, LeadOverrideMatchesAcrossFullWidthAndAsciiParentheses) {
    ParseOptions options;
    options.lead_overrides = {{"33", "行政庭(综合审判庭)"}};
    const Plan plan = parse_plan(rl::test::seed_plan_text(), options);
    const auto depts = departments_of(task_of(plan, "33").departments);
    ASSERT_EQ(depts.size(), 6u);
    EXPECT_EQ(depts[0], (Dept{"刑庭", kCo}));
    EXPECT_EQ(depts[2], (Dept{"行政庭（综合审判庭）", kLead}));
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
}

TEST(PlanParser, LeadOverrideKeyedTaskAndItemAppliesToThatItem) {
    ParseOptions options;
    options.lead_overrides = {{"1(2)", "技术科"}};
    const Plan plan = parse_plan(R"(分工方案
二、推进人员分类管理改革
1.加强法官助理、书记员的配备和培养。
（1）建立健全法官助理招录机制。
责任部门：干部科、技术科
（2）积极研究建立法官后备人才培养体系。
责任部门：干部科、技术科
)",
                                 options);
    const auto& task = task_of(plan, "1");
    ASSERT_EQ(task.items.size(), 2u);
    EXPECT_EQ(departments_of(task.items[0].departments),
              (std::vector<Dept>{{"干部科", kLead}, {"技术科", kCo}}));
    EXPECT_EQ(departments_of(task.items[1].departments),
              (std::vector<Dept>{{"干部科", kCo}, {"技术科", kLead}}));
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
}

TEST(PlanParserSeed, ExplicitOnlyLeadRuleLeavesPlainListsWithoutLeadAndWarnsForEach) {
    ParseOptions options;
    options.lead_rule = LeadRule::explicit_only;
    const Plan plan = parse_plan(rl::test::seed_plan_text(), options);
    EXPECT_EQ(departments_of(task_of(plan, "2").departments),
              (std::vector<Dept>{{"干部科", kCo}, {"技术科", kCo}}));
    // 44 tasks without items plus task 14's two items.
    EXPECT_EQ(plan.warnings.size(), 46u);
    EXPECT_TRUE(rl::test::any_has_text(plan.warnings, {"task 2 ", "no lead"}));
}

// ------------------------------------------------- punctuation variants

// Each variant is the same plan written differently; all must read as task 1
// of section 一 with 干部科 leading and 技术科 co-operating.
struct Variant {
    std::string name;
    std::string text;
};

void PrintTo(const Variant& variant, std::ostream* os) {
    *os << variant.name;
}

// The three lines of that plan as the seed writes them; a variant rewrites one.
const char* const kSectionLine = "一、推进司法责任制";
const char* const kTaskLine = "1.明确司法人员岗位职责。细化各岗位职责清单。";
const char* const kResponsibilityLine = "责任部门：干部科、技术科";

Variant one_task_plan(const std::string& name, const std::string& section, const std::string& task,
                      const std::string& responsibility) {
    return {name, "延吉市法院分工方案\n" + section + "\n" + task + "\n" + responsibility + "\n"};
}

Variant with_responsibility_line(const std::string& name, const std::string& line) {
    return one_task_plan(name, kSectionLine, kTaskLine, line);
}

Variant with_task_line(const std::string& name, const std::string& line) {
    return one_task_plan(name, kSectionLine, line, kResponsibilityLine);
}

Variant with_section_line(const std::string& name, const std::string& line) {
    return one_task_plan(name, line, kTaskLine, kResponsibilityLine);
}

class PlanParserPunctuation : public ::testing::TestWithParam<Variant> {};

TEST_P(PlanParserPunctuation, GivesIdenticalTaskAndDepartments) {
    const Plan plan = parse_plan(GetParam().text);
    ASSERT_EQ(plan.sections.size(), 1u);
    EXPECT_EQ(plan.sections[0].number, "一");
    EXPECT_EQ(plan.sections[0].title, "推进司法责任制");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1"}));
    const auto& task = task_of(plan, "1");
    EXPECT_EQ(task.title, "明确司法人员岗位职责");
    EXPECT_EQ(departments_of(task.departments),
              (std::vector<Dept>{{"干部科", kLead}, {"技术科", kCo}}));
    EXPECT_EQ(plan.responsibility_lines, 1u);
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
}

INSTANTIATE_TEST_SUITE_P(
    Separators, PlanParserPunctuation,
    ::testing::Values(
        with_responsibility_line("IdeographicCommaAndFullWidthColon", "责任部门：干部科、技术科"),
        with_responsibility_line("AsciiColonAndAsciiComma", "责任部门:干部科,技术科"),
        with_responsibility_line("FullWidthComma", "责任部门：干部科，技术科"),
        with_responsibility_line("FullWidthSemicolon", "责任部门：干部科；技术科"),
        with_responsibility_line("AsciiSemicolon", "责任部门：干部科;技术科"),
        with_responsibility_line("AsciiSpace", "责任部门：干部科 技术科"),
        with_responsibility_line("IdeographicSpace", "责任部门：干部科\u3000技术科"),
        with_responsibility_line("SpacesAroundSeparators", "责任部门： 干部科 、 技术科 "),
        with_responsibility_line("CommaFollowedBySpace", "责任部门：干部科, 技术科"),
        with_responsibility_line("TrailingFullStop", "责任部门：干部科、技术科。"),
        Variant{"WindowsLineEnds",
                "延吉市法院分工方案\r\n一、推进司法责任制\r\n"
                "1.明确司法人员岗位职责。细化各岗位职责清单。\r\n"
                "责任部门：干部科、技术科\r\n"}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Labels, PlanParserPunctuation,
    ::testing::Values(with_responsibility_line("ResponsibleUnitMeansResponsibleDepartment",
                                               "责任单位：干部科、技术科"),
                      with_responsibility_line("ResponsibleUnitWithAsciiColon",
                                               "责任单位:干部科、技术科")),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    TaskAndSectionNumbers, PlanParserPunctuation,
    ::testing::Values(with_task_line("TaskNumberWithFullWidthStop",
                                     "1．明确司法人员岗位职责。细化各岗位职责清单。"),
                      with_task_line("TaskNumberWithIdeographicComma",
                                     "1、明确司法人员岗位职责。细化各岗位职责清单。"),
                      with_task_line("TaskNumberInFullWidthDigits",
                                     "１．明确司法人员岗位职责。细化各岗位职责清单。"),
                      with_task_line("TaskNumberFollowedBySpace",
                                     "1. 明确司法人员岗位职责。细化各岗位职责清单。"),
                      with_section_line("SectionNumberWithAsciiStop", "一.推进司法责任制"),
                      with_section_line("SectionNumberWithFullWidthStop", "一．推进司法责任制"),
                      Variant{"IndentedWithIdeographicSpaces",
                              "延吉市法院分工方案\n\u3000\u3000一、推进司法责任制\n"
                              "\u3000\u30001.明确司法人员岗位职责。细化各岗位职责清单。\n"
                              "\u3000\u3000责任部门：干部科、技术科\n"}),
    [](const auto& info) { return info.param.name; });

// Items numbered （1） or (1), with full-width or ASCII digits, read alike.
class PlanParserItemNumbers : public ::testing::TestWithParam<Variant> {};

// The two-item task, its items numbered first and second.
Variant two_item_plan(const std::string& name, const std::string& first,
                      const std::string& second) {
    return {name, "分工方案\n二、推进人员分类管理改革\n1.加强法官助理、书记员的配备和培养。\n" +
                      first + "建立健全法官助理招录机制。\n责任部门：干部科\n" + second +
                      "积极研究建立法官后备人才培养体系。\n责任部门：干部科、技术科\n"};
}

TEST_P(PlanParserItemNumbers, GiveIdenticalItems) {
    const Plan plan = parse_plan(GetParam().text);
    const auto& task = task_of(plan, "1");
    EXPECT_EQ(task.title, "加强法官助理、书记员的配备和培养");
    EXPECT_TRUE(rl::test::is_empty(task.departments));
    ASSERT_EQ(task.items.size(), 2u);
    EXPECT_EQ(task.items[0].number, "1");
    EXPECT_EQ(task.items[0].text, "建立健全法官助理招录机制。");
    EXPECT_EQ(departments_of(task.items[0].departments), (std::vector<Dept>{{"干部科", kLead}}));
    EXPECT_EQ(task.items[1].number, "2");
    EXPECT_EQ(task.items[1].text, "积极研究建立法官后备人才培养体系。");
    EXPECT_EQ(departments_of(task.items[1].departments),
              (std::vector<Dept>{{"干部科", kLead}, {"技术科", kCo}}));
    EXPECT_EQ(plan.item_count(), 2u);
    EXPECT_EQ(plan.responsibility_lines, 2u);
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
}

INSTANTIATE_TEST_SUITE_P(Parentheses, PlanParserItemNumbers,
                         ::testing::Values(two_item_plan("FullWidthParentheses", "（1）", "（2）"),
                                           two_item_plan("AsciiParentheses", "(1)", "(2)"),
                                           two_item_plan("FullWidthDigitsInParentheses", "（１）",
                                                         "（２）")),
                         [](const auto& info) { return info.param.name; });

// ------------------------------------------------------------------ labels

TEST(PlanParser, LeadLabelsMakeTheirDepartmentsLead) {
    for (const char* label : {"牵头部门", "牵头单位", "牵头责任部门", "牵头责任单位"}) {
        const std::string text = std::string(
                                     "分工方案\n四、推进审判执行领域改革\n"
                                     "1.加强环境资源审判工作。\n") +
                                 label + "：刑庭\n配合部门：民庭\n";
        const Plan plan = parse_plan(text);
        EXPECT_EQ(departments_of(task_of(plan, "1").departments),
                  (std::vector<Dept>{{"刑庭", kLead}, {"民庭", kCo}}))
            << label;
        EXPECT_EQ(plan.responsibility_lines, 2u) << label;
        EXPECT_TRUE(rl::test::is_empty(plan.warnings)) << label;
    }
}

TEST(PlanParser, CoLabelsMakeTheirDepartmentsCoOperate) {
    for (const char* label :
         {"配合部门", "参加部门", "协办部门", "配合单位", "参加单位", "协办单位"}) {
        const std::string text = std::string(
                                     "分工方案\n四、推进审判执行领域改革\n"
                                     "1.加强环境资源审判工作。\n牵头部门：刑庭\n") +
                                 label + "：民庭、行政庭（综合审判庭）\n";
        const Plan plan = parse_plan(text);
        EXPECT_EQ(
            departments_of(task_of(plan, "1").departments),
            (std::vector<Dept>{{"刑庭", kLead}, {"民庭", kCo}, {"行政庭（综合审判庭）", kCo}}))
            << label;
        EXPECT_TRUE(rl::test::is_empty(plan.warnings)) << label;
    }
}

TEST(PlanParser, CoLabelNeverLeadsEvenWhenWrittenFirst) {
    const Plan plan = parse_plan(R"(分工方案
四、推进审判执行领域改革
1.加强环境资源审判工作。
配合部门：民庭
牵头部门：刑庭
)");
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"民庭", kCo}, {"刑庭", kLead}}));
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
}

TEST(PlanParser, LeadAndCoLabelsOnOneLineAreBothRead) {
    const Plan plan = parse_plan(R"(分工方案
四、推进审判执行领域改革
1.加强环境资源审判工作。
牵头部门：刑庭；配合部门：民庭
2.加强知识产权审判改革。
牵头部门:民庭 配合部门:刑庭、立案庭
)");
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"刑庭", kLead}, {"民庭", kCo}}));
    EXPECT_EQ(departments_of(task_of(plan, "2").departments),
              (std::vector<Dept>{{"民庭", kLead}, {"刑庭", kCo}, {"立案庭", kCo}}));
    EXPECT_EQ(plan.responsibility_lines, 2u);
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
}

TEST(PlanParser, LeadMarkerAfterALaterNameMakesItTheLead) {
    const Plan plan = parse_plan(R"(分工方案
四、推进审判执行领域改革
1.加强审判执行工作标准化、规范化建设。
责任部门：民庭、刑庭（牵头）、立案庭
2.加强环境资源审判工作。
责任部门：民庭、行政庭（综合审判庭）(牵头)
)");
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"民庭", kCo}, {"刑庭", kLead}, {"立案庭", kCo}}));
    EXPECT_EQ(departments_of(task_of(plan, "2").departments),
              (std::vector<Dept>{{"民庭", kCo}, {"行政庭（综合审判庭）", kLead}}));
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
}

TEST(PlanParser, LeadMarkerSeparatedByASpaceStillMarksThePrecedingName) {
    const Plan plan = parse_plan(R"(分工方案
四、推进审判执行领域改革
1.加强审判执行工作标准化、规范化建设。
责任部门：民庭、刑庭 （牵头）、立案庭
)");
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"民庭", kCo}, {"刑庭", kLead}, {"立案庭", kCo}}));
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
}

TEST(PlanParser, ExplicitOnlyMakesAPlainListAllCoAndWarnsNoLead) {
    ParseOptions options;
    options.lead_rule = LeadRule::explicit_only;
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
1.明确司法人员岗位职责。
责任部门：干部科、技术科
)",
                                 options);
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"干部科", kCo}, {"技术科", kCo}}));
    ASSERT_EQ(plan.warnings.size(), 1u);
    EXPECT_TRUE(rl::test::has_text(plan.warnings[0], {"task 1", "no lead"}));
}

TEST(PlanParser, ExplicitOnlyStillHonoursLeadLabelsAndMarkers) {
    ParseOptions options;
    options.lead_rule = LeadRule::explicit_only;
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
1.明确司法人员岗位职责。
责任部门：干部科、技术科（牵头）
2.全面推进院长、庭长办案常态化。
牵头部门：审管办
责任部门：干部科
)",
                                 options);
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"干部科", kCo}, {"技术科", kLead}}));
    EXPECT_EQ(departments_of(task_of(plan, "2").departments),
              (std::vector<Dept>{{"审管办", kLead}, {"干部科", kCo}}));
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
}

// ------------------------------------------------------- wrapped lists

TEST(PlanParser, DepartmentListWrappedAfterTrailingSeparatorContinues) {
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
1.完善司法廉政风险防控体系。
责任部门：监察室、干部科、
审管办、各审判执行部门
2.严格落实违法审判责任追究制度。
责任部门：监察室，
干部科
)");
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{
                  {"监察室", kLead}, {"干部科", kCo}, {"审管办", kCo}, {"各审判执行部门", kCo}}));
    EXPECT_EQ(task_of(plan, "1").text, "完善司法廉政风险防控体系。");
    EXPECT_EQ(departments_of(task_of(plan, "2").departments),
              (std::vector<Dept>{{"监察室", kLead}, {"干部科", kCo}}));
    EXPECT_EQ(task_of(plan, "2").text, "严格落实违法审判责任追究制度。");
    EXPECT_EQ(plan.responsibility_lines, 2u);
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
}

TEST(PlanParser, WrappedListMayRunOverSeveralLines) {
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
1.完善司法廉政风险防控体系。
责任部门：监察室、
干部科、
审管办
)");
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"监察室", kLead}, {"干部科", kCo}, {"审管办", kCo}}));
    EXPECT_EQ(task_of(plan, "1").text, "完善司法廉政风险防控体系。");
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
}

TEST(PlanParser, WrappedListKeepsTheLabelOfTheLineItContinues) {
    // Wrapping a 牵头部门 list must not change what it says.
    const Plan unwrapped = parse_plan(R"(分工方案
四、推进审判执行领域改革
1.加强环境资源审判工作。
牵头部门：刑庭、民庭
配合部门：立案庭
)");
    const Plan wrapped = parse_plan(R"(分工方案
四、推进审判执行领域改革
1.加强环境资源审判工作。
牵头部门：刑庭、
民庭
配合部门：立案庭
)");
    EXPECT_EQ(departments_of(task_of(unwrapped, "1").departments),
              (std::vector<Dept>{{"刑庭", kLead}, {"民庭", kLead}, {"立案庭", kCo}}));
    EXPECT_EQ(departments_of(task_of(wrapped, "1").departments),
              departments_of(task_of(unwrapped, "1").departments));
}

TEST(PlanParser, TextAfterACompleteResponsibilityLineIsNotADepartment) {
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
1.完善司法廉政风险防控体系。
责任部门：监察室
本项工作年底前完成。
)");
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"监察室", kLead}}));
    EXPECT_EQ(task_of(plan, "1").text, "完善司法廉政风险防控体系。\n本项工作年底前完成。");
    ASSERT_EQ(plan.warnings.size(), 2u) << ::testing::PrintToString(plan.warnings);
    EXPECT_TRUE(rl::test::has_text(plan.warnings[0], {"line 5", "task 1"}));
    // 年底前 in the task's words is its deadline, but this plan names no year.
    EXPECT_TRUE(rl::test::has_text(plan.warnings[1], "year"));
}

// ------------------------------------------------- warnings and errors

TEST(PlanParser, TaskWithoutResponsibilityLineIsWarnedByNumber) {
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
1.加强审判团队建设。
责任部门：干部科
2.明确司法人员岗位职责。
3.全面推进院长、庭长办案常态化。
责任部门：审管办
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1", "2", "3"}));
    EXPECT_TRUE(rl::test::is_empty(task_of(plan, "2").departments));
    ASSERT_EQ(plan.warnings.size(), 1u);
    EXPECT_TRUE(rl::test::has_text(plan.warnings[0], {"task 2", "line 5"}));
}

// Numbers that repeat cannot key the ledger: every task is numbered "S.N"
// (section, task in section) and keeps the number as written as its label.
TEST(PlanParser, RepeatedTaskNumbersAreRenumberedBySectionAndKeptAsLabels) {
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
1.加强审判团队建设。
责任部门：干部科
二、推进人员分类管理改革
1.明确司法人员岗位职责。
责任部门：干部科、技术科
2.完善法官员额退出机制。
责任部门：干部科
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1.1", "2.1", "2.2"}));
    EXPECT_EQ(task_of(plan, "2.1").label, "1");
    EXPECT_EQ(task_of(plan, "2.1").title, "明确司法人员岗位职责");
}

TEST(PlanParser, EmptyTextIsAnError) {
    EXPECT_THROW(parse_plan(""), PlanError);
    EXPECT_TRUE(rl::test::has_text(plan_error_of(""), "empty"));
}

TEST(PlanParser, WhitespaceOnlyTextIsAnError) {
    EXPECT_THROW(parse_plan(" \n\t\r\n\u3000\n  "), PlanError);
    EXPECT_TRUE(rl::test::has_text(plan_error_of("\n\n\u3000\u3000\n"), "empty"));
}

// Work points that assign nobody yet are a plan: the reform office assigns
// them later. Each task is warned, by number and line.
TEST(PlanParser, TasksWithoutAnyResponsibilityLineAreReadAndWarnedEach) {
    const Plan plan = parse_plan(R"(延吉市法院司法改革工作要点
一、推进司法责任制
1.加强审判团队建设。
2.明确司法人员岗位职责。
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1", "2"}));
    EXPECT_TRUE(rl::test::is_empty(task_of(plan, "1").departments));
    ASSERT_EQ(plan.warnings.size(), 2u) << ::testing::PrintToString(plan.warnings);
    EXPECT_TRUE(rl::test::has_text(plan.warnings[0], {"task 1", "line 3", "nobody"}));
    EXPECT_TRUE(rl::test::has_text(plan.warnings[1], {"task 2", "line 4", "nobody"}));
}

TEST(PlanParser, TextWithoutNumberedTasksIsAnErrorMentioningThem) {
    EXPECT_TRUE(rl::test::has_text(plan_error_of(R"(延吉市法院司法改革工作要点
坚持以习近平新时代中国特色社会主义思想为指导。
深化司法体制改革。
)"),
                                   {"no tasks found", "责任部门"}));
}

TEST(PlanParser, DecimalAtLineStartIsNotATask) {
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
1.全面推进院长、庭长办案常态化。
1.5倍于上年的办案数量作为院长、庭长办案的基本要求。
责任部门：审管办
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1"}));
    EXPECT_EQ(
        task_of(plan, "1").text,
        "全面推进院长、庭长办案常态化。\n1.5倍于上年的办案数量作为院长、庭长办案的基本要求。");
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
}

TEST(PlanParser, PreambleWithItsOwnNumberedHeadingsIsNotParsedAsTasks) {
    const Plan plan = parse_plan(R"(某市法院2020年司法改革工作要点及分工方案

一、指导思想
坚持以习近平新时代中国特色社会主义思想为指导，深化司法体制改革。
二、工作内容
1、推进司法责任制
完善司法责任制，加强审判团队建设。
2、推进人员分类管理改革
完善法官员额退出机制。
三、工作要求
（1）加强沟通协调，细化任务分工。
（2）加强组织领导和监督。
关于贯彻落实工作要点的分工方案
一、推进司法责任制
1.加强审判团队建设。
责任部门：干部科
2.明确司法人员岗位职责。
责任部门：干部科、技术科
二、推进人员分类管理改革
3.完善法官员额退出机制。
责任部门：干部科、监察室
)");
    EXPECT_EQ(plan.title, "某市法院2020年司法改革工作要点及分工方案");
    ASSERT_EQ(plan.sections.size(), 2u);
    EXPECT_EQ(plan.sections[0].number, "一");
    EXPECT_EQ(plan.sections[0].title, "推进司法责任制");
    EXPECT_EQ(plan.sections[1].number, "二");
    EXPECT_EQ(plan.sections[1].title, "推进人员分类管理改革");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1", "2", "3"}));
    EXPECT_EQ(task_of(plan, "1").title, "加强审判团队建设");
    EXPECT_EQ(plan.item_count(), 0u);
    EXPECT_TRUE(rl::test::has_text(
        plan.preamble, {"一、指导思想", "1、推进司法责任制", "（2）加强组织领导和监督。",
                        "关于贯彻落实工作要点的分工方案"}));
    EXPECT_TRUE(rl::test::is_empty(plan.warnings));
}

TEST(PlanParser, BookmarkArtefactsAreStrippedFromTasksAndResponsibilityLines) {
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
[bookmark: _GoBack]1.加强审判团队建设。完善团队内部分工。
责任部门：干部科[bookmark: _GoBack]、技术科
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1"}));
    EXPECT_EQ(task_of(plan, "1").title, "加强审判团队建设");
    EXPECT_EQ(task_of(plan, "1").text, "加强审判团队建设。完善团队内部分工。");
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"干部科", kLead}, {"技术科", kCo}}));
}

TEST(PlanParser, SameDepartmentListedTwiceIsKeptOnce) {
    const Plan plan = parse_plan(R"(分工方案
四、推进审判执行领域改革
1.加强环境资源审判工作。
责任部门：民庭、刑庭、民庭
)");
    EXPECT_EQ(departments_of(task_of(plan, "1").departments),
              (std::vector<Dept>{{"民庭", kLead}, {"刑庭", kCo}}));
}

TEST(PlanParser, NoteEndsThePlan) {
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
1.加强审判团队建设。
责任部门：干部科
注:黑体字标注的为牵头责任部门。
2.这一行在注之后，不是任务。
)");
    EXPECT_EQ(task_numbers(plan), (std::vector<std::string>{"1"}));
    EXPECT_TRUE(rl::test::begins_with(plan.notes, "注:黑体字标注的为牵头责任部门。"));
    EXPECT_TRUE(rl::test::has_text(plan.notes, "不是任务"));
}

}  // namespace

// ------------------------------------------------ the seed, rewritten

// tests/fixtures/yanji-2019-plan-punctuation-variants.txt is the seed with its
// division-of-labour part rewritten line by line in the other punctuation the
// parser accepts: sections 一. 一． 一、, tasks 1. 1． 1、 １．, items (1),
// labels 责任部门/责任单位 with ASCII or full-width colons, lists separated by
// , ， ； ; or spaces, indented by ideographic spaces, or wrapped after 、.
// It must read exactly as the seed does.
TEST(PlanParserFixture, PunctuationVariantsOfTheSeedReadExactlyAsTheSeed) {
    const Plan variant = parse_plan(rl::test::read_file(
        std::string(RL_FIXTURES) + "/yanji-2019-plan-punctuation-variants.txt"));
    const Plan& original = seed_plan();
    EXPECT_EQ(variant.title, original.title);
    EXPECT_EQ(variant.preamble, original.preamble);
    EXPECT_EQ(variant.notes, original.notes);
    EXPECT_EQ(variant.responsibility_lines, 46u);
    EXPECT_TRUE(rl::test::is_empty(variant.warnings));
    ASSERT_EQ(variant.sections.size(), original.sections.size());
    for (std::size_t s = 0; s < original.sections.size(); ++s) {
        const auto& a = variant.sections[s];
        const auto& b = original.sections[s];
        EXPECT_EQ(a.number, b.number);
        EXPECT_EQ(a.title, b.title);
        ASSERT_EQ(a.tasks.size(), b.tasks.size()) << "section " << b.number;
        for (std::size_t t = 0; t < b.tasks.size(); ++t) {
            const auto& x = a.tasks[t];
            const auto& y = b.tasks[t];
            EXPECT_EQ(x.number, y.number);
            EXPECT_EQ(x.title, y.title) << "task " << y.number;
            EXPECT_EQ(x.text, y.text) << "task " << y.number;
            EXPECT_EQ(departments_of(x.departments), departments_of(y.departments))
                << "task " << y.number;
            ASSERT_EQ(x.items.size(), y.items.size()) << "task " << y.number;
            for (std::size_t i = 0; i < y.items.size(); ++i) {
                EXPECT_EQ(x.items[i].number, y.items[i].number);
                EXPECT_EQ(x.items[i].text, y.items[i].text);
                EXPECT_EQ(departments_of(x.items[i].departments),
                          departments_of(y.items[i].departments))
                    << "task " << y.number << " item " << y.items[i].number;
            }
        }
    }
}
