// rl::storage::Database on both backends: reads in parallel, reads that never
// write, migrations, and each backend's own failures (SQLite's busy writer,
// PostgreSQL's unreachable server and dropped connections). SQLite on real
// files; PostgreSQL on the server RL_TEST_POSTGRES_URL names
// (scripts/test.sh --postgres starts a throwaway one), each test in a schema
// of its own; skipped without it.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Data/Session.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "calendar_data.h"
#include "config.h"
#include "core/assignment_resolver.h"
#include "core/plan_parser.h"
#include "storage/cursor.h"
#include "storage/database.h"
#include "storage/database_settings.h"
#include "storage/notification_store.h"
#include "storage/plan_store.h"
#include "storage/report_store.h"
#include "storage/write_slices.h"
#include "support/test_support.h"

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;
using rl::storage::Cursor;
using rl::storage::Database;
using rl::storage::DatabaseSettings;
using rl::storage::Dialect;
using rl::storage::Migration;
using rl::storage::StorageError;
using rl::test::TempDir;

namespace {

const char* postgres_url() {
    const char* url = std::getenv("RL_TEST_POSTGRES_URL");
    return url != nullptr && *url != '\0' ? url : nullptr;
}

Migration make_migration(int version, const std::string& name, const std::string& sql) {
    Migration m;
    m.version = version;
    m.name = name;
    m.sql = sql;
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(sql);
    m.checksum = Poco::DigestEngine::digestToHex(engine.digest());
    return m;
}

// One table both dialects create alike.
std::vector<Migration> counter_migrations() {
    return {make_migration(1, "0001_counter.sql",
                           "CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT "
                           "NULL);\nINSERT INTO counter (id, value) VALUES (1, 0);\n")};
}

// A fresh ledger on one backend: a file in a temporary folder, or a schema of
// its own on the test server (dropped afterwards).
class Backend {
public:
    explicit Backend(Dialect dialect) : dialect_(dialect) {
        if (dialect == Dialect::sqlite) {
            settings_.path = dir_.file("ledger.db");
        } else {
            settings_ = rl::storage::with_postgresql_url(settings_, postgres_url());
            static std::atomic<int> counter{0};
            settings_.schema = "rl_test_" + std::to_string(::getpid()) + "_" +
                               std::to_string(counter.fetch_add(1));
        }
    }
    ~Backend() {
        if (dialect_ == Dialect::postgresql) {
            try {
                auto admin = admin_session();
                admin << "DROP SCHEMA IF EXISTS " + settings_.schema + " CASCADE", now;
            } catch (...) {
                // A schema left behind lives only as long as the throwaway cluster.
            }
        }
    }
    DatabaseSettings& settings() { return settings_; }
    std::unique_ptr<Database> open(const std::vector<Migration>& migrations) const {
        return std::make_unique<Database>(settings_, migrations);
    }
    // A connection of the test's own, beside the Database's.
    Poco::Data::Session admin_session() const {
        const DatabaseSettings& s = settings_;
        return Poco::Data::Session(new Poco::Data::PostgreSQL::SessionImpl(
            "host=" + s.host + " port=" + std::to_string(s.port) + " dbname=" + s.name +
            " user=" + s.user + " password=" + s.password));
    }

private:
    Dialect dialect_;
    TempDir dir_;
    DatabaseSettings settings_;
};

class DatabaseOnBothBackends : public ::testing::TestWithParam<Dialect> {
protected:
    void SetUp() override {
        if (GetParam() == Dialect::postgresql && postgres_url() == nullptr) {
            GTEST_SKIP() << "RL_TEST_POSTGRES_URL is not set: no PostgreSQL server to test on "
                            "(scripts/test.sh --postgres starts a throwaway one)";
        }
        backend_ = std::make_unique<Backend>(GetParam());
    }
    std::unique_ptr<Backend> backend_;
};

std::string dialect_name(const ::testing::TestParamInfo<Dialect>& info) {
    return info.param == Dialect::sqlite ? "sqlite" : "postgresql";
}

// The counter's value read through a Cursor (on PostgreSQL, libpq with the
// statement prepared on the connection).
std::int64_t counter_value_by_cursor(Database& db) {
    return db.read([](Poco::Data::Session& s) {
        Cursor c(s, "SELECT value FROM counter WHERE id = $1");
        c.bind(std::int64_t{1});
        return c.step() ? c.integer(0) : -1;
    });
}

// How many statements named rl_… the session's connection holds.
std::int64_t prepared_here(Poco::Data::Session& s) {
    Cursor c(s, "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'rl\\_%'");
    return c.step() ? c.integer(0) : -1;
}

int counter_value(Database& db) {
    return db.read([](Poco::Data::Session& s) {
        int value = -1;
        s << "SELECT value FROM counter WHERE id = 1", into(value), now;
        return value;
    });
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseOnBothBackends,
                         ::testing::Values(Dialect::sqlite, Dialect::postgresql), dialect_name);

TEST_P(DatabaseOnBothBackends, MigratesAndReportsItsDialectAndSchemaVersion) {
    auto db = backend_->open(counter_migrations());
    EXPECT_EQ(db->dialect(), GetParam());
    EXPECT_EQ(db->schema_version(), 1);
    EXPECT_EQ(counter_value(*db), 0);
    db.reset();
    // Opened again: nothing applied twice, the data kept.
    db = backend_->open(counter_migrations());
    EXPECT_EQ(db->schema_version(), 1);
    EXPECT_EQ(counter_value(*db), 0);
}

TEST_P(DatabaseOnBothBackends, ChangedMigrationIsRefusedNamingIt) {
    backend_->open(counter_migrations());
    auto changed = counter_migrations();
    changed[0] = make_migration(1, "0001_counter.sql", changed[0].sql + "-- changed\n");
    try {
        backend_->open(changed);
        FAIL() << "a changed migration was accepted";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("0001_counter.sql was changed"), std::string::npos)
            << e.what();
    }
}

