// rl::core's division-of-labour table (分工表) interpreter, on tables built
// here the way the Word and Excel readers hand them over: title rows, header
// variants, merged section rows, vertical merges, continuation rows, bold
// leads, 序号 forms and the limits.
#include <gtest/gtest.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/plan_table.h"
#include "core_test_helpers.h"
#include "test_assertions.h"

namespace {

using rl::core::Cell;
using rl::core::LeadRule;
using rl::core::ParseOptions;
using rl::core::Plan;
using rl::core::PlanError;
using rl::core::Run;
using rl::core::Table;
using rl::core::TableContext;
using rl::core::Task;
using rl::test::any_has_text;
using rl::test::departments_of;
using rl::test::Dept;
using rl::test::has_text;
using rl::test::kCo;
using rl::test::kLead;

Cell cell(const std::string& text) {
    Cell c;
    c.text = text;
    return c;
}

// Continues the cell to its left (merged across): repeats its text.
Cell left(const std::string& text) {
    Cell c = cell(text);
    c.merged_from_left = true;
    return c;
}

// Continues the cell above (merged down): repeats its text.
Cell above(const std::string& text) {
    Cell c = cell(text);
    c.merged_from_above = true;
    return c;
}

// A cell whose runs are given: {"立案庭", true} is bold.
Cell runs(std::initializer_list<Run> parts) {
    Cell c;
    for (const Run& run : parts) {
        c.text += run.text;
        c.runs.push_back(run);
    }
    return c;
}

Table table_of(std::vector<std::vector<Cell>> rows, const std::string& where = "table 1") {
    Table table;
    table.rows = std::move(rows);
    table.where = where;
    table.position = 10;
    return table;
}

std::vector<Cell> header(std::initializer_list<const char*> names) {
    std::vector<Cell> row;
    for (const char* name : names) {
        row.push_back(cell(name));
    }
    return row;
}

std::vector<Cell> row(std::initializer_list<const char*> texts) {
    return header(texts);
}

// A heading merged across a row of `width` cells.
std::vector<Cell> merged_row(const std::string& text, std::size_t width) {
    std::vector<Cell> cells{cell(text)};
    for (std::size_t i = 1; i < width; ++i) {
        cells.push_back(left(text));
    }
    return cells;
}

struct Read {
    Plan plan;
    std::vector<std::string> warnings;
    std::size_t counted = 0;
};

Read read(const Table& table, const ParseOptions& options = {}, std::optional<int> year = 2019) {
    Read out;
    out.plan.year = year;
    TableContext context{options, year, out.counted, out.warnings};
    read_division_table(table, out.plan, context);
    return out;
}

std::vector<const Task*> tasks_of(const Plan& plan) {
    std::vector<const Task*> tasks;
    for (const auto& section : plan.sections) {
        for (const auto& task : section.tasks) {
            tasks.push_back(&task);
        }
    }
    return tasks;
}

const std::vector<Cell> kHeader = header({"序号", "工作任务", "牵头部门", "配合部门", "完成时限"});

TEST(DivisionTable, IsFoundByItsHeaderBelowTitleRows) {
    const Table table = table_of({
        merged_row("延吉市人民法院2020年司法体制改革任务分工表", 5),
        row({"", "", "", "", ""}),
        kHeader,
        row({"1", "推进立案登记制改革。完善网上立案。", "立案庭", "技术科、办公室",
             "2020年6月底前"}),
        row({"2", "加强审判团队建设", "政治部", "", "年底前"}),
    });
    ASSERT_TRUE(is_division_table(table));
    const Read r = read(table, {}, std::nullopt);
    Plan plan = r.plan;
    EXPECT_EQ(plan.title, "延吉市人民法院2020年司法体制改革任务分工表");
    EXPECT_EQ(plan.year, 2020);
    const auto tasks = tasks_of(plan);
    ASSERT_EQ(tasks.size(), 2u);
    EXPECT_EQ(r.counted, 2u);
    const Task& first = *tasks[0];
    EXPECT_EQ(first.number, "1");
    EXPECT_EQ(first.label, "1");
    EXPECT_EQ(first.title, "推进立案登记制改革");
    EXPECT_EQ(first.text, "推进立案登记制改革。完善网上立案。");
    EXPECT_EQ(first.where, "table 1 row 4");
    EXPECT_EQ(first.line, 13);
    EXPECT_EQ(departments_of(first.departments),
              (std::vector<Dept>{{"立案庭", kLead}, {"技术科", kCo}, {"办公室", kCo}}));
    EXPECT_EQ(first.departments[0].source, "立案庭");
    EXPECT_EQ(first.departments[1].source, "技术科、办公室");
    ASSERT_TRUE(first.deadline);
    EXPECT_EQ(first.deadline->text, "2020年6月底前");
    EXPECT_EQ(first.deadline->due, "2020-06-30");
    // 年底前 in the plan of the title row's year.
    ASSERT_TRUE(tasks[1]->deadline);
    EXPECT_EQ(tasks[1]->deadline->due, "2020-12-31");
    EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
}

TEST(DivisionTable, TitleRowsDoNotReplaceAPlansTitleOrYear) {
    const Table table = table_of(
        {merged_row("2021年任务分工表", 5), kHeader, row({"1", "任务", "立案庭", "", "年底前"})});
    Plan plan;
    plan.title = "某法院2019年工作要点";
    plan.year = 2019;
    std::size_t counted = 0;
    std::vector<std::string> warnings;
    const ParseOptions options;
    TableContext context{options, 2019, counted, warnings};
    read_division_table(table, plan, context);
    EXPECT_EQ(plan.title, "某法院2019年工作要点");
    EXPECT_EQ(plan.year, 2019);
    EXPECT_EQ(tasks_of(plan).at(0)->deadline->due, "2019-12-31");
}

class HeaderVariant : public ::testing::TestWithParam<std::vector<const char*>> {};

TEST_P(HeaderVariant, IsRecognisedWithSpacesLineBreaksAndRemarks) {
    std::vector<Cell> names;
    for (const char* name : GetParam()) {
        names.push_back(cell(name));
    }
    const Table table = table_of({names, row({"1", "推进改革", "立案庭", "技术科", "6月底前"})});
    ASSERT_TRUE(is_division_table(table));
    const Read r = read(table);
    const auto tasks = tasks_of(r.plan);
    ASSERT_EQ(tasks.size(), 1u);
    EXPECT_EQ(tasks[0]->text, "推进改革");
    EXPECT_EQ(departments_of(tasks[0]->departments),
              (std::vector<Dept>{{"立案庭", kLead}, {"技术科", kCo}}));
    ASSERT_TRUE(tasks[0]->deadline);
    EXPECT_EQ(tasks[0]->deadline->due, "2019-06-30");
}

INSTANTIATE_TEST_SUITE_P(
    DivisionTable, HeaderVariant,
    ::testing::Values(
        std::vector<const char*>{"序号", "任务", "牵头部门", "配合部门", "完成时限"},
        std::vector<const char*>{"序 号", "改革任务", "牵头\n部门", "配合\n部门", "时间\n节点"},
        std::vector<const char*>{"序号", "重点工作", "牵头单位", "协办单位", "完成时间"},
        std::vector<const char*>{"编号", "工作内容", "主要负责部门", "参加部门", "时限要求"},
        std::vector<const char*>{"序号", "改革举措", "牵头单位（部门）", "参与单位", "完成时限"},
        std::vector<const char*>{"序号", "具体措施", "牵头部门", "配合单位", "完成 时限"},
        std::vector<const char*>{"序号", "工作任务", "责任单位", "配合部门", "完成时限"}),
    [](const ::testing::TestParamInfo<std::vector<const char*>>& info) {
        return "variant" + std::to_string(info.index);
    });

TEST(DivisionTable, NeedsATaskColumnAndADepartmentColumnNearTheTop) {
    EXPECT_FALSE(is_division_table(
        table_of({header({"序号", "工作任务", "完成时限"}), row({"1", "推进改革", "6月底前"})})));
    EXPECT_FALSE(is_division_table(
        table_of({header({"序号", "牵头部门", "完成时限"}), row({"1", "立案庭", "6月底前"})})));
    EXPECT_FALSE(is_division_table(table_of({row({"姓名", "职务"}), row({"张三", "庭长"})})));
    EXPECT_FALSE(is_division_table(Table{}));
    // A header below a few title rows is found; one deep in the table is not.
    std::vector<std::vector<Cell>> rows;
    for (int i = 0; i < 9; ++i) {
        rows.push_back(row({"说明", "", "", "", ""}));
    }
    rows.push_back(kHeader);
    EXPECT_FALSE(is_division_table(table_of(rows)));
    rows.erase(rows.begin());
    EXPECT_TRUE(is_division_table(table_of(rows)));
}

TEST(DivisionTable, RowsMergedAcrossAreSectionHeadings) {
    const Table table = table_of({
        kHeader,
        merged_row("一、深化立案改革", 5),
        row({"1", "推进网上立案", "立案庭", "", ""}),
        merged_row("二、加强审判管理", 5),
        row({"2", "完善审判流程管理", "审管办", "", ""}),
        merged_row("其他工作", 5),
        row({"3", "加强宣传", "办公室", "", ""}),
    });
    const Plan plan = read(table).plan;
    ASSERT_EQ(plan.sections.size(), 3u);
    EXPECT_EQ(plan.sections[0].number, "一");
    EXPECT_EQ(plan.sections[0].title, "深化立案改革");
    EXPECT_EQ(plan.sections[0].tasks.size(), 1u);
    EXPECT_EQ(plan.sections[1].number, "二");
    EXPECT_EQ(plan.sections[1].title, "加强审判管理");
    EXPECT_EQ(plan.sections[1].tasks.at(0).text, "完善审判流程管理");
    EXPECT_EQ(plan.sections[2].number, "");
    EXPECT_EQ(plan.sections[2].title, "其他工作");
    EXPECT_EQ(plan.sections[2].tasks.at(0).number, "3");
}

TEST(DivisionTable, ASectionNumberInTheFirstCellAndItsTitleMergedAcrossIsAHeading) {
    std::vector<Cell> heading{cell("一"), cell("深化立案改革"), left("深化立案改革"),
                              left("深化立案改革"), left("深化立案改革")};
    const Plan plan =
        read(table_of({kHeader, heading, row({"1", "推进网上立案", "立案庭", "", ""})})).plan;
    ASSERT_EQ(plan.sections.size(), 1u);
    EXPECT_EQ(plan.sections[0].number, "一");
    EXPECT_EQ(plan.sections[0].title, "深化立案改革");
    EXPECT_EQ(plan.sections[0].tasks.size(), 1u);
}

TEST(DivisionTable, AnUnmergedNumberedHeadingAloneInItsRowIsAHeadingToo) {
    const Plan plan = read(table_of({kHeader, row({"一、深化立案改革", "", "", "", ""}),
                                     row({"1", "推进网上立案", "立案庭", "", ""})}))
                          .plan;
    ASSERT_EQ(plan.sections.size(), 1u);
    EXPECT_EQ(plan.sections[0].title, "深化立案改革");
}

TEST(DivisionTable, ASheetsUnmergedRowWithOnlyANumeralAndATitleIsAHeading) {
    const Plan plan = read(table_of({kHeader, row({"一", "深化立案改革", "", "", ""}),
                                     row({"（一）", "推进网上立案", "", "", ""}),
                                     row({"1", "建设网上立案平台", "技术科", "", ""}),
                                     row({"二、", "加强审判管理", "", "", ""}),
                                     row({"2", "完善审判流程管理", "审管办", "", ""})}))
                          .plan;
    ASSERT_EQ(plan.sections.size(), 2u);
    EXPECT_EQ(plan.sections[0].number, "一");
    EXPECT_EQ(plan.sections[0].title, "深化立案改革");
    ASSERT_EQ(plan.sections[0].tasks.size(), 1u);
    ASSERT_TRUE(plan.sections[0].tasks[0].group);
    EXPECT_EQ(plan.sections[0].tasks[0].group->title, "推进网上立案");
    EXPECT_EQ(plan.sections[1].number, "二");
    EXPECT_EQ(plan.sections[1].title, "加强审判管理");
    EXPECT_EQ(plan.sections[1].tasks.size(), 1u);
}

TEST(DivisionTable, TasksNumberedInNumeralsThatAssignNobodyYetStayTasks) {
    const Read r = read(table_of({kHeader, row({"一", "深化立案改革", "", "", ""}),
                                  row({"二", "加强审判管理", "", "", ""})}));
    const auto tasks = tasks_of(r.plan);
    ASSERT_EQ(tasks.size(), 2u);
    EXPECT_EQ(tasks[0]->number, "一");
    EXPECT_EQ(tasks[1]->text, "加强审判管理");
    EXPECT_TRUE(any_has_text(r.warnings, {"table 1 row 3", "no department"}));
}

TEST(DivisionTable, AnAttachmentLineAboveTheTitleIsNotTheTitle) {
    Plan plan;
    std::size_t counted = 0;
    std::vector<std::string> warnings;
    const ParseOptions options;
    TableContext context{options, std::nullopt, counted, warnings};
    read_division_table(table_of({merged_row("附件2", 5), merged_row("2020年改革任务分工表", 5),
                                  kHeader, row({"1", "任务", "立案庭", "", "年底前"})}),
                        plan, context);
    EXPECT_EQ(plan.title, "2020年改革任务分工表");
    EXPECT_EQ(plan.year, 2020);
    EXPECT_EQ(tasks_of(plan).at(0)->deadline->due, "2020-12-31");
}

TEST(DivisionTable, TasksBeforeAnyHeadingGoToThePlansLastSectionOrAnUnnamedOne) {
    Read r = read(table_of({kHeader, row({"1", "推进网上立案", "立案庭", "", ""})}));
    ASSERT_EQ(r.plan.sections.size(), 1u);
    EXPECT_EQ(r.plan.sections[0].title, "");
    EXPECT_EQ(r.plan.sections[0].part, 1);

    Plan plan;
    plan.sections.push_back({"三", "附表", {}, 2});
    std::size_t counted = 0;
    std::vector<std::string> warnings;
    const ParseOptions options;
    TableContext context{options, 2019, counted, warnings};
    read_division_table(
        table_of({kHeader, row({"1", "推进网上立案", "立案庭", "", ""}), merged_row("四、其他", 5),
                  row({"2", "加强宣传", "办公室", "", ""})}),
        plan, context);
    ASSERT_EQ(plan.sections.size(), 2u);
    EXPECT_EQ(plan.sections[0].tasks.size(), 1u);
    EXPECT_EQ(plan.sections[1].number, "四");
    EXPECT_EQ(plan.sections[1].part, 2);  // the part the table stands in
}

TEST(DivisionTable, BracketedHeadingsAreGroupsOfTheTasksUnderThem) {
    const Plan plan = read(table_of({
                               kHeader,
                               merged_row("一、深化立案改革", 5),
                               merged_row("（一）推进网上立案", 5),
                               row({"1", "建设网上立案平台", "技术科", "", ""}),
                               row({"2", "完善网上缴费", "立案庭", "", ""}),
                               merged_row("二、加强审判管理", 5),
                               row({"3", "完善审判流程管理", "审管办", "", ""}),
                           }))
                          .plan;
    ASSERT_EQ(plan.sections.size(), 2u);
    const auto& tasks = plan.sections[0].tasks;
    ASSERT_EQ(tasks.size(), 2u);
    for (const Task& task : tasks) {
        ASSERT_TRUE(task.group) << task.text;
        EXPECT_EQ(task.group->number, "一");
        EXPECT_EQ(task.group->title, "推进网上立案");
    }
    EXPECT_FALSE(plan.sections[1].tasks.at(0).group);  // a new section ends the group
}

TEST(DivisionTable, CellsMergedDownGiveEachRowTheirValue) {
    const Plan plan = read(table_of({
                               kHeader,
                               row({"1", "推进网上立案", "立案庭", "技术科", "2019年6月底前"}),
                               {cell("2"), cell("完善网上缴费"), above("立案庭"), cell("财务科"),
                                above("2019年6月底前")},
                           }))
                          .plan;
    const auto tasks = tasks_of(plan);
    ASSERT_EQ(tasks.size(), 2u);
    EXPECT_EQ(departments_of(tasks[1]->departments),
              (std::vector<Dept>{{"立案庭", kLead}, {"财务科", kCo}}));
    EXPECT_EQ(tasks[1]->deadline->due, "2019-06-30");
}

TEST(DivisionTable, ATaskMergedDownOverMeasuresWithTheirOwnUnitsGroupsThem) {
    const Table table = table_of({
        header({"序号", "重点工作", "具体措施", "牵头部门", "完成时限"}),
        row({"1", "推进智慧法院建设", "建设电子卷宗系统", "技术科", "6月底前"}),
        {above("1"), above("推进智慧法院建设"), cell("推行庭审记录改革"), cell("审管办"),
         cell("9月底前")},
        row({"2", "加强队伍建设", "开展业务培训", "政治部", "年底前"}),
    });
    const Read r = read(table);
    const auto tasks = tasks_of(r.plan);
    ASSERT_EQ(tasks.size(), 3u);
    EXPECT_EQ(tasks[0]->text, "建设电子卷宗系统");
    EXPECT_EQ(tasks[0]->label, "1");
    ASSERT_TRUE(tasks[0]->group);
    EXPECT_EQ(tasks[0]->group->number, "1");
    EXPECT_EQ(tasks[0]->group->title, "推进智慧法院建设");
    EXPECT_EQ(tasks[1]->text, "推行庭审记录改革");
    EXPECT_EQ(tasks[1]->label, "");  // the 序号 is the group's, not this measure's
    ASSERT_TRUE(tasks[1]->group);
    EXPECT_EQ(tasks[1]->group->title, "推进智慧法院建设");
    EXPECT_EQ(departments_of(tasks[1]->departments), (std::vector<Dept>{{"审管办", kLead}}));
    EXPECT_EQ(tasks[1]->deadline->due, "2019-09-30");
    EXPECT_EQ(tasks[1]->where, "table 1 row 3");
    // A task with one measure is one task: its text is the task and the measure.
    EXPECT_EQ(tasks[2]->text, "加强队伍建设\n开展业务培训");
    EXPECT_FALSE(tasks[2]->group);
    EXPECT_EQ(r.counted, 3u);
}

TEST(DivisionTable, RowsThatOnlyContinueATaskAreAddedToIt) {
    const Table table = table_of({
        header({"序号", "重点工作", "具体措施", "牵头部门", "配合部门"}),
        row({"1", "推进智慧法院建设", "建设电子卷宗系统", "技术科", "立案庭"}),
        row({"", "", "推行庭审记录改革", "", "审管办"}),
        {above("1"), above("推进智慧法院建设"), cell("完善移动微法院"), above("技术科"), above("")},
        row({"2", "加强队伍建设", "开展业务培训", "政治部", ""}),
    });
    const Read r = read(table);
    const auto tasks = tasks_of(r.plan);
    ASSERT_EQ(tasks.size(), 2u);
    EXPECT_EQ(tasks[0]->text,
              "推进智慧法院建设\n建设电子卷宗系统\n推行庭审记录改革\n完善移动微法院");
    EXPECT_EQ(tasks[0]->title, "推进智慧法院建设");
    EXPECT_EQ(departments_of(tasks[0]->departments),
              (std::vector<Dept>{{"技术科", kLead}, {"立案庭", kCo}, {"审管办", kCo}}));
    EXPECT_EQ(r.counted, 2u);
}

TEST(DivisionTable, ARowThatContinuesNoTaskIsSkippedWithAWarning) {
    const Read r = read(table_of(
        {kHeader, row({"", "", "", "技术科", ""}), row({"1", "推进网上立案", "立案庭", "", ""})}));
    EXPECT_EQ(tasks_of(r.plan).size(), 1u);
    EXPECT_TRUE(any_has_text(r.warnings, {"table 1 row 2", "no task"}));
}

TEST(DivisionTable, AResponsibleUnitsColumnAloneFollowsTheLeadRule) {
    const Table table = table_of({
        header({"序号", "工作任务", "责任单位", "完成时限"}),
        row({"1", "推进网上立案", "立案庭、技术科", ""}),
        row({"2", "加强宣传", "办公室、政治部（牵头）", ""}),
    });
    const Read read_back = read(table);
    auto tasks = tasks_of(read_back.plan);
    ASSERT_EQ(tasks.size(), 2u);
    EXPECT_EQ(departments_of(tasks[0]->departments),
              (std::vector<Dept>{{"立案庭", kLead}, {"技术科", kCo}}));
    EXPECT_EQ(departments_of(tasks[1]->departments),
              (std::vector<Dept>{{"办公室", kCo}, {"政治部", kLead}}));

    ParseOptions explicit_only;
    explicit_only.lead_rule = LeadRule::explicit_only;
    const Read r = read(table, explicit_only);
    tasks = tasks_of(r.plan);
    EXPECT_EQ(departments_of(tasks[0]->departments),
              (std::vector<Dept>{{"立案庭", kCo}, {"技术科", kCo}}));
    EXPECT_TRUE(any_has_text(r.warnings, {"table 1 row 2", "no lead"}));
}

TEST(DivisionTable, BoldNamesInAResponsibleUnitsColumnLead) {
    const Table table = table_of({
        header({"序号", "工作任务", "责任单位"}),
        {cell("1"), cell("推进网上立案"),
         runs({{"技术科", false}, {"、", false}, {"立案庭", true}, {"、审管办", false}})},
    });
    const Read read_back = read(table);
    const auto tasks = tasks_of(read_back.plan);
    ASSERT_EQ(tasks.size(), 1u);
    EXPECT_EQ(departments_of(tasks[0]->departments),
              (std::vector<Dept>{{"技术科", kCo}, {"立案庭", kLead}, {"审管办", kCo}}));
    EXPECT_EQ(tasks[0]->departments[1].source, "技术科、立案庭、审管办");
}

TEST(DivisionTable, NextToALeadColumnResponsibleUnitsCooperate) {
    const Table table = table_of({
        header({"序号", "工作任务", "牵头单位", "责任单位"}),
        row({"1", "推进网上立案", "立案庭", "技术科、审管办"}),
    });
    const Read read_back = read(table);
    const auto tasks = tasks_of(read_back.plan);
    EXPECT_EQ(departments_of(tasks.at(0)->departments),
              (std::vector<Dept>{{"立案庭", kLead}, {"技术科", kCo}, {"审管办", kCo}}));
}

TEST(DivisionTable, ASpanningHeaderOverLeadAndCoColumnsIsReadFromTheRowBelow) {
    const Table table = table_of({
        {cell("序号"), cell("工作任务"), cell("责任单位"), left("责任单位"), cell("完成时限")},
        {above("序号"), above("工作任务"), cell("牵头"), cell("配合"), above("完成时限")},
        row({"1", "推进网上立案", "立案庭", "技术科", "一季度"}),
    });
    ASSERT_TRUE(is_division_table(table));
    const Read read_back = read(table);
    const auto tasks = tasks_of(read_back.plan);
    ASSERT_EQ(tasks.size(), 1u);
    EXPECT_EQ(departments_of(tasks[0]->departments),
              (std::vector<Dept>{{"立案庭", kLead}, {"技术科", kCo}}));
    EXPECT_EQ(tasks[0]->deadline->due, "2019-03-31");
}

TEST(DivisionTable, LeadersColumnsAreNotDepartments) {
    const Table table = table_of({
        header({"序号", "工作任务", "责任领导", "分管领导", "牵头部门", "配合部门", "备注"}),
        row({"1", "推进网上立案", "张院长", "李副院长", "立案庭", "技术科", "无"}),
    });
    const Read read_back = read(table);
    const auto tasks = tasks_of(read_back.plan);
    EXPECT_EQ(departments_of(tasks.at(0)->departments),
              (std::vector<Dept>{{"立案庭", kLead}, {"技术科", kCo}}));
}

TEST(DivisionTable, SerialNumbersAreReadInTheirUsualForms) {
    const Table table = table_of({
        kHeader,
        row({"1.", "甲", "立案庭", "", ""}),
        row({"02", "乙", "立案庭", "", ""}),
        row({"１", "丙", "立案庭", "", ""}),
        row({"（一）", "丁", "立案庭", "", ""}),
        row({"一", "戊", "立案庭", "", ""}),
        row({"3、", "己", "立案庭", "", ""}),
    });
    const Read read_back = read(table);
    const auto tasks = tasks_of(read_back.plan);
    ASSERT_EQ(tasks.size(), 6u);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"1", "1."}, {"2", "02"}, {"1", "１"}, {"一", "（一）"}, {"一", "一"}, {"3", "3、"}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(tasks[i]->number, expected[i].first) << tasks[i]->text;
        EXPECT_EQ(tasks[i]->label, expected[i].second) << tasks[i]->text;
    }
}

