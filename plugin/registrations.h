// The forms, workflow and notification rules the plugin registers into the
// host. They are data (plugin/definitions/), compiled in, checked here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/reminders.h"

namespace rl {

struct Definition {
    std::int32_t kind = 0;  // RL_REGISTRATION_*
    std::string id;
    int version = 0;
    std::string json;
    std::string source;  // file it came from, for messages
};

// Forms first, then workflows, then notification rules; each group by id.
// Throws std::logic_error if a compiled-in definition is malformed (a bug).
std::vector<Definition> definitions();

// The reminder thresholds as the registered notification rules state them
// (their "trigger" objects); configuration may override them.
core::ReminderSettings reminder_settings_from_definitions();

}  // namespace rl
