#include "core/plan_parser.h"

#include <algorithm>
#include <optional>
#include <set>
#include <vector>

#include "core/deadline.h"
#include "core/org_chart.h"
#include "core/plan_table.h"
#include "core/unit_list.h"
#include "core/utf8.h"

namespace rl::core {

namespace {

// ------------------------------------------------------------ line reading

enum class LineKind {
    blank,
    section,  // 一、推进司法责任制
    group,    // （一）加强审判团队建设
    task,     // 1.加强审判团队建设。 (also 1． 1、)
    yishi,    // 一是加强审判团队建设。
    item,     // （1）建立健全…
    labels,   // 责任部门：… / 完成时限：… / 责任领导：…
    note,     // 注：…
    text
};

enum class LabelKind { listed, lead, co, deadline, progress, leader };

struct Label {
    const char* text;
    LabelKind kind;
};

// Longest first among labels that start alike, so 牵头责任部门 is not read as
// 责任部门 (the earliest label in a line wins; at one place, the first listed).
constexpr Label kLabels[] = {
    {"牵头责任部门", LabelKind::lead}, {"牵头责任单位", LabelKind::lead},
    {"责任部门", LabelKind::listed},   {"责任单位", LabelKind::listed},
    {"责任科室", LabelKind::listed},   {"承办部门", LabelKind::listed},
    {"承办单位", LabelKind::listed},   {"牵头部门", LabelKind::lead},
    {"牵头单位", LabelKind::lead},     {"牵头科室", LabelKind::lead},
    {"主办部门", LabelKind::lead},     {"主办单位", LabelKind::lead},
    {"配合部门", LabelKind::co},       {"配合单位", LabelKind::co},
    {"参加部门", LabelKind::co},       {"参加单位", LabelKind::co},
    {"参与部门", LabelKind::co},       {"参与单位", LabelKind::co},
    {"协办部门", LabelKind::co},       {"协办单位", LabelKind::co},
    {"完成时限", LabelKind::deadline}, {"时间节点", LabelKind::deadline},
    {"完成时间", LabelKind::deadline}, {"完成期限", LabelKind::deadline},
    {"时限要求", LabelKind::deadline}, {"办结时限", LabelKind::deadline},
    {"进度要求", LabelKind::progress}, {"进度安排", LabelKind::progress},
    {"分管院领导", LabelKind::leader}, {"责任院领导", LabelKind::leader},
    {"牵头院领导", LabelKind::leader}, {"责任领导", LabelKind::leader},
    {"分管领导", LabelKind::leader},   {"牵头领导", LabelKind::leader},
};

bool names_units(LabelKind kind) {
    return kind == LabelKind::listed || kind == LabelKind::lead || kind == LabelKind::co;
}

struct Segment {
    LabelKind kind;
    std::string content;
};

struct Line {
    int number = 0;         // Paragraph::position
    std::string where;      // Paragraph::where
    std::string text;       // trimmed, artefacts removed
    std::vector<Run> runs;  // the paragraph's (empty for plain text), for bold names
    LineKind kind = LineKind::text;
    std::string label;  // section/group/task/item number: "一", "14", "1"
    std::string rest;   // what follows the number
    std::vector<Segment> segments;
    bool number_too_long = false;  // numbered like a task, but beyond kMaxNumberDigits
};

// Task and item numbers up to 999,999,999: any count of tasks a plan could be
// allowed (limits.plan_tasks) is numbered within it, and std::stoi cannot
// overflow.
constexpr std::size_t kMaxNumberDigits = 9;

// Warnings beyond this many are counted, not listed, so that a plan of a
// million stray lines cannot fill memory with messages about them.
constexpr std::size_t kMaxWarnings = 200;

// The plan's warnings, listed up to kMaxWarnings and counted beyond.
class Warnings {
public:
    explicit Warnings(std::vector<std::string>& out) : out_(out) {}
    void add(std::string warning) {
        if (out_.size() < kMaxWarnings) {
            out_.push_back(std::move(warning));
        } else {
            ++unlisted_;
        }
    }
    // Warnings others wrote straight into the list (the table reader) are
    // held to the same bound.
    void settle() {
        while (out_.size() > kMaxWarnings) {
            out_.pop_back();
            ++unlisted_;
        }
    }
    void finish() {
        settle();
        if (unlisted_ > 0) {
            out_.push_back("… and " + std::to_string(unlisted_) +
                           " more warnings like these, not listed");
        }
    }

private:
    std::vector<std::string>& out_;
    std::size_t unlisted_ = 0;
};

bool is_chinese_numeral(char32_t c) {
    static constexpr char32_t kNumerals[] = U"一二三四五六七八九十百零〇两";
    for (char32_t n : kNumerals) {
        if (n != 0 && n == c) {
            return true;
        }
    }
    return false;
}

// 一 → 1, 十二 → 12, 二十三 → 23; 0 when it is not a small Chinese number.
int chinese_value(std::string_view numeral) {
    static constexpr char32_t kDigits[] = U"零一二三四五六七八九";
    int total = 0;
    int digit = -1;
    std::size_t pos = 0;
    while (pos < numeral.size()) {
        const char32_t c = utf8::next(numeral, pos);
        if (c == U'十') {
            total += (digit < 0 ? 1 : digit) * 10;
            digit = -1;
            continue;
        }
        int value = -1;
        for (int d = 0; d < 10; ++d) {
            if (kDigits[d] == c || (d == 0 && c == U'〇') || (d == 2 && c == U'两')) {
                value = d;
            }
        }
        if (value < 0) {
            return 0;
        }
        digit = value;
    }
    return total + (digit < 0 ? 0 : digit);
}

bool is_digit(char32_t c) {
    c = utf8::fold_width(c);
    return c >= '0' && c <= '9';
}

bool starts_with(std::string_view s, std::string_view head) {
    return s.size() >= head.size() && s.compare(0, head.size(), head) == 0;
}

bool ends_with(std::string_view s, std::string_view tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

void strip_suffix(std::string& s, std::string_view tail) {
    s.erase(s.size() - tail.size());
    s = std::string(utf8::trim(s));
}

std::string rest_after(std::string_view s, std::size_t pos) {
    return std::string(utf8::trim(s.substr(pos)));
}

// Word's text export leaves markers such as "[bookmark: _GoBack]".
std::string strip_artifacts(std::string_view raw) {
    std::string out(raw);
    for (std::size_t at; (at = out.find("[bookmark:")) != std::string::npos;) {
        const std::size_t end = out.find(']', at);
        out.erase(at, end == std::string::npos ? std::string::npos : end - at + 1);
    }
    return std::string(utf8::trim(out));
}

// The Chinese numeral at the start of s, and where it ends.
std::string leading_numeral(std::string_view s, std::size_t& pos) {
    std::string number;
    while (pos < s.size()) {
        std::size_t next = pos;
        const char32_t c = utf8::next(s, next);
        if (!is_chinese_numeral(c)) {
            break;
        }
        number.append(s.substr(pos, next - pos));
        pos = next;
    }
    return number;
}

// 一、推进司法责任制 → ("一", "推进司法责任制")
bool match_section(Line& line) {
    const std::string_view s = line.text;
    std::size_t pos = 0;
    const std::string number = leading_numeral(s, pos);
    if (number.empty() || pos >= s.size()) {
        return false;
    }
    const char32_t sep = utf8::fold_width(utf8::next(s, pos));
    if (sep != U'、' && sep != '.') {
        return false;
    }
    line.label = number;
    line.rest = rest_after(s, pos);
    return !line.rest.empty();
}

// （一）加强审判团队建设 → ("一", "加强审判团队建设")
bool match_group(Line& line) {
    const std::string_view s = line.text;
    std::size_t pos = 0;
    if (s.empty() || utf8::fold_width(utf8::next(s, pos)) != '(') {
        return false;
    }
    const std::string number = leading_numeral(s, pos);
    if (number.empty() || pos >= s.size() || utf8::fold_width(utf8::next(s, pos)) != ')') {
        return false;
    }
    line.label = number;
    line.rest = rest_after(s, pos);
    return !line.rest.empty();
}

// 一是加强审判团队建设 → ("一", the whole paragraph)
bool match_yishi(Line& line) {
    const std::string_view s = line.text;
    std::size_t pos = 0;
    const std::string number = leading_numeral(s, pos);
    if (number.empty() || !starts_with(s.substr(pos), "是") || chinese_value(number) == 0) {
        return false;
    }
    line.label = number;
    line.rest = line.text;
    return pos + std::string_view("是").size() < s.size();
}

// Digits, then one of the separators, then text that does not start with a digit.
bool match_number(Line& line, bool parenthesised) {
    const std::string_view s = line.text;
    std::size_t pos = 0;
    if (parenthesised) {
        if (utf8::fold_width(utf8::next(s, pos)) != '(') {
            return false;
        }
    }
    std::string number;
    while (pos < s.size()) {
        std::size_t next = pos;
        const char32_t c = utf8::next(s, next);
        if (!is_digit(c)) {
            break;
        }
        number += static_cast<char>(utf8::fold_width(c));
        pos = next;
    }
    if (number.empty() || pos >= s.size()) {
        return false;
    }
    const char32_t sep = utf8::fold_width(utf8::next(s, pos));
    if (parenthesised ? sep != ')' : (sep != '.' && sep != U'、')) {
        return false;
    }
    line.rest = rest_after(s, pos);
    if (line.rest.empty()) {
        return false;
    }
    std::size_t first = 0;
    if (!parenthesised && is_digit(utf8::next(line.rest, first))) {
        return false;  // 1.5 is a number, not task 1
    }
    if (number.size() > kMaxNumberDigits) {
        line.number_too_long = true;
        return false;
    }
    line.label = std::to_string(std::stoi(number));
    return true;
}

// Where in s a label followed by a colon starts, and which, from `from` on.
std::optional<std::pair<std::size_t, const Label*>> find_label(std::string_view s,
                                                               std::size_t from) {
    std::optional<std::pair<std::size_t, const Label*>> best;
    for (const Label& label : kLabels) {
        const std::string_view text = label.text;
        for (std::size_t at = s.find(text, from); at != std::string_view::npos;
             at = s.find(text, at + 1)) {
            std::size_t after = at + text.size();
            if (after < s.size() && utf8::fold_width(utf8::next(s, after)) == ':') {
                if (!best || at < best->first) {
                    best = std::make_pair(at, &label);
                }
                break;
            }
        }
    }
    return best;
}

bool is_open_bracket(char32_t c) {
    return utf8::fold_width(c) == '(' || utf8::fold_width(c) == '[' || c == U'〔' || c == U'【';
}

bool is_close_bracket(char32_t c) {
    return utf8::fold_width(c) == ')' || utf8::fold_width(c) == ']' || c == U'〕' || c == U'】';
}

// "责任单位：A、B，2022年10月底前完成" / "…，常态化开展": the words ending a unit
// list that are a deadline phrase are the deadline, never a department; the
// last segment is cut there and a deadline segment follows it.
void split_trailing_deadline(std::vector<Segment>& segments) {
    std::string& list = segments.back().content;
    std::size_t clause_at = 0;  // where the list's last clause starts …
    std::size_t mark_at = 0;    // … and the mark before it
    int depth = 0;
    std::size_t pos = 0;
    while (pos < list.size()) {
        const std::size_t begin = pos;
        const char32_t c = utf8::next(list, pos);
        if (is_open_bracket(c)) {
            ++depth;
        } else if (is_close_bracket(c) && depth > 0) {
            --depth;
        } else if (depth == 0 && (c == U'，' || c == U'；' || utf8::fold_width(c) == ',' ||
                                  utf8::fold_width(c) == ';')) {
            clause_at = pos;
            mark_at = begin;
        }
    }
    if (clause_at == 0) {
        return;  // a single clause is the list itself
    }
    std::string clause(utf8::trim(std::string_view(list).substr(clause_at)));
    while (ends_with(clause, "。")) {
        strip_suffix(clause, "。");
    }
    if (clause.empty() || !find_deadline_phrase(clause)) {
        return;
    }
    list.erase(mark_at);
    segments.push_back({LabelKind::deadline, clause});
}

// "牵头单位：A；配合单位：B；完成时限：…" → its labelled segments, when s starts
// with a label.
std::vector<Segment> labelled_segments(std::string_view s) {
    std::vector<Segment> segments;
    auto found = find_label(s, 0);
    if (!found || found->first != 0) {
        return segments;
    }
    while (found) {
        std::size_t content_start = found->first + std::string_view(found->second->text).size();
        utf8::next(s, content_start);  // the colon
        const auto next = find_label(s, content_start);
        const std::size_t end = next ? next->first : s.size();
        segments.push_back(
            {found->second->kind, std::string(s.substr(content_start, end - content_start))});
        if (names_units(found->second->kind)) {
            split_trailing_deadline(segments);
        }
        found = next;
    }
    return segments;
}

bool is_open_bracket(char32_t c);
bool is_close_bracket(char32_t c);

// The label that starts s, if one does (the longest, so 牵头责任部门 is not
// read as 责任部门).
const Label* label_at(std::string_view s) {
    const Label* found = nullptr;
    for (const Label& label : kLabels) {
        const std::string_view text = label.text;
        if (starts_with(s, text) &&
            (found == nullptr || text.size() > std::string_view(found->text).size())) {
            found = &label;
        }
    }
    return found;
}

// ■ ◆ ● and the like: list marks some plans put before each label.
bool is_list_mark(char32_t c) {
    static constexpr std::u32string_view kMarks = U"■□◆◇●○◎▲△▶►★☆•·▪";
    return kMarks.find(c) != std::u32string_view::npos;
}

// Label lines written with a mark instead of a colon — 【牵头单位】A,
// 【牵头单位：】A, [牵头单位]A, ■牵头单位：A — as "牵头单位：A", so that they read
// as the colon form does. Text that is not a marked label is left as it is.
std::string unmark_labels(std::string_view s) {
    std::string out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const std::size_t begin = pos;
        const char32_t c = utf8::next(s, pos);
        if (is_list_mark(c)) {
            std::size_t after = pos;
            while (after < s.size()) {
                std::size_t next = after;
                if (!utf8::is_space(utf8::next(s, next))) {
                    break;
                }
                after = next;
            }
            if (label_at(s.substr(after)) != nullptr) {
                pos = after;  // the mark goes, the label and its colon stay
                continue;
            }
        } else if (is_open_bracket(c)) {
            if (const Label* label = label_at(s.substr(pos))) {
                std::size_t after = pos + std::string_view(label->text).size();
                std::size_t next = after;
                if (after < s.size() && utf8::fold_width(utf8::next(s, next)) == ':') {
                    after = next;
                }
                next = after;
                if (after < s.size() && is_close_bracket(utf8::next(s, next))) {
                    after = next;
                    std::size_t colon = after;
                    if (after < s.size() && utf8::fold_width(utf8::next(s, colon)) == ':') {
                        after = colon;  // 【牵头单位】：A
                    }
                    out += label->text;
                    out += "：";
                    pos = after;
                    continue;
                }
            }
        }
        out.append(s.substr(begin, pos - begin));
    }
    return out;
}

bool match_note(const Line& line) {
    const std::string_view s = line.text;
    const std::string_view note = "注";
    if (s.substr(0, note.size()) != note) {
        return false;
    }
    std::size_t pos = note.size();
    return pos < s.size() && utf8::fold_width(utf8::next(s, pos)) == ':';
}

Line classify(const Paragraph& paragraph) {
    Line line;
    line.number = paragraph.position;
    line.where = paragraph.where;
    line.text = strip_artifacts(paragraph.text);
    line.runs = paragraph.runs;
    if (line.text.empty()) {
        line.kind = LineKind::blank;
    } else if (!(line.segments = labelled_segments(unmark_labels(line.text))).empty()) {
        line.kind = LineKind::labels;
    } else if (match_note(line)) {
        line.kind = LineKind::note;
    } else if (match_section(line)) {
        line.kind = LineKind::section;
    } else if (match_number(line, false)) {
        line.kind = LineKind::task;
    } else if (match_number(line, true)) {
        line.kind = LineKind::item;
    } else if (match_group(line)) {
        line.kind = LineKind::group;
    } else if (match_yishi(line)) {
        line.kind = LineKind::yishi;
    }
    return line;
}

// --------------------------------------------------- shapes of single lines

// "列第一位者为牵头部门，下同", "排名第一的为牵头单位", "以下各项由列第一位的部门牵头":
// the plan says its first-listed department leads.
bool states_first_listed_leads(std::string_view text) {
    const bool first =
        text.find("第一") != std::string_view::npos || text.find("首位") != std::string_view::npos;
    return first && text.find("牵头") != std::string_view::npos &&
           (text.find("列") != std::string_view::npos || text.find("排") != std::string_view::npos);
}

bool is_sentence_mark(char32_t c) {
    const char32_t f = utf8::fold_width(c);
    return c == U'。' || c == U'，' || c == U'；' || c == U'：' || f == ',' || f == ';' ||
           f == ':' || f == '!' || f == '?' || c == U'、';
}

bool has_sentence_mark(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (is_sentence_mark(utf8::next(text, pos))) {
            return true;
        }
    }
    return false;
}

// A paragraph a hard wrap cut short: it does not end as a sentence or a
// heading does.
bool ends_open(std::string_view text) {
    static constexpr std::string_view kClosers[] = {"。", "；", "：", "！", "？", "”",  "）",
                                                    ")",  ";",  ":",  "!",  "?",  "」", "》"};
    for (std::string_view closer : kClosers) {
        if (ends_with(text, closer)) {
            return false;
        }
    }
    return true;
}

// 2019年3月1日, 二〇一九年三月一日 alone on a line: a document's date.
bool is_date_line(std::string_view text) {
    if (utf8::length(text) > 16 || !ends_with(text, "日")) {
        return false;
    }
    const std::size_t year = text.find("年");
    const std::size_t month = text.find("月");
    if (year == std::string_view::npos || month == std::string_view::npos || month < year) {
        return false;
    }
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char32_t c = utf8::next(text, pos);
        if (!is_digit(c) && !is_chinese_numeral(c) && c != U'年' && c != U'月' && c != U'日' &&
            !utf8::is_space(c)) {
            return false;
        }
    }
    return true;
}

