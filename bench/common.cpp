#include "common.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace rl::bench {

const char* const kSecret = "whsec_YmVuY2htYXJrIHNlY3JldCBmb3IgdGhlIHJlZm9ybSBsZWRnZXI=";

// ------------------------------------------------------------ table

void Table::add(Row row) {
    if (!label_.empty()) {
        const auto indent = row.metric.find_first_not_of(' ');
        row.metric.insert(indent == std::string::npos ? 0 : indent, label_);
    }
    rows_.push_back(std::move(row));
}

void Table::print() const {
    const std::vector<std::string> head = {"metric", "value", "baseline / limit", "ratio",
                                           "target met?"};
    std::vector<std::size_t> width(head.size());
    // Display width: count code points, CJK and µ/× are rare here (× counts as 1).
    const auto display = [](const std::string& s) {
        std::size_t n = 0;
        for (unsigned char c : s) {
            n += (c & 0xC0) != 0x80;
        }
        return n;
    };
    const auto cells = [](const Row& r) {
        return std::vector<std::string>{r.metric, r.value, r.baseline, r.ratio, r.met};
    };
    for (std::size_t i = 0; i < head.size(); ++i) {
        width[i] = display(head[i]);
    }
    for (const auto& r : rows_) {
        const auto c = cells(r);
        for (std::size_t i = 0; i < c.size(); ++i) {
            width[i] = std::max(width[i], display(c[i]));
        }
    }
    const auto line = [&](const std::vector<std::string>& c) {
        std::string out = "|";
        for (std::size_t i = 0; i < c.size(); ++i) {
            out += " " + c[i] + std::string(width[i] - display(c[i]), ' ') + " |";
        }
        std::cout << out << "\n";
    };
    line(head);
    std::string rule = "|";
    for (auto w : width) {
        rule += std::string(w + 2, '-') + "|";
    }
    std::cout << rule << "\n";
    for (const auto& r : rows_) {
        line(cells(r));
    }
    for (const auto& n : notes_) {
        std::cout << "  * " << n << "\n";
    }
    std::cout.flush();
}

int Table::missed() const {
    int n = 0;
    for (const auto& r : rows_) {
        n += r.met == "NO";
    }
    return n;
}

// ------------------------------------------------------------ numbers

double median(std::vector<double> v) {
    return percentile(std::move(v), 50);
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    // Nearest rank.
    const auto rank =
        static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string human_seconds(double s) {
    if (s >= 1) {
        return fixed(s, 2) + " s";
    }
    if (s >= 1e-3) {
        return fixed(s * 1e3, s >= 0.1 ? 0 : 1) + " ms";
    }
    if (s >= 1e-6) {
        return fixed(s * 1e6, s >= 1e-4 ? 0 : 1) + " µs";
    }
    return fixed(s * 1e9, 0) + " ns";
}

std::string with_commas(long long v) {
    std::string digits = std::to_string(v < 0 ? -v : v);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return (v < 0 ? "-" : "") + out;
}

std::string per_second(double v) {
    return with_commas(std::llround(v)) + "/s";
}

std::string ratio_text(double r) {
    return fixed(r, r < 10 ? 2 : 1) + "×";
}

std::int64_t court_ms(int year, int month, int day, int hour, int minute) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    return (static_cast<std::int64_t>(timegm(&tm)) - 8 * 3600) * 1000;
}

// ------------------------------------------------------------ files

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read '" + path + "'");
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out) {
        throw std::runtime_error("cannot write '" + path + "'");
    }
}

void copy_file(const std::string& from, const std::string& to) {
    remove_database(to);
    std::ifstream in(from, std::ios::binary);
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    out << in.rdbuf();
    if (!in || !out) {
        throw std::runtime_error("cannot copy '" + from + "' to '" + to + "'");
    }
}

void remove_database(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        ::unlink((path + suffix).c_str());
    }
}

long long file_size(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<long long>(st.st_size) : 0;
}

// ------------------------------------------------------------ processes

ProcessResult run_process(const std::vector<std::string>& argv) {
    int out_pipe[2], err_pipe[2];
    if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) {
        throw std::runtime_error("pipe failed");
    }
    const auto start = Clock::now();
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        ::close(out_pipe[0]);
        ::close(err_pipe[0]);
        ::close(out_pipe[1]);
        ::close(err_pipe[1]);
        std::vector<char*> args;
        for (const auto& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    ProcessResult result;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open = 2;
    char buf[65536];
    while (open > 0) {
        if (::poll(fds, 2, -1) < 0) {
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
                if (n <= 0) {
                    ::close(fds[i].fd);
                    fds[i].fd = -1;
                    --open;
                } else {
                    sinks[i]->append(buf, static_cast<std::size_t>(n));
                }
            }
        }
    }
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    result.seconds = seconds_since(start);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.peak_rss_kb = usage.ru_maxrss;
    return result;
}

// ------------------------------------------------------------ sqlite

namespace {
struct Connection {
    sqlite3* db = nullptr;
    explicit Connection(const std::string& path) {
        if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
            const std::string why = db ? sqlite3_errmsg(db) : "out of memory";
            sqlite3_close(db);
            throw std::runtime_error("cannot open '" + path + "': " + why);
        }
        sqlite3_busy_timeout(db, 5000);
    }
    ~Connection() { sqlite3_close(db); }
};
}  // namespace

