// Strict base64 (RFC 4648, the standard alphabet) for plan documents sent in
// a request. A lenient decoder stops at the first character it does not know
// and hands back what it had: a truncated plan that imports cleanly. This one
// refuses, naming the offset.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rl::text {

class Base64Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What encoded decodes to. ASCII whitespace (line breaks of wrapped base64)
// is skipped; anything else outside A–Z a–z 0–9 + / is an error naming its
// offset, and so is padding anywhere but at the end or a length that is not a
// whole number of 4-character groups. A result of more than max_bytes is
// refused before anything is decoded.
std::string decode_base64(std::string_view encoded, std::size_t max_bytes);

// The bytes encoded will decode to if it is well-formed (whitespace and
// padding not counted).
std::size_t decoded_size(std::string_view encoded);

// bytes in base64, padded, on one line (documents returned in a result).
std::string encode_base64(std::string_view bytes);

}  // namespace rl::text
