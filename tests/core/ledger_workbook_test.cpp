// rl::core::ledger_workbook and rl::core::sheet_name: the 台账 as a plain
// workbook — a summary sheet with totals by status and per department, one
// sheet per section with the Chinese columns, status fills, deadlines as
// dates, the latest report per task; sheet names Excel accepts.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/ledger_workbook.h"
#include "core/utf8.h"
#include "core/workbook.h"

namespace {

using rl::core::Fill;
using rl::core::LedgerEntry;
using rl::core::LedgerExport;
using rl::core::SheetCell;

LedgerEntry entry(const std::string& section, const std::string& number, const std::string& status,
                  std::vector<std::string> lead, std::vector<std::string> co = {}) {
    LedgerEntry e;
    e.section_number = section;
    e.section_title = section == "一" ? "深化司法责任制综合配套改革" : "推进诉讼制度改革";
    e.number = number;
    e.title = "任务" + number;
    e.status = status;
    e.lead = std::move(lead);
    e.co = std::move(co);
    return e;
}

LedgerExport three_tasks() {
    LedgerExport x;
    x.plan_title = "2019年司法体制改革工作要点";
    x.plan_key = "yanji-2019";
    x.period = "2019-05";
    x.as_of = "2019-06-12";
    auto a = entry("一", "1", "filed", {"司改办"}, {"政治处"});
    a.deadline_text = "2019年6月底前";
    a.deadline_due = "2019-06-30";
    a.report_summary = "已制定权力清单。";
    a.report_period = "2019-05";
    a.report_state = "filed";
    a.urges = 0;
    auto b = entry("一", "2", "overdue", {"刑庭"});
    b.deadline_text = "长期坚持";
    b.urges = 2;
    auto c = entry("二", "3", "in_approval", {"刑庭", "民一庭"}, {"司改办"});
    x.entries = {a, b, c};
    return x;
}

int column_of(const std::string& heading) {
    const auto& columns = rl::core::ledger_columns();
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].column.heading == heading) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

TEST(LedgerWorkbook, HasASummarySheetThenOneSheetPerSectionInLedgerOrder) {
    const auto book = rl::core::ledger_workbook(three_tasks());
    ASSERT_EQ(book.sheets.size(), 3u);
    EXPECT_EQ(book.sheets[0].name, "汇总");
    EXPECT_EQ(book.sheets[1].name, "一、深化司法责任制综合配套改革");
    EXPECT_EQ(book.sheets[2].name, "二、推进诉讼制度改革");
    EXPECT_EQ(book.sheets[1].rows.size(), 2u);
    EXPECT_EQ(book.sheets[2].rows.size(), 1u);
    EXPECT_NE(book.title.find("2019年5月"), std::string::npos) << book.title;
}

TEST(LedgerWorkbook, TaskSheetsHaveTheCourtsChineseColumnsFrozenAndFiltered) {
    const auto book = rl::core::ledger_workbook(three_tasks());
    const auto& sheet = book.sheets[1];
    std::vector<std::string> headings;
    for (const auto& c : sheet.columns) {
        headings.push_back(c.heading);
    }
    for (const char* expected :
         {"序号", "工作任务", "牵头部门", "配合部门", "完成时限", "本期状态", "最新进展"}) {
        EXPECT_NE(std::find(headings.begin(), headings.end(), expected), headings.end())
            << expected;
    }
    EXPECT_TRUE(sheet.freeze_heading);
    EXPECT_TRUE(sheet.filter);
    EXPECT_TRUE(sheet.columns[column_of("工作任务")].wrap);
    EXPECT_TRUE(sheet.columns[column_of("最新进展")].wrap);
}

