// The configuration's "database" section: SQLite's path and options, or
// PostgreSQL by URL or by fields, each mistake a ConfigError naming its JSON
// path (and never echoing a password).
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "config.h"
#include "support/test_support.h"

using rl::ConfigError;
using rl::parse_config;
using rl::test::TempDir;

namespace {

std::string config_with(const std::string& database_json) {
    return "{\"database\":" + database_json + ",\"org_chart\":" + rl::test::demo_org_chart_json() +
           "}";
}

std::string config_error(const std::string& database_json) {
    try {
        parse_config(config_with(database_json));
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "<no error>";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST(DatabaseConfig, PathIsSqliteWithItsDefaultsAndOptions) {
    auto d = parse_config(config_with(R"({"path": "/var/lib/oa/ledger.db"})")).database;
    EXPECT_FALSE(d.postgresql());
    EXPECT_EQ(d.path, "/var/lib/oa/ledger.db");
    EXPECT_EQ(d.readers, 4);
    EXPECT_EQ(d.busy_timeout_ms, 5000);
    EXPECT_EQ(d.busy_retries, 3);
    d = parse_config(
            config_with(
                R"({"path": "l.db", "readers": 2, "busy_timeout_ms": 250, "busy_retries": 0})"))
            .database;
    EXPECT_EQ(d.readers, 2);
    EXPECT_EQ(d.busy_timeout_ms, 250);
    EXPECT_EQ(d.busy_retries, 0);
}

TEST(DatabaseConfig, UrlIsPostgresqlWithSchemaAndPool) {
    const auto d =
        parse_config(config_with(R"({"url": "postgresql://oa:pw@db.court:5433/oa?sslmode=require",
                                     "schema": "ledger_2026", "pool_size": 8})"))
            .database;
    EXPECT_TRUE(d.postgresql());
    EXPECT_EQ(d.host, "db.court");
    EXPECT_EQ(d.port, 5433);
    EXPECT_EQ(d.name, "oa");
    EXPECT_EQ(d.user, "oa");
    EXPECT_EQ(d.password, "pw");
    EXPECT_EQ(d.sslmode, "require");
    EXPECT_EQ(d.schema, "ledger_2026");
    EXPECT_EQ(d.pool_size, 8);
}

TEST(DatabaseConfig, FieldsWithAPasswordFileAreThePostgresqlSettingsToo) {
    TempDir dir;
    std::ofstream(dir.file("pw")) << "s3cret\n";
    const auto d = parse_config(config_with(R"({"host": "10.0.0.5", "name": "oa", "user": "ledger",
                                                "password_file": ")" +
                                            dir.file("pw") + "\"}"))
                       .database;
    EXPECT_TRUE(d.postgresql());
    EXPECT_EQ(d.host, "10.0.0.5");
    EXPECT_EQ(d.port, 5432);
    EXPECT_EQ(d.password, "s3cret");
    EXPECT_EQ(d.schema, "reform_ledger");
}

TEST(DatabaseConfig, MistakesNameTheirJsonPath) {
    EXPECT_TRUE(contains(config_error("{}"), "database: expected exactly one of"))
        << config_error("{}");
    const std::string both = config_error(R"({"path": "l.db", "url": "postgresql://u@h/d"})");
    EXPECT_TRUE(contains(both, "expected exactly one of")) << both;
    const std::string mixed = config_error(R"({"path": "l.db", "schema": "x"})");
    EXPECT_TRUE(contains(mixed, "database.schema")) << mixed;
    const std::string sqlite_only = config_error(R"({"url": "postgresql://u@h/d", "readers": 2})");
    EXPECT_TRUE(contains(sqlite_only, "database.readers")) << sqlite_only;
    const std::string url = config_error(R"({"url": "mysql://u:hunter2@h/d"})");
    EXPECT_TRUE(contains(url, "database.url")) << url;
    EXPECT_FALSE(contains(url, "hunter2")) << url;
    const std::string schema =
        config_error(R"({"url": "postgresql://u@h/d", "schema": "Bad-Name"})");
    EXPECT_TRUE(contains(schema, "database.schema")) << schema;
    const std::string ssl = config_error(R"({"url": "postgresql://u@h/d", "sslmode": "require"})");
    EXPECT_TRUE(contains(ssl, "database.sslmode")) << ssl;
    const std::string mode = config_error(R"({"host": "h", "name": "d", "user": "u",
                                              "sslmode": "sometimes"})");
    EXPECT_TRUE(contains(mode, "database.sslmode")) << mode;
    const std::string file = config_error(R"({"host": "h", "name": "d", "user": "u",
                                              "password_file": "/nonexistent/pw"})");
    EXPECT_TRUE(contains(file, "database.password_file")) << file;
    EXPECT_TRUE(contains(file, "/nonexistent/pw")) << file;
}
