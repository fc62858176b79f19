#include "storage/postgres_database.h"

#include <Poco/Data/PostgreSQL/PostgreSQLException.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>

#include <algorithm>
#include <chrono>

#include "storage/pg_connection.h"
#include "storage/pg_query.h"

namespace rl::storage {

namespace {

// libpq's key=value form: values quoted, ' and \ escaped.
std::string conninfo_value(const std::string& value) {
    std::string quoted = "'";
    for (const char c : value) {
        if (c == '\'' || c == '\\') {
            quoted += '\\';
        }
        quoted += c;
    }
    return quoted + "'";
}

std::string conninfo(const DatabaseSettings& s) {
    std::string info = "host=" + conninfo_value(s.host) + " port=" + std::to_string(s.port) +
                       " dbname=" + conninfo_value(s.name) + " user=" + conninfo_value(s.user) +
                       " connect_timeout=" + std::to_string(s.connect_timeout_s) +
                       " application_name=reform-ledger";
    if (!s.password.empty()) {
        info += " password=" + conninfo_value(s.password);
    }
    if (!s.sslmode.empty()) {
        info += " sslmode=" + conninfo_value(s.sslmode);
    }
    return info;
}

std::string quoted_identifier(const std::string& name) {
    return "\"" + name + "\"";  // the configuration allows [a-z0-9_] only
}

// Closes a session's connection; the statements it prepared go with it.
void close(Poco::Data::Session& session) {
    PgQuery::forget(pg_connection(session));
    session.close();
}

bool lost(Poco::Data::Session& session) {
    PGconn* connection = pg_connection(session);
    return connection == nullptr || PQstatus(connection) != CONNECTION_OK;
}

std::string now_iso() {
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    return iso_utc(millis);
}

}  // namespace

std::optional<std::int64_t> query_integer(Poco::Data::Session& session, const char* sql,
                                          const std::string& what) {
    PGconn* connection = pg_connection(session);
    PGresult* result = PQexec(connection, sql);
    if (result == nullptr || PQresultStatus(result) != PGRES_TUPLES_OK) {
        const std::string message =
            trimmed(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(connection));
        PQclear(result);
        throw StorageError(what + " failed: " + message);
    }
    std::optional<std::int64_t> value;
    if (PQntuples(result) > 0 && PQnfields(result) > 0 && PQgetisnull(result, 0, 0) == 0) {
        value = std::stoll(PQgetvalue(result, 0, 0));
    }
    PQclear(result);
    return value;
}

namespace {

// integer_now's statement (a kept answer's check of the change count: one
// round trip per look) prepared once per connection through PgQuery, so the
// server neither parses nor plans it again: 103 µs a round trip against 142 µs
// unprepared, pgbench over loopback TCP here. Its error names where() (made
// only then: the check runs on every look at a kept answer).
template <typename Where>
std::optional<std::int64_t> prepared_integer(Poco::Data::Session& session, const char* sql,
                                             const Where& where) {
    PgQuery query(session, sql);
    try {
        query.execute();
    } catch (const SessionReset& e) {
        throw SessionReset(where() + ": " + e.what());
    } catch (const StorageError& e) {
        throw StorageError(where() + ": " + e.what());
    }
    if (query.next() && !query.null(0)) {
        return query.integer(0);
    }
    return std::nullopt;
}

}  // namespace

std::int64_t ledger_lock_key(const std::string& schema) {
    // FNV-1a, 64 bits.
    std::uint64_t hash = 14695981039346656037ULL;
    for (const unsigned char c : "reform_ledger:" + schema) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    return static_cast<std::int64_t>(hash);
}

class PostgresDatabase::Lease {
public:
    explicit Lease(PostgresDatabase& database) : database_(database), session_(database.lease()) {}
    ~Lease() { database_.give_back(session_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Poco::Data::Session& session() const { return *session_; }
    // Replaces a lost connection with a new one.
    void reconnect() {
        auto fresh = database_.connect();
        std::lock_guard<std::mutex> lock(database_.pool_mutex_);
        for (auto& slot : database_.pool_) {
            if (slot.get() == session_) {
                close(*slot);
                slot = std::move(fresh);
                session_ = slot.get();
                return;
            }
        }
    }

private:
    PostgresDatabase& database_;
    Poco::Data::Session* session_;
};

PostgresDatabase::PostgresDatabase(const DatabaseSettings& settings,
                                   const std::vector<Migration>& migrations)
    : settings_(settings),
      path_("postgresql://" + settings.user + "@" + settings.host + ":" +
            std::to_string(settings.port) + "/" + settings.name + " (schema " + settings.schema +
            ")"),
      conninfo_(conninfo(settings)),
      lock_key_(ledger_lock_key(settings.schema)) {
    // A write waits for the ledger's lock first: the audit chain reads the
    // last entry's hash, and two writers must not both append after it. Each
    // transaction names its schema again (SET LOCAL, in the same round trip):
    // were the session reset behind our back (DISCARD ALL resets the
    // search_path), nothing in it runs against another schema's tables before
    // a prepared statement finds the reset (SessionReset).
    const std::string schema = "; SET LOCAL search_path TO " + quoted_identifier(settings_.schema);
    begin_read_ = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" + schema;
    begin_write_ = "BEGIN ISOLATION LEVEL READ COMMITTED" + schema +
                   "; SELECT pg_advisory_xact_lock(" + std::to_string(lock_key_) + ")";
    pool_.push_back(connect());
    migrate(*pool_.back(), migrations);
    counts_changes_ = query_integer(*pool_.back(),
                                    "SELECT count(*) FROM pg_tables WHERE schemaname = "
                                    "current_schema() AND tablename = 'ledger_changes'",
                                    at() + ": looking for ledger_changes")
                          .value_or(0) > 0;
    idle_.push_back(pool_.back().get());
}

PostgresDatabase::~PostgresDatabase() {
    for (auto& session : pool_) {
        try {
            close(*session);
        } catch (...) {
            // The process goes on; the server drops the connection itself.
        }
    }
}

std::string PostgresDatabase::at() const {
    return "PostgreSQL at " + settings_.host + ":" + std::to_string(settings_.port) + "/" +
           settings_.name;
}

std::unique_ptr<Poco::Data::Session> PostgresDatabase::connect() const {
    // Poco 1.11's connector does not free libpq's connection when connecting
    // fails (about 34 KB lost per failed attempt, found by LeakSanitizer), and
    // a node retries while the server is away. So libpq connects first, and
    // frees what a failure leaves; Poco connects only to a server that took us.
    {
        PGconn* probe = PQconnectdb(conninfo_.c_str());
        const bool ok = probe != nullptr && PQstatus(probe) == CONNECTION_OK;
        const std::string why =
            ok ? "" : (probe != nullptr ? trimmed(PQerrorMessage(probe)) : "out of memory");
        PQfinish(probe);
        if (!ok) {
            // libpq's message names host and port, never the password.
            throw StorageError("cannot connect to " + at() + " as user '" + settings_.user +
                               "': " + why +
                               ". Check database.url (or database.host, port, name, user, "
                               "password) and that the server accepts connections");
        }
    }
    std::unique_ptr<Poco::Data::Session> session;
    try {
        session = std::make_unique<Poco::Data::Session>(new Poco::Data::PostgreSQL::SessionImpl(
            conninfo_, static_cast<std::size_t>(settings_.connect_timeout_s)));
    } catch (const Poco::Exception& e) {
        // libpq's message names host and port, never the password.
        throw StorageError("cannot connect to " + at() + " as user '" + settings_.user +
                           "': " + trimmed(e.message()) +
                           ". Check database.url (or database.host, port, name, user, password) "
                           "and that the server accepts connections");
    }
    // Without client_min_messages the server's NOTICEs (CREATE … IF NOT EXISTS at
    // every start) reach the host's stderr through libpq's notice printer;
    // warnings and errors still come. (Poco's connector does not take libpq's
    // quoted "options" parameter, so it is set here, in the same round trip.)
    exec(*session,
         "SET client_min_messages TO warning; SET search_path TO " +
             quoted_identifier(settings_.schema),
         "setting search_path");
    return session;
}

void PostgresDatabase::exec(Poco::Data::Session& session, const std::string& sql,
                            const std::string& what) const {
    PGconn* connection = pg_connection(session);
    PGresult* result = PQexec(connection, sql.c_str());
    const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        PQclear(result);
        return;
    }
    const std::string message =
        trimmed(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(connection));
    PQclear(result);
    throw StorageError(at() + ": " + what + " failed: " + message);
}

Poco::Data::Session* PostgresDatabase::lease() {
    std::unique_lock<std::mutex> lock(pool_mutex_);
    if (idle_.empty() && pool_.size() < static_cast<std::size_t>(settings_.pool_size)) {
        pool_.push_back(nullptr);  // the place, taken before connecting without the lock
        lock.unlock();
        std::unique_ptr<Poco::Data::Session> session;
        try {
            session = connect();
        } catch (...) {
            lock.lock();
            pool_.erase(std::find(pool_.begin(), pool_.end(), nullptr));
            returned_.notify_one();
            throw;
        }
        lock.lock();
        Poco::Data::Session* raw = session.get();
        *std::find(pool_.begin(), pool_.end(), nullptr) = std::move(session);
        return raw;
    }
    returned_.wait(lock, [this] {
        return !idle_.empty() || pool_.size() < static_cast<std::size_t>(settings_.pool_size);
    });
    if (idle_.empty()) {
        lock.unlock();
        return lease();
    }
    Poco::Data::Session* session = idle_.back();
    idle_.pop_back();
    return session;
}

void PostgresDatabase::give_back(Poco::Data::Session* session) noexcept {
    {
        std::lock_guard<std::mutex> lock(pool_mutex_);
        if (lost(*session)) {
            // Closed here; the next lease() connects again.
            for (auto it = pool_.begin(); it != pool_.end(); ++it) {
                if (it->get() == session) {
                    try {
                        (*it)->close();
                    } catch (...) {
                        // Already gone.
                    }
                    pool_.erase(it);
                    break;
                }
            }
        } else {
            idle_.push_back(session);
        }
    }
    returned_.notify_one();
}

void PostgresDatabase::begin(Lease& lease, bool writes) {
    const std::string& statement = writes ? begin_write_ : begin_read_;  // made at construction
    try {
        exec(lease.session(), statement, "BEGIN");
    } catch (const StorageError&) {
        if (!lost(lease.session())) {
            throw;
        }
        // The server or the network dropped an idle connection: nothing has
        // happened yet, so connect again and begin once more.
        lease.reconnect();
        exec(lease.session(), statement, "BEGIN");
    }
}

void PostgresDatabase::abandon_transaction(Poco::Data::Session& session) {
    if (lost(session)) {
        std::string cause = "the connection was lost";
        try {
            throw;
        } catch (const Poco::Exception& e) {
            cause = trimmed(e.message());
        } catch (const std::exception& e) {
            cause = e.what();
        } catch (...) {
            // The connection's loss says enough.
        }
        throw StorageError("lost the connection to " + at() + " in a transaction (" + cause +
                           "); the server rolls it back. The next call connects again");
    }
    try {
        exec(session, "ROLLBACK", "ROLLBACK");
    } catch (...) {
        // The exception that brought us here is the one to report.
    }
    throw;
}

void PostgresDatabase::run_leased(bool writes, const std::function<void(Poco::Data::Session&)>& fn,
                                  Counted counted) {
    Lease lease(*this);
    begin(lease, writes);
    try {
        fn(lease.session());
        // A write that changed a row (so has a transaction id) counts the
        // change (ledger_changes, migration 0011) in the same round trip.
        exec(lease.session(),
             writes && counts_changes_ && counted == Counted::yes
                 ? "UPDATE ledger_changes SET version = version + 1 WHERE id = 1 AND "
                   "txid_current_if_assigned() IS NOT NULL; COMMIT"
                 : "COMMIT",
             "COMMIT");
    } catch (const SessionReset&) {
        // Nothing more runs on a reset session (after DISCARD ALL its
        // search_path is the server's default): closed, so give_back drops it
        // and the next call connects afresh. The server rolls back the
        // transaction with the connection.
        close(lease.session());
        throw;
    } catch (...) {
        abandon_transaction(lease.session());
    }
}

void PostgresDatabase::run(bool writes, const std::function<void(Poco::Data::Session&)>& fn) {
    if (const auto pin = pins_.join(writes, [this] { return at(); })) {
        fn(*pin->session);
        return;
    }
    run_leased(writes, fn);
}

std::optional<std::int64_t> PostgresDatabase::integer_now(const char* select) {
    const auto where = [this] { return at(); };
    if (const auto pin = pins_.join(false, where)) {
        return prepared_integer(*pin->session, select, where);
    }
    // Autocommit: the server runs the one statement as a transaction of its
    // own. A connection found lost, or its session reset, is opened again,
    // once: a read changes nothing.
    Lease lease(*this);
    try {
        return prepared_integer(lease.session(), select, where);
    } catch (const SessionReset&) {
        // Closed now, so that were connecting again to fail, give_back drops
        // it rather than pool it.
        close(lease.session());
    } catch (const StorageError&) {
        if (!lost(lease.session())) {
            throw;
        }
    }
    lease.reconnect();
    return prepared_integer(lease.session(), select, where);
}

void PostgresDatabase::transaction(bool writes, const std::function<void()>& fn, Counted counted) {
    if (const auto pin = pins_.join(writes, [this] { return at(); })) {
        fn();
        return;
    }
    run_leased(
        writes,
        [&](Poco::Data::Session& session) {
            pins_.run_pinned(Pin{&session, writes}, fn);
        },
        counted);
}

IntegrityCheck PostgresDatabase::check(bool full) {
    IntegrityCheck result;
    result.full = full;
    run(false, [&](Poco::Data::Session& session) {
        exec(session, "SELECT count(*) FROM schema_migrations", "reading schema_migrations");
    });
    return result;
}

void PostgresDatabase::migrate(Poco::Data::Session& session,
                               const std::vector<Migration>& migrations) {
    using Poco::Data::Keywords::into;
    using Poco::Data::Keywords::now;
    const int known = migrations.empty() ? 0 : migrations.back().version;
    const std::string key = std::to_string(lock_key_);
    // Nodes starting at once: one migrates, the others wait and then find
    // nothing left to do.
    exec(session, "SELECT pg_advisory_lock(" + key + ")", "waiting for the migration lock");
    try {
        exec(session,
             "CREATE SCHEMA IF NOT EXISTS " + quoted_identifier(settings_.schema) +
                 "; CREATE TABLE IF NOT EXISTS schema_migrations ("
                 " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                 " checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
             "creating schema " + settings_.schema);
        std::vector<int> versions;
        std::vector<std::string> names;
        std::vector<std::string> checksums;
        try {
            session << "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
                into(versions), into(names), into(checksums), now;
        } catch (const Poco::Exception& e) {
            throw StorageError(at() +
                               ": reading schema_migrations failed: " + trimmed(e.message()));
        }
        for (std::size_t i = 0; i < versions.size(); ++i) {
            if (versions[i] > known) {
                throw StorageError(
                    at() + " schema " + settings_.schema + " has schema version " +
                    std::to_string(versions.back()) + ", newer than this plugin understands (" +
                    std::to_string(known) + "); use a newer plugin or another schema");
            }
            for (const auto& m : migrations) {
                if (m.version == versions[i] && m.checksum != checksums[i]) {
                    throw StorageError(at() + " schema " + settings_.schema + ": migration " +
                                       names[i] +
                                       " was changed after it was applied; restore it and add "
                                       "the change as a new migration");
                }
            }
        }
        schema_version_ = versions.empty() ? 0 : versions.back();
        for (const auto& m : migrations) {
            if (m.version <= schema_version_) {
                continue;
            }
            // The migration's statements and its bookkeeping row commit
            // together or not at all.
            const char* values[] = {nullptr, m.name.c_str(), m.checksum.c_str(), nullptr};
            const std::string version = std::to_string(m.version);
            const std::string applied_at = now_iso();
            values[0] = version.c_str();
            values[3] = applied_at.c_str();
            exec(session, "BEGIN", "BEGIN");
            try {
                exec(session, m.sql, "migration " + m.name);
                PGresult* result = PQexecParams(
                    pg_connection(session),
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at)"
                    " VALUES ($1::integer, $2, $3, $4)",
                    4, nullptr, values, nullptr, nullptr, 0);
                const bool ok = result != nullptr && PQresultStatus(result) == PGRES_COMMAND_OK;
                const std::string message =
                    trimmed(result != nullptr ? PQresultErrorMessage(result) : "no result");
                PQclear(result);
                if (!ok) {
                    throw StorageError(at() + ": recording migration " + m.name +
                                       " failed: " + message);
                }
                exec(session, "COMMIT", "COMMIT");
            } catch (...) {
                try {
                    exec(session, "ROLLBACK", "ROLLBACK");
                } catch (...) {
                    // The migration's own error is the one to report.
                }
                throw;
            }
            schema_version_ = m.version;
        }
    } catch (...) {
        try {
            exec(session, "SELECT pg_advisory_unlock(" + key + ")", "releasing the lock");
        } catch (...) {
            // Closing the connection releases it too.
        }
        throw;
    }
    exec(session, "SELECT pg_advisory_unlock(" + key + ")", "releasing the migration lock");
}

}  // namespace rl::storage
