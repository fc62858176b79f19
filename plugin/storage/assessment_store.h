// What the department scores (考评) gather from the ledger beyond the
// obligations themselves: when each report was first submitted and how often
// it was returned (from the audit trail), and the supervision notices issued.
// One SQL text for both engines; reads only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/ledger.h"
#include "storage/database.h"

namespace rl::storage {

struct ReportFacts {
    std::string first_submitted_at;  // ISO 8601 UTC; empty: never submitted
    int returns = 0;
};

struct NoticeIssued {
    std::string department;
    std::string task_number;
    std::string issued_at;  // ISO 8601 UTC
};

// A task's closure (办结) as filed by the reform office, for a task still closed
// or struck (a reopened task's earlier closure does not count).
struct ClosureFiled {
    std::string department;  // the lead department that applied
    std::string task_number;
    std::string filed_at;  // ISO 8601 UTC
    std::string deadline;  // the task's effective deadline (ISO date); empty: none
};

class AssessmentStore {
public:
    explicit AssessmentStore(Database& database) : database_(database) {}

    // Obligation id → its facts, for the plan's obligations whose period ends
    // from first_month to last_month ("2019-01" … "2019-12"). Obligations
    // never submitted nor returned are not in it.
    std::map<std::int64_t, ReportFacts> report_facts(const core::PlanInfo& plan,
                                                     const std::string& first_month,
                                                     const std::string& last_month);

    // Every supervision notice of the plan, oldest first.
    std::vector<NoticeIssued> notices(const core::PlanInfo& plan);

    // The plan's tasks closed and not reopened, each with its last filed
    // closure, oldest first.
    std::vector<ClosureFiled> closures_filed(const core::PlanInfo& plan);

private:
    Database& database_;
};

}  // namespace rl::storage
