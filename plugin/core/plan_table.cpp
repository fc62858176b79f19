#include "core/plan_table.h"

#include <algorithm>
#include <cstddef>
#include <string_view>

#include "core/deadline.h"
#include "core/org_chart.h"
#include "core/unit_list.h"
#include "core/utf8.h"

namespace rl::core {

namespace {

// ------------------------------------------------------------ the header

// What a column holds, from its header cell.
enum class Column {
    other,
    number,    // 序号
    task,      // 重点工作, 改革任务…
    detail,    // 具体措施 next to a task column: more of the task's text
    lead,      // 牵头部门
    co,        // 配合部门
    listed,    // 责任单位: the lead rule (or bold names) decides who leads
    deadline,  // 完成时限
    progress,  // 进度要求
    leader,    // 责任领导: people, not departments
    note,      // 备注
};

struct ColumnName {
    std::string_view name;
    Column column;
};

// Header texts as 分工表 write them, compared without spaces, line breaks and
// a bracketed remark ("牵头\n部门", "责任单位（部门）").
constexpr ColumnName kColumnNames[] = {
    {"序号", Column::number},
    {"编号", Column::number},
    {"任务", Column::task},
    {"工作任务", Column::task},
    {"改革任务", Column::task},
    {"重点工作", Column::task},
    {"重点工作任务", Column::task},
    {"重点任务", Column::task},
    {"重点改革任务", Column::task},
    {"主要任务", Column::task},
    {"具体任务", Column::task},
    {"任务内容", Column::task},
    {"任务名称", Column::task},
    {"工作内容", Column::task},
    {"工作要点", Column::task},
    {"工作事项", Column::task},
    {"改革举措", Column::task},
    {"改革事项", Column::task},
    {"改革内容", Column::task},
    {"改革项目", Column::task},
    {"具体措施", Column::detail},
    {"具体举措", Column::detail},
    {"工作措施", Column::detail},
    {"主要措施", Column::detail},
    {"主要举措", Column::detail},
    {"推进措施", Column::detail},
    {"具体内容", Column::detail},
    {"任务分解", Column::detail},
    {"牵头部门", Column::lead},
    {"牵头单位", Column::lead},
    {"牵头科室", Column::lead},
    {"牵头处室", Column::lead},
    {"牵头责任部门", Column::lead},
    {"牵头责任单位", Column::lead},
    {"主要负责部门", Column::lead},
    {"主要负责单位", Column::lead},
    {"主责部门", Column::lead},
    {"主办部门", Column::lead},
    {"主办单位", Column::lead},
    {"牵头", Column::lead},
    {"配合部门", Column::co},
    {"配合单位", Column::co},
    {"配合科室", Column::co},
    {"配合处室", Column::co},
    {"配合责任部门", Column::co},
    {"配合责任单位", Column::co},
    {"参加部门", Column::co},
    {"参加单位", Column::co},
    {"参与部门", Column::co},
    {"参与单位", Column::co},
    {"协办部门", Column::co},
    {"协办单位", Column::co},
    {"协同部门", Column::co},
    {"配合", Column::co},
    {"责任部门", Column::listed},
    {"责任单位", Column::listed},
    {"责任科室", Column::listed},
    {"责任处室", Column::listed},
    {"责任主体", Column::listed},
    {"负责部门", Column::listed},
    {"负责单位", Column::listed},
    {"承办部门", Column::listed},
    {"承办单位", Column::listed},
    {"完成时限", Column::deadline},
    {"完成时限要求", Column::deadline},
    {"完成时间", Column::deadline},
    {"完成期限", Column::deadline},
    {"时间节点", Column::deadline},
    {"时限要求", Column::deadline},
    {"时间要求", Column::deadline},
    {"时间安排", Column::deadline},
    {"时限", Column::deadline},
    {"进度要求", Column::progress},
    {"进度安排", Column::progress},
    {"阶段目标", Column::progress},
    {"阶段性目标", Column::progress},
    {"工作进度", Column::progress},
    {"责任领导", Column::leader},
    {"分管领导", Column::leader},
    {"责任院领导", Column::leader},
    {"分管院领导", Column::leader},
    {"牵头领导", Column::leader},
    {"院领导", Column::leader},
    {"分管院长", Column::leader},
    {"责任人", Column::leader},
    {"备注", Column::note},
};

// A header cell's text for matching: no spaces or line breaks, full-width
// forms folded, a trailing bracketed remark dropped.
std::string header_key(std::string_view text) {
    std::string key;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t begin = pos;
        const char32_t c = utf8::next(text, pos);
        if (utf8::is_space(c) || c == '\n' || c == '\r' || c == '\t') {
            continue;
        }
        key.append(text.substr(begin, pos - begin));
    }
    for (const std::string_view open : {"（", "(", "〔", "["}) {
        const std::size_t at = key.find(open);
        if (at != std::string::npos && at > 0) {
            key.erase(at);
        }
    }
    return key;
}

Column column_of(std::string_view text) {
    const std::string key = header_key(text);
    for (const ColumnName& name : kColumnNames) {
        if (key == name.name) {
            return name.column;
        }
    }
    return Column::other;
}

bool is_department(Column c) {
    return c == Column::lead || c == Column::co || c == Column::listed;
}

// Where the header is and what each column holds.
struct Layout {
    std::size_t header_row = 0;
    std::size_t first_data_row = 0;
    std::vector<Column> columns;
    std::vector<std::string> names;  // header text, for messages
    std::optional<std::size_t> number;
    std::size_t task = 0;
    std::vector<std::size_t> details;
    std::optional<std::size_t> deadline;
    std::optional<std::size_t> progress;
    bool has_lead_column = false;
};

// Header rows are looked for among the first rows only: a table whose
// header is further down is not a 分工表 (title rows are few).
constexpr std::size_t kMaxTitleRows = 8;

std::vector<Column> classify_row(const std::vector<Cell>& row) {
    std::vector<Column> columns;
    for (const Cell& cell : row) {
        columns.push_back(cell.merged_from_left && !columns.empty() ? columns.back()
                                                                    : column_of(cell.text));
    }
    return columns;
}

bool is_header(const std::vector<Column>& columns) {
    bool task = false;
    bool department = false;
    for (Column c : columns) {
        task = task || c == Column::task || c == Column::detail;
        department = department || is_department(c);
    }
    return task && department;
}

// A cell's lines as one ("牵头\n部门" → "牵头部门").
std::string one_line(std::string_view text) {
    return utf8::join_trimmed_lines(text, "");
}

std::optional<Layout> find_layout(const Table& table) {
    // Readers hand over rectangular tables (document.h); a ragged one is not
    // read rather than read out of bounds.
    for (const auto& row : table.rows) {
        if (row.size() != table.rows.front().size()) {
            return std::nullopt;
        }
    }
    const std::size_t limit = std::min(table.rows.size(), kMaxTitleRows + 1);
    for (std::size_t r = 0; r < limit; ++r) {
        std::vector<Column> columns = classify_row(table.rows[r]);
        if (!is_header(columns)) {
            continue;
        }
        Layout layout;
        layout.header_row = r;
        layout.first_data_row = r + 1;
        for (const Cell& cell : table.rows[r]) {
            layout.names.push_back(one_line(cell.text));
        }
        // A second header row under a spanning one: 责任单位 over 牵头 | 配合.
        if (r + 1 < table.rows.size()) {
            const auto& below = table.rows[r + 1];
            const std::vector<Column> sub = classify_row(below);
            bool all_known = true;
            bool any_own = false;
            for (std::size_t c = 0; c < below.size(); ++c) {
                if (below[c].merged_from_above || below[c].text.empty()) {
                    continue;
                }
                any_own = true;
                all_known = all_known && sub[c] != Column::other;
            }
            if (any_own && all_known) {
                for (std::size_t c = 0; c < below.size(); ++c) {
                    if (!below[c].merged_from_above && !below[c].text.empty()) {
                        columns[c] = sub[c];
                        layout.names[c] = one_line(below[c].text);
                    }
                }
                layout.first_data_row = r + 2;
            }
        }
        layout.columns = columns;
        // The task column: the first task column, else the first 具体措施;
        // the other task and 具体措施 columns add to its text.
        const auto first_of = [&](Column kind) -> std::optional<std::size_t> {
            const auto at = std::find(columns.begin(), columns.end(), kind);
            if (at == columns.end()) {
                return std::nullopt;
            }
            return static_cast<std::size_t>(at - columns.begin());
        };
        const std::optional<std::size_t> task =
            first_of(Column::task) ? first_of(Column::task) : first_of(Column::detail);
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const Column kind = columns[c];
            if (c != *task && (kind == Column::task || kind == Column::detail)) {
                layout.details.push_back(c);
            }
            layout.has_lead_column = layout.has_lead_column || kind == Column::lead;
        }
        layout.number = first_of(Column::number);
        layout.deadline = first_of(Column::deadline);
        layout.progress = first_of(Column::progress);
        layout.task = *task;
        return layout;
    }
    return std::nullopt;
}