// One thread holds a read transaction open until a second thread has
// completed a read of its own: with one session behind a mutex the second
// read would wait for the first, which waits for it.
TEST_P(DatabaseOnBothBackends, TwoThreadsReadAtOnce) {
    auto db = backend_->open(counter_migrations());
    std::mutex m;
    std::condition_variable changed;
    bool first_inside = false;
    bool second_done = false;
    bool second_seen_inside_first = false;
    std::thread first([&] {
        db->transaction(false, [&] {
            EXPECT_EQ(counter_value(*db), 0);
            std::unique_lock<std::mutex> lock(m);
            first_inside = true;
            changed.notify_all();
            second_seen_inside_first =
                changed.wait_for(lock, std::chrono::seconds(30), [&] { return second_done; });
        });
    });
    {
        std::unique_lock<std::mutex> lock(m);
        changed.wait(lock, [&] { return first_inside; });
    }
    EXPECT_EQ(counter_value(*db), 0);
    {
        std::lock_guard<std::mutex> lock(m);
        second_done = true;
    }
    changed.notify_all();
    first.join();
    EXPECT_TRUE(second_seen_inside_first)
        << "the second read waited for the first read transaction to end";
}

// integer_now: one statement on its own outside a transaction (what a kept
// answer's check costs), joining the transaction the thread runs inside one.
TEST_P(DatabaseOnBothBackends, IntegerNowIsAStatementOnItsOwnOrJoinsTheTransaction) {
    auto db = backend_->open(counter_migrations());
    EXPECT_EQ(db->integer_now("SELECT value FROM counter WHERE id = 1"), 0);
    EXPECT_FALSE(db->integer_now("SELECT value FROM counter WHERE id = 2").has_value());
    db->transaction(true, [&] {
        db->write(
            [](Poco::Data::Session& s) { s << "UPDATE counter SET value = 3 WHERE id = 1", now; });
        EXPECT_EQ(db->integer_now("SELECT value FROM counter WHERE id = 1"), 3);
    });
    EXPECT_EQ(db->integer_now("SELECT value FROM counter WHERE id = 1"), 3);
    if (GetParam() == Dialect::postgresql) {
        // No BEGIN of ours before it: the statement runs as the server's own
        // transaction, at the server's default isolation and holding no
        // advisory lock (a write's BEGIN takes the ledger's). A read() sends
        // BEGIN ISOLATION LEVEL REPEATABLE READ first, in a round trip of its
        // own (the test servers' default is read committed).
        const char* const alone =
            "SELECT CASE WHEN current_setting('transaction_isolation')"
            " = current_setting('default_transaction_isolation')"
            " AND NOT EXISTS (SELECT 1 FROM pg_locks WHERE pid = pg_backend_pid()"
            " AND locktype = 'advisory') THEN 1 ELSE 0 END";
        EXPECT_EQ(db->integer_now(alone), 1);
        // Prepared on the connection (one thread: the pool gives back the
        // connection it took last), so a kept answer's check is executed,
        // not parsed and planned again.
        EXPECT_EQ(db->integer_now("SELECT count(*) FROM pg_prepared_statements"
                                  " WHERE statement = 'SELECT value FROM counter WHERE id = 1'"),
                  1);
        EXPECT_EQ(db->read([&](Poco::Data::Session& s) {
            Cursor c(s, alone);
            return c.step() ? c.integer(0) : -1;
        }),
                  0);
    }
}

