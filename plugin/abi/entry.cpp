// The plugin's one exported symbol and the C functions of its rl_plugin table.
// Each function is a guard: decode, call into C++, map errors; no exception
// leaves this file.
#include <cstring>
#include <memory>
#include <string>

#include "abi/errors.h"
#include "abi/instance.h"
#include "config.h"
#include "reform_ledger.h"

#ifndef RL_PLUGIN_VERSION
#define RL_PLUGIN_VERSION "0.0.0"
#endif

namespace {

using rl::abi::CallError;

// Runs body; turns any exception into a status and an error message.
template <typename Body>
rl_status guarded(rl_error* error, Body&& body) noexcept {
    try {
        body();
        return RL_OK;
    } catch (...) {
        std::string message;
        const rl_status status = rl::abi::status_of_current_exception(message);
        rl::abi::write_error(error, status, message);
        return status;
    }
}

rl_status create(const rl_host_services* host, const char* config_json, size_t config_size,
                 rl_instance** out, rl_error* error) {
    if (out != nullptr) {
        *out = nullptr;
    }
    return guarded(error, [&] {
        if (out == nullptr || host == nullptr) {
            throw CallError(RL_ERR_INVALID_ARGUMENT, "create: host and out must not be NULL");
        }
        if (host->struct_size < offsetof(rl_host_services, host_context) + sizeof(void*)) {
            throw CallError(RL_ERR_INVALID_ARGUMENT,
                            "create: host->struct_size " + std::to_string(host->struct_size) +
                                " is too small for an rl_host_services table");
        }
        if (config_json == nullptr && config_size != 0) {
            throw CallError(RL_ERR_INVALID_ARGUMENT, "create: config_json is NULL");
        }
        rl::Config config = rl::parse_config(std::string_view(config_json, config_size));
        *out = new rl::abi::Instance(*host, std::move(config));
    });
}

rl_status call(rl_instance* instance, const char* method, size_t method_size,
               const char* request_json, size_t request_size, const rl_sink* result,
               rl_error* error) {
    return guarded(error, [&] {
        if (instance == nullptr || method == nullptr || result == nullptr) {
            throw CallError(RL_ERR_INVALID_ARGUMENT,
                            "call: instance, method and result must not be NULL");
        }
        if (!RL_HAS_FIELD(result, rl_sink, write) || result->write == nullptr) {
            throw CallError(RL_ERR_INVALID_ARGUMENT, "call: result->struct_size " +
                                                         std::to_string(result->struct_size) +
                                                         " does not cover write, or write is NULL");
        }
        if (request_json == nullptr && request_size != 0) {
            throw CallError(RL_ERR_INVALID_ARGUMENT, "call: request_json is NULL");
        }
        auto* self = static_cast<rl::abi::Instance*>(instance);
        // The result is handed over inside the call's transaction: if the
        // host's sink refuses it, the call fails and nothing is written.
        self->call(std::string_view(method, method_size),
                   std::string_view(request_json, request_size), [&](std::string_view json) {
                       if (result->write(result->context, json.data(), json.size()) != 0) {
                           throw CallError(RL_ERR_INTERNAL,
                                           "call: the host's result sink refused the output; "
                                           "nothing was written");
                       }
                   });
    });
}

rl_status shutdown(rl_instance* instance, rl_error* error) {
    return guarded(error, [&] {
        if (instance == nullptr) {
            throw CallError(RL_ERR_INVALID_ARGUMENT, "shutdown: instance is NULL");
        }
        static_cast<rl::abi::Instance*>(instance)->shutdown();
    });
}

void destroy(rl_instance* instance) {
    guarded(nullptr, [&] { delete static_cast<rl::abi::Instance*>(instance); });
}

const rl_plugin kPlugin = {
    sizeof(rl_plugin),
    RL_ABI_VERSION_MAJOR,
    RL_ABI_VERSION_MINOR,
    "reform-ledger",
    RL_PLUGIN_VERSION,
    &create,
    &call,
    &shutdown,
    &destroy,
};

}  // namespace

extern "C" RL_EXPORT rl_status reform_ledger_entry_v1(uint32_t host_abi_major,
                                                      uint32_t host_abi_minor,
                                                      const rl_plugin** out, rl_error* error) {
    return guarded(error, [&] {
        if (out == nullptr) {
            throw CallError(RL_ERR_INVALID_ARGUMENT, "reform_ledger_entry_v1: out is NULL");
        }
        *out = nullptr;
        if (host_abi_major != RL_ABI_VERSION_MAJOR) {
            throw CallError(
                RL_ERR_VERSION_MISMATCH,
                "ABI version mismatch: the host speaks " + std::to_string(host_abi_major) + "." +
                    std::to_string(host_abi_minor) + ", this plugin speaks " +
                    std::to_string(RL_ABI_VERSION_MAJOR) + "." +
                    std::to_string(RL_ABI_VERSION_MINOR) + "; the major versions must be equal");
        }
        *out = &kPlugin;
    });
}
