// Department scores (考评) as every family needs them: the ranked table of a
// plan's departments over some months of a year, gathered from the ledger
// (assessment_methods.cpp) and ranked by core/scores.h. scores.period and
// scores.year show it; the monthly bulletin (export.bulletin) prints it.
#pragma once

#include <string>
#include <vector>

#include "abi/context.h"
#include "core/ledger.h"
#include "core/scores.h"

namespace rl::abi {

struct DepartmentScores {
    std::vector<core::DepartmentScore> table;  // ranked, highest first
    std::vector<std::string> months_scored;
    std::vector<std::string> months_not_scored;
};

// Months first…last (1–12) of year. Reads only.
DepartmentScores department_scores(Context& context, const core::PlanInfo& plan, int year,
                                   int first, int last);

}  // namespace rl::abi
