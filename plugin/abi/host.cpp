#include "abi/host.h"

#include <chrono>
#include <cstring>

#include "abi/errors.h"

namespace rl::abi {

Host::Host(const rl_host_services& services) {
    std::memcpy(&services_, &services,
                std::min<std::size_t>(services.struct_size, sizeof(services_)));
    services_.struct_size = sizeof(services_);
    if (services.struct_size < sizeof(rl_host_services)) {
        // Fields the host did not provide stay zero (NULL).
        std::memset(reinterpret_cast<char*>(&services_) + services.struct_size, 0,
                    sizeof(services_) - services.struct_size);
    }
}

void Host::log(int32_t level, const std::string& message) const noexcept {
    if (services_.log != nullptr) {
        services_.log(services_.host_context, level, message.data(), message.size());
    }
}

std::int64_t Host::now_ms() const noexcept {
    if (services_.now_ms != nullptr) {
        return services_.now_ms(services_.host_context);
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void Host::register_definition(int32_t kind, const std::string& id, int version,
                               const std::string& json) const {
    if (services_.register_definition == nullptr) {
        throw CallError(
            RL_ERR_REGISTRATION,
            "the host offers no register_definition service; cannot register '" + id + "'");
    }
    rl_error error{};
    error.struct_size = sizeof(error);
    const rl_status status = services_.register_definition(services_.host_context, kind,
                                                           json.data(), json.size(), &error);
    if (status != RL_OK) {
        error.message[sizeof(error.message) - 1] = '\0';
        throw CallError(RL_ERR_REGISTRATION, "the host refused to register '" + id + "' (version " +
                                                 std::to_string(version) + "): " + error.message);
    }
}

}  // namespace rl::abi
