// The forms, workflow and notification rules the plugin registers into the
// host. They are data (plugin/definitions/), compiled in, checked here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config.h"
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

// A form definition as the plugin registers it under this configuration:
// each field (or attachment item field) that names the limit bounding it
// ("limit": "text_chars") also carries the configured value, as "max_length"
// (characters) or, for "evidence_entries", "max_items" — so a host renders
// the bounds the plugin will check. Other definitions are returned as they
// are. Throws std::logic_error for a limit name the plugin does not have.
std::string with_limits(const std::string& definition_json, const Limits& limits);

// The reminder thresholds as the registered notification rules state them
// (their "trigger" objects); configuration may override them.
core::ReminderSettings reminder_settings_from_definitions();

}  // namespace rl
