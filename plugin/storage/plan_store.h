// Plans in the database: importing a parsed plan (idempotently: the same plan
// twice changes nothing) and reading the ledger back.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
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
    // The write transactions the import took (1 for a re-import) and how
    // long the longest held the write lock, in milliseconds (its first
    // statement to its commit). Inside an enclosing transaction, parts of it.
    int write_slices = 0;
    double longest_write_ms = 0;
    bool changed() const { return plan_created || rows_added + rows_updated + rows_retired > 0; }
};

// How long an import's hidden plan row is kept for it without a sign of
// life (each slice renews it when a quarter of it has passed): a row whose
// lease has run out belongs to an import that failed or whose process died.
constexpr std::int64_t kImportLeaseMs = 120000;

// Milliseconds since the epoch by the machine's wall clock (not the host's
// clock, which a test or a replay may set): what import leases are kept in.
std::int64_t wall_clock_ms();

class PreparedImport;
class StatementCache;
class PlanYearsMemo;

class PlanStore {
public:
    // import_slice: about how long one write transaction of a new plan's
    // import may hold the write lock before it commits and the next begins
    // (storage/write_slices.h: at least one step each).
    explicit PlanStore(Database& database,
                       std::chrono::milliseconds import_slice = std::chrono::milliseconds(100));
    ~PlanStore();
    PlanStore(const PlanStore&) = delete;
    PlanStore& operator=(const PlanStore&) = delete;

    // All or nothing: either the whole plan is stored, with its audit entry
    // (what was added, changed and retired, by whom), or no read ever sees
    // any of it. An import that changes nothing writes nothing. Throws
    // std::invalid_argument when the importer names no actor,
    // ImportInProgress when another call is importing the same new plan.
    //
    // A re-import changes a plan readers see: one write transaction. A new
    // plan is written in slices (storage/write_slices.h; other writers wait
    // for at most one slice): the first stores its plan row hidden — every
    // read of plans skips a row whose importing_until is set — with its
    // departments; the next ones its sections, tasks, items and assignments;
    // the last one its audit entry and the flag cleared, which shows it.
    // When a slice fails, what the earlier ones stored is removed before the
    // error is rethrown; if that fails too, or the process dies, the hidden
    // row's lease (kImportLeaseMs) runs out and remove_abandoned_imports (at
    // start) or the next import of the plan removes it.
    ImportOutcome import(const core::Plan& plan, const core::Resolution& resolution,
                         const PlanSource& source, const Importer& importer, std::int64_t now_ms);

    // import() in two parts, for a caller whose last write transaction holds
    // more (plan.import hands its result out in it): prepare_import() writes
    // a new plan's slices but the last (a re-import: nothing), and
    // finish_import() the rest in the write transaction the caller runs (it
    // joins it), the plan shown when that commits. A PreparedImport dropped
    // unfinished removes what its slices stored.
    std::shared_ptr<PreparedImport> prepare_import(const core::Plan& plan,
                                                   const core::Resolution& resolution,
                                                   const PlanSource& source,
                                                   const Importer& importer, std::int64_t now_ms);
    ImportOutcome finish_import(PreparedImport& prepared);

    std::vector<core::PlanInfo> plans();

    // The plan with this key, or the most recently imported one when key is
    // empty. Throws NotFound when there is none. Inside a write transaction()
    // its statement is kept prepared on the writer's connection, and the
    // plan's years are worked out again only when its title or preamble
    // changed.
    core::PlanInfo plan(const std::string& key);

    // Rows for one plan; with a department, only tasks it leads or co-operates on.
    std::vector<core::LedgerRow> ledger(const core::PlanInfo& plan,
                                        const std::optional<std::string>& department);

    core::LedgerSummary summary(const core::PlanInfo& plan);

    // Removes the hidden rows of imports whose lease ran out before
    // wall_now_ms (milliseconds since the epoch by the wall clock), and then,
    // when no import is under way, the departments no assignment names; how
    // many plans it removed.
    int remove_abandoned_imports(std::int64_t wall_now_ms);

private:
    Database& database_;
    std::chrono::milliseconds slice_;
    // For plan() inside a write: its statements kept prepared, the plans'
    // years as last worked out.
    std::unique_ptr<StatementCache> hot_;
    std::unique_ptr<PlanYearsMemo> years_;
};

// Another call is importing the same new plan (its hidden row holds a live
// lease).
class ImportInProgress : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A plan, department or other object the caller named does not exist.
class NotFound : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace rl::storage
