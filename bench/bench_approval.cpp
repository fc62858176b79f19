// Approval throughput: complete save_draft → submit → approve (head) →
// approve (leader in charge) → file (reform office) sequences through
// report.act, each action its own call and transaction, on a SQLite file in
// WAL mode — next to the raw single-row commit rate of SQLite with a reused
// prepared statement, the same PRAGMAs, in the same directory.
#include <libpq-fe.h>
#include <sqlite3.h>

#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

#include "common.h"
#include "plugin_host.h"

namespace rl::bench {

// Contact, head and leader in charge of each department, from the org chart.
std::map<std::string, Chain> department_chains(const Options& o) {
    const auto chart = parse_json(org_chart_json(o));
    std::map<std::string, Chain> out;
    for (const auto& p : chart["people"].GetArray()) {
        const std::string id = p["id"].GetString();
        const std::string department = p["department"].GetString();
        for (const auto& role : p["roles"].GetArray()) {
            const std::string r = role.GetString();
            if (r == "contact" && out[department].contact.empty()) {
                out[department].contact = id;
            } else if (r == "head" && out[department].head.empty()) {
                out[department].head = id;
            } else if (r == "leader_in_charge" && p.HasMember("in_charge_of")) {
                for (const auto& d : p["in_charge_of"].GetArray()) {
                    out[d.GetString()].leader = id;
                }
            }
        }
    }
    return out;
}

namespace {

struct Target {
    std::string task, item, department, period;
    Chain chain;
};

// Obligations a sequence can run on without other departments: every
// co-operating one, and leads of tasks (items) that have no co-operating
// department. Taken month by month back from 2019-10.
std::vector<Target> targets(oa_stub::PluginHost& host, const Options& o, std::size_t wanted) {
    const auto people = department_chains(o);
    std::vector<Target> out;
    int year = 2019, month = 10;
    while (out.size() < wanted) {
        char period[32];
        std::snprintf(period, sizeof period, "%04d-%02d", year, month);
        const auto list =
            parse_json(host.call("obligations.list", "{\"user\":\"u-sigaiban-head\",\"period\":\"" +
                                                         std::string(period) + "\"}"));
        std::set<std::string> with_co;
        for (const auto& ob : list["obligations"].GetArray()) {
            if (std::string(ob["role"].GetString()) == "co") {
                with_co.insert(std::string(ob["task"].GetString()) + "|" + ob["item"].GetString());
            }
        }
        for (const auto& ob : list["obligations"].GetArray()) {
            const std::string task = ob["task"].GetString(), item = ob["item"].GetString();
            const std::string department = ob["department"].GetString();
            const bool lead = std::string(ob["role"].GetString()) == "lead";
            const auto chain = people.find(department);
            if ((lead && with_co.count(task + "|" + item)) || chain == people.end() ||
                chain->second.contact.empty() || chain->second.head.empty() ||
                chain->second.leader.empty()) {
                continue;
            }
            out.push_back({task, item, department, period, chain->second});
            if (out.size() == wanted) {
                break;
            }
        }
        if (--month == 0) {
            month = 12;
            --year;
        }
        if (year < 2000) {
            throw std::runtime_error("not enough obligations for the approval benchmark");
        }
    }
    return out;
}

std::string act(const Target& x, const std::string& action, const std::string& actor, int version,
                const std::string& extra = "") {
    std::string r = "{\"action\":\"" + action + "\",\"actor\":" + json_string(actor) +
                    ",\"task\":" + json_string(x.task) + ",\"item\":" + json_string(x.item) +
                    ",\"department\":" + json_string(x.department) + ",\"period\":\"" + x.period +
                    "\"";
    if (version > 0) {
        r += ",\"version\":" + std::to_string(version);
    }
    return r + extra + "}";
}

// Single-row commits per second: autocommit INSERTs with one prepared
// statement, WAL, synchronous=NORMAL.
double raw_commits_per_second(const std::string& path, int n) {
    remove_database(path);
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
        throw std::runtime_error("cannot open " + path);
    }
    const auto exec = [&](const char* sql) {
        if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
            throw std::runtime_error(std::string("raw sqlite: ") + sqlite3_errmsg(db));
        }
    };
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec("PRAGMA foreign_keys=ON");
    exec("CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER NOT NULL, v TEXT NOT NULL)");
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO t (k, v) VALUES (?, ?)", -1, &st, nullptr);
    const std::string value = "a progress report line of about sixty bytes, as text";
    const auto insert = [&](int i) {
        sqlite3_bind_int(st, 1, i);
        sqlite3_bind_text(st, 2, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            throw std::runtime_error(std::string("raw sqlite: ") + sqlite3_errmsg(db));
        }
        sqlite3_reset(st);
    };
    for (int i = 0; i < 200; ++i) {
        insert(i);  // warm-up
    }
    const auto start = Clock::now();
    for (int i = 0; i < n; ++i) {
        insert(i);
    }
    const double s = seconds_since(start);
    sqlite3_finalize(st);
    sqlite3_close(db);
    remove_database(path);
    return n / s;
}

