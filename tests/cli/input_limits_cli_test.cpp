// oa-stub passes what a user types to the plugin, and the plugin's bounds hold
// there too: an over-long reason, a period far from the plan, a javascript:
// evidence link, content JSON nested a hundred thousand deep, a supervision
// notice due in the year 9999 — each a clear message and a non-zero exit, the
// database unchanged; and a plan line the importer cannot place is a warning
// naming its line.
#include <gtest/gtest.h>

// First: it makes rapidjson throw, and must precede any other rapidjson include.
#include "cli/oa_stub_helpers.h"

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "support/test_support.h"

namespace {

using rl::test::CommandResult;
using rl::test::oa_stub::describe;
using rl::test::oa_stub::OaStubFixture;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::string repeat(const std::string& s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += s;
    }
    return out;
}

class InputLimitsCli : public OaStubFixture {
protected:
    void SetUp() override {
        import_seed();
        // October 2019's obligations exist, as in a running court.
        const CommandResult r = run({"inbox", "--user", "u-xingting-contact", "--period", "2019-10",
                                     "--now", "2019-11-04"});
        ASSERT_EQ(r.status, 0) << describe(r);
    }

    // Row counts of the tables a report action, urge or notice writes.
    std::string written() const {
        std::string out;
        for (const char* table : {"obligations", "reports", "report_versions", "audit_log", "urges",
                                  "supervision_notices"}) {
            out += std::string(table) + "=" +
                   rl::test::sql_rows(db_, std::string("SELECT count(*) FROM ") + table, true)
                       .at(0)
                       .at(0) +
                   " ";
        }
        return out;
    }

    // oa-stub report ACTION for task 33 of 刑庭 at 2019-11-04, version 0 given
    // (nothing drafted yet), so the action is the only call.
    CommandResult report(const std::string& action, const std::string& user,
                         std::vector<std::string> more, const std::string& period = "2019-10") {
        std::vector<std::string> args = {
            "report", action,   "--task", "33",    "--department", "刑庭",      "--period",
            period,   "--user", user,     "--now", "2019-11-04",   "--version", "0"};
        args.insert(args.end(), more.begin(), more.end());
        return run(args);
    }
};

TEST_F(InputLimitsCli, AReasonOverTheNoteLimitExits1NamingTheFieldAndTheLimit) {
    const std::string before = written();
    const CommandResult r = report("return", "u-xingting-head", {"--reason", repeat("理由", 1500)});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(contains(r.err, "reason")) << describe(r);
    EXPECT_TRUE(contains(r.err, "3000 characters")) << describe(r);
    EXPECT_TRUE(contains(r.err, "limits.note_chars")) << describe(r);
    EXPECT_EQ(written(), before);
}

TEST_F(InputLimitsCli, APeriodFarFromThePlanExits1NamingThePlansYears) {
    const std::string before = written();
    for (const std::string period : {"0001-01", "2030-10"}) {
        const CommandResult r =
            report("draft", "u-xingting-contact", {"--summary", "进展", "--percent", "10"}, period);
        EXPECT_EQ(r.status, 1) << describe(r);
        EXPECT_TRUE(contains(r.err, period)) << describe(r);
        EXPECT_TRUE(contains(r.err, "2017-01 to 2021-12")) << describe(r);
    }
    const CommandResult ledger = run({"ledger", "--period", "0001-01", "--now", "2019-11-04"});
    EXPECT_EQ(ledger.status, 1) << describe(ledger);
    EXPECT_TRUE(contains(ledger.err, "0001-01")) << describe(ledger);
    EXPECT_EQ(written(), before);
}

TEST_F(InputLimitsCli, AJavascriptEvidenceLinkIsRefusedAsAFieldErrorAndNothingIsStored) {
    const std::string before = written();
    const CommandResult r =
        report("draft", "u-xingting-contact",
               {"--summary", "进展", "--percent", "10", "--evidence", "截图=javascript:alert(1)"});
    EXPECT_EQ(r.status, 3) << describe(r);
    EXPECT_TRUE(contains(r.err, "evidence[0].url")) << describe(r);
    EXPECT_TRUE(contains(r.err, "http")) << describe(r);
    EXPECT_EQ(written(), before);
    const CommandResult ok = report(
        "draft", "u-xingting-contact",
        {"--summary", "进展", "--percent", "10", "--evidence", "方案=https://oa.court.local/f/1"});
    EXPECT_EQ(ok.status, 0) << describe(ok);
}

TEST_F(InputLimitsCli, ContentJsonNestedAHundredThousandDeepIsRefusedWithoutACrash) {
    const std::string before = written();
    const CommandResult r =
        report("draft", "u-xingting-contact", {"--content-json", std::string(100000, '[')});
    EXPECT_EQ(r.status, 1) << describe(r);  // not a signal: the host lives
    EXPECT_TRUE(contains(r.err, "nested more than 64 levels")) << describe(r);
    EXPECT_EQ(written(), before);
}

TEST_F(InputLimitsCli, ASupervisionNoticeDueInTheYear9999IsRefused) {
    const std::string before = written();
    const CommandResult r = run({"supervise", "issue", "--task", "33", "--department", "刑庭",
                                 "--user", "u-sigaiban-head", "--note", "请报送。", "--due",
                                 "9999-12-31", "--now", "2019-11-08"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(contains(r.err, "due_date")) << describe(r);
    EXPECT_EQ(written(), before);
}

TEST_F(InputLimitsCli, CalendarArithmeticIsBoundedToTheYearsACourtUses) {
    const CommandResult r = run({"calendar", "workdays", "2019-10-01", "9999-12-31"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(contains(r.err, "2199")) << describe(r);
    const CommandResult day = run({"calendar", "day", "0001-01-01"});
    EXPECT_EQ(day.status, 1) << describe(day);
    EXPECT_TRUE(contains(day.err, "1900")) << describe(day);
}

TEST_F(InputLimitsCli, PlanParseWarnsOfEachLineItCannotPlaceNamingTheLine) {
    const std::string path = dir_.file("plan.txt");
    rl::test::write_file(path,
                         "分工方案\n"
                         "一、推进司法责任制\n"
                         "1.加强审判团队建设。\n"
                         "责任部门：干部科\n"
                         "二、深化司法公开\n"
                         "本部分由审管办统筹。\n"
                         "2.深化裁判文书公开。\n"
                         "责任部门：审管办\n"
                         "注：黑体字为牵头部门。\n"
                         "3.注之后的任务。\n");
    const CommandResult r = run({"plan", "parse", path, "--json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    rapidjson::Document doc;
    doc.Parse(r.out.data(), r.out.size());
    ASSERT_TRUE(doc.IsObject()) << describe(r);
    std::string warnings;
    for (const auto& w : doc["warnings"].GetArray()) {
        warnings += std::string(w.GetString()) + "\n";
    }
    EXPECT_TRUE(contains(warnings, "line 6")) << warnings;
    EXPECT_TRUE(contains(warnings, "line 10")) << warnings;
}

}  // namespace
