// oa-stub's assessment commands: department scores (考评), a client of the
// plugin's scores.period and scores.year.
#pragma once

#include "report_commands.h"

namespace oa_stub {

// scores --period 2019-05 | --year 2019 [--plan KEY] [--user ID] [--json]
int scores_command(CliContext& c);

}  // namespace oa_stub
