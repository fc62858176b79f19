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
    // Where "stub:receiver" channel URLs point: the receiver this process
    // runs, or else the configured receiver port.
    std::optional<std::string> receiver_url;
    bool delivery_worker = false;  // let the plugin run its delivery thread
};

// The stub's own receiver settings: "receiver": {"port", "secret"}.
struct ReceiverSettings {
    int port = 18089;
    std::string secret;  // empty: the configuration has no receiver
};
ReceiverSettings receiver_settings(const StubSettings& settings);

// Reads the config file, inlines "org_chart": "FILE" (relative to the config
// file), fills in database.path, resolves "stub:receiver" URLs, drops the
// stub's own keys, and returns the JSON the plugin receives.
// Throws UsageError naming the file when it cannot be read or is not JSON.
std::string plugin_config_json(const StubSettings& settings);

// The database path the plugin will use under these settings.
std::string effective_database_path(const StubSettings& settings);

// A configuration or org chart file: a regular file of at most 16 MiB (the
// plugin's limit for a configuration). Throws UsageError naming the file.
std::string read_text_file(const std::string& path, const char* what);

}  // namespace oa_stub
