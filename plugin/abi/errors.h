// One exception type per status code the ABI reports, so handlers throw what
// they mean and the boundary guard maps it without guessing.
#pragma once

#include <stdexcept>
#include <string>

#include "json_util.h"
#include "reform_ledger.h"

namespace rl::abi {

class CallError : public std::runtime_error {
public:
    CallError(rl_status code, const std::string& message)
        : std::runtime_error(message), code_(code) {}
    rl_status code() const { return code_; }

private:
    rl_status code_;
};

// Reads request JSON; its errors are RL_ERR_INVALID_ARGUMENT naming the path.
const json::Reader& request_reader();

// Writes the "outcome" and "message" members of a business result.
void write_outcome(json::Writer& w, const std::string& outcome, const std::string& message);

// Maps the current exception (inside a catch block) to a status and message.
rl_status status_of_current_exception(std::string& message) noexcept;

// Writes code and message into a caller-owned rl_error, if it has room:
// invalid UTF-8 and control characters made printable (utf8::printable), cut
// on a character boundary.
void write_error(rl_error* error, rl_status code, const std::string& message) noexcept;

}  // namespace rl::abi
