#include "support/test_support.h"

#include "support/rapidjson_throws.h"  // before rapidjson

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <iconv.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace rl::test {

TempDir::TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                          "/reform-ledger-test-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
    }
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out) {
        throw std::runtime_error("cannot write " + path);
    }
}

std::string seed_plan_text() {
    return read_file(RL_SEED_PLAN);
}

std::string demo_org_chart_json() {
    return read_file(std::string(RL_DEMO_DIR) + "/org-chart.json");
}

bool on_postgresql() {
    const char* backend = std::getenv("RL_TEST_BACKEND");
    const char* url = std::getenv("RL_TEST_POSTGRES_URL");
    return backend != nullptr && std::string(backend) == "postgresql" && url != nullptr &&
           *url != '\0';
}

std::string postgres_schema(const std::string& db_path) {
    std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a
    for (const unsigned char c : db_path) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    char schema[24];
    std::snprintf(schema, sizeof schema, "rl_%016llx", static_cast<unsigned long long>(hash));
    return schema;
}

namespace {

std::string json_escaped(const std::string& text) {
    std::string escaped;
    for (char c : text) {
        if (c == '"' || c == '\\') {
            escaped += '\\';
        }
        escaped += c;
    }
    return escaped;
}

}  // namespace

std::string database_json(const std::string& db_path) {
    if (on_postgresql()) {
        return "{\"url\":\"" + json_escaped(std::getenv("RL_TEST_POSTGRES_URL")) +
               "\",\"schema\":\"" + postgres_schema(db_path) + "\"}";
    }
    return "{\"path\":\"" + json_escaped(db_path) + "\"}";
}

std::string plugin_config(const std::string& db_path, const std::string& options_json) {
    return "{\"database\":" + database_json(db_path) + ",\"org_chart\":" + demo_org_chart_json() +
           ",\"options\":" + options_json + "}";
}

std::string configuration_with_database(const std::string& config_path,
                                        const std::optional<std::string>& db_path) {
    struct stat info {};
    if (::stat(config_path.c_str(), &info) != 0 || !S_ISREG(info.st_mode) ||
        info.st_size > (off_t{1} << 20)) {
        return "";  // a FIFO, a device, nothing, 16 GiB: the test is about that file
    }
    rapidjson::Document doc;
    const std::string text = read_file(config_path);
    if (doc.Parse(text.c_str(), text.size()).HasParseError() || !doc.IsObject()) {
        return "";  // the test is about a malformed configuration
    }
    std::string db;
    if (db_path) {
        db = *db_path;
    } else if (doc.HasMember("database") && doc["database"].IsObject() &&
               doc["database"].HasMember("path") && doc["database"]["path"].IsString()) {
        db = doc["database"]["path"].GetString();
    } else {
        return "";  // no SQLite file named: nothing to move
    }
    auto& alloc = doc.GetAllocator();
    if (doc.HasMember("org_chart") && doc["org_chart"].IsString()) {
        std::string chart = doc["org_chart"].GetString();
        if (!chart.empty() && chart[0] != '/') {
            const auto slash = config_path.rfind('/');
            chart = (slash == std::string::npos ? std::string(".") : config_path.substr(0, slash)) +
                    "/" + chart;
            doc["org_chart"].SetString(chart.c_str(), alloc);
        }
    }
    rapidjson::Document database;
    const std::string database_text = database_json(db);
    database.Parse(database_text.c_str());
    doc.RemoveMember("database");
    doc.AddMember("database", rapidjson::Value(database, alloc), alloc);
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    doc.Accept(writer);

    static TempDir folder;  // removed when the test binary exits
    static std::mutex mutex;
    static int count = 0;
    std::lock_guard<std::mutex> lock(mutex);
    const std::string out = folder.file("config-" + std::to_string(++count) + ".json");
    write_file(out, std::string(buffer.GetString(), buffer.GetSize()));
    return out;
}

std::vector<std::string> oa_stub_arguments(std::vector<std::string> args) {
    if (!on_postgresql()) {
        return args;
    }
    std::optional<std::string> db;
    std::optional<std::string> config;
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if ((args[i] == "--db" || args[i] == "--config") && i + 1 < args.size()) {
            (args[i] == "--db" ? db : config) = args[i + 1];
            ++i;
        } else {
            rest.push_back(args[i]);
        }
    }
    if (!db && !config) {
        return args;
    }
    const std::string rewritten =
        configuration_with_database(config.value_or(std::string(RL_DEMO_DIR) + "/config.json"), db);
    if (rewritten.empty()) {
        return args;
    }
    rest.insert(rest.begin(), {"--config", rewritten});
    return rest;
}