TEST(DivisionTable, WithoutASerialNumberColumnTasksAreLeftForTheParserToNumber) {
    const Table table = table_of({
        header({"工作任务", "牵头部门", "配合部门"}),
        row({"推进网上立案", "立案庭", "技术科"}),
        row({"加强宣传", "办公室", ""}),
    });
    const Read read_back = read(table);
    const auto tasks = tasks_of(read_back.plan);
    ASSERT_EQ(tasks.size(), 2u);
    EXPECT_EQ(tasks[0]->number, "");
    EXPECT_EQ(tasks[0]->label, "");
    EXPECT_EQ(tasks[1]->where, "table 1 row 3");
}

TEST(DivisionTable, ProgressAndDeadlinesComeFromTheirColumnsOrTheTaskText) {
    const Table table = table_of(
        {
            header({"序号", "工作任务", "牵头部门", "完成时间", "进度要求"}),
            row({"1", "推进网上立案", "立案庭", "2020-06-30", "3月底前完成调研"}),
            row({"2", "加强宣传，长期坚持", "办公室", "", ""}),
            row({"3", "建设诉讼服务中心，2019年9月底前完成", "立案庭", "", ""}),
        },
        "sheet '分工表'");
    const Read r = read(table);
    const auto tasks = tasks_of(r.plan);
    ASSERT_EQ(tasks.size(), 3u);
    EXPECT_EQ(tasks[0]->deadline->due, "2020-06-30");
    EXPECT_EQ(tasks[0]->progress, "3月底前完成调研");
    EXPECT_EQ(tasks[0]->where, "sheet '分工表' row 2");
    ASSERT_TRUE(tasks[1]->deadline);
    EXPECT_EQ(tasks[1]->deadline->text, "长期坚持");
    EXPECT_EQ(tasks[1]->deadline->due, "");
    ASSERT_TRUE(tasks[2]->deadline);
    EXPECT_EQ(tasks[2]->deadline->text, "2019年9月底前完成");
    EXPECT_EQ(tasks[2]->deadline->due, "2019-09-30");
    EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
}

