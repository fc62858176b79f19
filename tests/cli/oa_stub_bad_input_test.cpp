// oa-stub refuses bad input: a non-zero exit, a message naming the problem and
// the input, and the database left exactly as it was.
#include <gtest/gtest.h>

// First: it makes rapidjson throw, and must precede any other rapidjson include.
#include "cli/oa_stub_helpers.h"

#include <rapidjson/document.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace {

using rl::test::CommandResult;
using rl::test::run_command;
using rl::test::TempDir;
using rl::test::oa_stub::command_line;
using rl::test::oa_stub::describe;
using rl::test::oa_stub::OaStubFixture;
using rl::test::oa_stub::to_json;

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The seed with task 10's department 监察室 replaced by `department`.
std::string seed_with_task10_department(const std::string& department) {
    const std::string seed = rl::test::seed_plan_text();
    const auto task10 = seed.find("\n10.严格落实违法审判责任追究制度");
    if (task10 == std::string::npos) {
        throw std::runtime_error("task 10 not found in the seed");
    }
    const std::string line = "责任部门：监察室\n";
    const auto at = seed.find(line, task10);
    if (at == std::string::npos || seed.find("\n11.", task10) < at) {
        throw std::runtime_error("task 10 has no '责任部门：监察室' line");
    }
    std::string out = seed;
    return out.replace(at, line.size(), "责任部门：" + department + "\n");
}

// The observable state of a database, read through oa-stub.
struct LedgerState {
    CommandResult plans;
    CommandResult summary;
};

class OaStubBadInput : public OaStubFixture {
protected:
    LedgerState state() { return {run({"plan", "list", "--json"}), run({"summary", "--json"})}; }

    static void expect_same(const LedgerState& before, const LedgerState& after) {
        EXPECT_EQ(after.plans.status, before.plans.status);
        EXPECT_EQ(after.plans.out, before.plans.out) << "plan list changed";
        EXPECT_EQ(after.summary.status, before.summary.status);
        EXPECT_EQ(after.summary.out, before.summary.out) << "summary changed";
    }

    // A fresh database (or none at all) holds no plan.
    void expect_no_plan() {
        if (!std::filesystem::exists(db_)) {
            return;
        }
        const CommandResult r = run({"plan", "list", "--json"});
        ASSERT_EQ(r.status, 0) << describe(r);
        rapidjson::Document doc;
        doc.Parse(r.out.c_str());
        ASSERT_FALSE(doc.HasParseError()) << describe(r);
        EXPECT_EQ(doc["plans"].Size(), 0u) << r.out;
    }

    // Imports `file` (with extra options) on a database that already holds the
    // seed and on a fresh one; both must fail with `problem` and the file named
    // in the message and leave the database as it was.
    void expect_import_refused(const std::string& file, const std::vector<std::string>& problems,
                               const std::vector<std::string>& extra = {}, int exit_code = 1) {
        std::vector<std::string> args{"plan", "import", "--user", "u-sigaiban-contact", file};
        args.insert(args.end(), extra.begin(), extra.end());
        {
            SCOPED_TRACE("fresh database");
            const CommandResult r = run(args);
            EXPECT_EQ(r.status, exit_code) << describe(r);
            EXPECT_TRUE(has(r.err, file)) << "stderr must name " << file << "\n" << describe(r);
            for (const auto& p : problems) {
                EXPECT_TRUE(has(r.err, p)) << "stderr must mention '" << p << "'\n" << describe(r);
            }
            expect_no_plan();
        }
        {
            SCOPED_TRACE("database holding the seed");
            import_seed();
            const LedgerState before = state();
            ASSERT_EQ(before.summary.status, 0) << describe(before.summary);
            const CommandResult r = run(args);
            EXPECT_EQ(r.status, exit_code) << describe(r);
            EXPECT_TRUE(has(r.err, file)) << describe(r);
            expect_same(before, state());
        }
    }
};

TEST_F(OaStubBadInput, MissingPlanFileIsRefusedNamingThePath) {
    expect_import_refused(dir_.file("no-such-plan.txt"), {"cannot read", "No such file"});
}

TEST_F(OaStubBadInput, EmptyPlanFileIsRefusedAsEmpty) {
    const std::string file = dir_.file("empty.txt");
    rl::test::write_file(file, "");
    expect_import_refused(file, {"empty"});
}

TEST_F(OaStubBadInput, WhitespaceOnlyPlanFileIsRefused) {
    const std::string file = dir_.file("blank.txt");
    rl::test::write_file(file, "  \n\n\t \r\n");
    expect_import_refused(file, {"whitespace"});
}

TEST_F(OaStubBadInput, BinaryPlanFileWithNulBytesIsRefused) {
    const std::string file = dir_.file("binary.bin");
    rl::test::write_file(file, std::string("\x7F"
                                           "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"
                                           "\x03\x00\x3E\x00\x01\x00\x00\x00",
                                           24));
    expect_import_refused(file, {"binary", "NUL"});
}