// The same on PostgreSQL: autocommit INSERTs of one statement prepared once
// (libpq, PQexecPrepared), in a schema of its own on the benchmark's server.
double raw_pg_commits_per_second(const Options& o, int n) {
    Pg pg(o.postgres_url);
    pg.exec(
        "DROP SCHEMA IF EXISTS bench_raw_commits CASCADE; CREATE SCHEMA bench_raw_commits;"
        "CREATE TABLE bench_raw_commits.t (id BIGINT GENERATED BY DEFAULT AS IDENTITY "
        "PRIMARY KEY, k INTEGER NOT NULL, v TEXT NOT NULL)");
    auto* c = static_cast<PGconn*>(pg.native());
    PGresult* prepared = PQprepare(
        c, "raw_insert", "INSERT INTO bench_raw_commits.t (k, v) VALUES ($1::int, $2)", 2, nullptr);
    const bool ok = PQresultStatus(prepared) == PGRES_COMMAND_OK;
    PQclear(prepared);
    if (!ok) {
        throw std::runtime_error(std::string("raw PostgreSQL: ") + PQerrorMessage(c));
    }
    const std::string value = "a progress report line of about sixty bytes, as text";
    const auto insert = [&](int i) {
        const std::string k = std::to_string(i);
        const char* params[2] = {k.c_str(), value.c_str()};
        PGresult* r = PQexecPrepared(c, "raw_insert", 2, params, nullptr, nullptr, 0);
        const bool done = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        if (!done) {
            throw std::runtime_error(std::string("raw PostgreSQL: ") + PQerrorMessage(c));
        }
    };
    for (int i = 0; i < 200; ++i) {
        insert(i);  // warm-up
    }
    const auto start = Clock::now();
    for (int i = 0; i < n; ++i) {
        insert(i);
    }
    const double s = seconds_since(start);
    pg.exec("DROP SCHEMA bench_raw_commits CASCADE");
    return n / s;
}