void sql_exec(const std::string& path, const std::string& sql) {
    Connection c(path);
    char* error = nullptr;
    if (sqlite3_exec(c.db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string why = error ? error : "?";
        sqlite3_free(error);
        throw std::runtime_error("SQL on '" + path + "' failed: " + why + "\n" +
                                 sql.substr(0, 400));
    }
}

long long sql_int(const std::string& path, const std::string& sql) {
    Connection c(path);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(c.db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        throw std::runtime_error("SQL on '" + path + "' failed: " + sqlite3_errmsg(c.db));
    }
    long long v = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        v = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return v;
}

// ------------------------------------------------------------ ledgers on either engine

std::string schema_of(const std::string& db_path) {
    std::string base = db_path.substr(db_path.find_last_of('/') + 1);
    if (base.size() > 3 && base.compare(base.size() - 3, 3, ".db") == 0) {
        base.resize(base.size() - 3);
    }
    std::string out = "bench_";
    for (char c : base) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        out += keep ? c : (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : '_';
    }
    return out;
}

void reset_ledger(const Options& o, const std::string& db_path) {
    if (!o.postgres) {
        remove_database(db_path);
        return;
    }
    Pg(o.postgres_url).exec("DROP SCHEMA IF EXISTS " + schema_of(db_path) + " CASCADE");
}

long long ledger_int(const Options& o, const std::string& db_path, const std::string& sql) {
    if (!o.postgres) {
        return sql_int(db_path, sql);
    }
    Pg pg(o.postgres_url);
    pg.exec("SET search_path TO " + schema_of(db_path));
    return pg.integer(sql);
}

Pg::Pg(const std::string& url) {
    PGconn* c = PQconnectdb(url.c_str());
    conn_ = c;
    if (PQstatus(c) != CONNECTION_OK) {
        const std::string why = PQerrorMessage(c);
        PQfinish(c);
        conn_ = nullptr;
        throw std::runtime_error("cannot connect to PostgreSQL: " + why);
    }
    exec("SET client_min_messages TO warning");
}

Pg::~Pg() {
    PQfinish(static_cast<PGconn*>(conn_));
}

namespace {
PGresult* checked(PGconn* c, PGresult* r, const std::string& sql) {
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        const std::string why = PQresultErrorMessage(r);
        PQclear(r);
        throw std::runtime_error("PostgreSQL: " + why + (why.empty() ? PQerrorMessage(c) : "") +
                                 "\n" + sql.substr(0, 400));
    }
    return r;
}
}  // namespace

void Pg::exec(const std::string& sql) {
    auto* c = static_cast<PGconn*>(conn_);
    PQclear(checked(c, PQexec(c, sql.c_str()), sql));
}

std::vector<std::string> Pg::column(const std::string& sql) {
    auto* c = static_cast<PGconn*>(conn_);
    PGresult* r = checked(c, PQexec(c, sql.c_str()), sql);
    std::vector<std::string> out;
    for (int i = 0; i < PQntuples(r); ++i) {
        out.emplace_back(PQgetvalue(r, i, 0));
    }
    PQclear(r);
    return out;
}

long long Pg::integer(const std::string& sql) {
    const auto values = column(sql);
    return values.empty() || values[0].empty() ? 0 : std::stoll(values[0]);
}

// ------------------------------------------------------------ plugin

std::string org_chart_json(const Options& o) {
    return read_file(o.demo_dir + "/org-chart.json");
}

std::string plugin_config(const Options& o, const std::string& db_path,
                          const std::string& channel_url, int batch, int answer_cache_mb) {
    const std::string kept = ",\"answer_cache_mb\":" + std::to_string(answer_cache_mb);
    const std::string database =
        o.postgres
            ? "{\"url\":" + json_string(o.postgres_url) + ",\"schema\":\"" + schema_of(db_path) +
                  "\"" + (o.pool_size > 0 ? ",\"pool_size\":" + std::to_string(o.pool_size) : "") +
                  kept + "}"
            : "{\"path\":" + json_string(db_path) + kept + "}";
    std::string c = "{\"database\":" + database + "," + "\"org_chart\":" + org_chart_json(o) + "," +
                    "\"options\":{\"lead_rule\":\"first_listed\","
                    "\"reporting\":{\"cycle\":\"monthly\",\"due_working_day\":5}}";
    if (!channel_url.empty()) {
        c += ",\"notifications\":{\"channels\":[{\"name\":\"oa\",\"kind\":\"webhook\",\"url\":" +
             json_string(channel_url) + ",\"secret\":" + json_string(kSecret) +
             "}],\"worker\":{\"enabled\":false" +
             (batch > 0 ? ",\"batch\":" + std::to_string(batch) : std::string()) + "}}";
    }
    return c + "}";
}

rapidjson::Document parse_json(const std::string& text) {
    rapidjson::Document d;
    d.Parse(text.data(), text.size());
    if (d.HasParseError()) {
        throw std::runtime_error("not JSON: " + text.substr(0, 300));
    }
    return d;
}

std::string json_string(const std::string& s) {
    rapidjson::StringBuffer b;
    rapidjson::Writer<rapidjson::StringBuffer> w(b);
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return b.GetString();
}

void progress(const std::string& line) {
    std::cerr << "[bench] " << line << std::endl;
}

}  // namespace rl::bench
