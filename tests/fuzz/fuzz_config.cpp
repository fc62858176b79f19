// libFuzzer target: the configuration a host passes to create(), as
// rl::parse_config reads it before anything is opened.
//
// A refusal (ConfigError) is an answer; any other exception, a crash, a
// sanitizer report, a hang or runaway memory is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        rl::parse_config(std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const rl::ConfigError&) {
    }
    return 0;
}