TEST(DivisionTable, WarnsNamingTheRowOfWhatCouldNotBeRead) {
    const Table table = table_of({
        header({"序号", "工作任务", "牵头部门", "配合部门", "完成时限"}),
        row({"1", "推进网上立案", "", "", "6月底前"}),
        row({"2", "加强宣传", "办公室", "", "视情况而定"}),
        row({"3", "加强培训", "政治部", "", "2月30日前"}),
        row({"4", "完善考核", "审管办", "", "年底前"}),
    });
    const Read r = read(table, {}, std::nullopt);
    EXPECT_EQ(tasks_of(r.plan).size(), 4u);
    EXPECT_TRUE(any_has_text(r.warnings, {"table 1 row 2", "no department"}));
    EXPECT_TRUE(any_has_text(r.warnings, {"table 1 row 2", "6月底前", "year"}));
    EXPECT_TRUE(any_has_text(r.warnings, {"table 1 row 3", "视情况而定"}));
    EXPECT_TRUE(any_has_text(r.warnings, {"table 1 row 4", "2月30日前"}));
    EXPECT_TRUE(any_has_text(r.warnings, {"table 1 row 5", "年底前", "year"}));
    EXPECT_TRUE(any_has_text(r.warnings, {"table 1", "配合部门", "empty in every row"}));
}