TEST(LedgerWorkbook, StatusCellsCarryTheirLabelAndColour) {
    const auto book = rl::core::ledger_workbook(three_tasks());
    const int status = column_of("本期状态");
    const SheetCell& filed = book.sheets[1].rows[0][status];
    const SheetCell& overdue = book.sheets[1].rows[1][status];
    const SheetCell& in_approval = book.sheets[2].rows[0][status];
    EXPECT_EQ(filed.text, "已归档");
    EXPECT_EQ(filed.fill, Fill::green);
    EXPECT_EQ(overdue.text, "逾期");
    EXPECT_EQ(overdue.fill, Fill::red);
    EXPECT_EQ(in_approval.text, "审批中");
    EXPECT_EQ(in_approval.fill, Fill::blue);
    EXPECT_EQ(rl::core::status_fill("not_started"), Fill::yellow);
    EXPECT_EQ(rl::core::status_fill("not_due"), Fill::grey);
}

TEST(LedgerWorkbook, ADeadlineWithADateIsADateCellAndOneWithoutIsItsText) {
    const auto book = rl::core::ledger_workbook(three_tasks());
    const int deadline = column_of("完成时限");
    const SheetCell& dated = book.sheets[1].rows[0][deadline];
    const SheetCell& standing = book.sheets[1].rows[1][deadline];
    EXPECT_EQ(dated.kind, SheetCell::Kind::date);
    EXPECT_EQ(dated.text, "2019-06-30");
    EXPECT_EQ(standing.kind, SheetCell::Kind::text);
    EXPECT_EQ(standing.text, "长期坚持");
    EXPECT_EQ(book.sheets[2].rows[0][deadline].text, "未定");
}

TEST(LedgerWorkbook, TheDeadlineInForceTheTasksStateAndItsColourAreShown) {
    auto ledger = three_tasks();
    auto& a = ledger.entries[0];
    a.effective_deadline = "2019-09-30";  // an approved extension over 2019-06-30
    a.state = "closed";
    a.state_label = "已办结";
    a.warning = "green";
    auto& b = ledger.entries[1];
    b.state = "in_progress";
    b.state_label = "推进中";
    b.overdue_working_days = 3;
    b.escalated_on = "2019-06-12";
    b.warning = "red";
    b.warning_reasons = "刑庭（牵头）2019-05报告应于2019-06-07报送，已逾期3个工作日";
    const auto book = rl::core::ledger_workbook(ledger);
    const auto& first = book.sheets[1].rows[0];
    const auto& second = book.sheets[1].rows[1];
    EXPECT_EQ(first[column_of("完成时限")].text, "2019-09-30");
    EXPECT_EQ(first[column_of("任务状态")].text, "已办结");
    EXPECT_EQ(first[column_of("任务状态")].fill, Fill::green);
    EXPECT_EQ(first[column_of("预警")].text, "绿灯");
    EXPECT_EQ(first[column_of("预警")].fill, Fill::green);
    EXPECT_EQ(first[column_of("逾期工作日")].text, "");
    EXPECT_EQ(second[column_of("任务状态")].fill, Fill::none);
    EXPECT_EQ(second[column_of("预警")].text, "红灯");
    EXPECT_EQ(second[column_of("预警")].fill, Fill::red);
    EXPECT_EQ(second[column_of("逾期工作日")].kind, SheetCell::Kind::number);
    EXPECT_EQ(first[column_of("升级日期")].text, "");
    EXPECT_EQ(second[column_of("升级日期")].kind, SheetCell::Kind::date);
    EXPECT_EQ(second[column_of("升级日期")].text, "2019-06-12");
    EXPECT_EQ(second[column_of("预警原因")].text, b.warning_reasons);
    EXPECT_EQ(rl::core::state_fill("cancelled"), Fill::grey);
    EXPECT_EQ(rl::core::state_fill("closure_requested"), Fill::blue);
}

