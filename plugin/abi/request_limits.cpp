#include "abi/request_limits.h"

#include <string>

#include "abi/errors.h"
#include "core/utf8.h"

namespace rl::abi {

namespace {

struct TextLimit {
    std::size_t max;
    const char* unit;     // "characters" or "bytes"
    const char* setting;  // what raises it, or nullptr
};

// The limit of a top-level field of a request; max 0: none of its own.
TextLimit limit_of(std::string_view key, const Limits& limits) {
    if (key == "reason" || key == "opinion" || key == "note" || key == "answer" ||
        key == "content") {
        return {static_cast<std::size_t>(limits.note_chars), "characters", "limits.note_chars"};
    }
    if (key == "path") {
        return {kMaxPathBytes, "bytes", nullptr};
    }
    if (key == "content_base64") {
        return {0, "", nullptr};
    }
    return {static_cast<std::size_t>(limits.name_chars), "characters", "limits.name_chars"};
}

}  // namespace

void check_request_size(std::string_view request, const Limits& limits) {
    if (request.size() > limits.request_bytes) {
        request_reader().fail("", "the request is " + std::to_string(request.size()) +
                                      " bytes, more than the limit of " +
                                      std::to_string(limits.request_bytes) +
                                      " (limits.request_bytes); nothing was read");
    }
}

void check_text_fields(const rapidjson::Value& request, const Limits& limits) {
    for (auto it = request.MemberBegin(); it != request.MemberEnd(); ++it) {
        if (!it->value.IsString()) {
            continue;  // each method checks the types of its fields
        }
        const std::string_view key(it->name.GetString(), it->name.GetStringLength());
        const TextLimit limit = limit_of(key, limits);
        if (limit.max == 0) {
            continue;
        }
        const std::string_view text(it->value.GetString(), it->value.GetStringLength());
        if (text.size() <= limit.max) {
            continue;  // never more characters than bytes
        }
        // The parser has checked the text is UTF-8, so characters are code points.
        const std::size_t length =
            limit.unit == std::string_view("bytes") ? text.size() : core::utf8::length(text);
        if (length > limit.max) {
            request_reader().fail(
                core::utf8::printable(key, 64),
                "is " + std::to_string(length) + " " + limit.unit +
                    " long, more than the limit of " + std::to_string(limit.max) +
                    (limit.setting != nullptr ? std::string(" (") + limit.setting + ")" : ""));
        }
    }
}

}  // namespace rl::abi
