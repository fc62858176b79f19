// A task's life on oa-stub's command line: the ledger's state and deadline
// columns, a deadline set and an extension decided, a closure through its
// approval chain, 销号 hiding the task from the ledger and reopening it, and
// the plan changes of the year — refusals exit 3 with the reason on stderr.
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

class TaskLifecycleCli : public OaStubFixture {
protected:
    void SetUp() override { import_seed(); }

    CommandResult task(std::vector<std::string> args) {
        args.insert(args.begin(), "task");
        args.insert(args.end(), {"--now", "2019-11-04"});
        return run(args);
    }
    void ok(std::vector<std::string> args) {
        const CommandResult r = task(args);
        ASSERT_EQ(r.status, 0) << describe(r);
    }
    rapidjson::Document show(const std::string& number) {
        const CommandResult r = task({"show", "--task", number, "--json"});
        EXPECT_EQ(r.status, 0) << describe(r);
        rapidjson::Document d;
        d.Parse(r.out.c_str());
        return d;
    }
};

TEST_F(TaskLifecycleCli, TheLedgerShowsStateAndTheDeadlineTheReformOfficeSet) {
    CommandResult r = task({"deadline", "--task", "33", "--due", "2019-10-31", "--reason",
                            "院党组会议确定", "--user", "u-xingting-head"});
    EXPECT_EQ(r.status, 3) << describe(r);
    EXPECT_TRUE(contains(r.err, "not_permitted")) << describe(r);
    ok({"deadline", "--task", "33", "--due", "2019-10-31", "--reason", "院党组会议确定", "--user",
        "u-sigaiban-head"});
    r = run({"ledger", "--now", "2019-11-04"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "进展 state")) << describe(r);
    EXPECT_TRUE(contains(r.out, "未启动")) << describe(r);
    EXPECT_TRUE(contains(r.out, "2019-10-31 逾期2个工作日")) << describe(r);
    r = task({"show", "--task", "33"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "effective 2019-10-31; 逾期 overdue 2 working days"))
        << describe(r);
}

TEST_F(TaskLifecycleCli, AnExtensionIsAskedEndorsedApprovedAndListed) {
    ok({"extend", "--task", "33", "--due", "2020-03-31", "--reason", "需与省院系统对接", "--user",
        "u-xingting-contact"});
    CommandResult r = task({"extension", "approve", "--id", "1", "--user", "u-sigaiban-head"});
    EXPECT_EQ(r.status, 3) << describe(r);
    EXPECT_TRUE(contains(r.err, "leader in charge")) << describe(r);
    ok({"extension", "approve", "--id", "1", "--user", "u-vp-trial"});
    ok({"extension", "approve", "--id", "1", "--user", "u-sigaiban-head"});
    const auto d = show("33");
    EXPECT_STREQ(d["task"]["effective_deadline"].GetString(), "2020-03-31");
    r = task({"extensions"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "approved")) << describe(r);
    EXPECT_TRUE(contains(r.out, "需与省院系统对接")) << describe(r);
}

