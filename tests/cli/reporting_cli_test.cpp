// The reporting commands of oa-stub as a user runs them: the real executable,
// the real plugin, a SQLite file in a temporary folder, court time set with
// --now.
#include <gtest/gtest.h>

// First: it makes rapidjson throw, and must precede any other rapidjson include.
#include "cli/oa_stub_helpers.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace {

using rl::test::CommandResult;
using rl::test::oa_stub::describe;
using rl::test::oa_stub::OaStubFixture;
using rl::test::oa_stub::to_json;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

rapidjson::Document json_of(const CommandResult& r) {
    rapidjson::Document doc;
    doc.Parse(r.out.data(), r.out.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        throw std::runtime_error("stdout is not a JSON object:\n" + describe(r));
    }
    return doc;
}

const rapidjson::Value* find_by(const rapidjson::Value& list, const char* key,
                                const std::string& value) {
    for (const auto& v : list.GetArray()) {
        if (v[key].GetString() == value) {
            return &v;
        }
    }
    return nullptr;
}

class ReportingCli : public OaStubFixture {
protected:
    // oa-stub report ACTION for task 33 of 刑庭, period 2019-10, at court time now.
    CommandResult report(const std::string& action, const std::string& user,
                         std::vector<std::string> more = {}, const std::string& now = "2019-11-04",
                         const std::string& department = "刑庭") {
        std::vector<std::string> args = {"report",       action,     "--task",   "33",
                                         "--department", department, "--period", "2019-10",
                                         "--user",       user,       "--now",    now};
        args.insert(args.end(), more.begin(), more.end());
        return run(args);
    }
    int version() {
        const CommandResult r =
            run({"report", "show", "--user", "u-sigaiban-head", "--task", "33", "--department",
                 "刑庭", "--period", "2019-10", "--now", "2019-11-04", "--json"});
        EXPECT_EQ(r.status, 0) << describe(r);
        const auto doc = json_of(r);
        const auto& report = doc["obligation"]["report"];
        return report.IsObject() ? report["version"].GetInt() : 0;
    }
};

const std::vector<std::string> kCo33 = {"民庭", "行政庭（综合审判庭）", "执行指挥中心", "立案庭",
                                        "技术科"};

// ------------------------------------------------------------ calendar

