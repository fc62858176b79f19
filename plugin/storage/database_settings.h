// Where the ledger is kept and how the plugin talks to it: the "database"
// section of the configuration (docs/abi.md). Plain values, so that the
// configuration parser needs neither Poco Data nor SQL.
#pragma once

#include <stdexcept>
#include <string>

namespace rl::storage {

struct DatabaseSettings {
    // SQLite: the ledger's file, or ":memory:". Empty when PostgreSQL is set.
    std::string path;
    int readers = 4;  // reader connections beside the one writer (WAL)
    int busy_timeout_ms = 5000;
    // BEGIN IMMEDIATE or COMMIT meeting SQLITE_BUSY despite the busy timeout
    // is tried this many times more before the call fails.
    int busy_retries = 3;

    // PostgreSQL: host non-empty selects it (database.url or the fields).
    std::string host;
    int port = 5432;
    std::string name;  // the database
    std::string user;
    std::string password;  // never in a message or a log
    std::string sslmode;   // empty: libpq's default (prefer)
    std::string schema = "reform_ledger";
    int pool_size = 4;
    int connect_timeout_s = 10;

    // Both: how long one write transaction of a new plan's import may hold
    // the write lock before it commits and the next slice begins (0: one
    // step — a section, a task with its items, an assignment — a slice).
    int import_slice_ms = 100;

    // Both: how much memory the instance may keep answers of its heaviest
    // reads in while the ledger does not change (abi/answer_cache.h); 0: none.
    int answer_cache_mb = 32;

    bool postgresql() const { return !host.empty(); }
};

// A database.url that is not a PostgreSQL URL this plugin understands; the
// message says what is wrong, never the password.
class DatabaseUrlError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// "postgresql://user:password@host:port/name?sslmode=…" (or postgres://;
// user, password and name percent-encoded as in libpq's URLs) into the
// PostgreSQL fields of base.
DatabaseSettings with_postgresql_url(DatabaseSettings base, const std::string& url);

// A schema name as the configuration accepts it: [a-z_][a-z0-9_]*, at most
// 63 bytes (PostgreSQL's limit), so that it needs no quoting rules.
bool valid_schema_name(const std::string& name);

}  // namespace rl::storage
