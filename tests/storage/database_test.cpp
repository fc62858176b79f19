// rl::storage::Database: opening, WAL, migrations (fresh, existing, newer,
// changed, failing), unusable locations and write() transactions — against
// real SQLite files.
#include <gtest/gtest.h>

#include <Poco/Data/Session.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <sys/stat.h>

#include <fstream>
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
    const char* const kFiles[] = {"0001_plan.sql",
                                  "0002_reports.sql",
                                  "0003_notifications.sql",
                                  "0004_separation_of_duties.sql",
                                  "0005_audit_chain.sql",
                                  "0006_plan_shapes.sql",
                                  "0007_task_life.sql",
                                  "0008_instructions_reading.sql",
                                  "0009_import_slices.sql",
                                  "0010_task_chasing.sql",
                                  "0011_ledger_changes.sql",
                                  "0012_notification_contents.sql",
                                  "0013_open_obligations.sql"};
    ASSERT_EQ(migrations.size(), std::size(kFiles));
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        EXPECT_EQ(migrations[i].version, std::stoi(kFiles[i]));
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

// ------------------------------------------------------------ the file itself

namespace {

// Overwrites the root page of `table` with garbage, as a failing disk or a
// stray write would leave it. The file must be closed (its WAL checkpointed).
void damage_table(const std::string& path, const std::string& table) {
    const int root =
        std::stoi(scalar(path, "SELECT rootpage FROM sqlite_master WHERE name = '" + table + "'"));
    const int page_size = std::stoi(scalar(path, "PRAGMA page_size"));
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(root - 1) * page_size);
    const std::string garbage(static_cast<std::size_t>(page_size), '\xA5');
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    if (!file) {
        throw std::runtime_error("cannot damage " + path);
    }
}

// A write to a table that is not damaged.
const char* const kInsertPlan =
    "INSERT INTO plans (plan_key, title, source_name, source_encoding, content_sha256,"
    " imported_at, updated_at) VALUES ('k', 't', 's', 'UTF-8', 'x', 'a', 'b')";

// A closed ledger with one department, its `departments` table damaged.
std::string damaged_ledger(const TempDir& dir) {
    const std::string path = dir.file("ledger.db");
    {
        Database db(path, sqlite_migrations());
        db.write([](Poco::Data::Session& s) {
            s << "INSERT INTO departments (name, in_org_chart) VALUES ('刑庭', 1)", now;
        });
    }
    damage_table(path, "departments");
    return path;
}

mode_t mode_of(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        throw std::runtime_error("no file " + path);
    }
    return info.st_mode & 07777;
}

