// Reminders on a task's own deadline (完成时限) through the real plugin's C ABI:
// the sweep reminds the lead department before the deadline in force and on
// it, chases it every N working days once overdue, escalates to its leader in
// charge once, queues nothing twice when run again, moves everything to the
// new date when an extension is approved, and leaves a task alone while its
// closure (办结申请) is in approval. The messages are counted in the ledger's
// notification tables (a webhook channel to the stub's MessageReceiver).
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "abi_test_helpers.h"
#include "message_receiver.h"
#include "plugin_host.h"
#include "reform_ledger.h"
#include "support/test_support.h"

using oa_stub::PluginHost;
using rl::test::TempDir;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)

const std::string kContact = "u-xingting-contact";
const std::string kHead = "u-xingting-head";
const std::string kLeader = "u-vp-trial";  // in charge of 刑庭, task 33's lead
const std::string kOffice = "u-sigaiban-head";

class TaskReminders : public ::testing::Test {
protected:
    void open(const std::string& rules = "") {
        receiver_.start();
        // Monday 2019-11-04.
        open_plugin(host_, court_ms(2019, 11, 4),
                    "{\"database\":" + rl::test::database_json(db_) +
                        ",\"org_chart\":" + rl::test::demo_org_chart_json() +
                        ",\"options\":{\"reporting\":{\"cycle\":\"monthly\",\"due_working_day\":5}}"
                        ",\"notifications\":{\"channels\":[{\"name\":\"oa\",\"kind\":\"webhook\","
                        "\"url\":" +
                        q(receiver_.url()) + ",\"secret\":" + q(kSecret) +
                        "}],\"worker\":{\"enabled\":false}" + rules + "}}");
    }
    Doc call(const std::string& method, const std::string& request) {
        return parse_json(host_.call(method, request));
    }
    void set_deadline(const std::string& due) {
        const Doc d = call("task.deadline.set", Req()
                                                    .s("task", "33")
                                                    .s("actor", kOffice)
                                                    .s("due", due)
                                                    .s("reason", "院党组会议确定")
                                                    .str());
        ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    }
    Doc sweep(std::int64_t at) {
        host_.set_clock(at);
        return call("notify.sweep", "{}");
    }
    using Items = std::multiset<std::pair<std::string, std::string>>;
    // The task items (rule, recipient id) queued in the outbox since the last
    // call, read from the ledger's notification tables.
    Items queued_task_items() {
        const auto rows = rl::test::sql_rows(
            db_,
            "SELECT i.dedupe_key, i.rule, n.recipient FROM notification_items i"
            " JOIN notifications n ON n.id = i.notification_id WHERE i.rule LIKE 'task%'",
            true);
        Items out;
        for (const auto& row : rows) {
            if (seen_.insert(row.at(0)).second) {
                const std::string& recipient = row.at(2);
                out.insert({row.at(1), recipient.substr(recipient.find(':') + 1)});
            }
        }
        return out;
    }
    int task_items_in_outbox() {
        return static_cast<int>(
            rl::test::sql_rows(
                db_, "SELECT dedupe_key FROM notification_items WHERE rule LIKE 'task%'", true)
                .size());
    }

    TempDir dir_;
    std::string db_ = dir_.file("ledger.db");
    oa_stub::MessageReceiver receiver_{kSecret};
    PluginHost host_;
    std::set<std::string> seen_;
};

