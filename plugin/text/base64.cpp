#include "text/base64.h"

#include <algorithm>
#include <cstdint>

namespace rl::text {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The 6-bit value of a base64 character, or -1.
int value_of(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

std::string describe(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x21 && byte < 0x7F) {
        return std::string("'") + c + "'";
    }
    static const char kHex[] = "0123456789ABCDEF";
    return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 0xF];
}

}  // namespace

std::size_t decoded_size(std::string_view encoded) {
    std::size_t symbols = 0;
    std::size_t padding = 0;
    for (char c : encoded) {
        if (c == '=') {
            ++padding;
        } else if (!is_space(c)) {
            ++symbols;
        }
    }
    const std::size_t whole = (symbols + padding) / 4 * 3;
    return whole - std::min({padding, std::size_t{2}, whole});
}

std::string decode_base64(std::string_view encoded, std::size_t max_bytes) {
    const std::size_t size = decoded_size(encoded);
    if (size > max_bytes) {
        throw Base64Error("decodes to " + std::to_string(size) + " bytes, more than the limit of " +
                          std::to_string(max_bytes));
    }
    std::string out;
    out.reserve(size);
    std::uint32_t group = 0;
    int in_group = 0;  // characters of the current 4-character group read
    int padding = 0;   // '=' read so far
    std::size_t padding_at = 0;
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        const char c = encoded[i];
        if (is_space(c)) {
            continue;
        }
        if (c == '=') {
            if (padding == 0) {
                padding_at = i;
            }
            if (in_group < 2 || in_group + padding >= 4) {
                throw Base64Error("padding '=' at offset " + std::to_string(i) +
                                  " where a group of four cannot end");
            }
            ++padding;
            if (in_group + padding == 4) {
                // The group ends here: 2 or 3 characters carry 1 or 2 bytes.
                group <<= 6 * padding;
                out += static_cast<char>((group >> 16) & 0xFF);
                if (in_group == 3) {
                    out += static_cast<char>((group >> 8) & 0xFF);
                }
            }
            continue;
        }
        if (padding > 0) {
            throw Base64Error(describe(c) + " at offset " + std::to_string(i) +
                              " after the padding '=' at offset " + std::to_string(padding_at) +
                              "; padding ends the data");
        }
        const int v = value_of(c);
        if (v < 0) {
            throw Base64Error(describe(c) + " at offset " + std::to_string(i) +
                              " is not a base64 character (A-Z a-z 0-9 + /)");
        }
        group = (group << 6) | static_cast<std::uint32_t>(v);
        if (++in_group == 4) {
            out += static_cast<char>((group >> 16) & 0xFF);
            out += static_cast<char>((group >> 8) & 0xFF);
            out += static_cast<char>(group & 0xFF);
            group = 0;
            in_group = 0;
        }
    }
    if (padding > 0 && in_group + padding != 4) {
        throw Base64Error("the padding at offset " + std::to_string(padding_at) +
                          " does not complete a group of four");
    }
    if (padding == 0 && in_group != 0) {
        throw Base64Error("ends after " + std::to_string(in_group) +
                          " characters of a group of four: the data is cut short or lacks its "
                          "'=' padding");
    }
    return out;
}

std::string encode_base64(std::string_view bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const auto n = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16 |
                       static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                       static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 2]));
        out += kAlphabet[n >> 18 & 63];
        out += kAlphabet[n >> 12 & 63];
        out += kAlphabet[n >> 6 & 63];
        out += kAlphabet[n & 63];
    }
    if (i < bytes.size()) {
        const bool two = i + 1 < bytes.size();
        const auto n =
            static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16 |
            (two ? static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8 : 0u);
        out += kAlphabet[n >> 18 & 63];
        out += kAlphabet[n >> 12 & 63];
        out += two ? kAlphabet[n >> 6 & 63] : '=';
        out += '=';
    }
    return out;
}

}  // namespace rl::text
