#include "core/utf8.h"

#include <cstdio>

namespace rl::core::utf8 {

namespace {
constexpr char32_t kReplacement = 0xFFFD;
}

char32_t next(std::string_view s, std::size_t& pos) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char b0 = byte(pos);
    if (b0 < 0x80) {
        ++pos;
        return b0;
    }
    std::size_t extra = 0;
    char32_t c = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        extra = 1, c = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        extra = 2, c = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        extra = 3, c = b0 & 0x07, min = 0x10000;
    } else {
        ++pos;
        return kReplacement;
    }
    if (pos + extra >= s.size()) {  // truncated sequence
        ++pos;
        return kReplacement;
    }
    for (std::size_t i = 1; i <= extra; ++i) {
        const unsigned char b = byte(pos + i);
        if ((b & 0xC0) != 0x80) {
            ++pos;
            return kReplacement;
        }
        c = (c << 6) | (b & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        ++pos;
        return kReplacement;
    }
    pos += extra + 1;
    return c;
}

void append(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

bool is_valid(std::string_view s) {
    std::size_t pos = 0;
    while (pos < s.size()) {
        const std::size_t before = pos;
        const char32_t c = next(s, pos);
        // A real U+FFFD in the text is three bytes long; a decoding error is one.
        if (c == kReplacement && pos - before != 3) {
            return false;
        }
    }
    return true;
}

bool is_space(char32_t c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f' ||
           c == 0x00A0 || c == 0x3000 || c == 0xFEFF || (c >= 0x2000 && c <= 0x200B) ||
           c == 0x202F || c == 0x205F;
}

std::string_view trim(std::string_view s) {
    std::size_t begin = 0;
    while (begin < s.size()) {
        std::size_t pos = begin;
        if (!is_space(next(s, pos))) {
            break;
        }
        begin = pos;
    }
    std::size_t end = begin;
    std::size_t pos = begin;
    while (pos < s.size()) {
        const char32_t c = next(s, pos);
        if (!is_space(c)) {
            end = pos;
        }
    }
    return s.substr(begin, end - begin);
}

char32_t fold_width(char32_t c) {
    if (c >= 0xFF01 && c <= 0xFF5E) {
        return c - 0xFF01 + 0x21;
    }
    if (c == 0x3000) {
        return ' ';
    }
    return c;
}

std::size_t display_width(std::string_view s) {
    std::size_t width = 0;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const char32_t c = next(s, pos);
        const bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
                          (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
                          (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                          (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
        width += wide ? 2 : 1;
    }
    return width;
}

std::size_t length(std::string_view s) {
    std::size_t n = 0;
    std::size_t pos = 0;
    while (pos < s.size()) {
        next(s, pos);
        ++n;
    }
    return n;
}

bool is_control(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
           (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

std::string printable(std::string_view s, std::size_t max_chars) {
    std::string out;
    std::size_t pos = 0;
    std::size_t chars = 0;
    while (pos < s.size()) {
        if (chars == max_chars) {
            out += "\u2026";
            break;
        }
        const char32_t c = next(s, pos);
        ++chars;
        if (is_control(c)) {
            char escaped[16];
            std::snprintf(escaped, sizeof escaped, "\\u%04X", static_cast<unsigned>(c));
            out += escaped;
        } else {
            append(out, c);
        }
    }
    return out;
}

std::string join_trimmed_lines(std::string_view s, std::string_view separator) {
    std::string out;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t end = s.find('\n', start);
        if (end == std::string_view::npos) {
            end = s.size();
        }
        const std::string_view line = trim(s.substr(start, end - start));
        if (!line.empty()) {
            if (!out.empty()) {
                out.append(separator);
            }
            out.append(line);
        }
        start = end + 1;
    }
    return out;
}

}  // namespace rl::core::utf8
