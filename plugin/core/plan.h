// The plan as the court writes it: sections → tasks → items, each task or
// item naming its responsible departments. Plain data, no I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rl::core {

// A department's part in a task: lead (牵头) or co-operating (配合/协办).
enum class Role { lead, co };

const char* to_string(Role role);

// A department as the document names it, before the org chart is consulted.
struct DepartmentRef {
    std::string name;  // as written, trimmed; may be a department group
    Role role = Role::co;
    // The text it was read from, as written: "责任部门：刑庭、技术科" or
    // "（立案庭、技术科负责，2020年6月底前完成）" or a table cell's text.
    std::string source;
};

// When a task is due, as the plan says it: "2020年6月底前完成" → 2020-06-30.
struct Deadline {
    std::string text;  // as written, trimmed
    // ISO date (YYYY-MM-DD); empty for 长期坚持/持续推进/常态化 and whatever
    // names no date the parser can fix.
    std::string due;
};

// A numbered sub-item of a task, e.g. task 14's （1） and （2）.
struct Item {
    std::string number;  // "1"
    std::string text;
    std::vector<DepartmentRef> departments;
    int line = 0;       // 1-based position in the source (Paragraph::position)
    std::string where;  // "line 12", "paragraph 40", "sheet '分工表' row 7"
};

// A level between a section and its tasks: （一）… under 一、…
struct Group {
    std::string number;  // "一" of （一）
    std::string title;
};

struct Task {
    // The task's key in the ledger: the number the plan gives it ("14") when
    // that is unique in the plan; otherwise (numbers that start again in each
    // section, tasks the plan does not number) "S.N": the section's position
    // in the plan and the task's in its section, both from 1 ("2.1").
    std::string number;
    std::string label;  // the number as written: "14", "（一）", "一是"; empty if none
    std::string title;  // the first sentence, without its final 。
    std::string text;   // the whole task text (items excluded), paragraphs joined by \n
    std::vector<DepartmentRef> departments;
    std::vector<Item> items;
    int line = 0;                      // 1-based position in the source (Paragraph::position)
    std::string where;                 // "line 12", "paragraph 40", "sheet '分工表' row 7"
    std::optional<Group> group;        // the subsection it stands in, if the plan has them
    std::optional<Deadline> deadline;  // none when the plan gives none
    std::string progress;              // 进度要求: what is expected by when, as written
};

struct Section {
    std::string number;  // "一"
    std::string title;
    std::vector<Task> tasks;
    // 1 for the document's first run of section numbers; 2 when numbering
    // starts again at 一、 (a second part, an annex, a second plan in one file).
    int part = 1;
};

struct Plan {
    std::string title;     // the document's first line
    std::string preamble;  // work points and other narrative before the first section
    std::string notes;     // the closing 注：… note, if any
    std::string closing;  // the issuing body, date and 此件公开发布 lines after the last task
    std::string format;   // "text", "docx" or "xlsx"
    std::optional<int> year;  // the plan's year (title or date line), for 年底前 deadlines
    std::vector<Section> sections;
    std::vector<std::string> warnings;
    std::size_t responsibility_lines = 0;  // 责任部门/牵头部门/配合部门… lines read

    std::size_t task_count() const;
    std::size_t item_count() const;
    const Task* find_task(const std::string& number) const;
};

}  // namespace rl::core
