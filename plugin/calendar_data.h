// Loads the working-day calendar from its JSON data file (data/
// cn-working-calendar.json is compiled in as the default; the integrator can
// point the configuration at a newer file without rebuilding).
#pragma once

#include <string>
#include <string_view>

#include "core/calendar.h"

namespace rl {

// Throws ConfigError naming the source and the JSON path of the problem.
core::WorkingCalendar load_calendar(std::string_view json, const std::string& source);

// The calendar compiled into the plugin.
core::WorkingCalendar builtin_calendar();

}  // namespace rl
