// oa-stub's reporting commands: calendar, obligations, report actions,
// status, inbox and audit — each a client of the plugin's ABI methods.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <iosfwd>
#include <string>

#include "cli_options.h"
#include "plugin_host.h"

namespace oa_stub {

struct CliContext {
    const Options& options;
    std::ostream& out;
    std::ostream& err;
    PluginHost& host;
};

// Exit status of a command that asks the plugin to act: refused actions
// (not permitted, invalid, a version conflict) exit with this.
constexpr int kRefused = 3;

int calendar_command(CliContext& c);
int obligations_command(CliContext& c);
int report_command(CliContext& c);
int status_command(CliContext& c);
int inbox_command(CliContext& c);
// audit: the trail; audit verify: checks it (exit 1 when it does not verify).
int audit_command(CliContext& c);

// The main job's scripted month: a few reports for 2019-10 go through the
// approval chain (one is returned and resubmitted) and are filed; then the
// ledger's status. Skipped, with a note, if it was recorded before.
void scripted_month(CliContext& c);

// For each entry of list (objects with a "warning" and a name under
// name_key) that is yellow or red: "<what> <name> 红灯: <reason>; <reason>".
void print_warning_reasons(std::ostream& out, const rapidjson::Value& list, const char* name_key,
                           const char* what);

// A status code with its Chinese and English label ("逾期 overdue").
std::string status_label(const std::string& status);

// "2019-11-04T02:05:00.000Z" (as stored, UTC) → "2019-11-04 10:05" (court time,
// UTC+8); anything else as it is.
std::string court_time(const std::string& iso_utc);

// "2019-11-04" or "2019-11-04T09:30" in court time (UTC+8) → epoch ms.
// Throws UsageError otherwise.
std::int64_t parse_court_time(const std::string& text);

}  // namespace oa_stub
