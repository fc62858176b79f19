// The three colours (红黄绿灯) as ledger.tasks and ledger.status show them:
// the rules are core/warnings.h; this reads what they need from the ledger.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "abi/context.h"
#include "core/ledger.h"
#include "core/warnings.h"
#include "json_util.h"
#include "storage/month_view.h"

namespace rl::abi {

// The one place the colours read a task's deadline and whether it is still in
// hand: the effective deadline (the reform office's, or an approved
// extension's, else the plan's) and the task's state (task_views.h); 已办结,
// 已销号 and 已撤消 are settled and never yellow or red.
core::TaskStanding task_standing(Context& context, const core::PlanInfo& plan,
                                 const core::LedgerRow& row);

struct LedgerWarnings {
    std::map<std::string, core::Warning> tasks;        // by task number
    std::map<std::string, core::Warning> departments;  // by department
};

// The colours as of today for the tasks of rows: each by its standing and its
// report obligations still open up to the month (an earlier month's report
// not yet filed counts too). Departments: every department of rows.
LedgerWarnings ledger_warnings(Context& context, const core::PlanInfo& plan,
                               const storage::MonthView& month,
                               const std::vector<core::LedgerRow>& rows);

// {"colour", "label", "reasons": [{rule, colour, task, department, period,
// due_date, working_days, text}]}
void write_warning(json::Writer& w, const core::Warning& warning);

}  // namespace rl::abi
