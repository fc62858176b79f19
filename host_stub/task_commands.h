// oa-stub's task commands: a task's state and deadline, its closure (办结),
// 销号 and reopening, extension requests (延期申请) and the plan changes of the
// year (调整) — each a client of the plugin's task.* methods.
#pragma once

#include "report_commands.h"

namespace oa_stub {

// task show|deadline|close|strike|reopen|cancel|extend|extension|extensions|add|assign.
// Refused actions exit with kRefused.
int task_command(CliContext& c);

}  // namespace oa_stub