// （此件公开发布）, （此件不公开）, 此件依申请公开
bool is_release_line(std::string_view text) {
    return utf8::length(text) <= 16 && text.find("此件") != std::string_view::npos &&
           text.find("公开") != std::string_view::npos;
}

// The issuing body above the date: a short line of a name, no sentence in it.
bool may_be_issuer(std::string_view text) {
    return utf8::length(text) <= 40 && !has_sentence_mark(text);
}

// The bracketed remark ending a task or item when it names its units or its
// deadline: （立案庭、技术科负责，2020年6月底前完成）, 〔责任部门：立案庭，配合部门：
// 技术科〕, 【各审判执行部门分别负责，长期坚持】.
struct InlineUnits {
    std::size_t begin = 0;  // where the bracket starts in the line's text
    std::size_t end = 0;    // and where it ends (a closing 。 may follow)
    std::string source;     // the bracket as written
    std::vector<Segment> segments;
    bool first_listed_leads = false;  // "列第一位者为牵头部门，下同"
};

// Splits at any of the code points in `at` (outside brackets).
std::vector<std::string> split_outside_brackets(std::string_view text, std::u32string_view at) {
    std::vector<std::string> parts;
    std::string current;
    int depth = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t begin = pos;
        const char32_t c = utf8::next(text, pos);
        if (is_open_bracket(c)) {
            ++depth;
        } else if (is_close_bracket(c) && depth > 0) {
            --depth;
        }
        if (depth == 0 && at.find(utf8::fold_width(c)) != std::u32string_view::npos) {
            parts.emplace_back(utf8::trim(current));
            current.clear();
        } else {
            current.append(text.substr(begin, pos - begin));
        }
    }
    parts.emplace_back(utf8::trim(current));
    return parts;
}

