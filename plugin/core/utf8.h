// UTF-8 helpers for the plan text: the court's documents mix full-width and
// ASCII punctuation, so every structural match goes through these.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rl::core::utf8 {

// Decodes the code point at s[pos]; advances pos. Invalid bytes decode as
// U+FFFD and advance one byte.
char32_t next(std::string_view s, std::size_t& pos);

// Appends the UTF-8 encoding of c.
void append(std::string& out, char32_t c);

// True if s is well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid(std::string_view s);

// Horizontal whitespace, ASCII and Unicode (U+3000 ideographic space, NBSP, …).
bool is_space(char32_t c);

// Strips leading and trailing whitespace (see is_space).
std::string_view trim(std::string_view s);

// The lines of s (split at \n), each trimmed, the empty ones left out, joined
// by separator: a table cell's lines as one line ("牵头\n部门" → "牵头部门"
// with "", or its clauses "…初稿" / "…印发" → "…初稿；…印发" with "；").
std::string join_trimmed_lines(std::string_view s, std::string_view separator);

// Maps full-width forms of ASCII (U+FF01…U+FF5E) and U+3000 to ASCII; leaves
// everything else as is. Used for matching, never for what is stored.
char32_t fold_width(char32_t c);

// Columns a terminal needs to show s (CJK and full-width forms count two).
std::size_t display_width(std::string_view s);

// Number of code points in s.
std::size_t length(std::string_view s);

// Characters that change how text around them is shown: C0 and C1 controls,
// DEL, line and paragraph separators, and bidirectional formatting (the RTL
// override and friends). An error message never carries them raw.
bool is_control(char32_t c);

// s made safe to quote in a one-line message: invalid bytes become U+FFFD,
// controls (see is_control) become \uXXXX, and at most max_chars characters
// of s are kept, a cut marked with "…".
std::string printable(std::string_view s, std::size_t max_chars = static_cast<std::size_t>(-1));

}  // namespace rl::core::utf8
