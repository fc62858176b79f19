#include "core/ledger_workbook.h"

#include <map>

#include "core/reporting.h"

namespace rl::core {

namespace {

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        out += out.empty() ? "" : "、";
        out += n;
    }
    return out;
}

SheetCell deadline_cell(const LedgerEntry& e) {
    if (!e.effective_deadline.empty()) {
        return SheetCell::of_date(e.effective_deadline);
    }
    if (!e.deadline_due.empty()) {
        return SheetCell::of_date(e.deadline_due);
    }
    return SheetCell::of_text(e.deadline_text.empty() ? "未定" : e.deadline_text);
}

SheetCell report_cell(const LedgerEntry& e) {
    if (e.report_period.empty()) {
        return SheetCell::of_text("");
    }
    return SheetCell::of_text(period_label(e.report_period) + " " + status_label(e.report_state));
}

}  // namespace

const std::vector<LedgerColumn>& ledger_columns() {
    static const std::vector<LedgerColumn> columns = {
        {{"序号", 6}, [](const LedgerEntry& e) { return SheetCell::of_text(e.number); }},
        {{"工作任务", 36, true}, [](const LedgerEntry& e) { return SheetCell::of_text(e.title); }},
        {{"牵头部门", 16, true},
         [](const LedgerEntry& e) { return SheetCell::of_text(joined(e.lead)); }},
        {{"配合部门", 18, true},
         [](const LedgerEntry& e) { return SheetCell::of_text(joined(e.co)); }},
        {{"完成时限", 14, true}, deadline_cell},
        {{"进度要求", 16, true},
         [](const LedgerEntry& e) { return SheetCell::of_text(e.progress); }},
        {{"任务状态", 10},
         [](const LedgerEntry& e) {
             return SheetCell::of_text(e.state_label, state_fill(e.state));
         }},
        {{"逾期工作日", 10},
         [](const LedgerEntry& e) {
             return e.overdue_working_days > 0 ? SheetCell::of_number(e.overdue_working_days)
                                               : SheetCell::of_text("");
         }},
        {{"升级日期", 12}, [](const LedgerEntry& e) { return SheetCell::of_date(e.escalated_on); }},
        {{"预警", 8},
         [](const LedgerEntry& e) {
             return SheetCell::of_text(warning_label(e.warning), warning_fill(e.warning));
         }},
        {{"预警原因", 30, true},
         [](const LedgerEntry& e) { return SheetCell::of_text(e.warning_reasons); }},
        {{"本期状态", 12},
         [](const LedgerEntry& e) {
             return SheetCell::of_text(status_label(e.status), status_fill(e.status));
         }},
        {{"最新进展", 40, true},
         [](const LedgerEntry& e) { return SheetCell::of_text(e.report_summary); }},
        {{"进展报送情况", 14, true}, report_cell},
        {{"催办次数", 10}, [](const LedgerEntry& e) { return SheetCell::of_number(e.urges); }},
    };
    return columns;
}

const std::vector<std::string>& ledger_statuses() {
    static const std::vector<std::string> statuses = {
        "filed", "in_approval", "draft", "not_started", "returned", "overdue", "waived", "not_due"};
    return statuses;
}

std::string status_label(const std::string& status) {
    static const std::map<std::string, std::string> labels = {
        {"not_started", "未报送"}, {"draft", "草稿"},           {"in_approval", "审批中"},
        {"returned", "已退回"},    {"filed", "已归档"},         {"overdue", "逾期"},
        {"waived", "免报"},        {"not_due", "本期无需报送"},
    };
    const auto it = labels.find(status);
    return it == labels.end() ? status : it->second;
}

Fill status_fill(const std::string& status) {
    if (status == "filed") {
        return Fill::green;
    }
    if (status == "in_approval") {
        return Fill::blue;
    }
    if (status == "overdue") {
        return Fill::red;
    }
    if (status == "waived" || status == "not_due") {
        return Fill::grey;
    }
    return Fill::yellow;
}

Fill state_fill(const std::string& state) {
    if (state == "closed" || state == "struck") {
        return Fill::green;
    }
    if (state == "closure_requested") {
        return Fill::blue;
    }
    if (state == "cancelled") {
        return Fill::grey;
    }
    return Fill::none;
}

