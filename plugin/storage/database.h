// The plugin's database behind one interface, with two backends chosen by the
// configuration (database_settings.h):
//
// SQLite (the embedded default): one writer session behind a mutex (SQLite
// has one writer anyway) and a small pool of reader connections (WAL; each
// PRAGMA query_only, so a read that tries to write fails loudly), an explicit
// busy timeout and a bounded retry, and write transactions that start with
// BEGIN IMMEDIATE so they never fail on a lock upgrade half-way. The file is
// checked, not assumed: only a regular file is opened; an existing empty file
// is refused (it may be a ledger cut short); a new file is created readable by
// its owner only; a small file gets a quick integrity check when opened. Once
// SQLite reports the file damaged — at open, in check(), or on any statement —
// nothing more is written to it. A full disk and I/O errors are StorageErrors
// that say so and name the file.
//
// PostgreSQL (several plugin instances on one server): a pool of connections,
// the tables in their own schema, reads in REPEATABLE READ READ ONLY
// transactions, and every write transaction serialised by an advisory lock on
// the ledger (the audit chain reads the last entry's hash), as SQLite's single
// writer does.
//
// The stores see one contract on both: read(fn), write(fn) and
// transaction(writes, fn) with fn(Poco::Data::Session&), and dialect() for
// the few statements that differ.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "storage/database_settings.h"

namespace rl::storage {

// The database cannot be opened, migrated, read or written. The message names
// the database file.
class StorageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Migration {
    int version = 0;
    std::string name;  // file name, e.g. 0001_plan.sql
    std::string sql;
    std::string checksum;  // SHA-256 of sql, hex
};

// The migrations compiled into the plugin from sql/sqlite/ and
// sql/postgresql/: the same numbers, one schema, each in its dialect.
std::vector<Migration> sqlite_migrations();
std::vector<Migration> postgresql_migrations();

enum class Dialect { sqlite, postgresql };

// What an integrity check of the database file found.
struct IntegrityCheck {
    bool full = false;                  // PRAGMA integrity_check, else quick_check
    std::vector<std::string> problems;  // as SQLite reports them; empty: none found
};

// A ledger up to this size (its pages, in the file and the WAL) gets PRAGMA
// quick_check when it is opened; a bigger one is checked by check() and by
// SQLite as it reads each page. quick_check reads every page: measured here
// (2 shared vCPUs, warm cache) it adds 0.04 s to an oa-stub command on a 4 MB
// ledger, 0.2 s on 42 MB and 1-2 s on 457 MB; a court's ledger grows by about
// 1 MB a year.
constexpr std::int64_t kQuickCheckAtOpenBytes = std::int64_t{64} << 20;

// database.path ":memory:": a ledger that lives only as long as the plugin
// instance and touches no file (previews such as `oa-stub plan parse`, which
// store nothing).
constexpr const char* kInMemory = ":memory:";

// Whether a write transaction that changes a row raises the ledger's change
// count (ledger_changes, migration 0011), which the kept answers of the
// ledger's pages are checked against. Every write does, except the outbox's
// own bookkeeping — a message's claim, its attempts and its outcome — which
// no kept answer reads: delivering reminders leaves those answers kept.
enum class Counted { yes, outbox_only };

// What each backend implements. fn runs on the backend's session for the
// call; the façade Database turns the stores' typed lambdas into these.
class DatabaseBackend {
public:
    virtual ~DatabaseBackend() = default;
    virtual Dialect dialect() const = 0;
    virtual const std::string& path() const = 0;
    virtual int schema_version() const = 0;
    virtual IntegrityCheck check(bool full) = 0;
    virtual std::optional<std::string> damage() const = 0;
    // Runs fn in a transaction of its own, or in the transaction() this
    // thread runs.
    virtual void run(bool writes, const std::function<void(Poco::Data::Session&)>& fn) = 0;
    // counted: see Counted (for a write of its own; one joined keeps the
    // enclosing transaction's).
    virtual void transaction(bool writes, const std::function<void()>& fn, Counted counted) = 0;
    // The integer in the first column of the first row `select` answers, or
    // nothing when there is no row: one SELECT of the caller's, run on its
    // own outside any transaction (its own snapshot; on PostgreSQL one round
    // trip instead of BEGIN, the query and COMMIT). Inside a transaction()
    // on this thread it joins it.
    virtual std::optional<std::int64_t> integer_now(const char* select) = 0;
    // Whether the calling thread runs a write transaction() (its read()s
    // join it, on the connection that writes).
    virtual bool writing() const = 0;
};

class Database {
public:
    // Opens (creating if needed) and migrates the SQLite database at path,
    // with the default settings; checks it with PRAGMA quick_check first
    // when it is at most quick_check_bytes big.
    Database(std::string path, const std::vector<Migration>& migrations,
             std::int64_t quick_check_bytes = kQuickCheckAtOpenBytes);
    // The backend settings choose, migrated with the compiled-in migrations
    // of its dialect (or the ones given).
    explicit Database(const DatabaseSettings& settings);
    Database(const DatabaseSettings& settings, const std::vector<Migration>& migrations,
             std::int64_t quick_check_bytes = kQuickCheckAtOpenBytes);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Dialect dialect() const { return backend_->dialect(); }
    // SQLite: the file. PostgreSQL: "postgresql://user@host:port/name
    // (schema s)", never the password. Every StorageError names it.
    const std::string& path() const { return backend_->path(); }
    int schema_version() const { return backend_->schema_version(); }

