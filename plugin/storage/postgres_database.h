// The PostgreSQL backend of Database (database.h), through Poco Data's
// PostgreSQL connector (libpq underneath): a pool of connections, the ledger's
// tables in their own schema (search_path set on every connection),
// migrations under pg_advisory_lock so that nodes starting at once do not
// race, reads in REPEATABLE READ READ ONLY transactions, and every write
// transaction serialised by pg_advisory_xact_lock on the ledger's key.
#pragma once

#include <Poco/Data/Session.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "storage/database.h"
#include "storage/transaction_pins.h"

namespace rl::storage {

// The advisory lock key of the ledger in schema: every write transaction
// and every migration takes it. The same on every node (not Postgres's
// hashtext, which may change between versions).
std::int64_t ledger_lock_key(const std::string& schema);

// The integer in the first column of the first row sql answers on session's
// connection (so inside its transaction), straight through libpq: one round
// trip, where Poco's connector prepares, describes and releases a statement
// around it; not prepared (one-off queries: startup's, migrations'). Nothing
// when there is no row; a StorageError naming what when the query fails.
std::optional<std::int64_t> query_integer(Poco::Data::Session& session, const char* sql,
                                          const std::string& what);

class PostgresDatabase final : public DatabaseBackend {
public:
    PostgresDatabase(const DatabaseSettings& settings, const std::vector<Migration>& migrations);
    ~PostgresDatabase() override;

    Dialect dialect() const override { return Dialect::postgresql; }
    const std::string& path() const override { return path_; }
    int schema_version() const override { return schema_version_; }
    IntegrityCheck check(bool full) override;
    std::optional<std::string> damage() const override { return std::nullopt; }
    void run(bool writes, const std::function<void(Poco::Data::Session&)>& fn) override;
    void transaction(bool writes, const std::function<void()>& fn, Counted counted) override;
    std::optional<std::int64_t> integer_now(const char* select) override;
    bool writing() const override {
        const auto pin = pins_.pinned();
        return pin && pin->writes;
    }

private:
    using Pin = TransactionPins::Pin;
    class Lease;

    std::unique_ptr<Poco::Data::Session> connect() const;
    // An idle connection, opening one while fewer than pool_size are open;
    // waits while all are in use.
    Poco::Data::Session* lease();
    // Back to the pool; a connection that was lost is closed instead, and
    // the next lease opens a new one.
    void give_back(Poco::Data::Session* session) noexcept;
    // Runs fn in a transaction of its own on a leased connection.
    void run_leased(bool writes, const std::function<void(Poco::Data::Session&)>& fn,
                    Counted counted = Counted::yes);
    // BEGIN (and the ledger's lock for a write); a connection found lost is
    // opened again, once, since nothing has happened yet.
    void begin(Lease& lease, bool writes);
    [[noreturn]] void abandon_transaction(Poco::Data::Session& session);
    void migrate(Poco::Data::Session& session, const std::vector<Migration>& migrations);
    // Runs sql (one or more statements) through libpq; StorageError naming
    // the server and what was being done.
    void exec(Poco::Data::Session& session, const std::string& sql, const std::string& what) const;
    std::string at() const;  // "PostgreSQL at host:port/name"

    DatabaseSettings settings_;
    std::string path_;
    std::string conninfo_;  // holds the password: never in a message
    std::int64_t lock_key_;
    // The round trip that begins a read and a write transaction (begin()).
    std::string begin_read_, begin_write_;
    bool counts_changes_ = false;  // the schema has ledger_changes (migration 0011)
    int schema_version_ = 0;

    std::mutex pool_mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<Poco::Data::Session>> pool_;  // every open connection
    std::vector<Poco::Data::Session*> idle_;

    TransactionPins pins_;
};

}  // namespace rl::storage