// ------------------------------------------------------------ rows

std::string where_of(const Table& table, std::size_t r) {
    return table.where + " row " + std::to_string(r + 1);
}

bool is_empty_row(const std::vector<Cell>& row) {
    return std::all_of(row.begin(), row.end(),
                       [](const Cell& cell) { return utf8::trim(cell.text).empty(); });
}

// The cell's own value: not empty, not a merged range's repetition.
bool own(const Cell& cell) {
    return !cell.merged_from_above && !utf8::trim(cell.text).empty();
}

bool ends_with(const std::string& s, std::string_view tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool is_chinese_numeral(char32_t c) {
    static constexpr std::u32string_view kNumerals = U"一二三四五六七八九十百零〇两";
    return kNumerals.find(c) != std::u32string_view::npos;
}

// "一、立案改革" → ("一", "立案改革"); "（一）…" → group; anything else has no number.
struct Heading {
    bool group = false;
    std::string number;
    std::string title;
};

Heading read_heading(std::string_view text) {
    Heading heading;
    std::size_t pos = 0;
    const char32_t first = utf8::fold_width(utf8::next(text, pos));
    const bool bracketed = first == '(';
    if (!bracketed) {
        pos = 0;
    }
    std::string number;
    std::size_t after = pos;
    while (after < text.size()) {
        std::size_t next = after;
        const char32_t c = utf8::next(text, next);
        if (!is_chinese_numeral(c)) {
            break;
        }
        number.append(text.substr(after, next - after));
        after = next;
    }
    if (!number.empty() && after < text.size()) {
        std::size_t next = after;
        const char32_t sep = utf8::fold_width(utf8::next(text, next));
        if ((bracketed && sep == ')') || (!bracketed && (sep == U'、' || sep == '.'))) {
            heading.group = bracketed;
            heading.number = number;
            heading.title = std::string(utf8::trim(text.substr(next)));
            return heading;
        }
    }
    heading.title = std::string(utf8::trim(text));
    return heading;
}

// A row that is a section heading: merged across the whole table, or a
// single "一、…" / "（一）…" cell in an Excel sheet that merges nothing.
std::optional<Heading> heading_of(const std::vector<Cell>& row) {
    if (row.size() >= 2 && !utf8::trim(row[0].text).empty() &&
        std::all_of(row.begin() + 1, row.end(),
                    [](const Cell& cell) { return cell.merged_from_left; })) {
        return read_heading(one_line(row[0].text));
    }
    // "一" in the 序号 column, the heading merged across the rest.
    if (row.size() >= 3 && !row[1].merged_from_left &&
        std::all_of(row.begin() + 2, row.end(),
                    [](const Cell& cell) { return cell.merged_from_left; })) {
        // Read as if written "一、标题" or "（一）标题" in one cell.
        std::string number = one_line(row[0].text);
        for (const std::string_view tail : {"、", ".", "．"}) {
            if (ends_with(number, tail)) {
                number.erase(number.size() - tail.size());
            }
        }
        const std::string title = one_line(row[1].text);
        if (!number.empty() && !title.empty()) {
            const Heading bracketed = read_heading(number + title);
            if (bracketed.group) {
                return bracketed;
            }
            const Heading heading = read_heading(number + "、" + title);
            if (!heading.number.empty() && heading.title == title) {
                return heading;
            }
        }
    }
    const Cell* only = nullptr;
    for (const Cell& cell : row) {
        if (!utf8::trim(cell.text).empty()) {
            if (only != nullptr) {
                return std::nullopt;
            }
            only = &cell;
        }
    }
    if (only == nullptr || only->merged_from_above) {
        return std::nullopt;
    }
    Heading heading = read_heading(one_line(only->text));
    if (heading.number.empty()) {
        return std::nullopt;
    }
    return heading;
}

// The 序号 as a task number: "1", "1.", "01" → "1"; "（一）", "一、" → "一".
std::string number_of(std::string_view label) {
    std::string digits;
    std::string other;
    std::size_t pos = 0;
    while (pos < label.size()) {
        const std::size_t begin = pos;
        const char32_t c = utf8::fold_width(utf8::next(label, pos));
        if (c >= '0' && c <= '9') {
            digits += static_cast<char>(c);
        } else if (c == '(' || c == ')' || c == '.' || c == U'、' || utf8::is_space(c)) {
            continue;
        } else {
            other.append(label.substr(begin, pos - begin));
        }
    }
    if (other.empty() && !digits.empty() && digits.size() <= 9) {
        return std::to_string(std::stoi(digits));
    }
    if (digits.empty() && !other.empty()) {
        return other;
    }
    return std::string(utf8::trim(label));
}

// The first sentence, without its final 。 (as the paragraph parser titles tasks).
std::string title_of(const std::string& text) {
    std::string title = text.substr(0, text.find('\n'));
    title = title.substr(0, title.find("。"));
    for (bool again = true; again;) {
        again = false;
        for (const std::string_view tail : {".", "；", ";"}) {
            if (ends_with(title, tail)) {
                title.erase(title.size() - tail.size());
                again = true;
            }
        }
    }
    return std::string(utf8::trim(title));
}

void append_text(std::string& text, std::string_view more) {
    const std::string_view trimmed = utf8::trim(more);
    // A cell merged across repeats its neighbour: the same words once.
    if (trimmed.empty() || text == trimmed ||
        (text.size() > trimmed.size() && text[text.size() - trimmed.size() - 1] == '\n' &&
         text.compare(text.size() - trimmed.size(), trimmed.size(), trimmed) == 0)) {
        return;
    }
    if (!text.empty()) {
        text += '\n';
    }
    text.append(trimmed);
}

// ------------------------------------------------------------ departments

void add_department(std::vector<DepartmentRef>& refs, DepartmentRef ref) {
    const std::string key = OrgChart::match_key(ref.name);
    for (auto& existing : refs) {
        if (OrgChart::match_key(existing.name) == key) {
            if (ref.role == Role::lead) {
                existing.role = Role::lead;
            }
            return;
        }
    }
    refs.push_back(std::move(ref));
}

// The departments of one row, in column order. A 责任单位 column next to a
// 牵头 column co-operates; alone, its bold names lead, else the lead rule.
std::vector<DepartmentRef> departments_of(const std::vector<Cell>& row, const Layout& layout,
                                          LeadRule rule) {
    std::vector<DepartmentRef> refs;
    for (std::size_t c = 0; c < row.size(); ++c) {
        const Column kind = layout.columns[c];
        if (!is_department(kind) || (c > 0 && row[c].merged_from_left)) {
            continue;
        }
        const Cell& cell = row[c];
        const std::string source(utf8::trim(cell.text));
        if (source.empty()) {
            continue;
        }
        const std::vector<NamedUnit> units =
            read_unit_list(cell.text, cell.runs.empty() ? nullptr : &cell.runs);
        const bool any_bold = std::any_of(units.begin(), units.end(),
                                          [](const NamedUnit& unit) { return unit.bold; });
        bool marked_lead = std::any_of(units.begin(), units.end(), [](const NamedUnit& unit) {
            return unit.role == Role::lead;
        });
        for (const NamedUnit& unit : units) {
            if (unit.name.empty()) {
                continue;
            }
            Role role = Role::co;
            if (unit.role) {
                role = *unit.role;
            } else if (kind == Column::lead) {
                role = Role::lead;
            } else if (kind == Column::listed && !layout.has_lead_column) {
                if (any_bold) {
                    role = unit.bold ? Role::lead : Role::co;
                } else if (!marked_lead && rule == LeadRule::first_listed) {
                    role = Role::lead;
                    marked_lead = true;
                }
            }
            add_department(refs, {unit.name, role, source});
        }
    }
    return refs;
}

bool has_own_departments(const std::vector<Cell>& row, const Layout& layout) {
    for (std::size_t c = 0; c < row.size(); ++c) {
        if (is_department(layout.columns[c]) && own(row[c])) {
            return true;
        }
    }
    return false;
}

// ------------------------------------------------------------ the reader

bool has_digit(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char32_t c = utf8::fold_width(utf8::next(text, pos));
        if (c >= '0' && c <= '9') {
            return true;
        }
    }
    return false;
}