// The floor under report.act: the rows one transition writes, with raw
// prepared statements reused — the obligation found by its key, the report
// inserted or updated (with who acted at each step), a version written, the
// audit entry chained to the one before it (the last entry's hash read, three
// 64-digit hashes written), the ledger's change count raised, and on filing
// closed_at set and the report sent to `readers_per_file` readers (抄送); one
// transaction each (BEGIN IMMEDIATE … COMMIT), foreign keys on as in the
// plugin. The hashes are written, not computed: computing them is the
// plugin's cost, as is every read it makes beyond the obligation and the last
// entry's hash (the plan, whether the month is open, the co-operating reports).
// In each of `rounds` rounds, `next_round` runs the plugin's share of it and
// gives the floor's targets for the round. Returns the seconds the floor's
// transitions took (opening the file, preparing the statements and the
// plugin's rounds not counted).
double sql_floor_seconds(const std::string& path, std::size_t rounds,
                         const std::function<std::vector<Target>(std::size_t round)>& next_round) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
        throw std::runtime_error("cannot open " + path);
    }
    const auto check = [&](int rc, int want) {
        if (rc != want) {
            throw std::runtime_error(std::string("SQL floor: ") + sqlite3_errmsg(db));
        }
    };
    check(sqlite3_exec(db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON", nullptr, nullptr,
                       nullptr),
          SQLITE_OK);
    const auto prepare = [&](const char* sql) {
        sqlite3_stmt* st = nullptr;
        check(sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr), SQLITE_OK);
        return st;
    };
    sqlite3_stmt* begin = prepare("BEGIN IMMEDIATE");
    sqlite3_stmt* commit = prepare("COMMIT");
    sqlite3_stmt* find = prepare(
        "SELECT o.id, COALESCE(r.id, 0), COALESCE(r.version, 0) FROM obligations o"
        " JOIN assignments a ON a.id = o.assignment_id JOIN tasks t ON t.id = a.task_id"
        " LEFT JOIN task_items i ON i.id = a.item_id JOIN departments d ON d.id = a.department_id"
        " LEFT JOIN reports r ON r.obligation_id = o.id"
        " WHERE t.plan_id = ? AND t.number = ? AND COALESCE(i.number, '') = ? AND d.name = ?"
        " AND o.period = ?");
    sqlite3_stmt* insert_report = prepare(
        "INSERT INTO reports (obligation_id, state, step, resume_step, previous_step, entered_by,"
        " assignee, version, content, created_at, updated_at, step_since, step_actors)"
        " VALUES (?, ?, ?, '', '', ?, '', ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt* update_report = prepare(
        "UPDATE reports SET state = ?, step = ?, resume_step = '', previous_step = ?,"
        " entered_by = ?, assignee = '', version = ?, content = ?, updated_at = ?, step_since = ?,"
        " step_actors = ? WHERE id = ? AND version = ?");
    sqlite3_stmt* insert_version = prepare(
        "INSERT INTO report_versions (report_id, version, state, step, content, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?)");
    sqlite3_stmt* close = prepare("UPDATE obligations SET closed_at = ? WHERE id = ?");
    sqlite3_stmt* last_entry = prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
    sqlite3_stmt* insert_audit = prepare(
        "INSERT INTO audit_log (id, at, actor, acting_for, role, action, plan_id, task_number,"
        " item_number, department, period, obligation_id, report_id, from_state, to_state,"
        " from_step, to_step, reason, report_version, version_sha256, detail, prev_hash, hash)"
        " VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, '', ?, ?)");
    sqlite3_stmt* count_change =
        prepare("UPDATE ledger_changes SET version = version + 1 WHERE id = 1");
    sqlite3_stmt* send_for_reading = prepare(
        "INSERT INTO reading_items (plan_id, reader, kind, subject, task_number, item_number,"
        " department, period, title, sent_by, sent_at) VALUES (?, ?, 'report', ?, ?, ?, ?, ?, ?,"
        " ?, ?) ON CONFLICT (reader, kind, subject) DO NOTHING");
    const sqlite3_int64 plan_id = sql_int(path, "SELECT id FROM plans ORDER BY id LIMIT 1");
    // What the plugin wrote in its first round: the content and the step
    // actors of a report it filed (the same bytes), and to how many readers it
    // sent each filed report (as many reading items). Hashes as long as the
    // plugin's (hex SHA-256).
    const auto first_of = [&](const std::string& sql) {
        sqlite3_stmt* st = prepare(sql.c_str());
        check(sqlite3_step(st), SQLITE_ROW);
        std::string text(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                         static_cast<std::size_t>(sqlite3_column_bytes(st, 0)));
        sqlite3_finalize(st);
        return text;
    };
    const std::string filed = " FROM reports WHERE state = 'filed' ORDER BY id LIMIT 1";
    std::string content, actors;
    int readers_per_file = 0;
    const std::string at = "2019-11-04T02:00:00.000Z";
    const std::string version_sha256(64, 'a'), entry_hash(64, 'b');
    struct Step {
        const char* action;
        const char* role;
        const char* state;
        const char* step;
    };
    const Step steps[] = {{"save_draft", "contact", "draft", "draft"},
                          {"submit", "contact", "in_approval", "department_head"},
                          {"approve", "head", "in_approval", "leader_in_charge"},
                          {"approve", "leader_in_charge", "in_approval", "reform_office"},
                          {"file", "reform_office", "filed", "reform_office"}};
    const auto text = [](sqlite3_stmt* st, int i, const std::string& v) {
        sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    };
    const auto run = [&](sqlite3_stmt* st, int want = SQLITE_DONE) {
        check(sqlite3_step(st), want);
    };
    double seconds = 0;
    for (std::size_t round = 0; round < rounds; ++round) {
        const std::vector<Target> targets = next_round(round);
        if (round == 0) {
            content = first_of("SELECT content" + filed);
            actors = first_of("SELECT step_actors" + filed);
            readers_per_file = std::stoi(
                first_of("SELECT (SELECT COUNT(*) FROM reading_items WHERE kind = 'report') /"
                         " MAX(1, (SELECT COUNT(*) FROM reports WHERE state = 'filed'))"));
        }
        const auto start = Clock::now();
        for (const auto& x : targets) {
            std::string from_state, from_step;
            for (int k = 0; k < 5; ++k) {
                const Step& step = steps[k];
                run(begin);
                sqlite3_reset(begin);
                sqlite3_bind_int64(find, 1, plan_id);
                text(find, 2, x.task);
                text(find, 3, x.item);
                text(find, 4, x.department);
                text(find, 5, x.period);
                if (sqlite3_step(find) != SQLITE_ROW) {
                    throw std::runtime_error("SQL floor: no obligation " + x.task + "/" + x.item +
                                             " " + x.department + " " + x.period +
                                             " stored (its month not opened)");
                }
                const sqlite3_int64 obligation = sqlite3_column_int64(find, 0);
                sqlite3_int64 report = sqlite3_column_int64(find, 1);
                const int version = sqlite3_column_int(find, 2);
                sqlite3_reset(find);
                if (report == 0) {
                    sqlite3_bind_int64(insert_report, 1, obligation);
                    sqlite3_bind_text(insert_report, 2, step.state, -1, SQLITE_STATIC);
                    sqlite3_bind_text(insert_report, 3, step.step, -1, SQLITE_STATIC);
                    text(insert_report, 4, x.chain.contact);
                    sqlite3_bind_int(insert_report, 5, 1);
                    text(insert_report, 6, content);
                    for (int i = 7; i <= 9; ++i) {
                        text(insert_report, i, at);
                    }
                    text(insert_report, 10, actors);
                    run(insert_report);
                    sqlite3_reset(insert_report);
                    report = sqlite3_last_insert_rowid(db);
                } else {
                    sqlite3_bind_text(update_report, 1, step.state, -1, SQLITE_STATIC);
                    sqlite3_bind_text(update_report, 2, step.step, -1, SQLITE_STATIC);
                    text(update_report, 3, from_step);
                    text(update_report, 4, x.chain.contact);
                    sqlite3_bind_int(update_report, 5, version + 1);
                    text(update_report, 6, content);
                    text(update_report, 7, at);
                    text(update_report, 8, at);
                    text(update_report, 9, actors);
                    sqlite3_bind_int64(update_report, 10, report);
                    sqlite3_bind_int(update_report, 11, version);
                    run(update_report);
                    sqlite3_reset(update_report);
                }
                sqlite3_bind_int64(insert_version, 1, report);
                sqlite3_bind_int(insert_version, 2, version + 1);
                sqlite3_bind_text(insert_version, 3, step.state, -1, SQLITE_STATIC);
                sqlite3_bind_text(insert_version, 4, step.step, -1, SQLITE_STATIC);
                text(insert_version, 5, content);
                text(insert_version, 6, at);
                run(insert_version);
                sqlite3_reset(insert_version);
                if (k == 4) {
                    text(close, 1, at);
                    sqlite3_bind_int64(close, 2, obligation);
                    run(close);
                    sqlite3_reset(close);
                }
                // The entry chained to the last one, as storage/audit.cpp writes it.
                run(last_entry, SQLITE_ROW);
                const sqlite3_int64 last_id = sqlite3_column_int64(last_entry, 0);
                const std::string prev_hash =
                    reinterpret_cast<const char*>(sqlite3_column_text(last_entry, 1));
                sqlite3_reset(last_entry);
                sqlite3_stmt* a = insert_audit;
                sqlite3_bind_int64(a, 1, last_id + 1);
                text(a, 2, at);
                text(a, 3, x.chain.contact);
                sqlite3_bind_text(a, 4, step.role, -1, SQLITE_STATIC);
                sqlite3_bind_text(a, 5, step.action, -1, SQLITE_STATIC);
                sqlite3_bind_int64(a, 6, plan_id);
                text(a, 7, x.task);
                text(a, 8, x.item);
                text(a, 9, x.department);
                text(a, 10, x.period);
                sqlite3_bind_int64(a, 11, obligation);
                sqlite3_bind_int64(a, 12, report);
                text(a, 13, from_state);
                sqlite3_bind_text(a, 14, step.state, -1, SQLITE_STATIC);
                text(a, 15, from_step);
                sqlite3_bind_text(a, 16, step.step, -1, SQLITE_STATIC);
                sqlite3_bind_int(a, 17, version + 1);
                text(a, 18, version_sha256);
                text(a, 19, prev_hash);
                text(a, 20, entry_hash);
                run(a);
                sqlite3_reset(a);
                for (int n = 1; k == 4 && n <= readers_per_file; ++n) {
                    sqlite3_stmt* r = send_for_reading;
                    sqlite3_bind_int64(r, 1, plan_id);
                    text(r, 2, "floor-reader-" + std::to_string(n));
                    text(r, 3,
                         "report:" + std::to_string(report) + "@v" + std::to_string(version + 1));
                    text(r, 4, x.task);
                    text(r, 5, x.item);
                    text(r, 6, x.department);
                    text(r, 7, x.period);
                    text(r, 8,
                         x.department + " 任务" + x.task + " " + x.period +
                             "工作进展报告（已归档）");
                    text(r, 9, x.chain.contact);
                    text(r, 10, at);
                    run(r);
                    sqlite3_reset(r);
                }
                run(count_change);
                sqlite3_reset(count_change);
                run(commit);
                sqlite3_reset(commit);
                from_state = step.state;
                from_step = step.step;
            }
        }
        seconds += seconds_since(start);
    }
    for (sqlite3_stmt* st : {begin, commit, find, insert_report, update_report, insert_version,
                             close, last_entry, insert_audit, count_change, send_for_reading}) {
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return seconds;
}