std::optional<InlineUnits> find_inline_units(std::string_view text) {
    std::string_view body = utf8::trim(text);
    while (ends_with(body, "。") || ends_with(body, "；") || ends_with(body, ".") ||
           ends_with(body, ";")) {
        body.remove_suffix(ends_with(body, ".") || ends_with(body, ";") ? 1 : 3);
        body = utf8::trim(body);
    }
    // The bracket that closes the text, found by depth.
    std::vector<std::size_t> opened;
    std::size_t last_open = std::string_view::npos;
    std::size_t last_close_end = 0;
    std::size_t last_close_begin = 0;
    std::size_t pos = 0;
    while (pos < body.size()) {
        const std::size_t begin = pos;
        const char32_t c = utf8::next(body, pos);
        if (is_open_bracket(c)) {
            opened.push_back(begin);
        } else if (is_close_bracket(c) && !opened.empty()) {
            last_open = opened.back();
            opened.pop_back();
            last_close_begin = begin;
            last_close_end = pos;
        }
    }
    if (last_open == std::string_view::npos || last_open == 0) {
        return std::nullopt;
    }
    // "…。〔责任部门：A，配合部门：B〕2022年6月底前完成。": a bracket may be followed
    // by the task's deadline as a sentence of its own; nothing else may follow.
    std::string_view after_bracket = utf8::trim(body.substr(last_close_end));
    while (starts_with(after_bracket, "。")) {
        after_bracket = utf8::trim(after_bracket.substr(std::string_view("。").size()));
    }
    if (!after_bracket.empty() &&
        (has_sentence_mark(after_bracket) || !find_deadline_phrase(after_bracket))) {
        return std::nullopt;
    }
    std::size_t content_begin = last_open;
    utf8::next(body, content_begin);
    const std::string_view content =
        utf8::trim(body.substr(content_begin, last_close_begin - content_begin));
    InlineUnits found;
    const auto offset = static_cast<std::size_t>(body.data() - text.data());
    found.begin = offset + last_open;
    found.end = offset + body.size();
    found.source = std::string(body.substr(last_open, last_close_end - last_open));
    const auto labelled = labelled_segments(content);
    bool units = false;
    if (!labelled.empty()) {
        for (const Segment& segment : labelled) {
            units = units || names_units(segment.kind);
        }
        found.segments = labelled;
        if (!after_bracket.empty()) {
            found.segments.push_back({LabelKind::deadline, std::string(after_bracket)});
        }
        return found;
    }
    std::string unit_text;  // for looks_like_unit_list, the unit clauses together
    for (const std::string& sentence : split_outside_brackets(content, U"。")) {
        if (sentence.empty()) {
            continue;
        }
        // "列第一位者为牵头部门，下同" as a sentence of its own, or as a clause
        // after the names ("A、B负责，列第一位者为牵头部门").
        const std::vector<std::string> clauses = split_outside_brackets(sentence, U"，,；;");
        if (states_first_listed_leads(clauses.front())) {
            found.first_listed_leads = true;  // "排第一的为牵头单位，其余为配合单位"
            continue;
        }
        for (const std::string& clause : clauses) {
            if (clause.empty() || clause == "下同") {
                continue;
            }
            if (states_first_listed_leads(clause)) {
                found.first_listed_leads = true;
                continue;
            }
            if (find_deadline_phrase(clause)) {
                found.segments.push_back({LabelKind::deadline, clause});
                continue;
            }
            found.segments.push_back({LabelKind::listed, clause});
            unit_text += (unit_text.empty() ? "" : "，") + clause;
            units = true;
        }
    }
    if (units && !looks_like_unit_list(unit_text)) {
        return std::nullopt;
    }
    if (found.segments.empty() || (!units && !after_bracket.empty())) {
        return std::nullopt;  // a remark with a date, then a date: not the task's units
    }
    if (!after_bracket.empty()) {
        found.segments.push_back({LabelKind::deadline, std::string(after_bracket)});
    }
    return found;
}

// Whether the line names units (a label line, or an inline bracket of units).
bool carries_units(const Line& line) {
    if (line.kind == LineKind::labels) {
        for (const Segment& segment : line.segments) {
            if (names_units(segment.kind)) {
                return true;
            }
        }
        return false;
    }
    if (line.kind == LineKind::task || line.kind == LineKind::group ||
        line.kind == LineKind::yishi || line.kind == LineKind::item ||
        line.kind == LineKind::text) {
        const auto found = find_inline_units(line.text);
        if (found) {
            for (const Segment& segment : found->segments) {
                if (names_units(segment.kind)) {
                    return true;
                }
            }
        }
    }
    return false;
}

// ---------------------------------------------------- run-together 一是

// The runs of text[begin, end) when runs spell text (docx); otherwise the
// runs as they are, for the unit lists to look their names up in.
std::vector<Run> runs_between(const std::vector<Run>& runs, const std::string& text,
                              std::size_t begin, std::size_t end) {
    std::string whole;
    for (const Run& run : runs) {
        whole += run.text;
    }
    if (whole != text) {
        return runs;
    }
    std::vector<Run> slice;
    std::size_t at = 0;
    for (const Run& run : runs) {
        const std::size_t from = std::max(at, begin);
        const std::size_t to = std::min(at + run.text.size(), end);
        if (from < to) {
            slice.push_back({run.text.substr(from - at, to - from), run.bold});
        }
        at += run.text.size();
    }
    return slice;
}

// A mark after which a 一是 clause may start: 。 ； ， ：
bool ends_clause(char32_t c) {
    const char32_t mark = utf8::fold_width(c);
    return c == U'。' || mark == ';' || mark == ',' || mark == ':';
}

// Walks a paragraph a code point at a time, keeping the bracket depth, and
// says after each whether a 一是 clause may start there: after a mark outside
// brackets, or after the bracket that closes a clause's units when they
// follow its full stop ("一是…。（政治处负责）二是…").
class ClauseScan {
public:
    explicit ClauseScan(const std::string& text) : text_(text) {}

