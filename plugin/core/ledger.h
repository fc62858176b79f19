// What the ledger shows: one row per task with its lead and co-operating
// departments, and a summary per plan and per department. Plain data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rl::core {

struct PlanInfo {
    std::int64_t id = 0;
    std::string key;
    std::string title;
    std::string source_name;
    std::string source_encoding;
    std::string imported_at;
    std::string updated_at;
    // The years the plan is about (core::plan_years); periods are taken
    // within kPlanYearMargin of them.
    int first_year = 0;
    int last_year = 0;
};

struct LedgerItemRow {
    std::string number;
    std::string text;
    std::vector<std::string> lead;
    std::vector<std::string> co;
};

struct LedgerRow {
    std::string section_number;
    std::string section_title;
    std::string number;
    std::string title;
    std::string label;         // the number as the plan writes it
    std::string group_number;  // the subsection (（一）) it stands in; empty if none
    std::string group_title;
    bool has_deadline = false;
    std::string deadline_text;   // as written
    std::string deadline_due;    // ISO date; empty for 长期坚持 and the like
    std::string progress;        // 进度要求
    std::string where;           // line 12, paragraph 40, sheet '分工表' row 7
    std::string stage = "open";  // core::TaskStage (core/task_lifecycle.h)
    std::string deadline_set;    // ISO date the reform office set or an extension gave
    std::string escalated_at;    // when the sweep escalated the deadline in force (UTC), or empty
    bool reported = false;       // a report of the task has been submitted
    std::vector<std::string> lead;  // for a task with items: the items' leads
    std::vector<std::string> co;    // co-operating departments not already leading
    std::vector<LedgerItemRow> items;
};

struct DepartmentLoad {
    std::string department;
    bool in_org_chart = true;
    int lead = 0;  // tasks or items it leads
    int co = 0;    // tasks or items it co-operates on
};

struct LedgerSummary {
    PlanInfo plan;
    int sections = 0;
    int tasks = 0;
    int items = 0;
    int assignments = 0;
    int lead_assignments = 0;
    int co_assignments = 0;
    std::vector<DepartmentLoad> departments;  // by lead count, then co count, then name
};

}  // namespace rl::core
