// The province on PostgreSQL (issue 11): a higher court's deployment — one
// database, one ledger per court, each ledger a schema of its own
// (database.schema), each court's OA nodes running their own plugin
// instances on it. Every court's ledger has its own org chart, its own
// audit hash chain and its own advisory lock, so the courts' writes never
// wait for each other; that is why a province is 100 schemas and not 100
// plans in one ledger (one org chart, one chain, one writer for all).
//
// History: one court's year is made through the C ABI — the clock moved month
// by month, each month opened by a sweep and its reports drafted, submitted,
// approved twice and filed through report.act — and then copied into the
// other courts' schemas in SQL (INSERT … SELECT per table, in one
// transaction each, triggers off for the copy): making 100 years through the
// ABI would take an hour. Every court then holds the same history, as if all
// had reported alike. Measured with every court's instance open (one
// connection each): the sweep of the next month, one court's ledger.tasks,
// ledger.summary + ledger.status of every court, and the database's size —
// each next to the same for one court measured before the other courts
// existed.
#include <cstdio>
#include <memory>
#include <stdexcept>

#include "common.h"
#include "history.h"
#include "plugin_host.h"

namespace rl::bench {

namespace {

// Replaces the ledger in schema `to` (migrated, otherwise empty) with a copy
// of the one in `from`, identity counters included.
void copy_ledger(Pg& pg, const std::string& from, const std::string& to) {
    const auto tables = pg.column("SELECT tablename FROM pg_tables WHERE schemaname = '" + from +
                                  "' AND tablename <> 'schema_migrations' ORDER BY tablename");
    const auto sequences = pg.column("SELECT sequencename FROM pg_sequences WHERE schemaname = '" +
                                     from + "' ORDER BY sequencename");
    std::string sql = "BEGIN; SET LOCAL session_replication_role = replica; TRUNCATE ";
    for (std::size_t i = 0; i < tables.size(); ++i) {
        sql += (i ? ", " : "") + to + "." + tables[i];
    }
    sql += ";";
    for (const auto& t : tables) {
        sql += "INSERT INTO " + to + "." + t + " SELECT * FROM " + from + "." + t + ";";
    }
    for (const auto& s : sequences) {
        sql += "SELECT setval('" + to + "." + s + "', last_value, is_called) FROM " + from + "." +
               s + ";";
    }
    pg.exec(sql + "COMMIT");
}

long long schema_bytes(Pg& pg, const std::string& schema) {
    return pg.integer(
        "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN "
        "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" +
        schema + "' AND c.relkind = 'r'");
}

std::string megabytes(long long bytes) {
    return fixed(static_cast<double>(bytes) / (1 << 20), 1) + " MB";
}

// Median over rounds of the time per call of `calls` calls, in seconds.
double per_call(oa_stub::PluginHost& host, const std::string& method, const std::string& request,
                int calls, int rounds) {
    std::vector<double> times;
    for (int r = 0; r < rounds; ++r) {
        const auto start = Clock::now();
        for (int i = 0; i < calls; ++i) {
            host.call(method, request);
        }
        times.push_back(seconds_since(start) / calls);
    }
    return median(times);
}

}  // namespace

void bench_province(const Options& base, Table& t) {
    Options o = base;
    o.postgres = true;
    o.pool_size = 1;  // a court's instance here: one connection
    const int courts = o.tiny ? 3 : 100;
    // The months filed before the one measured (2019-11): a year with it.
    const int first_year = o.tiny ? 2019 : 2018, first_month = o.tiny ? 9 : 12;
    const std::string month = "2019-11";
    const std::int64_t measured_at = court_ms(2019, 12, 9, 10);  // one working day overdue
    const auto people = department_chains(o);
    const std::string tasks_request = "{\"period\":\"" + month + "\"}";
    const std::string summary_request = "{}";
    const std::string status_request =
        "{\"user\":\"" + std::string(kReformOffice) + "\",\"period\":\"" + month + "\"}";
    const auto court_db = [&](int i) {
        char name[32];
        std::snprintf(name, sizeof name, "court-%03d.db", i);
        return o.file(name);
    };
    const std::string template_db = o.file("court-template.db");

    Pg pg(o.postgres_url);
    const long long max_connections = pg.integer("SHOW max_connections");
    if (max_connections < courts + 10) {
        throw std::runtime_error("province: " + std::to_string(courts) +
                                 " courts keep a connection each, the server allows " +
                                 std::to_string(max_connections) +
                                 " (raise max_connections; scripts/bench.sh --postgres does)");
    }
    for (const auto& s : pg.column("SELECT nspname FROM pg_namespace WHERE nspname LIKE "
                                   "'bench\\_court\\_%'")) {
        pg.exec("DROP SCHEMA " + s + " CASCADE");
    }
    const long long empty_bytes = pg.integer("SELECT pg_database_size(current_database())");

    // 1. One court's year through the ABI.
    progress("province: one court's history through the ABI");
    History history;
    const auto history_start = Clock::now();
    {
        oa_stub::PluginHost host(RL_LOG_ERROR);
        // Imported when the first month is reported on, as file_months sets the clock.
        host.set_clock(
            court_ms(first_month == 12 ? first_year + 1 : first_year, first_month % 12 + 1, 3, 10));
        host.load(o.plugin);
        host.create(plugin_config(o, template_db, "http://127.0.0.1:9/never-delivered"));
        host.call("plan.import",
                  "{\"path\":" + json_string(o.seed_plan()) + ",\"actor\":\"service:rl-bench\"}");
        file_months(host, people, first_year, first_month, month, history);
        host.shutdown();
    }
    const double history_s = seconds_since(history_start);
    const std::string tpl = schema_of(template_db);
    const long long obligations = pg.integer("SELECT COUNT(*) FROM " + tpl + ".obligations");
    const long long filed =
        pg.integer("SELECT COUNT(*) FROM " + tpl + ".reports WHERE state = 'filed'");
    const long long audit_rows = pg.integer("SELECT COUNT(*) FROM " + tpl + ".audit_log");

    // A court's ledger: migrated by its first instance, then the history copied in.
    double migrate_s = 0, copy_s = 0;
    const auto make_court = [&](int i) {
        auto start = Clock::now();
        {
            oa_stub::PluginHost host(RL_LOG_ERROR);
            host.set_clock(measured_at);
            host.load(o.plugin);
            host.create(plugin_config(o, court_db(i), "http://127.0.0.1:9/never-delivered"));
            host.shutdown();
        }
        migrate_s += seconds_since(start);
        start = Clock::now();
        copy_ledger(pg, tpl, schema_of(court_db(i)));
        copy_s += seconds_since(start);
    };
    std::vector<std::unique_ptr<oa_stub::PluginHost>> hosts;
    const auto open_court = [&](int i) {
        auto host = std::make_unique<oa_stub::PluginHost>(RL_LOG_ERROR);
        host->set_clock(measured_at);
        host->load(o.plugin);
        host->create(plugin_config(o, court_db(i), "http://127.0.0.1:9/never-delivered"));
        hosts.push_back(std::move(host));
    };
    const int calls = o.tiny ? 5 : 50, rounds = o.tiny ? 2 : 5;

    // 2. One court alone in the database (beside the template).
    progress("province: one court alone");
    make_court(0);
    open_court(0);
    auto& court0 = *hosts[0];
    auto start = Clock::now();
    const auto swept = parse_json(court0.call("notify.sweep", "{}"));
    const double sweep_one = seconds_since(start);
    const double tasks_one = per_call(court0, "ledger.tasks", tasks_request, calls, rounds);
    std::vector<double> status_times;
    for (int r = 0; r < rounds; ++r) {
        start = Clock::now();
        court0.call("ledger.summary", summary_request);
        court0.call("ledger.status", status_request);
        status_times.push_back(seconds_since(start));
    }
    const double status_one = median(status_times);
    const long long court_bytes = schema_bytes(pg, schema_of(court_db(0)));

    // 3. The other courts.
    progress("province: " + std::to_string(courts - 1) + " more courts (copies of the history)");
    for (int i = 1; i < courts; ++i) {
        make_court(i);
    }
    pg.exec("DROP SCHEMA " + tpl + " CASCADE");
    for (int i = 1; i < courts; ++i) {
        open_court(i);
    }
    progress("province: sweep, ledger.tasks, status of " + std::to_string(courts) + " courts");
    double sweep_all = sweep_one;
    for (int i = 1; i < courts; ++i) {
        start = Clock::now();
        hosts[static_cast<std::size_t>(i)]->call("notify.sweep", "{}");
        sweep_all += seconds_since(start);
    }
    const double tasks_province = per_call(court0, "ledger.tasks", tasks_request, calls, rounds);
    status_times.clear();
    for (int r = 0; r < rounds; ++r) {
        start = Clock::now();
        for (auto& h : hosts) {
            h->call("ledger.summary", summary_request);
            h->call("ledger.status", status_request);
        }
        status_times.push_back(seconds_since(start));
    }
    const double status_all = median(status_times);
    const long long province_bytes =
        pg.integer("SELECT pg_database_size(current_database())") - empty_bytes;
    for (auto& h : hosts) {
        h->shutdown();
    }
    hosts.clear();
    if (!o.keep) {
        for (int i = 0; i < courts; ++i) {
            reset_ledger(o, court_db(i));
        }
    }

    const std::string n = std::to_string(courts);
    t.add({"province: one court's year through the ABI (" + with_commas(history.actions) +
               " report.act, " + std::to_string(history.months) + " months filed)",
           human_seconds(history_s),
           with_commas(obligations) + " obligations, " + with_commas(filed) + " filed, " +
               with_commas(audit_rows) + " audit entries",
           "", "-"});
    t.add({"  copied into " + std::to_string(courts - 1) + " more courts (SQL, one tx each)",
           human_seconds(copy_s),
           "creating their ledgers (migrations): " + human_seconds(migrate_s), "", "-"});
    t.add({"province: sweep of " + n + " courts, one after another (" + month + " opens)",
           human_seconds(sweep_all) + " (" + human_seconds(sweep_all / courts) + "/court)",
           "one court alone: " + human_seconds(sweep_one) + " (" +
               std::to_string(swept["messages_queued"].GetInt()) + " messages)",
           ratio_text(sweep_all / sweep_one), "-"});
    t.add({"province: ledger.tasks of one court, " + n + " ledgers in the database",
           human_seconds(tasks_province) + "/call", "one court alone: " + human_seconds(tasks_one),
           ratio_text(tasks_province / tasks_one), "-"});
    t.add({"province: ledger.summary + ledger.status of all " + n + " courts",
           human_seconds(status_all),
           "one court: " + human_seconds(status_one) + " (" + human_seconds(status_all / courts) +
               "/court here)",
           ratio_text(status_all / status_one), "-"});
    t.add({"province: database size, " + n + " courts", megabytes(province_bytes),
           "one court's schema: " + megabytes(court_bytes),
           ratio_text(static_cast<double>(province_bytes) / static_cast<double>(court_bytes)),
           "-"});
    t.note("province (PostgreSQL): " + n +
           " courts, one schema (ledger) each, each court's plugin instance open with one "
           "connection; the seed plan (45 tasks) and the demo org chart in every court; one "
           "court's history made through the ABI (the clock moved month by month), the others "
           "copied from it in SQL; the status pass calls each court's instance in turn; sizes "
           "are pg_total_relation_size of a schema's tables and the growth of "
           "pg_database_size");
}

}  // namespace rl::bench
