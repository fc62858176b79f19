// rl::storage::Database: opening, WAL, migrations (fresh, existing, newer,
// changed, failing), unusable locations and write() transactions — against
// real SQLite files.
#include <gtest/gtest.h>

#include <Poco/Data/Session.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <sys/stat.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "storage/database.h"
#include "support/test_support.h"

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using rl::storage::Database;
using rl::storage::Migration;
using rl::storage::sqlite_migrations;
using rl::storage::StorageError;
using rl::test::sql_rows;
using rl::test::TempDir;

namespace {

using Rows = rl::test::SqlRows;

// Like sql_rows, on a sqlite3 connection of their own, never the Database's session.
void exec(const std::string& path, const std::string& sql) {
    sql_rows(path, sql);
}

std::string scalar(const std::string& path, const std::string& sql) {
    const Rows rows = sql_rows(path, sql);
    if (rows.empty() || rows[0].empty()) {
        throw std::runtime_error("no value from '" + sql + "'");
    }
    return rows[0][0];
}

std::string sha256_hex(const std::string& text) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(text);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

Migration make_migration(int version, const std::string& name, const std::string& sql) {
    Migration m;
    m.version = version;
    m.name = name;
    m.sql = sql;
    m.checksum = sha256_hex(sql);
    return m;
}

bool table_exists(const std::string& path, const std::string& table) {
    return scalar(path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '" +
                            table + "'") == "1";
}

// dir/ledger.db, created with the compiled-in migrations and closed again.
// The first compiled-in migration alone: tests of the migration mechanism
// add their own second migration on top of it.
std::vector<Migration> first_migration_only() {
    auto migrations = sqlite_migrations();
    migrations.resize(1);
    return migrations;
}

int latest_version() {
    return sqlite_migrations().back().version;
}

std::string version_one_database(const TempDir& dir) {
    const std::string path = dir.file("ledger.db");
    { Database db(path, first_migration_only()); }
    return path;
}

// The StorageError's message, or a marker when the constructor did not throw one.
std::string open_error(const std::string& path, const std::vector<Migration>& migrations) {
    try {
        Database db(path, migrations);
    } catch (const StorageError& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("<not a StorageError: ") + e.what() + ">";
    }
    return "<no error>";
}

}  // namespace

TEST(Database, CompiledInMigrationsAreTheNumberedSqlFilesInOrderWithTheirSha256) {
    const auto migrations = sqlite_migrations();
    const char* const kFiles[] = {"0001_plan.sql", "0002_reports.sql", "0003_notifications.sql",
                                  "0004_separation_of_duties.sql", "0005_audit_chain.sql"};
    ASSERT_EQ(migrations.size(), std::size(kFiles));
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1);
        EXPECT_EQ(migrations[i].name, kFiles[i]);
        const std::string on_disk =
            rl::test::read_file(std::string(RL_FIXTURES) + "/../../sql/sqlite/" + kFiles[i]);
        EXPECT_EQ(migrations[i].sql, on_disk);
        EXPECT_EQ(migrations[i].checksum, sha256_hex(on_disk));
        EXPECT_EQ(migrations[i].checksum.size(), 64u);
    }
}

TEST(Database, FreshFileIsMigratedToTheLatestVersionWithOneRowPerMigration) {
    TempDir dir;
    const std::string path = dir.file("ledger.db");
    {
        Database db(path, sqlite_migrations());
        EXPECT_EQ(db.schema_version(), latest_version());
        EXPECT_EQ(db.path(), path);
    }
    const Rows rows = sql_rows(
        path, "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version");
    ASSERT_EQ(rows.size(), sqlite_migrations().size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i][0], std::to_string(sqlite_migrations()[i].version));
        EXPECT_EQ(rows[i][1], sqlite_migrations()[i].name);
        EXPECT_EQ(rows[i][2], sqlite_migrations()[i].checksum);
        // ISO 8601 UTC: 2026-11-28T05:55:00.123Z
        EXPECT_EQ(rows[i][3].size(), 24u) << rows[i][3];
        EXPECT_EQ(rows[i][3].back(), 'Z') << rows[i][3];
    }
    for (const char* table :
         {"plans", "departments", "sections", "tasks", "task_items", "assignments", "obligations",
          "reports", "audit_log", "notifications"}) {
        EXPECT_TRUE(table_exists(path, table)) << table;
    }
}

TEST(Database, JournalModeIsWalAsSeenFromAnotherConnection) {
    TempDir dir;
    const std::string path = dir.file("ledger.db");
    Database db(path, sqlite_migrations());
    EXPECT_EQ(scalar(path, "PRAGMA journal_mode"), "wal");
}