// The StorageError a write throws, or a marker.
template <typename Fn>
std::string storage_error_of(Fn&& fn) {
    try {
        fn();
    } catch (const StorageError& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("<not a StorageError: ") + e.what() + ">";
    }
    return "<no error>";
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST(DatabaseFile, NewFileAndItsWalAndShmAreReadableByTheirOwnerOnly) {
    TempDir dir;
    const std::string path = dir.file("ledger.db");
    const mode_t old_umask = ::umask(022);  // the usual umask, which would leave 0644
    {
        Database db(path, sqlite_migrations());
        db.write([](Poco::Data::Session& s) {
            s << "INSERT INTO departments (name, in_org_chart) VALUES ('刑庭', 1)", now;
        });
        EXPECT_EQ(mode_of(path), 0600u);
        EXPECT_EQ(mode_of(path + "-wal"), 0600u);
        EXPECT_EQ(mode_of(path + "-shm"), 0600u);
    }
    ::umask(old_umask);
    EXPECT_EQ(mode_of(path), 0600u);
}

TEST(DatabaseFile, ExistingFileKeepsItsMode) {
    TempDir dir;
    const std::string path = version_one_database(dir);
    ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
    { Database db(path, sqlite_migrations()); }
    EXPECT_EQ(mode_of(path), 0640u);
}

TEST(DatabaseFile, ExistingEmptyFileIsRefusedWithAdviceAndLeftEmpty) {
    TempDir dir;
    const std::string path = dir.file("ledger.db");
    rl::test::write_file(path, "");
    const std::string message = open_error(path, sqlite_migrations());
    EXPECT_TRUE(has(message, path)) << message;
    EXPECT_TRUE(has(message, "empty")) << message;
    EXPECT_TRUE(has(message, "backup")) << message;
    EXPECT_TRUE(has(message, "remove the file")) << message;
    EXPECT_EQ(rl::test::read_file(path), "");
    struct stat info {};
    EXPECT_NE(::stat((path + "-wal").c_str(), &info), 0) << "a WAL was created beside it";
}

TEST(DatabaseFile, NamedPipeIsRefusedWithoutWaitingForAWriter) {
    TempDir dir;
    const std::string path = dir.file("ledger.db");
    ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
    std::string message;
    rl::test::within_deadline(60, "opening a FIFO as the database",
                              [&] { message = open_error(path, sqlite_migrations()); });
    EXPECT_TRUE(has(message, path)) << message;
    EXPECT_TRUE(has(message, "named pipe")) << message;
}

TEST(DatabaseFile, CharacterDeviceIsRefused) {
    std::string message;
    rl::test::within_deadline(60, "opening /dev/null as the database",
                              [&] { message = open_error("/dev/null", sqlite_migrations()); });
    EXPECT_TRUE(has(message, "/dev/null")) << message;
    EXPECT_TRUE(has(message, "character device")) << message;
}

TEST(DatabaseFile, SoundFilePassesBothChecks) {
    TempDir dir;
    Database db(version_one_database(dir), sqlite_migrations());
    const auto quick = db.check(false);
    const auto full = db.check(true);
    EXPECT_FALSE(quick.full);
    EXPECT_TRUE(full.full);
    EXPECT_TRUE(quick.problems.empty()) << quick.problems.front();
    EXPECT_TRUE(full.problems.empty()) << full.problems.front();
    EXPECT_FALSE(db.damage().has_value());
}

TEST(DatabaseFile, DamageFoundAtOpenRefusesEveryWriteAndLeavesTheFileAsItWas) {
    TempDir dir;
    const std::string path = damaged_ledger(dir);
    const std::string before = rl::test::file_digest(path);
    {
        Database db(path, sqlite_migrations());
        ASSERT_TRUE(db.damage().has_value());
        // A write to a table that is not damaged is refused too.
        const std::string message = storage_error_of(
            [&] { db.write([](Poco::Data::Session& s) { s << kInsertPlan, now; }); });
        EXPECT_TRUE(has(message, path)) << message;
        EXPECT_TRUE(has(message, "damaged")) << message;
        EXPECT_TRUE(has(message, "backup")) << message;
        EXPECT_EQ(message, *db.damage());
        const auto check = db.check(false);
        ASSERT_FALSE(check.problems.empty());
        EXPECT_TRUE(has(check.problems.front(), "Page ")) << check.problems.front();
    }
    EXPECT_EQ(rl::test::file_digest(path), before) << "the damaged file was written to";
}

TEST(DatabaseFile, DamagedPageMetByAStatementIsAStorageErrorAndStopsLaterWrites) {
    TempDir dir;
    const std::string path = damaged_ledger(dir);
    const std::string before = rl::test::file_digest(path);
    {
        Database db(path, sqlite_migrations(), /*quick_check_bytes=*/0);  // no check at open
        ASSERT_FALSE(db.damage().has_value());
        const std::string read = storage_error_of([&] {
            db.read([](Poco::Data::Session& s) {
                int n = 0;
                // A column only the table holds: its (damaged) pages are read.
                s << "SELECT SUM(in_org_chart) FROM departments", into(n), now;
                return n;
            });
        });
        EXPECT_TRUE(has(read, path)) << read;
        EXPECT_TRUE(has(read, "damaged")) << read;
        EXPECT_TRUE(db.damage().has_value());
        const std::string write = storage_error_of(
            [&] { db.write([](Poco::Data::Session& s) { s << kInsertPlan, now; }); });
        EXPECT_TRUE(has(write, path)) << write;
        EXPECT_TRUE(has(write, "damaged")) << write;
    }
    EXPECT_EQ(rl::test::file_digest(path), before) << "the damaged file was written to";
}

TEST(DatabaseFile, DamagedPageMetInsideATransactionRollsItAllBack) {
    TempDir dir;
    const std::string path = damaged_ledger(dir);
    const std::string before = rl::test::file_digest(path);
    {
        Database db(path, sqlite_migrations(), 0);
        const std::string message = storage_error_of([&] {
            db.transaction(true, [&] {
                db.write([](Poco::Data::Session& s) { s << kInsertPlan, now; });
                db.write([](Poco::Data::Session& s) {
                    s << "INSERT INTO departments (name, in_org_chart) VALUES ('民庭', 1)", now;
                });
            });
        });
        EXPECT_TRUE(has(message, "damaged")) << message;
        EXPECT_TRUE(has(message, path)) << message;
    }
    EXPECT_EQ(rl::test::file_digest(path), before) << "the damaged file was written to";
    EXPECT_EQ(scalar(path, "SELECT COUNT(*) FROM plans"), "0");
}

TEST(DatabaseFile, FullDiskIsAStorageErrorThatSaysSoAndWritesNothing) {
    TempDir dir;
    const std::string path = dir.file("ledger.db");
    Database db(path, sqlite_migrations());
    // The connection may not grow the file: SQLite answers SQLITE_FULL, as on
    // a full disk, from the same place in its code.
    const std::string message = storage_error_of([&] {
        db.write([](Poco::Data::Session& s) {
            s << "PRAGMA max_page_count = 1", now;  // SQLite keeps the current size
            s << "INSERT INTO departments (name, in_org_chart)"
                 " VALUES (printf('%.*c', 400000, 'x'), 1)",
                now;
        });
    });
    EXPECT_TRUE(has(message, "the disk holding database '" + path + "' is full")) << message;
    EXPECT_FALSE(db.damage().has_value()) << "a full disk is not damage";
    const int count = db.read([](Poco::Data::Session& s) {
        int n = -1;
        s << "SELECT COUNT(*) FROM departments", into(n), now;
        return n;
    });
    EXPECT_EQ(count, 0);
}

TEST(DatabaseFile, FileThatIsNotADatabaseSaysSoWithAdvice) {
    TempDir dir;
    const std::string path = version_one_database(dir);
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.write("not a database header.", 22);
    file.close();
    const std::string before = rl::test::file_digest(path);
    const std::string message = open_error(path, sqlite_migrations());
    EXPECT_TRUE(has(message, path)) << message;
    EXPECT_TRUE(has(message, "not a SQLite database")) << message;
    EXPECT_TRUE(has(message, "backup")) << message;
    EXPECT_EQ(rl::test::file_digest(path), before);
}