    // SQLite: runs PRAGMA integrity_check (full) or quick_check, on its own
    // or in the enclosing transaction(); problems found mark the file
    // damaged. PostgreSQL: the server keeps its own pages; this checks only
    // that the ledger's schema answers.
    IntegrityCheck check(bool full) { return backend_->check(full); }

    // Why the file is known to be damaged (the StorageError every write now
    // throws), or nothing.
    std::optional<std::string> damage() const { return backend_->damage(); }

    // Runs fn(session) inside a write transaction (SQLite: BEGIN IMMEDIATE
    // … COMMIT); rolls back and rethrows if fn throws. Inside transaction()
    // on the same thread, fn joins that transaction (refused inside a read
    // transaction).
    template <typename Fn>
    auto write(Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>())) {
        return run(true, fn);
    }

    // Runs fn(session) inside a read transaction (a consistent snapshot,
    // in parallel with other reads), or inside the enclosing transaction()
    // on the same thread.
    template <typename Fn>
    auto read(Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>())) {
        return run(false, fn);
    }

    // Runs fn() as one transaction (a write transaction when writes is set):
    // every read() and write() it makes on this thread joins it, and it
    // commits only when fn returns.
    template <typename Fn>
    void transaction(bool writes, Fn&& fn) {
        backend_->transaction(writes, std::function<void()>(std::ref(fn)), Counted::yes);
    }

    // A write transaction of the outbox's own bookkeeping (claims, attempts,
    // outcomes: the notifications and delivery_attempts tables, nothing a
    // kept answer reads): it does not raise the ledger's change count. What
    // joins it runs uncounted too, so write nothing else inside it.
    template <typename Fn>
    void outbox_transaction(Fn&& fn) {
        backend_->transaction(true, std::function<void()>(std::ref(fn)), Counted::outbox_only);
    }

    // See DatabaseBackend::integer_now: one SELECT, on its own.
    std::optional<std::int64_t> integer_now(const char* select) {
        return backend_->integer_now(select);
    }

    // Whether the calling thread runs a write transaction(): a read() it
    // makes joins it, on the writer's connection (SQLite: the one writer
    // session), where a store may keep its statements prepared
    // (storage/statement_cache.h). False in a read, and in a write() not
    // made inside transaction().
    bool writing() const { return backend_->writing(); }

private:
    template <typename Fn>
    auto run(bool writes, Fn& fn) -> decltype(fn(std::declval<Poco::Data::Session&>())) {
        using Result = decltype(fn(std::declval<Poco::Data::Session&>()));
        if constexpr (std::is_void_v<Result>) {
            backend_->run(writes, [&fn](Poco::Data::Session& session) { fn(session); });
        } else {
            std::optional<Result> result;
            backend_->run(writes, [&fn, &result](Poco::Data::Session& session) {
                result.emplace(fn(session));
            });
            return std::move(*result);
        }
    }

    std::unique_ptr<DatabaseBackend> backend_;
};

// The ledger's change count (ledger_changes, migration 0011) as the calling
// thread's transaction sees it — or, outside one, as of now (one statement of
// its own: Database::integer_now). Every write transaction that changes a row
// raises it (the backends, at its end), so two reads that see the same count
// see the same ledger.
std::int64_t ledger_changes(Database& database);

// "2026-11-28T05:55:00.123Z" for milliseconds since the epoch.
std::string iso_utc(std::int64_t epoch_ms);

}  // namespace rl::storage
