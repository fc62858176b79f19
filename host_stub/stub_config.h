// The stub host's configuration: the plugin configuration plus conveniences a
// real host would provide — an org chart kept in its own file, a database path
// from the command line or the environment.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace oa_stub {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct StubSettings {
    std::string config_path;  // --config, $REFORM_LEDGER_CONFIG, or the demo config
    std::optional<std::string> database_path;  // --db or $REFORM_LEDGER_DB
};

// Reads the config file, inlines "org_chart": "FILE" (relative to the config
// file), fills in database.path, and returns the JSON the plugin receives.
// Throws UsageError naming the file when it cannot be read or is not JSON.
std::string plugin_config_json(const StubSettings& settings);

// The database path the plugin will use under these settings.
std::string effective_database_path(const StubSettings& settings);

std::string read_text_file(const std::string& path, const char* what);

}  // namespace oa_stub