TEST_F(TaskLifecycleCli, AClosureIsFiledThenStruckFromTheLedgerAndReopened) {
    ok({"close", "draft", "--task", "33", "--user", "u-xingting-contact", "--evidence",
        "流程标准.pdf=https://oa/f/1"});
    CommandResult r = task({"close", "submit", "--task", "33", "--user", "u-xingting-contact"});
    EXPECT_EQ(r.status, 3) << describe(r);
    EXPECT_TRUE(contains(r.err, "final report")) << describe(r);
    ok({"close", "draft", "--task", "33", "--user", "u-xingting-contact", "--final-report",
        "标准化建设已全面完成。", "--evidence", "流程标准.pdf=https://oa/f/1"});
    ok({"close", "submit", "--task", "33", "--user", "u-xingting-contact"});
    ok({"close", "approve", "--task", "33", "--user", "u-xingting-head"});
    ok({"close", "return", "--task", "33", "--user", "u-vp-trial", "--reason", "佐证不全", "--to",
        "department_head"});
    ok({"close", "approve", "--task", "33", "--user", "u-xingting-head"});
    ok({"close", "approve", "--task", "33", "--user", "u-vp-trial"});
    r = task({"close", "file", "--task", "33", "--user", "u-sigaiban-head"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "已办结")) << describe(r);

    ok({"strike", "--task", "33", "--reason", "经验收", "--user", "u-sigaiban-head"});
    r = run({"ledger", "--now", "2019-11-04"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_FALSE(contains(r.out, "加强审判执行工作标准化")) << describe(r);
    r = run({"ledger", "--include-struck", "--now", "2019-11-04"});
    EXPECT_TRUE(contains(r.out, "已销号")) << describe(r);
    r = task({"reopen", "--task", "33", "--user", "u-sigaiban-head"});
    EXPECT_EQ(r.status, 3) << describe(r);
    EXPECT_TRUE(contains(r.err, "reason")) << describe(r);
    ok({"reopen", "--task", "33", "--reason", "巡视整改", "--user", "u-sigaiban-head"});
    EXPECT_STREQ(show("33")["task"]["stage"].GetString(), "open");
    r = run({"audit", "verify"});
    EXPECT_EQ(r.status, 0) << describe(r);
}

TEST_F(TaskLifecycleCli, TheReformOfficeAddsCancelsAndReassignsTasks) {
    CommandResult r =
        task({"add", "--section", "一", "--title", "推进量刑规范化改革", "--lead", "刑庭", "--co",
              "审管办、研究室", "--due", "2020-06-30", "--user", "u-sigaiban-head", "--json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    rapidjson::Document added;
    added.Parse(r.out.c_str());
    const std::string number = added["task"]["number"].GetString();
    EXPECT_STREQ(added["reports_from"].GetString(), "2019-11");
    EXPECT_EQ(rl::test::oa_stub::to_json(added["task"]["co"]), R"(["审管办","研究室"])");
    r = run({"obligations", "--user", "u-sigaiban-head", "--period", "2019-11", "--department",
             "研究室", "--task", number, "--now", "2019-11-04"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "2019-11")) << describe(r);

    ok({"cancel", "--task", "34", "--reason", "上级部署调整", "--user", "u-sigaiban-head"});
    EXPECT_STREQ(show("34")["task"]["state_label"].GetString(), "已撤消");
    ok({"assign", "--task", "33", "--lead", "刑庭,审管办", "--user", "u-sigaiban-head"});
    EXPECT_EQ(rl::test::oa_stub::to_json(show("33")["task"]["lead"]), R"(["刑庭","审管办"])");
    r = task({"assign", "--task", "33", "--lead", "无此庭", "--user", "u-sigaiban-head"});
    EXPECT_NE(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.err, "无此庭")) << describe(r);
}

// ------------------------------------------------------------ reminders and the inbox

TEST_F(TaskLifecycleCli, TheSweepRemindsTheLeadDepartmentOfTheTasksDeadlineOnce) {
    ok({"deadline", "--task", "33", "--due", "2019-11-15", "--reason", "院党组会议确定", "--user",
        "u-sigaiban-head"});
    const auto task_items = [&] {
        return rl::test::sql_rows(db_,
                                  "SELECT i.rule, n.recipient FROM notification_items i"
                                  " JOIN notifications n ON n.id = i.notification_id"
                                  " WHERE i.rule LIKE 'task%' ORDER BY i.rule",
                                  true);
    };
    // Friday the 8th: five working days before the 15th.
    CommandResult r = run({"--now", "2019-11-08T09:00", "notify", "sweep", "--json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    rapidjson::Document d;
    d.Parse(r.out.c_str());
    ASSERT_TRUE(d.IsObject()) << describe(r);
    EXPECT_EQ(d["tasks_checked"].GetInt(), 1) << describe(r);
    auto rows = task_items();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at(0), "task_before_due");
    EXPECT_EQ(rows[0].at(1), "department:刑庭");
    // Run twice: nothing queued twice.
    r = run({"--now", "2019-11-08T15:00", "notify", "sweep"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_EQ(task_items().size(), 1u);
    // Five working days late: chased and escalated to the leader in charge.
    r = run({"--now", "2019-11-22T09:00", "notify", "sweep"});
    ASSERT_EQ(r.status, 0) << describe(r);
    rows = task_items();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1].at(0), "task_escalation");
    EXPECT_EQ(rows[1].at(1), "person:u-vp-trial");
    EXPECT_EQ(rows[2].at(0), "task_overdue");
}

TEST_F(TaskLifecycleCli, TheInboxListsExtensionRequestsAndClosuresWaitingForThePerson) {
    ok({"extend", "--task", "33", "--due", "2020-03-31", "--reason", "需与省院系统对接", "--user",
        "u-xingting-contact"});
    CommandResult r = run({"inbox", "--user", "u-vp-trial", "--now", "2019-11-04"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "Extension requests (延期申请) waiting: 1")) << describe(r);
    EXPECT_TRUE(contains(r.out, "需与省院系统对接")) << describe(r);
    EXPECT_TRUE(contains(r.out, "leader_in_charge")) << describe(r);
    r = run({"inbox", "--user", "u-sigaiban-head", "--now", "2019-11-04"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_FALSE(contains(r.out, "Extension requests")) << describe(r);
    ok({"extension", "approve", "--id", "1", "--user", "u-vp-trial"});
    r = run({"inbox", "--user", "u-sigaiban-head", "--now", "2019-11-04", "--json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    rapidjson::Document d;
    d.Parse(r.out.c_str());
    ASSERT_TRUE(d.IsObject()) << describe(r);
    ASSERT_EQ(d["extensions"].Size(), 1u) << describe(r);
    EXPECT_STREQ(d["extensions"][0]["waiting_for"].GetString(), "reform_office");

    ok({"close", "draft", "--task", "33", "--user", "u-xingting-contact", "--final-report",
        "标准化建设已全面完成。", "--evidence", "流程标准.pdf=https://oa/f/1"});
    ok({"close", "submit", "--task", "33", "--user", "u-xingting-contact"});
    r = run({"inbox", "--user", "u-xingting-head", "--now", "2019-11-04"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "Closures (办结申请) waiting: 1")) << describe(r);
    EXPECT_TRUE(contains(r.out, "approve")) << describe(r);
    r = run({"inbox", "--user", "u-xingting-contact", "--now", "2019-11-04"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_FALSE(contains(r.out, "Closures")) << describe(r);
    r = run({"inbox", "--user", "u-nobody", "--now", "2019-11-04"});
    EXPECT_NE(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.err, "u-nobody")) << describe(r);
}

TEST_F(TaskLifecycleCli, TheSweepRecordsADeadlineEscalationOnceAndChasesAnExtensionRequest) {
    // The deadline in force is Friday 2019-10-25; 刑庭 asks for more time on Monday 11-04.
    ok({"deadline", "--task", "33", "--due", "2019-10-25", "--reason", "院党组会议确定", "--user",
        "u-sigaiban-head"});
    ok({"extend", "--task", "33", "--due", "2020-03-31", "--reason", "需与省院系统对接", "--user",
        "u-xingting-contact"});
    EXPECT_TRUE(show("33")["task"]["escalated_at"].IsNull());
    // Thursday 11-07: the deadline is nine working days late, the request has
    // waited three working days for the leader in charge.
    CommandResult r = run({"--now", "2019-11-07T09:00", "notify", "sweep"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out,
                         "Tasks: 1 deadlines checked, 1 deadline escalations recorded, 1 "
                         "closure applications and extension requests in approval checked"))
        << describe(r);
    const auto d = show("33");
    ASSERT_TRUE(d["task"]["escalated_at"].IsString()) << rl::test::oa_stub::to_json(d);
    // What a person reads: the task and its row in the ledger say it was escalated.
    r = run({"--now", "2019-11-07T10:00", "task", "show", "--task", "33"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "已升级 escalated to the leaders in charge 2019-11-07 09:"))
        << describe(r);
    r = run({"--now", "2019-11-07T10:00", "ledger", "--department", "刑庭"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "逾期9个工作日 已升级")) << describe(r);
    const auto rows = rl::test::sql_rows(db_,
                                         "SELECT i.rule, n.recipient FROM notification_items i"
                                         " JOIN notifications n ON n.id = i.notification_id"
                                         " WHERE i.rule LIKE 'extension%'",
                                         true);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at(0), "extension_waiting");
    EXPECT_EQ(rows[0].at(1), "person:u-vp-trial");
    // Again: nothing recorded twice.
    r = run({"--now", "2019-11-07T15:00", "notify", "sweep", "--json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    rapidjson::Document again;
    again.Parse(r.out.c_str());
    ASSERT_TRUE(again.IsObject()) << describe(r);
    EXPECT_EQ(again["task_escalations"].GetInt(), 0) << describe(r);
    EXPECT_EQ(again["task_approvals_checked"].GetInt(), 1) << describe(r);
    EXPECT_EQ(rl::test::sql_rows(db_, "SELECT id FROM task_escalations", true).size(), 1u);
}

}  // namespace