TEST(Database, ForeignKeysAreEnforcedOnTheSession) {
    TempDir dir;
    Database db(dir.file("ledger.db"), sqlite_migrations());
    EXPECT_THROW(db.write([](Poco::Data::Session& s) {
        s << "INSERT INTO sections (plan_id, number, ordinal, title) VALUES (4242, '一', 1, 't')",
            now;
    }),
                 std::exception);
}

TEST(Database, ReopeningAppliesNothingAgainAndKeepsData) {
    TempDir dir;
    const std::string path = dir.file("ledger.db");
    {
        Database db(path, sqlite_migrations());
        db.write([](Poco::Data::Session& s) {
            s << "INSERT INTO departments (name, in_org_chart) VALUES ('技术科', 1)", now;
        });
    }
    const Rows before =
        sql_rows(path, "SELECT version, name, checksum, applied_at FROM schema_migrations");
    {
        Database db(path, sqlite_migrations());
        EXPECT_EQ(db.schema_version(), latest_version());
        const int count = db.read([](Poco::Data::Session& s) {
            int n = 0;
            s << "SELECT COUNT(*) FROM departments WHERE name = '技术科'", into(n), now;
            return n;
        });
        EXPECT_EQ(count, 1);
    }
    EXPECT_EQ(sql_rows(path, "SELECT version, name, checksum, applied_at FROM schema_migrations"),
              before);
    EXPECT_EQ(scalar(path, "SELECT COUNT(*) FROM departments"), "1");
}

TEST(Database, NewerSchemaVersionIsRefusedNamingThePath) {
    TempDir dir;
    const std::string path = version_one_database(dir);
    exec(path,
         "INSERT INTO schema_migrations (version, name, checksum, applied_at)"
         " VALUES (99, '0099_future.sql', 'x', '2030-01-01T00:00:00.000Z')");
    const std::string message = open_error(path, sqlite_migrations());
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("newer"), std::string::npos) << message;
    EXPECT_NE(message.find("99"), std::string::npos) << message;
    EXPECT_EQ(scalar(path, "SELECT COUNT(*) FROM schema_migrations"), "2");
}

TEST(Database, ChangedMigrationChecksumIsRefusedNamingTheMigration) {
    TempDir dir;
    const std::string path = version_one_database(dir);
    auto edited = sqlite_migrations();
    edited[0].sql += "\nCREATE TABLE sneaky (x INTEGER);\n";
    edited[0].checksum = sha256_hex(edited[0].sql);
    const std::string message = open_error(path, edited);
    EXPECT_NE(message.find("0001_plan.sql"), std::string::npos) << message;
    EXPECT_NE(message.find("changed"), std::string::npos) << message;
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_FALSE(table_exists(path, "sneaky"));
}

TEST(Database, SecondMigrationAppliesOnTopOfAnExistingVersionOneDatabase) {
    TempDir dir;
    const std::string path = dir.file("ledger.db");
    {
        Database db(path, first_migration_only());
        db.write([](Poco::Data::Session& s) {
            s << "INSERT INTO departments (name, in_org_chart) VALUES ('干部科', 1)", now;
        });
    }
    auto migrations = first_migration_only();
    migrations.push_back(make_migration(
        2, "0002_notes.sql",
        "CREATE TABLE department_notes (department_id INTEGER NOT NULL REFERENCES departments (id),"
        " note TEXT NOT NULL);\n"
        "INSERT INTO department_notes (department_id, note) SELECT id, 'migrated' FROM "
        "departments;\n"));
    {
        Database db(path, migrations);
        EXPECT_EQ(db.schema_version(), 2);
    }
    const Rows rows =
        sql_rows(path, "SELECT version, name FROM schema_migrations ORDER BY version");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "0001_plan.sql"}));
    EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "0002_notes.sql"}));
    EXPECT_EQ(scalar(path, "SELECT note FROM department_notes"), "migrated");
    EXPECT_EQ(scalar(path, "SELECT COUNT(*) FROM departments"), "1");
    // And once more: nothing is applied twice.
    {
        Database db(path, migrations);
        EXPECT_EQ(db.schema_version(), 2);
    }
    EXPECT_EQ(scalar(path, "SELECT COUNT(*) FROM department_notes"), "1");
}

