#include "support/test_support.h"

#include <iconv.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

std::string plugin_config(const std::string& db_path, const std::string& options_json) {
    std::string escaped;
    for (char c : db_path) {
        if (c == '"' || c == '\\') {
            escaped += '\\';
        }
        escaped += c;
    }
    std::string database = "{\"path\":\"" + escaped + "\"}";
    const char* backend = std::getenv("RL_TEST_BACKEND");
    const char* url = std::getenv("RL_TEST_POSTGRES_URL");
    if (backend != nullptr && std::string(backend) == "postgresql" && url != nullptr) {
        std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a
        for (const unsigned char c : db_path) {
            hash ^= c;
            hash *= 1099511628211ULL;
        }
        char schema[24];
        std::snprintf(schema, sizeof schema, "rl_%016llx", static_cast<unsigned long long>(hash));
        database = "{\"url\":\"" + std::string(url) + "\",\"schema\":\"" + schema + "\"}";
    }
    return "{\"database\":" + database + ",\"org_chart\":" + demo_org_chart_json() +
           ",\"options\":" + options_json + "}";
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

SqlRows sql_rows(const std::string& path, const std::string& sql, bool read_only) {
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

void sql_exec(const std::string& path, const std::string& script) {
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
    const auto rows = rl::test::sql_rows(
        db,
        "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master"
        " WHERE name = '" +
            table + "'");
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
