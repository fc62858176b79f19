// Small assertion helpers for suites that link GoogleTest without GoogleMock:
// each returns an AssertionResult that prints what it looked at on failure.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace rl::test {

// s contains every one of parts.
inline ::testing::AssertionResult has_text(const std::string& s,
                                           std::initializer_list<std::string> parts) {
    for (const auto& part : parts) {
        if (s.find(part) == std::string::npos) {
            return ::testing::AssertionFailure()
                   << "\"" << s << "\" does not contain \"" << part << "\"";
        }
    }
    return ::testing::AssertionSuccess() << "\"" << s << "\" contains all of them";
}

inline ::testing::AssertionResult has_text(const std::string& s, const std::string& part) {
    return has_text(s, {part});
}

inline ::testing::AssertionResult begins_with(const std::string& s, const std::string& prefix) {
    if (s.compare(0, prefix.size(), prefix) == 0) {
        return ::testing::AssertionSuccess() << "\"" << s << "\" begins with \"" << prefix << "\"";
    }
    return ::testing::AssertionFailure()
           << "\"" << s << "\" does not begin with \"" << prefix << "\"";
}

// Some line of lines contains every one of parts.
inline ::testing::AssertionResult any_has_text(const std::vector<std::string>& lines,
                                               std::initializer_list<std::string> parts) {
    for (const auto& line : lines) {
        if (has_text(line, parts)) {
            return ::testing::AssertionSuccess() << "\"" << line << "\" matches";
        }
    }
    return ::testing::AssertionFailure()
           << "no line matches among " << ::testing::PrintToString(lines);
}

template <typename Container>
::testing::AssertionResult is_empty(const Container& c) {
    if (c.empty()) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "has " << c.size() << " elements: " << ::testing::PrintToString(c);
}

}  // namespace rl::test
