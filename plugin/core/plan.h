// The plan as the court writes it: sections → tasks → items, each task or
// item naming its responsible departments. Plain data, no I/O.
#pragma once

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
};

// A numbered sub-item of a task, e.g. task 14's （1） and （2）.
struct Item {
    std::string number;  // "1"
    std::string text;
    std::vector<DepartmentRef> departments;
    int line = 0;  // 1-based line in the source document
};

struct Task {
    std::string number;  // "14"
    std::string title;   // the first sentence, without its final 。
    std::string text;    // the whole task text (items excluded), paragraphs joined by \n
    std::vector<DepartmentRef> departments;
    std::vector<Item> items;
    int line = 0;
};

struct Section {
    std::string number;  // "一"
    std::string title;
    std::vector<Task> tasks;
};

struct Plan {
    std::string title;     // the document's first line
    std::string preamble;  // work points and other narrative before the first section
    std::string notes;     // the closing 注：… note, if any
    std::vector<Section> sections;
    std::vector<std::string> warnings;
    std::size_t responsibility_lines = 0;  // 责任部门/牵头部门/配合部门… lines read

    std::size_t task_count() const;
    std::size_t item_count() const;
    const Task* find_task(const std::string& number) const;
};

}  // namespace rl::core
