// The plugin's SQLite database through Poco Data: one session behind a mutex
// (SQLite has one writer anyway), WAL mode, an explicit busy timeout, and
// write transactions that start with BEGIN IMMEDIATE so they never fail on a
// lock upgrade half-way.
//
// The file is checked, not assumed: only a regular file is opened; an
// existing empty file is refused (it may be a ledger cut short); a new file is
// created readable by its owner only; a small file gets a quick integrity
// check when opened. Once SQLite reports the file damaged — at open, in
// check(), or on any statement — nothing more is written to it. A full disk
// and I/O errors are StorageErrors that say so and name the file.
#pragma once

#include <Poco/Data/Session.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

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

// The migrations compiled into the plugin from sql/sqlite/.
std::vector<Migration> sqlite_migrations();

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

class Database {
public:
    // Opens (creating if needed) and migrates the database at path; checks it
    // with PRAGMA quick_check first when it is at most quick_check_bytes big.
    Database(std::string path, const std::vector<Migration>& migrations,
             std::int64_t quick_check_bytes = kQuickCheckAtOpenBytes);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const std::string& path() const { return path_; }
    int schema_version() const { return schema_version_; }

    // Runs PRAGMA integrity_check (full) or quick_check, on its own or in the
    // enclosing transaction(). Problems found mark the file damaged.
    IntegrityCheck check(bool full);

    // Why the file is known to be damaged (the StorageError every write now
    // throws), or nothing.
    std::optional<std::string> damage() const;

    // Runs fn(session) inside BEGIN IMMEDIATE … COMMIT; rolls back and
    // rethrows if fn throws. Serialised with every other use of the session.
    // Inside transaction() on the same thread, fn joins that transaction.
    template <typename Fn>
    auto write(Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>()));

    // Runs fn(session) inside a read transaction (a consistent snapshot), or
    // inside the enclosing transaction() on the same thread.
    template <typename Fn>
    auto read(Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>()));

    // Runs fn() as one transaction (a write transaction when writes is set):
    // every read() and write() it makes on this thread joins it, and it
    // commits only when fn returns.
    template <typename Fn>
    void transaction(bool writes, Fn&& fn);

private:
    void begin(const char* statement);
    void commit();
    void rollback() noexcept;
    void migrate(const std::vector<Migration>& migrations);
    IntegrityCheck run_check(bool full);
    void mark_damaged(const std::string& message);
    // Throws the StorageError of damage(), if any: called before any write.
    void refuse_if_damaged() const;
    // A damaged file (which marks it so), a full disk or an I/O error, from
    // the exception Poco made of SQLite's result and the connection's codes;
    // nothing for other failures.
    std::optional<StorageError> sqlite_failure(const std::exception& cause);
    // The StorageError for cause: sqlite_failure()'s, or "what: cause".
    StorageError storage_error(const std::string& what, const std::exception& cause);
    [[noreturn]] void fail(const std::string& what, const std::exception& cause);
    std::string damaged_message(const std::string& sqlite_says, std::size_t more = 0) const;
    // Closes the session after a failed open; removes the file if this
    // instance created it and it is still empty, so the next attempt does not
    // meet an empty file.
    void close_after_failure() noexcept;
    // Inside a catch block: rolls back and rethrows the current exception, as
    // a StorageError when SQLite found the file damaged, the disk full or an
    // I/O error.
    [[noreturn]] void abandon_transaction();

    template <typename Fn>
    auto run(bool writes, Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>()));
    bool inside_transaction() const { return owner_.load() == std::this_thread::get_id(); }

    std::string path_;
    std::mutex mutex_;
    std::atomic<std::thread::id> owner_{};  // thread running transaction(), if any
    bool created_ = false;                  // this instance created the file
    Poco::Data::Session session_;
    int schema_version_ = 0;
    mutable std::mutex damage_mutex_;
    std::optional<std::string> damage_;
};

template <typename Fn>
auto Database::run(bool writes, Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>())) {
    if (writes) {
        refuse_if_damaged();
    }
    if (inside_transaction()) {
        return fn(session_);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    begin(writes ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
    try {
        if constexpr (std::is_void_v<decltype(fn(session_))>) {
            fn(session_);
            commit();
        } else {
            auto result = fn(session_);
            commit();
            return result;
        }
    } catch (...) {
        abandon_transaction();
    }
}

template <typename Fn>
auto Database::write(Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>())) {
    return run(true, std::forward<Fn>(fn));
}

template <typename Fn>
auto Database::read(Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>())) {
    return run(false, std::forward<Fn>(fn));
}

template <typename Fn>
void Database::transaction(bool writes, Fn&& fn) {
    if (writes) {
        refuse_if_damaged();
    }
    if (inside_transaction()) {
        fn();
        return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    begin(writes ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
    owner_.store(std::this_thread::get_id());
    try {
        fn();
        owner_.store(std::thread::id());
        commit();
    } catch (...) {
        owner_.store(std::thread::id());
        abandon_transaction();
    }
}

// "2026-11-28T05:55:00.123Z" for milliseconds since the epoch.
std::string iso_utc(std::int64_t epoch_ms);

}  // namespace rl::storage
