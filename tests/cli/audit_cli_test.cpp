// `oa-stub audit verify` and the audited plan import, as a user runs them: the
// real executable and plugin on a database in a temporary folder, tampered
// with through the sqlite3 C API between commands.
#include <gtest/gtest.h>

// First: it makes rapidjson throw, and must precede any other rapidjson include.
#include "cli/oa_stub_helpers.h"

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "support/test_support.h"

namespace {

using rl::test::CommandResult;
using rl::test::sql_exec;
using rl::test::sql_rows;
using rl::test::oa_stub::describe;
using rl::test::oa_stub::OaStubFixture;
using rl::test::oa_stub::to_json;

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

void drop_all_triggers(const std::string& db) {
    rl::test::drop_all_triggers(db);
}

std::string audit_count(const std::string& db) {
    return sql_rows(db, "SELECT count(*) FROM audit_log").at(0).at(0);
}

class AuditCli : public OaStubFixture {
protected:
    rapidjson::Document json_of(const CommandResult& r) {
        rapidjson::Document doc;
        doc.Parse(r.out.data(), r.out.size());
        if (doc.HasParseError() || !doc.IsObject()) {
            ADD_FAILURE() << "not a JSON object: " << describe(r);
            doc.SetObject();
        }
        return doc;
    }
};

TEST_F(AuditCli, AfterTheDemoTheAuditTrailVerifiesAndExitsZero) {
    const CommandResult demo = run({"demo"});
    ASSERT_EQ(demo.status, 0) << describe(demo);
    const CommandResult r = run({"audit", "verify"});
    EXPECT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(has(r.out, "intact")) << describe(r);
    EXPECT_TRUE(has(r.out, audit_count(db_) + " entries")) << describe(r);

    const CommandResult j = run({"audit", "verify", "--json"});
    EXPECT_EQ(j.status, 0) << describe(j);
    const auto doc = json_of(j);
    EXPECT_TRUE(doc["ok"].GetBool()) << to_json(doc);
    EXPECT_EQ(std::to_string(doc["entries_checked"].GetInt64()), audit_count(db_));
}

TEST_F(AuditCli, ATamperedAuditTrailExitsOneNamingTheFirstBrokenEntry) {
    const CommandResult demo = run({"demo"});
    ASSERT_EQ(demo.status, 0) << describe(demo);
    drop_all_triggers(db_);
    sql_exec(db_, "UPDATE audit_log SET actor = 'u-gbk-head' WHERE id = 5");
    const CommandResult r = run({"audit", "verify"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(has(r.out, "audit entry 5 ")) << describe(r);
    EXPECT_FALSE(has(r.out, "intact")) << describe(r);

    const CommandResult j = run({"audit", "verify", "--json"});
    EXPECT_EQ(j.status, 1) << describe(j);
    const auto doc = json_of(j);
    EXPECT_FALSE(doc["ok"].GetBool());
    EXPECT_EQ(doc["first_problem"]["audit_id"].GetInt64(), 5) << to_json(doc);
}

TEST_F(AuditCli, AnEditedReportExitsOneNamingTheReport) {
    const CommandResult demo = run({"demo"});
    ASSERT_EQ(demo.status, 0) << describe(demo);
    drop_all_triggers(db_);
    sql_exec(db_, "UPDATE reports SET content = '{}' WHERE id = 1");
    const CommandResult r = run({"audit", "verify"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(has(r.out, "report 1 ")) << describe(r);
}

TEST_F(AuditCli, AuditVerifyTakesNoOtherWords) {
    const CommandResult r = run({"audit", "verify", "now"});
    EXPECT_EQ(r.status, 2) << describe(r);
    const CommandResult s = run({"audit", "check"});
    EXPECT_EQ(s.status, 2) << describe(s);
    EXPECT_TRUE(has(s.err, "verify")) << describe(s);
}

TEST_F(AuditCli, PlanImportWithoutUserIsAUsageErrorAndStoresNothing) {
    const CommandResult r = run({"plan", "import", RL_SEED_PLAN});
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(has(r.err, "--user")) << describe(r);
    const CommandResult list = run({"plan", "list", "--json"});
    ASSERT_EQ(list.status, 0) << describe(list);
    EXPECT_EQ(json_of(list)["plans"].Size(), 0u) << describe(list);
}

TEST_F(AuditCli, PlanImportBySomeoneNotInTheOrgChartExitsOne) {
    const CommandResult r = run({"plan", "import", RL_SEED_PLAN, "--user", "u-nobody"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(has(r.err, "u-nobody")) << describe(r);
}

TEST_F(AuditCli, TheAuditTrailShowsWhoImportedThePlanAndWhatChanged) {
    import_seed();
    // A plan entry belongs to no department: every member of staff may read it.
    const CommandResult r = run({"audit", "--user", "u-gbk-contact"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(has(r.out, "plan_import")) << describe(r);
    EXPECT_TRUE(has(r.out, "u-sigaiban-contact")) << describe(r);
    EXPECT_TRUE(has(r.out, "yanji-2019-plan.txt")) << describe(r);
    EXPECT_TRUE(has(r.out, "45 added")) << describe(r);

    // Importing the same file again records nothing.
    const std::string before = audit_count(db_);
    const CommandResult again = run({"plan", "import", RL_SEED_PLAN, "--user", "u-sigaiban-head"});
    ASSERT_EQ(again.status, 0) << describe(again);
    EXPECT_EQ(audit_count(db_), before);
}

TEST(AuditCliUpgrade, ALedgerFromTheSchemaBeforeTheChainVerifies) {
    RL_SKIP_ON_POSTGRESQL(
        "the schema-3 ledger is a SQLite dump; no PostgreSQL ledger predates the audit chain "
        "(PostgreSQL came with schema 6)");
    rl::test::TempDir dir;
    const std::string db = dir.file("old.db");
    sql_exec(db, rl::test::read_file(std::string(RL_FIXTURES) + "/schema-3-demo-ledger.sql"));
    const std::string entries = audit_count(db);
    const CommandResult r = rl::test::oa_stub::oa(db, {"audit", "verify"});
    EXPECT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(has(r.out, "intact")) << describe(r);
    EXPECT_TRUE(has(r.out, entries + " entries")) << describe(r);
}

}  // namespace