    // Reads the next code point; false at the end of the text.
    bool next() {
        if (after_ >= text_.size()) {
            return false;
        }
        at_ = after_;
        mark_ = utf8::next(text_, after_);
        bool closed_bracket = false;
        if (is_open_bracket(mark_)) {
            ++depth_;
        } else if (is_close_bracket(mark_) && depth_ > 0) {
            --depth_;
            closed_bracket = true;
        }
        boundary_ = depth_ == 0 && (ends_clause(mark_) || closed_bracket);
        return true;
    }

    bool boundary() const { return boundary_; }   // a clause may start after it
    char32_t mark() const { return mark_; }       // the code point just read
    std::size_t at() const { return at_; }        // where it starts
    std::size_t after() const { return after_; }  // and where the text goes on

private:
    const std::string& text_;
    int depth_ = 0;
    std::size_t at_ = 0;
    std::size_t after_ = 0;
    char32_t mark_ = 0;
    bool boundary_ = false;
};

// Where the clause "<value>是…" starts at pos, spaces skipped; npos when the
// text there is not that clause. A value of 0 takes any number.
std::size_t clause_numbered(const std::string& s, std::size_t pos, int value) {
    while (pos < s.size()) {
        std::size_t after = pos;
        if (!utf8::is_space(utf8::next(s, after))) {
            break;
        }
        pos = after;
    }
    std::size_t after_numeral = pos;
    const std::string numeral = leading_numeral(s, after_numeral);
    const int found = numeral.empty() ? 0 : chinese_value(numeral);
    if (found == 0 || (value != 0 && found != value) ||
        !starts_with(std::string_view(s).substr(after_numeral), "是") ||
        after_numeral + std::string_view("是").size() >= s.size()) {
        return std::string::npos;
    }
    return pos;
}

Line line_between(const Line& line, std::size_t begin, std::size_t end) {
    const std::string& s = line.text;
    Paragraph paragraph;
    paragraph.text = std::string(utf8::trim(std::string_view(s).substr(begin, end - begin)));
    paragraph.runs = runs_between(line.runs, s, begin, end);
    paragraph.where = line.where;
    paragraph.position = line.number;
    return classify(paragraph);
}

// "围绕切实解决执行难，重点抓好以下工作：一是…；二是…": a paragraph of text
// that leads in with a sentence of its own and then runs its 一是, 二是, …
// together. Returned as the lead-in (text) and the clauses from the first on
// (one 一是 line, for yishi_clauses); any other line is returned as it is.
std::vector<Line> lead_in_and_clauses(const Line& line) {
    if (line.kind != LineKind::text) {
        return {line};
    }
    const std::string& s = line.text;
    ClauseScan scan(s);
    while (scan.next()) {
        if (!scan.boundary()) {
            continue;
        }
        // 一是 usually; 三是 when the clauses before it stand as paragraphs of
        // their own.
        const std::size_t clause = clause_numbered(s, scan.after(), 0);
        if (clause != std::string::npos) {
            Line clauses = line_between(line, clause, s.size());
            if (clauses.kind != LineKind::yishi) {
                return {line};
            }
            return {line_between(line, 0, scan.after()), clauses};
        }
    }
    return {line};
}

// "一是…（办公室负责）；二是…（研究室负责）；三是…。": a paragraph that runs its
// 一是, 二是, 三是 together, one line per clause. A clause starts after a 。,
// ；, ， or ： outside brackets, or after a closing bracket ("一是…。（办公室
// 负责）二是…"), with the next number in turn and 是; it keeps the mark or
// bracket that ends it. A paragraph of one clause is returned as it is.
std::vector<Line> yishi_clauses(const Line& line) {
    const std::string& s = line.text;
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    int next_value = chinese_value(line.label) + 1;
    std::size_t start = 0;
    ClauseScan scan(s);
    while (scan.next()) {
        if (!scan.boundary()) {
            continue;
        }
        const std::size_t clause = clause_numbered(s, scan.after(), next_value);
        if (clause != std::string::npos) {
            // A ， or ： between clauses is dropped (a ； or 。 is kept), so
            // that a clause's own bracket still ends it.
            const char32_t mark = utf8::fold_width(scan.mark());
            const bool dropped = mark == ',' || mark == ':';
            spans.emplace_back(start, dropped ? scan.at() : scan.after());
            start = clause;
            ++next_value;
        }
    }
    if (spans.empty()) {
        return {line};
    }
    spans.emplace_back(start, s.size());
    std::vector<Line> clauses;
    for (const auto& [begin, end] : spans) {
        clauses.push_back(line_between(line, begin, end));
    }
    return clauses;
}

// ------------------------------------------------------ department lists

struct RawEntry {
    std::string name;
    std::optional<Role> role;  // empty: "listed", decided by the lead rule
    bool bold = false;
    std::string source;
    LabelKind list = LabelKind::listed;  // the list it was read from (责任/牵头/配合)
};

std::vector<DepartmentRef> decide_roles(const std::vector<RawEntry>& entries, LeadRule rule) {
    bool has_lead = false;
    bool any_bold = false;
    bool responsible = false;  // a 责任部门 list (or an unlabelled one) …
    bool cooperating = false;  // … and a 配合部门 list
    for (const auto& entry : entries) {
        has_lead = has_lead || entry.role == Role::lead;
        any_bold = any_bold || entry.bold;
        responsible = responsible || entry.list == LabelKind::listed;
        cooperating = cooperating || entry.list == LabelKind::co;
    }
    // 〔责任部门：A、B，配合部门：C〕: the pair says who leads and who helps, so
    // every responsible unit leads — unless a 牵头 label or marker names the
    // lead, when the responsible units co-operate (牵头单位 then 责任单位).
    const bool responsible_lead = responsible && cooperating && !has_lead;
    std::vector<DepartmentRef> refs;
    for (const auto& entry : entries) {
        Role role = entry.role.value_or(Role::co);
        if (any_bold) {
            // The seed's own convention: bold names lead, the others co-operate.
            role = entry.bold ? Role::lead : Role::co;
        } else if (!entry.role && responsible_lead && entry.list == LabelKind::listed) {
            role = Role::lead;
        } else if (!entry.role && !has_lead && rule == LeadRule::first_listed) {
            role = Role::lead;
            has_lead = true;
        }
        const std::string key = OrgChart::match_key(entry.name);
        bool merged = false;
        for (auto& ref : refs) {
            if (OrgChart::match_key(ref.name) == key) {
                if (role == Role::lead) {
                    ref.role = Role::lead;
                }
                merged = true;
                break;
            }
        }
        if (!merged) {
            refs.push_back({entry.name, role, entry.source});
        }
    }
    return refs;
}

void apply_override(std::vector<DepartmentRef>& refs, const std::string& lead,
                    const std::string& owner, Warnings& warnings) {
    const std::string key = OrgChart::match_key(lead);
    bool found = false;
    for (const auto& ref : refs) {
        found = found || OrgChart::match_key(ref.name) == key;
    }
    if (!found) {
        warnings.add("the configured lead '" + lead + "' for " + owner +
                     " is not among its departments; the override is ignored");
        return;
    }
    for (auto& ref : refs) {
        ref.role = OrgChart::match_key(ref.name) == key ? Role::lead : Role::co;
    }
}

std::string title_of(const std::string& text) {
    const std::string first_line = text.substr(0, text.find('\n'));
    const std::size_t stop = first_line.find("。");
    std::string title = first_line.substr(0, stop);
    while (ends_with(title, ".") || ends_with(title, "；") || ends_with(title, ";")) {
        title.pop_back();
        if (ends_with(title, "\xEF\xBC")) {  // the rest of a full-width ；
            title.erase(title.size() - 2);
        }
    }
    return std::string(utf8::trim(title));
}

void append_paragraph(std::string& text, const std::string& paragraph) {
    if (!text.empty()) {
        text += '\n';
    }
    text += paragraph;
}

// ------------------------------------------------------ reading blocks

bool is_division(const Table& table) {
    return is_division_table(table);
}
void read_division(const Table& table, Plan& plan, TableContext& context) {
    read_division_table(table, plan, context);
}

// How many brackets are still open at the end of text (a closer without its
// opener is not counted).
int open_brackets(std::string_view text) {
    int depth = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char32_t c = utf8::next(text, pos);
        if (is_open_bracket(c)) {
            ++depth;
        } else if (is_close_bracket(c) && depth > 0) {
            --depth;
        }
    }
    return depth;
}

