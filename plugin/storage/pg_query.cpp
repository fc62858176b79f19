#include "storage/pg_query.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <unordered_map>

#include "storage/database.h"
#include "storage/pg_connection.h"

namespace rl::storage {

namespace {

// The server's SQLSTATE for "prepared statement … does not exist".
constexpr const char* kNoSuchStatement = "26000";

bool has_sqlstate(const PGresult* result, const char* state) {
    const char* code = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    return code != nullptr && std::strcmp(code, state) == 0;
}

// pg_type.h's OIDs of the types bound and read here.
constexpr Oid kBool = 16;
constexpr Oid kInt8 = 20;
constexpr Oid kText = 25;

// The statements each connection has prepared: by SQL and parameter types,
// the name it was prepared under. A connection is one thread's at a time, but
// the registry is everyone's.
class Prepared {
public:
    static Prepared& registry() {
        static Prepared instance;
        return instance;
    }

    // The name key is prepared under on connection, or "" when not yet.
    std::string find(PGconn* connection, const std::string& key) {
        std::lock_guard<std::mutex> lock(mutex_);
        Connection& c = current(connection);
        const auto found = c.names.find(key);
        return found == c.names.end() ? std::string() : found->second;
    }

    // A name for key on connection, or "" when the connection holds its most.
    std::string reserve(PGconn* connection) {
        std::lock_guard<std::mutex> lock(mutex_);
        Connection& c = current(connection);
        if (c.names.size() >= PgQuery::kMaxPrepared) {
            return "";
        }
        return "rl_" + c.tag + "_" + std::to_string(++c.last);
    }

    void remember(PGconn* connection, const std::string& key, const std::string& name) {
        std::lock_guard<std::mutex> lock(mutex_);
        current(connection).names.emplace(key, name);
    }

    void forget(const void* connection) {
        std::lock_guard<std::mutex> lock(mutex_);
        connections_.erase(connection);
    }

private:
    struct Connection {
        int backend = 0;  // the server process: a new one has prepared nothing
        // Unique to this connection of this process (a random number of the
        // process's, then a count), so no two connections' names are alike:
        // were statements ever run on a server session another connection
        // prepared on (a pooler in transaction mode), a name would be missing
        // there, never someone else's statement.
        std::string tag;
        std::uint64_t last = 0;
        std::unordered_map<std::string, std::string> names;
    };

    Connection& current(PGconn* connection) {
        Connection& c = connections_[connection];
        const int backend = PQbackendPID(connection);
        if (c.backend != backend || c.tag.empty()) {
            c = Connection{};
            c.backend = backend;
            c.tag = process_tag() + std::to_string(++connections_made_);
        }
        return c;
    }

    static const std::string& process_tag() {
        static const std::string tag = std::to_string(std::random_device{}()) + "_";
        return tag;
    }

