// One SQL statement on a PostgreSQL session's own connection (so inside its
// transaction) straight through libpq: its parameters bound in order ($1,
// $2 …) as int8 or text, and its rows read from the result in text form.
// Cursor (storage/cursor.h) uses it on PostgreSQL; libpq stays out of that
// header.
//
// Each statement is prepared once per connection (PQprepare, named
// rl_<process>_<connection>_1, _2 …) and then only executed (PQexecPrepared):
// one round trip, and the server neither parses nor plans it again, where
// Poco's connector spends four round trips on every use (prepare, describe,
// execute, deallocate).
// The names a connection holds are kept per connection and server process
// (a reconnected connection starts with none); a connection keeps at most
// kMaxPrepared of them, and any statement beyond runs unprepared
// (PQexecParams, still one round trip). Prepared statements outlive a
// transaction's rollback, so a failed write leaves the names true. A session
// reset behind the plugin's back (DISCARD ALL or DEALLOCATE) drops them, and
// DISCARD ALL the connection's search_path with them: the first statement
// that finds its name gone throws SessionReset, and PostgresDatabase replaces
// the connection rather than run anything more on it.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "storage/database.h"

namespace rl::storage {

// A statement found the connection's session reset (its prepared statement
// gone): the connection is no longer set up as the plugin set it up.
class SessionReset : public StorageError {
public:
    using StorageError::StorageError;
};

class PgQuery {
public:
    static constexpr std::size_t kMaxPrepared = 512;

    // The connection of session, which must be a PostgreSQL session.
    PgQuery(Poco::Data::Session& session, std::string sql);
    ~PgQuery();
    PgQuery(const PgQuery&) = delete;
    PgQuery& operator=(const PgQuery&) = delete;

    void bind(std::int64_t value);
    void bind(const std::string& value);
    void bind_null_integer();
    void bind_null_text();

    // Runs the statement; returns the rows it changed (0 for a query). Throws
    // StorageError with the server's message, SessionReset when its prepared
    // statement is gone from the session (the connection must not be used
    // again).
    int execute();
    bool executed() const { return result_ != nullptr; }
    // Forgets what connection (a PGconn, closing) has prepared.
    static void forget(const void* connection);

    // Moves to the next row of the result: true while there is one.
    bool next();

    bool null(int column) const;
    std::int64_t integer(int column) const;  // NULL reads as 0, a boolean as 0 or 1
    std::string text(int column) const;      // NULL reads as empty, a boolean as true/false

private:
    struct Result;
    // Throws StorageError unless result's status is good or also_good.
    void check(const void* result, int good, int also_good) const;
    [[noreturn]] void fail(const std::string& why) const;

    std::string sql_;
    void* connection_ = nullptr;  // PGconn
    std::vector<std::string> values_;
    std::vector<bool> nulls_;
    std::vector<unsigned int> types_;  // Oid
    std::unique_ptr<Result> result_;
    int row_ = -1;
};

}  // namespace rl::storage