// "…〔责任部门：技术科〕2020年12" (then "月底前完成。"): a closed bracket followed by
// words the line breaks off — the deadline after the bracket, wrapped.
bool trails_bracket_open(std::string_view text) {
    std::size_t after = std::string_view::npos;
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (is_close_bracket(utf8::next(text, pos))) {
            after = pos;
        }
    }
    if (after == std::string_view::npos) {
        return false;
    }
    const std::string_view tail = utf8::trim(text.substr(after));
    return !tail.empty() && tail.find("。") == std::string_view::npos && ends_open(tail);
}

// Text hard-wrapped inside a bracket — "…快审快结（民事审判二庭牵头，民事" /
// "审判一庭配合，2023年9月底前完成）。" — is one paragraph again before it is read,
// so that the units and deadline at its end are found: a paragraph whose
// bracket stays open goes on in the lines that close it. Only plain lines and
// label lines continue one (a blank line, a heading or a numbered line does
// not), and a bracket that no line closes within kMaxWrapLines lines joins
// nothing: a stray "（" costs the lines after it nothing.
class WrapJoiner {
public:
    template <typename OnLine>
    void add(const Paragraph& paragraph, OnLine& on_line) {
        if (held_.empty()) {
            if (open_brackets(paragraph.text) > 0 || trails_bracket_open(paragraph.text)) {
                held_.push_back(paragraph);
            } else {
                on_line(classify(paragraph));
            }
            return;
        }
        const LineKind kind = classify(paragraph).kind;
        const bool in_bracket = open_brackets(join().text) > 0;
        if (kind != LineKind::text && !(kind == LineKind::labels && in_bracket)) {
            release(on_line);
            add(paragraph, on_line);
            return;
        }
        held_.push_back(paragraph);
        Paragraph joined = join();
        if (open_brackets(joined.text) == 0 && !trails_bracket_open(joined.text)) {
            held_.clear();
            on_line(classify(joined));
        } else if (held_.size() > kMaxWrapLines) {
            release(on_line);
        }
    }

    template <typename OnLine>
    void flush(OnLine& on_line) {
        while (!held_.empty()) {
            release(on_line);
        }
    }

private:
    // The line that opens the bracket and at most three more.
    static constexpr std::size_t kMaxWrapLines = 4;

    // The held lines as the plan wrote them, one by one: the first as it is,
    // the others read again (one of them may open a bracket of its own).
    template <typename OnLine>
    void release(OnLine& on_line) {
        std::vector<Paragraph> held;
        held.swap(held_);
        on_line(classify(held.front()));
        for (std::size_t i = 1; i < held.size(); ++i) {
            add(held[i], on_line);
        }
    }

    Paragraph join() const {
        Paragraph joined = held_.front();
        joined.text.clear();
        joined.runs.clear();
        bool styled = false;
        for (const Paragraph& part : held_) {
            styled = styled || !part.runs.empty();
        }
        for (const Paragraph& part : held_) {
            joined.text += utf8::trim(part.text);
            if (!styled) {
                continue;
            }
            if (part.runs.empty()) {
                joined.runs.push_back({std::string(utf8::trim(part.text)), false});
            } else {
                joined.runs.insert(joined.runs.end(), part.runs.begin(), part.runs.end());
            }
        }
        return joined;
    }

    std::vector<Paragraph> held_;
};

// Calls on_line for each paragraph of a block (a layout table's non-empty
// cells, row by row, count as paragraphs) and on_table for a division-of-
// labour table.
template <typename OnLine, typename OnTable>
void for_each_line(const Block& block, OnLine&& on_line, OnTable&& on_table) {
    if (block.kind == Block::Kind::paragraph) {
        on_line(classify(block.paragraph));
        return;
    }
    const Table& table = block.table;
    if (is_division(table)) {
        on_table(table);
        return;
    }
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto& row = table.rows[r];
        for (std::size_t c = 0; c < row.size(); ++c) {
            const Cell& cell = row[c];
            if (cell.merged_from_left || cell.merged_from_above) {
                continue;  // the first cell of the range was read
            }
            // A cell's paragraphs are paragraphs of the plan.
            for (const std::string& text : split_outside_brackets(cell.text, U"\n")) {
                if (text.empty()) {
                    continue;
                }
                Paragraph paragraph;
                paragraph.text = text;
                paragraph.runs = cell.runs;
                paragraph.where = table.where + " row " + std::to_string(r + 1) + " (cell " +
                                  std::to_string(c + 1) + ")";
                paragraph.position = table.position + static_cast<int>(r);
                on_line(classify(paragraph));
            }
        }
    }
}

// "一、深化司法责任制改革。一是…；二是…": a section heading is its first
// sentence; what the paragraph goes on with is the section's body, a line of
// its own (same place in the plan) read as any other. A heading without a
// sentence after its first 。 is returned as it is.
std::vector<Line> heading_and_body(const Line& line) {
    if (line.kind != LineKind::section) {
        return {line};
    }
    const std::string& s = line.text;
    const std::size_t rest_at = s.size() - line.rest.size();
    int depth = 0;
    std::size_t pos = rest_at;
    while (pos < s.size()) {
        const char32_t c = utf8::next(s, pos);
        if (is_open_bracket(c)) {
            ++depth;
        } else if (is_close_bracket(c) && depth > 0) {
            --depth;
        } else if (depth == 0 && c == U'。') {
            break;
        }
    }
    const std::string_view body = utf8::trim(std::string_view(s).substr(pos));
    if (body.empty() || starts_with(body, "。")) {
        return {line};
    }
    std::vector<Line> lines;
    for (const auto& [begin, end] :
         {std::make_pair(std::size_t{0}, pos), std::make_pair(s.size() - body.size(), s.size())}) {
        Paragraph paragraph;
        paragraph.text = s.substr(begin, end - begin);
        paragraph.runs = runs_between(line.runs, s, begin, end);
        paragraph.where = line.where;
        paragraph.position = line.number;
        lines.push_back(classify(paragraph));
    }
    return lines;
}

// Calls on_line for each line of the plan, in order — paragraphs with a
// bracket hard-wrapped over lines joined (WrapJoiner), a section heading's
// body apart from it (heading_and_body), a layout table's cells as they are —
// and on_table for each division-of-labour table.
template <typename OnLine, typename OnTable>
void for_each_line(DocumentSource& source, OnLine&& on_line_as_read, OnTable&& on_table) {
    auto on_line = [&on_line_as_read](const Line& line) {
        for (const Line& part : heading_and_body(line)) {
            on_line_as_read(part);
        }
    };
    WrapJoiner joiner;
    Block block;
    while (source.next(block)) {
        if (block.kind == Block::Kind::paragraph) {
            joiner.add(block.paragraph, on_line);
            continue;
        }
        joiner.flush(on_line);
        for_each_line(block, on_line, on_table);
    }
    joiner.flush(on_line);
}

// The levels numbered lines stand at; which one is the task level is read
// from the plan (the one its units are written at).
enum Level { kDigit = 0, kGroup = 1, kYishi = 2, kLevels = 3 };

std::optional<Level> level_of(LineKind kind) {
    switch (kind) {
        case LineKind::task:
            return kDigit;
        case LineKind::group:
            return kGroup;
        case LineKind::yishi:
            return kYishi;
        default:
            return std::nullopt;
    }
}

// What a first reading of the whole document finds, before any of it is kept.
struct Survey {
    bool any_text = false;
    std::optional<Level> task_level;
    int body = 0;  // position of the first line of the division-of-labour part
    std::optional<int> year;
};

