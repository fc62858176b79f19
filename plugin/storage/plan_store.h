// Plans in the database: importing a parsed plan (idempotently: the same plan
// twice changes nothing) and reading the ledger back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/assignment_resolver.h"
#include "core/ledger.h"
#include "core/plan.h"
#include "storage/database.h"

namespace rl::storage {

struct PlanSource {
    std::string plan_key;        // identity; defaults to the plan's title when empty
    std::string name;            // file name or "request content"
    std::string encoding;        // as decoded
    std::string content_sha256;  // of the decoded text
    std::string file_sha256;     // of the bytes as given
};

// Who imports, as the audit trail records it: a person of the org chart, or
// "service:NAME" for an OA's own call, and the role they act in.
struct Importer {
    std::string actor;
    std::string role;
};

struct ImportOutcome {
    std::int64_t plan_id = 0;
    std::string plan_key;
    bool plan_created = false;
    int rows_added = 0;    // sections, tasks, items, departments, assignments
    int rows_updated = 0;  // changed text, role, order…
    int rows_retired = 0;  // no longer in the plan
    // Task numbers, in plan order: new (or back after being retired); with
    // changed text, items or departments; no longer in the plan.
    std::vector<std::string> tasks_added, tasks_changed, tasks_retired;
    bool changed() const { return plan_created || rows_added + rows_updated + rows_retired > 0; }
};

class PlanStore {
public:
    explicit PlanStore(Database& database) : database_(database) {}

    // One transaction: either the whole plan is stored, with its audit entry
    // (what was added, changed and retired, by whom), or nothing is. An
    // import that changes nothing writes nothing. Throws std::invalid_argument
    // when the importer names no actor.
    ImportOutcome import(const core::Plan& plan, const core::Resolution& resolution,
                         const PlanSource& source, const Importer& importer, std::int64_t now_ms);

    std::vector<core::PlanInfo> plans();

    // The plan with this key, or the most recently imported one when key is
    // empty. Throws NotFound when there is none.
    core::PlanInfo plan(const std::string& key);

    // Rows for one plan; with a department, only tasks it leads or co-operates on.
    std::vector<core::LedgerRow> ledger(const core::PlanInfo& plan,
                                        const std::optional<std::string>& department);

    core::LedgerSummary summary(const core::PlanInfo& plan);

private:
    Database& database_;
};

// A plan, department or other object the caller named does not exist.
class NotFound : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace rl::storage
