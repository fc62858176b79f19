// A task's life through the real plugin (dlopen, a real SQLite file or
// PostgreSQL): state and deadline in task.get and ledger.tasks, the closure
// (办结) through its approval chain with returns and the separation of duties,
// 销号 and reopening, extension requests (延期申请), and the plan changes of
// the year (调整) — every refusal writing nothing, every change audited with
// its actor, and obligations following from the next month.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "abi_test_helpers.h"
#include "plugin_host.h"
#include "reform_ledger.h"
#include "support/test_support.h"

using oa_stub::PluginHost;
using rl::test::TempDir;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)

const std::string kContact = "u-xingting-contact";
const std::string kHead = "u-xingting-head";
const std::string kLeader = "u-vp-trial";
const std::string kOffice = "u-sigaiban-head";
const std::string kOffice2 = "u-sigaiban-contact";

class TaskLifecycle : public ::testing::Test {
protected:
    void SetUp() override {
        host_ = std::make_unique<PluginHost>();
        // Monday 2019-11-04: the 2019-10 reports are being collected.
        open_plugin(*host_, court_ms(2019, 11, 4), rl::test::plugin_config(db_));
    }
    void TearDown() override { host_->shutdown(); }

    Doc call(const std::string& method, const std::string& request) {
        return parse_json(host_->call(method, request));
    }
    Doc task(const std::string& number = "33", const std::string& user = "") {
        Req r;
        r.s("task", number);
        if (!user.empty()) {
            r.s("user", user);
        }
        Doc d = call("task.get", r.str());
        EXPECT_EQ(str(d, "outcome"), "ok");
        return d;
    }
    std::string state(const std::string& number = "33") {
        const Doc d = task(number);
        return str(at(d, "task"), "state");
    }
    int audit_entries() {
        const Doc d = call("audit.list", Req().s("user", kOffice).str());
        return static_cast<int>(arr(d, "entries").Size());
    }
    int closure_version() {
        const Doc d = task();
        const Val& c = at(at(d, "task"), "closure");
        return c.IsObject() ? num(c, "version") : 0;
    }
    Doc close(const std::string& action, const std::string& actor,
              const std::string& extra_json = "") {
        Req r;
        r.s("task", "33").s("action", action).s("actor", actor);
        if (const int v = closure_version(); v != 0) {
            r.i("version", v);
        }
        std::string body = r.str();
        if (!extra_json.empty()) {
            body = body.substr(0, body.size() - 1) + "," + extra_json + "}";
        }
        return call("task.close", body);
    }
    // Task numbers owing a report for the month, for one department or all.
    std::set<std::string> owing(const std::string& period, const std::string& department = "") {
        Req r;
        r.s("user", kOffice).s("period", period);
        if (!department.empty()) {
            r.s("department", department);
        }
        const Doc d = call("obligations.list", r.str());
        std::set<std::string> out;
        for (const auto& o : arr(d, "obligations").GetArray()) {
            out.insert(str(o, "task"));
        }
        return out;
    }
    const Val* ledger_row(const Doc& ledger, const std::string& number) {
        for (const auto& t : arr(ledger, "tasks").GetArray()) {
            if (str(t, "number") == number) {
                return &t;
            }
        }
        return nullptr;
    }
    // Expects a refusal with this outcome that wrote nothing.
    void expect_refused(const std::string& method, const std::string& request,
                        const std::string& outcome, const std::string& message_part) {
        const int before = audit_entries();
        const std::string task_before = dump(at(task(), "task"));
        const Doc d = call(method, request);
        EXPECT_EQ(str(d, "outcome"), outcome) << method << " " << request << ": " << dump(d);
        EXPECT_TRUE(contains(str(d, "message"), message_part)) << str(d, "message");
        EXPECT_EQ(audit_entries(), before) << method << " wrote to the audit trail";
        EXPECT_EQ(dump(at(task(), "task")), task_before) << method << " changed the task";
    }
    // Takes the closure from nothing to the reform office's step.
    void closure_to_reform_office() {
        ASSERT_EQ(str(close("save_draft", kContact,
                            R"("content":{"final_report":"标准化建设已全面完成。",)"
                            R"("evidence":[{"name":"流程标准.pdf","url":"https://oa/f/1"}]})"),
                      "outcome"),
                  "ok");
        ASSERT_EQ(str(close("submit", kContact), "outcome"), "ok");
        ASSERT_EQ(str(close("approve", kHead), "outcome"), "ok");
        ASSERT_EQ(str(close("approve", kLeader), "outcome"), "ok");
    }

    TempDir dir_;
    std::string db_ = dir_.file("ledger.db");
    std::unique_ptr<PluginHost> host_;
};

// ------------------------------------------------------------ item 1

TEST_F(TaskLifecycle, ATaskIsNotStartedUntilItsFirstReportIsSubmittedThenInProgress) {
    EXPECT_EQ(state(), "not_started");
    EXPECT_EQ(str(at(task(), "task"), "state_label"), "未启动");
    act_as_xingting_contact(
        *host_, "save_draft",
        Req().s("progress_summary", "已梳理流程节点。").i("percent_complete", 20).str());
    EXPECT_EQ(state(), "not_started") << "a draft is not a report";
    act_as_xingting_contact(*host_, "submit");
    EXPECT_EQ(state(), "in_progress");
    const Doc ledger = call("ledger.tasks", Req().s("period", "2019-10").str());
    const Val* row = ledger_row(ledger, "33");
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(str(*row, "state"), "in_progress");
    EXPECT_EQ(str(*row, "state_label"), "推进中");
}

TEST_F(TaskLifecycle, TheReformOfficeSetsADeadlineAndTheLedgerShowsItOverdueInWorkingDays) {
    const int before = audit_entries();
    const Doc d = call("task.deadline.set", Req()
                                                .s("task", "33")
                                                .s("actor", kOffice)
                                                .s("due", "2019-10-31")
                                                .s("reason", "院党组会议确定")
                                                .str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    const Val& t = at(d, "task");
    EXPECT_EQ(str(at(t, "deadline"), "set"), "2019-10-31");
    EXPECT_EQ(str(t, "effective_deadline"), "2019-10-31");
    EXPECT_TRUE(at(t, "overdue").GetBool());
    EXPECT_EQ(num(t, "overdue_working_days"), 2);  // Friday 1 and Monday 4 November
    EXPECT_EQ(audit_entries(), before + 1);

    const Doc ledger = call("ledger.tasks", Req().s("period", "2019-10").str());
    const Val* row = ledger_row(ledger, "33");
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(str(*row, "effective_deadline"), "2019-10-31");
    EXPECT_TRUE(at(*row, "overdue").GetBool());
    EXPECT_EQ(num(*row, "overdue_working_days"), 2);
    // The others have no deadline in this plan and are not overdue.
    const Val* other = ledger_row(ledger, "34");
    ASSERT_NE(other, nullptr);
    EXPECT_TRUE(at(*other, "effective_deadline").IsNull());
    EXPECT_FALSE(at(*other, "overdue").GetBool());

    const Doc audit = call("audit.list", Req().s("user", kOffice).s("task", "33").str());
    const Val& last = arr(audit, "entries")[arr(audit, "entries").Size() - 1];
    EXPECT_EQ(str(last, "action"), "task_deadline_set");
    EXPECT_EQ(str(last, "actor"), kOffice);
    EXPECT_EQ(str(last, "reason"), "院党组会议确定");
    EXPECT_EQ(str(at(last, "detail"), "to"), "2019-10-31");
}

TEST_F(TaskLifecycle, OnlyTheReformOfficeSetsDeadlinesWithAReasonAndAValidDate) {
    expect_refused(
        "task.deadline.set",
        Req().s("task", "33").s("actor", kHead).s("due", "2019-12-31").s("reason", "x").str(),
        "not_permitted", "reform office");
    expect_refused("task.deadline.set",
                   Req().s("task", "33").s("actor", kOffice).s("due", "2019-12-31").str(),
                   "invalid", "reason");
    std::string message;
    EXPECT_EQ(status_of(
                  [&] {
                      host_->call("task.deadline.set", Req()
                                                           .s("task", "33")
                                                           .s("actor", kOffice)
                                                           .s("due", "2019-13-01")
                                                           .s("reason", "x")
                                                           .str());
                  },
                  &message),
              RL_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(contains(message, "due")) << message;
    EXPECT_EQ(status_of([&] { host_->call("task.get", Req().s("task", "999").str()); }, &message),
              RL_ERR_NOT_FOUND);
    EXPECT_TRUE(contains(message, "999")) << message;
}

// ------------------------------------------------------------ item 2

TEST_F(TaskLifecycle, AClosureGoesThroughHeadLeaderAndReformOfficeThenOwesNoMoreReports) {
    EXPECT_TRUE(owing("2019-11", "刑庭").count("33"));
    closure_to_reform_office();
    EXPECT_EQ(state(), "closure_requested");
    EXPECT_EQ(str(at(at(task(), "task"), "closure"), "step"), "reform_office");
    const Doc filed = close("file", kOffice);
    ASSERT_EQ(str(filed, "outcome"), "ok") << dump(filed);
    const Val& t = at(filed, "task");
    EXPECT_EQ(str(t, "state"), "closed");
    EXPECT_EQ(str(t, "state_label"), "已办结");
    EXPECT_EQ(str(t, "reports_until"), "2019-10");
    EXPECT_EQ(str(at(at(t, "closure"), "content"), "final_report"), "标准化建设已全面完成。");
    // The month being reported on stays; the months after owe nothing.
    EXPECT_TRUE(owing("2019-10").count("33"));
    EXPECT_FALSE(owing("2019-11").count("33"));
    EXPECT_FALSE(owing("2019-12").count("33"));
    EXPECT_TRUE(owing("2019-11").count("34"));

    const Doc audit = call("audit.list", Req().s("user", kOffice).s("task", "33").str());
    std::vector<std::string> actions;
    for (const auto& e : arr(audit, "entries").GetArray()) {
        actions.push_back(str(e, "action") + "/" + str(e, "actor"));
    }
    const std::vector<std::string> expected = {"closure_save_draft/" + kContact,
                                               "closure_submit/" + kContact,
                                               "task_closure_requested/" + kContact,
                                               "closure_approve/" + kHead,
                                               "closure_approve/" + kLeader,
                                               "closure_file/" + kOffice,
                                               "task_closed/" + kOffice};
    EXPECT_EQ(
        std::vector<std::string>(actions.end() - static_cast<long>(expected.size()), actions.end()),
        expected);
    EXPECT_TRUE(at(call("audit.verify", "{}"), "ok").GetBool());
}

TEST_F(TaskLifecycle, TheSweepOpensTheNextMonthWithoutTheClosedTask) {
    closure_to_reform_office();
    ASSERT_EQ(str(close("file", kOffice), "outcome"), "ok");
    // Monday 2019-12-09: the sweep opens 2019-11 and stores its obligations.
    host_->set_clock(court_ms(2019, 12, 9));
    host_->call("notify.sweep");
    const auto stored = rl::test::sql_rows(
        db_,
        "SELECT COUNT(*) FROM obligations o JOIN assignments a ON a.id = o.assignment_id"
        " JOIN tasks t ON t.id = a.task_id WHERE o.period_month = '2019-11' AND t.number = '34'",
        true);
    EXPECT_NE(stored.at(0).at(0), "0") << "the sweep did not open 2019-11";
    EXPECT_FALSE(owing("2019-11").count("33"));
    EXPECT_TRUE(owing("2019-11").count("34"));
}

TEST_F(TaskLifecycle, AReturnedClosureGoesBackToInProgressAndResumesAtTheStepThatReturnedIt) {
    closure_to_reform_office();
    expect_refused("task.close",
                   Req()
                       .s("task", "33")
                       .s("action", "return")
                       .s("actor", kOffice)
                       .i("version", closure_version())
                       .str(),
                   "invalid", "reason");
    Doc d = close("return", kOffice, R"("reason":"佐证材料不全","target_step":"draft")");
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    EXPECT_EQ(str(at(d, "task"), "stage"), "open");
    EXPECT_EQ(str(at(at(d, "task"), "closure"), "state"), "returned");
    d = close("submit", kContact);
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    EXPECT_EQ(str(at(d, "task"), "state"), "closure_requested");
    EXPECT_EQ(str(at(at(d, "task"), "closure"), "step"), "reform_office");
    EXPECT_EQ(str(close("file", kOffice2), "outcome"), "ok");
    EXPECT_EQ(state(), "closed");
}

TEST_F(TaskLifecycle, ClosuresAreRefusedOutOfTurnAndAcrossTheSeparationOfDuties) {
    // Submitting needs a draft, and the draft its final report.
    expect_refused("task.close",
                   Req().s("task", "33").s("action", "submit").s("actor", kContact).str(),
                   "invalid", "save a draft");
    ASSERT_EQ(str(close("save_draft", kContact, R"("content":{"evidence":[{"name":"a.pdf"}]})"),
                  "outcome"),
              "ok");
    expect_refused("task.close",
                   Req()
                       .s("task", "33")
                       .s("action", "submit")
                       .s("actor", kContact)
                       .i("version", closure_version())
                       .str(),
                   "invalid", "final report");
    // Another department's contact does not apply for 刑庭's task.
    expect_refused("task.close",
                   Req()
                       .s("task", "33")
                       .s("action", "save_draft")
                       .s("actor", "u-minting-contact")
                       .i("version", closure_version())
                       .raw("content", R"({"final_report":"x"})")
                       .str(),
                   "not_permitted", "");
    expect_refused("task.close",
                   Req()
                       .s("task", "33")
                       .s("department", "民庭")
                       .s("action", "save_draft")
                       .s("actor", kContact)
                       .str(),
                   "invalid", "does not lead");
    closure_to_reform_office();
    // Only the reform office files; the department's head may not.
    Doc d = close("file", kHead);
    EXPECT_EQ(str(d, "outcome"), "not_permitted");
    EXPECT_EQ(state(), "closure_requested");
    // Strike and reopen only from their stages.
    expect_refused("task.strike",
                   Req().s("task", "33").s("actor", kOffice).s("reason", "完成").str(), "invalid",
                   "only a closed task");
    expect_refused("task.reopen", Req().s("task", "33").s("actor", kOffice).s("reason", "x").str(),
                   "invalid", "only a closed or struck task");
}

TEST_F(TaskLifecycle, TheReformOfficeStrikesAClosedTaskFromTheLedgerAndReopensIt) {
    closure_to_reform_office();
    ASSERT_EQ(str(close("file", kOffice), "outcome"), "ok");
    expect_refused("task.strike", Req().s("task", "33").s("actor", kHead).s("reason", "完成").str(),
                   "not_permitted", "reform office");
    expect_refused("task.strike", Req().s("task", "33").s("actor", kOffice).str(), "invalid",
                   "reason");
    Doc d =
        call("task.strike", Req().s("task", "33").s("actor", kOffice).s("reason", "经验收").str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    EXPECT_EQ(str(at(d, "task"), "state_label"), "已销号");
    EXPECT_EQ(ledger_row(call("ledger.tasks", "{}"), "33"), nullptr);
    const Doc all = call("ledger.tasks", R"({"include_struck":true})");
    ASSERT_NE(ledger_row(all, "33"), nullptr);
    EXPECT_EQ(str(*ledger_row(all, "33"), "state"), "struck");

    expect_refused("task.reopen", Req().s("task", "33").s("actor", kOffice).str(), "invalid",
                   "reason");
    d = call("task.reopen",
             Req().s("task", "33").s("actor", kOffice).s("reason", "巡视整改要求").str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    // No report of it was ever submitted: open again, and not started.
    EXPECT_EQ(str(at(d, "task"), "stage"), "open");
    EXPECT_EQ(str(at(d, "task"), "state"), "not_started");
    EXPECT_TRUE(at(at(d, "task"), "reports_until").IsNull());
    EXPECT_TRUE(owing("2019-11").count("33"));
    ASSERT_NE(ledger_row(call("ledger.tasks", "{}"), "33"), nullptr);
    // A reopened task applies again in a new round.
    d = close("save_draft", kContact, R"("content":{"final_report":"整改完成。"})");
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    EXPECT_EQ(num(at(at(d, "task"), "closure"), "round"), 2);
    EXPECT_TRUE(at(call("audit.verify", "{}"), "ok").GetBool());
}

// ------------------------------------------------------------ item 3

TEST_F(TaskLifecycle, AnExtensionIsEndorsedByTheLeaderInChargeThenApprovedByTheReformOffice) {
    ASSERT_EQ(str(call("task.deadline.set", Req()
                                                .s("task", "33")
                                                .s("actor", kOffice)
                                                .s("due", "2019-10-31")
                                                .s("reason", "初定")
                                                .str()),
                  "outcome"),
              "ok");
    expect_refused("task.extension.request",
                   Req()
                       .s("task", "33")
                       .s("actor", kContact)
                       .s("due", "2019-10-15")
                       .s("reason", "需要调研")
                       .str(),
                   "invalid", "not after today");
    expect_refused("task.extension.request",
                   Req()
                       .s("task", "33")
                       .s("actor", "u-minting-contact")
                       .s("due", "2020-03-31")
                       .s("reason", "需要调研")
                       .str(),
                   "not_permitted", "lead department");
    Doc d = call("task.extension.request", Req()
                                               .s("task", "33")
                                               .s("actor", kContact)
                                               .s("due", "2020-03-31")
                                               .s("reason", "需与省院系统对接")
                                               .str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    const int id = num(at(d, "extension"), "id");
    EXPECT_EQ(str(at(d, "extension"), "state"), "requested");
    EXPECT_EQ(str(at(d, "extension"), "from_due"), "2019-10-31");
    // One request at a time.
    expect_refused(
        "task.extension.request",
        Req().s("task", "33").s("actor", kContact).s("due", "2020-04-30").s("reason", "再议").str(),
        "invalid", "still waiting");
    // The reform office waits for the leader in charge.
    d = call("task.extension.act",
             Req().i("id", id).s("action", "approve").s("actor", kOffice).str());
    EXPECT_EQ(str(d, "outcome"), "not_permitted");
    d = call(
        "task.extension.act",
        Req().i("id", id).s("action", "approve").s("actor", kLeader).s("opinion", "同意").str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    EXPECT_EQ(str(at(d, "extension"), "state"), "endorsed");
    EXPECT_EQ(str(at(d, "task"), "effective_deadline"), "2019-10-31");
    d = call("task.extension.act",
             Req().i("id", id).s("action", "approve").s("actor", kOffice).str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    EXPECT_EQ(str(at(d, "extension"), "state"), "approved");
    EXPECT_EQ(str(at(d, "task"), "effective_deadline"), "2020-03-31");
    EXPECT_FALSE(at(at(d, "task"), "overdue").GetBool());
    EXPECT_EQ(str(at(at(d, "task"), "deadline"), "set"), "2020-03-31");

    // A second request, refused with a reason; every request is kept.
    d = call(
        "task.extension.request",
        Req().s("task", "33").s("actor", kHead).s("due", "2020-06-30").s("reason", "再延").str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    const int second = num(at(d, "extension"), "id");
    expect_refused("task.extension.act",
                   Req().i("id", second).s("action", "refuse").s("actor", kLeader).str(), "invalid",
                   "reason");
    d = call("task.extension.act", Req()
                                       .i("id", second)
                                       .s("action", "refuse")
                                       .s("actor", kLeader)
                                       .s("reason", "理由不充分")
                                       .str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    EXPECT_EQ(str(at(d, "extension"), "state"), "refused");
    EXPECT_EQ(str(at(d, "task"), "effective_deadline"), "2020-03-31");
    const Doc list = call("task.extension.list", Req().s("task", "33").str());
    ASSERT_EQ(arr(list, "extensions").Size(), 2u);
    EXPECT_EQ(str(arr(list, "extensions")[0], "state"), "approved");
    EXPECT_EQ(str(arr(list, "extensions")[1], "state"), "refused");
    EXPECT_EQ(str(arr(list, "extensions")[1], "decision_reason"), "理由不充分");
    EXPECT_TRUE(at(call("audit.verify", "{}"), "ok").GetBool());
}

// ------------------------------------------------------------ item 4

TEST_F(TaskLifecycle, TheReformOfficeAddsATaskWhoseDepartmentsOweReportsFromTheNextMonth) {
    expect_refused("task.add",
                   Req()
                       .s("section", "一")
                       .s("title", "新增任务")
                       .s("actor", kHead)
                       .raw("lead", R"(["刑庭"])")
                       .str(),
                   "not_permitted", "reform office");
    const Doc d = call("task.add", Req()
                                       .s("section", "一")
                                       .s("title", "推进量刑规范化改革")
                                       .s("text", "全面推进量刑规范化改革，2020年6月底前完成。")
                                       .s("due", "2020-06-30")
                                       .raw("lead", R"(["刑庭"])")
                                       .raw("co", R"(["审管办"])")
                                       .s("actor", kOffice)
                                       .s("reason", "院党组会议新增")
                                       .str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    const std::string number = str(at(d, "task"), "number");
    EXPECT_EQ(str(at(d, "task"), "origin"), "adjustment");
    EXPECT_EQ(str(d, "reports_from"), "2019-11");
    EXPECT_EQ(str(at(d, "task"), "effective_deadline"), "2020-06-30");
    EXPECT_FALSE(owing("2019-10").count(number));
    EXPECT_TRUE(owing("2019-11", "刑庭").count(number));
    EXPECT_TRUE(owing("2019-11", "审管办").count(number));
    const Doc ledger = call("ledger.tasks", "{}");
    ASSERT_NE(ledger_row(ledger, number), nullptr);
    EXPECT_EQ(str(*ledger_row(ledger, number), "section"), "一");
    std::string message;
    EXPECT_EQ(status_of(
                  [&] {
                      host_->call("task.add", Req()
                                                  .s("section", "一")
                                                  .s("number", "33")
                                                  .s("title", "重号")
                                                  .s("actor", kOffice)
                                                  .str());
                  },
                  &message),
              RL_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(contains(message, "33")) << message;
    EXPECT_EQ(
        status_of(
            [&] {
                host_->call(
                    "task.add",
                    Req().s("section", "九十九").s("title", "无此部分").s("actor", kOffice).str());
            },
            &message),
        RL_ERR_NOT_FOUND);
}

TEST_F(TaskLifecycle, ACancelledTaskOwesNothingAfterThisMonthAndCannotBeClosed) {
    expect_refused("task.cancel", Req().s("task", "34").s("actor", kOffice).str(), "invalid",
                   "reason");
    const Doc d = call("task.cancel",
                       Req().s("task", "34").s("actor", kOffice).s("reason", "上级部署调整").str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    EXPECT_EQ(str(at(d, "task"), "state_label"), "已撤消");
    EXPECT_TRUE(owing("2019-10").count("34"));
    EXPECT_FALSE(owing("2019-11").count("34"));
    const Doc again =
        call("task.cancel", Req().s("task", "34").s("actor", kOffice).s("reason", "x").str());
    EXPECT_EQ(str(again, "outcome"), "invalid");
}

TEST_F(TaskLifecycle, ReassigningDepartmentsKeepsThisMonthAndChangesTheNextMonths) {
    expect_refused("task.assign",
                   Req().s("task", "33").s("actor", kLeader).raw("lead", R"(["民庭"])").str(),
                   "not_permitted", "reform office");
    std::string message;
    EXPECT_EQ(status_of(
                  [&] {
                      host_->call("task.assign", Req()
                                                     .s("task", "33")
                                                     .s("actor", kOffice)
                                                     .raw("lead", R"(["刑庭","无此庭"])")
                                                     .str());
                  },
                  &message),
              RL_ERR_NOT_FOUND);
    EXPECT_TRUE(contains(message, "lead[1]")) << message;
    const Doc d = call("task.assign", Req()
                                          .s("task", "33")
                                          .s("actor", kOffice)
                                          .raw("lead", R"(["刑庭","审管办"])")
                                          .raw("co", R"(["民庭"])")
                                          .s("reason", "职能调整")
                                          .str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    EXPECT_EQ(str(d, "reports_from"), "2019-11");
    EXPECT_EQ(dump(arr(d, "added")), R"(["审管办"])");
    EXPECT_EQ(dump(arr(d, "ended")),
              R"(["行政庭（综合审判庭）","执行指挥中心","立案庭","技术科"])");
    EXPECT_EQ(dump(arr(at(d, "task"), "lead")), R"(["刑庭","审管办"])");
    EXPECT_EQ(dump(arr(at(d, "task"), "co")), R"(["民庭"])");
    // This month stays as it was; the next follows the new departments.
    EXPECT_FALSE(owing("2019-10", "审管办").count("33"));
    EXPECT_TRUE(owing("2019-10", "立案庭").count("33"));
    EXPECT_TRUE(owing("2019-11", "审管办").count("33"));
    EXPECT_FALSE(owing("2019-11", "立案庭").count("33"));
    EXPECT_TRUE(owing("2019-11", "民庭").count("33"));
    const Doc ledger = call("ledger.tasks", "{}");
    EXPECT_EQ(dump(arr(*ledger_row(ledger, "33"), "lead")), R"(["刑庭","审管办"])");
    const Doc audit = call("audit.list", Req().s("user", kOffice).s("task", "33").str());
    const Val& last = arr(audit, "entries")[arr(audit, "entries").Size() - 1];
    EXPECT_EQ(str(last, "action"), "task_assign");
    EXPECT_EQ(str(last, "actor"), kOffice);
    EXPECT_EQ(dump(arr(at(last, "detail"), "added")), R"(["审管办"])");
    EXPECT_TRUE(at(call("audit.verify", "{}"), "ok").GetBool());
}

TEST_F(TaskLifecycle, ReimportingThePlanFileKeepsTheTasksAndDepartmentsOfTheYear) {
    const Doc added = call("task.add", Req()
                                           .s("section", "一")
                                           .s("title", "推进量刑规范化改革")
                                           .raw("lead", R"(["刑庭"])")
                                           .s("actor", kOffice)
                                           .str());
    ASSERT_EQ(str(added, "outcome"), "ok") << dump(added);
    const std::string number = str(at(added, "task"), "number");
    ASSERT_EQ(str(call("task.assign", Req()
                                          .s("task", "33")
                                          .s("actor", kOffice)
                                          .raw("lead", R"(["刑庭","审管办"])")
                                          .str()),
                  "outcome"),
              "ok");
    host_->call("plan.import", seed_import_request());
    const Doc ledger = call("ledger.tasks", "{}");
    ASSERT_NE(ledger_row(ledger, number), nullptr) << "the added task was retired";
    EXPECT_EQ(dump(arr(*ledger_row(ledger, "33"), "lead")), R"(["刑庭","审管办"])");
    EXPECT_EQ(dump(arr(*ledger_row(ledger, "33"), "co")), "[]")
        << "the departments the reform office ended came back";
    EXPECT_TRUE(owing("2019-11", "审管办").count("33"));
}

}  // namespace

// ------------------------------------------------------------ the life in the other families

// The three colours follow the task's life: its effective deadline (the
// reform office's) makes it red once passed, and a closed task is settled.
TEST_F(TaskLifecycle, ColoursFollowTheEffectiveDeadlineAndAClosedTaskIsSettled) {
    ASSERT_EQ(str(call("task.deadline.set", Req()
                                                .s("task", "33")
                                                .s("actor", kOffice)
                                                .s("due", "2019-10-31")
                                                .s("reason", "市院要求提前完成")
                                                .str()),
                  "outcome"),
              "ok");
    const auto warning_of = [&](const std::string& rule_wanted) {
        const Doc ledger = call("ledger.tasks", Req().s("period", "2019-10").str());
        const Val* row = ledger_row(ledger, "33");
        EXPECT_NE(row, nullptr);
        const Val& w = at(*row, "warning");
        bool has_rule = false;
        for (const auto& r : arr(w, "reasons").GetArray()) {
            has_rule = has_rule || str(r, "rule") == rule_wanted;
        }
        EXPECT_TRUE(has_rule) << rule_wanted << ": " << dump(w);
        return str(w, "colour");
    };
    EXPECT_EQ(warning_of("deadline_passed"), "red");
    closure_to_reform_office();
    ASSERT_EQ(str(close("file", kOffice), "outcome"), "ok");
    EXPECT_EQ(warning_of("settled"), "green");
}

// A filed closure is sent for reading (抄送) to the configured readers in the
// transaction that files it; the leader in charge finds it unread.
TEST_F(TaskLifecycle, AFiledClosureIsSentForReadingToTheLeaderInCharge) {
    const auto closures_for = [&](const std::string& user) {
        const Doc d = call("reading.list", Req().s("user", user).str());
        int n = 0;
        for (const auto& item : arr(d, "items").GetArray()) {
            if (str(item, "kind") == "closure" && str(item, "task") == "33") {
                EXPECT_FALSE(at(item, "read").GetBool());
                ++n;
            }
        }
        return n;
    };
    closure_to_reform_office();
    EXPECT_EQ(closures_for(kLeader), 0) << "sent before it was filed";
    ASSERT_EQ(str(close("file", kOffice), "outcome"), "ok");
    EXPECT_EQ(closures_for(kLeader), 1);
    EXPECT_EQ(closures_for(kOffice), 0) << "the person who filed it is not its reader";
}

// 考评: a task closed by its deadline counts for its lead department
// (按期办结), toward the month being reported on when it was filed; one
// closed after its deadline does not.
TEST_F(TaskLifecycle, ATaskClosedByItsDeadlineScoresForItsLeadDepartment) {
    const auto closed_on_time = [&]() {
        const Doc s = call("scores.period", Req().s("period", "2019-10").str());
        EXPECT_TRUE(at(s, "closure_recorded").GetBool());
        for (const auto& d : arr(s, "departments").GetArray()) {
            if (str(d, "department") == "刑庭") {
                return std::make_pair(num(d, "tasks_closed_on_time"),
                                      at(at(d, "points"), "closed_on_time").GetDouble());
            }
        }
        ADD_FAILURE() << "刑庭 not scored: " << dump(s);
        return std::make_pair(-1, 0.0);
    };
    EXPECT_EQ(closed_on_time(), std::make_pair(0, 0.0));
    ASSERT_EQ(str(call("task.deadline.set", Req()
                                                .s("task", "33")
                                                .s("actor", kOffice)
                                                .s("due", "2019-12-31")
                                                .s("reason", "按计划年底前完成")
                                                .str()),
                  "outcome"),
              "ok");
    closure_to_reform_office();
    ASSERT_EQ(str(close("file", kOffice), "outcome"), "ok");
    EXPECT_EQ(closed_on_time(), std::make_pair(1, 5.0));  // the default weight: 5 points a task

    // Reopened, it no longer counts; closed again after a deadline that has
    // passed, it counts as late.
    ASSERT_EQ(str(call("task.reopen",
                       Req().s("task", "33").s("actor", kOffice).s("reason", "材料不全").str()),
                  "outcome"),
              "ok");
    EXPECT_EQ(closed_on_time(), std::make_pair(0, 0.0));
    ASSERT_EQ(str(call("task.deadline.set", Req()
                                                .s("task", "33")
                                                .s("actor", kOffice)
                                                .s("due", "2019-10-31")
                                                .s("reason", "按原定时限考核")
                                                .str()),
                  "outcome"),
              "ok");
    closure_to_reform_office();
    ASSERT_EQ(str(close("file", kOffice), "outcome"), "ok");
    EXPECT_EQ(closed_on_time(), std::make_pair(0, 0.0));
}
