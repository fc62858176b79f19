#include "core/deadline.h"

#include <cstddef>
#include <vector>

#include "core/calendar.h"
#include "core/utf8.h"

namespace rl::core {

namespace {

// Years a plan may be dated in or give a deadline in.
constexpr int kFirstPlanYear = 1949;
constexpr int kLastPlanYear = 2200;

// The text decoded into code points, full-width forms folded to ASCII, with
// the byte offset of each so that what is matched can be cut from the text as
// written.
struct Decoded {
    std::vector<char32_t> c;
    std::vector<std::size_t> at;  // at[i]: byte offset of c[i]; at[size()]: the end

    std::size_t size() const { return c.size(); }
    char32_t operator[](std::size_t i) const { return i < c.size() ? c[i] : 0; }
    bool starts(std::size_t i, std::u32string_view word) const {
        for (std::size_t k = 0; k < word.size(); ++k) {
            if ((*this)[i + k] != word[k]) {
                return false;
            }
        }
        return true;
    }
};

Decoded decode(std::string_view s) {
    Decoded d;
    std::size_t pos = 0;
    while (pos < s.size()) {
        d.at.push_back(pos);
        d.c.push_back(utf8::fold_width(utf8::next(s, pos)));
    }
    d.at.push_back(s.size());
    return d;
}

bool is_digit(char32_t c) {
    return c >= '0' && c <= '9';
}

// 〇零一二三四五六七八九 → 0…9; -1 for anything else.
int chinese_digit(char32_t c) {
    static constexpr char32_t kDigits[] = U"〇一二三四五六七八九";
    if (c == U'零') {
        return 0;
    }
    for (int i = 0; i < 10; ++i) {
        if (kDigits[i] == c) {
            return i;
        }
    }
    return -1;
}

bool is_chinese_number_char(char32_t c) {
    return chinese_digit(c) >= 0 || c == U'十';
}

struct Number {
    int value = 0;
    std::size_t end = 0;
};

// A month, day or quarter number at i: one or two ASCII digits, or a Chinese
// numeral up to 九十九 (六, 十, 十二, 二十, 三十一). Not when i continues a
// number.
std::optional<Number> read_small_number(const Decoded& t, std::size_t i) {
    if (i > 0 && (is_digit(t[i - 1]) || is_chinese_number_char(t[i - 1]))) {
        return std::nullopt;
    }
    if (is_digit(t[i])) {
        Number n;
        std::size_t j = i;
        while (is_digit(t[j]) && j - i < 3) {
            n.value = n.value * 10 + static_cast<int>(t[j] - '0');
            ++j;
        }
        if (j - i > 2 || is_digit(t[j])) {
            return std::nullopt;
        }
        n.end = j;
        return n;
    }
    // [d]十[d] or d
    std::size_t j = i;
    int tens = 0;
    int units = -1;
    if (chinese_digit(t[j]) > 0) {
        units = chinese_digit(t[j]);
        ++j;
    }
    if (t[j] == U'十') {
        tens = units < 0 ? 1 : units;
        units = 0;
        ++j;
        if (chinese_digit(t[j]) > 0) {
            units = chinese_digit(t[j]);
            ++j;
        }
    }
    if (j == i || units < 0 || is_chinese_number_char(t[j])) {
        return std::nullopt;
    }
    return Number{tens * 10 + units, j};
}

// A four-digit year at i: "2020" (ASCII or full-width) or "二〇二〇"/"二零二〇".
std::optional<Number> read_year_digits(const Decoded& t, std::size_t i) {
    Number n;
    const bool ascii = is_digit(t[i]);
    if (i > 0 && (is_digit(t[i - 1]) || chinese_digit(t[i - 1]) >= 0)) {
        return std::nullopt;
    }
    for (std::size_t k = 0; k < 4; ++k) {
        const char32_t c = t[i + k];
        const int digit = ascii ? (is_digit(c) ? static_cast<int>(c - '0') : -1) : chinese_digit(c);
        if (digit < 0) {
            return std::nullopt;
        }
        n.value = n.value * 10 + digit;
    }
    n.end = i + 4;
    if (is_digit(t[n.end]) || chinese_digit(t[n.end]) >= 0) {
        return std::nullopt;
    }
    if (n.value < kFirstPlanYear || n.value > kLastPlanYear) {
        return std::nullopt;
    }
    return n;
}

// What a phrase names, before the year is known.
enum class Span {
    day,           // 6月30日
    month,         // 6月, 6月底, 6月份, 2020.6
    month_before,  // 10月前: before October, so the end of September
    early,         // 6月上旬: the 10th
    mid,           // 6月中旬: the 20th
    late,          // 6月下旬: the month's last day
    quarter,       // 一季度
    first_half,    // 上半年
    second_half,   // 下半年
    year,          // 2020年, 年底, 年内
};

struct Moment {
    Span span = Span::year;
    std::optional<int> year;  // as written
    int year_offset = -1;     // 今年 0, 明年 1: relative to the plan's year; -1 if not relative
    int month = 0;
    int day = 0;
    int quarter = 0;
};

struct Match {
    std::size_t begin = 0;  // code point positions in the Decoded text
    std::size_t end = 0;
    Moment moment;  // for a range, its end
    // Marked as a deadline by its own words (前, 底, 内, 旬, 季度, 半年, a
    // range, 完成): a bare "2019年" in a sentence is not a deadline.
    bool cue = false;
    bool undated = false;  // 长期坚持, 持续推进, 每月…
    bool recurring = false;
};

// "2020-06-30", "2020.6", "2020/6/30" (Excel's dates arrive as the first).
std::optional<Match> read_numeric_date(const Decoded& t, std::size_t i) {
    const auto year = read_year_digits(t, i);
    if (!year || !is_digit(t[i])) {
        return std::nullopt;
    }
    const char32_t sep = t[year->end];
    if (sep != '-' && sep != '.' && sep != '/') {
        return std::nullopt;
    }
    const auto month = read_small_number(t, year->end + 1);
    if (!month || !is_digit(t[year->end + 1]) || month->value < 1 || month->value > 12) {
        return std::nullopt;
    }
    Match m;
    m.begin = i;
    m.moment.year = year->value;
    m.moment.month = month->value;
    m.moment.span = Span::month;
    m.end = month->end;
    if (t[m.end] == sep && is_digit(t[m.end + 1])) {
        const auto day = read_small_number(t, m.end + 1);
        if (!day) {
            return std::nullopt;
        }
        m.moment.day = day->value;
        m.moment.span = Span::day;
        m.end = day->end;
    }
    return m;
}

bool read_word(const Decoded& t, std::size_t& j, std::u32string_view word) {
    if (t.starts(j, word)) {
        j += word.size();
        return true;
    }
    return false;
}

// 前, 以前, 之前: "by", or for a bare month, "before" (see deadline.h).
bool read_before(const Decoded& t, std::size_t& j) {
    return read_word(t, j, U"以前") || read_word(t, j, U"之前") || read_word(t, j, U"前");
}

// 一季度, 第二季度, 4季度 at i: the quarter and where 季度 ends.
std::optional<Number> read_quarter(const Decoded& t, std::size_t i) {
    std::size_t j = i;
    read_word(t, j, U"第");
    auto number = read_small_number(t, j);
    if (!number || !t.starts(number->end, U"季度") || number->value < 1 || number->value > 4) {
        return std::nullopt;
    }
    number->end += 2;
    return number;
}

// One date phrase at i, without ranges: [year] then a month (day, 旬, 底),
// a quarter, a half-year, 底/末/内 of the year, or the year alone; then 前.
std::optional<Match> read_moment(const Decoded& t, std::size_t i) {
    if (auto numeric = read_numeric_date(t, i)) {
        numeric->cue = read_before(t, numeric->end) || numeric->cue;
        return numeric;
    }
    Match m;
    m.begin = i;
    std::size_t j = i;
    bool has_year = false;
    if (const auto year = read_year_digits(t, i); year && t[year->end] == U'年') {
        m.moment.year = year->value;
        j = year->end + 1;
        has_year = true;
    } else if (read_word(t, j, U"今年") || read_word(t, j, U"本年") || read_word(t, j, U"当年")) {
        m.moment.year_offset = 0;
        has_year = true;
    } else if (read_word(t, j, U"明年") || read_word(t, j, U"次年")) {
        m.moment.year_offset = 1;
        has_year = true;
    }
    if (has_year) {
        read_word(t, j, U"度");
    }
    if (read_word(t, j, U"上半年")) {
        m.moment.span = Span::first_half;
        m.cue = true;
    } else if (read_word(t, j, U"下半年")) {
        m.moment.span = Span::second_half;
        m.cue = true;
    } else if (const auto quarter = read_quarter(t, j)) {
        m.moment.span = Span::quarter;
        m.moment.quarter = quarter->value;
        j = quarter->end;
        read_word(t, j, U"末") || read_word(t, j, U"底");
        m.cue = true;
    } else if (const auto month = read_small_number(t, j); month && t[month->end] == U'月') {
        if (month->value < 1 || month->value > 12 || t[month->end + 1] == U'度') {
            return std::nullopt;  // 月度 is "monthly", as in 统一月度考核
        }
        m.moment.month = month->value;
        m.moment.span = Span::month;
        j = month->end + 1;
        const bool fen = read_word(t, j, U"份");
        if (const auto day = read_small_number(t, j);
            !fen && day && (t[day->end] == U'日' || t[day->end] == U'号')) {
            if (day->value < 1 || day->value > 31) {
                return std::nullopt;
            }
            m.moment.day = day->value;
            m.moment.span = Span::day;
            j = day->end + 1;
        } else if (read_word(t, j, U"上旬")) {
            m.moment.span = Span::early;
            m.cue = true;
        } else if (read_word(t, j, U"中旬")) {
            m.moment.span = Span::mid;
            m.cue = true;
        } else if (read_word(t, j, U"下旬")) {
            m.moment.span = Span::late;
            m.cue = true;
        } else if (read_word(t, j, U"底") || read_word(t, j, U"末")) {
            m.cue = true;
        } else if (!fen && read_before(t, j)) {
            m.moment.span = Span::month_before;
            m.end = j;
            m.cue = true;
            return m;
        }
    } else if (t[j] == U'年' && !has_year &&
               (t[j + 1] == U'底' || t[j + 1] == U'末' || t[j + 1] == U'内')) {
        // 年底, 年末, 年内: the plan's year. Not the 年 of "3年内", "每年".
        if (j > 0 && (is_digit(t[j - 1]) || is_chinese_number_char(t[j - 1]) || t[j - 1] == U'两' ||
                      t[j - 1] == U'每' || t[j - 1] == U'半')) {
            return std::nullopt;
        }
        j += 2;
        m.cue = true;
    } else if (has_year) {
        if (read_word(t, j, U"底") || read_word(t, j, U"末") || read_word(t, j, U"内")) {
            m.cue = true;
        }
    } else {
        return std::nullopt;
    }
    m.cue = read_before(t, j) || m.cue;
    m.end = j;
    return m;
}

constexpr std::u32string_view kUndated[] = {
    U"长期坚持", U"长期推进", U"长期开展", U"持续推进", U"持续开展",
    U"持续进行", U"常态化",   U"长期",     U"持续",     U"经常性",
};
constexpr std::u32string_view kRecurring[] = {
    U"每月", U"每季度", U"每季", U"每半年", U"每年", U"每周", U"每日", U"每天", U"按月", U"按季度",
};

std::optional<Match> read_undated(const Decoded& t, std::size_t i) {
    for (const auto word : kUndated) {
        if (t.starts(i, word)) {
            Match m;
            m.begin = i;
            m.end = i + word.size();
            m.undated = true;
            return m;
        }
    }
    for (const auto word : kRecurring) {
        if (t.starts(i, word)) {
            Match m;
            m.begin = i;
            m.end = i + word.size();
            m.undated = true;
            m.recurring = true;
            return m;
        }
    }
    return std::nullopt;
}

// A date phrase at i with its range end (2020年3月至6月) and the word that
// completes it (完成).
std::optional<Match> read_dated(const Decoded& t, std::size_t i) {
    auto m = read_moment(t, i);
    if (!m) {
        return std::nullopt;
    }
    for (;;) {
        std::size_t j = m->end;
        if (!(read_word(t, j, U"至") || read_word(t, j, U"到") || read_word(t, j, U"——") ||
              read_word(t, j, U"—") || read_word(t, j, U"–") || read_word(t, j, U"~") ||
              read_word(t, j, U"-"))) {
            break;
        }
        auto to = read_moment(t, j);
        if (!to) {
            break;
        }
        if (!to->moment.year && to->moment.year_offset < 0) {
            to->moment.year = m->moment.year;
            to->moment.year_offset = m->moment.year_offset;
        }
        m->moment = to->moment;
        m->end = to->end;
        m->cue = true;
    }
    if (read_word(t, m->end, U"完成") || read_word(t, m->end, U"办结") ||
        read_word(t, m->end, U"到位")) {
        m->cue = true;
    }
    if (m->begin >= 2 && (t.starts(m->begin - 2, U"截至") || t.starts(m->begin - 2, U"截止"))) {
        m->cue = true;
    }
    return m;
}

std::vector<Match> read_all(const Decoded& t) {
    std::vector<Match> matches;
    std::size_t i = 0;
    while (i < t.size()) {
        std::optional<Match> m = read_dated(t, i);
        if (!m) {
            m = read_undated(t, i);
        }
        if (m) {
            i = m->end;
            matches.push_back(*m);
        } else {
            ++i;
        }
    }
    return matches;
}

bool is_clause_break(char32_t c) {
    switch (c) {
        case ',':
        case ';':
        case ':':
        case '(':
        case ')':
        case '[':
        case ']':
        case '!':
        case '?':
        case '\n':
        case U'、':  // full-width ，；：（） arrive folded; these have no ASCII form
        case U'。':
        case U'〔':
        case U'〕':
        case U'【':
        case U'】':
        case U'《':
        case U'》':
            return true;
        default:
            return false;
    }
}

// Where the clause that continues past i ends, looking at most `limit`
// characters ahead: none when it runs on further. Bounded, so that a long
// text with many dates is read in linear time.
std::optional<std::size_t> clause_end_within(const Decoded& t, std::size_t i, std::size_t limit) {
    for (std::size_t k = 0; k <= limit; ++k) {
        if (i + k >= t.size() || is_clause_break(t[i + k])) {
            return i + k;
        }
    }
    return std::nullopt;
}

// Whether the clause before i holds nothing but a word that may stand before
// a deadline: "（立案庭负责，于2020年6月底前完成）".
bool starts_clause(const Decoded& t, std::size_t i) {
    while (i > 0 && utf8::is_space(t[i - 1])) {
        --i;
    }
    for (const std::u32string_view word : {U"", U"于", U"在", U"到", U"截至", U"截止", U"力争",
                                           U"争取", U"最迟", U"最迟于", U"须于", U"需于"}) {
        if (i < word.size() || !t.starts(i - word.size(), word)) {
            continue;
        }
        std::size_t start = i - word.size();
        while (start > 0 && utf8::is_space(t[start - 1])) {
            --start;
        }
        if (start == 0 || is_clause_break(t[start - 1])) {
            return true;
        }
    }
    return false;
}

// Clause characters an undated phrase may carry after its keyword:
// "长期坚持" but also "持续推进落实" (short) — not a whole sentence that
// happens to start with 持续.
constexpr std::size_t kUndatedTail = 4;
constexpr std::size_t kRecurringClause = 16;
constexpr std::size_t kTrailingSpace = 8;

// Whether m stands as a deadline in running text, and the span to report.
std::optional<std::pair<std::size_t, std::size_t>> as_phrase(const Decoded& t, const Match& m) {
    if (m.recurring || m.undated) {
        const auto end = m.recurring ? clause_end_within(t, m.begin, kRecurringClause)
                                     : clause_end_within(t, m.end, kUndatedTail);
        if (end && starts_clause(t, m.begin)) {
            return std::make_pair(m.begin, *end);
        }
        return std::nullopt;
    }
    if (m.cue) {
        return std::make_pair(m.begin, m.end);
    }
    // A bare date is a deadline when it is its clause: "（立案庭负责，2020年6月）".
    std::size_t after = m.end;
    while (after < t.size() && after - m.end < kTrailingSpace && utf8::is_space(t[after])) {
        ++after;
    }
    if ((after >= t.size() || is_clause_break(t[after])) && starts_clause(t, m.begin)) {
        return std::make_pair(m.begin, m.end);
    }
    return std::nullopt;
}

int days_in_month(int year, int month) {
    return Date{month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1}.plus_days(-1).day;
}

std::string month_end(int year, int month) {
    return Date{year, month, days_in_month(year, month)}.iso();
}

struct Resolved {
    std::string due;
    std::string problem;  // why no due date could be fixed
};

Resolved resolve(const Moment& moment, std::optional<int> year) {
    if (!year) {
        return {"",
                "names no year and the plan's year is unknown (give the plan a title or "
                "date line with its year)"};
    }
    const int y = *year;
    switch (moment.span) {
        case Span::day:
            if (moment.day > days_in_month(y, moment.month)) {
                return {"", "is not a real date"};
            }
            return {Date{y, moment.month, moment.day}.iso(), ""};
        case Span::month:
        case Span::late:
            return {month_end(y, moment.month), ""};
        case Span::month_before:
            return {moment.month == 1 ? month_end(y - 1, 12) : month_end(y, moment.month - 1), ""};
        case Span::early:
            return {Date{y, moment.month, 10}.iso(), ""};
        case Span::mid:
            return {Date{y, moment.month, 20}.iso(), ""};
        case Span::quarter:
            return {month_end(y, moment.quarter * 3), ""};
        case Span::first_half:
            return {month_end(y, 6), ""};
        case Span::second_half:
        case Span::year:
            return {month_end(y, 12), ""};
    }
    return {"", "names no date"};
}

// The year a moment falls in: its own, the year written earlier in the same
// text ("2020年3月底前调研，6月底前完成"), or the plan's.
std::optional<int> year_of(const Moment& moment, std::optional<int> earlier,
                           std::optional<int> plan_year) {
    if (moment.year) {
        return moment.year;
    }
    if (moment.year_offset >= 0) {
        if (plan_year) {
            return *plan_year + moment.year_offset;
        }
        return std::nullopt;
    }
    return earlier ? earlier : plan_year;
}

std::string cut(std::string_view text, const Decoded& t, std::size_t begin, std::size_t end) {
    return std::string(utf8::trim(text.substr(t.at[begin], t.at[end] - t.at[begin])));
}

// The labels a 完成时限 line starts with; read_deadline drops them.
constexpr std::string_view kDeadlineLabels[] = {"完成时限", "时间节点", "完成时间", "时限要求",
                                                "时间要求", "完成期限", "进度安排"};

std::string_view strip_label(std::string_view text) {
    for (const auto label : kDeadlineLabels) {
        if (text.substr(0, label.size()) == label) {
            std::size_t pos = label.size();
            if (pos < text.size() && utf8::fold_width(utf8::next(text, pos)) == ':') {
                return utf8::trim(text.substr(pos));
            }
        }
    }
    return text;
}

// A cell's lines, each trimmed, joined by "；": its paragraphs are separate
// clauses ("2019年9月底前完成初稿" / "12月底前印发").
std::string join_lines(std::string_view text) {
    return utf8::join_trimmed_lines(text, "；");
}

}  // namespace

std::optional<int> plan_year_of(std::string_view line) {
    const Decoded t = decode(line);
    for (std::size_t i = 0; i < t.size(); ++i) {
        const auto year = read_year_digits(t, i);
        if (!year) {
            continue;
        }
        const char32_t after = t[year->end];
        if (after == U'年' || (is_digit(t[i]) && (after == '-' || after == '.' || after == '/') &&
                               is_digit(t[year->end + 1]))) {
            return year->value;
        }
    }
    return std::nullopt;
}

std::optional<std::string> find_deadline_phrase(std::string_view text) {
    const Decoded t = decode(text);
    std::optional<std::pair<std::size_t, std::size_t>> dated;
    std::optional<std::pair<std::size_t, std::size_t>> undated;
    for (const Match& m : read_all(t)) {
        if (const auto span = as_phrase(t, m)) {
            (m.undated ? undated : dated) = span;
        }
    }
    const auto& best = dated ? dated : undated;
    if (!best) {
        return std::nullopt;
    }
    return cut(text, t, best->first, best->second);
}

DeadlineReading read_deadline(std::string_view text, std::optional<int> plan_year) {
    DeadlineReading reading;
    reading.deadline.text = join_lines(strip_label(utf8::trim(text)));
    const std::string& written = reading.deadline.text;
    if (written.empty()) {
        return reading;
    }
    const Decoded t = decode(written);
    const std::vector<Match> matches = read_all(t);
    // The last date the text marks as a deadline (in a cell the deadline is
    // the final stage: "2019年9月底前完成初稿；12月底前印发"), else 长期坚持 and
    // the like, else the last date at all ("2020年6月" alone in a cell).
    const Match* chosen = nullptr;
    const Match* undated = nullptr;
    const Match* any_date = nullptr;
    std::optional<int> earlier_year;
    std::optional<int> chosen_earlier;
    std::optional<int> any_earlier;
    for (const Match& m : matches) {
        if (m.undated) {
            undated = &m;
            continue;
        }
        if (m.cue) {
            chosen = &m;
            chosen_earlier = earlier_year;
        }
        any_date = &m;
        any_earlier = earlier_year;
        if (m.moment.year) {
            earlier_year = m.moment.year;
        }
    }
    if (chosen == nullptr && undated != nullptr) {
        return reading;  // 长期坚持, 每季度…: no due date, and none expected
    }
    if (chosen == nullptr) {
        chosen = any_date;
        chosen_earlier = any_earlier;
    }
    if (chosen == nullptr) {
        reading.warning =
            "the deadline '" + utf8::printable(written, 40) + "' names no date that can be read";
        return reading;
    }
    const Resolved resolved =
        resolve(chosen->moment, year_of(chosen->moment, chosen_earlier, plan_year));
    reading.deadline.due = resolved.due;
    if (!resolved.problem.empty()) {
        reading.warning = "the deadline '" + utf8::printable(written, 40) + "' " + resolved.problem;
    }
    return reading;
}

}  // namespace rl::core
