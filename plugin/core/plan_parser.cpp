#include "core/plan_parser.h"

#include <optional>
#include <set>
#include <vector>

#include "core/org_chart.h"
#include "core/unit_list.h"
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
    void finish() {
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

// The document's lines one at a time, classified: the parser never holds
// more than the line it reads (a file of millions of empty lines stays small).
class LineReader {
public:
    explicit LineReader(std::string_view text) : text_(text) {}

    bool next(Line& line) {
        if (start_ > text_.size()) {
            return false;
        }
        std::size_t end = text_.find('\n', start_);
        if (end == std::string_view::npos) {
            end = text_.size();
        }
        line = classify(++number_, text_.substr(start_, end - start_));
        start_ = end + 1;
        return true;
    }

private:
    std::string_view text_;
    std::size_t start_ = 0;
    int number_ = 0;
};

// ------------------------------------------------------ department lists

struct RawEntry {
    std::string name;
    std::optional<Role> role;  // empty: "listed", decided by the lead rule
};

bool ends_with(const std::string& s, std::string_view tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

void strip_suffix(std::string& s, std::string_view tail) {
    s.erase(s.size() - tail.size());
    s = std::string(utf8::trim(s));
}

void add_entries(const Line& line, std::vector<RawEntry>& entries, Warnings& warnings,
                 const std::string& owner) {
    for (const Segment& segment : line.segments) {
        bool any = false;
        for (NamedUnit& unit : read_unit_list(segment.content)) {
            std::optional<Role> role = unit.role;
            if (segment.kind == LabelKind::lead) {
                role = Role::lead;
            } else if (segment.kind == LabelKind::co && role != Role::lead) {
                role = Role::co;
            }
            entries.push_back({std::move(unit.name), role});
            any = true;
        }
        if (!any) {
            warnings.add("line " + std::to_string(line.number) + ": " + owner +
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
            refs.push_back({entry.name, role, {}});
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

// ------------------------------------------------------------ the parser

class Parser {
public:
    Parser(std::string_view text, const ParseOptions& options)
        : text_(text), options_(options), warnings_(plan_.warnings) {}

    Plan run() {
        const int body = body_start();
        LineReader reader(text_);
        Line line;
        while (reader.next(line)) {
            if (line.number < body) {
                read_preamble(line);
                continue;
            }
            if (line.number == body && plan_.title.empty()) {
                plan_.title = line.text;
            }
            if (notes_line_ != 0) {
                read_note(line);
                continue;
            }
            switch (line.kind) {
                case LineKind::blank:
                    break;
                case LineKind::note:
                    notes_line_ = line.number;
                    read_note(line);
                    break;
                case LineKind::section:
                    close_target();
                    plan_.sections.push_back({line.label, trim_stop(line.rest), {}, 1});
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
        warnings_.finish();
        return std::move(plan_);
    }

private:
    // The line number where the division-of-labour part starts: the section
    // heading above the first task that has a responsibility line; all before
    // it is preamble.
    int body_start() const {
        LineReader reader(text_);
        Line line;
        int last_section = 0;     // the latest section heading read
        int last_task = 0;        // the latest task read …
        int section_of_task = 0;  // … and the section heading above it
        while (reader.next(line)) {
            if (line.kind == LineKind::section) {
                last_section = line.number;
            } else if (line.kind == LineKind::task) {
                last_task = line.number;
                section_of_task = last_section;
            } else if (line.kind == LineKind::responsibility) {
                if (last_task == 0) {
                    throw PlanError("line " + std::to_string(line.number) +
                                    ": a responsibility line comes before any numbered task");
                }
                return section_of_task != 0 ? section_of_task : last_task;
            }
        }
        throw PlanError(
            "no tasks found: expected numbered tasks such as '1.加强审判团队建设。…', each "
            "followed by a line such as '责任部门：干部科'");
    }

    void read_preamble(const Line& line) {
        if (line.kind == LineKind::blank) {
            return;
        }
        if (plan_.title.empty()) {
            plan_.title = line.text;
        } else {
            append_paragraph(plan_.preamble, line.text);
        }
    }

    // Everything from the closing note on is the note. A line there that
    // looks like part of the plan is kept in the note, and said so.
    void read_note(const Line& line) {
        if (line.kind == LineKind::blank) {
            return;
        }
        if (line.number != notes_line_ &&
            (line.kind == LineKind::section || line.kind == LineKind::task ||
             line.kind == LineKind::item || line.kind == LineKind::responsibility)) {
            warnings_.add("line " + std::to_string(line.number) + ": '" +
                          utf8::printable(line.text, 30) + "' comes after the closing note (line " +
                          std::to_string(notes_line_) +
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
        if (item_ != nullptr) {
            return "task " + task_->number + " item (" + item_->number + ")";
        }
        return "task " + task_->number;
    }

    // A plan over the limit is refused whole, at the line that crosses it,
    // before it is read any further.
    void count_task_or_item(const Line& line) {
        if (++tasks_and_items_ > static_cast<std::size_t>(options_.max_tasks)) {
            throw PlanError("line " + std::to_string(line.number) + ": the plan has more than " +
                            std::to_string(options_.max_tasks) +
                            " tasks and items (limits.plan_tasks); it is refused whole rather "
                            "than kept in part");
        }
    }

    void start_task(const Line& line) {
        close_target();
        if (plan_.sections.empty()) {
            plan_.sections.push_back({"", "", {}, 1});
        }
        if (!task_numbers_.insert(line.label).second) {
            throw PlanError("line " + std::to_string(line.number) + ": task " + line.label +
                            " appears twice; task numbers must be unique");
        }
        count_task_or_item(line);
        auto& tasks = plan_.sections.back().tasks;
        tasks.push_back({});
        task_ = &tasks.back();
        task_->number = line.label;
        task_->text = line.rest;
        task_->title = title_of(line.rest);
        task_->line = line.number;
        item_ = nullptr;
        item_numbers_.clear();
        after_responsibility_ = false;
    }

    void start_item(const Line& line) {
        if (task_ == nullptr) {
            throw PlanError("line " + std::to_string(line.number) + ": item （" + line.label +
                            "） is outside any task");
        }
        close_target();
        if (!item_numbers_.insert(line.label).second) {
            throw PlanError("line " + std::to_string(line.number) + ": task " + task_->number +
                            " has item （" + line.label + "） twice");
        }
        count_task_or_item(line);
        task_->items.push_back({line.label, line.rest, {}, line.number, {}});
        item_ = &task_->items.back();
        after_responsibility_ = false;
    }

    void read_responsibility(const Line& line) {
        if (task_ == nullptr) {
            throw PlanError("line " + std::to_string(line.number) +
                            ": a responsibility line comes before any task of its section");
        }
        ++plan_.responsibility_lines;
        add_entries(line, entries_, warnings_, owner_name());
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
            // A section's introduction: there is no place for it in the ledger.
            warnings_.add("line " + std::to_string(line.number) + ": '" +
                          utf8::printable(line.text, 30) + "' stands between section " +
                          plan_.sections.back().number +
                          " and its first task; it is not part of any task and is not kept");
            return;
        }
        if (line.number_too_long) {
            warnings_.add("line " + std::to_string(line.number) + ": '" +
                          utf8::printable(line.text, 30) +
                          "' is numbered like a task, but task numbers have at most " +
                          std::to_string(kMaxNumberDigits) + " digits; it is kept as text of " +
                          owner_name());
        }
        if (after_responsibility_ && list_continues_) {
            // A department list wrapped onto the next line.
            Line continued = line;
            continued.segments = {{continued_kind_, line.text}};
            add_entries(continued, entries_, warnings_, owner_name());
            list_continues_ = ends_with_separator(line.text);
            return;
        }
        if (after_responsibility_) {
            warnings_.add("line " + std::to_string(line.number) +
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

    // After the whole plan is read: a task (without items) or an item that
    // names no department would silently fall out of the ledger.
    void check_assigned() {
        for (const auto& section : plan_.sections) {
            for (const auto& task : section.tasks) {
                if (task.departments.empty() && task.items.empty()) {
                    warnings_.add("task " + task.number + " (line " + std::to_string(task.line) +
                                  ") has no responsibility line; it is assigned to "
                                  "nobody");
                }
                for (const auto& item : task.items) {
                    if (item.departments.empty()) {
                        warnings_.add("task " + task.number + " item (" + item.number + ") (line " +
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
                    warnings_.add("task " + task.number + " (line " + std::to_string(task.line) +
                                  ") follows task " + std::to_string(expected - 1) +
                                  ": the numbering has a gap or goes back");
                }
                expected = number + 1;
            }
        }
    }

    std::string_view text_;
    const ParseOptions& options_;
    Plan plan_;
    Warnings warnings_;
    int notes_line_ = 0;  // where the closing note starts, once read
    std::set<std::string> task_numbers_;
    std::set<std::string> item_numbers_;  // of the task being read
    std::size_t tasks_and_items_ = 0;
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
