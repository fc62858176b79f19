// Loads the plugin the way an OA platform does: dlopen, look up the one entry
// symbol, negotiate the ABI version, offer host services, create an instance.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "reform_ledger.h"
#include "registry.h"

namespace oa_stub {

// "2019-11-08" or "2019-11-08T09:00", court time (UTC+8), as milliseconds
// since the Unix epoch; nullopt when the text is neither. For --now.
std::optional<std::int64_t> court_time_ms(const std::string& text);

// A failed plugin call: the status code and the plugin's message.
class PluginError : public std::runtime_error {
public:
    PluginError(rl_status status, const std::string& message)
        : std::runtime_error(message), status_(status) {}
    rl_status status() const { return status_; }

private:
    rl_status status_;
};

class PluginHost {
public:
    // level: lowest log level shown on stderr.
    explicit PluginHost(int32_t log_level = RL_LOG_WARNING);
    ~PluginHost();
    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;

    // Throws PluginError (RL_ERR_VERSION_MISMATCH, RL_ERR_INVALID_ARGUMENT …).
    void load(const std::string& library_path, uint32_t abi_major = RL_ABI_VERSION_MAJOR,
              uint32_t abi_minor = RL_ABI_VERSION_MINOR);
    void create(const std::string& config_json);
    std::string call(const std::string& method, const std::string& request_json = "{}");
    void shutdown();

    // Where the plugin's log lines go instead of stderr (a server's logger).
    // Called from any thread ([thread-safe] in the ABI); must not throw. Set
    // before create().
    using LogHandler = std::function<void(int32_t level, const std::string& message)>;
    void set_log_handler(LogHandler handler) { log_handler_ = std::move(handler); }
    bool created() const { return instance_ != nullptr; }

    const rl_plugin& plugin() const { return *plugin_; }
    const Registry& registry() const { return registry_; }
    // A fixed clock for tests and scripted runs; 0 means the system clock.
    // Call before create().
    void set_clock(std::int64_t epoch_ms) {
        fixed_now_ms_ = epoch_ms;
        running_ = false;
    }
    // A clock that reads epoch_ms now and runs on from there (a long-running
    // scripted host: retries and leases come due as it moves). Call before create().
    void set_running_clock(std::int64_t epoch_ms) {
        fixed_now_ms_ = epoch_ms;
        running_ = true;
        started_ = std::chrono::steady_clock::now();
    }

private:
    static void log(void* context, int32_t level, const char* message, size_t size);
    static int64_t now_ms(void* context);
    static rl_status register_definition(void* context, int32_t kind, const char* json, size_t size,
                                         rl_error* error);

    int32_t log_level_;
    LogHandler log_handler_;
    void* library_ = nullptr;
    const rl_plugin* plugin_ = nullptr;
    rl_instance* instance_ = nullptr;
    rl_host_services services_{};
    Registry registry_;
    std::int64_t fixed_now_ms_ = 0;
    bool running_ = false;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace oa_stub
