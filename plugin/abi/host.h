// The host's services as the plugin uses them: a log that never throws, a
// clock that falls back to the system's, and registration.
#pragma once

#include <cstdint>
#include <string>

#include "reform_ledger.h"

namespace rl::abi {

class Host {
public:
    // Copies the services table (only the fields its struct_size covers).
    explicit Host(const rl_host_services& services);

    void log(int32_t level, const std::string& message) const noexcept;
    std::int64_t now_ms() const noexcept;
    // Throws CallError(RL_ERR_REGISTRATION) with the host's reason if refused.
    void register_definition(int32_t kind, const std::string& id, int version,
                             const std::string& json) const;

private:
    rl_host_services services_{};
};

}  // namespace rl::abi