class TableReader {
public:
    TableReader(const Table& table, const Layout& layout, Plan& plan, TableContext& context)
        : table_(table), layout_(layout), plan_(plan), context_(context) {
        // Rows "一 | 深化立案改革" are headings only where tasks are numbered
        // otherwise (1, 2…); in a table of tasks numbered 一, 二 that assigns
        // nobody yet they are the tasks.
        if (layout_.number) {
            for (std::size_t r = layout_.first_data_row; r < table_.rows.size(); ++r) {
                const std::string& label = table_.rows[r][*layout_.number].text;
                numeral_headings_ = numeral_headings_ || has_digit(label);
            }
        }
    }

    void read() {
        read_title_rows();
        const auto& rows = table_.rows;
        std::size_t r = layout_.first_data_row;
        while (r < rows.size()) {
            const auto& row = rows[r];
            if (is_empty_row(row) || repeats_header(row)) {
                ++r;
                continue;
            }
            if (const auto heading = heading_in(row)) {
                start_heading(*heading);
                ++r;
                continue;
            }
            const Cell& task_cell = row[layout_.task];
            if (!own(task_cell)) {
                continue_task(r);
                ++r;
                continue;
            }
            // The rows that repeat this task cell (merged down): its measures
            // when each has departments of its own, else more of its text.
            std::size_t end = r + 1;
            while (end < rows.size() && rows[end][layout_.task].merged_from_above &&
                   !heading_in(rows[end])) {
                ++end;
            }
            bool grouped = false;
            if (!layout_.details.empty() && end - r >= 2) {
                for (std::size_t k = r + 1; k < end; ++k) {
                    grouped = grouped || has_own_departments(rows[k], layout_) ||
                              (layout_.number && own(rows[k][*layout_.number]));
                }
            }
            if (grouped) {
                Group group;
                if (layout_.number && rows[r + 1][*layout_.number].merged_from_above) {
                    group.number = number_of(one_line(rows[r][*layout_.number].text));
                }
                group.title = title_of(std::string(utf8::trim(task_cell.text)));
                for (std::size_t k = r; k < end; ++k) {
                    add_task(k, group);
                }
            } else {
                add_task(r, std::nullopt);
                for (std::size_t k = r + 1; k < end; ++k) {
                    continue_task(k);
                }
            }
            r = end;
        }
        check_columns();
    }

private:
    // A heading row (see heading_of), or in a sheet that merges nothing a
    // row with only a 序号 in Chinese numerals and a title: "一" | "深化立案改革".
    std::optional<Heading> heading_in(const std::vector<Cell>& row) const {
        if (auto heading = heading_of(row)) {
            return heading;
        }
        if (!layout_.number || *layout_.number == layout_.task || !numeral_headings_) {
            return std::nullopt;
        }
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (c != *layout_.number && c != layout_.task && !utf8::trim(row[c].text).empty()) {
                return std::nullopt;
            }
        }
        std::string number = one_line(row[*layout_.number].text);
        const std::string title = one_line(row[layout_.task].text);
        if (row[*layout_.number].merged_from_above || row[layout_.task].merged_from_above ||
            number.empty() || title.empty()) {
            return std::nullopt;
        }
        Heading heading = read_heading(number + title);
        if (heading.group && heading.title == title) {
            return heading;
        }
        if (ends_with(number, "、")) {
            number.erase(number.size() - std::string_view("、").size());
        }
        heading = read_heading(number + "、" + title);
        if (!heading.number.empty() && heading.title == title) {
            return heading;
        }
        return std::nullopt;
    }

    void read_title_rows() {
        for (std::size_t r = 0; r < layout_.header_row; ++r) {
            std::string text;
            for (const Cell& cell : table_.rows[r]) {
                if (!cell.merged_from_left) {
                    append_text(text, one_line(cell.text));
                }
            }
            // "附件2" above the title names the attachment, not the plan.
            if (text.empty() || (text.rfind("附件", 0) == 0 && utf8::length(text) <= 6)) {
                continue;
            }
            if (plan_.title.empty()) {
                plan_.title = text;
            }
            if (!plan_.year) {
                plan_.year = plan_year_of(text);
                if (!context_.year) {
                    context_.year = plan_.year;
                }
            }
        }
    }

    bool repeats_header(const std::vector<Cell>& row) const {
        const auto& header = table_.rows[layout_.header_row];
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (header_key(row[c].text) != header_key(header[c].text)) {
                return false;
            }
        }
        return true;
    }

    void start_heading(const Heading& heading) {
        if (heading.group) {
            group_ = Group{heading.number, heading.title};
            return;
        }
        const int part = plan_.sections.empty() ? 1 : plan_.sections.back().part;
        plan_.sections.push_back({heading.number, heading.title, {}, part});
        group_.reset();
    }

    Section& section() {
        if (plan_.sections.empty()) {
            plan_.sections.push_back({"", "", {}, 1});
        }
        return plan_.sections.back();
    }

    // Cells beside the task column that add to its text (具体措施).
    std::string detail_text(const std::vector<Cell>& row, bool own_only) const {
        std::string text;
        for (std::size_t c : layout_.details) {
            if (own_only ? own(row[c]) : !utf8::trim(row[c].text).empty()) {
                append_text(text, row[c].text);
            }
        }
        return text;
    }

    void add_task(std::size_t r, const std::optional<Group>& run_group) {
        const auto& row = table_.rows[r];
        const std::string where = where_of(table_, r);
        if (++context_.tasks_and_items > static_cast<std::size_t>(context_.options.max_tasks)) {
            throw PlanError(where + ": the plan has more than " +
                            std::to_string(context_.options.max_tasks) +
                            " tasks and items (limits.plan_tasks); it is refused whole rather "
                            "than kept in part");
        }
        Task task;
        if (layout_.number && own(row[*layout_.number])) {
            task.label = one_line(row[*layout_.number].text);
            task.number = number_of(task.label);
        }
        if (run_group) {
            // One measure of a task merged down: its own text is the measure.
            task.text = detail_text(row, false);
            if (task.text.empty()) {
                task.text = std::string(utf8::trim(row[layout_.task].text));
            }
            task.group = run_group;
        } else {
            task.text = std::string(utf8::trim(row[layout_.task].text));
            append_text(task.text, detail_text(row, false));
            task.group = group_;
        }
        task.title = title_of(task.text);
        task.line = table_.position + static_cast<int>(r);
        task.where = where;
        task.departments = departments_of(row, layout_, context_.options.lead_rule);
        read_deadline_of(row, task);
        if (layout_.progress) {
            task.progress = std::string(utf8::trim(row[*layout_.progress].text));
        }
        split_items(task);
        Section& into = section();
        into.tasks.push_back(std::move(task));
        last_ = {plan_.sections.size() - 1, into.tasks.size() - 1};
        check_task(into.tasks.back());
    }

    // A task cell whose lines run on into numbered items — "加强……。\n（1）……\n
    // （2）……", as a text plan writes a task with items — keeps the items as
    // items, each owing what the row assigns (in a text plan each item has
    // its own responsibility line; a row has one for all of them).
    void split_items(Task& task) {
        std::vector<std::pair<std::string, std::string>> items;  // number, text
        std::string preface;
        std::size_t start = 0;
        while (start <= task.text.size()) {
            std::size_t end = task.text.find('\n', start);
            if (end == std::string::npos) {
                end = task.text.size();
            }
            const std::string_view line = std::string_view(task.text).substr(start, end - start);
            std::string number;
            std::string rest;
            if (item_marker(line, number, rest)) {
                items.emplace_back(number, rest);
            } else if (!items.empty()) {
                append_text(items.back().second, line);
            } else {
                preface += preface.empty() ? "" : "\n";
                preface += line;
            }
            start = end + 1;
        }
        if (items.empty() || utf8::trim(preface).empty()) {
            return;
        }
        for (const auto& [number, text] : items) {
            if (++context_.tasks_and_items > static_cast<std::size_t>(context_.options.max_tasks)) {
                throw PlanError(task.where + ": the plan has more than " +
                                std::to_string(context_.options.max_tasks) +
                                " tasks and items (limits.plan_tasks); it is refused whole "
                                "rather than kept in part");
            }
            Item item;
            item.number = number;
            item.text = text;
            item.departments = task.departments;
            item.line = task.line;
            item.where = task.where + " (item " + number + ")";
            task.items.push_back(std::move(item));
        }
        task.departments.clear();
        task.text = std::string(utf8::trim(preface));
        task.title = title_of(task.text);
    }

    // "（1）建立……" / "(1)建立……" → "1", "建立……".
    static bool item_marker(std::string_view line, std::string& number, std::string& rest) {
        line = utf8::trim(line);
        std::size_t pos = 0;
        if (line.empty() || utf8::fold_width(utf8::next(line, pos)) != '(') {
            return false;
        }
        std::string digits;
        while (pos < line.size()) {
            std::size_t next = pos;
            const char32_t c = utf8::fold_width(utf8::next(line, next));
            if (c < '0' || c > '9') {
                break;
            }
            digits += static_cast<char>(c);
            pos = next;
        }
        if (digits.empty() || digits.size() > 4 || pos >= line.size() ||
            utf8::fold_width(utf8::next(line, pos)) != ')') {
            return false;
        }
        rest = std::string(utf8::trim(line.substr(pos)));
        if (rest.empty()) {
            return false;
        }
        number = std::to_string(std::stoi(digits));
        return true;
    }

    void read_deadline_of(const std::vector<Cell>& row, Task& task) {
        std::string written;
        if (layout_.deadline) {
            written = std::string(utf8::trim(row[*layout_.deadline].text));
        }
        if (written.empty()) {
            // No 完成时限 cell: a deadline written in the task itself.
            const auto phrase = find_deadline_phrase(task.text);
            if (!phrase) {
                return;
            }
            written = *phrase;
        }
        DeadlineReading reading = read_deadline(written, context_.year);
        task.deadline = std::move(reading.deadline);
        if (!reading.warning.empty()) {
            context_.warnings.push_back(task.where + ": " + reading.warning);
        }
    }

    // A row that only continues the task above: a further 具体措施 line, a
    // department or a deadline the row above left out.
    void continue_task(std::size_t r) {
        const auto& row = table_.rows[r];
        if (!last_) {
            context_.warnings.push_back(where_of(table_, r) +
                                        ": the row has no task and follows none; it is skipped");
            return;
        }
        Task& task = plan_.sections[last_->first].tasks[last_->second];
        append_text(task.text, detail_text(row, true));
        if (own(row[layout_.task])) {
            append_text(task.text, row[layout_.task].text);
        }
        for (DepartmentRef& ref : departments_of(row, layout_, context_.options.lead_rule)) {
            add_department(task.departments, std::move(ref));
        }
        if (!task.deadline && layout_.deadline && own(row[*layout_.deadline])) {
            read_deadline_of(row, task);
        }
        if (layout_.progress && own(row[*layout_.progress])) {
            append_text(task.progress, row[*layout_.progress].text);
        }
    }

    void check_task(const Task& task) {
        if (!task.items.empty()) {
            return;  // its items carry the row's departments
        }
        if (task.departments.empty()) {
            context_.warnings.push_back(task.where +
                                        ": the task names no department; it is assigned to nobody");
            return;
        }
        const bool has_lead =
            std::any_of(task.departments.begin(), task.departments.end(),
                        [](const DepartmentRef& ref) { return ref.role == Role::lead; });
        if (!has_lead) {
            context_.warnings.push_back(task.where + ": the task has no lead department");
        }
    }

    // A department column with nothing in it is a sign the table was read
    // wrongly (or filled in carelessly): say so once, for the column.
    void check_columns() {
        if (!last_) {
            return;
        }
        const auto& header = table_.rows[layout_.header_row];
        for (std::size_t c = 0; c < layout_.columns.size(); ++c) {
            // A header cell merged over two columns names one column, checked once.
            const bool repeated =
                c > 0 && header[c].merged_from_left && layout_.columns[c] == layout_.columns[c - 1];
            if (!is_department(layout_.columns[c]) || repeated) {
                continue;
            }
            bool any = false;
            for (std::size_t r = layout_.first_data_row; r < table_.rows.size() && !any; ++r) {
                any = !heading_in(table_.rows[r]) && !utf8::trim(table_.rows[r][c].text).empty();
            }
            if (!any) {
                context_.warnings.push_back(table_.where + ": the column '" + layout_.names[c] +
                                            "' is empty in every row");
            }
        }
    }

    const Table& table_;
    const Layout& layout_;
    Plan& plan_;
    TableContext& context_;
    std::optional<Group> group_;  // the （一） heading row the tasks stand under
    bool numeral_headings_ = false;
    std::optional<std::pair<std::size_t, std::size_t>> last_;  // section, task
};

}  // namespace

bool is_division_table(const Table& table) {
    return find_layout(table).has_value();
}

void read_division_table(const Table& table, Plan& plan, TableContext& context) {
    const auto layout = find_layout(table);
    if (!layout) {
        return;
    }
    TableReader(table, *layout, plan, context).read();
}

}  // namespace rl::core
