#include "text_table.h"

#include <algorithm>

namespace oa_stub {

namespace {

// One code point from s at pos (assumed valid UTF-8, as the plugin writes it).
char32_t next(const std::string& s, std::size_t& pos) {
    const auto b = static_cast<unsigned char>(s[pos]);
    const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = len == 1 ? b : b & (0xFF >> (len + 1));
    for (std::size_t i = 1; i < len && pos + i < s.size(); ++i) {
        c = (c << 6) | (static_cast<unsigned char>(s[pos + i]) & 0x3F);
    }
    pos += len;
    return c;
}

bool wide(char32_t c) {
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

}  // namespace

std::size_t display_width(const std::string& s) {
    std::size_t width = 0;
    for (std::size_t pos = 0; pos < s.size();) {
        width += wide(next(s, pos)) ? 2 : 1;
    }
    return width;
}

std::string clip(const std::string& s, std::size_t width) {
    if (display_width(s) <= width) {
        return s;
    }
    std::string out;
    std::size_t used = 0;
    for (std::size_t pos = 0; pos < s.size();) {
        const std::size_t start = pos;
        const std::size_t w = wide(next(s, pos)) ? 2 : 1;
        if (used + w + 1 > width) {
            break;
        }
        out.append(s, start, pos - start);
        used += w;
    }
    return out + "…";
}

void TextTable::print(std::ostream& out) const {
    std::vector<std::size_t> widths(headers_.size(), 0);
    const auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
            widths[i] = std::max(widths[i], display_width(row[i]));
        }
    };
    measure(headers_);
    for (const auto& row : rows_) {
        measure(row);
    }
    const auto line = [&](const std::vector<std::string>& row) {
        std::string text;
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
            text += row[i];
            if (i + 1 < row.size()) {
                text += std::string(widths[i] - display_width(row[i]) + 2, ' ');
            }
        }
        text.erase(text.find_last_not_of(' ') + 1);
        out << text << '\n';
    };
    line(headers_);
    std::vector<std::string> rule;
    for (const auto w : widths) {
        rule.push_back(std::string(w, '-'));
    }
    line(rule);
    for (const auto& row : rows_) {
        line(row);
    }
}

}  // namespace oa_stub
