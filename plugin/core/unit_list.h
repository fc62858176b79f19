// Department lists as plans write them, wherever they stand: after a label
// (责任部门：A、B), inside a task's closing brackets （A、B负责，…）, in a table
// cell. Splits the names and strips the words that are not names: 负责, 牵头,
// 配合, 按职责分工(负责), 分别(负责), 等有关部门(和单位), 会同, 各自. Plain
// functions, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/plan.h"

namespace rl::core {

struct NamedUnit {
    std::string name;          // as written, trimmed, qualifiers stripped
    std::optional<Role> role;  // set when the text marks it: A（牵头）, A牵头, 配合…
    bool bold = false;         // every character of the name is bold in the runs given
};

// Splits "A、B；C（综合审判庭）" at 、 ， ； , ; and spaces outside brackets.
// `runs`, when given, are the runs `list` was taken from (same bytes, in
// order) so that bold names can be told; pass nullptr for plain text.
std::vector<NamedUnit> read_unit_list(std::string_view list,
                                      const std::vector<Run>* runs = nullptr);

// Whether text reads as a list of department names (after stripping
// qualifiers: every part short, no sentence punctuation) — used to tell
// "（立案庭、技术科负责）" from an ordinary bracketed remark.
bool looks_like_unit_list(std::string_view text);

}  // namespace rl::core
