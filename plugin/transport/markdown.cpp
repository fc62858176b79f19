#include "transport/markdown.h"

#include "core/utf8.h"

namespace rl::transport {

namespace {

bool is_break(char32_t c) {
    return c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0x85 ||
           c == 0x2028 || c == 0x2029;
}

// Characters nobody sees that change what is seen: controls, bidirectional
// formatting (the RTL override turns "exe.txt" into "txt.exe"), zero-width
// characters, interlinear annotations, tags (hidden ASCII), noncharacters.
bool is_invisible(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xAD || c == 0x061C || c == 0x180E ||
           (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) ||
           c == 0xFFFE || c == 0xFFFF || (c >= 0xE0000 && c <= 0xE007F);
}

// The full-width form of an ASCII character the markdown would interpret; 0 if none.
char32_t full_width(char32_t c) {
    switch (c) {
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '<':
        case '>':
        case '#':
        case '@':
        case '|':
        case '~':
        case '&':
            return c - 0x21 + 0xFF01;
        default:
            return 0;
    }
}

bool starts_with(std::string_view s, std::size_t pos, std::string_view what) {
    return s.substr(pos, what.size()) == what;
}

bool is_ascii_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

std::string plain_line(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t pos = 0; pos < s.size();) {
        const char32_t c = core::utf8::next(s, pos);
        if (is_break(c)) {
            out += ' ';
        } else if (!is_invisible(c)) {
            core::utf8::append(out, c);
        }
    }
    return out;
}

std::string markdown_literal(std::string_view s) {
    const std::string line = plain_line(s);
    std::string out;
    out.reserve(line.size() + line.size() / 2);
    // A list marker, rule or setext underline is read only at the start.
    std::size_t digits = 0;
    while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') {
        ++digits;
    }
    const bool ordered =
        digits > 0 && digits < line.size() && (line[digits] == '.' || line[digits] == ')');
    for (std::size_t pos = 0; pos < line.size();) {
        if (pos == 0 && (line[0] == '-' || line[0] == '+' || line[0] == '=')) {
            core::utf8::append(out, static_cast<char32_t>(line[0]) - 0x21 + 0xFF01);
            ++pos;
            continue;
        }
        if (ordered && pos == digits) {
            core::utf8::append(out, line[pos] == '.' ? U'．' : U'）');
            ++pos;
            continue;
        }
        // scheme://… and www.… are made into links by some clients on their own.
        if (starts_with(line, pos, "://") && pos > 0 && is_ascii_alpha(line[pos - 1])) {
            out += "\xEF\xBC\x9A//";  // ：//
            pos += 3;
            continue;
        }
        if ((line[pos] == 'w' || line[pos] == 'W') &&
            (line.size() - pos >= 4 && (line[pos + 1] == 'w' || line[pos + 1] == 'W') &&
             (line[pos + 2] == 'w' || line[pos + 2] == 'W') && line[pos + 3] == '.') &&
            (pos == 0 || !is_ascii_alpha(line[pos - 1]))) {
            out.append(line, pos, 3);
            out += "\xEF\xBC\x8E";  // ．
            pos += 4;
            continue;
        }
        const char32_t c = core::utf8::next(line, pos);
        const char32_t wide = full_width(c);
        core::utf8::append(out, wide != 0 ? wide : c);
    }
    return out;
}

}  // namespace rl::transport