TEST_F(ReportingCli, CalendarWorkdaysAroundNationalDay2019PrintsExactlyTheSevenWorkingDays) {
    const CommandResult r = run({"calendar", "workdays", "2019-09-28", "2019-10-13"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_EQ(r.out,
              "2019-09-29\n2019-09-30\n2019-10-08\n2019-10-09\n2019-10-10\n2019-10-11\n"
              "2019-10-12\n");
    EXPECT_EQ(r.err, "");
}

TEST_F(ReportingCli, CalendarWorkdaysWithoutHolidayDataWarnsOnStderrAndBadDatesFail) {
    const CommandResult r = run({"calendar", "workdays", "2021-09-27", "2021-10-08"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.err, "warning")) << describe(r);
    EXPECT_TRUE(contains(r.err, "2021")) << describe(r);
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 10);

    const CommandResult bad = run({"calendar", "workdays", "2019-02-30", "2019-03-05"});
    EXPECT_EQ(bad.status, 1) << describe(bad);
    EXPECT_TRUE(contains(bad.err, "2019-02-30")) << describe(bad);
    const CommandResult usage = run({"calendar", "workdays", "2019-10-01"});
    EXPECT_EQ(usage.status, 2) << describe(usage);
}

TEST_F(ReportingCli, CalendarDaySaysAMakeUpSaturdayIsAWorkingDayAndNationalDayIsNot) {
    const CommandResult r = run({"calendar", "day", "2019-10-12"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "2019-10-12")) << r.out;
    EXPECT_TRUE(contains(r.out, "星期六")) << r.out;
    EXPECT_TRUE(contains(r.out, "working day")) << r.out;
    EXPECT_FALSE(contains(r.out, "day off")) << r.out;
    const CommandResult holiday = run({"calendar", "day", "2019-10-01"});
    ASSERT_EQ(holiday.status, 0) << describe(holiday);
    EXPECT_TRUE(contains(holiday.out, "day off")) << holiday.out;
    EXPECT_FALSE(contains(holiday.out, "working day")) << holiday.out;
}

// ------------------------------------------------------------ a report through the CLI

TEST_F(ReportingCli, DraftSubmitRefusalAuditInboxStatusAndLedgerFromTheCommandLine) {
    import_seed();
    {
        const CommandResult r = report("draft", "u-xingting-contact",
                                       {"--summary", "刑事审判流程标准初稿。", "--percent", "50"});
        ASSERT_EQ(r.status, 0) << describe(r);
        EXPECT_TRUE(contains(r.out, "version 1")) << r.out;
    }
    {
        const CommandResult r = report("submit", "u-xingting-contact");
        ASSERT_EQ(r.status, 0) << describe(r);
        EXPECT_TRUE(contains(r.out, "department_head")) << r.out;
        EXPECT_TRUE(contains(r.out, "version 2")) << r.out;
    }
    // The wrong user approving: exit 3, not_permitted on stderr, nothing changes.
    for (const auto& wrong : {"u-minting-head", "u-xingting-contact", "u-vp-trial", "u-nobody"}) {
        const CommandResult r = report("approve", wrong);
        EXPECT_EQ(r.status, 3) << wrong << "\n" << describe(r);
        EXPECT_TRUE(contains(r.err, "not_permitted")) << describe(r);
    }
    EXPECT_EQ(version(), 2);

    // The audit lists the two actions, in order, at court midnight (UTC 16:00 the day before).
    {
        const CommandResult r =
            run({"audit", "--user", "u-sigaiban-head", "--task", "33", "--json"});
        ASSERT_EQ(r.status, 0) << describe(r);
        const auto doc = json_of(r);
        const auto& entries = doc["entries"];
        ASSERT_EQ(entries.Size(), 2u) << r.out;
        EXPECT_EQ(std::string(entries[0]["action"].GetString()), "save_draft");
        EXPECT_EQ(std::string(entries[1]["action"].GetString()), "submit");
        for (rapidjson::SizeType i = 0; i < 2; ++i) {
            EXPECT_EQ(std::string(entries[i]["actor"].GetString()), "u-xingting-contact");
            EXPECT_EQ(std::string(entries[i]["role"].GetString()), "contact");
            EXPECT_EQ(entries[i]["report_version"].GetInt(), static_cast<int>(i) + 1);
            EXPECT_EQ(std::string(entries[i]["at"].GetString()), "2019-11-03T16:00:00.000Z");
        }
        EXPECT_EQ(std::string(entries[1]["to_step"].GetString()), "department_head");
    }
    // The head's inbox shows the report waiting.
    {
        const CommandResult r =
            run({"inbox", "--user", "u-xingting-head", "--now", "2019-11-05", "--json"});
        ASSERT_EQ(r.status, 0) << describe(r);
        const auto doc = json_of(r);
        ASSERT_EQ(doc["items"].Size(), 1u) << r.out;
        const auto& item = doc["items"][0];
        EXPECT_EQ(std::string(item["waiting_for"].GetString()), "approve");
        EXPECT_EQ(std::string(item["obligation"]["task"].GetString()), "33");
        EXPECT_EQ(std::string(item["obligation"]["department"].GetString()), "刑庭");
        EXPECT_EQ(std::string(item["obligation"]["report"]["step"].GetString()), "department_head");
    }
    // Status after the due date: 33 in approval, the untouched task 1 overdue.
    {
        const CommandResult r = run({"status", "--user", "u-sigaiban-head", "--period", "2019-10",
                                     "--now", "2019-11-08", "--json"});
        ASSERT_EQ(r.status, 0) << describe(r);
        const auto doc = json_of(r);
        EXPECT_EQ(std::string(doc["today"].GetString()), "2019-11-08");
        const auto* t33 = find_by(doc["tasks"], "number", "33");
        const auto* t1 = find_by(doc["tasks"], "number", "1");
        ASSERT_NE(t33, nullptr);
        ASSERT_NE(t1, nullptr);
        EXPECT_EQ(std::string((*t33)["status"].GetString()), "in_approval");
        EXPECT_EQ(std::string((*t1)["status"].GetString()), "overdue");
        const auto* xingting = find_by(doc["departments"], "name", "刑庭");
        ASSERT_NE(xingting, nullptr);
        EXPECT_EQ((*xingting)["counts"]["in_approval"].GetInt(), 1);
    }
    // The ledger has a status on every task for the period.
    {
        const CommandResult r =
            run({"ledger", "--period", "2019-10", "--now", "2019-11-08", "--json"});
        ASSERT_EQ(r.status, 0) << describe(r);
        const auto doc = json_of(r);
        EXPECT_EQ(std::string(doc["period"].GetString()), "2019-10");
        ASSERT_EQ(doc["tasks"].Size(), 45u);
        const std::set<std::string> known = {"not_started", "draft",   "in_approval",
                                             "returned",    "filed",   "overdue",
                                             "waived",      "not_due", "no_lead"};
        for (const auto& t : doc["tasks"].GetArray()) {
            EXPECT_TRUE(known.count(t["status"].GetString())) << to_json(t);
        }
        EXPECT_EQ(std::string((*find_by(doc["tasks"], "number", "33"))["status"].GetString()),
                  "in_approval");
        EXPECT_EQ(std::string((*find_by(doc["tasks"], "number", "1"))["status"].GetString()),
                  "overdue");
    }
    {
        const CommandResult r =
            run({"ledger", "--period", "2019-10", "--now", "2019-11-05", "--json"});
        ASSERT_EQ(r.status, 0) << describe(r);
        const auto doc = json_of(r);
        EXPECT_EQ(std::string((*find_by(doc["tasks"], "number", "1"))["status"].GetString()),
                  "not_started");
    }
}

TEST_F(ReportingCli, LeadReportIsFiledOnlyAfterEveryCoDepartmentReportedOrWasWaived) {
    import_seed();
    ASSERT_EQ(
        report("draft", "u-xingting-contact", {"--summary", "初稿", "--percent", "60"}).status, 0);
    ASSERT_EQ(report("submit", "u-xingting-contact").status, 0);
    ASSERT_EQ(report("approve", "u-xingting-head", {"--opinion", "同意"}).status, 0);
    // The leader returns it to the head with a reason; the head approves again.
    {
        const CommandResult r =
            report("return", "u-vp-trial", {"--reason", "请补充", "--to", "department_head"});
        ASSERT_EQ(r.status, 0) << describe(r);
        EXPECT_TRUE(contains(r.out, "department_head")) << r.out;
    }
    {
        const CommandResult r = report("return", "u-xingting-head", {});
        EXPECT_EQ(r.status, 3) << "a return needs a reason\n" << describe(r);
        EXPECT_TRUE(contains(r.err, "invalid")) << describe(r);
    }
    ASSERT_EQ(report("approve", "u-xingting-head").status, 0);
    ASSERT_EQ(report("approve", "u-vp-trial").status, 0);
    {
        const CommandResult r = report("file", "u-sigaiban-head");
        EXPECT_EQ(r.status, 3) << describe(r);
        EXPECT_TRUE(contains(r.err, "invalid")) << describe(r);
        for (const auto& co : kCo33) {
            EXPECT_TRUE(contains(r.err, co)) << co << "\n" << describe(r);
        }
    }
    // A waiver needs the reform office and a reason.
    {
        const CommandResult r =
            report("waive", "u-xingting-head", {"--reason", "无"}, "2019-11-04", "民庭");
        EXPECT_EQ(r.status, 3) << describe(r);
        EXPECT_TRUE(contains(r.err, "not_permitted")) << describe(r);
        const CommandResult no_reason =
            report("waive", "u-sigaiban-head", {}, "2019-11-04", "民庭");
        EXPECT_EQ(no_reason.status, 3) << describe(no_reason);
        EXPECT_TRUE(contains(no_reason.err, "invalid")) << describe(no_reason);
        const CommandResult lead = report("waive", "u-sigaiban-head", {"--reason", "无"});
        EXPECT_EQ(lead.status, 3) << "the lead cannot be waived\n" << describe(lead);
    }
    for (const auto& co : kCo33) {
        const CommandResult r =
            report("waive", "u-sigaiban-head", {"--reason", "本月无相关工作"}, "2019-11-04", co);
        EXPECT_EQ(r.status, 0) << co << "\n" << describe(r);
    }
    {
        const CommandResult r = report("file", "u-sigaiban-head");
        ASSERT_EQ(r.status, 0) << describe(r);
        EXPECT_TRUE(contains(r.out, "filed")) << r.out;
    }
    // 3 actions + return + approve + approve + file = 7 versions; 5 waivers audited too.
    EXPECT_EQ(version(), 7);
    const CommandResult a = run({"audit", "--user", "u-sigaiban-head", "--task", "33", "--json"});
    ASSERT_EQ(a.status, 0) << describe(a);
    const auto doc = json_of(a);
    std::map<std::string, int> actions;
    for (const auto& e : doc["entries"].GetArray()) {
        ++actions[e["action"].GetString()];
    }
    const std::map<std::string, int> expected = {{"save_draft", 1}, {"submit", 1}, {"approve", 3},
                                                 {"return", 1},     {"file", 1},   {"waive", 5}};
    EXPECT_EQ(actions, expected) << a.out;

    const CommandResult s = run({"status", "--user", "u-sigaiban-head", "--period", "2019-10",
                                 "--now", "2019-11-08", "--json"});
    ASSERT_EQ(s.status, 0) << describe(s);
    const auto status = json_of(s);
    EXPECT_EQ(std::string((*find_by(status["tasks"], "number", "33"))["status"].GetString()),
              "filed");
}

TEST_F(ReportingCli, RefusedContentStaleVersionAndActingForFromTheCommandLine) {
    import_seed();
    ASSERT_EQ(report("draft", "u-xingting-contact", {"--measures", "只写了措施"}).status, 0);
    {
        const CommandResult r = report("submit", "u-xingting-contact");
        EXPECT_EQ(r.status, 3) << describe(r);
        EXPECT_TRUE(contains(r.err, "progress_summary")) << describe(r);
        EXPECT_TRUE(contains(r.err, "percent_complete")) << describe(r);
    }
    {
        const CommandResult r =
            report("draft", "u-xingting-contact", {"--summary", "s", "--percent", "150"});
        EXPECT_EQ(r.status, 3) << describe(r);
        EXPECT_TRUE(contains(r.err, "percent_complete")) << describe(r);
    }
    {
        const CommandResult r = report("draft", "u-xingting-contact", {"--percent", "half"});
        EXPECT_EQ(r.status, 2) << describe(r);
    }
    {
        const CommandResult r =
            report("draft", "u-xingting-contact", {"--content-json", "{\"progress\":\"x\"}"});
        EXPECT_EQ(r.status, 3) << describe(r);
        EXPECT_TRUE(contains(r.err, "progress")) << describe(r);
    }
    EXPECT_EQ(version(), 1);
    // 代办: the head submits for the contact; the audit records both.
    {
        const CommandResult r =
            report("submit", "u-xingting-head",
                   {"--for", "u-xingting-contact", "--summary", "初稿", "--percent", "20"});
        ASSERT_EQ(r.status, 0) << describe(r);
    }
    {
        const CommandResult r = report("approve", "u-xingting-head", {"--version", "1"});
        EXPECT_EQ(r.status, 3) << describe(r);
        EXPECT_TRUE(contains(r.err, "conflict")) << describe(r);
    }
    EXPECT_EQ(version(), 2);
    const CommandResult a = run({"audit", "--user", "u-sigaiban-head", "--task", "33", "--json"});
    ASSERT_EQ(a.status, 0) << describe(a);
    const auto doc = json_of(a);
    ASSERT_EQ(doc["entries"].Size(), 2u) << a.out;
    const auto& e = doc["entries"][1];
    EXPECT_EQ(std::string(e["actor"].GetString()), "u-xingting-head");
    EXPECT_EQ(std::string(e["acting_for"].GetString()), "u-xingting-contact");
    EXPECT_EQ(std::string(e["action"].GetString()), "submit");
}

TEST_F(ReportingCli, ObligationsAndShowListTheLeadAndItsCoDepartments) {
    import_seed();
    const CommandResult r = run({"obligations", "--user", "u-sigaiban-head", "--task", "33",
                                 "--period", "2019-10", "--now", "2019-11-04", "--json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    const auto doc = json_of(r);
    ASSERT_EQ(doc["obligations"].Size(), 6u) << r.out;
    std::set<std::string> co;
    for (const auto& o : doc["obligations"].GetArray()) {
        EXPECT_EQ(std::string(o["due_date"].GetString()), "2019-11-07");
        EXPECT_EQ(std::string(o["status"].GetString()), "not_started");
        if (std::string(o["role"].GetString()) == "lead") {
            EXPECT_EQ(std::string(o["department"].GetString()), "刑庭");
        } else {
            co.insert(o["department"].GetString());
        }
    }
    EXPECT_EQ(co, std::set<std::string>(kCo33.begin(), kCo33.end()));
    ASSERT_EQ(report("draft", "u-minting-contact", {"--summary", "民庭材料", "--percent", "30"},
                     "2019-11-04", "民庭")
                  .status,
              0);
    const CommandResult show =
        run({"report", "show", "--user", "u-sigaiban-head", "--task", "33", "--department", "刑庭",
             "--period", "2019-10", "--now", "2019-11-04", "--json"});
    ASSERT_EQ(show.status, 0) << describe(show);
    const auto shown = json_of(show);
    const auto* minting = find_by(shown["co_reports"], "department", "民庭");
    ASSERT_NE(minting, nullptr) << show.out;
    EXPECT_EQ(std::string((*minting)["report"]["content"]["progress_summary"].GetString()),
              "民庭材料");
}

}  // namespace
