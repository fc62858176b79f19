// Shared by the benchmark harness (rl_bench): options, the result table,
// timing, files, processes, the plugin's configuration and JSON access.
#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace rl::bench {

struct Options {
    bool tiny = false;
    bool keep = false;  // keep the work directory (big ledgers) afterwards
    std::string work_dir;
    std::string plugin;          // libreform_ledger.so
    std::string oa_stub;         // the oa-stub executable
    std::string demo_dir;        // host_stub/demo: seed plan and org chart
    std::set<std::string> only;  // sections to run; empty: all
    // --postgres URL: sections that support it run a second time on PostgreSQL
    // (one schema per ledger, named after the SQLite file it stands for).
    std::string postgres_url;
    bool postgres = false;  // this pass runs on PostgreSQL
    int pool_size = 0;      // PostgreSQL connections per instance (0: the plugin's default)
    bool runs(const std::string& section) const { return only.empty() || only.count(section); }
    std::string engine() const { return postgres ? "PostgreSQL" : "SQLite"; }
    std::string seed_plan() const { return demo_dir + "/yanji-2019-plan.txt"; }
    std::string file(const std::string& name) const { return work_dir + "/" + name; }
};

// One line of the table: metric | value | baseline/limit | ratio | target met?
struct Row {
    std::string metric;
    std::string value;
    std::string baseline;
    std::string ratio;
    std::string met;  // "yes", "NO", or "-" (no target)
};

class Table {
public:
    void add(Row row);
    // Put before every metric added from now on (after its indentation):
    // "[PostgreSQL] " when a section runs on both engines; "" to stop.
    void set_label(std::string label) { label_ = std::move(label); }
    void note(const std::string& text) { notes_.push_back(text); }
    void print() const;
    int missed() const;

private:
    std::vector<Row> rows_;
    std::vector<std::string> notes_;
    std::string label_;
};

// ------------------------------------------------------------ time

using Clock = std::chrono::steady_clock;
inline double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}
double median(std::vector<double> values);
double percentile(std::vector<double> values, double p);  // p in [0, 100]

// "12.3 ms", "45.6 µs" …
std::string human_seconds(double s);
std::string fixed(double v, int decimals);
std::string per_second(double v);  // "12,345/s"
std::string with_commas(long long v);
std::string ratio_text(double r);  // "0.42×"

// Milliseconds since the epoch for a court time (UTC+8).
std::int64_t court_ms(int year, int month, int day, int hour = 9, int minute = 0);

// ------------------------------------------------------------ files and processes

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& bytes);
void copy_file(const std::string& from, const std::string& to);
// Removes path and its -wal / -shm companions.
void remove_database(const std::string& path);
long long file_size(const std::string& path);

struct ProcessResult {
    int status = -1;       // exit status, or -1
    long peak_rss_kb = 0;  // ru_maxrss of the child (VmHWM)
    double seconds = 0;
    std::string out;  // stdout (stderr goes to err)
    std::string err;
};
// Runs argv[0] with argv (no shell), capturing both streams.
ProcessResult run_process(const std::vector<std::string>& argv);

// Runs sql on a fresh sqlite3 connection to path (sqlite3_exec); throws on error.
void sql_exec(const std::string& path, const std::string& sql);
// The first column of the first row, as an integer (0 if none).
long long sql_int(const std::string& path, const std::string& sql);

// ------------------------------------------------------------ ledgers on either engine

// The PostgreSQL schema standing for the SQLite file db_path: "bench_" and its
// base name without ".db", other characters than [a-z0-9] as '_'.
std::string schema_of(const std::string& db_path);
// A fresh ledger: the SQLite file and its companions removed, or on
// PostgreSQL its schema dropped.
void reset_ledger(const Options& o, const std::string& db_path);
// The first column of the first row of sql on the ledger (0 if none).
long long ledger_int(const Options& o, const std::string& db_path, const std::string& sql);

// One libpq connection (the benchmark's own, beside the plugin's).
class Pg {
public:
    explicit Pg(const std::string& url);
    ~Pg();
    Pg(const Pg&) = delete;
    Pg& operator=(const Pg&) = delete;
    void exec(const std::string& sql);  // throws with the server's message
    // The first column of each row, as text.
    std::vector<std::string> column(const std::string& sql);
    long long integer(const std::string& sql);  // first row, first column; 0 if none
    void* native() const { return conn_; }      // PGconn*

private:
    void* conn_ = nullptr;
};

// ------------------------------------------------------------ plugin

// The demo org chart (host_stub/demo/org-chart.json) as JSON text.
std::string org_chart_json(const Options& o);
// A create() configuration: the demo org chart, monthly reporting due on the
// 5th working day, and (when channel_url is set) one webhook channel with the
// delivery worker disabled; batch is the delivery batch size (0: default).
// The instance keeps no answers (database.answer_cache_mb 0) unless
// answer_cache_mb says how much: every read a row times is computed.
std::string plugin_config(const Options& o, const std::string& db_path,
                          const std::string& channel_url = "", int batch = 0,
                          int answer_cache_mb = 0);
// The webhook secret the benchmarks share with the receiver.
extern const char* const kSecret;

// Contact, head and leader in charge of a department, from the org chart.
struct Chain {
    std::string contact, head, leader;
};
std::map<std::string, Chain> department_chains(const Options& o);

rapidjson::Document parse_json(const std::string& text);
std::string json_string(const std::string& s);  // a JSON string literal

// A plan in the seed's format with `tasks` tasks (at most 999: the importer
// reads task numbers of up to three digits); serial makes its title unique.
std::string synthetic_plan(int tasks, int serial);

// Prints a progress line on stderr (the table goes to stdout).
void progress(const std::string& line);

// Each benchmark adds its rows.
void bench_abi(const Options& o, Table& t);
void bench_approval(const Options& o, Table& t);
void bench_sweep_and_memory(const Options& o, Table& t);
void bench_delivery(const Options& o, Table& t);
void bench_import(const Options& o, Table& t);
void bench_import_slices(const Options& o, Table& t);
void bench_reads(const Options& o, Table& t);
void bench_province(const Options& o, Table& t);

}  // namespace rl::bench
