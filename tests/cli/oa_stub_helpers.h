// Shared by the oa-stub suites: rapidjson set up to throw instead of abort,
// the oa-stub command line run in a clean environment, and a fixture running
// it on a database in a temporary folder.
//
// Include this before anything else that includes rapidjson.
#pragma once

#include <stdexcept>

#if defined(RAPIDJSON_RAPIDJSON_H_)
#error "include cli/oa_stub_helpers.h before any rapidjson header"
#endif

// A malformed or unexpected oa-stub output must fail the test, not abort the
// whole binary: rapidjson's assertions throw, and GoogleTest reports the throw.
#include "support/rapidjson_throws.h"  // before rapidjson

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "support/test_support.h"

namespace rl::test::oa_stub {

// Environment variables that would change oa-stub's defaults are removed so
// the machine running the tests cannot influence them.
inline const std::string kCleanEnv =
    "env -u REFORM_LEDGER_DB -u REFORM_LEDGER_CONFIG -u REFORM_LEDGER_PLUGIN ";

// The shell command running oa-stub with args, in the clean environment; on
// PostgreSQL, `--db DB` names DB's schema there (rl::test::oa_stub_arguments).
inline std::string command_line(const std::vector<std::string>& args) {
    std::string cmd = kCleanEnv + shell_quote(RL_OA_STUB);
    for (const auto& a : oa_stub_arguments(args)) {
        cmd += " " + shell_quote(a);
    }
    return cmd;
}

// oa-stub --db DB ARGS…
inline CommandResult oa(const std::string& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db});
    return run_command(command_line(args));
}

// A result for a failure message: the exit status, the start of stdout, stderr.
inline std::string describe(const CommandResult& r) {
    return "exit " + std::to_string(r.status) + "\n--- stdout ---\n" + r.out.substr(0, 4000) +
           "\n--- stderr ---\n" + r.err;
}

inline std::string to_json(const rapidjson::Value& v) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    v.Accept(w);
    return buffer.GetString();
}

// oa-stub run on dir_/ledger.db (never the default database).
class OaStubFixture : public ::testing::Test {
protected:
    TempDir dir_;
    const std::string db_ = dir_.file("ledger.db");

    CommandResult run(std::vector<std::string> args) { return oa(db_, std::move(args)); }

    void import_seed() {
        const CommandResult r =
            run({"plan", "import", "--user", "u-sigaiban-contact", RL_SEED_PLAN});
        ASSERT_EQ(r.status, 0) << describe(r);
    }
};

}  // namespace rl::test::oa_stub