TEST(LedgerWorkbook, RowsShowLeadsCoDepartmentsTheLatestReportAndUrges) {
    const auto book = rl::core::ledger_workbook(three_tasks());
    const auto& row = book.sheets[2].rows[0];
    EXPECT_EQ(row[column_of("牵头部门")].text, "刑庭、民一庭");
    EXPECT_EQ(row[column_of("配合部门")].text, "司改办");
    const auto& first = book.sheets[1].rows[0];
    EXPECT_EQ(first[column_of("最新进展")].text, "已制定权力清单。");
    EXPECT_EQ(first[column_of("进展报送情况")].text, "2019年5月 已归档");
    const auto& second = book.sheets[1].rows[1];
    EXPECT_EQ(second[column_of("催办次数")].kind, SheetCell::Kind::number);
    EXPECT_EQ(second[column_of("催办次数")].number, 2);
    EXPECT_EQ(second[column_of("进展报送情况")].text, "");
}

TEST(LedgerWorkbook, TheSummaryCountsLeadTasksPerDepartmentAndTotalsByStatus) {
    const auto book = rl::core::ledger_workbook(three_tasks());
    const auto& summary = book.sheets[0];
    ASSERT_EQ(summary.title_lines.size(), 2u);
    EXPECT_NE(summary.title_lines[0].find("2019年司法体制改革工作要点"), std::string::npos);
    EXPECT_NE(summary.title_lines[1].find("2019年5月"), std::string::npos);
    EXPECT_NE(summary.title_lines[1].find("任务总数：3"), std::string::npos);
    // Departments in the order they first appear: 司改办, 政治处, 刑庭, 民一庭.
    ASSERT_EQ(summary.rows.size(), 4u);
    EXPECT_EQ(summary.rows[0][0].text, "司改办");
    EXPECT_EQ(summary.rows[0][1].number, 1);  // leads task 1
    EXPECT_EQ(summary.rows[0][2].number, 1);  // co-operates on task 3
    EXPECT_EQ(summary.rows[2][0].text, "刑庭");
    EXPECT_EQ(summary.rows[2][1].number, 2);
    std::size_t overdue = 0;
    for (std::size_t i = 0; i < summary.columns.size(); ++i) {
        if (summary.columns[i].heading == "牵头·逾期") {
            overdue = i;
        }
    }
    ASSERT_NE(overdue, 0u);
    EXPECT_EQ(summary.rows[2][overdue].number, 1);  // 刑庭 leads the overdue task 2
    ASSERT_EQ(summary.total_row.size(), summary.columns.size());
    EXPECT_EQ(summary.total_row[0].text, "全部任务");
    EXPECT_EQ(summary.total_row[1].number, 3);
    EXPECT_EQ(summary.total_row[overdue].number, 1);
    EXPECT_EQ(summary.total_row[overdue].fill, Fill::red);
}

TEST(SheetName, KeepsWhatExcelAcceptsAndCutsAt31Characters) {
    EXPECT_EQ(rl::core::sheet_name("一、深化改革", {}), "一、深化改革");
    EXPECT_EQ(rl::core::sheet_name("a/b:c[d]*?\\", {}), "a、b、c、d、、、、");
    const std::string long_title(40, 'x');
    EXPECT_EQ(rl::core::sheet_name(long_title, {}), std::string(31, 'x'));
    const std::string chinese =
        "一、全面落实司法责任制加强审判监督管理健全完善审判权力运行机制推进综合配套改革";
    const std::string cut = rl::core::sheet_name(chinese, {});
    EXPECT_EQ(rl::core::utf8::length(cut), 31u);
    EXPECT_TRUE(rl::core::utf8::is_valid(cut));
    EXPECT_EQ(rl::core::sheet_name("'quoted'", {}), "quoted");
    EXPECT_EQ(rl::core::sheet_name("", {}), "Sheet");
}

TEST(SheetName, IsMadeUniqueAmongTheNamesTaken) {
    EXPECT_EQ(rl::core::sheet_name("汇总", {"汇总"}), "汇总(2)");
    EXPECT_EQ(rl::core::sheet_name("汇总", {"汇总", "汇总(2)"}), "汇总(3)");
    const std::string long_title(40, 'x');
    const std::string second = rl::core::sheet_name(long_title, {std::string(31, 'x')});
    EXPECT_EQ(second, std::string(28, 'x') + "(2)");
}

}  // namespace
