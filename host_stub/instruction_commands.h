// oa-stub's commands for leaders' instructions (批示) and reading (抄送/待阅):
// `instruction write|answer|list|show` and `reading list|mark`, each a client
// of the plugin's instruction.* and reading.* methods.
#pragma once

#include "report_commands.h"

namespace oa_stub {

int instruction_command(CliContext& c);
int reading_command(CliContext& c);

}  // namespace oa_stub