TEST(Database, FailingMigrationKeepsThePreviousVersionAndNamesTheMigration) {
    TempDir dir;
    const std::string path = version_one_database(dir);
    auto migrations = first_migration_only();
    migrations.push_back(make_migration(
        2, "0002_broken.sql", "CREATE TABLE half_done (x INTEGER);\nCREATE TABEL oops (y);\n"));
    const std::string message = open_error(path, migrations);
    EXPECT_NE(message.find("0002_broken.sql"), std::string::npos) << message;
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_EQ(scalar(path, "SELECT MAX(version) FROM schema_migrations"), "1");
    EXPECT_EQ(scalar(path, "SELECT COUNT(*) FROM schema_migrations"), "1");
    EXPECT_FALSE(table_exists(path, "half_done")) << "the failed migration was not rolled back";
    // The database still opens with the good migrations.
    Database db(path, first_migration_only());
    EXPECT_EQ(db.schema_version(), 1);
}

TEST(Database, FailingFirstMigrationOnAFreshFileLeavesVersionZero) {
    TempDir dir;
    const std::string path = dir.file("ledger.db");
    std::vector<Migration> migrations{make_migration(1, "0001_bad.sql", "CREATE TABLE (;")};
    const std::string message = open_error(path, migrations);
    EXPECT_NE(message.find("0001_bad.sql"), std::string::npos) << message;
    EXPECT_EQ(scalar(path, "SELECT COUNT(*) FROM schema_migrations"), "0");
}

TEST(Database, ParentIsARegularFileIsRefusedNamingThePath) {
    TempDir dir;
    rl::test::write_file(dir.file("f"), "not a directory");
    const std::string path = dir.file("f") + "/ledger.db";
    const std::string message = open_error(path, sqlite_migrations());
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("not a directory"), std::string::npos) << message;
}

TEST(Database, MissingParentDirectoryIsRefusedNamingThePath) {
    TempDir dir;
    const std::string path = dir.file("missing") + "/ledger.db";
    const std::string message = open_error(path, sqlite_migrations());
    EXPECT_NE(message.find(path), std::string::npos) << message;
    struct stat info {};
    EXPECT_NE(::stat(dir.file("missing").c_str(), &info), 0) << "the directory was created";
}

TEST(Database, PathThatIsADirectoryIsRefusedNamingThePath) {
    TempDir dir;
    const std::string path = dir.file("ledger.db");
    ASSERT_EQ(::mkdir(path.c_str(), 0700), 0);
    const std::string message = open_error(path, sqlite_migrations());
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("directory"), std::string::npos) << message;
}

TEST(Database, EmptyPathIsRefused) {
    const std::string message = open_error("", sqlite_migrations());
    EXPECT_NE(message.find("empty"), std::string::npos) << message;
}

TEST(Database, FileThatIsNotSqliteIsRefusedNamingThePath) {
    TempDir dir;
    const std::string path = dir.file("ledger.db");
    std::string garbage;
    for (int i = 0; i < 512; ++i) {
        garbage += "garbage!";
    }
    rl::test::write_file(path, garbage);
    const std::string message = open_error(path, sqlite_migrations());
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_EQ(rl::test::read_file(path), garbage) << "the foreign file was modified";
}

TEST(Database, WriteCommitsWhenTheLambdaReturns) {
    TempDir dir;
    const std::string path = dir.file("ledger.db");
    Database db(path, sqlite_migrations());
    const int returned = db.write([](Poco::Data::Session& s) {
        s << "INSERT INTO departments (name, in_org_chart) VALUES ('审管办', 1)", now;
        return 7;
    });
    EXPECT_EQ(returned, 7);
    EXPECT_EQ(scalar(path, "SELECT COUNT(*) FROM departments WHERE name = '审管办'"), "1");
}

TEST(Database, WriteRollsBackWhenTheLambdaThrows) {
    TempDir dir;
    const std::string path = dir.file("ledger.db");
    Database db(path, sqlite_migrations());
    EXPECT_THROW(db.write([](Poco::Data::Session& s) {
        s << "INSERT INTO departments (name, in_org_chart) VALUES ('监察室', 1)", now;
        throw std::runtime_error("boom");
    }),
                 std::runtime_error);
    EXPECT_EQ(scalar(path, "SELECT COUNT(*) FROM departments"), "0");
    const int inside = db.read([](Poco::Data::Session& s) {
        int n = -1;
        s << "SELECT COUNT(*) FROM departments", into(n), now;
        return n;
    });
    EXPECT_EQ(inside, 0);
    // The session is usable afterwards: no transaction was left open.
    db.write([](Poco::Data::Session& s) {
        s << "INSERT INTO departments (name, in_org_chart) VALUES ('研究室', 1)", now;
    });
    EXPECT_EQ(scalar(path, "SELECT COUNT(*) FROM departments"), "1");
}

TEST(Database, IsoUtcFormatsMillisecondsSinceTheEpoch) {
    EXPECT_EQ(rl::storage::iso_utc(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(rl::storage::iso_utc(1569888000123), "2019-10-01T00:00:00.123Z");
}