// WriteSlices: every step once, in order; as many steps to a write
// transaction as fit the slice; a step that would not fit starts the next
// transaction; inside an enclosing transaction all join it.
TEST_P(DatabaseOnBothBackends, WriteSlicesTakeAnotherStepOnlyWhenItCanEndWithinTheSlice) {
    auto db = backend_->open(counter_migrations());
    std::vector<std::size_t> order;
    const auto add_one = [&](std::size_t i) {
        order.push_back(i);
        db->write([](Poco::Data::Session& s) {
            s << "UPDATE counter SET value = value + 1 WHERE id = 1", now;
        });
    };
    // add_one after sleeping ms.
    const auto taking = [&](int ms) {
        return [&add_one, ms](std::size_t i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
            add_one(i);
        };
    };

    // Quick steps: one transaction.
    rl::storage::WriteSlices quick(*db, std::chrono::seconds(10));
    quick.run(50, add_one);
    EXPECT_EQ(quick.count(), 1);
    EXPECT_EQ(counter_value_by_cursor(*db), 50);
    ASSERT_EQ(order.size(), 50u);
    for (std::size_t i = 0; i < order.size(); ++i) {
        EXPECT_EQ(order[i], i);
    }

    // Steps of at least 60 ms in slices of 100 ms: a second step would end
    // past the slice, so each step commits alone (the slice plus a step, 120
    // ms, was the hold before).
    rl::storage::WriteSlices slow(*db, std::chrono::milliseconds(100));
    slow.run(3, taking(60));
    EXPECT_EQ(slow.count(), 3);
    EXPECT_EQ(counter_value_by_cursor(*db), 53);
    // A later run on the same object learns afresh (a sweep's phases run
    // steps of different kinds): after a step longer than the slice, quick
    // steps still share one transaction.
    slow.run(1, taking(110));
    EXPECT_EQ(slow.count(), 4);
    slow.run(20, add_one);
    EXPECT_EQ(slow.count(), 5);
    EXPECT_EQ(counter_value_by_cursor(*db), 74);

    // A slice of 0: a transaction per step.
    rl::storage::WriteSlices each(*db, std::chrono::milliseconds(0));
    each.run(4, add_one);
    EXPECT_EQ(each.count(), 4);
    EXPECT_EQ(counter_value_by_cursor(*db), 78);

    // A step that fails: the slices before it stay, its own is rolled back.
    rl::storage::WriteSlices failing(*db, std::chrono::milliseconds(0));
    EXPECT_THROW(failing.run(5,
                             [&](std::size_t i) {
                                 add_one(i);
                                 if (i == 2) {
                                     throw std::runtime_error("step 2 fails");
                                 }
                             }),
                 std::runtime_error);
    EXPECT_EQ(counter_value_by_cursor(*db), 80);

    // Inside a transaction, every step joins it: they all run, and when the
    // enclosing write then fails, nothing stays.
    const std::size_t before = order.size();
    EXPECT_THROW(db->transaction(true,
                                 [&] {
                                     rl::storage::WriteSlices joined(*db,
                                                                     std::chrono::milliseconds(0));
                                     joined.run(3, add_one);
                                     throw std::runtime_error("the enclosing write fails");
                                 }),
                 std::runtime_error);
    EXPECT_EQ(order.size(), before + 3);
    EXPECT_EQ(counter_value_by_cursor(*db), 80);
}

