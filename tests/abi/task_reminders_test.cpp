// Reminders on a task's own deadline (完成时限) through the real plugin's C ABI:
// the sweep reminds the lead department before the deadline in force and on
// it, chases it every N working days once overdue, escalates to its leader in
// charge once, queues nothing twice when run again, moves everything to the
// new date when an extension is approved, and leaves a task alone while its
// closure (办结申请) is in approval. The messages are counted in the ledger's
// notification tables (a webhook channel to the stub's MessageReceiver). The
// escalation of a deadline is a record (task_escalations, audit, task.get's
// escalated_at), once per deadline in force; a closure application or an
// extension request sitting at an approval step is chased to whoever's turn
// it is, then to the reform office, across weekends, holidays and make-up
// working days of the court calendar.
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
    // Opened on Monday 2019-11-04 unless told otherwise.
    void open(const std::string& rules = "", std::int64_t at = court_ms(2019, 11, 4)) {
        receiver_.start();
        open_plugin(host_, at,
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
    Items queued_task_items() { return queued_items("i.rule LIKE 'task%'"); }
    // The closure (办结申请) and extension (延期申请) approval items.
    Items queued_approval_items() {
        return queued_items("(i.rule LIKE 'closure%' OR i.rule LIKE 'extension%')");
    }
    Items queued_items(const std::string& where) {
        const auto rows =
            rl::test::sql_rows(db_,
                               "SELECT i.dedupe_key, i.rule, n.recipient FROM notification_items i"
                               " JOIN notifications n ON n.id = i.notification_id WHERE " +
                                   where,
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
    const auto lines =
        rl::test::sql_rows(db_,
                           "SELECT c.body FROM notification_items i JOIN notification_contents c"
                           " ON c.notification_id = i.notification_id"
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

TEST_F(TaskReminders, TheEscalationIsRecordedAndAuditedOncePerDeadlineInForce) {
    open();
    set_deadline("2019-11-15");
    const auto escalations = [&] {
        return rl::test::sql_rows(
            db_, "SELECT due, overdue_working_days FROM task_escalations ORDER BY id", true);
    };
    const auto audited = [&] {
        return rl::test::sql_rows(db_,
                                  "SELECT actor, role, task_number, department, reason FROM"
                                  " audit_log WHERE action = 'task_escalation' ORDER BY id",
                                  true);
    };
    // The ledger's row of task 33 gives the escalation as task.get does.
    const auto in_ledger = [&] {
        const Doc ledger = call("ledger.tasks", "{}");
        for (const auto& t : at(ledger, "tasks").GetArray()) {
            if (std::string(t["number"].GetString()) == "33") {
                return t.HasMember("escalated_at")
                           ? (t["escalated_at"].IsNull()
                                  ? std::string("null")
                                  : std::string(t["escalated_at"].GetString()))
                           : std::string("missing");
            }
        }
        return std::string("task 33 not in the ledger");
    };
    // Thursday the 21st: four working days late, not yet.
    Doc d = sweep(court_ms(2019, 11, 21, 10));
    EXPECT_EQ(num(d, "task_escalations"), 0) << dump(d);
    EXPECT_TRUE(at(call("task.get", Req().s("task", "33").str()), "task")["escalated_at"].IsNull());
    EXPECT_EQ(in_ledger(), "null");
    // Friday the 22nd: five — recorded once, with the sweep as its actor.
    d = sweep(court_ms(2019, 11, 22, 10));
    EXPECT_EQ(num(d, "task_escalations"), 1) << dump(d);
    auto rows = escalations();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at(0), "2019-11-15");
    EXPECT_EQ(rows[0].at(1), "5");
    auto audit = audited();
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].at(0), "system");
    EXPECT_EQ(audit[0].at(1), "reminder_sweep");
    EXPECT_EQ(audit[0].at(2), "33");
    EXPECT_EQ(audit[0].at(3), "刑庭");
    EXPECT_TRUE(contains(audit[0].at(4), "2019-11-15")) << audit[0].at(4);
    {
        const Doc task = call("task.get", Req().s("task", "33").str());
        const auto& escalated = at(task, "task")["escalated_at"];
        ASSERT_TRUE(escalated.IsString()) << dump(task);
        EXPECT_TRUE(contains(escalated.GetString(), "2019-11-22T02:")) << dump(task);
        EXPECT_EQ(in_ledger(), escalated.GetString());
    }
    // Again, and on later days: nothing recorded twice.
    d = sweep(court_ms(2019, 11, 22, 15));
    EXPECT_EQ(num(d, "task_escalations"), 0) << dump(d);
    sweep(court_ms(2019, 11, 26, 10));
    EXPECT_EQ(escalations().size(), 1u);
    EXPECT_EQ(audited().size(), 1u);

    // A new deadline in force (the reform office's, Monday 2019-12-02): the
    // escalation shown is the new deadline's (none yet), and once that one
    // is five working days late it is escalated — and recorded — again.
    host_.set_clock(court_ms(2019, 11, 26, 11));
    set_deadline("2019-12-02");
    EXPECT_TRUE(at(call("task.get", Req().s("task", "33").str()), "task")["escalated_at"].IsNull());
    EXPECT_EQ(in_ledger(), "null");
    EXPECT_EQ(queued_task_items().count({"task_escalation", kLeader}), 1u);  // the first one
    d = sweep(court_ms(2019, 12, 6, 10));  // four working days late
    EXPECT_EQ(num(d, "task_escalations"), 0) << dump(d);
    d = sweep(court_ms(2019, 12, 9, 10));  // five, after the weekend
    EXPECT_EQ(num(d, "task_escalations"), 1) << dump(d);
    EXPECT_EQ(queued_task_items().count({"task_escalation", kLeader}), 1u);
    rows = escalations();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].at(0), "2019-12-02");
    EXPECT_EQ(audited().size(), 2u);
    EXPECT_FALSE(
        at(call("task.get", Req().s("task", "33").str()), "task")["escalated_at"].IsNull());
    EXPECT_TRUE(contains(in_ledger(), "2019-12-09T02:")) << in_ledger();
    EXPECT_TRUE(at(call("audit.verify", "{}"), "ok").GetBool());
}

