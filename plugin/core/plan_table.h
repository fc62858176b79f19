// The division-of-labour table (分工表), in a Word document or an Excel sheet:
// a header row found by its column names (序号, 任务/工作任务/改革任务/重点工作…,
// 牵头部门/牵头单位, 配合部门/配合单位/参加部门/协办单位/责任单位, 完成时限/时间节点
// /完成时间, 进度要求…), title rows above it skipped, rows merged across the
// whole table read as section headings, merged cells repeating their value.
// Plain functions, no I/O.
//
// How rows read:
//   - a row merged across (or a 序号 cell with a title merged across the rest)
//     is a heading: "一、…" a new Section, "（一）…" a Group of the tasks below,
//     without a number a Section titled with the text. In a sheet that merges
//     nothing, a row with only "一" | "深化立案改革" is one too, where the
//     tasks are numbered in digits;
//   - a task cell merged down over rows that have departments (or a 序号) of
//     their own, beside a 具体措施 column: each row is a task (its 具体措施),
//     the merged task their Group; otherwise the rows below only continue the
//     task: their 具体措施 join its text, their departments its own;
//   - a row with an empty task cell continues the task above the same way;
//   - departments: 牵头 columns lead, 配合 columns co-operate, a 责任单位
//     column co-operates beside a 牵头 column and otherwise follows its bold
//     names or the lead rule; A（牵头）, A牵头 mark a lead anywhere; 责任领导
//     and 分管领导 name people and are not read;
//   - a deadline from the 完成时限 column, or else the task text's own phrase.
// Warnings name the row: a task without departments or without a lead, a
// deadline that cannot be fixed, a row that continues no task; and the
// table: a department column empty in every row.
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