std::string to_gbk(const std::string& utf8) {
    iconv_t cd = iconv_open("GBK", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        throw std::runtime_error("iconv_open(GBK) failed");
    }
    std::string in = utf8;
    std::string out(in.size() * 2 + 16, '\0');
    char* src = in.data();
    std::size_t src_left = in.size();
    char* dst = out.data();
    std::size_t dst_left = out.size();
    const std::size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1)) {
        throw std::runtime_error("iconv to GBK failed");
    }
    out.resize(out.size() - dst_left);
    return out;
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

CommandResult run_command(const std::string& command) {
    TempDir dir;
    const std::string out_file = dir.file("out");
    const std::string err_file = dir.file("err");
    const std::string full =
        command + " >" + shell_quote(out_file) + " 2>" + shell_quote(err_file) + " </dev/null";
    const int raw = std::system(full.c_str());
    CommandResult result;
    result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    result.out = read_file(out_file);
    result.err = read_file(err_file);
    return result;
}

namespace {

SqlRows sqlite_rows(const std::string& path, const std::string& sql, bool read_only) {
    sqlite3* db = nullptr;
    const int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        const std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw std::runtime_error("sqlite3_open_v2(" + path + "): " + message);
    }
    sqlite3_busy_timeout(db, 2000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
        const std::string message = sqlite3_errmsg(db);
        sqlite3_close(db);
        throw std::runtime_error("prepare '" + sql + "': " + message);
    }
    SqlRows rows;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
            const auto* text = sqlite3_column_text(stmt, i);
            row.push_back(text != nullptr ? reinterpret_cast<const char*>(text) : "NULL");
        }
        rows.push_back(std::move(row));
    }
    const std::string message = sqlite3_errmsg(db);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    if (rc != SQLITE_DONE) {
        throw std::runtime_error("step '" + sql + "': " + message);
    }
    return rows;
}

void sqlite_exec(const std::string& path, const std::string& script) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
        const std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw std::runtime_error("sqlite3_open_v2(" + path + "): " + message);
    }
    sqlite3_busy_timeout(db, 2000);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, script.c_str(), nullptr, nullptr, &error);
    const std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    if (rc != SQLITE_OK) {
        throw std::runtime_error("exec '" + script.substr(0, 300) + "': " + message);
    }
}

// Runs sql (one statement or a script) in the schema plugin_config gives path,
// on a libpq connection of its own; the rows of the last statement.
SqlRows postgres_rows(const std::string& path, const std::string& sql, bool read_only) {
    PGconn* conn = PQconnectdb(std::getenv("RL_TEST_POSTGRES_URL"));
    const auto close = [&] { PQfinish(conn); };
    if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
        const std::string message = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
        close();
        throw std::runtime_error("PostgreSQL connection for " + path + ": " + message);
    }
    const std::string setup = "SET search_path TO " + postgres_schema(path) +
                              (read_only ? "; SET default_transaction_read_only = on" : "");
    PGresult* result = PQexec(conn, setup.c_str());
    PQclear(result);
    result = PQexec(conn, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        const std::string message = PQresultErrorMessage(result);
        PQclear(result);
        close();
        throw std::runtime_error("'" + sql.substr(0, 300) + "' on PostgreSQL: " + message);
    }
    SqlRows rows;
    for (int r = 0; r < PQntuples(result); ++r) {
        std::vector<std::string> row;
        for (int c = 0; c < PQnfields(result); ++c) {
            row.push_back(PQgetisnull(result, r, c) != 0 ? "NULL" : PQgetvalue(result, r, c));
        }
        rows.push_back(std::move(row));
    }
    PQclear(result);
    close();
    return rows;
}

}  // namespace

SqlRows sql_rows(const std::string& path, const std::string& sql, bool read_only) {
    return on_postgresql() ? postgres_rows(path, sql, read_only)
                           : sqlite_rows(path, sql, read_only);
}

