// The plugin's SQLite database through Poco Data: one session behind a mutex
// (SQLite has one writer anyway), WAL mode, an explicit busy timeout, and
// write transactions that start with BEGIN IMMEDIATE so they never fail on a
// lock upgrade half-way.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
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
    template <typename Fn>
    auto write(Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>()));

    // Runs fn(session) inside a read transaction (a consistent snapshot).
    template <typename Fn>
    auto read(Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>()));

private:
    void begin(const char* statement);
    void commit();
    void rollback() noexcept;
    void migrate(const std::vector<Migration>& migrations);
    [[noreturn]] void fail(const std::string& what, const std::exception& cause) const;

    std::string path_;
    std::mutex mutex_;
    Poco::Data::Session session_;
    int schema_version_ = 0;
};

template <typename Fn>
auto Database::write(Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>())) {
    std::lock_guard<std::mutex> lock(mutex_);
    begin("BEGIN IMMEDIATE");
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
auto Database::read(Fn&& fn) -> decltype(fn(std::declval<Poco::Data::Session&>())) {
    std::lock_guard<std::mutex> lock(mutex_);
    begin("BEGIN DEFERRED");
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

// "2026-11-28T05:55:00.123Z" for milliseconds since the epoch.
std::string iso_utc(std::int64_t epoch_ms);

}  // namespace rl::storage
