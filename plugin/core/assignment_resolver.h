// Turns the departments a plan names into assignments of real departments:
// group shorthand (各审判执行部门 …) expands through the org chart, aliases
// resolve to the canonical name, and names the org chart does not know are
// kept — marked unknown and reported — never dropped.
#pragma once

#include <string>
#include <vector>

#include "core/org_chart.h"
#include "core/plan.h"

namespace rl::core {

struct Assignment {
    std::string task_number;
    std::string item_number;  // empty for a task-level assignment
    std::string department;   // canonical name (or the name as written if unknown)
    Role role = Role::co;
    int ordinal = 0;         // order within the task or item
    std::string written_as;  // the name in the document
    std::string via_group;   // the group it came from, if any
    bool known = true;       // false if the org chart does not know the department
};

struct Resolution {
    std::vector<Assignment> assignments;
    std::vector<std::string> unknown;   // "task 5: 某某庭" — one per unknown name and place
    std::vector<std::string> warnings;  // human-readable, with task numbers
};

Resolution resolve_assignments(const Plan& plan, const OrgChart& org_chart);

}  // namespace rl::core
