// The workflow the engine runs is the one the plugin registers: parsed from
// its definition (plugin/definitions/workflows/), not written again in code.
#pragma once

#include <string_view>

#include "core/workflow.h"

namespace rl {

// Throws std::logic_error if the compiled-in definition cannot be run.
core::Workflow load_workflow(std::string_view definition_json);

// The progress-report approval workflow among the compiled-in definitions.
core::Workflow progress_report_workflow();

// The closure (办结) approval workflow among the compiled-in definitions.
core::Workflow task_closure_workflow();

}  // namespace rl