TEST(DivisionTable, RepeatedHeaderRowsAreSkipped) {
    const Plan plan = read(table_of({kHeader, row({"1", "推进网上立案", "立案庭", "", ""}), kHeader,
                                     row({"2", "加强宣传", "办公室", "", ""})}))
                          .plan;
    EXPECT_EQ(tasks_of(plan).size(), 2u);
}

TEST(DivisionTable, MoreTasksThanTheLimitAreRefusedNamingTheRow) {
    std::vector<std::vector<Cell>> rows{kHeader};
    for (int i = 1; i <= 5; ++i) {
        rows.push_back(row({"1", "任务", "立案庭", "", ""}));
    }
    ParseOptions options;
    options.max_tasks = 4;
    Plan plan;
    std::size_t counted = 0;
    std::vector<std::string> warnings;
    TableContext context{options, 2019, counted, warnings};
    try {
        read_division_table(table_of(rows), plan, context);
        FAIL() << "no PlanError";
    } catch (const PlanError& e) {
        EXPECT_TRUE(has_text(e.what(), {"table 1 row 6", "more than 4", "limits.plan_tasks"}));
    }
    // The count goes on from what the paragraphs before the table counted.
    counted = 3;
    Plan again;
    TableContext shared{options, 2019, counted, warnings};
    try {
        read_division_table(table_of({kHeader, row({"1", "甲", "立案庭", "", ""}),
                                      row({"2", "乙", "立案庭", "", ""})}),
                            again, shared);
        FAIL() << "no PlanError";
    } catch (const PlanError& e) {
        EXPECT_TRUE(has_text(e.what(), "table 1 row 3"));
    }
}

TEST(DivisionTable, ARaggedTableIsNotRead) {
    Table table = table_of({kHeader, row({"1", "推进网上立案", "立案庭"})});
    EXPECT_FALSE(is_division_table(table));
    const Read r = read(table);
    EXPECT_TRUE(r.plan.sections.empty());
}

}  // namespace
