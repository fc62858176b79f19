// Shared by the test suites: temporary folders, the seed plan, the demo org
// chart, a configuration JSON for a plugin instance, and SQL run on its own
// connection.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rl::test {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& bytes);

// The seed plan (host_stub/demo/yanji-2019-plan.txt), UTF-8.
std::string seed_plan_text();
// host_stub/demo/org-chart.json as text.
std::string demo_org_chart_json();
// {"database":{"path":db},"org_chart":<demo>,"options":<options_json>}.
// With RL_TEST_BACKEND=postgresql and RL_TEST_POSTGRES_URL set (scripts/test.sh
// --postgres sets the URL), the database is that server instead, in a schema
// of its own for each db path ("rl_" and a hash of the path: the same path,
// the same ledger).
std::string plugin_config(const std::string& db_path, const std::string& options_json = "{}");
// The "database" object of plugin_config alone, for configurations of their own.
std::string database_json(const std::string& db_path);
// True when the tests run on PostgreSQL (RL_TEST_BACKEND=postgresql and
// RL_TEST_POSTGRES_URL set); the schema plugin_config uses for db_path there.
bool on_postgresql();
std::string postgres_schema(const std::string& db_path);
// Skips the rest of a test on PostgreSQL, saying why: for checks of the SQLite
// file itself (its pages, modes, WAL, locks) that mean nothing there.
#define RL_SKIP_ON_POSTGRESQL(why)                  \
    if (rl::test::on_postgresql()) {                \
        GTEST_SKIP() << "on PostgreSQL: " << (why); \
    }                                               \
    static_assert(true, "")

// A copy of the oa-stub configuration at config_path (relative org_chart made
// absolute) whose "database" is database_json(db_path), or of its own
// database.path when db_path is not given; written to a folder of the test
// binary's. "" when config_path is not a regular file of at most 1 MiB
// holding a JSON object, or names no database: a test of that file keeps it
// as it is.
std::string configuration_with_database(const std::string& config_path,
                                        const std::optional<std::string>& db_path);
// oa-stub's arguments as the suites write them (`--db DB`, `--config FILE`) for
// the backend under test: unchanged on SQLite; on PostgreSQL, --db and --config
// become `--config` of configuration_with_database(FILE or the demo
// configuration, DB), the way plugin_config moves a db path to its schema
// (oa-stub keeps a PostgreSQL database of its configuration unless --db names
// a file). Left unchanged when that configuration cannot be rewritten.
std::vector<std::string> oa_stub_arguments(std::vector<std::string> args);

// Encodes UTF-8 text as GBK (code page 936) with iconv, for encoding tests.
std::string to_gbk(const std::string& utf8);

// Runs a command with /bin/sh; returns the exit status, captures both streams.
struct CommandResult {
    int status = -1;
    std::string out;
    std::string err;
};
CommandResult run_command(const std::string& command);
// Quotes s for /bin/sh.
std::string shell_quote(const std::string& s);

// Runs sql on its own connection to the ledger plugin_config(path) names (not
// through any Database session): a sqlite3 connection to the file at path, or
// on PostgreSQL (on_postgresql()) a libpq connection with that path's schema as
// its search_path, read-only transactions when read_only. Returns every row of
// the (last) statement as text ("NULL" for NULL). Throws std::runtime_error
// when the database cannot be opened or the statement fails.
using SqlRows = std::vector<std::vector<std::string>>;
SqlRows sql_rows(const std::string& path, const std::string& sql, bool read_only = false);
// Runs a script of one or more statements the same way (sqlite3_exec, or one
// libpq PQexec): what a person holding the database can do behind the
// plugin's back.
void sql_exec(const std::string& path, const std::string& script);

// Drops every trigger of the ledger plugin_config(path) names (sqlite_master,
// or pg_trigger in its schema): what someone holding the database does first
// to rewrite history behind the plugin's back.
void drop_all_triggers(const std::string& path);

// SQLite files only (they have no meaning on PostgreSQL):
// Overwrites the root page of `table` in the SQLite file `db` with garbage,
// as a failing disk or a stray write would leave it.
void damage_table(const std::string& db, const std::string& table);

// The permission bits of the file at path (stat's st_mode & 07777).
unsigned int mode_of(const std::string& path);

// Holds the write lock of the ledger plugin_config(path) names for hold_ms on
// a connection of its own, as a long import or a backup would: SQLite's
// BEGIN IMMEDIATE (5 s busy timeout) on the file, or on PostgreSQL an
// EXCLUSIVE lock (readers go on, writers wait) on the outbox and audit tables.
// Sets held once the lock is taken; returns when it is released (or could not
// be taken).
void hold_write_lock(const std::string& path, int hold_ms, std::atomic<bool>& held);

// A digest of a file's bytes (size and hash), for "left as it was" checks.
std::string file_digest(const std::string& path);

// Runs fn on a thread of its own and waits up to `seconds` for it; rethrows
// what fn throws. If fn has not returned by then, the test binary aborts with
// a message naming `what`, so a hang fails its test instead of blocking the
// suite. The deadline is for hangs only: keep it far above any real duration.
void within_deadline(int seconds, const std::string& what, const std::function<void()>& fn);

}  // namespace rl::test
