// Reads a plan document — the text of a file, or the blocks a Word or Excel
// reader made of it (core/document.h) — into a Plan. Plain data, no I/O.
//
// The shapes it understands:
//   - a work-points preamble before the division-of-labour part (kept as
//     narrative, never read as tasks);
//   - sections:   一、推进司法责任制      (一、 again after 六、: a new part)
//   - groups:     （一）加强审判团队建设    (when tasks are numbered below them)
//   - tasks:      1.加强审判团队建设。…   (also 1． 1、; or （一）… or 一是… when
//                 that is the level the units are written at)
//   - items:      （1）建立健全…           (also (1))
//   - responsibility lines after a task or item, labels in any order and
//     several on one line:
//       责任部门/责任单位：A、B、C   first listed leads (unless configured otherwise)
//       牵头部门/牵头单位：A         leads (then 责任单位 lists co-operate)
//       配合部门/参加部门/协办部门：B  co-operates
//       完成时限/时间节点/完成时间：…  the task's deadline
//       进度要求：…                  the task's progress
//       责任领导/分管领导：…          people, kept in the task text
//     separated by 、 ， ； , ; or spaces; a name followed by （牵头） leads;
//     names in bold (Word) lead and the others co-operate;
//   - units at the end of a task in brackets: （立案庭、技术科负责，2020年6月底前
//     完成）, 〔责任部门：立案庭，配合部门：技术科〕 (also 【】 and []);
//     "列第一位者为牵头部门，下同" makes the first listed lead from there on;
//   - division-of-labour tables (core/plan_table.h); other tables are read
//     cell by cell as paragraphs;
//   - a closing note (注：…) and closing lines (the issuing body, the date,
//     （此件公开发布）).
// Full-width and ASCII punctuation are accepted alike.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/document.h"
#include "core/plan.h"

namespace rl::core {

enum class LeadRule {
    first_listed,   // in a 责任部门 list, the first department leads
    explicit_only,  // only 牵头 labels, （牵头） markers and overrides make a lead
};

struct ParseOptions {
    LeadRule lead_rule = LeadRule::first_listed;
    // Task number ("33") or item ("14(1)") → the department that leads it.
    std::map<std::string, std::string> lead_overrides;
    // Tasks and items together; a plan with more is refused (PlanError), so
    // nothing is ever kept in part.
    int max_tasks = 100000;
};

// A document that cannot be read as a plan. The message names the line.
class PlanError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reads the source twice (a survey, then the plan), a block at a time: a text
// of millions of lines is never held as Paragraphs. Plan::format is the
// source's.
Plan parse_plan(DocumentSource& source, const ParseOptions& options = {});

// The text, one paragraph per line (TextSource).
Plan parse_plan(std::string_view text, const ParseOptions& options = {});

}  // namespace rl::core
