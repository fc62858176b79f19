// Leaders' instructions (批示): who may write one and who may answer it.
// An instruction is written on a task or on one of its reports by the
// president or a leader in charge of one of the task's departments, and is
// addressed to one or more departments, each of which answers (反馈) once or
// several times; an answer marked final closes that department's part, and
// the instruction is closed when every part is. Pure decisions; storage and
// the ABI keep and carry them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/org_chart.h"

namespace rl::core {

// The role person writes an instruction in ("president" or
// "leader_in_charge") on a task whose departments (lead and co-operating) are
// these, or nothing when they may not: the president may instruct on every
// task; a leader in charge on the tasks of the departments in their charge.
std::optional<std::string> instruction_writer_role(
    const Person& person, const std::vector<std::string>& task_departments);

// The role person answers an addressed department's part in ("head" or
// "contact"), or nothing when they may not: only that department's contact or
// head (their own department or a position in it).
std::optional<std::string> instruction_answer_role(const Person& person,
                                                   const std::string& department);

}  // namespace rl::core
