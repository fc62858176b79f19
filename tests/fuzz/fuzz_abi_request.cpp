// libFuzzer target: one call() of any method through the plugin's C ABI, as
// a host makes it. An input is the method name, a newline and the request
// JSON ("report.act\n{…}"); without a newline it is all method name.
//
// The instance runs on a database with the seed plan imported and some of a
// month's work done (a submitted report, a supervision notice, a sweep's
// queued reminders, an urge), the host clock at 2019-11-08 09:00 court time,
// and one webhook channel to a closed loopback port (delivery fails at once;
// the worker is off). Every input
// starts from that same database: after a call that committed anything, the
// harness copies the seeded database back over the live one (SQLite's backup
// API), so a finding reproduces from its one input.
//
// Findings, besides crashes, sanitizer reports, hangs and runaway memory:
// RL_ERR_INTERNAL (the ABI's "a bug"); an RL_OK result that is not one JSON
// value in valid UTF-8; an error whose message is not NUL-terminated UTF-8.
// With RL_FUZZ_IGNORE_MESSAGE_UTF8=1 in the environment an error message in
// invalid UTF-8 is let through, to explore past that one known kind of
// finding while it is open.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "core/utf8.h"
#include "fuzz_support.h"
#include "reform_ledger.h"

namespace {

// 2019-11-08 09:00 in Beijing: 01:00 UTC.
constexpr std::int64_t kCourtMorningMs = 1573174800000;

[[noreturn]] void finding(const std::string& what) {
    std::fprintf(stderr, "\n==== fuzz_abi_request finding: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

void host_log(void*, std::int32_t, const char*, std::size_t) {}
std::int64_t host_now_ms(void*) {
    return kCourtMorningMs;
}
rl_status host_register(void*, std::int32_t, const char*, std::size_t, rl_error*) {
    return RL_OK;
}
std::int32_t sink_write(void* context, const char* data, std::size_t size) {
    static_cast<std::string*>(context)->append(data, size);
    return 0;
}

const rl_host_services kHost = {sizeof(rl_host_services), nullptr, &host_log, &host_now_ms,
                                &host_register};

struct Harness {
    const rl_plugin* plugin = nullptr;
    rl_instance* instance = nullptr;
    sqlite3* seeded = nullptr;  // read-only: the database every input starts from
    sqlite3* live = nullptr;    // the instance's database, for restoring it
    std::int64_t data_version = 0;
    bool ignore_message_utf8 = false;
};
Harness g;

rl_instance* create(const std::string& config) {
    rl_error error{};
    error.struct_size = sizeof error;
    rl_instance* instance = nullptr;
    if (g.plugin->create(&kHost, config.data(), config.size(), &instance, &error) != RL_OK) {
        finding(std::string("setup: create failed: ") + error.message);
    }
    return instance;
}

std::string call(rl_instance* instance, std::string_view method, std::string_view request,
                 rl_status& status, rl_error& error) {
    std::string result;
    const rl_sink sink = {sizeof(rl_sink), &result, &sink_write};
    error = rl_error{};
    error.struct_size = sizeof error;
    status = g.plugin->call(instance, method.data(), method.size(), request.data(), request.size(),
                            &sink, &error);
    return result;
}

std::int64_t data_version(sqlite3* db) {
    sqlite3_stmt* statement = nullptr;
    std::int64_t version = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
        version = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
    return version;
}

void restore_seeded_database() {
    sqlite3_backup* backup = sqlite3_backup_init(g.live, "main", g.seeded, "main");
    if (backup == nullptr || sqlite3_backup_step(backup, -1) != SQLITE_DONE ||
        sqlite3_backup_finish(backup) != SQLITE_OK) {
        finding(std::string("setup: cannot restore the seeded database: ") +
                sqlite3_errmsg(g.live));
    }
    g.data_version = data_version(g.live);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    rl_error error{};
    error.struct_size = sizeof error;
    if (reform_ledger_entry_v1(RL_ABI_VERSION_MAJOR, RL_ABI_VERSION_MINOR, &g.plugin, &error) !=
        RL_OK) {
        finding(std::string("setup: entry failed: ") + error.message);
    }
    const char* ignore = std::getenv("RL_FUZZ_IGNORE_MESSAGE_UTF8");
    g.ignore_message_utf8 = ignore != nullptr && std::string(ignore) == "1";
    const std::string dir = rl::fuzz::scratch_dir("rl-fuzz-abi");
    const std::string notifications =
        "\"notifications\":{\"channels\":[{\"name\":\"oa\",\"kind\":\"webhook\","
        "\"url\":\"http://127.0.0.1:1/messages\",\"secret\":"
        "\"whsec_ZnV6emluZyB0aGUgcmVmb3JtIGxlZGdlciBBQkkgcmVxdWVzdHM=\"}],"
        "\"worker\":{\"enabled\":false}}";

    // The seeded database: migrated, the seed plan imported.
    const std::string seeded_path = dir + "/seeded.db";
    rl_instance* seeding = create(rl::fuzz::demo_config_json(seeded_path, notifications));
    const std::string seeding_calls[][2] = {
        {"plan.import",
         "{\"actor\":\"u-sigaiban-head\",\"path\":" + rl::fuzz::json_string(RL_SEED_PLAN) + "}"},
        {"report.act",
         "{\"action\":\"save_draft\",\"actor\":\"u-xingting-contact\",\"task\":\"33\","
         "\"department\":\"刑庭\",\"period\":\"2019-10\",\"content\":{\"progress_summary\":"
         "\"初稿形成。\",\"percent_complete\":60}}"},
        {"report.act",
         "{\"action\":\"submit\",\"actor\":\"u-xingting-contact\",\"task\":\"33\","
         "\"department\":\"刑庭\",\"period\":\"2019-10\",\"version\":1}"},
        {"supervision.issue",
         "{\"task\":\"2\",\"department\":\"干部科\",\"actor\":\"u-sigaiban-head\","
         "\"content\":\"请说明逾期原因。\"}"},
        {"notify.sweep", "{}"},
        {"urge",
         "{\"task\":\"1\",\"department\":\"干部科\",\"period\":\"2019-10\","
         "\"actor\":\"u-sigaiban-head\"}"},
    };
    for (const auto& [method, request] : seeding_calls) {
        rl_status status = RL_OK;
        const std::string result = call(seeding, method, request, status, error);
        const bool refused = result.find("\"outcome\"") != std::string::npos &&
                             result.find("\"outcome\":\"ok\"") == std::string::npos;
        if (status != RL_OK || refused) {
            finding("setup: " + method + " " + request + " failed: " + error.message + result);
        }
    }
    g.plugin->destroy(seeding);

    const std::string live_path = dir + "/live.db";
    g.instance = create(rl::fuzz::demo_config_json(live_path, notifications));
    if (sqlite3_open_v2(seeded_path.c_str(), &g.seeded, SQLITE_OPEN_READONLY, nullptr) !=
            SQLITE_OK ||
        sqlite3_open_v2(live_path.c_str(), &g.live, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        finding("setup: cannot open the fuzzing databases in " + dir);
    }
    sqlite3_busy_timeout(g.live, 5000);
    restore_seeded_database();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = input.find('\n');
    const std::string_view method = input.substr(0, newline);
    const std::string_view request =
        newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

    rl_status status = RL_OK;
    rl_error error{};
    const std::string result = call(g.instance, method, request, status, error);

    if (status == RL_OK) {
        if (!rl::core::utf8::is_valid(result)) {
            finding("an RL_OK result is not valid UTF-8");
        }
        rapidjson::Document doc;
        doc.Parse<rapidjson::kParseIterativeFlag>(result.data(), result.size());
        if (doc.HasParseError()) {
            finding(std::string("an RL_OK result is not JSON: ") +
                    rapidjson::GetParseError_En(doc.GetParseError()));
        }
    } else {
        const void* end = std::memchr(error.message, '\0', sizeof error.message);
        if (end == nullptr) {
            finding("an error message is not NUL-terminated");
        }
        const std::string_view message(error.message,
                                       static_cast<const char*>(end) - error.message);
        if (status == RL_ERR_INTERNAL) {
            finding("RL_ERR_INTERNAL: " + std::string(message));
        }
        if (!g.ignore_message_utf8 && !rl::core::utf8::is_valid(message)) {
            finding("an error message is not valid UTF-8: " + std::string(message));
        }
    }

    if (data_version(g.live) != g.data_version) {
        restore_seeded_database();
    }
    return 0;
}
