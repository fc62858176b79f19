// The audit trail (全程留痕): one append-only row per action, written by
// whichever store makes the change, inside the same transaction.
//
// The trail is tamper-evident: each entry carries a SHA-256 over a canonical
// encoding of all its columns and the previous entry's hash (a hash chain),
// and each report action carries the hash of the report version it produced.
// verify_audit() walks the chain and checks reports and their versions
// against it, naming the first broken link. The encoding is in docs/abi.md.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace rl::storage {

class StatementCache;

struct AuditRecord {
    std::string at;  // ISO 8601 UTC
    std::string actor;
    std::string acting_for;
    std::string role;
    std::string action;
    std::int64_t plan_id = 0;
    std::string task_number;
    std::string item_number;
    std::string department;
    std::string period;
    std::int64_t obligation_id = 0;  // 0: none
    std::int64_t report_id = 0;      // 0: none
    std::string from_state, to_state, from_step, to_step;
    std::string reason;
    std::optional<int> report_version;
    std::string version_sha256;  // of the report version this action produced, if any
    std::string detail;          // a JSON object with more about the action, or empty
};

// The fields every action on an obligation records; the caller adds the rest
// (acting_for, report, states and steps, reason, version).
AuditRecord audit_of(const std::string& at, const std::string& actor, const std::string& role,
                     const std::string& action, std::int64_t plan_id,
                     const std::string& task_number, const std::string& item_number,
                     const std::string& department, const std::string& period,
                     std::int64_t obligation_id);

// Appends the record to the chain: reads the last entry's hash, so it must
// run inside the write transaction that makes the change it records.
void append_audit(Poco::Data::Session& session, const AuditRecord& record);
// The same with the two statements kept prepared in the caller's cache (a
// store's hot write path; storage/statement_cache.h).
void append_audit(Poco::Data::Session& session, const AuditRecord& record, StatementCache& cache);

// The hash a report action records for the version row it wrote.
std::string report_version_sha256(std::int64_t report_id, int version, const std::string& state,
                                  const std::string& step, const std::string& content,
                                  const std::string& recorded_at);

// Chains the entries written before the chain existed (the audit_chain
// migration), once: the first open of an upgraded ledger seals them in id
// order. Later opens find nothing to do (one read).
void seal_legacy_audit(Database& database);

// The previous hash of the first entry.
extern const char* const kAuditGenesis;

struct AuditProblem {
    std::int64_t audit_id = 0;   // the entry where the chain breaks, or 0
    std::int64_t report_id = 0;  // the report that does not match, or 0
    std::string what;
};

struct AuditVerification {
    std::int64_t entries_checked = 0;
    std::int64_t reports_checked = 0;
    std::optional<AuditProblem> first_problem;
    std::int64_t head_id = 0;  // the last entry and its hash: keep them elsewhere to
    std::string head_hash;     // detect a rewrite of the whole chain or of its tail
    bool ok() const { return !first_problem; }
};

// Walks the chain from the first entry, then checks every report version
// against the entry that recorded it and every report against its latest
// version, then that the protecting triggers are in place. Stops at the first
// problem. Read-only: run it inside a read transaction.
AuditVerification verify_audit(Poco::Data::Session& session);

}  // namespace rl::storage
