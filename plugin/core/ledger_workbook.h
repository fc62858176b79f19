// The court's 台账 as a workbook: a summary sheet (the plan, the period,
// how many tasks stand in each status, per department) and one sheet per
// section of the plan, one row per task. The rows come from one plain model
// (LedgerEntry) and the columns from one list (ledger_columns()): a new
// column is one line there.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/workbook.h"

namespace rl::core {

// One task of the ledger as exported.
struct LedgerEntry {
    std::string section_number;  // 一
    std::string section_title;
    std::string number;  // 14
    std::string label;   // as the plan writes it ("14." / "（十四）"); number if empty
    std::string title;
    std::vector<std::string> lead;
    std::vector<std::string> co;
    std::string deadline_text;  // as written; empty: the plan gives none
    std::string deadline_due;   // ISO date, or empty (长期坚持)
    std::string progress;       // 进度要求
    // The deadline in force (the reform office's or an approved extension's,
    // else the plan's), ISO; empty: none. Shown instead of deadline_due.
    std::string effective_deadline;
    std::string state;             // the task's life: not_started … cancelled
    std::string state_label;       // 未启动 … 已撤消
    int overdue_working_days = 0;  // past the effective deadline, not settled
    // The court day the sweep escalated the deadline in force to the leaders
    // in charge (升级), ISO; empty: not escalated, or no longer overdue.
    std::string escalated_on;
    std::string warning;          // red, yellow, green (红黄绿灯)
    std::string warning_reasons;  // why red or yellow, one reason a line
    std::string status;           // of its lead reports this period: not_started … not_due
    // The latest progress report on the task up to the period: the newest
    // filed one, else the newest one of the period in whatever state.
    std::string report_summary;
    std::string report_period;  // "2019-05"; empty: no report yet
    std::string report_state;   // draft, in_approval, returned, filed
    int urges = 0;              // 催办 of the period's obligations
};

struct LedgerExport {
    std::string plan_title;
    std::string plan_key;
    std::string period;                // "2019-05"
    std::string as_of;                 // the court date the export was made
    std::vector<LedgerEntry> entries;  // in ledger order
};

struct LedgerColumn {
    SheetColumn column;
    std::function<SheetCell(const LedgerEntry&)> cell;
};

// The task sheets' columns, left to right.
const std::vector<LedgerColumn>& ledger_columns();

// 已归档, 逾期 … for a status code; the code itself when unknown.
std::string status_label(const std::string& status);
// The fill a status is shown with: filed green, in approval blue, not yet
// reported (not started, draft, returned) yellow, overdue red, waived and
// not due grey.
Fill status_fill(const std::string& status);
// The fill a task's state is shown with: closed and struck green, a closure
// in approval blue, cancelled grey, the rest none.
Fill state_fill(const std::string& state);
// 红灯, 黄灯, 绿灯 and their fills.
std::string warning_label(const std::string& colour);
Fill warning_fill(const std::string& colour);
// The statuses in the order the summary lists them.
const std::vector<std::string>& ledger_statuses();
// "2019年5月" for "2019-05", "2019年第2季度" for "2019-Q2".
std::string period_label(const std::string& period);

Workbook ledger_workbook(const LedgerExport& ledger);

}  // namespace rl::core
