// The division-of-labour table (分工表), in a Word document or an Excel sheet:
// a header row found by its column names (序号, 任务/工作任务/改革任务/重点工作…,
// 牵头部门/牵头单位, 配合部门/配合单位/参加部门/协办单位/责任单位, 完成时限/时间节点
// /完成时间, 进度要求…), title rows above it skipped, rows merged across the
// whole table read as section headings, merged cells repeating their value.
// Plain functions, no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/document.h"
#include "core/plan.h"
#include "core/plan_parser.h"

namespace rl::core {

// What the table reader shares with the paragraph parser around it.
struct TableContext {
    const ParseOptions& options;
    std::optional<int> year;             // the plan's year, for deadlines
    std::size_t& tasks_and_items;        // counted against options.max_tasks
    std::vector<std::string>& warnings;  // the plan's warnings (the parser caps them)
};

// Whether the table has a header row that makes it a division-of-labour
// table (a task column and at least one department column).
bool is_division_table(const Table& table);

// Reads the table's tasks into plan: a new section for each merged heading
// row (or the current last section, or one unnamed section when there is
// none), a Task for each data row with departments, deadline, progress and
// where ("sheet '分工表' row 7"); number and label from the 序号 column (the
// parser renumbers afterwards if numbers repeat: see Task::number). Throws
// PlanError (naming the row) when the plan would exceed options.max_tasks.
void read_division_table(const Table& table, Plan& plan, TableContext& context);

}  // namespace rl::core
