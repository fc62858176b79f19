// Deadlines as plans write them: "2020年6月底前完成", "6月底前", "年底前",
// "一季度", "2019年9月30日前", "长期坚持". Plain functions, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/plan.h"

namespace rl::core {

// The plan's year from a title or date line: "延吉市人民法院2019年司法体制改革
// 工作要点" → 2019, "2019年3月1日" → 2019, "二〇一九年三月一日" → 2019. None when
// the line names no year between 1949 and 2200.
std::optional<int> plan_year_of(std::string_view line);

// The deadline phrase inside a longer text, as written (trimmed of brackets
// and the words around it): "（立案庭负责，2020年6月底前完成）" →
// "2020年6月底前完成"; "长期坚持" → "长期坚持". None when the text has none.
std::optional<std::string> find_deadline_phrase(std::string_view text);

// A deadline from its phrase (or a whole 完成时限 cell or line): `due` is the
// ISO date it names, the last day of a month or quarter for 月底/季度 phrases,
// and plan_year for phrases without a year (年底前, 年内, 6月底前); empty for
// 长期坚持/持续推进/常态化/长期 and anything it cannot fix. `warning` is set
// when a date was expected but not fixed (no plan year for 年底前; 2月30日).
struct DeadlineReading {
    Deadline deadline;
    std::string warning;  // empty when none
};
DeadlineReading read_deadline(std::string_view text, std::optional<int> plan_year);

}  // namespace rl::core
