#include "storage/audit.h"
#include "storage/cursor.h"
#include "storage/statement_cache.h"

#include <openssl/evp.h>

#include <chrono>
#include <iterator>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

using Poco::Data::Session;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace rl::storage {

const char* const kAuditGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

namespace {

using Id = Poco::Int64;

// The canonical encoding a hash covers (docs/abi.md): a tag naming what is
// hashed, then each field as "-" for NULL or its length in bytes, ":" and its
// bytes (integers in decimal). Unambiguous: no value can pass for another.
class Encoding {
public:
    explicit Encoding(std::string_view tag) { text(tag); }
    Encoding& text(std::string_view value) {
        out_ += std::to_string(value.size());
        out_ += ':';
        out_.append(value.data(), value.size());
        return *this;
    }
    Encoding& integer(std::int64_t value) { return text(std::to_string(value)); }
    Encoding& null() {
        out_ += '-';
        return *this;
    }
    std::string sha256_hex() const {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int size = 0;
        if (EVP_Digest(out_.data(), out_.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
            throw StorageError("SHA-256 of an audit entry failed (OpenSSL EVP_Digest)");
        }
        static const char* const kHex = "0123456789abcdef";
        std::string hex;
        hex.reserve(2 * size);
        for (unsigned int i = 0; i < size; ++i) {
            hex += kHex[digest[i] >> 4];
            hex += kHex[digest[i] & 15];
        }
        return hex;
    }

private:
    std::string out_;
};

constexpr std::string_view kEntryTag = "reform-ledger audit entry v1";
constexpr std::string_view kVersionTag = "reform-ledger report version v1";

// Every column of audit_log in the order the hash covers them, then the hash.
constexpr const char* kEntryColumns =
    "id, at, actor, acting_for, role, action, plan_id, task_number, item_number, department,"
    " period, obligation_id, report_id, from_state, to_state, from_step, to_step, reason,"
    " report_version, version_sha256, detail, prev_hash, hash";
constexpr int kVersionSha256Column = 19;
constexpr int kDetailColumn = 20;
constexpr int kPrevHashColumn = 21;
constexpr int kHashColumn = 22;

std::string entry_hash(const AuditRecord& r, std::int64_t id, const std::string& prev_hash) {
    Encoding e(kEntryTag);
    e.integer(id).text(r.at).text(r.actor).text(r.acting_for).text(r.role).text(r.action);
    e.integer(r.plan_id).text(r.task_number).text(r.item_number).text(r.department).text(r.period);
    r.obligation_id != 0 ? e.integer(r.obligation_id) : e.null();
    r.report_id != 0 ? e.integer(r.report_id) : e.null();
    e.text(r.from_state).text(r.to_state).text(r.from_step).text(r.to_step).text(r.reason);
    r.report_version ? e.integer(*r.report_version) : e.null();
    e.text(r.version_sha256).text(r.detail).text(prev_hash);
    return e.sha256_hex();
}

// Appends a column of the current row to an encoding as it is stored.
void encode(Encoding& e, const Cursor& row, int column) {
    row.null(column) ? e.null() : e.text(row.text(column));
}

// The hash of the entry in the current row of a SELECT kEntryColumns, every
// column as stored.
std::string stored_entry_hash(const Cursor& row) {
    Encoding e(kEntryTag);
    for (int column = 0; column < kHashColumn; ++column) {
        encode(e, row, column);
    }
    return e.sha256_hex();
}

// The same for an entry being sealed: its version hash and link are new.
std::string sealed_entry_hash(const Cursor& row, const std::string& version_sha256,
                              const std::string& prev_hash) {
    Encoding e(kEntryTag);
    for (int column = 0; column < kVersionSha256Column; ++column) {
        encode(e, row, column);
    }
    e.text(version_sha256);
    encode(e, row, kDetailColumn);
    e.text(prev_hash);
    return e.sha256_hex();
}

std::string version_hash_of_row(const Cursor& row, int first_column) {
    Encoding e(kVersionTag);
    for (int column = first_column; column < first_column + 6; ++column) {
        encode(e, row, column);
    }
    return e.sha256_hex();
}

struct LastEntry {
    Id id = 0;
    std::string hash;
};

// On every append: on SQLite through the SQLite API, a fraction of Poco
// Data's cost for a one-row read (it showed in the approval benchmark's
// profile). Appends never race: every write transaction is serialised (by
// SQLite's one writer, and on PostgreSQL by the ledger's advisory lock that
// each write transaction takes), so the last entry read here stays the last
// until this one is written.
constexpr const char* kLastEntry = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";

// cache: where the statement is kept prepared, or null to prepare it here.
LastEntry last_entry(Session& s, StatementCache* cache = nullptr) {
    Cursor last = cache != nullptr ? cache->use(s, kLastEntry) : Cursor(s, kLastEntry);
    if (!last.step()) {
        return {};
    }
    return {last.integer(0), last.text(1)};
}

std::string system_time_utc() {
    return iso_utc(std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count());
}

// Chains the entries written before the audit_chain migration, if that has
// not been done yet. Inside a write transaction.
void seal_legacy(Session& s) {
    std::vector<Id> up_to;
    std::vector<int> sealed;
    s << "SELECT legacy_up_to, CASE WHEN legacy_sealed_at IS NULL THEN 0 ELSE 1 END FROM "
         "audit_chain",
        into(up_to), into(sealed), now;
    if (up_to.empty() || sealed[0] != 0) {
        return;
    }
    // Each version an old report action wrote is bound to that action: the
    // first entry naming the report and version (later ones, a waiver, only
    // refer to it).
    std::map<Id, std::string> version_hash_of_entry;
    {
        Cursor versions(s,
                        "SELECT MIN(a.id), v.report_id, v.version, v.state, v.step, v.content,"
                        " v.recorded_at FROM report_versions v JOIN audit_log a"
                        " ON a.report_id = v.report_id AND a.report_version = v.version"
                        " AND a.id <= $1 GROUP BY v.id");
        versions.bind(up_to[0]);
        while (versions.step()) {
            version_hash_of_entry[versions.integer(0)] = version_hash_of_row(versions, 1);
        }
    }
    std::string prev = kAuditGenesis;
    Id after = 0;
    for (;;) {
        // In batches, so the rows are read before they are updated.
        struct Sealed {
            Id id;
            std::string version_sha256, prev_hash, hash;
        };
        std::vector<Sealed> batch;
        {
            Cursor rows(s, std::string("SELECT ") + kEntryColumns +
                               " FROM audit_log WHERE id > $1 AND id <= $2 ORDER BY id LIMIT 500");
            rows.bind(after).bind(up_to[0]);
            while (rows.step()) {
                const Id id = rows.integer(0);
                const auto found = version_hash_of_entry.find(id);
                const std::string version_sha256 = found != version_hash_of_entry.end()
                                                       ? found->second
                                                       : rows.text(kVersionSha256Column);
                const std::string hash = sealed_entry_hash(rows, version_sha256, prev);
                batch.push_back({id, version_sha256, prev, hash});
                prev = hash;
                after = id;
            }
        }
        if (batch.empty()) {
            break;
        }
        for (auto& e : batch) {
            s << "UPDATE audit_log SET version_sha256 = $1, prev_hash = $2, hash = $3 WHERE id = "
                 "$4",
                use(e.version_sha256), use(e.prev_hash), use(e.hash), use(e.id), now;
        }
    }
    std::string at = system_time_utc();
    s << "UPDATE audit_chain SET legacy_sealed_at = $1", use(at), now;
}

AuditProblem entry_problem(std::int64_t id, std::string what) {
    AuditProblem p;
    p.audit_id = id;
    p.what = std::move(what);
    return p;
}

AuditProblem report_problem(std::int64_t id, std::string what) {
    AuditProblem p;
    p.report_id = id;
    p.what = std::move(what);
    return p;
}

// Entries previous+1 … id-1 are not there.
std::string entries_missing(std::int64_t previous, std::int64_t id) {
    const std::string first = std::to_string(previous + 1);
    const std::string last = std::to_string(id - 1);
    const std::string which = first == last ? "audit entry " + first + " is"
                                            : "audit entries " + first + " to " + last + " are";
    const std::string where = previous == 0 ? "the trail starts at entry " + std::to_string(id)
                                            : "entry " + std::to_string(id) + " follows entry " +
                                                  std::to_string(previous);
    return which + " missing: " + where + " (deleted behind the plugin's back)";
}

// The chain from the first entry: consecutive ids, each hash over its entry,
// each entry linked to the one before.
std::optional<AuditProblem> check_chain(Session& s, AuditVerification& v) {
    Cursor rows(s, std::string("SELECT ") + kEntryColumns + " FROM audit_log ORDER BY id");
    std::string prev = kAuditGenesis;
    std::int64_t previous = 0;
    while (rows.step()) {
        ++v.entries_checked;
        const std::int64_t id = rows.integer(0);
        const std::string hash = rows.text(kHashColumn);
        const std::string name = "audit entry " + std::to_string(id);
        if (id != previous + 1) {
            return entry_problem(previous + 1, entries_missing(previous, id));
        }
        if (hash.empty()) {
            return entry_problem(id, name +
                                         " has no hash: it was written, or its hash removed, "
                                         "behind the plugin's back");
        }
        if (stored_entry_hash(rows) != hash) {
            return entry_problem(id, name +
                                         " does not match its hash: it was changed after it "
                                         "was written");
        }
        if (rows.text(kPrevHashColumn) != prev) {
            if (previous == 0) {
                return entry_problem(id, name +
                                             " does not start from the chain's genesis value "
                                             "(entries before it were removed or replaced)");
            }
            const std::string before = std::to_string(previous);
            return entry_problem(id, "the chain is broken between audit entries " + before +
                                         " and " + std::to_string(id) + ": entry " +
                                         std::to_string(id) + " does not carry the hash of entry " +
                                         before +
                                         " (one of them was rewritten, or an entry was replaced)");
        }
        prev = hash;
        previous = id;
    }
    return std::nullopt;
}

std::string version_name(std::int64_t report_id, std::int64_t version) {
    return "report " + std::to_string(report_id) + " version " + std::to_string(version);
}

// Every version against the entry that recorded it, and every recorded
// version still there.
std::optional<AuditProblem> check_versions(Session& s) {
    {
        Cursor rows(s,
                    "SELECT v.report_id, v.version, v.state, v.step, v.content, v.recorded_at,"
                    " a.id, a.version_sha256 FROM report_versions v LEFT JOIN audit_log a"
                    " ON a.report_id = v.report_id AND a.report_version = v.version"
                    " AND a.version_sha256 <> '' ORDER BY v.report_id, v.version, a.id");
        std::int64_t last_report = 0;
        std::int64_t last_version = -1;
        while (rows.step()) {
            const std::int64_t report = rows.integer(0);
            const std::int64_t version = rows.integer(1);
            if (report == last_report && version == last_version) {
                continue;  // a second entry naming it; the first one counts
            }
            last_report = report;
            last_version = version;
            if (rows.null(6)) {
                return report_problem(
                    report, version_name(report, version) +
                                " has no audit entry: the entry that recorded it is missing, or "
                                "the version was written behind the plugin's back");
            }
            if (version_hash_of_row(rows, 0) != rows.text(7)) {
                return report_problem(
                    report, version_name(report, version) + " does not match audit entry " +
                                std::to_string(rows.integer(6)) +
                                ": the version was changed after it was recorded");
            }
        }
    }
    Cursor gone(s,
                "SELECT a.id, a.report_id, a.report_version FROM audit_log a"
                " WHERE a.version_sha256 <> '' AND NOT EXISTS (SELECT 1 FROM report_versions v"
                " WHERE v.report_id = a.report_id AND v.version = a.report_version)"
                " ORDER BY a.id LIMIT 1");
    if (gone.step()) {
        return report_problem(gone.integer(1), version_name(gone.integer(1), gone.integer(2)) +
                                                   " is missing: audit entry " +
                                                   std::to_string(gone.integer(0)) +
                                                   " recorded it, and it was deleted since");
    }
    return std::nullopt;
}

// Every report as its latest version left it. Only the columns a version
// records are compared, so columns added to reports later do not matter.
std::optional<AuditProblem> check_reports(Session& s, AuditVerification& v) {
    Cursor rows(s,
                "SELECT r.id, r.version, r.state, r.step, r.content, v.version, v.state, v.step,"
                " v.content FROM reports r LEFT JOIN report_versions v ON v.report_id = r.id"
                " AND v.version = (SELECT MAX(x.version) FROM report_versions x"
                " WHERE x.report_id = r.id) ORDER BY r.id");
    while (rows.step()) {
        ++v.reports_checked;
        const std::int64_t id = rows.integer(0);
        const std::string name = "report " + std::to_string(id);
        if (rows.null(5)) {
            return report_problem(id, name +
                                          " has no recorded version: it was written behind "
                                          "the plugin's back");
        }
        const std::string latest = std::to_string(rows.integer(5));
        if (rows.text(1) != rows.text(5)) {
            return report_problem(id, name + " is at version " + rows.text(1) +
                                          " but its latest recorded version is " + latest +
                                          ": it was changed without a version and an audit entry");
        }
        std::string differs;
        const char* const fields[] = {"state", "step", "content"};
        for (int i = 0; i < 3; ++i) {
            if (rows.text(2 + i) != rows.text(6 + i)) {
                differs += differs.empty() ? "" : ", ";
                differs += fields[i];
            }
        }
        if (!differs.empty()) {
            return report_problem(id, name + " does not match its latest recorded version " +
                                          latest + " (" + differs +
                                          " differ): it was changed behind the plugin's back");
        }
    }
    return std::nullopt;
}

// The triggers that keep the trail, the versions and the reports as written.
std::optional<AuditProblem> check_protection(Session& s) {
    static const std::pair<const char*, const char*> kTriggers[] = {
        {"audit_log_is_append_only_update", "audit_log"},
        {"audit_log_is_append_only_delete", "audit_log"},
        {"audit_chain_is_fixed_update", "audit_chain"},
        {"audit_chain_is_fixed_delete", "audit_chain"},
        {"report_versions_are_append_only_update", "report_versions"},
        {"report_versions_are_append_only_delete", "report_versions"},
        {"reports_are_never_deleted", "reports"},
        {"reports_change_by_one_version", "reports"},
    };
    // PostgreSQL also has TRUNCATE, which row triggers do not see
    // (sql/postgresql/0002, 0005).
    static const std::pair<const char*, const char*> kTruncateGuards[] = {
        {"audit_log_is_append_only_truncate", "audit_log"},
        {"audit_chain_is_fixed_truncate", "audit_chain"},
        {"report_versions_are_append_only_truncate", "report_versions"},
        {"reports_are_never_truncated", "reports"},
    };
    const bool postgresql = is_postgresql(s);
    // Dialect: each engine keeps its triggers in its own catalogue; on
    // PostgreSQL a disabled trigger protects nothing either.
    const std::string sql =
        postgresql ? "SELECT COUNT(*) FROM pg_trigger WHERE tgname = $1"
                     " AND tgrelid = to_regclass($2) AND tgenabled <> 'D'"
                   : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = $1"
                     " AND tbl_name = $2";
    std::vector<std::pair<const char*, const char*>> triggers(std::begin(kTriggers),
                                                              std::end(kTriggers));
    if (postgresql) {
        triggers.insert(triggers.end(), std::begin(kTruncateGuards), std::end(kTruncateGuards));
    }
    for (const auto& [name, table] : triggers) {
        Cursor found(s, sql);
        found.bind(std::string(name)).bind(std::string(table));
        if (!found.step() || found.integer(0) == 0) {
            AuditProblem p;
            p.what = std::string("the trigger '") + name + "' protecting " + table + " is missing" +
                     (postgresql ? " or disabled" : "") +
                     ": someone with access to the database removed it";
            return p;
        }
    }
    return std::nullopt;
}

}  // namespace

AuditRecord audit_of(const std::string& at, const std::string& actor, const std::string& role,
                     const std::string& action, std::int64_t plan_id,
                     const std::string& task_number, const std::string& item_number,
                     const std::string& department, const std::string& period,
                     std::int64_t obligation_id) {
    AuditRecord r;
    r.at = at;
    r.actor = actor;
    r.role = role;
    r.action = action;
    r.plan_id = plan_id;
    r.task_number = task_number;
    r.item_number = item_number;
    r.department = department;
    r.period = period;
    r.obligation_id = obligation_id;
    return r;
}

namespace {

constexpr const char* kInsertEntry =
    "INSERT INTO audit_log (id, at, actor, acting_for, role, action, plan_id, task_number,"
    " item_number, department, period, obligation_id, report_id, from_state, to_state,"
    " from_step, to_step, reason, report_version, version_sha256, detail, prev_hash, hash)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
    " $19, $20, $21, $22, $23)";

void append(Session& s, const AuditRecord& r, StatementCache* cache) {
    LastEntry last = last_entry(s, cache);
    if (last.id != 0 && last.hash.empty()) {
        // A ledger from before the chain that no open has sealed yet.
        seal_legacy(s);
        last = last_entry(s, cache);
        if (last.hash.empty()) {
            throw StorageError("audit entry " + std::to_string(last.id) +
                               " has no hash, so the trail cannot be continued; run audit.verify");
        }
    }
    const std::string prev = last.id == 0 ? std::string(kAuditGenesis) : last.hash;
    const Id id = last.id + 1;
    const std::string hash = entry_hash(r, id, prev);
    Cursor insert = cache != nullptr ? cache->use(s, kInsertEntry) : Cursor(s, kInsertEntry);
    // 0 (no obligation, no report) is stored as NULL.
    const auto id_or_null = [&insert](std::int64_t v) -> Cursor& {
        return v != 0 ? insert.bind(v) : insert.bind_null();
    };
    insert.bind(id).bind(r.at).bind(r.actor).bind(r.acting_for).bind(r.role).bind(r.action);
    insert.bind(r.plan_id).bind(r.task_number).bind(r.item_number).bind(r.department);
    insert.bind(r.period);
    id_or_null(r.obligation_id);
    id_or_null(r.report_id);
    insert.bind(r.from_state).bind(r.to_state).bind(r.from_step).bind(r.to_step).bind(r.reason);
    r.report_version ? insert.bind(std::int64_t{*r.report_version}) : insert.bind_null();
    insert.bind(r.version_sha256).bind(r.detail).bind(prev).bind(hash);
    insert.run();
}

}  // namespace

void append_audit(Session& s, const AuditRecord& r) {
    append(s, r, nullptr);
}

void append_audit(Session& s, const AuditRecord& r, StatementCache& cache) {
    append(s, r, &cache);
}

std::string report_version_sha256(std::int64_t report_id, int version, const std::string& state,
                                  const std::string& step, const std::string& content,
                                  const std::string& recorded_at) {
    Encoding e(kVersionTag);
    e.integer(report_id).integer(version).text(state).text(step).text(content).text(recorded_at);
    return e.sha256_hex();
}

void seal_legacy_audit(Database& database) {
    const bool pending = database.read([](Session& s) {
        int open = 0;
        s << "SELECT COUNT(*) FROM audit_chain WHERE legacy_sealed_at IS NULL", into(open), now;
        return open != 0;
    });
    if (pending) {
        database.write([](Session& s) { seal_legacy(s); });
    }
}

AuditVerification verify_audit(Session& s) {
    AuditVerification v;
    const LastEntry head = last_entry(s);
    v.head_id = head.id;
    v.head_hash = head.hash;
    v.first_problem = check_chain(s, v);
    if (!v.first_problem) {
        v.first_problem = check_versions(s);
    }
    if (!v.first_problem) {
        v.first_problem = check_reports(s, v);
    }
    if (!v.first_problem) {
        v.first_problem = check_protection(s);
    }
    return v;
}

}  // namespace rl::storage