TEST_P(DatabaseOnBothBackends, WriteInsideReadTransactionIsRefused) {
    auto db = backend_->open(counter_migrations());
    try {
        db->transaction(false, [&] {
            db->write([](Poco::Data::Session& s) {
                s << "UPDATE counter SET value = 5 WHERE id = 1", now;
            });
        });
        FAIL() << "a write inside a read transaction was accepted";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("a write inside a read transaction is refused"),
                  std::string::npos)
            << e.what();
    }
    // A read that tries to write on its own fails too (query_only on SQLite's
    // readers, READ ONLY on PostgreSQL).
    EXPECT_ANY_THROW(db->read(
        [](Poco::Data::Session& s) { s << "UPDATE counter SET value = 6 WHERE id = 1", now; }));
    EXPECT_EQ(counter_value(*db), 0);
    db->write(
        [](Poco::Data::Session& s) { s << "UPDATE counter SET value = 7 WHERE id = 1", now; });
    EXPECT_EQ(counter_value(*db), 7);
}

// Writers that read, then write what they read (as each audit entry reads
// the last hash): none is lost when several run at once.
TEST_P(DatabaseOnBothBackends, ConcurrentReadThenWriteTransactionsLoseNoUpdate) {
    backend_->settings().pool_size = 4;
    auto db = backend_->open(counter_migrations());
    constexpr int kThreads = 4;
    constexpr int kEach = 25;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < kEach; ++i) {
                db->write([](Poco::Data::Session& s) {
                    int value = 0;
                    s << "SELECT value FROM counter WHERE id = 1", into(value), now;
                    ++value;
                    s << "UPDATE counter SET value = $1 WHERE id = 1", use(value), now;
                });
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(counter_value(*db), kThreads * kEach);
}

TEST(DatabaseSqlite, InMemoryLedgerReadsWhatItWroteOnItsOneConnection) {
    DatabaseSettings settings;
    settings.path = rl::storage::kInMemory;
    Database db(settings, counter_migrations());
    db.write([](Poco::Data::Session& s) { s << "UPDATE counter SET value = 3 WHERE id = 1", now; });
    EXPECT_EQ(counter_value(db), 3);
    db.transaction(false, [&] { EXPECT_EQ(counter_value(db), 3); });
}

// Another connection holds the write lock longer than the busy timeout: the
// write is tried busy_retries more times, then fails saying so.
TEST(DatabaseSqlite, WriterBusyBeyondItsRetriesFailsNamingTheFile) {
    TempDir dir;
    DatabaseSettings settings;
    settings.path = dir.file("ledger.db");
    settings.busy_timeout_ms = 50;
    settings.busy_retries = 2;
    Database db(settings, counter_migrations());
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(settings.path.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    try {
        db.write([](Poco::Data::Session& s) { s << "UPDATE counter SET value = 1", now; });
        ADD_FAILURE() << "the write went through another connection's write lock";
    } catch (const StorageError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("database '" + settings.path + "' was busy"), std::string::npos)
            << message;
        EXPECT_NE(message.find("3 attempt(s) of BEGIN IMMEDIATE"), std::string::npos) << message;
    }
    // Reads go on meanwhile (WAL), and the write succeeds once the lock is free.
    EXPECT_EQ(counter_value(db), 0);
    ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(other);
    db.write([](Poco::Data::Session& s) { s << "UPDATE counter SET value = 1", now; });
    EXPECT_EQ(counter_value(db), 1);
}

// The lock is held past one busy timeout but released well within the
// retries: the write waits and goes through.
TEST(DatabaseSqlite, WriterBusyForLongerThanTheTimeoutSucceedsOnARetry) {
    TempDir dir;
    DatabaseSettings settings;
    settings.path = dir.file("ledger.db");
    settings.busy_timeout_ms = 100;
    settings.busy_retries = 100;  // 10 s: far beyond the 0.3 s the lock is held
    Database db(settings, counter_migrations());
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(settings.path.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    std::thread release([other] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
    });
    EXPECT_NO_THROW(
        db.write([](Poco::Data::Session& s) { s << "UPDATE counter SET value = 2", now; }));
    release.join();
    sqlite3_close(other);
    EXPECT_EQ(counter_value(db), 2);
}