TEST_F(TaskReminders, TheSweepRemindsBeforeOnAndAfterTheDeadlineAndEscalatesOnce) {
    open();
    set_deadline("2019-11-15");  // a Friday
    // Thursday the 7th: six working days left, more than the five of the rule.
    Doc d = sweep(court_ms(2019, 11, 7, 10));
    EXPECT_EQ(num(d, "tasks_checked"), 0) << dump(d);
    EXPECT_EQ(queued_task_items(), Items{});
    // Friday the 8th: five working days left (11th to 15th).
    d = sweep(court_ms(2019, 11, 8, 10));
    EXPECT_EQ(num(d, "tasks_checked"), 1) << dump(d);
    EXPECT_EQ(queued_task_items(), (Items{{"task_before_due", "刑庭"}}));
    // Again the same day and the next working day: nothing new.
    sweep(court_ms(2019, 11, 8, 16));
    sweep(court_ms(2019, 11, 11, 10));
    EXPECT_EQ(queued_task_items(), Items{});
    // Friday the 15th: due today.
    sweep(court_ms(2019, 11, 15, 10));
    EXPECT_EQ(queued_task_items(), (Items{{"task_due_today", "刑庭"}}));
    // Monday the 18th: one working day overdue.
    sweep(court_ms(2019, 11, 18, 10));
    EXPECT_EQ(queued_task_items(), (Items{{"task_overdue", "刑庭"}}));
    // The 19th and 20th: within the three working days of the repeat.
    sweep(court_ms(2019, 11, 19, 10));
    sweep(court_ms(2019, 11, 20, 10));
    EXPECT_EQ(queued_task_items(), Items{});
    // Thursday the 21st: four working days overdue — chased again.
    sweep(court_ms(2019, 11, 21, 10));
    EXPECT_EQ(queued_task_items(), (Items{{"task_overdue", "刑庭"}}));
    // Friday the 22nd: five working days overdue — 刑庭's leader in charge is told, once.
    sweep(court_ms(2019, 11, 22, 10));
    EXPECT_EQ(queued_task_items(), (Items{{"task_escalation", kLeader}}));
    const int before = task_items_in_outbox();
    sweep(court_ms(2019, 11, 22, 15));
    sweep(court_ms(2019, 11, 22, 15));
    EXPECT_EQ(task_items_in_outbox(), before);
    EXPECT_EQ(queued_task_items(), Items{});
    // What the leader receives names the task and how late it is.
    const auto lines = rl::test::sql_rows(
        db_,
        "SELECT n.body FROM notification_items i JOIN notifications n ON n.id = i.notification_id"
        " WHERE i.rule = 'task_escalation'",
        true);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_TRUE(contains(lines[0].at(0), "任务33")) << lines[0].at(0);
    EXPECT_TRUE(contains(lines[0].at(0), "已逾期5个工作日")) << lines[0].at(0);

    // An extension approved: the reminders follow the new date (Tuesday
    // 2019-12-31) and start afresh.
    host_.set_clock(court_ms(2019, 11, 22, 16));
    d = call("task.extension.request", Req()
                                           .s("task", "33")
                                           .s("actor", kContact)
                                           .s("due", "2019-12-31")
                                           .s("reason", "需与省院系统对接")
                                           .str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    const int id = num(at(d, "extension"), "id");
    // Requested, not yet approved: the old deadline still holds.
    sweep(court_ms(2019, 11, 25, 10));  // six working days late: the same chase as on the 21st
    EXPECT_EQ(queued_task_items(), Items{});
    sweep(court_ms(2019, 11, 26, 10));  // seven: the third chase
    EXPECT_EQ(queued_task_items(), (Items{{"task_overdue", "刑庭"}}));
    ASSERT_EQ(str(call("task.extension.act",
                       Req().i("id", id).s("action", "approve").s("actor", kLeader).str()),
                  "outcome"),
              "ok");
    ASSERT_EQ(str(call("task.extension.act",
                       Req().i("id", id).s("action", "approve").s("actor", kOffice).str()),
                  "outcome"),
              "ok");
    d = sweep(court_ms(2019, 11, 29, 10));  // ten: the fourth chase under the old date
    EXPECT_EQ(num(d, "tasks_checked"), 0) << dump(d);
    EXPECT_EQ(queued_task_items(), Items{});
    // Tuesday 2019-12-24: five working days before the new date.
    sweep(court_ms(2019, 12, 24, 10));
    EXPECT_EQ(queued_task_items(), (Items{{"task_before_due", "刑庭"}}));
    sweep(court_ms(2019, 12, 31, 10));
    EXPECT_EQ(queued_task_items(), (Items{{"task_due_today", "刑庭"}}));
    EXPECT_TRUE(at(call("audit.verify", "{}"), "ok").GetBool());
}

TEST_F(TaskReminders, ATaskWhoseClosureIsInApprovalOrThatIsClosedIsNotChased) {
    open(",\"rules\":{\"task_before_due_working_days\":1}");
    set_deadline("2019-11-15");
    // Wednesday the 13th: two working days left, more than the one configured.
    sweep(court_ms(2019, 11, 13, 10));
    EXPECT_EQ(queued_task_items(), Items{});
    sweep(court_ms(2019, 11, 14, 10));
    EXPECT_EQ(queued_task_items(), (Items{{"task_before_due", "刑庭"}}));

    // 刑庭 applies for closure (办结申请) on the 14th: while it is in approval,
    // the deadline passes without reminders.
    host_.set_clock(court_ms(2019, 11, 14, 11));
    ASSERT_EQ(str(call("task.close",
                       Req()
                           .s("task", "33")
                           .s("action", "save_draft")
                           .s("actor", kContact)
                           .raw("content",
                                R"({"final_report":"标准化建设已全面完成。",)"
                                R"("evidence":[{"name":"流程标准.pdf","url":"https://oa/f/1"}]})")
                           .str()),
                  "outcome"),
              "ok");
    ASSERT_EQ(str(call("task.close", Req()
                                         .s("task", "33")
                                         .s("action", "submit")
                                         .s("actor", kContact)
                                         .i("version", 1)
                                         .str()),
                  "outcome"),
              "ok");
    Doc d = sweep(court_ms(2019, 11, 15, 10));
    EXPECT_EQ(num(d, "tasks_checked"), 0) << dump(d);
    sweep(court_ms(2019, 11, 18, 10));
    sweep(court_ms(2019, 11, 25, 10));
    EXPECT_EQ(queued_task_items(), Items{});

    // Returned to 刑庭 by its head: open again, and overdue reminders resume.
    host_.set_clock(court_ms(2019, 11, 25, 11));
    d = call("task.close", Req()
                               .s("task", "33")
                               .s("action", "return")
                               .s("actor", kHead)
                               .s("reason", "证明材料不全")
                               .s("target_step", "draft")
                               .i("version", 2)
                               .str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    d = sweep(court_ms(2019, 11, 25, 12));
    EXPECT_EQ(num(d, "tasks_checked"), 1) << dump(d);
    EXPECT_EQ(queued_task_items(), (Items{{"task_overdue", "刑庭"}, {"task_escalation", kLeader}}));
}

TEST_F(TaskReminders, AnOutOfRangeThresholdIsRefusedNamingItsKey) {
    receiver_.start();
    host_.set_clock(court_ms(2019, 11, 4));
    host_.load(RL_PLUGIN_PATH);
    std::string message;
    EXPECT_NE(status_of(
                  [&] {
                      host_.create("{\"database\":" + rl::test::database_json(db_) +
                                   ",\"org_chart\":" + rl::test::demo_org_chart_json() +
                                   ",\"notifications\":{\"rules\":{"
                                   "\"task_overdue_repeat_working_days\":0}}}");
                  },
                  &message),
              RL_OK);
    EXPECT_TRUE(contains(message, "task_overdue_repeat_working_days")) << message;
}

}  // namespace
