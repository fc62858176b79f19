// Shared by the test suites: temporary folders, the seed plan, the demo org
// chart, a configuration JSON for a plugin instance, and SQL run on its own
// connection.
#pragma once

#include <functional>
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

// Runs sql on its own sqlite3 connection to the file at path (not through any
// Database session); returns every row as text ("NULL" for NULL). Throws
// std::runtime_error when the file cannot be opened or the statement fails.
using SqlRows = std::vector<std::vector<std::string>>;
SqlRows sql_rows(const std::string& path, const std::string& sql, bool read_only = false);
// Runs a script of one or more statements the same way (sqlite3_exec): what a
// person holding the database file can do behind the plugin's back.
void sql_exec(const std::string& path, const std::string& script);

// Overwrites the root page of `table` in the SQLite file `db` with garbage,
// as a failing disk or a stray write would leave it.
void damage_table(const std::string& db, const std::string& table);

// The permission bits of the file at path (stat's st_mode & 07777).
unsigned int mode_of(const std::string& path);

// A digest of a file's bytes (size and hash), for "left as it was" checks.
std::string file_digest(const std::string& path);

// Runs fn on a thread of its own and waits up to `seconds` for it; rethrows
// what fn throws. If fn has not returned by then, the test binary aborts with
// a message naming `what`, so a hang fails its test instead of blocking the
// suite. The deadline is for hangs only: keep it far above any real duration.
void within_deadline(int seconds, const std::string& what, const std::function<void()>& fn);

}  // namespace rl::test