TEST(DatabasePostgres, UnreachableServerIsAStorageErrorNamingHostPortAndDatabase) {
    DatabaseSettings settings =
        rl::storage::with_postgresql_url({}, "postgresql://ledger:s3cret@127.0.0.1:1/court_oa");
    try {
        Database db(settings, counter_migrations());
        FAIL() << "connected to nothing";
    } catch (const StorageError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("PostgreSQL at 127.0.0.1:1/court_oa"), std::string::npos) << message;
        EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
    }
}

TEST(DatabasePostgres, UrlFieldsAreParsedAndBadUrlsRefused) {
    const DatabaseSettings s = rl::storage::with_postgresql_url(
        {}, "postgresql://oa%40court:p%3Ass@db.court.example:6432/oa?sslmode=require");
    EXPECT_EQ(s.host, "db.court.example");
    EXPECT_EQ(s.port, 6432);
    EXPECT_EQ(s.user, "oa@court");
    EXPECT_EQ(s.password, "p:ss");
    EXPECT_EQ(s.name, "oa");
    EXPECT_EQ(s.sslmode, "require");
    EXPECT_TRUE(s.postgresql());
    EXPECT_THROW(rl::storage::with_postgresql_url({}, "mysql://u@h/db"),
                 rl::storage::DatabaseUrlError);
    EXPECT_THROW(rl::storage::with_postgresql_url({}, "postgresql://u@h:5432/"),
                 rl::storage::DatabaseUrlError);
    EXPECT_THROW(rl::storage::with_postgresql_url({}, "postgresql://u@h/db?colour=red"),
                 rl::storage::DatabaseUrlError);
}

class DatabasePostgresServer : public ::testing::Test {
protected:
    void SetUp() override {
        if (postgres_url() == nullptr) {
            GTEST_SKIP() << "RL_TEST_POSTGRES_URL is not set: no PostgreSQL server to test on "
                            "(scripts/test.sh --postgres starts a throwaway one)";
        }
        backend_ = std::make_unique<Backend>(Dialect::postgresql);
    }
    std::unique_ptr<Backend> backend_;
};

TEST_F(DatabasePostgresServer, WrongPasswordNamesTheServerNeverThePassword) {
    backend_->settings().password = "not-the-password";
    try {
        backend_->open(counter_migrations());
        FAIL() << "a wrong password was accepted";
    } catch (const StorageError& e) {
        const std::string message = e.what();
        const auto& s = backend_->settings();
        EXPECT_NE(
            message.find("PostgreSQL at " + s.host + ":" + std::to_string(s.port) + "/" + s.name),
            std::string::npos)
            << message;
        EXPECT_NE(message.find("password authentication failed"), std::string::npos) << message;
        EXPECT_EQ(message.find("not-the-password"), std::string::npos) << message;
    }
}