std::string warning_label(const std::string& colour) {
    if (colour == "red") {
        return "红灯";
    }
    if (colour == "yellow") {
        return "黄灯";
    }
    if (colour == "green") {
        return "绿灯";
    }
    return colour;
}

Fill warning_fill(const std::string& colour) {
    if (colour == "red") {
        return Fill::red;
    }
    if (colour == "yellow") {
        return Fill::yellow;
    }
    if (colour == "green") {
        return Fill::green;
    }
    return Fill::none;
}

std::string period_label(const std::string& period) {
    const auto p = Period::parse(period);
    if (!p) {
        return period;
    }
    if (p->cycle == Cycle::quarterly) {
        return std::to_string(p->year) + "年第" + std::to_string(p->index) + "季度";
    }
    return std::to_string(p->year) + "年" + std::to_string(p->index) + "月";
}

namespace {

Sheet summary_sheet(const LedgerExport& ledger) {
    Sheet sheet;
    sheet.name = "汇总";
    sheet.title_lines = {ledger.plan_title + " 工作台账",
                         "台账期间：" + period_label(ledger.period) + "　导出日期：" +
                             ledger.as_of + "　任务总数：" + std::to_string(ledger.entries.size())};
    sheet.columns = {{"部门", 20}, {"牵头任务", 10}, {"配合任务", 10}};
    for (const auto& s : ledger_statuses()) {
        sheet.columns.push_back({"牵头·" + status_label(s), 12});
    }
    // Department → counts, in the order departments first lead or co-operate.
    struct Counts {
        int lead = 0;
        int co = 0;
        std::map<std::string, int> by_status;
    };
    std::vector<std::string> order;
    std::map<std::string, Counts> per_department;
    const auto counts_of = [&](const std::string& d) -> Counts& {
        if (per_department.count(d) == 0) {
            order.push_back(d);
        }
        return per_department[d];
    };
    std::map<std::string, int> totals;
    for (const auto& e : ledger.entries) {
        ++totals[e.status];
        for (const auto& d : e.lead) {
            Counts& c = counts_of(d);
            ++c.lead;
            ++c.by_status[e.status];
        }
        for (const auto& d : e.co) {
            ++counts_of(d).co;
        }
    }
    for (const auto& d : order) {
        const Counts& c = per_department[d];
        std::vector<SheetCell> row = {SheetCell::of_text(d), SheetCell::of_number(c.lead),
                                      SheetCell::of_number(c.co)};
        for (const auto& s : ledger_statuses()) {
            const auto it = c.by_status.find(s);
            row.push_back(SheetCell::of_number(it == c.by_status.end() ? 0 : it->second));
        }
        sheet.rows.push_back(std::move(row));
    }
    std::vector<SheetCell> total = {
        SheetCell::of_text("全部任务"),
        SheetCell::of_number(static_cast<double>(ledger.entries.size())), SheetCell::of_text("")};
    for (const auto& s : ledger_statuses()) {
        SheetCell c = SheetCell::of_number(totals.count(s) ? totals.at(s) : 0);
        c.fill = status_fill(s);
        total.push_back(c);
    }
    for (auto& c : total) {
        c.bold = true;
    }
    sheet.total_row = std::move(total);
    return sheet;
}

}  // namespace

Workbook ledger_workbook(const LedgerExport& ledger) {
    Workbook book;
    book.title = ledger.plan_title + " 工作台账（" + period_label(ledger.period) + "）";
    book.sheets.push_back(summary_sheet(ledger));
    std::vector<std::string> taken = {book.sheets.front().name};
    const auto& columns = ledger_columns();
    for (const auto& e : ledger.entries) {
        const std::string section =
            e.section_number.empty() ? e.section_title : e.section_number + "、" + e.section_title;
        if (book.sheets.size() == 1 || book.sheets.back().title_lines.front() != section) {
            Sheet sheet;
            sheet.name = sheet_name(section.empty() ? "任务" : section, taken);
            taken.push_back(sheet.name);
            sheet.title_lines = {section};
            for (const auto& c : columns) {
                sheet.columns.push_back(c.column);
            }
            book.sheets.push_back(std::move(sheet));
        }
        std::vector<SheetCell> row;
        for (const auto& c : columns) {
            row.push_back(c.cell(e));
        }
        book.sheets.back().rows.push_back(std::move(row));
    }
    return book;
}

}  // namespace rl::core
