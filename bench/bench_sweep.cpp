// Sweep scaling and memory. Ledgers of 1k … 1M obligations that differ only
// in filed history: the seed plan with its 2019-10 obligations open (due
// 2019-11-07, so overdue on the sweep's day, 2019-11-08), plus synthetic
// filed obligations (closed_at set, a filed report each) for earlier months,
// inserted with SQL. The same obligations are due in every ledger, so a sweep
// whose cost follows what is due takes the same time on each.
//
// Memory: peak RSS (ru_maxrss = VmHWM) of the real oa-stub executable on the
// biggest ledger, next to the same command on the 1k ledger.
#include <algorithm>
#include <stdexcept>

#include "common.h"
#include "plugin_host.h"

namespace rl::bench {

namespace {

const std::int64_t kSweepNow = court_ms(2019, 11, 8, 10);
const char* const kNoReceiver = "http://127.0.0.1:9/messages";  // queued only: worker disabled

std::string size_label(long long n) {
    if (n >= 1000000 && n % 1000000 == 0) {
        return std::to_string(n / 1000000) + "M";
    }
    if (n >= 1000 && n % 1000 == 0) {
        return std::to_string(n / 1000) + "k";
    }
    return std::to_string(n);
}

// The seed plan imported and its 2019-10 obligations created; returns how many.
// The month is opened by a sweep on Friday 2019-11-01, before any report is
// due soon, so the template owes no reminder and the timed sweep of 2019-11-08
// finds the month open and its obligations overdue. (Reads never write: a
// read such as obligations.list opens no month.) The template has the timed
// sweeps' channel, so that a reminder due on the 1st would be queued and seen.
long long build_template(const Options& o, const std::string& path) {
    remove_database(path);
    {
        oa_stub::PluginHost host(RL_LOG_ERROR);
        host.set_clock(court_ms(2019, 11, 1));
        host.load(o.plugin);
        host.create(plugin_config(o, path, kNoReceiver));
        host.call("plan.import",
                  "{\"path\":" + json_string(o.seed_plan()) + ",\"actor\":\"service:rl-bench\"}");
        const auto opened = parse_json(host.call("notify.sweep"));
        if (opened["reminders_due"].GetInt() != 0 || opened["messages_queued"].GetInt() != 0) {
            throw std::runtime_error(
                "sweep template: opening 2019-10 on 2019-11-01 found " +
                std::to_string(opened["reminders_due"].GetInt()) + " reminders due and queued " +
                std::to_string(opened["messages_queued"].GetInt()) + " messages");
        }
        host.shutdown();
    }
    const long long open = sql_int(path, "SELECT COUNT(*) FROM obligations");
    if (open == 0) {
        throw std::runtime_error("sweep template: no obligations for 2019-10 after the sweep");
    }
    return open;
}

// Copies the template and adds filed history up to `total` obligations.
void build_ledger(const std::string& template_path, const std::string& path, long long total,
                  long long open) {
    copy_file(template_path, path);
    const long long history = std::max(0LL, total - open);
    const long long assignments =
        sql_int(path, "SELECT COUNT(*) FROM assignments WHERE retired_at IS NULL");
    const long long months = (history + assignments - 1) / assignments;
    const int m0 = 2019 * 12 + 8;  // 2019-09, counted in months from year 0
    const std::string ym = "(" + std::to_string(m0) + " - k.i)";
    const std::string next = "(" + std::to_string(m0 + 1) + " - k.i)";
    std::string sql =
        "PRAGMA journal_mode=DELETE; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;"
        "BEGIN;";
    if (history > 0) {
        sql += "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < " +
               std::to_string(months - 1) +
               ")"
               " INSERT INTO obligations (assignment_id, period, period_month, due_date, closed_at)"
               " SELECT a.id, printf('%04d-%02d', " +
               ym + " / 12, " + ym +
               " % 12 + 1),"
               " printf('%04d-%02d', " +
               ym + " / 12, " + ym +
               " % 12 + 1),"
               " printf('%04d-%02d-07', " +
               next + " / 12, " + next +
               " % 12 + 1),"
               " printf('%04d-%02d-06T02:00:00.000Z', " +
               next + " / 12, " + next +
               " % 12 + 1)"
               " FROM k CROSS JOIN (SELECT id FROM assignments WHERE retired_at IS NULL) a"
               " LIMIT " +
               std::to_string(history) +
               ";"
               "INSERT INTO reports (obligation_id, state, step, resume_step, previous_step,"
               " entered_by, assignee, version, content, created_at, updated_at, step_since)"
               " SELECT id, 'filed', 'reform_office', '', 'reform_office', '', '', 5,"
               " '{\"progress_summary\":\"已按计划完成。\",\"percent_complete\":100}',"
               " closed_at, closed_at, closed_at FROM obligations WHERE closed_at IS NOT NULL;";
    }
    sql += "COMMIT; PRAGMA journal_mode=WAL;";
    sql_exec(path, sql);
}

struct SweepTimes {
    std::vector<double> first;   // queues the reminders
    std::vector<double> repeat;  // the same sweep again: nothing new
    int queued = 0;
    int checked = 0;
};

// One fresh copy of the ledger, swept twice.
void time_sweep(const Options& o, const std::string& ledger, SweepTimes& out) {
    const std::string run = o.file("sweep_run.db");
    copy_file(ledger, run);
    oa_stub::PluginHost host(RL_LOG_ERROR);
    host.set_clock(kSweepNow);
    host.load(o.plugin);
    host.create(plugin_config(o, run, kNoReceiver));
    auto start = Clock::now();
    const auto r = parse_json(host.call("notify.sweep"));
    out.first.push_back(seconds_since(start));
    start = Clock::now();
    const auto again = parse_json(host.call("notify.sweep"));
    out.repeat.push_back(seconds_since(start));
    out.queued = r["messages_queued"].GetInt();
    out.checked = r["obligations_checked"].GetInt();
    if (out.queued == 0 || again["messages_queued"].GetInt() != 0) {
        throw std::runtime_error("sweep on " + ledger + ": unexpected result");
    }
    host.shutdown();
    remove_database(run);
}

std::string mb(long kb) {
    return fixed(static_cast<double>(kb) / 1024.0, 1) + " MB";
}

}  // namespace

void bench_sweep_and_memory(const Options& o, Table& t) {
    const std::vector<long long> sizes = o.tiny
                                             ? std::vector<long long>{1000, 10000}
                                             : std::vector<long long>{1000, 10000, 100000, 1000000};
    const int reps = o.tiny ? 2 : 5;
    const std::string tmpl = o.file("ledger_template.db");
    const long long open = build_template(o, tmpl);
    std::vector<std::string> ledgers;
    for (const auto n : sizes) {
        progress("building a ledger of " + size_label(n) + " obligations");
        const auto start = Clock::now();
        ledgers.push_back(o.file("ledger_" + size_label(n) + ".db"));
        build_ledger(tmpl, ledgers.back(), n, open);
        const long long count = sql_int(ledgers.back(), "SELECT COUNT(*) FROM obligations");
        progress("  " + with_commas(count) + " obligations, " +
                 fixed(static_cast<double>(file_size(ledgers.back())) / 1e6, 0) + " MB, built in " +
                 human_seconds(seconds_since(start)));
    }

    if (o.runs("sweep")) {
        // Sizes interleaved within each repetition, so drift hits all alike.
        std::vector<SweepTimes> times(sizes.size());
        for (int rep = 0; rep < reps; ++rep) {
            progress("sweeps, round " + std::to_string(rep + 1) + "/" + std::to_string(reps));
            for (std::size_t i = 0; i < sizes.size(); ++i) {
                time_sweep(o, ledgers[i], times[i]);
            }
        }
        const double base_first = median(times.front().first);
        const double base_repeat = median(times.front().repeat);
        for (std::size_t i = 0; i < sizes.size(); ++i) {
            const SweepTimes& s = times[i];
            if (s.checked != open) {
                throw std::runtime_error("sweep of " + ledgers[i] + ": it checked " +
                                         std::to_string(s.checked) + " obligations, not the " +
                                         std::to_string(open) + " the template opened");
            }
            const bool largest = i + 1 == sizes.size();
            const double first = median(s.first), repeat = median(s.repeat);
            const double r = first / base_first;
            t.add({"sweep " + size_label(sizes[i]) + " obligations (" + std::to_string(s.checked) +
                       " open/due, " + std::to_string(s.queued) + " msgs queued)",
                   human_seconds(first),
                   i == 0 ? "baseline" : "1k: " + human_seconds(base_first) + "; limit 2×",
                   i == 0 ? "" : ratio_text(r), i == 0 ? "-" : (r <= 2.0 ? "yes" : "NO")});
            if (largest) {
                const double rr = repeat / base_repeat;
                t.add({"  repeat sweep " + size_label(sizes[i]) + " (nothing new)",
                       human_seconds(repeat), "1k: " + human_seconds(base_repeat) + "; limit 2×",
                       ratio_text(rr), rr <= 2.0 ? "yes" : "NO"});
            }
        }
        t.note("sweep: " + std::to_string(open) +
               " obligations due (seed plan, 2019-10, overdue "
               "on 2019-11-08); the rest is filed history; median of " +
               std::to_string(reps) + " fresh copies, warm page cache");
    }

    if (o.runs("memory")) {
        // oa-stub reads its configuration from a file; the org chart inline.
        const std::string config = o.file("oa-stub-config.json");
        write_file(config,
                   "{\"org_chart\":" + org_chart_json(o) +
                       ",\"options\":{\"lead_rule\":\"first_listed\",\"reporting\":{\"cycle\":"
                       "\"monthly\",\"due_working_day\":5}},\"notifications\":{\"channels\":[{"
                       "\"name\":\"oa\",\"kind\":\"webhook\",\"url\":\"" +
                       kNoReceiver + "\",\"secret\":\"" + kSecret +
                       "\"}],\"worker\":{\"enabled\":false}}}");
        const std::vector<std::vector<std::string>> commands = {
            {"ledger", "--json"}, {"status", "--user", "u-sigaiban-head"}, {"notify", "sweep"}};
        const auto peak = [&](const std::string& ledger, const std::vector<std::string>& command) {
            const std::string db = o.file("memory_run.db");
            copy_file(ledger, db);
            std::vector<std::string> argv = {o.oa_stub, "--config", config,
                                             "--db",    db,         "--plugin",
                                             o.plugin,  "--now",    "2019-11-08T10:00"};
            argv.insert(argv.end(), command.begin(), command.end());
            const auto r = run_process(argv);
            remove_database(db);
            if (r.status != 0) {
                throw std::runtime_error("oa-stub failed (" + std::to_string(r.status) +
                                         "): " + r.err.substr(0, 400));
            }
            return r.peak_rss_kb;
        };
        const std::string big = size_label(sizes.back());
        for (const auto& command : commands) {
            std::string name;
            for (const auto& w : command) {
                name += (name.empty() ? "" : " ") + w;
            }
            progress("memory: oa-stub " + name);
            const long small = peak(ledgers.front(), command);
            const long large = peak(ledgers.back(), command);
            t.add({"peak RSS oa-stub " + name + ", " + big + " ledger", mb(large),
                   "1k ledger: " + mb(small),
                   ratio_text(static_cast<double>(large) / static_cast<double>(small)), "-"});
        }
        t.note("ledger file with " + big + " obligations: " +
               fixed(static_cast<double>(file_size(ledgers.back())) / 1e6, 0) + " MB");
    }
    if (!o.keep) {
        remove_database(tmpl);
        for (const auto& l : ledgers) {
            remove_database(l);
        }
    }
}

}  // namespace rl::bench
