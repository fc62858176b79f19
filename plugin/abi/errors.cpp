#include "abi/errors.h"

#include <Poco/Exception.h>

#include <cstring>

#include "config.h"
#include "core/plan_parser.h"
#include "core/utf8.h"
#include "storage/database.h"
#include "storage/plan_store.h"
#include "text/document_decoder.h"

namespace rl::abi {

const json::Reader& request_reader() {
    static const json::Reader r("request", [](const std::string& message) {
        throw CallError(RL_ERR_INVALID_ARGUMENT, message);
    });
    return r;
}

void write_outcome(json::Writer& w, const std::string& outcome, const std::string& message) {
    w.Key("outcome");
    json::write_string(w, outcome);
    w.Key("message");
    json::write_string(w, message);
}

rl_status status_of_current_exception(std::string& message) noexcept {
    try {
        throw;
    } catch (const CallError& e) {
        message = e.what();
        return e.code();
    } catch (const ConfigError& e) {
        message = e.what();
        return RL_ERR_CONFIG;
    } catch (const text::DocumentError& e) {
        message = e.what();
        return RL_ERR_INPUT;
    } catch (const core::PlanError& e) {
        message = e.what();
        return RL_ERR_INPUT;
    } catch (const storage::NotFound& e) {
        message = e.what();
        return RL_ERR_NOT_FOUND;
    } catch (const storage::StorageError& e) {
        message = e.what();
        return RL_ERR_STORAGE;
    } catch (const Poco::Exception& e) {
        message = "internal error: " + e.displayText();
        return RL_ERR_INTERNAL;
    } catch (const std::bad_alloc&) {
        message = "out of memory";
        return RL_ERR_INTERNAL;
    } catch (const std::exception& e) {
        message = std::string("internal error: ") + e.what();
        return RL_ERR_INTERNAL;
    } catch (...) {
        message = "internal error: unknown exception";
        return RL_ERR_INTERNAL;
    }
}

void write_error(rl_error* error, rl_status code, const std::string& raw) noexcept {
    if (error == nullptr || !RL_HAS_FIELD(error, rl_error, code)) {
        return;
    }
    error->code = code;
    if (error->struct_size < offsetof(rl_error, message) + 1) {
        return;  // no room for even the terminating NUL
    }
    // A message may quote what the caller sent (a path, a name, a file's
    // line): the host gets valid UTF-8 on one line, whatever that was.
    std::string message;
    try {
        message = core::utf8::printable(raw.substr(0, 4 * sizeof(error->message)));
    } catch (...) {
        message = "(the error message could not be prepared)";
    }
    const std::size_t room = std::min<std::size_t>(
        sizeof(error->message), error->struct_size - offsetof(rl_error, message));
    std::size_t n = std::min(message.size(), room - 1);
    // Never cut a UTF-8 sequence in half.
    while (n > 0 && n < message.size() && (static_cast<unsigned char>(message[n]) & 0xC0) == 0x80) {
        --n;
    }
    std::memcpy(error->message, message.data(), n);
    error->message[n] = '\0';
}

}  // namespace rl::abi