Survey survey(DocumentSource& source) {
    struct LevelSeen {
        int first = 0;             // first line at this level …
        int first_section = 0;     // … and the section heading above it
        int first_carrier = 0;     // the body start its first units give
        std::size_t carriers = 0;  // unit lists written at this level
        int last = 0;
        int section_of_last = 0;
    };
    LevelSeen seen[kLevels];
    Survey result;
    int last_section = 0;
    std::optional<Level> current;  // the level of the latest numbered line
    // Whether units written after numbered lines belong to those lines or to
    // the subsection (（一）) above them: a subsection whose first units come
    // after two or more numbered measures without units of their own says
    // the subsection; a second list of units in one subsection, after a
    // numbered line, says the numbered lines.
    struct Subsection {
        int line = 0;      // its heading, 0 outside any subsection
        int section = 0;   // the section heading above it
        int measures = 0;  // numbered lines since its heading or its last units
        std::size_t unit_lists = 0;
    } subsection;
    // Numbered lines before the first units are part of the body when their
    // numbering runs on to it: tasks 1, 2, … (at each level), or sections
    // 一、二、… each holding lines of that level. Each run is kept as where it
    // starts (0: none running) and the number it expects next.
    struct Run {
        int start = 0;
        int next = 0;
    };
    Run task_runs[kLevels];
    Run section_run;
    bool sections_hold[kLevels] = {};  // every section of section_run so far has such lines
    int lines_in_section[kLevels] = {};
    const auto run_on = [](Run& run, int value, int start) {
        if (value == 1) {
            run = {start, 2};
        } else if (run.start != 0 && value == run.next) {
            ++run.next;
        } else {
            run = {};
        }
    };
    // Where the body starts when the first units are at `level`.
    const auto body_from = [&](Level level, int first_carrier) {
        int body = first_carrier;
        if (task_runs[level].start != 0) {
            body = std::min(body, task_runs[level].start);
        }
        if (section_run.start != 0 && sections_hold[level] && lines_in_section[level] > 0) {
            body = std::min(body, section_run.start);
        }
        return body;
    };
    std::size_t units_after_measures = 0;  // subsections whose units follow measures
    std::size_t units_per_measure = 0;     // second lists of units in a subsection
    int first_subsection_carrier = 0;
    int first_table = 0;
    std::string title;
    const auto survey_line = [&](const Line& line) {
        if (line.kind == LineKind::blank) {
            return;
        }
        result.any_text = true;
        if (title.empty()) {
            title = line.text;
            result.year = plan_year_of(title);
        }
        if (!result.year && is_date_line(line.text)) {
            result.year = plan_year_of(line.text);
        }
        if (line.kind == LineKind::section) {
            const int value = chinese_value(line.label);
            const bool runs_on = section_run.start != 0 && value == section_run.next;
            run_on(section_run, value, line.number);
            for (int level = 0; level < kLevels; ++level) {
                sections_hold[level] =
                    value == 1 || (runs_on && sections_hold[level] && lines_in_section[level] > 0);
                lines_in_section[level] = 0;
            }
            last_section = line.number;
            subsection = Subsection{};
            return;
        }
        if (line.kind == LineKind::group) {
            subsection = Subsection{line.number, last_section, 0, 0};
        } else if (line.kind == LineKind::task) {
            ++subsection.measures;
        }
        if (const auto level = level_of(line.kind)) {
            LevelSeen& at = seen[*level];
            if (at.first == 0) {
                at.first = line.number;
                at.first_section = last_section;
            }
            at.last = line.number;
            at.section_of_last = last_section;
            current = level;
            ++lines_in_section[*level];
            const int value = *level == kDigit ? std::stoi(line.label) : chinese_value(line.label);
            run_on(task_runs[*level], value, last_section != 0 ? last_section : line.number);
        }
        if (carries_units(line)) {
            if (!current && line.kind != LineKind::labels) {
                return;  // a remark in the narrative before any task
            }
            if (!current) {
                throw PlanError(line.where +
                                ": a responsibility line comes before any numbered task");
            }
            LevelSeen& at = seen[*current];
            if (at.carriers++ == 0) {
                at.first_carrier =
                    body_from(*current, at.section_of_last != 0 ? at.section_of_last : at.last);
            }
            if (*current == kDigit && subsection.line != 0) {
                if (subsection.unit_lists == 0) {
                    units_after_measures += subsection.measures >= 2 ? 1 : 0;
                    if (first_subsection_carrier == 0) {
                        first_subsection_carrier = body_from(
                            kGroup, subsection.section != 0 ? subsection.section : subsection.line);
                    }
                } else if (subsection.measures > 0) {
                    ++units_per_measure;
                }
                ++subsection.unit_lists;
                subsection.measures = 0;
            }
        }
    };
    for_each_line(
        source,
        [&](const Line& line) {
            // A lead-in and its 一是… clauses are read as such unless they
            // stand in a numbered task's text (1.…, then 为此：一是…).
            if (line.kind == LineKind::text && current != kDigit) {
                for (const Line& part : lead_in_and_clauses(line)) {
                    survey_line(part);
                }
                return;
            }
            survey_line(line);
        },
        [&](const Table& table) {
            result.any_text = true;
            if (first_table == 0) {
                first_table = table.position;
            }
        });
    source.rewind();
    // The level that carries the units; without units, the lowest there is.
    for (Level level : {kDigit, kGroup, kYishi}) {
        if (seen[level].carriers > 0) {
            result.task_level = level;
            result.body = seen[level].first_carrier;
            break;
        }
    }
    if (result.task_level == kDigit && units_after_measures > units_per_measure) {
        // The units follow runs of measures: the subsections are the tasks.
        result.task_level = kGroup;
        result.body = first_subsection_carrier;
    }
    if (!result.task_level) {
        for (Level level : {kDigit, kYishi, kGroup}) {
            if (seen[level].first != 0) {
                result.task_level = level;
                result.body =
                    seen[level].first_section != 0 ? seen[level].first_section : seen[level].first;
                break;
            }
        }
    }
    if (first_table != 0 && (result.body == 0 || first_table < result.body)) {
        result.body = first_table;
    }
    return result;
}

// ------------------------------------------------------------ the parser

class Parser {
public:
    Parser(DocumentSource& source, const ParseOptions& options)
        : source_(source),
          options_(options),
          warnings_(plan_.warnings),
          lead_rule_(options.lead_rule) {}

    Plan run() {
        const Survey found = survey(source_);
        if (!found.any_text) {
            throw PlanError("the plan is empty");
        }
        if (found.body == 0) {
            throw PlanError(
                "no tasks found: expected numbered tasks such as '1.加强审判团队建设。…' or "
                "'（一）…', each followed by a line such as '责任部门：干部科' or ending in its "
                "units '（立案庭负责）'");
        }
        plan_.format = source_.format();
        plan_.year = found.year;
        task_level_ = found.task_level.value_or(kDigit);
        body_ = found.body;
        for_each_line(
            source_, [&](const Line& line) { read_line(line); },
            [&](const Table& table) { read_table(table); });
        flush_pending();
        close_target();
        renumber_or_check();
        check_assigned();
        warnings_.finish();
        return std::move(plan_);
    }

private:
    void read_line(const Line& line) {
        if (line.number < body_) {
            read_preamble(line);
            return;
        }
        if (line.number == body_ && plan_.title.empty()) {
            plan_.title = line.text;
        }
        if (line.kind == LineKind::blank) {
            return;
        }
        // Closing lines: the issuing body waits for the next line to tell.
        if (line.kind == LineKind::text && !line.number_too_long) {
            if (is_date_line(line.text) || is_release_line(line.text)) {
                for (const Line& held : pending_) {
                    append_paragraph(plan_.closing, held.text);
                }
                pending_.clear();
                append_paragraph(plan_.closing, line.text);
                closing_ = true;
                return;
            }
            if (closing_) {
                append_paragraph(plan_.closing, line.text);
                return;
            }
            if ((task_ != nullptr || notes_line_ != 0) && may_be_issuer(line.text) &&
                pending_.size() < kMaxPending) {
                pending_.push_back(line);
                return;
            }
        }
        flush_pending();
        if (line.kind != LineKind::text) {
            closing_ = false;
        }
        read_in_order(line);
    }

    // Lines held as a possible issuing body that were not one.
    void flush_pending() {
        std::vector<Line> held;
        held.swap(pending_);
        for (const Line& line : held) {
            read_in_order(line);
        }
    }

    void read_in_order(const Line& line) {
        if (notes_line_ != 0) {
            if (line.kind != LineKind::section) {
                read_note(line);
                return;
            }
            notes_line_ = 0;  // a new part of the plan begins after its note
        }
        switch (line.kind) {
            case LineKind::blank:
                break;
            case LineKind::note:
                close_target();
                task_ = nullptr;
                item_ = nullptr;
                notes_line_ = line.number;
                notes_where_ = line.where;
                read_note(line);
                break;
            case LineKind::section:
                start_section(line);
                break;
            case LineKind::group:
                // A （一） line that carries units is a task even in a plan
                // whose tasks are numbered 1. elsewhere: a section may number
                // its tasks so, and a heading with units is never dropped.
                if (task_level_ == kGroup || carries_units(line)) {
                    start_task(line);
                } else {
                    start_group(line);
                }
                break;
            case LineKind::task:
                if (task_level_ == kDigit) {
                    start_task(line);
                } else {
                    read_text(line);
                }
                break;
            case LineKind::yishi:
                if (task_level_ == kYishi) {
                    for (const Line& clause : yishi_clauses(line)) {
                        start_task(clause);
                    }
                } else {
                    read_text(line);  // 一是…；二是… inside a task's text stay its text
                }
                break;
            case LineKind::item:
                // （1）… with no task before it in its section: the section's
                // tasks are numbered so, and the （2） after it is the next one.
                if (task_ == nullptr || items_are_tasks_) {
                    start_task(line);
                } else {
                    start_item(line);
                }
                break;
            case LineKind::labels:
                read_labels(line);
                break;
            case LineKind::text:
                if (task_level_ == kYishi) {
                    const std::vector<Line> parts = lead_in_and_clauses(line);
                    if (parts.size() == 2) {
                        read_lead_in(parts[0]);
                        read_in_order(parts[1]);
                        break;
                    }
                }
                read_text(line);
                break;
        }
    }