void sql_exec(const std::string& path, const std::string& script) {
    if (on_postgresql()) {
        postgres_rows(path, script, false);
    } else {
        sqlite_exec(path, script);
    }
}

void hold_write_lock(const std::string& path, int hold_ms, std::atomic<bool>& held) {
    if (on_postgresql()) {
        // Readers go on; every writer of the ledger's tables waits, as
        // behind SQLite's reserved lock.
        PGconn* conn = PQconnectdb(std::getenv("RL_TEST_POSTGRES_URL"));
        if (conn != nullptr && PQstatus(conn) == CONNECTION_OK) {
            const std::string lock = "SET search_path TO " + postgres_schema(path) +
                                     "; BEGIN; LOCK TABLE notifications, delivery_attempts,"
                                     " audit_log IN EXCLUSIVE MODE";
            PGresult* result = PQexec(conn, lock.c_str());
            if (PQresultStatus(result) == PGRES_COMMAND_OK) {
                held = true;
                std::this_thread::sleep_for(std::chrono::milliseconds(hold_ms));
                PQclear(PQexec(conn, "COMMIT"));
            }
            PQclear(result);
        }
        PQfinish(conn);
        return;
    }
    sqlite3* handle = nullptr;
    if (sqlite3_open(path.c_str(), &handle) == SQLITE_OK) {
        sqlite3_busy_timeout(handle, 5000);
        if (sqlite3_exec(handle, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK) {
            held = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(hold_ms));
            sqlite3_exec(handle, "COMMIT", nullptr, nullptr, nullptr);
        }
    }
    sqlite3_close(handle);
}

void drop_all_triggers(const std::string& path) {
    if (on_postgresql()) {
        for (const auto& row :
             sql_rows(path,
                      "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c"
                      " ON c.oid = t.tgrelid WHERE c.relnamespace = current_schema()::regnamespace"
                      " AND NOT t.tgisinternal")) {
            sql_exec(path, "DROP TRIGGER \"" + row.at(0) + "\" ON \"" + row.at(1) + "\"");
        }
        return;
    }
    for (const auto& row :
         sql_rows(path, "SELECT name FROM sqlite_master WHERE type = 'trigger'")) {
        sql_exec(path, "DROP TRIGGER \"" + row.at(0) + "\"");
    }
}

std::string file_digest(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return "(missing)";
    }
    std::ostringstream s;
    s << in.rdbuf();
    // A content hash is enough to tell "unchanged"; std::hash over the bytes plus the size.
    return std::to_string(s.str().size()) + ":" + std::to_string(std::hash<std::string>{}(s.str()));
}

void within_deadline(int seconds, const std::string& what, const std::function<void()>& fn) {
    struct Shared {
        std::mutex mutex;
        std::condition_variable done_cv;
        bool done = false;
        std::exception_ptr error;
    };
    auto shared = std::make_shared<Shared>();
    std::thread worker([shared, fn] {
        std::exception_ptr error;
        try {
            fn();
        } catch (...) {
            error = std::current_exception();
        }
        std::lock_guard<std::mutex> lock(shared->mutex);
        shared->error = error;
        shared->done = true;
        shared->done_cv.notify_all();
    });
    std::unique_lock<std::mutex> lock(shared->mutex);
    if (!shared->done_cv.wait_for(lock, std::chrono::seconds(seconds),
                                  [&] { return shared->done; })) {
        std::fprintf(stderr, "FAILED: %s did not return within %d s (it hangs); aborting\n",
                     what.c_str(), seconds);
        std::fflush(stderr);
        std::abort();
    }
    lock.unlock();
    worker.join();
    if (shared->error) {
        std::rethrow_exception(shared->error);
    }
}

void damage_table(const std::string& db, const std::string& table) {
    const auto rows =
        sqlite_rows(db,
                    "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master"
                    " WHERE name = '" +
                        table + "'",
                    false);
    const long root = std::stol(rows.at(0).at(0));
    const long page_size = std::stol(rows.at(0).at(1));
    std::fstream file(db, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp((root - 1) * page_size);
    const std::string garbage(static_cast<std::size_t>(page_size), '\xA5');
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    if (!file) {
        throw std::runtime_error("cannot damage " + db);
    }
}

unsigned int mode_of(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        throw std::runtime_error("no file " + path);
    }
    return info.st_mode & 07777;
}

}  // namespace rl::test
