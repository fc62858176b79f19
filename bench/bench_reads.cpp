// Reads (issue 11): ledger.tasks through the C ABI on the seed plan and on the
// largest plan one import takes (999 tasks), each with its month open —
// computed (an instance that keeps no answers) and given again from a second
// instance on the same ledger that keeps them (database.answer_cache_mb: the
// ledger unchanged since the last call, as for the hundredth department to
// open the page); then the computed call from two threads at once against
// one thread, on one plugin instance — reads run as read transactions and
// may run side by side. On SQLite, the statements' share of a computed call
// (statement_clock.h): the floor under it that no change outside the SQL
// moves.
#include <atomic>
#include <stdexcept>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

#include "common.h"
#include "history.h"
#include "plugin_host.h"
#include "statement_clock.h"

namespace rl::bench {

namespace {

// A plugin on a fresh ledger with plan_file imported and its 2019-10
// obligations stored by the sweep of Friday 2019-11-08 (one working day
// overdue: a reminder for every obligation, queued for a channel nobody
// delivers to), as in production. With filed_from (a month of 2019), the
// plan is imported in time to report on that month, and every month from it
// to 2019-09 is filed through the ABI first (history.h), adding to `filed`.
// Returns the sweep's result.
rapidjson::Document open_ledger(oa_stub::PluginHost& host, const Options& o, const std::string& db,
                                const std::string& plan_file, int filed_from = 0,
                                History* filed = nullptr) {
    reset_ledger(o, db);
    host.set_clock(filed_from > 0 ? court_ms(2019, filed_from + 1, 3, 10)
                                  : court_ms(2019, 11, 8, 10));
    host.load(o.plugin);
    host.create(plugin_config(o, db, "http://127.0.0.1:9/never-delivered"));
    host.call("plan.import",
              "{\"path\":" + json_string(plan_file) + ",\"actor\":\"service:rl-bench\"}");
    if (filed_from > 0) {
        file_months(host, department_chains(o), 2019, filed_from, "2019-10", *filed);
        host.set_clock(court_ms(2019, 11, 8, 10));
    }
    return parse_json(host.call("notify.sweep", "{}"));
}

// Another instance on the ledger open_ledger() made, on the same court day:
// keeping answers (answer_cache_mb 32) or computing each (0).
void open_another(oa_stub::PluginHost& host, const Options& o, const std::string& db,
                  int answer_cache_mb) {
    host.set_clock(court_ms(2019, 11, 8, 10));
    host.load(o.plugin);
    host.create(plugin_config(o, db, "http://127.0.0.1:9/never-delivered", 0, answer_cache_mb));
}

// The kept-answer row's check: the two instances answer alike, and the
// keeping one answered from memory.
void check_kept(oa_stub::PluginHost& computing, oa_stub::PluginHost& keeping,
                const std::string& request) {
    if (computing.call("ledger.tasks", request) != keeping.call("ledger.tasks", request)) {
        throw std::runtime_error("ledger.tasks: the kept answer differs from the computed one");
    }
    const auto info = parse_json(keeping.call("plugin.info", "{}"));
    if (info["answer_cache"]["hits"].GetUint64() == 0) {
        throw std::runtime_error("ledger.tasks: the keeping instance kept no answer");
    }
}

// The process's minor page faults so far (pages the kernel mapped in on first touch).
long minor_faults() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
}

// Median over rounds of the time per call of `calls` calls, in seconds; with
// faults, also the process's minor page faults per call over all rounds.
double seconds_per_call(oa_stub::PluginHost& host, const std::string& method,
                        const std::string& request, int calls, int rounds,
                        double* faults = nullptr) {
    const long faults_before = minor_faults();
    std::vector<double> per_call;
    for (int r = 0; r < rounds; ++r) {
        const auto start = Clock::now();
        for (int i = 0; i < calls; ++i) {
            const std::string result = host.call(method, request);
            if (result.empty()) {
                throw std::runtime_error(method + " gave nothing");
            }
        }
        per_call.push_back(seconds_since(start) / calls);
    }
    if (faults != nullptr) {
        *faults = static_cast<double>(minor_faults() - faults_before) / (calls * rounds);
    }
    return median(per_call);
}

// The time ledger.tasks spends inside SQLite's statements: a plugin instance
// of its own on the ledger at db (computing, as the computed rows do), opened
// with the statement clock installed; after one call that prepares its
// statements, one round of `calls` calls with the clock running. Also the
// call's own time in the same round (the clock's bookkeeping in both).
struct StatementShare {
    double statements_s = 0;  // per call
    double call_s = 0;        // per call
    double statements_per_call = 0;
};

StatementShare statement_share(const Options& o, const std::string& db, const std::string& request,
                               int calls) {
    // Every way out stops the clock and cancels the auto extension.
    struct Installed {
        Installed() { StatementClock::install(); }
        ~Installed() {
            StatementClock::stop();
            StatementClock::uninstall();
        }
        Installed(const Installed&) = delete;
        Installed& operator=(const Installed&) = delete;
    } installed;
    oa_stub::PluginHost host(RL_LOG_ERROR);
    open_another(host, o, db, 0);
    host.call("ledger.tasks", request);
    StatementClock::start();
    const auto start = Clock::now();
    for (int i = 0; i < calls; ++i) {
        host.call("ledger.tasks", request);
    }
    const double elapsed = seconds_since(start);
    const StatementTime spent = StatementClock::stop();
    host.shutdown();
    if (spent.statements == 0) {
        throw std::runtime_error("statement clock: no SQLite statement ran in " +
                                 std::to_string(calls) + " calls of ledger.tasks");
    }
    if (spent.seconds > elapsed) {
        throw std::runtime_error("statement clock: " + human_seconds(spent.seconds) +
                                 " in statements within " + human_seconds(elapsed) +
                                 ": spans counted twice");
    }
    return {spent.seconds / calls, elapsed / calls, static_cast<double>(spent.statements) / calls};
}

// The row of a statement share, under the computed call's row.
Row statement_row(const StatementShare& share, double limit_s, const std::string& limit) {
    const bool over = share.statements_s > limit_s;
    return {"  the same: time inside its SQLite statements",
            human_seconds(share.statements_s) + "/call (" + fixed(share.statements_per_call, 0) +
                " statements)",
            limit + "; the whole call in the same round " + human_seconds(share.call_s),
            ratio_text(share.statements_s / limit_s) + " of the limit",
            over ? "out of reach" : "-"};
}

// Calls per second with `threads` threads calling at once for `seconds`.
double calls_per_second(oa_stub::PluginHost& host, const std::string& method,
                        const std::string& request, int threads, double seconds) {
    std::atomic<bool> stop{false};
    std::atomic<long> calls{0};
    std::atomic<bool> failed{false};
    std::vector<std::thread> pool;
    const auto start = Clock::now();
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            long mine = 0;
            try {
                while (!stop.load(std::memory_order_relaxed)) {
                    host.call(method, request);
                    ++mine;
                }
            } catch (const std::exception&) {
                failed = true;
            }
            calls += mine;
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& th : pool) {
        th.join();
    }
    const double elapsed = seconds_since(start);
    if (failed) {
        throw std::runtime_error(method + " failed while called from " + std::to_string(threads) +
                                 " threads");
    }
    return static_cast<double>(calls.load()) / elapsed;
}

}  // namespace