    // "围绕…，重点抓好以下工作：" before a paragraph's 一是… clauses belongs to
    // the section, not to the task before it; the ledger has no place for a
    // section's narrative, so it is said so rather than lost quietly.
    void read_lead_in(const Line& line) {
        close_target();
        task_ = nullptr;
        item_ = nullptr;
        const std::string place = plan_.sections.empty()
                                      ? std::string("the plan's start")
                                      : "section " + plan_.sections.back().number;
        warnings_.add(line.where + ": '" + utf8::printable(line.text, 30) +
                      "' leads in to the 一是… tasks of " + place +
                      "; it is the section's narrative, not part of any task, and is not kept");
    }

    void read_preamble(const Line& line) {
        if (line.kind == LineKind::blank) {
            return;
        }
        if (states_first_listed_leads(line.text)) {
            lead_rule_ = LeadRule::first_listed;
        }
        if (level_of(line.kind) == task_level_ && preamble_tasks_.size() < kMaxWarnings) {
            preamble_tasks_.push_back(line);  // said so if the tasks' numbering misses them
        }
        if (plan_.title.empty()) {
            plan_.title = line.text;
        } else {
            append_paragraph(plan_.preamble, line.text);
            if (!plan_.year) {
                // A title without a year: the first year the preamble names
                // ("深入推进2019年…"), as core::plan_years reads it for periods.
                plan_.year = plan_year_of(line.text);
            }
        }
    }

    // Everything from the closing note to the next section heading is the
    // note. A line there that looks like part of the plan is kept in the
    // note, and said so.
    void read_note(const Line& line) {
        if (line.number != notes_line_ &&
            (line.kind == LineKind::task || line.kind == LineKind::item ||
             line.kind == LineKind::labels || line.kind == LineKind::group ||
             line.kind == LineKind::yishi)) {
            warnings_.add(line.where + ": '" + utf8::printable(line.text, 30) +
                          "' comes after the closing note (" + notes_where_ +
                          ") and is kept as part of the note, not read as part of the plan");
        }
        append_paragraph(plan_.notes, line.text);
    }

    static std::string trim_stop(const std::string& text) {
        std::string out = text;
        while (ends_with(out, "。")) {
            strip_suffix(out, "。");
        }
        return out;
    }

    std::string owner_name() const {
        const std::string task = "task " + (task_->label.empty() ? task_->number : task_->label);
        if (item_ != nullptr) {
            return task + " item (" + item_->number + ")";
        }
        return task;
    }

    // A plan over the limit is refused whole, at the line that crosses it,
    // before it is read any further.
    void count_task_or_item(const Line& line) {
        if (++tasks_and_items_ > static_cast<std::size_t>(options_.max_tasks)) {
            throw PlanError(line.where + ": the plan has more than " +
                            std::to_string(options_.max_tasks) +
                            " tasks and items (limits.plan_tasks); it is refused whole rather "
                            "than kept in part");
        }
    }

    void start_section(const Line& line) {
        close_target();
        const int value = chinese_value(line.label);
        int part = plan_.sections.empty() ? 1 : plan_.sections.back().part;
        if (last_section_value_ != 0 && value != 0 && value <= last_section_value_) {
            ++part;
            warnings_.add(line.where + ": section " + line.label +
                          "、 starts the section numbering again after section " +
                          last_section_label_ + "、; it is read as part " + std::to_string(part) +
                          " of the plan (a second part, an annex or a second plan in one file)");
        }
        last_section_value_ = value;
        last_section_label_ = line.label;
        plan_.sections.push_back({line.label, trim_stop(line.rest), {}, part});
        task_ = nullptr;
        item_ = nullptr;
        group_.reset();
    }

    void start_group(const Line& line) {
        close_target();
        task_ = nullptr;
        item_ = nullptr;
        group_ = Group{line.label, title_of(line.rest)};
    }

    void start_task(const Line& line) {
        close_target();
        if (plan_.sections.empty()) {
            plan_.sections.push_back({"", "", {}, 1});
        }
        count_task_or_item(line);
        auto& tasks = plan_.sections.back().tasks;
        tasks.push_back({});
        task_ = &tasks.back();
        item_ = nullptr;
        item_numbers_.clear();
        items_are_tasks_ = line.kind == LineKind::item;
        after_responsibility_ = false;
        list_open_ = false;
        switch (line.kind) {
            case LineKind::task:
                task_->number = line.label;
                task_->label = line.label;
                break;
            case LineKind::group:
            case LineKind::item:
                task_->label = line.text.substr(0, line.text.size() - line.rest.size());
                task_->label = std::string(utf8::trim(task_->label));
                task_->number = task_->label;
                break;
            default:
                task_->label = line.label + "是";
                task_->number = task_->label;
                break;
        }
        task_->line = line.number;
        task_->where = line.where;
        task_->group = group_;
        if (!first_task_read_) {
            first_task_read_ = true;
            warn_tasks_left_in_preamble(line);
        }
        task_->text = take_inline_units(line, line.rest);
        task_->title = title_of(task_->text);
    }

    // Numbered lines before the body are the preamble's own headings when
    // the tasks are numbered from 1 again; when the first task is not 1,
    // they may be tasks the plan's numbering misses, kept in the preamble:
    // each is said, with its line, rather than left there silently.
    void warn_tasks_left_in_preamble(const Line& first) {
        const int value = first.kind == LineKind::task || first.kind == LineKind::item
                              ? std::stoi(first.label)
                              : chinese_value(first.label);
        if (value == 1) {
            return;
        }
        for (const Line& held : preamble_tasks_) {
            warnings_.add(held.where + ": '" + utf8::printable(held.text, 30) +
                          "' is numbered like a task, but comes before the plan's tasks (from " +
                          first.where + ", numbered " + first.label +
                          ") and its numbering does not run on to them; it is kept in the "
                          "preamble, not read as a task");
        }
        preamble_tasks_.clear();
    }

    void start_item(const Line& line) {
        if (task_ == nullptr) {
            throw PlanError(line.where + ": item （" + line.label + "） is outside any task");
        }
        close_target();
        if (!item_numbers_.insert(line.label).second) {
            throw PlanError(line.where + ": " + owner_name() + " has item （" + line.label +
                            "） twice");
        }
        count_task_or_item(line);
        task_->items.push_back({line.label, {}, {}, line.number, line.where});
        item_ = &task_->items.back();
        item_->text = take_inline_units(line, line.rest);
        after_responsibility_ = false;
        list_open_ = false;
    }

    // Reads the units (and deadline) a text ends with, and returns the text
    // without them.
    std::string take_inline_units(const Line& line, const std::string& text) {
        auto found = find_inline_units(text);
        if (!found) {
            return text;
        }
        if (found->first_listed_leads) {
            lead_rule_ = LeadRule::first_listed;  // 下同: from here on
        }
        read_segments(line, found->segments, found->source);
        // "…清单（审管办负责）。" → "…清单。"
        std::string rest(utf8::trim(std::string_view(text).substr(0, found->begin)));
        const std::string_view tail = utf8::trim(std::string_view(text).substr(found->end));
        if (!tail.empty() && ends_open(rest)) {
            rest += tail;
        }
        return rest;
    }

    void read_segments(const Line& line, const std::vector<Segment>& segments,
                       const std::string& source) {
        for (const Segment& segment : segments) {
            switch (segment.kind) {
                case LabelKind::listed:
                case LabelKind::lead:
                case LabelKind::co: {
                    const std::size_t before = entries_.size();
                    add_units(line, segment, source);
                    if (entries_.size() == before) {
                        warnings_.add(line.where + ": " + owner_name() +
                                      " has a responsibility line that names no department");
                    }
                    last_segment_ = segment;
                    last_segment_start_ = before;
                    last_source_ = source;
                    break;
                }
                case LabelKind::deadline:
                    read_deadline_of(line.where, segment.content);
                    break;
                case LabelKind::progress:
                    task_->progress = std::string(utf8::trim(segment.content));
                    break;
                case LabelKind::leader:
                    break;
            }
        }
    }

    void add_units(const Line& line, const Segment& segment, const std::string& source) {
        for (NamedUnit& unit :
             read_unit_list(segment.content, line.runs.empty() ? nullptr : &line.runs)) {
            std::optional<Role> role = unit.role;
            if (segment.kind == LabelKind::lead) {
                role = Role::lead;
            } else if (segment.kind == LabelKind::co && role != Role::lead) {
                role = Role::co;
            }
            entries_.push_back({std::move(unit.name), role, unit.bold, source, segment.kind});
        }
    }

