// rl::storage::StatementCache: a write path's statements kept prepared on the
// SQLite writer connection and rebound on each use — against a real SQLite
// file, inside Database::write() as the stores use it.
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "storage/cursor.h"
#include "storage/database.h"
#include "storage/statement_cache.h"
#include "support/test_support.h"

using Poco::Data::Keywords::now;
using rl::storage::Cursor;
using rl::storage::Database;
using rl::storage::sqlite_migrations;
using rl::storage::StatementCache;
using rl::storage::StorageError;
using rl::test::sql_rows;
using rl::test::TempDir;

namespace {

constexpr const char* kInsert = "INSERT INTO cache_probe (k, v) VALUES ($1, $2)";
constexpr const char* kSelect = "SELECT k, v FROM cache_probe ORDER BY rowid";

// The statements open on the session's connection with this SQL text.
int open_statements(Poco::Data::Session& s, const std::string& sql) {
    sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(s);
    int n = 0;
    for (sqlite3_stmt* st = sqlite3_next_stmt(db, nullptr); st != nullptr;
         st = sqlite3_next_stmt(db, st)) {
        n += sql == sqlite3_sql(st) ? 1 : 0;
    }
    return n;
}

struct Ledger {
    TempDir dir;
    std::string path = dir.file("ledger.db");
    Database db{path, sqlite_migrations()};
    Ledger() {
        db.write([](Poco::Data::Session& s) {
            s << "CREATE TABLE cache_probe (k INTEGER, v TEXT)", now;
        });
    }
};

}  // namespace

TEST(StatementCache, PreparesEachSqlTextOnceAndRebindsItInEachWrite) {
    Ledger l;
    StatementCache cache;
    for (const std::string name : {"审管办", "研究室", "刑庭"}) {
        l.db.write([&](Poco::Data::Session& s) {
            Cursor insert = cache.use(s, kInsert);
            insert.bind(std::int64_t{7}).bind(name);
            EXPECT_EQ(insert.run(), 1);
        });
    }
    l.db.write([&](Poco::Data::Session& s) { EXPECT_EQ(open_statements(s, kInsert), 1); });
    EXPECT_EQ(sql_rows(l.path, "SELECT k, v FROM cache_probe ORDER BY rowid"),
              (rl::test::SqlRows{{"7", "审管办"}, {"7", "研究室"}, {"7", "刑庭"}}));
}

TEST(StatementCache, NullBindsAndAValueAfterANullAreStoredAsBound) {
    Ledger l;
    StatementCache cache;
    for (const std::int64_t k : {0, 42, 0}) {
        l.db.write([&](Poco::Data::Session& s) {
            Cursor insert = cache.use(s, kInsert);
            k != 0 ? insert.bind(k) : insert.bind_null();
            insert.bind(std::string("x")).run();
        });
    }
    EXPECT_EQ(sql_rows(l.path, "SELECT COALESCE(k, 'NULL') FROM cache_probe ORDER BY rowid"),
              (rl::test::SqlRows{{"NULL"}, {"42"}, {"NULL"}}));
}

TEST(StatementCache, AStatementLeftMidWayByARolledBackWriteStartsAfreshNextTime) {
    Ledger l;
    StatementCache cache;
    l.db.write([&](Poco::Data::Session& s) {
        for (const std::string v : {"一", "二"}) {
            cache.use(s, kInsert).bind(std::int64_t{1}).bind(v).run();
        }
    });
    EXPECT_THROW(l.db.write([&](Poco::Data::Session& s) {
        Cursor rows = cache.use(s, kSelect);
        ASSERT_TRUE(rows.step());
        cache.use(s, kInsert).bind(std::int64_t{2}).bind(std::string("三")).run();
        throw std::runtime_error("refused half-way");
    }),
                 std::runtime_error);
    const auto read_all = [&] {
        return l.db.write([&](Poco::Data::Session& s) {
            std::string seen;
            Cursor rows = cache.use(s, kSelect);
            while (rows.step()) {
                seen += rows.text(1);
            }
            return seen;
        });
    };
    EXPECT_EQ(read_all(), "一二");
    EXPECT_EQ(read_all(), "一二");
}

TEST(StatementCache, BadSqlIsAStorageErrorNamingTheFileAndNothingIsKept) {
    Ledger l;
    StatementCache cache;
    try {
        l.db.write([&](Poco::Data::Session& s) { cache.use(s, "SELECT nope FROM cache_probe"); });
        FAIL() << "no error";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find(l.path), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos) << e.what();
    }
    l.db.write([&](Poco::Data::Session& s) {
        EXPECT_EQ(open_statements(s, "SELECT nope FROM cache_probe"), 0);
        EXPECT_EQ(cache.use(s, kInsert).bind(std::int64_t{1}).bind(std::string("a")).run(), 1);
    });
}
