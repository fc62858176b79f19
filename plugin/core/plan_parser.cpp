#include "core/plan_parser.h"

#include <optional>
#include <vector>

#include "core/org_chart.h"
#include "core/utf8.h"

namespace rl::core {

namespace {

// ------------------------------------------------------------ line reading

enum class LineKind { blank, section, task, item, responsibility, note, text };

enum class LabelKind { listed, lead, co };

struct Label {
    const char* text;
    LabelKind kind;
};

// Longest first, so 牵头责任部门 is not read as 责任部门.
constexpr Label kLabels[] = {
    {"牵头责任部门", LabelKind::lead}, {"牵头责任单位", LabelKind::lead},
    {"责任部门", LabelKind::listed},   {"责任单位", LabelKind::listed},
    {"牵头部门", LabelKind::lead},     {"牵头单位", LabelKind::lead},
    {"配合部门", LabelKind::co},       {"配合单位", LabelKind::co},
    {"参加部门", LabelKind::co},       {"参加单位", LabelKind::co},
    {"协办部门", LabelKind::co},       {"协办单位", LabelKind::co},
};

struct Segment {
    LabelKind kind;
    std::string content;
};

struct Line {
    int number = 0;
    std::string text;  // trimmed, artefacts removed
    LineKind kind = LineKind::text;
    std::string label;  // section/task/item number
    std::string rest;   // what follows the number
    std::vector<Segment> segments;
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

bool is_digit(char32_t c) {
    c = utf8::fold_width(c);
    return c >= '0' && c <= '9';
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

// 一、推进司法责任制 → ("一", "推进司法责任制")
bool match_section(Line& line) {
    const std::string_view s = line.text;
    std::size_t pos = 0;
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
    if (number.empty() || number.size() > 5 || pos >= s.size()) {  // up to 99,999 tasks
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

bool match_responsibility(Line& line) {
    const std::string_view s = line.text;
    auto found = find_label(s, 0);
    if (!found || found->first != 0) {
        return false;
    }
    while (found) {
        std::size_t content_start = found->first + std::string_view(found->second->text).size();
        utf8::next(s, content_start);  // the colon
        const auto next = find_label(s, content_start);
        const std::size_t end = next ? next->first : s.size();
        line.segments.push_back(
            {found->second->kind, std::string(s.substr(content_start, end - content_start))});
        found = next;
    }
    return true;
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

Line classify(int number, std::string_view raw) {
    Line line;
    line.number = number;
    line.text = strip_artifacts(raw);
    if (line.text.empty()) {
        line.kind = LineKind::blank;
    } else if (match_responsibility(line)) {
        line.kind = LineKind::responsibility;
    } else if (match_note(line)) {
        line.kind = LineKind::note;
    } else if (match_section(line)) {
        line.kind = LineKind::section;
    } else if (match_number(line, false)) {
        line.kind = LineKind::task;
    } else if (match_number(line, true)) {
        line.kind = LineKind::item;
    }
    return line;
}

std::vector<Line> read_lines(std::string_view text) {
    std::vector<Line> lines;
    int number = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        lines.push_back(classify(++number, text.substr(start, end - start)));
        start = end + 1;
    }
    return lines;
}

// ------------------------------------------------------ department lists

struct RawEntry {
    std::string name;
    std::optional<Role> role;  // empty: "listed", decided by the lead rule
};

// Splits "A、B；C（综合审判庭）" at separators outside parentheses.
std::vector<std::string> split_names(std::string_view list) {
    std::vector<std::string> names;
    std::string current;
    int depth = 0;
    std::size_t pos = 0;
    const auto flush = [&] {
        names.emplace_back(utf8::trim(current));
        current.clear();
    };
    while (pos < list.size()) {
        const std::size_t begin = pos;
        const char32_t c = utf8::next(list, pos);
        const char32_t f = utf8::fold_width(c);
        if (f == '(') {
            ++depth;
        } else if (f == ')' && depth > 0) {
            --depth;
        }
        const bool separator =
            depth == 0 && (c == U'、' || f == ',' || f == ';' || utf8::is_space(c));
        if (separator) {
            flush();
        } else {
            current.append(list.substr(begin, pos - begin));
        }
    }
    flush();
    return names;
}

bool ends_with(const std::string& s, std::string_view tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

void strip_suffix(std::string& s, std::string_view tail) {
    s.erase(s.size() - tail.size());
    s = std::string(utf8::trim(s));
}

void add_entries(const Line& line, std::vector<RawEntry>& entries,
                 std::vector<std::string>& warnings, const std::string& owner) {
    for (const Segment& segment : line.segments) {
        const auto names = split_names(segment.content);
        bool any = false;
        for (std::string name : names) {
            while (!name.empty() && (ends_with(name, "。") || ends_with(name, "."))) {
                strip_suffix(name, ends_with(name, "。") ? "。" : ".");
            }
            if (name.empty()) {
                continue;
            }
            std::optional<Role> role;
            if (segment.kind == LabelKind::lead) {
                role = Role::lead;
            } else if (segment.kind == LabelKind::co) {
                role = Role::co;
            }
            for (std::string_view marker : {"（牵头）", "(牵头)"}) {
                if (ends_with(name, marker)) {
                    strip_suffix(name, marker);
                    role = Role::lead;
                }
            }
            if (name.empty()) {
                // "刑庭 （牵头）": the marker stood apart from the name it marks.
                if (!entries.empty()) {
                    entries.back().role = Role::lead;
                }
                continue;
            }
            entries.push_back({name, role});
            any = true;
        }
        if (!any) {
            warnings.push_back("line " + std::to_string(line.number) + ": " + owner +
                               " has a responsibility line that names no department");
        }
    }
}

std::vector<DepartmentRef> decide_roles(const std::vector<RawEntry>& entries, LeadRule rule) {
    bool has_lead = false;
    for (const auto& entry : entries) {
        has_lead = has_lead || entry.role == Role::lead;
    }
    std::vector<DepartmentRef> refs;
    for (const auto& entry : entries) {
        Role role = entry.role.value_or(Role::co);
        if (!entry.role && !has_lead && rule == LeadRule::first_listed) {
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
            refs.push_back({entry.name, role});
        }
    }
    return refs;
}

void apply_override(std::vector<DepartmentRef>& refs, const std::string& lead,
                    const std::string& owner, std::vector<std::string>& warnings) {
    const std::string key = OrgChart::match_key(lead);
    bool found = false;
    for (const auto& ref : refs) {
        found = found || OrgChart::match_key(ref.name) == key;
    }
    if (!found) {
        warnings.push_back("the configured lead '" + lead + "' for " + owner +
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

// ------------------------------------------------------------ the parser

class Parser {
public:
    Parser(std::string_view text, const ParseOptions& options)
        : lines_(read_lines(text)), options_(options) {}

    Plan run() {
        const std::size_t body = body_start();
        read_preamble(body);
        for (std::size_t i = body; i < lines_.size(); ++i) {
            const Line& line = lines_[i];
            switch (line.kind) {
                case LineKind::blank:
                    break;
                case LineKind::note:
                    read_notes(i);
                    i = lines_.size();
                    break;
                case LineKind::section:
                    close_target();
                    plan_.sections.push_back({line.label, trim_stop(line.rest), {}});
                    task_ = nullptr;
                    item_ = nullptr;
                    break;
                case LineKind::task:
                    start_task(line);
                    break;
                case LineKind::item:
                    start_item(line);
                    break;
                case LineKind::responsibility:
                    read_responsibility(line);
                    break;
                case LineKind::text:
                    read_text(line);
                    break;
            }
        }
        close_target();
        check_assigned();
        check_numbering();
        return std::move(plan_);
    }

private:
    // The division-of-labour part starts at the section heading above the
    // first task that has a responsibility line; all before it is preamble.
    std::size_t body_start() const {
        std::size_t first_responsibility = lines_.size();
        for (std::size_t i = 0; i < lines_.size(); ++i) {
            if (lines_[i].kind == LineKind::responsibility) {
                first_responsibility = i;
                break;
            }
        }
        if (first_responsibility == lines_.size()) {
            throw PlanError(
                "no tasks found: expected numbered tasks such as '1.加强审判团队建设。…', each "
                "followed by a line such as '责任部门：干部科'");
        }
        std::optional<std::size_t> task;
        for (std::size_t i = first_responsibility; i-- > 0;) {
            if (lines_[i].kind == LineKind::task && !task) {
                task = i;
            }
            if (lines_[i].kind == LineKind::section && task) {
                return i;
            }
        }
        if (!task) {
            throw PlanError("line " + std::to_string(lines_[first_responsibility].number) +
                            ": a responsibility line comes before any numbered task");
        }
        return *task;
    }

    void read_preamble(std::size_t body) {
        for (std::size_t i = 0; i < body; ++i) {
            if (lines_[i].kind == LineKind::blank) {
                continue;
            }
            if (plan_.title.empty()) {
                plan_.title = lines_[i].text;
            } else {
                append_paragraph(plan_.preamble, lines_[i].text);
            }
        }
        if (plan_.title.empty() && body < lines_.size()) {
            plan_.title = lines_[body].text;
        }
    }

    void read_notes(std::size_t from) {
        for (std::size_t i = from; i < lines_.size(); ++i) {
            if (lines_[i].kind != LineKind::blank) {
                append_paragraph(plan_.notes, lines_[i].text);
            }
        }
    }

    static std::string trim_stop(const std::string& text) {
        std::string out = text;
        while (ends_with(out, "。")) {
            strip_suffix(out, "。");
        }
        return out;
    }

    std::string owner_name() const {
        if (item_ != nullptr) {
            return "task " + task_->number + " item (" + item_->number + ")";
        }
        return "task " + task_->number;
    }

    void start_task(const Line& line) {
        close_target();
        if (plan_.sections.empty()) {
            plan_.sections.push_back({"", "", {}});
        }
        if (plan_.find_task(line.label) != nullptr) {
            throw PlanError("line " + std::to_string(line.number) + ": task " + line.label +
                            " appears twice; task numbers must be unique");
        }
        auto& tasks = plan_.sections.back().tasks;
        tasks.push_back({});
        task_ = &tasks.back();
        task_->number = line.label;
        task_->text = line.rest;
        task_->title = title_of(line.rest);
        task_->line = line.number;
        item_ = nullptr;
        after_responsibility_ = false;
    }

    void start_item(const Line& line) {
        if (task_ == nullptr) {
            throw PlanError("line " + std::to_string(line.number) + ": item （" + line.label +
                            "） is outside any task");
        }
        close_target();
        for (const auto& item : task_->items) {
            if (item.number == line.label) {
                throw PlanError("line " + std::to_string(line.number) + ": task " + task_->number +
                                " has item （" + line.label + "） twice");
            }
        }
        task_->items.push_back({line.label, line.rest, {}, line.number});
        item_ = &task_->items.back();
        after_responsibility_ = false;
    }

    void read_responsibility(const Line& line) {
        if (task_ == nullptr) {
            throw PlanError("line " + std::to_string(line.number) +
                            ": a responsibility line comes before any task of its section");
        }
        ++plan_.responsibility_lines;
        add_entries(line, entries_, plan_.warnings, owner_name());
        after_responsibility_ = true;
        list_continues_ = false;
        if (!line.segments.empty()) {
            continued_kind_ = line.segments.back().kind;
            list_continues_ = ends_with_separator(line.segments.back().content);
        }
    }

    static bool ends_with_separator(std::string_view text) {
        const std::string last(utf8::trim(text));
        for (std::string_view sep : {"、", "，", "；", ",", ";"}) {
            if (ends_with(last, sep)) {
                return true;
            }
        }
        return false;
    }

    void read_text(const Line& line) {
        if (task_ == nullptr) {
            return;  // a section's introduction: narrative, not part of any task
        }
        if (after_responsibility_ && list_continues_) {
            // A department list wrapped onto the next line.
            Line continued = line;
            continued.segments = {{continued_kind_, line.text}};
            add_entries(continued, entries_, plan_.warnings, owner_name());
            list_continues_ = ends_with_separator(line.text);
            return;
        }
        if (after_responsibility_) {
            plan_.warnings.push_back("line " + std::to_string(line.number) +
                                     ": text after the responsibility line of " + owner_name() +
                                     " is kept as part of its text");
        }
        append_paragraph(item_ != nullptr ? item_->text : task_->text, line.text);
    }

    // Settles the roles of the task or item being read.
    void close_target() {
        if (task_ == nullptr) {
            return;
        }
        auto& refs = item_ != nullptr ? item_->departments : task_->departments;
        const std::string owner = owner_name();
        refs = decide_roles(entries_, options_.lead_rule);
        entries_.clear();
        const std::string key =
            item_ != nullptr ? task_->number + "(" + item_->number + ")" : task_->number;
        const auto override_it = options_.lead_overrides.find(key);
        if (override_it != options_.lead_overrides.end()) {
            apply_override(refs, override_it->second, owner, plan_.warnings);
        }
        bool has_lead = false;
        for (const auto& ref : refs) {
            has_lead = has_lead || ref.role == Role::lead;
        }
        if (!refs.empty() && !has_lead) {
            plan_.warnings.push_back(owner + " has no lead department");
        }
    }

    // After the whole plan is read: a task (without items) or an item that
    // names no department would silently fall out of the ledger.
    void check_assigned() {
        for (const auto& section : plan_.sections) {
            for (const auto& task : section.tasks) {
                if (task.departments.empty() && task.items.empty()) {
                    plan_.warnings.push_back("task " + task.number + " (line " +
                                             std::to_string(task.line) +
                                             ") has no responsibility line; it is assigned to "
                                             "nobody");
                }
                for (const auto& item : task.items) {
                    if (item.departments.empty()) {
                        plan_.warnings.push_back(
                            "task " + task.number + " item (" + item.number + ") (line " +
                            std::to_string(item.line) +
                            ") has no responsibility line; it is assigned to nobody");
                    }
                }
            }
        }
    }

    void check_numbering() {
        int expected = 1;
        for (const auto& section : plan_.sections) {
            for (const auto& task : section.tasks) {
                const int number = std::stoi(task.number);
                if (number != expected) {
                    plan_.warnings.push_back("task " + task.number + " (line " +
                                             std::to_string(task.line) + ") follows task " +
                                             std::to_string(expected - 1) +
                                             ": the numbering has a gap or goes back");
                }
                expected = number + 1;
            }
        }
    }

    std::vector<Line> lines_;
    const ParseOptions& options_;
    Plan plan_;
    Task* task_ = nullptr;
    Item* item_ = nullptr;
    std::vector<RawEntry> entries_;
    bool after_responsibility_ = false;
    bool list_continues_ = false;
    LabelKind continued_kind_ = LabelKind::listed;
};

}  // namespace

Plan parse_plan(std::string_view text, const ParseOptions& options) {
    if (utf8::trim(text).empty()) {
        throw PlanError("the plan is empty");
    }
    return Parser(text, options).run();
}

}  // namespace rl::core
