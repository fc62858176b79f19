#include "core/unit_list.h"

#include <cstddef>

#include "core/utf8.h"

namespace rl::core {

namespace {

// A stretch [begin, end) of the list, so that bold can be looked up in the
// runs by position after qualifiers are cut off either end.
struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;
};

bool starts_with(std::string_view s, std::string_view head) {
    return s.size() >= head.size() && s.compare(0, head.size(), head) == 0;
}

bool ends_with(std::string_view s, std::string_view tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

void trim_span(std::string_view list, Span& span) {
    const std::string_view text = list.substr(span.begin, span.end - span.begin);
    const std::string_view trimmed = utf8::trim(text);
    span.begin += static_cast<std::size_t>(trimmed.data() - text.data());
    span.end = span.begin + trimmed.size();
}

// Splits at 、 ， ； , ; and spaces outside brackets: "立案庭（诉讼服务中心）"
// stays one name.
std::vector<Span> split_at_separators(std::string_view list) {
    std::vector<Span> parts;
    int depth = 0;
    std::size_t start = 0;
    std::size_t pos = 0;
    while (pos < list.size()) {
        const std::size_t begin = pos;
        const char32_t c = utf8::next(list, pos);
        const char32_t f = utf8::fold_width(c);
        if (f == '(' || c == U'〔' || c == U'【' || f == '[') {
            ++depth;
        } else if ((f == ')' || c == U'〕' || c == U'】' || f == ']') && depth > 0) {
            --depth;
        }
        if (depth == 0 && (c == U'、' || f == ',' || f == ';' || utf8::is_space(c))) {
            parts.push_back({start, begin});
            start = pos;
        }
    }
    parts.push_back({start, list.size()});
    return parts;
}

// What a qualifier says about the names it is written with.
enum class Marks { nothing, lead, co };

struct Qualifier {
    const char* text;
    Marks marks;
};

// Words written after names: longest first, so that 牵头负责 is not read as
// 负责 and the rest left as a name.
constexpr Qualifier kSuffixes[] = {
    {"等有关部门和单位", Marks::nothing},
    {"等相关部门和单位", Marks::nothing},
    {"按职责分工负责", Marks::nothing},
    {"按照职责分工负责", Marks::nothing},
    {"按照职责分工", Marks::nothing},
    {"按职责分工", Marks::nothing},
    {"等有关部门", Marks::nothing},
    {"等相关部门", Marks::nothing},
    {"等有关单位", Marks::nothing},
    {"等相关单位", Marks::nothing},
    {"分别负责", Marks::nothing},
    {"各自负责", Marks::nothing},
    {"共同负责", Marks::nothing},
    {"牵头负责", Marks::lead},
    {"配合负责", Marks::co},
    {"（牵头）", Marks::lead},
    {"(牵头)", Marks::lead},
    {"（配合）", Marks::co},
    {"(配合)", Marks::co},
    {"等部门", Marks::nothing},
    {"等单位", Marks::nothing},
    {"负责", Marks::nothing},
    {"牵头", Marks::lead},
    {"配合", Marks::co},
    {"协助", Marks::co},
    {"分别", Marks::nothing},
    {"各自", Marks::nothing},
    {"共同", Marks::nothing},
    {"。", Marks::nothing},
    {".", Marks::nothing},
    {"等", Marks::nothing},
};

// Words written before names.
constexpr Qualifier kPrefixes[] = {
    {"会同", Marks::co},      {"配合", Marks::co},      {"由", Marks::nothing},
    {"各自", Marks::nothing}, {"共同", Marks::nothing},
};

// One name read from a part of the list, before roles are settled.
struct Reading {
    Span span;
    std::optional<Role> role;
    bool qualified = false;  // a qualifier was cut off (it closes a run of names)
};

Marks strip_suffixes(std::string_view list, Span& span, bool& qualified) {
    Marks marks = Marks::nothing;
    for (bool again = true; again && span.end > span.begin;) {
        again = false;
        const std::string_view text = list.substr(span.begin, span.end - span.begin);
        for (const Qualifier& q : kSuffixes) {
            const std::string_view word = q.text;
            // "等" alone is a name's own character in too many names to cut it
            // off anything but a list's end ("A、B等").
            if (ends_with(text, word) && text.size() > word.size()) {
                span.end -= word.size();
                trim_span(list, span);
                if (marks == Marks::nothing) {
                    marks = q.marks;
                }
                qualified = qualified || (word != "。" && word != ".");
                again = true;
                break;
            }
            if (text == word && word != "等") {
                span.end = span.begin;
                if (marks == Marks::nothing) {
                    marks = q.marks;
                }
                qualified = true;
                break;
            }
        }
    }
    return marks;
}

Marks strip_prefixes(std::string_view list, Span& span) {
    Marks marks = Marks::nothing;
    for (bool again = true; again && span.end > span.begin;) {
        again = false;
        const std::string_view text = list.substr(span.begin, span.end - span.begin);
        for (const Qualifier& q : kPrefixes) {
            const std::string_view word = q.text;
            if (starts_with(text, word) && text.size() > word.size()) {
                span.begin += word.size();
                trim_span(list, span);
                if (marks == Marks::nothing) {
                    marks = q.marks;
                }
                again = true;
                break;
            }
        }
    }
    return marks;
}

std::optional<Role> role_of(Marks marks) {
    switch (marks) {
        case Marks::lead:
            return Role::lead;
        case Marks::co:
            return Role::co;
        case Marks::nothing:
            break;
    }
    return std::nullopt;
}

// The whole list read into names with what the qualifiers say of them:
//   A牵头，B、C配合       → A lead; B, C co (配合 closes the run B, C)
//   A会同B、C负责         → A lead; B, C co
//   A、B按职责分工负责    → A, B (the lead rule decides)
//   刑庭 （牵头）         → 刑庭 lead (the marker stood apart from its name)
std::vector<Reading> read_names(std::string_view list) {
    std::vector<Reading> readings;
    std::size_t run_start = 0;    // first reading not yet closed by a qualifier
    bool after_together = false;  // names after 会同 co-operate until a role is written
    const auto close_run = [&](std::optional<Role> role, std::size_t upto) {
        for (std::size_t i = run_start; i < upto; ++i) {
            if (!readings[i].role && role) {
                readings[i].role = role;
            }
        }
        run_start = upto;
    };
    for (Span part : split_at_separators(list)) {
        trim_span(list, part);
        if (part.begin == part.end) {
            continue;
        }
        // "A会同B": A leads, B co-operates.
        const std::string_view text = list.substr(part.begin, part.end - part.begin);
        const std::size_t together = text.find("会同");
        if (together != std::string_view::npos && together > 0) {
            Span before{part.begin, part.begin + together};
            trim_span(list, before);
            bool qualified = false;
            strip_suffixes(list, before, qualified);
            if (before.end > before.begin) {
                readings.push_back({before, Role::lead, true});
                close_run(std::nullopt, readings.size());
            }
            part.begin += together;
        }
        bool qualified = false;
        const Marks before_marks = strip_prefixes(list, part);
        if (before_marks == Marks::co) {
            after_together = true;  // 会同B、C / 配合B、C: the names that follow co-operate
        }
        const std::size_t end_before_strip = part.end;
        const Marks after_marks = strip_suffixes(list, part, qualified);
        std::optional<Role> role = role_of(after_marks);
        if (!role) {
            role = role_of(before_marks);
        }
        if (!role && after_together) {
            role = Role::co;
        }
        if (part.begin == part.end) {
            // Only a qualifier: "刑庭 （牵头）" marks the name before it; "A、B 负责"
            // closes the run.
            if (role && !readings.empty() && !readings.back().role) {
                readings.back().role = role;
            }
            close_run(std::nullopt, readings.size());
            after_together = false;
            continue;
        }
        readings.push_back({part, role, qualified});
        if (qualified) {
            // A word speaks for the names written with it since the last
            // one ("B、C配合" makes both co-operate) and ends the clause; a
            // bracketed marker "民庭（牵头）" speaks for its own name only.
            const std::string_view written = list.substr(part.end, end_before_strip - part.end);
            const bool bracketed = written.find("(") != std::string_view::npos ||
                                   written.find("（") != std::string_view::npos;
            close_run(bracketed ? std::nullopt : role_of(after_marks), readings.size());
            after_together = false;
        }
    }
    return readings;
}

// Bold per byte of list, from the runs it was taken from; empty when the runs
// do not hold list.
std::vector<bool> bold_bytes(std::string_view list, const std::vector<Run>& runs) {
    std::string whole;
    for (const Run& run : runs) {
        whole += run.text;
    }
    const std::size_t at = whole.find(list);
    if (at == std::string::npos) {
        return {};
    }
    std::vector<bool> bold;
    bold.reserve(whole.size());
    for (const Run& run : runs) {
        bold.insert(bold.end(), run.text.size(), run.bold);
    }
    return std::vector<bool>(bold.begin() + static_cast<std::ptrdiff_t>(at),
                             bold.begin() + static_cast<std::ptrdiff_t>(at + list.size()));
}

bool all_bold(std::string_view list, const Span& span, const std::vector<bool>& bold) {
    if (bold.empty() || span.begin == span.end) {
        return false;
    }
    std::size_t pos = span.begin;
    while (pos < span.end) {
        const std::size_t begin = pos;
        const char32_t c = utf8::next(list, pos);
        if (utf8::is_space(c)) {
            continue;
        }
        for (std::size_t i = begin; i < pos; ++i) {
            if (!bold[i]) {
                return false;
            }
        }
    }
    return true;
}

// Endings of the names courts give their departments and the bodies they
// work with; a bracketed remark rarely ends so.
constexpr std::string_view kUnitEndings[] = {
    "庭", "科", "室", "局", "办", "处",   "院",   "部",   "部门", "中心", "组", "队",
    "委", "会", "所", "厅", "站", "单位", "机关", "法院", "支部", "团",   "馆",
};

// Words that make a bracket a remark or a sentence, whatever it ends with.
constexpr std::string_view kRemarkWords[] = {
    "简称", "以下", "包括", "例如", "其中", "是指", "试行", "暂行", "附件",
};

// Words that open a remark: "（含人民法庭）", "（即…）", "（见附件）".
constexpr std::string_view kRemarkOpenings[] = {
    "含", "不含", "即", "如", "见", "详见", "指", "由于", "因", "注",
};

bool has_sentence_mark(std::string_view name) {
    std::size_t pos = 0;
    while (pos < name.size()) {
        const char32_t c = utf8::next(name, pos);
        const char32_t f = utf8::fold_width(c);
        if (c == U'。' || f == '!' || f == '?' || f == ':' || c == U'“' || c == U'”' || f == '"' ||
            c == U'《' || c == U'》' || (f >= '0' && f <= '9')) {
            return true;
        }
    }
    return false;
}

// A department's name: a few characters, not a phrase.
constexpr std::size_t kMaxUnitChars = 20;

}  // namespace

std::vector<NamedUnit> read_unit_list(std::string_view list, const std::vector<Run>* runs) {
    const std::vector<bool> bold = runs != nullptr ? bold_bytes(list, *runs) : std::vector<bool>{};
    std::vector<NamedUnit> units;
    for (const Reading& reading : read_names(list)) {
        NamedUnit unit;
        unit.name =
            std::string(list.substr(reading.span.begin, reading.span.end - reading.span.begin));
        unit.role = reading.role;
        unit.bold = all_bold(list, reading.span, bold);
        units.push_back(std::move(unit));
    }
    return units;
}

bool looks_like_unit_list(std::string_view text) {
    const std::string_view trimmed = utf8::trim(text);
    if (trimmed.empty()) {
        return false;
    }
    for (std::string_view word : kRemarkWords) {
        if (trimmed.find(word) != std::string_view::npos) {
            return false;
        }
    }
    for (std::string_view word : kRemarkOpenings) {
        if (starts_with(trimmed, word)) {
            return false;
        }
    }
    const std::vector<Reading> readings = read_names(trimmed);
    if (readings.empty()) {
        return false;
    }
    bool qualified = false;
    bool unit_ending = false;
    for (const Reading& reading : readings) {
        const std::string_view name =
            trimmed.substr(reading.span.begin, reading.span.end - reading.span.begin);
        if (utf8::length(name) > kMaxUnitChars || has_sentence_mark(name)) {
            return false;
        }
        qualified = qualified || reading.qualified || reading.role.has_value();
        for (std::string_view ending : kUnitEndings) {
            unit_ending = unit_ending || ends_with(name, ending);
        }
    }
    return qualified || unit_ending;
}

}  // namespace rl::core
