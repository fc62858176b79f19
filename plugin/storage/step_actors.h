// Who acted at which step of an approval (the separation of duties is
// decided on it), as reports and task closures store it in their
// step_actors column: one "step<TAB>person" line per step a person acted at.
#pragma once

#include <string>
#include <vector>

#include "core/workflow.h"

namespace rl::storage {

std::string encode_step_actors(const std::vector<core::StepActor>& actors);
std::vector<core::StepActor> decode_step_actors(const std::string& text);

}  // namespace rl::storage
