// Deadlines as plans write them: "2020年6月底前完成", "6月底前", "年底前",
// "一季度", "2019年9月30日前", "长期坚持". Plain functions, no I/O.
//
// How the phrases read (the due date is the last day the work may take):
//   2020年6月30日前, 2020-06-30, 2020/6/30   that day (前 includes it)
//   2020年6月, 6月底(前), 6月末, 6月份, 2020.6   the month's last day (leap years counted)
//   10月前, 10月以前, 10月之前               before October: 09-30 (1月前: the year before's
//                                            12-31); but 10月底前 and 10月份前 are 10-31
//   9月上旬 / 中旬 / 下旬                     the 10th / the 20th / the month's last day
//   一季度, 第一季度, 二季度末                the quarter's last day (03-31, 06-30…)
//   上半年 / 下半年                           06-30 / 12-31
//   2020年底(前), 2020年内, 2020年(前), 年底前, 年内   12-31 (2020年前: by the end of 2020)
//   今年/本年/当年, 明年/次年                 the plan's year, the year after
//   2020年3月至6月, 2019年10月至2020年6月     the range's end
//   长期坚持, 持续推进, 常态化, 长期, 持续     no due date, no warning
//   每月, 每季度, 每年…                        recurring: no due date, no warning
// Full-width digits and Chinese numerals (六月, 十二月, 二〇二〇年, 三十日) read as
// digits. A phrase without a year takes the year written earlier in the same
// text ("2020年3月底前调研，6月底前完成"), else the plan's year.
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
// In running text a date counts only when its words make it a deadline (前,
// 底, 末, 内, 旬, 季度, 半年, a range, 完成 after it) or it is a clause of its
// own ("（立案庭负责，2020年6月）"); 长期坚持 and 每季度… only as a clause of
// their own. The last dated phrase wins over 长期坚持 and the like.
std::optional<std::string> find_deadline_phrase(std::string_view text);

// A deadline from its phrase (or a whole 完成时限 cell or line): `due` is the
// ISO date it names, the last day of a month or quarter for 月底/季度 phrases,
// and plan_year for phrases without a year (年底前, 年内, 6月底前); empty for
// 长期坚持/持续推进/常态化/长期 and anything it cannot fix. `warning` is set
// when a date was expected but not fixed (no plan year for 年底前; 2月30日;
// text that names no date at all). Deadline::text is the text trimmed, a
// leading 完成时限：/时间节点：… label dropped and a cell's lines joined by "；";
// of several dates the last one marked as a deadline counts (a cell's final
// stage: "2019年9月底前完成初稿；12月底前印发" → 12-31).
struct DeadlineReading {
    Deadline deadline;
    std::string warning;  // empty when none
};
DeadlineReading read_deadline(std::string_view text, std::optional<int> plan_year);

}  // namespace rl::core