struct SequenceRun {
    double seconds = 0;
    std::size_t sequences = 0;
    std::size_t calls = 0;
    double floor_seconds = 0;  // the SQL floor's share, when measured
    std::size_t floor_sequences = 0;
};

// Imports the plan into a fresh database and runs `sequences` complete
// sequences through report.act. With `floor` (SQLite), as many more
// obligations run the same sequences through raw statements
// (sql_floor_seconds) on a second connection to the same file, in `rounds`
// rounds alternating with the plugin's, so that the machine's drift over the
// run touches both alike. Floor targets alternate with the plugin's, so each
// lies in a month the sequences open: reads store nothing, and a month's
// obligations are stored by its first write.
SequenceRun run_sequences(const Options& o, const std::string& db, const std::string& plan_path,
                          std::size_t sequences, bool floor, std::size_t rounds = 1) {
    reset_ledger(o, db);
    oa_stub::PluginHost host(RL_LOG_ERROR);
    host.set_clock(court_ms(2019, 11, 4, 10));
    host.load(o.plugin);
    host.create(plugin_config(o, db));
    host.call("plan.import",
              "{\"path\":" + json_string(plan_path) + ",\"actor\":\"service:rl-bench\"}");
    const std::size_t spare = floor ? sequences : 0;
    const auto listed = targets(host, o, sequences + spare);
    std::vector<Target> work, floor_work;
    for (std::size_t i = 0; i < listed.size(); ++i) {
        const bool floor_one = i % 2 == 1 && floor_work.size() < spare;
        (floor_one ? floor_work : work).push_back(listed[i]);
    }

    const std::string content =
        ",\"content\":{\"progress_summary\":\"本月已完成流程梳理，形成制度初稿。\","
        "\"measures\":\"逐项梳理流程节点\",\"percent_complete\":60,"
        "\"evidence\":[{\"name\":\"材料.docx\",\"url\":\"https://oa.court.local/files/1\"}]}";
    const std::string reform_office = "u-sigaiban-head";
    SequenceRun run;
    const auto slice = [rounds](const std::vector<Target>& all, std::size_t round) {
        const std::size_t from = all.size() * round / rounds;
        const std::size_t to = all.size() * (round + 1) / rounds;
        return std::vector<Target>(all.begin() + static_cast<std::ptrdiff_t>(from),
                                   all.begin() + static_cast<std::ptrdiff_t>(to));
    };
    const auto plugin_round = [&](std::size_t round) {
        // Requests built before timing; versions follow 1..4 as each action succeeds.
        std::vector<std::string> requests;
        for (const auto& x : slice(work, round)) {
            requests.push_back(act(x, "save_draft", x.chain.contact, 0, content));
            requests.push_back(act(x, "submit", x.chain.contact, 1));
            requests.push_back(act(x, "approve", x.chain.head, 2, ",\"reason\":\"同意。\""));
            requests.push_back(act(x, "approve", x.chain.leader, 3));
            requests.push_back(act(x, "file", reform_office, 4));
        }
        const auto start = Clock::now();
        for (const auto& r : requests) {
            const std::string result = host.call("report.act", r);
            if (result.find("\"outcome\":\"ok\"") == std::string::npos) {
                throw std::runtime_error("report.act refused " + r + ": " + result.substr(0, 400));
            }
        }
        run.seconds += seconds_since(start);
        run.sequences += requests.size() / 5;
        run.calls += requests.size();
    };
    if (!floor) {
        for (std::size_t round = 0; round < rounds; ++round) {
            plugin_round(round);
        }
    } else {
        // A floor target runs once the plugin has opened its month (a
        // month's obligations are stored by its first write): it waits for a
        // later round when the plugin's share of this one had none of its
        // month, and is left out if the plugin never writes in it.
        std::set<std::string> opened;
        std::vector<Target> waiting;
        run.floor_seconds = sql_floor_seconds(db, rounds, [&](std::size_t round) {
            plugin_round(round);
            for (const auto& x : slice(work, round)) {
                opened.insert(x.period);
            }
            const auto more = slice(floor_work, round);
            waiting.insert(waiting.end(), more.begin(), more.end());
            std::vector<Target> ready, still;
            for (auto& x : waiting) {
                (opened.count(x.period) != 0 ? ready : still).push_back(std::move(x));
            }
            waiting = std::move(still);
            run.floor_sequences += ready.size();
            return ready;
        });
        if (run.floor_sequences == 0) {
            throw std::runtime_error("SQL floor: no target lies in a month the plugin opened");
        }
    }
    host.shutdown();
    return run;
}

}  // namespace