// A session reset behind the plugin's back (DISCARD ALL: the prepared
// statements and the search_path go; here DEALLOCATE ALL and the server's
// default search_path, since DISCARD ALL refuses to run inside the
// transaction a write is) is found by the first statement the connection had
// prepared, and the session is never used again: the connection is replaced
// — at once for a statement on its own, after failing the one transaction
// that met it otherwise, saying why. Until then a transaction's statements
// still find the ledger's schema (each transaction names it). Before, the
// statement failed on every call (or was prepared again on the reset
// session, where its table is not on the search_path).
TEST_F(DatabasePostgresServer, AResetSessionIsReplacedNeverUsedAgain) {
    auto db = backend_->open(counter_migrations());
    const char* const value = "SELECT value FROM counter WHERE id = 1";
    const char* const pid = "SELECT pg_backend_pid()";
    // Resets the session of the connection the next call leases (the pool
    // gives back the connection it took last); returns its server process.
    const auto reset = [&] {
        const std::int64_t reset_pid = db->write([pid](Poco::Data::Session& s) {
            Cursor backend(s, pid);
            Cursor default_path(s,
                                "SELECT set_config('search_path', reset_val, false)"
                                " FROM pg_settings WHERE name = 'search_path'");
            default_path.step();
            return backend.step() ? backend.integer(0) : -1;
        });
        // Not transactional: it holds although Poco's connector, whose own
        // statement it drops, then fails to release it (and the write rolls
        // back).
        db->write([](Poco::Data::Session& s) { s << "DEALLOCATE ALL", now; });
        return reset_pid;
    };

    // On its own (autocommit): connected again and run, no error.
    ASSERT_EQ(db->integer_now(value), 0);
    const auto used = db->integer_now(pid);
    const std::int64_t first = reset();
    ASSERT_EQ(used, first) << "the reset must reach the connection the calls use";
    EXPECT_EQ(counter_value(*db), 0);  // Poco's statement, before any prepared one
    EXPECT_EQ(db->integer_now(value), 0);
    EXPECT_NE(db->integer_now(pid), first) << "the reset session was used again";

    // Inside a transaction: that transaction fails, saying why; the next call
    // runs on a new connection.
    ASSERT_EQ(counter_value_by_cursor(*db), 0);  // prepared on this connection
    const auto used_now = db->integer_now(pid);
    const std::int64_t second = reset();
    ASSERT_EQ(used_now, second) << "the reset must reach the connection the calls use";
    try {
        counter_value_by_cursor(*db);
        ADD_FAILURE() << "a statement ran on a reset session inside a transaction";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("session was reset (DISCARD ALL or DEALLOCATE"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(counter_value_by_cursor(*db), 0);
    EXPECT_NE(db->integer_now(pid), second) << "the reset session was used again";
}

TEST_F(DatabasePostgresServer, TablesLiveInTheConfiguredSchema) {
    auto db = backend_->open(counter_migrations());
    auto admin = backend_->admin_session();
    int tables = 0;
    std::string schema = backend_->settings().schema;
    admin << "SELECT count(*)::integer FROM information_schema.tables WHERE table_schema = $1"
             " AND table_name IN ('counter', 'schema_migrations')",
        use(schema), into(tables), now;
    EXPECT_EQ(tables, 2);
}

// Opening a ledger whose schema exists (every start but the first) runs
// CREATE … IF NOT EXISTS, which the server answers with NOTICEs; libpq prints
// notices on stderr unless told otherwise, i.e. on the host's console, past
// its logger (the province benchmark printed two per court).
TEST_F(DatabasePostgresServer, OpeningAnExistingSchemaPrintsNothingOnStderr) {
    backend_->open(counter_migrations());
    testing::internal::CaptureStderr();
    auto db = backend_->open(counter_migrations());
    const std::string printed = testing::internal::GetCapturedStderr();
    EXPECT_EQ(printed, "");
}

// The server ends the plugin's connections (a restart, a failover, an idle
// timeout): the next call connects again instead of failing or crashing.
TEST_F(DatabasePostgresServer, DroppedConnectionsAreReopenedByTheNextCall) {
    // A database of its own, so that ending its connections ends no other
    // test's.
    auto admin = backend_->admin_session();
    std::string name = "rl_test_drop_" + std::to_string(::getpid());
    admin << "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", now;
    admin << "CREATE DATABASE " + name, now;
    backend_->settings().name = name;
    {
        auto db = backend_->open(counter_migrations());
        EXPECT_EQ(counter_value(*db), 0);
        int ended = 0;
        admin << "SELECT count(pg_terminate_backend(pid))::integer FROM pg_stat_activity"
                 " WHERE datname = $1",
            use(name), into(ended), now;
        ASSERT_GE(ended, 1);
        EXPECT_EQ(counter_value(*db), 0);
        db->write([](Poco::Data::Session& s) { s << "UPDATE counter SET value = 9", now; });
        EXPECT_EQ(counter_value(*db), 9);
        // The new connections have prepared nothing yet: the statements the
        // ended ones held are prepared again, not executed by a stale name.
        EXPECT_EQ(counter_value_by_cursor(*db), 9);
        admin << "SELECT count(pg_terminate_backend(pid))::integer FROM pg_stat_activity"
                 " WHERE datname = $1",
            use(name), into(ended), now;
        ASSERT_GE(ended, 1);
        EXPECT_EQ(counter_value_by_cursor(*db), 9);
    }
    admin << "DROP DATABASE " + name + " WITH (FORCE)", now;
}

// A Cursor on PostgreSQL goes through libpq: each statement prepared once per
// connection, values read as the SQLite path reads them (NULL as 0 or empty,
// a boolean as 0 or 1).
TEST_F(DatabasePostgresServer, CursorStatementsArePreparedOncePerConnectionAndReadAlike) {
    auto db = backend_->open(counter_migrations());
    db->read([](Poco::Data::Session& s) {
        const std::int64_t before = prepared_here(s);
        for (int round = 0; round < 3; ++round) {
            Cursor c(s,
                     "SELECT value, $1::bigint + 1, value = 0, NULL::text, NULL::bigint,"
                     " 2.5::float8, 'text' || $2 FROM counter WHERE id = $3");
            c.bind(std::int64_t{41}).bind(std::string("·文")).bind(std::int64_t{1});
            ASSERT_TRUE(c.step());
            EXPECT_EQ(c.integer(0), 0);
            EXPECT_EQ(c.integer(1), 42);
            EXPECT_EQ(c.integer(2), 1);
            EXPECT_EQ(c.text(2), "true");
            EXPECT_TRUE(c.null(3));
            EXPECT_EQ(c.text(3), "");
            EXPECT_EQ(c.integer(4), 0);
            EXPECT_EQ(c.integer(5), 3);
            EXPECT_EQ(c.text(5), "2.5");
            EXPECT_EQ(c.text(6), "text·文");
            EXPECT_FALSE(c.step());
        }
        // One statement for the three rounds (the count was prepared by the
        // first count).
        EXPECT_EQ(prepared_here(s), before + 1);
    });
}

TEST_F(DatabasePostgresServer, ACursorsFailureNamesTheServersMessageAndTheStatement) {
    auto db = backend_->open(counter_migrations());
    try {
        db->read([](Poco::Data::Session& s) {
            Cursor c(s, "SELECT no_such_column FROM counter");
            return c.step();
        });
        FAIL() << "a statement naming a missing column ran";
    } catch (const StorageError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("column \"no_such_column\" does not exist"), std::string::npos)
            << message;
        EXPECT_NE(message.find("SELECT no_such_column FROM counter"), std::string::npos) << message;
    }
    EXPECT_EQ(counter_value_by_cursor(*db), 0);  // the connection serves the next call
}

TEST_F(DatabasePostgresServer, StatementsBeyondAConnectionsMostRunUnprepared) {
    auto db = backend_->open(counter_migrations());
    const int most = static_cast<int>(rl::storage::PgQuery::kMaxPrepared);
    db->read([&](Poco::Data::Session& s) {
        for (int k = 0; k < most + 10; ++k) {
            Cursor c(s, "SELECT $1::bigint + " + std::to_string(k));
            c.bind(std::int64_t{1000});
            ASSERT_TRUE(c.step());
            EXPECT_EQ(c.integer(0), 1000 + k);
        }
        EXPECT_EQ(prepared_here(s), most);
    });
}

// Cluster nodes starting at once on a new schema: one migrates, the others
// wait for it and find nothing left to do.
TEST_F(DatabasePostgresServer, NodesStartingAtOnceMigrateOnce) {
    auto migrations = counter_migrations();
    migrations.push_back(make_migration(2, "0002_more.sql",
                                        "CREATE TABLE more (id INTEGER PRIMARY KEY);\n"
                                        "UPDATE counter SET value = value + 1;\n"));
    constexpr int kNodes = 4;
    std::vector<std::thread> nodes;
    std::atomic<int> opened{0};
    std::mutex errors_mutex;
    std::vector<std::string> errors;
    for (int i = 0; i < kNodes; ++i) {
        nodes.emplace_back([&] {
            try {
                auto db = backend_->open(migrations);
                if (db->schema_version() == 2) {
                    ++opened;
                }
            } catch (const std::exception& e) {
                std::lock_guard<std::mutex> lock(errors_mutex);
                errors.push_back(e.what());
            }
        });
    }
    for (auto& node : nodes) {
        node.join();
    }
    EXPECT_TRUE(errors.empty()) << errors.front();
    EXPECT_EQ(opened.load(), kNodes);
    auto db = backend_->open(migrations);
    EXPECT_EQ(counter_value(*db), 1) << "a migration ran more than once";
    const int applied = db->read([](Poco::Data::Session& s) {
        int rows = 0;
        s << "SELECT count(*)::integer FROM schema_migrations", into(rows), now;
        return rows;
    });
    EXPECT_EQ(applied, 2);
}

// Migration 0012 moves a notification's words to notification_contents: what
// was queued before it is delivered with the same title, body and payload.
TEST_P(DatabaseOnBothBackends, MessagesQueuedBeforeTheirWordsMovedAreClaimedWithThem) {
    auto all = GetParam() == Dialect::sqlite ? rl::storage::sqlite_migrations()
                                             : rl::storage::postgresql_migrations();
    ASSERT_GE(all.size(), 12u);
    ASSERT_EQ(all[11].name, "0012_notification_contents.sql");
    auto up_to_11 = all;
    up_to_11.resize(11);
    const std::string payload = "{\"id\":\"msg_before_12\",\"text\":\"刑庭：请于三日内补报\"}";
    {
        auto db = backend_->open(up_to_11);
        db->write([&](Poco::Data::Session& s) {
            std::string p = payload;
            s << "INSERT INTO notifications (message_id, channel, recipient, kind, urgent, title,"
                 " body, payload, status, created_ms, deliver_after, next_attempt_at) VALUES"
                 " ('msg_before_12', 'oa', 'department:刑庭', 'reminder', 0, '【提醒】逾期未报',"
                 " '### 刑庭\n逾期未报', $1, 'pending', 1, 1, 1)",
                use(p), now;
        });
    }
    auto db = backend_->open(all);
    EXPECT_EQ(db->schema_version(), all.back().version);
    rl::storage::NotificationStore store(*db);
    const auto claimed = store.claim(1000, 1000, 10, "worker-a");
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(claimed[0].message_id, "msg_before_12");
    EXPECT_EQ(claimed[0].title, "【提醒】逾期未报");
    EXPECT_EQ(claimed[0].body, "### 刑庭\n逾期未报");
    EXPECT_EQ(claimed[0].payload, payload);
    // The delivery state's row holds no words any more.
    EXPECT_THROW(db->read([](Poco::Data::Session& s) {
        Cursor c(s, "SELECT payload FROM notifications");
        return c.step();
    }),
                 std::exception);
}

// A plan's import and a month's opening add rows by the hundred: on
// PostgreSQL they leave the tables analysed (pg_class.reltuples is -1 until a
// table's statistics are first gathered), so the next reads are planned from
// what the tables hold, not from guesses about empty tables.
TEST_P(DatabaseOnBothBackends, AnImportAndAMonthsOpeningLeaveTheirTablesWithStatistics) {
    auto db = backend_->open(GetParam() == Dialect::sqlite ? rl::storage::sqlite_migrations()
                                                           : rl::storage::postgresql_migrations());
    const rl::Config config = rl::parse_config(rl::test::plugin_config("unused.db"));
    const auto plan = rl::core::parse_plan(rl::test::seed_plan_text(), config.parse);
    rl::storage::PlanStore plans(*db);
    rl::storage::ReportStore reports(*db);
    const auto outcome =
        plans.import(plan, rl::core::resolve_assignments(plan, config.org_chart),
                     rl::storage::PlanSource{"yanji", "yanji-2019-plan.txt", "UTF-8", "", ""},
                     {"u-sigaiban-contact", "reform_office"}, 1569888000000);
    ASSERT_GE(outcome.rows_added, rl::storage::kBulkRows);
    const auto stored = plans.plan("yanji");
    const auto calendar = rl::builtin_calendar();
    ASSERT_GE(reports.ensure_obligations(stored, 2019, 10, config.reporting, calendar),
              rl::storage::kBulkRows);
    if (GetParam() == Dialect::sqlite) {
        return;  // SQLite gathers no statistics; the import and the opening are checked above
    }
    for (const std::string table : {"tasks", "assignments", "obligations"}) {
        const double tuples = db->read([&](Poco::Data::Session& s) {
            Cursor c(s,
                     "SELECT c.reltuples::float8 FROM pg_class c JOIN pg_namespace n ON n.oid ="
                     " c.relnamespace WHERE n.nspname = current_schema() AND c.relname = $1");
            c.bind(table);
            return c.step() ? std::stod(c.text(0)) : -2.0;
        });
        EXPECT_GT(tuples, 0.0) << table << ": no statistics gathered";
    }
}