TEST_F(TaskReminders, AClosureInApprovalIsChasedAcrossHolidaysThenEscalatedOncePerStep) {
    // Friday 2019-09-27, before the National Day holidays (10-01..07); the
    // 29th (Sunday) and 10-12 (Saturday) are make-up working days.
    open("", court_ms(2019, 9, 27, 9));
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
    host_.set_clock(court_ms(2019, 9, 27, 10));
    ASSERT_EQ(str(call("task.close", Req()
                                         .s("task", "33")
                                         .s("action", "submit")
                                         .s("actor", kContact)
                                         .i("version", 1)
                                         .str()),
                  "outcome"),
              "ok");
    // At the department head's step since the 27th.
    Doc d = sweep(court_ms(2019, 9, 29, 10));  // one working day
    EXPECT_EQ(num(d, "task_approvals_checked"), 1) << dump(d);
    sweep(court_ms(2019, 9, 30, 10));  // two
    sweep(court_ms(2019, 10, 3, 10));  // a holiday: still two
    sweep(court_ms(2019, 10, 7, 10));
    EXPECT_EQ(queued_approval_items(), Items{});
    // 10-08: three — both heads of 刑庭 (its head and deputy) are reminded.
    sweep(court_ms(2019, 10, 8, 10));
    EXPECT_EQ(queued_approval_items(),
              (Items{{"closure_waiting", kHead}, {"closure_waiting", "u-xingting-deputy"}}));
    sweep(court_ms(2019, 10, 9, 10));  // four: nothing new, once per step
    EXPECT_EQ(queued_approval_items(), Items{});
    // 10-10: five — the reform office is told, once.
    sweep(court_ms(2019, 10, 10, 10));
    EXPECT_EQ(queued_approval_items(), (Items{{"closure_escalation", kOffice},
                                              {"closure_escalation", "u-sigaiban-contact"}}));
    const int items = static_cast<int>(
        rl::test::sql_rows(db_, "SELECT dedupe_key FROM notification_items", true).size());
    sweep(court_ms(2019, 10, 10, 15));
    EXPECT_EQ(
        static_cast<int>(
            rl::test::sql_rows(db_, "SELECT dedupe_key FROM notification_items", true).size()),
        items);
    const auto bodies =
        rl::test::sql_rows(db_,
                           "SELECT c.body FROM notification_items i JOIN notification_contents c"
                           " ON c.notification_id = i.notification_id"
                           " WHERE i.rule = 'closure_escalation'",
                           true);
    ASSERT_FALSE(bodies.empty());
    EXPECT_TRUE(contains(bodies[0].at(0), "任务33")) << bodies[0].at(0);
    EXPECT_TRUE(contains(bodies[0].at(0), "办结申请")) << bodies[0].at(0);

    // 刑庭's deputy head approves on the 10th: the leader in charge's turn,
    // from then; the 11th, the make-up Saturday 12th and Monday 14th make three.
    host_.set_clock(court_ms(2019, 10, 10, 16));
    d = call("task.close", Req()
                               .s("task", "33")
                               .s("action", "approve")
                               .s("actor", "u-xingting-deputy")
                               .i("version", 2)
                               .str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    sweep(court_ms(2019, 10, 12, 10));
    EXPECT_EQ(queued_approval_items(), Items{});
    sweep(court_ms(2019, 10, 14, 10));
    EXPECT_EQ(queued_approval_items(), (Items{{"closure_waiting", kLeader}}));
    EXPECT_TRUE(at(call("audit.verify", "{}"), "ok").GetBool());
}

TEST_F(TaskReminders, AnExtensionRequestIsChasedToTheLeaderThenTheReformOfficeAsConfigured) {
    open(
        ",\"rules\":{\"extension_waiting_working_days\":2,"
        "\"extension_escalation_working_days\":4}");
    set_deadline("2019-11-15");
    host_.set_clock(court_ms(2019, 11, 8, 10));  // Friday
    Doc d = call("task.extension.request", Req()
                                               .s("task", "33")
                                               .s("actor", kContact)
                                               .s("due", "2019-12-31")
                                               .s("reason", "需与省院系统对接")
                                               .str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    const int id = num(at(d, "extension"), "id");
    sweep(court_ms(2019, 11, 10, 10));  // Sunday: none
    sweep(court_ms(2019, 11, 11, 10));  // one working day
    EXPECT_EQ(queued_approval_items(), Items{});
    d = sweep(court_ms(2019, 11, 12, 10));  // two: the leader in charge's turn
    EXPECT_EQ(num(d, "task_approvals_checked"), 1) << dump(d);
    EXPECT_EQ(queued_approval_items(), (Items{{"extension_waiting", kLeader}}));
    sweep(court_ms(2019, 11, 14, 10));  // four: the reform office is told
    EXPECT_EQ(queued_approval_items(), (Items{{"extension_escalation", kOffice},
                                              {"extension_escalation", "u-sigaiban-contact"}}));
    // Endorsed by the leader on the 14th: the reform office's turn from then.
    host_.set_clock(court_ms(2019, 11, 14, 11));
    ASSERT_EQ(str(call("task.extension.act",
                       Req().i("id", id).s("action", "approve").s("actor", kLeader).str()),
                  "outcome"),
              "ok");
    sweep(court_ms(2019, 11, 15, 10));
    EXPECT_EQ(queued_approval_items(), Items{});
    sweep(court_ms(2019, 11, 18, 10));  // two working days after the endorsement
    EXPECT_EQ(queued_approval_items(),
              (Items{{"extension_waiting", kOffice}, {"extension_waiting", "u-sigaiban-contact"}}));
    // Approved: nothing waits any more.
    host_.set_clock(court_ms(2019, 11, 18, 11));
    ASSERT_EQ(str(call("task.extension.act",
                       Req().i("id", id).s("action", "approve").s("actor", kOffice).str()),
                  "outcome"),
              "ok");
    d = sweep(court_ms(2019, 11, 25, 10));
    EXPECT_EQ(num(d, "task_approvals_checked"), 0) << dump(d);
    EXPECT_EQ(queued_approval_items(), Items{});
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