void bench_approval(const Options& o, Table& t) {
    // --tiny: enough that the spare obligations span two months, as at full size.
    const std::size_t sequences = o.tiny ? 80 : 1000;
    progress("approval throughput (" + o.engine() + "): " + std::to_string(sequences) +
             " sequences");
    const std::string db = o.file("approval.db");
    const int raw_rows = o.tiny ? 2000 : 20000;
    const auto raw_commits = [&] {
        return o.postgres ? raw_pg_commits_per_second(o, raw_rows / 4)
                          : raw_commits_per_second(o.file("raw_commits.db"), raw_rows);
    };
    const std::string raw_name = o.postgres ? " raw PostgreSQL commits" : " raw SQLite commits";
    // Raw commits before and after the plugin's run (median of 3): drift hits both.
    std::vector<double> raws = {raw_commits()};
    // The SQL floor (SQLite only) on as many more obligations, in rounds
    // alternating with the plugin's.
    const SequenceRun seed = run_sequences(o, db, o.seed_plan(), sequences, !o.postgres, 5);
    const double transitions = 4.0 * static_cast<double>(seed.sequences) / seed.seconds;
    const double calls = static_cast<double>(seed.calls) / seed.seconds;
    const double floor =
        o.postgres ? 0 : 4.0 * static_cast<double>(seed.floor_sequences) / seed.floor_seconds;
    reset_ledger(o, db);
    for (int i = 0; i < 2; ++i) {
        raws.push_back(raw_commits());
    }
    const double raw = median(raws);

    // The same on the largest plan one import takes (999 tasks): report.act
    // should not cost more because the plan is bigger.
    const std::size_t big_sequences = o.tiny ? 4 : 20;
    progress("approval on a 999-task plan (" + o.engine() + "): " + std::to_string(big_sequences) +
             " sequences");
    const std::string plan = o.file("approval-plan-999.txt");
    write_file(plan, synthetic_plan(999, 1));
    const SequenceRun big = run_sequences(o, db, plan, big_sequences, false);
    const long long big_assignments = ledger_int(o, db, "SELECT COUNT(*) FROM assignments");
    std::remove(plan.c_str());
    reset_ledger(o, db);
    const double big_call = big.seconds / static_cast<double>(big.calls);

    t.add({"approval: transitions/s (report.act, 4 per sequence)", per_second(transitions),
           per_second(raw) + raw_name + "; limit ≥ 0.5×", ratio_text(transitions / raw),
           transitions >= 0.5 * raw ? "yes" : "NO"});
    t.add({"  sequences/s (draft+submit+approve+approve+file)",
           fixed(static_cast<double>(seed.sequences) / seed.seconds, 1) + "/s",
           per_second(calls) + " report.act calls", human_seconds(1.0 / calls) + "/call", "-"});
    if (!o.postgres) {
        t.add({"  SQL floor: the same writes, raw prepared statements", per_second(floor),
               per_second(raw) + raw_name, ratio_text(floor / raw),
               floor >= 0.5 * raw ? "reachable" : "out of reach"});
        // Issue 11's target for report.act: the cost of its writes.
        t.add({"  report.act against the SQL floor", per_second(transitions),
               per_second(floor) + " SQL floor; limit ≥ 0.6×", ratio_text(transitions / floor),
               transitions >= 0.6 * floor ? "yes" : "NO"});
    }
    t.add({"  report.act on a 999-task plan (" + with_commas(big_assignments) + " assignments)",
           human_seconds(big_call) + "/call", "seed plan: " + human_seconds(1.0 / calls) + "/call",
           ratio_text(big_call * calls), "-"});
    if (!o.postgres) {
        t.note(
            "approval (SQLite): the SQL floor writes what report.act writes (the report with its "
            "step actors, a version, the audit entry chained to the last one's hash, the change "
            "count; on filing closed_at and the reading items) through raw statements prepared "
            "once, on as many more obligations (each once the plugin has opened its month), in 5 "
            "rounds alternating with the plugin's");
    }
    if (o.postgres) {
        t.note(
            "approval (PostgreSQL): raw commits are single-row INSERTs of one statement "
            "prepared once (libpq), autocommit, over TCP to the same server; median of 3 "
            "runs of " +
            std::to_string(raw_rows / 4) + " rows");
    }
}

}  // namespace rl::bench
