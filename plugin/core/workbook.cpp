#include "core/workbook.h"

#include <algorithm>

#include "core/utf8.h"

namespace rl::core {

namespace {

constexpr std::size_t kMaxSheetNameChars = 31;

// The first max_chars characters of s.
std::string cut(const std::string& s, std::size_t max_chars) {
    std::size_t pos = 0;
    for (std::size_t n = 0; n < max_chars && pos < s.size(); ++n) {
        utf8::next(s, pos);
    }
    return s.substr(0, pos);
}

}  // namespace

std::string sheet_name(const std::string& text, const std::vector<std::string>& taken) {
    std::string clean;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char32_t c = utf8::next(text, pos);
        const bool forbidden = c == '[' || c == ']' || c == ':' || c == '*' || c == '?' ||
                               c == '/' || c == '\\' || utf8::is_control(c);
        utf8::append(clean, forbidden ? U'、' : c);
    }
    // Excel refuses a name that starts or ends with an apostrophe, or is empty.
    while (!clean.empty() && clean.front() == '\'') {
        clean.erase(0, 1);
    }
    while (!clean.empty() && clean.back() == '\'') {
        clean.pop_back();
    }
    if (clean.empty()) {
        clean = "Sheet";
    }
    std::string name = cut(clean, kMaxSheetNameChars);
    const auto is_taken = [&taken](const std::string& n) {
        return std::find(taken.begin(), taken.end(), n) != taken.end();
    };
    for (int k = 2; is_taken(name); ++k) {
        const std::string suffix = "(" + std::to_string(k) + ")";
        name = cut(clean, kMaxSheetNameChars - suffix.size()) + suffix;
    }
    return name;
}

}  // namespace rl::core