    void read_deadline_of(const std::string& where, const std::string& text) {
        const std::string_view trimmed = utf8::trim(text);
        if (trimmed.empty()) {
            return;
        }
        DeadlineReading reading = read_deadline(trimmed, plan_.year);
        if (!reading.warning.empty()) {
            if (!plan_.year && reading.deadline.due.empty()) {
                if (!year_warned_) {
                    warnings_.add(where + ": " + reading.warning +
                                  " (the plan's year is not in its title or a date line; "
                                  "deadlines without a year are left without a date)");
                    year_warned_ = true;
                }
            } else {
                warnings_.add(where + ": " + owner_name() + ": " + reading.warning);
            }
        }
        task_->deadline = std::move(reading.deadline);
    }

    void read_labels(const Line& line) {
        if (task_ == nullptr) {
            throw PlanError(line.where +
                            ": a responsibility line comes before any task of its section");
        }
        bool units = false;
        bool leader = false;
        for (const Segment& segment : line.segments) {
            units = units || names_units(segment.kind);
            leader = leader || segment.kind == LabelKind::leader;
        }
        if (units) {
            ++plan_.responsibility_lines;
        }
        read_segments(line, line.segments, line.text);
        if (leader) {
            // The leader in charge is a person, never a department: kept in the text.
            append_paragraph(item_ != nullptr ? item_->text : task_->text, line.text);
        }
        if (units) {
            after_responsibility_ = true;
            list_open_ = names_units(line.segments.back().kind);
        }
    }

    // A text line right after a responsibility list that the line could
    // continue (a hard wrap, "…、技术" / "科"): the list read again with it.
    bool continues_list(const Line& line) {
        if (!after_responsibility_ || !list_open_ || line.text.find("。") != std::string::npos) {
            return false;
        }
        const std::string content = last_segment_.content + line.text;
        if (!looks_like_unit_list(content)) {
            return false;
        }
        entries_.resize(last_segment_start_);
        last_segment_.content = content;
        last_source_ += line.text;
        add_units(line, last_segment_, last_source_);
        return true;
    }

    void read_text(const Line& line) {
        if (task_ == nullptr) {
            // A section's introduction: there is no place for it in the ledger.
            const std::string place = plan_.sections.empty()
                                          ? std::string("the plan's start")
                                          : "section " + plan_.sections.back().number;
            warnings_.add(line.where + ": '" + utf8::printable(line.text, 30) +
                          "' stands between " + place +
                          " and its first task; it is not part of any task and is not kept");
            return;
        }
        if (line.number_too_long) {
            warnings_.add(line.where + ": '" + utf8::printable(line.text, 30) +
                          "' is numbered like a task, but task numbers have at most " +
                          std::to_string(kMaxNumberDigits) + " digits; it is kept as text of " +
                          owner_name());
        }
        if (continues_list(line)) {
            return;
        }
        if (after_responsibility_) {
            warnings_.add(line.where + ": text after the responsibility line of " + owner_name() +
                          " is kept as part of its text");
        }
        std::string& text = item_ != nullptr ? item_->text : task_->text;
        // A numbered measure under a task is a paragraph of its own, never
        // the rest of a hard-wrapped one.
        const bool numbered = line.kind == LineKind::task || line.kind == LineKind::yishi;
        if (!after_responsibility_ && !numbered && !text.empty() && ends_open(text)) {
            // A hard-wrapped paragraph goes on; its units are read from the
            // whole of it, since the wrap may fall just before their bracket
            // ("…集约办理" / "（执行局负责）。").
            text = take_inline_units(line, text + line.text);
        } else {
            append_paragraph(text, take_inline_units(line, line.text));
        }
        if (item_ == nullptr) {
            task_->title = title_of(task_->text);
        }
    }

    void read_table(const Table& table) {
        flush_pending();
        close_target();
        task_ = nullptr;
        item_ = nullptr;
        notes_line_ = 0;
        TableContext context{options_, plan_.year, tasks_and_items_, plan_.warnings};
        read_division(table, plan_, context);
        warnings_.settle();
    }

    // Settles the roles of the task or item being read, and the task's
    // deadline when no label or bracket gave one: "……，2022年6月底前完成。" in
    // the task's own words is its deadline (the words stay its text). A
    // 完成时限 line read later still wins.
    void close_target() {
        if (task_ == nullptr) {
            return;
        }
        if (!task_->deadline) {
            if (const auto phrase = find_deadline_phrase(task_->text)) {
                read_deadline_of(task_->where, *phrase);
            }
        }
        auto& refs = item_ != nullptr ? item_->departments : task_->departments;
        const std::string owner = owner_name();
        refs = decide_roles(entries_, lead_rule_);
        entries_.clear();
        after_responsibility_ = false;
        list_open_ = false;
        const std::string key =
            item_ != nullptr ? task_->number + "(" + item_->number + ")" : task_->number;
        const auto override_it = options_.lead_overrides.find(key);
        if (override_it != options_.lead_overrides.end()) {
            apply_override(refs, override_it->second, owner, warnings_);
        }
        bool has_lead = false;
        for (const auto& ref : refs) {
            has_lead = has_lead || ref.role == Role::lead;
        }
        if (!refs.empty() && !has_lead) {
            warnings_.add(owner + " has no lead department");
        }
    }

    static bool all_digits(const std::string& s) {
        if (s.empty()) {
            return false;
        }
        for (char c : s) {
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    // Numbers as written when every task has a number of its own; otherwise
    // every task "S.N" (Task::number).
    void renumber_or_check() {
        std::set<std::string> seen;
        bool renumber = false;
        for (const auto& section : plan_.sections) {
            for (const auto& task : section.tasks) {
                renumber = renumber || !all_digits(task.number) || !seen.insert(task.number).second;
            }
        }
        if (renumber) {
            int s = 0;
            for (auto& section : plan_.sections) {
                ++s;
                int t = 0;
                for (auto& task : section.tasks) {
                    task.number = std::to_string(s) + "." + std::to_string(++t);
                }
            }
            return;
        }
        int expected = 1;
        for (const auto& section : plan_.sections) {
            for (const auto& task : section.tasks) {
                const int number = std::stoi(task.number);
                if (number != expected) {
                    warnings_.add("task " + task.number + " (" + task.where + ") follows task " +
                                  std::to_string(expected - 1) +
                                  ": the numbering has a gap or goes back");
                }
                expected = number + 1;
            }
        }
    }

    // After the whole plan is read: a task (without items) or an item that
    // names no department is assigned to nobody until the office assigns it.
    void check_assigned() {
        for (const auto& section : plan_.sections) {
            for (const auto& task : section.tasks) {
                if (task.departments.empty() && task.items.empty()) {
                    warnings_.add("task " + task.number + " (" + task.where +
                                  ") has no responsibility line; it is assigned to "
                                  "nobody");
                }
                for (const auto& item : task.items) {
                    if (item.departments.empty()) {
                        warnings_.add("task " + task.number + " item (" + item.number + ") (" +
                                      item.where +
                                      ") has no responsibility line; it is assigned to nobody");
                    }
                }
            }
        }
    }

    // Closing lines held while undecided: an issuing body is a line or two.
    static constexpr std::size_t kMaxPending = 3;

    DocumentSource& source_;
    const ParseOptions& options_;
    Plan plan_;
    Warnings warnings_;
    LeadRule lead_rule_;
    Level task_level_ = kDigit;
    int body_ = 0;
    int notes_line_ = 0;  // where the closing note starts, while it lasts
    std::string notes_where_;
    bool closing_ = false;
    std::vector<Line> pending_;
    int last_section_value_ = 0;
    std::string last_section_label_;
    std::optional<Group> group_;
    std::set<std::string> item_numbers_;  // of the task being read
    std::size_t tasks_and_items_ = 0;
    Task* task_ = nullptr;
    Item* item_ = nullptr;
    std::vector<RawEntry> entries_;
    bool after_responsibility_ = false;
    bool items_are_tasks_ = false;  // the current task was numbered （1）: so are the next
    bool list_open_ = false;        // the last responsibility line ended in a unit list
    Segment last_segment_{LabelKind::listed, {}};
    std::size_t last_segment_start_ = 0;
    std::string last_source_;
    bool year_warned_ = false;
    std::vector<Line> preamble_tasks_;  // numbered like tasks, before the body
    bool first_task_read_ = false;
};

}  // namespace

Plan parse_plan(DocumentSource& source, const ParseOptions& options) {
    return Parser(source, options).run();
}

Plan parse_plan(std::string_view text, const ParseOptions& options) {
    if (utf8::trim(text).empty()) {
        throw PlanError("the plan is empty");
    }
    TextSource source(text);
    return parse_plan(source, options);
}

}  // namespace rl::core
