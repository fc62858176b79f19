// The bounds every request meets before a method reads it (docs/abi.md,
// "Limits"): its size in bytes, and the length of each of its text fields.
// Each refusal is RL_ERR_INVALID_ARGUMENT naming the field, its length and
// the limit (with the setting that raises it); nothing has been read yet, so
// nothing is written.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string_view>

#include "config.h"

namespace rl::abi {

// A file path in a request ("path"): the system's PATH_MAX, in bytes.
constexpr std::size_t kMaxPathBytes = 4096;

// Checked before the request is parsed.
void check_request_size(std::string_view request, const Limits& limits);

// Every string member of the request object against its limit: reasons,
// opinions, notes, answers and notice texts (reason, opinion, note, answer,
// and content when it is text) note_chars; path kMaxPathBytes;
// content_base64 only the request's size (its decoded size is checked
// against plan_file_bytes when it is decoded); every other string — ids,
// names, keys, task and item numbers, periods, dates — name_chars. The
// progress report's own fields are checked by the report form.
void check_text_fields(const rapidjson::Value& request, const Limits& limits);

}  // namespace rl::abi