void bench_reads(const Options& o, Table& t) {
    const int calls = o.tiny ? 20 : 400;
    const int rounds = o.tiny ? 2 : 5;
    const std::string request = "{\"period\":\"2019-10\"}";

    progress("reads (" + o.engine() + "): ledger.tasks on the seed plan");
    oa_stub::PluginHost seed(RL_LOG_ERROR);
    open_ledger(seed, o, o.file("reads-seed.db"), o.seed_plan());
    double seed_faults = 0;
    const double seed_s =
        seconds_per_call(seed, "ledger.tasks", request, calls, rounds, &seed_faults);
    t.add({"ledger.tasks on the seed plan (45 tasks, month open), computed",
           human_seconds(seed_s) + "/call (" + fixed(seed_faults, 1) + " page faults)",
           "limit 150 µs", ratio_text(seed_s / 150e-6) + " of the limit",
           seed_s <= 150e-6 ? "yes" : "NO"});
    if (!o.postgres) {
        t.add(statement_row(statement_share(o, o.file("reads-seed.db"), request, calls), 150e-6,
                            "limit 150 µs"));
    }
    {
        oa_stub::PluginHost keeping(RL_LOG_ERROR);
        open_another(keeping, o, o.file("reads-seed.db"), 32);
        const double kept_s = seconds_per_call(keeping, "ledger.tasks", request, calls, rounds);
        check_kept(seed, keeping, request);
        t.add({"  the same, ledger unchanged: the kept answer", human_seconds(kept_s) + "/call",
               "limit 150 µs; computed " + human_seconds(seed_s),
               ratio_text(kept_s / 150e-6) + " of the limit", kept_s <= 150e-6 ? "yes" : "NO"});
        keeping.shutdown();
    }

    // A ledger as a court has it in November: the months before filed.
    {
        const int first_month = o.tiny ? 8 : 1;
        progress("reads: ledger.tasks on the seed plan with 2019-" +
                 period_of(2019, first_month).substr(5) + " to 2019-09 filed");
        const std::string db = o.file("reads-history.db");
        oa_stub::PluginHost history(RL_LOG_ERROR);
        History filed;
        open_ledger(history, o, db, o.seed_plan(), first_month, &filed);
        const long long reports = ledger_int(o, db, "SELECT COUNT(*) FROM reports");
        double faults = 0;
        const double history_s =
            seconds_per_call(history, "ledger.tasks", request, calls, rounds, &faults);
        t.add({"  the same, " + std::to_string(filed.months) + " months filed before it (" +
                   with_commas(reports) + " reports), computed",
               human_seconds(history_s) + "/call (" + fixed(faults, 1) + " page faults)",
               "none filed: " + human_seconds(seed_s) + "; limit 150 µs",
               ratio_text(history_s / seed_s) + " of none filed",
               history_s <= 150e-6 ? "yes" : "NO"});
        history.shutdown();
        if (!o.keep) {
            reset_ledger(o, db);
        }
    }

    progress("reads: ledger.tasks on a 999-task plan");
    const std::string big_plan = o.file("reads-plan-999.txt");
    write_file(big_plan, synthetic_plan(999, 7));
    {
        oa_stub::PluginHost big(RL_LOG_ERROR);
        const auto swept = open_ledger(big, o, o.file("reads-999.db"), big_plan);
        const double held_ms = swept["longest_write_ms"].GetDouble();
        t.add({"sweep of a 999-task plan: longest hold of the write lock",
               fixed(held_ms, 1) + " ms (" + std::to_string(swept["write_slices"].GetInt()) +
                   " slices, " + std::to_string(swept["messages_queued"].GetInt()) + " messages)",
               "limit about 200 ms", ratio_text(held_ms / 200.0) + " of the limit",
               held_ms <= 200.0 ? "yes" : "NO"});
        double big_faults = 0;
        const double big_s =
            seconds_per_call(big, "ledger.tasks", request, o.tiny ? 4 : 40, rounds, &big_faults);
        t.add({"ledger.tasks on a 999-task plan (month open), computed",
               human_seconds(big_s) + "/call (" + fixed(big_faults, 1) + " page faults)",
               "limit 3 ms; seed " + human_seconds(seed_s),
               ratio_text(big_s / 3e-3) + " of the limit", big_s <= 3e-3 ? "yes" : "NO"});
        if (!o.postgres) {
            t.add(
                statement_row(statement_share(o, o.file("reads-999.db"), request, o.tiny ? 4 : 40),
                              3e-3, "limit 3 ms"));
        }
        {
            oa_stub::PluginHost keeping(RL_LOG_ERROR);
            open_another(keeping, o, o.file("reads-999.db"), 32);
            const double kept_s =
                seconds_per_call(keeping, "ledger.tasks", request, o.tiny ? 4 : 40, rounds);
            check_kept(big, keeping, request);
            t.add({"  the same, ledger unchanged: the kept answer", human_seconds(kept_s) + "/call",
                   "limit 3 ms; computed " + human_seconds(big_s),
                   ratio_text(kept_s / 3e-3) + " of the limit", kept_s <= 3e-3 ? "yes" : "NO"});
            keeping.shutdown();
        }
        big.shutdown();
    }
    reset_ledger(o, o.file("reads-999.db"));
    ::unlink(big_plan.c_str());

    progress("reads: ledger.tasks from 1 and 2 threads");
    const double window = o.tiny ? 0.2 : 2.0;
    std::vector<double> one, two;
    for (int r = 0; r < rounds; ++r) {  // alternating, so drift hits both alike
        one.push_back(calls_per_second(seed, "ledger.tasks", request, 1, window));
        two.push_back(calls_per_second(seed, "ledger.tasks", request, 2, window));
    }
    const double ratio = median(two) / median(one);
    t.add({"parallel reads: ledger.tasks from 2 threads (one instance), computed",
           per_second(median(two)), per_second(median(one)) + " from 1 thread; limit ≥ 1.7×",
           ratio_text(ratio), ratio >= 1.7 ? "yes" : "NO"});
    t.note("reads (" + o.engine() +
           "): ledger.tasks {\"period\":\"2019-10\"} through the C ABI (dlopen, rl_sink); "
           "computed: database.answer_cache_mb 0; the kept answer: a second instance on the same "
           "ledger with 32 MB, whose first call computes and keeps; per call: median of " +
           std::to_string(rounds) + (rounds == 1 ? " round of " : " rounds of ") +
           std::to_string(calls) + " calls; threads: median of " + std::to_string(rounds) +
           " alternating windows of " + fixed(window, 1) + " s; " +
           (!o.postgres
                ? "on a 2-vCPU machine two threads can reach at most 2× and share the cores "
                  "with the benchmark's own bookkeeping; time inside its SQLite statements: "
                  "one more round of the same calls by an instance of its own, each of its "
                  "statements timed from its first step to its end (sqlite3_trace_v2 on its "
                  "connections, set by an auto extension), the reading of its rows included"
                : "a call waits on the server (another process) for most of its time, so two "
                  "threads overlap their waits and may pass 2× on a 2-vCPU machine"));
    seed.shutdown();
    if (!o.keep) {
        reset_ledger(o, o.file("reads-seed.db"));
    }
}

}  // namespace rl::bench
