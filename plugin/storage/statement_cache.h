// Statements of a store's hot write path, prepared once on the SQLite writer
// connection and reused (rebound) by each transaction: Poco Data prepares a
// statement anew on every use, which in the approval benchmark's profile cost
// more than the writes themselves.
//
// Use it only inside Database::write() or a write transaction(): on SQLite
// those run on the one writer connection behind the database's mutex, so one
// thread at a time uses the cached statements, and they are finalized when
// the connection changes or the cache (its store) goes — the stores go before
// their database. The Cursor a use() hands out resets the statement when it
// ends; a statement is not used twice at once (no nested use of one SQL text).
// On PostgreSQL each use is a Cursor through Poco Data, as before.
#pragma once

#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <sqlite3.h>

#include <string>
#include <unordered_map>

#include "storage/cursor.h"
#include "storage/database.h"

namespace rl::storage {

class StatementCache {
public:
    StatementCache() = default;
    ~StatementCache() { finalize(); }
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    // Finalizes every statement now (at the end of the work they served,
    // inside its write transaction) rather than when the cache goes.
    void clear() { finalize(); }
    bool empty() const { return statements_.empty(); }

    Cursor use(Poco::Data::Session& session, const std::string& sql) {
        if (is_postgresql(session)) {
            return Cursor(session, sql);
        }
        sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(session);
        if (db != db_) {
            finalize();
            db_ = db;
        }
        sqlite3_stmt*& statement = statements_[sql];
        if (statement == nullptr &&
            sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                               SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK) {
            const std::string what = sqlite3_errmsg(db_);
            statements_.erase(sql);
            const char* file = sqlite3_db_filename(db_, "main");
            throw StorageError("database '" + std::string(file != nullptr ? file : "") +
                               "': " + what + " (in " + sql.substr(0, 60) + "…)");
        }
        return Cursor(session, sql, statement);
    }

private:
    void finalize() {
        for (auto& entry : statements_) {
            sqlite3_finalize(entry.second);
        }
        statements_.clear();
    }

    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace rl::storage
