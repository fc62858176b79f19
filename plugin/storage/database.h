// The plugin's SQLite database through Poco Data: one session behind a mutex
// (SQLite has one writer anyway), WAL mode, an explicit busy timeout, and
// write transactions that start with BEGIN IMMEDIATE so they never fail on a
// lock upgrade half-way.
#pragma once

#include <Poco/Data/Session.h>

#include <atomic>
#include <cstdint>
#include <mutex>
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

class Database {
public:
    // Opens (creating if needed) and migrates the database at path.
    Database(std::string path, const std::vector<Migration>& migrations);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const std::string& path() const { return path_; }
    int schema_version() const { return schema_version_; }

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
    [[noreturn]] void fail(const std::string& what, const std::exception& cause) const;

    template <typename Fn>
    auto run(const char* begin_statement, Fn&& fn)
        -> decltype(fn(std::declval<Poco::Data::Session&>()));
    bool inside_transaction() const { return owner_.load() == std::this_thread::get_id(); }

    std::string path_;
    std::mutex mutex_;
    std::atomic<std::thread::id> owner_{};  // thread running transaction(), if any
    Poco::Data::Session session_;
    int schema_version_ = 0;
};

template <typename Fn>
auto Database::run(const char* begin_statement, Fn&& fn)
    -> decltype(fn(std::declval<Poco::Data::Session&>())) {
    if (inside_transaction()) {
        return fn(session_);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    begin(begin_statement);
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
        rollback();
        throw;
    }
}

template <typename Fn>
auto Database::write(Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>())) {
    return run("BEGIN IMMEDIATE", std::forward<Fn>(fn));
}

template <typename Fn>
auto Database::read(Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>())) {
    return run("BEGIN DEFERRED", std::forward<Fn>(fn));
}

template <typename Fn>
void Database::transaction(bool writes, Fn&& fn) {
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
        rollback();
        throw;
    }
}

// "2026-11-28T05:55:00.123Z" for milliseconds since the epoch.
std::string iso_utc(std::int64_t epoch_ms);

}  // namespace rl::storage
