// A task's state and time as every family shows them: the one place that
// turns what the ledger stores (stage, deadlines, whether it was reported on)
// into core::TaskTiming as of today. The colours (红黄绿灯) and the ledger
// both ask here.
#pragma once

#include <optional>
#include <string>

#include "abi/context.h"
#include "core/ledger.h"
#include "core/task_lifecycle.h"
#include "json_util.h"
#include "storage/task_store.h"

namespace rl::abi {

// The effective deadline (the reform office's or an approved extension's,
// else the plan's deadline.due), the state (未启动 … 已撤消) and whether and
// how many working days the task is overdue, today, by the court calendar.
core::TaskTiming task_timing_of(const Context& context, const core::LedgerRow& row);
core::TaskTiming task_timing_of(const Context& context, const storage::TaskRecord& task);

// Writes "state", "state_label", "effective_deadline", "overdue",
// "overdue_working_days" and "working_days_left" into the open object.
void write_task_timing(json::Writer& w, const core::TaskTiming& timing);

}  // namespace rl::abi
