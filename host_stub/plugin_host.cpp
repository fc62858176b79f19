#include "plugin_host.h"

#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <cstring>

namespace oa_stub {

std::optional<std::int64_t> court_time_ms(const std::string& text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0;
    char tail = 0;
    const int n = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d%c", &y, &mo, &d, &h, &mi, &tail);
    const bool ok = (n == 3 && text.size() == 10) || (n == 5 && text.size() == 16);
    if (!ok || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) {
        return std::nullopt;
    }
    // Days from civil (proleptic Gregorian), as the plugin counts them.
    const int yy = y - (mo <= 2 ? 1 : 0);
    const int era = (yy >= 0 ? yy : yy - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(yy - era * 400);
    const unsigned doy = static_cast<unsigned>((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
    return ((days * 24 + h) * 60 + mi) * 60000 - 8LL * 3600 * 1000;
}

namespace {

rl_error new_error() {
    rl_error e{};
    e.struct_size = sizeof(e);
    return e;
}

int32_t append_to_string(void* context, const char* data, size_t size) {
    static_cast<std::string*>(context)->append(data, size);
    return 0;
}

}  // namespace

PluginHost::PluginHost(int32_t log_level) : log_level_(log_level) {
    services_.struct_size = sizeof(services_);
    services_.host_context = this;
    services_.log = &PluginHost::log;
    services_.now_ms = &PluginHost::now_ms;
    services_.register_definition = &PluginHost::register_definition;
}

PluginHost::~PluginHost() {
    if (instance_ != nullptr) {
        plugin_->destroy(instance_);
    }
    if (library_ != nullptr) {
        dlclose(library_);
    }
}

void PluginHost::load(const std::string& library_path, uint32_t abi_major, uint32_t abi_minor) {
    library_ = dlopen(library_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (library_ == nullptr) {
        throw PluginError(RL_ERR_INVALID_ARGUMENT,
                          "cannot load plugin '" + library_path + "': " + dlerror());
    }
    void* symbol = dlsym(library_, RL_ENTRY_SYMBOL);
    if (symbol == nullptr) {
        throw PluginError(RL_ERR_INVALID_ARGUMENT, "plugin '" + library_path + "' has no " +
                                                       RL_ENTRY_SYMBOL + " entry function");
    }
    rl_entry_fn entry;
    std::memcpy(&entry, &symbol, sizeof(entry));
    rl_error error = new_error();
    const rl_status status = entry(abi_major, abi_minor, &plugin_, &error);
    if (status != RL_OK) {
        throw PluginError(status, error.message);
    }
    if (plugin_->struct_size < sizeof(rl_plugin)) {
        throw PluginError(RL_ERR_VERSION_MISMATCH,
                          "plugin '" + library_path + "' offers an older, smaller plugin table");
    }
}

void PluginHost::create(const std::string& config_json) {
    rl_error error = new_error();
    const rl_status status =
        plugin_->create(&services_, config_json.data(), config_json.size(), &instance_, &error);
    if (status != RL_OK) {
        throw PluginError(status, error.message);
    }
}

std::string PluginHost::call(const std::string& method, const std::string& request_json) {
    std::string result;
    rl_sink sink{sizeof(rl_sink), &result, &append_to_string};
    rl_error error = new_error();
    const rl_status status = plugin_->call(instance_, method.data(), method.size(),
                                           request_json.data(), request_json.size(), &sink, &error);
    if (status != RL_OK) {
        throw PluginError(status, error.message);
    }
    return result;
}

void PluginHost::shutdown() {
    if (instance_ == nullptr) {
        return;
    }
    rl_error error = new_error();
    const rl_status status = plugin_->shutdown(instance_, &error);
    plugin_->destroy(instance_);
    instance_ = nullptr;
    if (status != RL_OK) {
        throw PluginError(status, error.message);
    }
}

void PluginHost::log(void* context, int32_t level, const char* message, size_t size) {
    auto* self = static_cast<PluginHost*>(context);
    if (level < self->log_level_) {
        return;
    }
    if (self->log_handler_) {
        try {
            self->log_handler_(level, std::string(message, size));
        } catch (...) {  // never let an exception into the plugin
        }
        return;
    }
    static const char* const kLevels[] = {"debug", "info", "warning", "error"};
    const char* name = level >= 0 && level <= 3 ? kLevels[level] : "log";
    std::fprintf(stderr, "[plugin %s] %.*s\n", name, static_cast<int>(size), message);
}

int64_t PluginHost::now_ms(void* context) {
    auto* self = static_cast<PluginHost*>(context);
    if (self->fixed_now_ms_ != 0 && self->running_) {
        return self->fixed_now_ms_ + std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - self->started_)
                                         .count();
    }
    if (self->fixed_now_ms_ != 0) {
        return self->fixed_now_ms_;
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

rl_status PluginHost::register_definition(void* context, int32_t kind, const char* json,
                                          size_t size, rl_error* error) {
    auto* self = static_cast<PluginHost*>(context);
    std::string problem;
    try {
        problem = self->registry_.add(kind, std::string(json, size));
    } catch (const std::exception& e) {  // never let an exception into the plugin
        problem = std::string("the host failed to store the definition: ") + e.what();
    }
    if (problem.empty()) {
        return RL_OK;
    }
    if (error != nullptr && error->struct_size >= sizeof(rl_error)) {
        error->code = RL_ERR_REGISTRATION;
        std::snprintf(error->message, sizeof(error->message), "%s", problem.c_str());
    }
    return RL_ERR_REGISTRATION;
}

}  // namespace oa_stub
