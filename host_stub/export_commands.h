// oa-stub export: the ledger as an Excel file and the monthly bulletin as a
// Word file, through the plugin's export.ledger and export.bulletin.
#pragma once

#include "report_commands.h"

namespace oa_stub {

// export ledger --xlsx FILE [--period P] [--plan KEY] [--user ID] [--force] [--json]
// export bulletin --period P --docx FILE [--plan KEY] [--user ID] [--force] [--json]
// Exit 0 when written, kRefused when the plugin refuses the person.
int export_command(CliContext& c);

}  // namespace oa_stub
