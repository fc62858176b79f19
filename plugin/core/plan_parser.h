// Reads a plan document in the family of the Yanji 2019 plan (工作要点及分工方案)
// into a Plan. Input is UTF-8 text; decoding files is the caller's business.
//
// The shape it understands:
//   - a work-points preamble (kept as narrative, never read as tasks);
//   - sections:   一、推进司法责任制
//   - tasks:      1.加强审判团队建设。…   (also 1．, 1、)
//   - items:      （1）建立健全…           (also (1))
//   - responsibility lines after a task or item:
//       责任部门/责任单位：A、B、C   first listed leads (unless configured otherwise)
//       牵头部门/牵头单位：A         leads
//       配合部门/参加部门/协办部门：B  co-operates
//     separated by 、 ， ； , ; or spaces; a name followed by （牵头） leads;
//   - a closing note:   注：…
// Full-width and ASCII punctuation are accepted alike.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

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

Plan parse_plan(std::string_view text, const ParseOptions& options = {});

}  // namespace rl::core