    std::mutex mutex_;
    std::unordered_map<const void*, Connection> connections_;
    std::uint64_t connections_made_ = 0;
};

}  // namespace

void PgQuery::forget(const void* connection) {
    Prepared::registry().forget(connection);
}

struct PgQuery::Result {
    PGresult* result = nullptr;
    ~Result() { PQclear(result); }
};

PgQuery::PgQuery(Poco::Data::Session& session, std::string sql) : sql_(std::move(sql)) {
    connection_ = pg_connection(session);
}

PgQuery::~PgQuery() = default;

void PgQuery::bind(std::int64_t value) {
    values_.push_back(std::to_string(value));
    nulls_.push_back(false);
    types_.push_back(kInt8);
}

void PgQuery::bind(const std::string& value) {
    values_.push_back(value);
    nulls_.push_back(false);
    types_.push_back(kText);
}

void PgQuery::bind_null_integer() {
    values_.emplace_back();
    nulls_.push_back(true);
    types_.push_back(kInt8);
}

void PgQuery::bind_null_text() {
    values_.emplace_back();
    nulls_.push_back(true);
    types_.push_back(kText);
}

int PgQuery::execute() {
    std::vector<const char*> values(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) {
        values[i] = nulls_[i] ? nullptr : values_[i].c_str();
    }
    auto* connection = static_cast<PGconn*>(connection_);
    if (connection == nullptr) {
        fail("no connection");
    }
    const int n = static_cast<int>(values.size());
    std::string key = sql_;
    for (const unsigned int type : types_) {
        key += '\0' + std::to_string(type);
    }
    Prepared& prepared = Prepared::registry();
    std::string name = prepared.find(connection, key);
    if (name.empty()) {
        name = prepared.reserve(connection);
        if (!name.empty()) {
            Result made{PQprepare(connection, name.c_str(), sql_.c_str(), n, types_.data())};
            check(made.result, PGRES_COMMAND_OK, PGRES_COMMAND_OK);
            prepared.remember(connection, key, name);
        }
    }
    result_ = std::make_unique<Result>();
    result_->result = name.empty() ? PQexecParams(connection, sql_.c_str(), n, types_.data(),
                                                  values.data(), nullptr, nullptr, 0)
                                   : PQexecPrepared(connection, name.c_str(), n, values.data(),
                                                    nullptr, nullptr, 0);
    if (!name.empty() && has_sqlstate(result_->result, kNoSuchStatement)) {
        // The session was reset under us (DISCARD ALL, DEALLOCATE): what the
        // plugin set up on it is gone, the search_path too after DISCARD ALL.
        // Nothing more runs on it; PostgresDatabase replaces the connection.
        prepared.forget(connection);
        result_.reset();
        throw SessionReset(
            "the PostgreSQL database: the server no longer has the statement the plugin "
            "prepared as " +
            name +
            ": the connection's session was reset (DISCARD ALL or DEALLOCATE; behind a "
            "connection pooler, pool in session mode). Nothing more runs on it: this call's "
            "transaction is rolled back, and the next call connects afresh (in " +
            sql_.substr(0, 60) + "…)");
    }
    try {
        check(result_->result, PGRES_TUPLES_OK, PGRES_COMMAND_OK);
    } catch (...) {
        result_.reset();
        throw;
    }
    row_ = -1;
    const char* changed = PQcmdTuples(result_->result);
    return changed != nullptr && *changed != '\0' ? std::atoi(changed) : 0;
}

void PgQuery::check(const void* result, int good, int also_good) const {
    const auto* r = static_cast<const PGresult*>(result);
    const ExecStatusType status = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == good || status == also_good) {
        return;
    }
    fail(r != nullptr ? trimmed(PQresultErrorMessage(r))
                      : trimmed(PQerrorMessage(static_cast<const PGconn*>(connection_))));
}

void PgQuery::fail(const std::string& why) const {
    throw StorageError("the PostgreSQL database: " + why + " (in " + sql_.substr(0, 60) + "…)");
}

bool PgQuery::next() {
    if (!result_) {
        return false;
    }
    if (row_ + 1 >= PQntuples(result_->result)) {
        row_ = PQntuples(result_->result);
        return false;
    }
    ++row_;
    return true;
}

bool PgQuery::null(int column) const {
    return PQgetisnull(result_->result, row_, column) != 0;
}

std::int64_t PgQuery::integer(int column) const {
    if (null(column)) {
        return 0;
    }
    const char* value = PQgetvalue(result_->result, row_, column);
    if (PQftype(result_->result, column) == kBool) {
        return value[0] == 't' ? 1 : 0;
    }
    if (std::strpbrk(value, ".eE") != nullptr) {  // numeric or floating point
        return static_cast<std::int64_t>(std::llround(std::strtod(value, nullptr)));
    }
    return std::strtoll(value, nullptr, 10);
}

std::string PgQuery::text(int column) const {
    if (null(column)) {
        return std::string();
    }
    const char* value = PQgetvalue(result_->result, row_, column);
    if (PQftype(result_->result, column) == kBool) {
        return value[0] == 't' ? "true" : "false";
    }
    return std::string(value, static_cast<std::size_t>(PQgetlength(result_->result, row_, column)));
}

}  // namespace rl::storage