TEST_F(OaStubBadInput, ZipOrDocxPlanFileIsRefusedAsZip) {
    const std::string file = dir_.file("plan.docx");
    rl::test::write_file(file, std::string("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", 14) +
                                   "[Content_Types].xml");
    expect_import_refused(file, {"zip", ".docx"});
}

TEST_F(OaStubBadInput, GbkPlanFileIsRefusedByDefaultPointingAtEncodingOption) {
    const std::string file = dir_.file("plan-gbk.txt");
    rl::test::write_file(file, rl::test::to_gbk(rl::test::seed_plan_text()));
    expect_import_refused(file, {"GBK", "--encoding"});
}

TEST_F(OaStubBadInput, GbkPlanFileImportsWithEncodingGbkAsThe45Tasks) {
    const std::string file = dir_.file("plan-gbk.txt");
    rl::test::write_file(file, rl::test::to_gbk(rl::test::seed_plan_text()));
    const CommandResult r = run(
        {"plan", "import", "--user", "u-sigaiban-contact", file, "--encoding", "gbk", "--json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    ASSERT_FALSE(doc.HasParseError()) << describe(r);
    EXPECT_EQ(doc["tasks"].GetInt(), 45);
    EXPECT_EQ(doc["sections"].GetInt(), 6);
    EXPECT_EQ(doc["items"].GetInt(), 2);
    EXPECT_STREQ(doc["plan"]["source_encoding"].GetString(), "GBK");

    // The same ledger as the UTF-8 seed gives.
    TempDir other;
    const std::string utf8_db = other.file("ledger.db");
    const CommandResult u = run_command(command_line(
        {"--db", utf8_db, "plan", "import", "--user", "u-sigaiban-contact", RL_SEED_PLAN}));
    ASSERT_EQ(u.status, 0) << describe(u);
    const CommandResult gbk_ledger = run({"ledger", "--json"});
    const CommandResult utf8_ledger =
        run_command(command_line({"--db", utf8_db, "ledger", "--json"}));
    rapidjson::Document g, f;
    g.Parse(gbk_ledger.out.c_str());
    f.Parse(utf8_ledger.out.c_str());
    ASSERT_FALSE(g.HasParseError() || f.HasParseError()) << describe(gbk_ledger);
    EXPECT_EQ(g["tasks"].Size(), 45u);
    EXPECT_EQ(to_json(g["tasks"]), to_json(f["tasks"]));
}

TEST_F(OaStubBadInput, Utf8PlanDeclaredGbkIsRefused) {
    const CommandResult r =
        run({"plan", "import", "--user", "u-sigaiban-contact", RL_SEED_PLAN, "--encoding", "gbk"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(has(r.err, RL_SEED_PLAN)) << describe(r);
    EXPECT_TRUE(has(r.err, "UTF-8")) << describe(r);
    expect_no_plan();
}

TEST_F(OaStubBadInput, UnknownEncodingIsRefusedNamingIt) {
    const CommandResult r = run(
        {"plan", "import", "--user", "u-sigaiban-contact", RL_SEED_PLAN, "--encoding", "latin1"});
    EXPECT_NE(r.status, 0) << describe(r);
    EXPECT_TRUE(has(r.err, "latin1")) << describe(r);
    expect_no_plan();
}

TEST_F(OaStubBadInput, UnknownDepartmentIsRefusedNamingItAndTheTask) {
    const std::string file = dir_.file("unknown-dept.txt");
    rl::test::write_file(file, seed_with_task10_department("不存在庭"));
    expect_import_refused(file, {"不存在庭", "task 10", "--accept-unknown"});
}

TEST_F(OaStubBadInput, UnknownDepartmentWithAcceptUnknownIsStoredAsNotInOrgChart) {
    const std::string file = dir_.file("unknown-dept.txt");
    rl::test::write_file(file, seed_with_task10_department("不存在庭"));
    const CommandResult r =
        run({"plan", "import", "--user", "u-sigaiban-contact", file, "--accept-unknown"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(has(r.out, "不存在庭")) << "the warning names the department\n" << describe(r);
    const CommandResult s = run({"summary", "--json"});
    ASSERT_EQ(s.status, 0) << describe(s);
    rapidjson::Document doc;
    doc.Parse(s.out.c_str());
    ASSERT_FALSE(doc.HasParseError()) << describe(s);
    EXPECT_EQ(doc["tasks"].GetInt(), 45);
    bool found = false;
    for (const auto& d : doc["departments"].GetArray()) {
        const std::string name = d["name"].GetString();
        if (name == "不存在庭") {
            found = true;
            EXPECT_FALSE(d["in_org_chart"].GetBool());
            EXPECT_EQ(d["lead"].GetInt(), 1);
            EXPECT_EQ(d["co"].GetInt(), 0);
        } else {
            EXPECT_TRUE(d["in_org_chart"].GetBool()) << name;
        }
    }
    EXPECT_TRUE(found) << s.out;
    const CommandResult ledger = run({"ledger", "--department", "不存在庭", "--json"});
    ASSERT_EQ(ledger.status, 0) << describe(ledger);
    rapidjson::Document rows;
    rows.Parse(ledger.out.c_str());
    ASSERT_FALSE(rows.HasParseError()) << describe(ledger);
    ASSERT_EQ(rows["tasks"].Size(), 1u) << ledger.out;
    EXPECT_STREQ(rows["tasks"][0]["number"].GetString(), "10");
}

// ------------------------------------------------------- configuration

TEST_F(OaStubBadInput, MalformedConfigurationJsonIsRefusedNamingTheFile) {
    import_seed();
    const LedgerState before = state();
    const std::string config = dir_.file("bad-config.json");
    rl::test::write_file(config, "{\"org_chart\": \"org-chart.json\", ");
    const CommandResult r =
        run_command(command_line({"--db", db_, "--config", config, "plan", "import", "--user",
                                  "u-sigaiban-contact", RL_SEED_PLAN}));
    EXPECT_NE(r.status, 0) << describe(r);
    EXPECT_TRUE(has(r.err, config)) << describe(r);
    EXPECT_TRUE(has(r.err, "JSON")) << describe(r);
    expect_same(before, state());
}

TEST_F(OaStubBadInput, MissingConfigurationFileIsRefusedNamingTheFile) {
    const std::string config = dir_.file("no-such-config.json");
    const CommandResult r = run_command(command_line({"--db", db_, "--config", config, "info"}));
    EXPECT_NE(r.status, 0) << describe(r);
    EXPECT_TRUE(has(r.err, config)) << describe(r);
    EXPECT_FALSE(std::filesystem::exists(db_));
}

TEST_F(OaStubBadInput, OrgChartGroupListingUnknownDepartmentIsRefused) {
    import_seed();
    const LedgerState before = state();
    rapidjson::Document chart;
    chart.Parse(rl::test::demo_org_chart_json().c_str());
    ASSERT_FALSE(chart.HasParseError());
    chart["groups"][0]["members"].PushBack(rapidjson::Value("幽灵庭", chart.GetAllocator()),
                                           chart.GetAllocator());
    const std::string config = dir_.file("group-config.json");
    rl::test::write_file(config, "{\"org_chart\":" + to_json(chart) + "}");
    const CommandResult r =
        run_command(command_line({"--db", db_, "--config", config, "plan", "import", "--user",
                                  "u-sigaiban-contact", RL_SEED_PLAN}));
    EXPECT_NE(r.status, 0) << describe(r);
    EXPECT_TRUE(has(r.err, "org_chart.groups")) << describe(r);
    EXPECT_TRUE(has(r.err, "幽灵庭")) << describe(r);
    expect_same(before, state());
}

// ------------------------------------------------------------ database

TEST_F(OaStubBadInput, UnwritableDatabasePathExits1NamingThePath) {
    RL_SKIP_ON_POSTGRESQL("a SQLite file path that cannot be a file: PostgreSQL has no file");
    const std::string afile = dir_.file("afile");
    rl::test::write_file(afile, "not a directory\n");
    const std::string db = afile + "/ledger.db";
    const CommandResult r = run_command(
        command_line({"--db", db, "plan", "import", "--user", "u-sigaiban-contact", RL_SEED_PLAN}));
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(has(r.err, db)) << describe(r);
    EXPECT_EQ(rl::test::read_file(afile), "not a directory\n");
}

TEST_F(OaStubBadInput, DatabasePathThatIsADirectoryExits1NamingThePath) {
    RL_SKIP_ON_POSTGRESQL("a SQLite file path that cannot be a file: PostgreSQL has no file");
    const std::string db = dir_.file("adir");
    std::filesystem::create_directories(db);
    const CommandResult r = run_command(command_line({"--db", db, "info"}));
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(has(r.err, db)) << describe(r);
}

// ---------------------------------------------------------------- usage

TEST_F(OaStubBadInput, UnknownCommandExits2NamingIt) {
    const CommandResult r = run({"frobnicate"});
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(has(r.err, "frobnicate")) << describe(r);
    EXPECT_FALSE(std::filesystem::exists(db_)) << "a usage error touches no database";
}

TEST_F(OaStubBadInput, UnknownOptionExits2NamingIt) {
    const CommandResult r = run({"ledger", "--frobnicate"});
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(has(r.err, "--frobnicate")) << describe(r);
    EXPECT_FALSE(std::filesystem::exists(db_));
}

TEST_F(OaStubBadInput, OptionWithoutValueExits2) {
    const CommandResult r = run({"ledger", "--department"});
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(has(r.err, "--department")) << describe(r);
}

TEST_F(OaStubBadInput, NoCommandExits2) {
    const CommandResult r = run({});
    EXPECT_EQ(r.status, 2) << describe(r);
}

TEST_F(OaStubBadInput, PlanImportWithoutFileExits2) {
    const CommandResult r = run({"plan", "import"});
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(has(r.err, "usage")) << describe(r);
}

}  // namespace
