// Leaders' instructions (批示) and sending for reading (抄送/待阅) through the
// real plugin's C ABI: who may write and answer, every refusal leaving the
// ledger as it was, interim and final answers closing a department's part,
// the ledger's count of open instructions, the sweep's reminders before, on
// and after the due date and its escalation (once), the messages they queue
// in the outbox (a webhook channel to the stub's MessageReceiver), filed
// reports and instructions sent to their readers, 已阅 recorded and audited, and audit.verify
// passing at the end.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "abi_test_helpers.h"
#include "message_receiver.h"
#include "plugin_host.h"
#include "reform_ledger.h"
#include "support/test_support.h"

using oa_stub::PluginHost;
using rl::test::TempDir;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)

const std::string kPresident = "u-president";
const std::string kTrialLeader = "u-vp-trial";  // in charge of 刑庭 and 民庭
const std::string kOffice = "u-sigaiban-head";

std::string config_json(const std::string& db, const std::string& url,
                        const std::string& extra = "") {
    return "{\"database\":" + rl::test::database_json(db) +
           ",\"org_chart\":" + rl::test::demo_org_chart_json() +
           ",\"options\":{\"reporting\":{\"cycle\":\"monthly\",\"due_working_day\":5}}"
           ",\"notifications\":{\"channels\":[{\"name\":\"oa\",\"kind\":\"webhook\",\"url\":" +
           q(url) + ",\"secret\":" + q(kSecret) + "}],\"worker\":{\"enabled\":false}}" + extra +
           "}";
}

class InstructionAbi : public ::testing::Test {
protected:
    void SetUp() override {
        receiver_.start();
        open_plugin(host_, kNov8, config_json(db_, receiver_.url()));
    }

    Doc call(const std::string& method, const std::string& request) {
        return parse_json(host_.call(method, request));
    }
    Doc write(const std::string& actor, const std::string& departments = "[\"刑庭\",\"民庭\"]",
              const std::string& content = "请于三个工作日内报送流程标准修订情况。",
              const std::string& task = "33", int due_working_days = 3) {
        return call("instruction.write", Req()
                                             .s("task", task)
                                             .raw("departments", departments)
                                             .s("actor", actor)
                                             .s("content", content)
                                             .i("due_working_days", due_working_days)
                                             .str());
    }
    Doc answer(const std::string& number, const std::string& actor, const std::string& text,
               bool final = true) {
        return call("instruction.answer", Req()
                                              .s("instruction", number)
                                              .s("actor", actor)
                                              .s("answer", text)
                                              .raw("final", final ? "true" : "false")
                                              .str());
    }
    Doc list(const std::string& extra = "") { return call("instruction.list", "{" + extra + "}"); }
    int open_instructions(const std::string& task) {
        const Doc ledger = call("ledger.tasks", "{\"period\":\"2019-10\"}");
        for (const auto& t : arr(ledger, "tasks").GetArray()) {
            if (str(t, "number") == task) {
                return num(t, "open_instructions");
            }
        }
        ADD_FAILURE() << "no task " << task << " in the ledger";
        return -1;
    }
    std::vector<std::string> audit_actions(const std::string& task) {
        const Doc trail = call("audit.list", Req().s("user", kOffice).s("task", task).str());
        std::vector<std::string> out;
        for (const auto& e : arr(trail, "entries").GetArray()) {
            out.push_back(str(e, "action"));
        }
        return out;
    }
    static int count(const std::vector<std::string>& list, const std::string& what) {
        int n = 0;
        for (const auto& s : list) {
            n += s == what ? 1 : 0;
        }
        return n;
    }
    int pending() { return num(call("notify.status", "{}"), "pending"); }
    Doc reading(const std::string& user, bool unread_only = true) {
        return call("reading.list",
                    Req().s("user", user).raw("unread_only", unread_only ? "true" : "false").str());
    }
    using Items = std::multiset<std::pair<std::string, std::string>>;
    // The instruction items (rule, recipient id) queued in the outbox since
    // the last call, read from the ledger's notification tables.
    Items queued_instruction_items() {
        const auto rows = rl::test::sql_rows(
            db_,
            "SELECT i.dedupe_key, i.rule, n.recipient FROM notification_items i"
            " JOIN notifications n ON n.id = i.notification_id WHERE i.rule LIKE 'instruction%'",
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
    // Sends everything due to the receiver; how many messages it accepted.
    int deliver_all() {
        int delivered = 0;
        for (int i = 0; i < 20; ++i) {
            const Doc d = call("notify.deliver", "{}");
            delivered += num(d, "delivered");
            if (num(d, "delivered") + num(d, "retried") + num(d, "dead") == 0) {
                break;
            }
        }
        return delivered;
    }
    Doc sweep(std::int64_t at) {
        host_.set_clock(at);
        return call("notify.sweep", "{}");
    }
    // What a refused call must leave as it was.
    struct Snapshot {
        int instructions, audit, pending, unread_president;
        bool operator==(const Snapshot& o) const {
            return instructions == o.instructions && audit == o.audit && pending == o.pending &&
                   unread_president == o.unread_president;
        }
    };
    Snapshot snapshot() {
        return {static_cast<int>(arr(list(), "instructions").Size()),
                static_cast<int>(audit_actions("33").size()), pending(),
                num(reading(kPresident), "unread")};
    }

    TempDir dir_;
    std::string db_ = dir_.file("ledger.db");
    oa_stub::MessageReceiver receiver_{kSecret};
    PluginHost host_;
    std::set<std::string> seen_;  // outbox items already looked at
};

// ------------------------------------------------------------ writing

TEST_F(InstructionAbi, ThePresidentWritesAnInstructionToTwoDepartments) {
    const Doc d = write(kPresident);
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    const Val& i = at(d, "instruction");
    EXPECT_EQ(str(i, "number"), "批示〔2019〕1号");
    EXPECT_EQ(str(i, "task"), "33");
    EXPECT_EQ(str(i, "on"), "task");
    EXPECT_EQ(str(i, "written_role"), "president");
    EXPECT_EQ(str(i, "due_date"), "2019-11-13");  // Fri 8th + 3 working days
    EXPECT_EQ(str(i, "status"), "open");
    ASSERT_EQ(arr(i, "departments").Size(), 2u);
    EXPECT_EQ(str(arr(i, "departments")[0], "department"), "刑庭");
    EXPECT_EQ(str(arr(i, "departments")[1], "status"), "open");

    // In the ledger, in the listing with its full text, in the audit trail
    // (one entry per addressed department), and one urgent message each.
    EXPECT_EQ(open_instructions("33"), 1);
    EXPECT_EQ(open_instructions("28"), 0);
    const Doc listed = list("\"task\":\"33\"");
    EXPECT_EQ(num(listed, "open"), 1);
    ASSERT_EQ(arr(listed, "instructions").Size(), 1u);
    EXPECT_EQ(str(arr(listed, "instructions")[0], "content"),
              "请于三个工作日内报送流程标准修订情况。");
    EXPECT_EQ(count(audit_actions("33"), "instruction"), 2);
    EXPECT_EQ(pending(), 2);
    EXPECT_EQ(queued_instruction_items(),
              (Items{{"instruction", "刑庭"}, {"instruction", "民庭"}}));
    EXPECT_EQ(deliver_all(), 2);  // to the stub's receiver, over HTTP
    ASSERT_EQ(receiver_.arrivals().size(), 2u);
    const Doc payload = parse_json(receiver_.arrivals()[0].body);
    EXPECT_EQ(str(payload, "kind"), "instruction");
    EXPECT_TRUE(at(payload, "urgent").GetBool());
    EXPECT_TRUE(contains(str(arr(payload, "items")[0], "text"), "2019-11-13前反馈"));

    // Sent for reading: to the leader in charge of 刑庭 and 民庭 and to the
    // supervision office, not to the president who wrote it.
    EXPECT_EQ(num(reading(kPresident), "unread"), 0);
    const Doc leader = reading(kTrialLeader);
    ASSERT_EQ(num(leader, "unread"), 1) << dump(leader);
    EXPECT_EQ(str(arr(leader, "items")[0], "kind"), "instruction");
    EXPECT_EQ(str(arr(leader, "items")[0], "subject"), "批示〔2019〕1号");
    EXPECT_EQ(num(reading("u-jianchashi-head"), "unread"), 1);  // the supervision office

    // Inboxes: 刑庭's contact has the instruction to answer; the leader has one to read.
    const Doc contact = call("inbox", Req().s("user", "u-xingting-contact").str());
    ASSERT_EQ(arr(contact, "instructions").Size(), 1u) << dump(contact);
    EXPECT_EQ(str(arr(contact, "instructions")[0], "number"), "批示〔2019〕1号");
    EXPECT_EQ(str(arr(contact, "instructions")[0], "department"), "刑庭");
    EXPECT_EQ(num(at(contact, "to_read"), "unread"), 0);
    const Doc leader_inbox = call("inbox", Req().s("user", kTrialLeader).str());
    EXPECT_EQ(arr(leader_inbox, "instructions").Size(), 0u);
    EXPECT_EQ(num(at(leader_inbox, "to_read"), "unread"), 1);
    EXPECT_EQ(
        arr(call("inbox", Req().s("user", "u-lianting-contact").str()), "instructions").Size(), 0u);
}

TEST_F(InstructionAbi, ALeaderInChargeWritesOnTheirDepartmentsTasksOnly) {
    const Doc d = write(kTrialLeader);
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    EXPECT_EQ(str(at(d, "instruction"), "written_role"), "leader_in_charge");
    // The president reads what a leader instructs; the leader does not.
    EXPECT_EQ(num(reading(kPresident), "unread"), 1);
    EXPECT_EQ(num(reading(kTrialLeader), "unread"), 0);

    // u-vp-admin is in charge of 技术科 (a department of task 33) but not of
    // task 28 (刑庭 only).
    EXPECT_EQ(str(write("u-vp-admin", "[\"技术科\"]"), "outcome"), "ok");
    const Snapshot before = snapshot();
    const Doc refused = write("u-vp-admin", "[\"刑庭\"]", "请研究。", "28");
    EXPECT_EQ(str(refused, "outcome"), "not_permitted") << dump(refused);
    EXPECT_TRUE(contains(str(refused, "message"), "leader in charge")) << dump(refused);
    EXPECT_EQ(snapshot(), before);
}

TEST_F(InstructionAbi, RefusedInstructionsWriteNothing) {
    const Snapshot before = snapshot();
    // Not the president nor a leader in charge: a department head, the reform office.
    for (const std::string& actor :
         std::vector<std::string>{"u-xingting-head", kOffice, "u-nobody"}) {
        const Doc d = write(actor);
        EXPECT_EQ(str(d, "outcome"), "not_permitted") << actor << ": " << dump(d);
    }
    const Doc empty = write(kPresident, "[\"刑庭\"]", "  ");
    EXPECT_EQ(str(empty, "outcome"), "invalid") << dump(empty);
    EXPECT_TRUE(contains(str(empty, "message"), "content"));
    const Doc nobody = write(kPresident, "[]");
    EXPECT_EQ(str(nobody, "outcome"), "invalid") << dump(nobody);
    const Doc past = call("instruction.write", Req()
                                                   .s("task", "33")
                                                   .raw("departments", "[\"刑庭\"]")
                                                   .s("actor", kPresident)
                                                   .s("content", "请研究。")
                                                   .s("due_date", "2019-11-07")
                                                   .str());
    EXPECT_EQ(str(past, "outcome"), "invalid") << dump(past);
    EXPECT_TRUE(contains(str(past, "message"), "already past"));
    // On a report that does not exist yet (刑庭 has not drafted 2019-10).
    const Doc no_report = call(
        "instruction.write", Req()
                                 .s("task", "33")
                                 .raw("report", "{\"department\":\"刑庭\",\"period\":\"2019-10\"}")
                                 .raw("departments", "[\"刑庭\"]")
                                 .s("actor", kPresident)
                                 .s("content", "请研究。")
                                 .str());
    EXPECT_EQ(str(no_report, "outcome"), "invalid") << dump(no_report);
    EXPECT_TRUE(contains(str(no_report, "message"), "has no report"));
    EXPECT_EQ(snapshot(), before);
    EXPECT_EQ(open_instructions("33"), 0);
}

TEST_F(InstructionAbi, BadRequestsAreErrorsNamingWhatWasWrong) {
    const auto status = [&](const std::string& request, std::string* message) {
        return status_of([&] { host_.call("instruction.write", request); }, message);
    };
    std::string message;
    EXPECT_EQ(status(Req()
                         .s("task", "33")
                         .raw("departments", "[\"刑事庭\"]")
                         .s("actor", kPresident)
                         .s("content", "x")
                         .str(),
                     &message),
              RL_ERR_NOT_FOUND);
    EXPECT_TRUE(contains(message, "刑事庭")) << message;
    EXPECT_EQ(status(Req()
                         .s("task", "999")
                         .raw("departments", "[\"刑庭\"]")
                         .s("actor", kPresident)
                         .s("content", "x")
                         .str(),
                     &message),
              RL_ERR_NOT_FOUND);
    EXPECT_TRUE(contains(message, "999")) << message;
    EXPECT_EQ(status(Req()
                         .s("task", "33")
                         .raw("departments", "[\"刑庭\"]")
                         .s("actor", kPresident)
                         .s("content", "x")
                         .s("due_date", "2019-13-01")
                         .str(),
                     &message),
              RL_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(contains(message, "due_date")) << message;
    EXPECT_EQ(status(Req()
                         .s("task", "33")
                         .raw("departments", "[\"刑庭\"]")
                         .s("actor", kPresident)
                         .s("content", "x")
                         .s("due_date", "2019-11-20")
                         .i("due_working_days", 3)
                         .str(),
                     &message),
              RL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status(Req()
                         .s("task", "33")
                         .raw("departments", "[\"刑庭\",\"刑庭\"]")
                         .s("actor", kPresident)
                         .s("content", "x")
                         .str(),
                     &message),
              RL_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(contains(message, "twice")) << message;
    EXPECT_EQ(arr(list(), "instructions").Size(), 0u);
    EXPECT_EQ(
        status_of([&] { host_.call("instruction.get", "{\"instruction\":\"批示〔2019〕9号\"}"); }),
        RL_ERR_NOT_FOUND);
}

// ------------------------------------------------------------ answering

TEST_F(InstructionAbi, InterimAndFinalAnswersCloseEachDepartmentsPart) {
    const std::string number = str(at(write(kPresident), "instruction"), "number");

    // An interim answer keeps 刑庭's part open.
    const Doc interim = answer(number, "u-xingting-contact", "正在修订，下周报送。", false);
    ASSERT_EQ(str(interim, "outcome"), "ok") << dump(interim);
    const Val& part = arr(at(interim, "instruction"), "departments")[0];
    EXPECT_EQ(str(part, "status"), "open");
    ASSERT_EQ(arr(part, "answers").Size(), 1u);
    EXPECT_FALSE(at(arr(part, "answers")[0], "final").GetBool());
    EXPECT_EQ(open_instructions("33"), 1);

    // The final answer closes it; the instruction stays open for 民庭.
    const Doc final = answer(number, "u-xingting-head", "流程标准已修订完毕并印发。");
    ASSERT_EQ(str(final, "outcome"), "ok") << dump(final);
    const Val& closed = arr(at(final, "instruction"), "departments")[0];
    EXPECT_EQ(str(closed, "status"), "answered");
    EXPECT_EQ(arr(closed, "answers").Size(), 2u);
    EXPECT_EQ(str(at(final, "instruction"), "status"), "open");
    EXPECT_EQ(open_instructions("33"), 1);
    // The writer reads the final answer (not the interim one).
    const Doc president = reading(kPresident);
    ASSERT_EQ(num(president, "unread"), 1) << dump(president);
    EXPECT_EQ(str(arr(president, "items")[0], "kind"), "instruction_answer");
    EXPECT_EQ(str(arr(president, "items")[0], "department"), "刑庭");

    // Refusals write nothing: a closed part, someone not addressed, an empty answer.
    const Snapshot before = snapshot();
    const Doc again = answer(number, "u-xingting-contact", "补充说明。");
    EXPECT_EQ(str(again, "outcome"), "invalid") << dump(again);
    EXPECT_TRUE(contains(str(again, "message"), "closed"));
    const Doc stranger = answer(number, "u-lianting-contact", "已阅。");
    EXPECT_EQ(str(stranger, "outcome"), "not_permitted") << dump(stranger);
    const Doc leader = answer(number, kTrialLeader, "已阅。");
    EXPECT_EQ(str(leader, "outcome"), "not_permitted") << dump(leader);
    const Doc blank = answer(number, "u-minting-contact", " ");
    EXPECT_EQ(str(blank, "outcome"), "invalid") << dump(blank);
    const Doc wrong_part = call("instruction.answer", Req()
                                                          .s("instruction", number)
                                                          .s("department", "立案庭")
                                                          .s("actor", "u-lianting-contact")
                                                          .s("answer", "已办。")
                                                          .str());
    EXPECT_EQ(str(wrong_part, "outcome"), "invalid") << dump(wrong_part);
    EXPECT_EQ(snapshot(), before);

    // 民庭's final answer closes the instruction.
    // 刑庭's part is closed: no longer in its inbox; 民庭's still is.
    EXPECT_EQ(
        arr(call("inbox", Req().s("user", "u-xingting-contact").str()), "instructions").Size(), 0u);
    EXPECT_EQ(arr(call("inbox", Req().s("user", "u-minting-contact").str()), "instructions").Size(),
              1u);
    const Doc last = answer(number, "u-minting-contact", "民事审判流程标准已完善。");
    ASSERT_EQ(str(last, "outcome"), "ok") << dump(last);
    EXPECT_EQ(str(at(last, "instruction"), "status"), "closed");
    EXPECT_EQ(open_instructions("33"), 0);
    EXPECT_EQ(arr(list("\"status\":\"open\""), "instructions").Size(), 0u);
    EXPECT_EQ(arr(list("\"status\":\"closed\",\"department\":\"民庭\""), "instructions").Size(),
              1u);
    const auto actions = audit_actions("33");
    EXPECT_EQ(count(actions, "instruction_interim_answer"), 1);
    EXPECT_EQ(count(actions, "instruction_answer"), 2);
    EXPECT_TRUE(at(call("audit.verify", "{}"), "ok").GetBool());
}

// ------------------------------------------------------------ reminders

TEST_F(InstructionAbi, TheSweepRemindsBeforeOnAndAfterTheDueDateAndEscalatesOnce) {
    // Due Wednesday 2019-11-13, to 刑庭 only.
    const std::string number = str(at(write(kPresident, "[\"刑庭\"]"), "instruction"), "number");
    queued_instruction_items();  // the instruction itself
    // Friday the 8th: three working days left, more than the two of the rule.
    sweep(court_ms(2019, 11, 8, 10));
    EXPECT_EQ(queued_instruction_items(), Items{});
    // Monday the 11th: two working days left (12th, 13th).
    const Doc monday = sweep(court_ms(2019, 11, 11, 10));
    EXPECT_EQ(num(monday, "instruction_parts_checked"), 1) << dump(monday);
    EXPECT_EQ(queued_instruction_items(), (Items{{"instruction_before_due", "刑庭"}}));
    // Again the same day: nothing new.
    sweep(court_ms(2019, 11, 11, 15));
    EXPECT_EQ(queued_instruction_items(), Items{});
    // Wednesday the 13th: due today.
    sweep(court_ms(2019, 11, 13, 10));
    EXPECT_EQ(queued_instruction_items(), (Items{{"instruction_due_today", "刑庭"}}));
    // Thursday the 14th: one working day overdue.
    sweep(court_ms(2019, 11, 14, 10));
    EXPECT_EQ(queued_instruction_items(), (Items{{"instruction_overdue", "刑庭"}}));
    // Monday the 18th: three working days overdue — chased again, and
    // escalated to the writer and 刑庭's leader in charge, recorded once.
    const Doc escalated = sweep(court_ms(2019, 11, 18, 10));
    EXPECT_EQ(num(escalated, "instruction_escalations"), 1) << dump(escalated);
    EXPECT_EQ(queued_instruction_items(), (Items{{"instruction_overdue", "刑庭"},
                                                 {"instruction_escalation", kPresident},
                                                 {"instruction_escalation", kTrialLeader}}));
    const Doc again = sweep(court_ms(2019, 11, 18, 16));
    EXPECT_EQ(num(again, "instruction_escalations"), 0);
    EXPECT_EQ(queued_instruction_items(), Items{});
    EXPECT_EQ(count(audit_actions("33"), "instruction_escalation"), 1);
    const Doc got = call("instruction.get", Req().s("instruction", number).str());
    const Val& part = arr(at(got, "instruction"), "departments")[0];
    EXPECT_TRUE(at(part, "overdue").GetBool());
    EXPECT_FALSE(str(part, "escalated_at").empty());

    // Answered: no more reminders.
    host_.set_clock(court_ms(2019, 11, 19, 9));
    ASSERT_EQ(str(answer(number, "u-xingting-contact", "已落实。"), "outcome"), "ok");
    const Doc after = sweep(court_ms(2019, 11, 20, 10));
    EXPECT_EQ(num(after, "instruction_parts_checked"), 0);
    EXPECT_EQ(queued_instruction_items(), Items{});
}

// ------------------------------------------------------------ reading

class ReadingAbi : public InstructionAbi {
protected:
    void act(const std::string& action, const std::string& actor, const std::string& extra = "") {
        const Doc g = call("report.get", Req()
                                             .s("user", kOffice)
                                             .s("task", "28")
                                             .s("department", "刑庭")
                                             .s("period", "2019-10")
                                             .str());
        Req r;
        r.s("task", "28")
            .s("department", "刑庭")
            .s("period", "2019-10")
            .s("action", action)
            .s("actor", actor);
        const Val& report = at(at(g, "obligation"), "report");
        if (report.IsObject()) {
            r.i("version", num(report, "version"));
        }
        if (!extra.empty()) {
            r.raw("content", extra);
        }
        const Doc d = call("report.act", r.str());
        ASSERT_EQ(str(d, "outcome"), "ok") << action << " by " << actor << ": " << dump(d);
    }
    void file_task_28() {
        act("save_draft", "u-xingting-contact",
            Req()
                .s("progress_summary", "刑事诉讼制度改革各项措施已落实。")
                .i("percent_complete", 60)
                .str());
        act("submit", "u-xingting-contact");
        act("approve", "u-xingting-head");
        act("approve", kTrialLeader);
        act("file", kOffice);
    }
};

TEST_F(ReadingAbi, AFiledReportIsSentToItsReadersWhoRecordReadingIt) {
    EXPECT_EQ(num(reading(kTrialLeader), "unread"), 0);
    file_task_28();
    const Doc list = reading(kTrialLeader);
    ASSERT_EQ(num(list, "unread"), 1) << dump(list);
    EXPECT_EQ(num(list, "total"), 1);
    const Val& item = arr(list, "items")[0];
    EXPECT_EQ(str(item, "kind"), "report");
    EXPECT_EQ(str(item, "task"), "28");
    EXPECT_EQ(str(item, "department"), "刑庭");
    EXPECT_EQ(str(item, "period"), "2019-10");
    EXPECT_EQ(str(item, "sent_by"), kOffice);
    EXPECT_FALSE(at(item, "read").GetBool());
    const std::int64_t id = at(item, "id").GetInt64();
    // The president is not a reader of reports by default.
    EXPECT_EQ(num(reading(kPresident), "total"), 0);

    // Someone else may not mark it read; nothing is written.
    const std::size_t audited = audit_actions("28").size();
    const Doc other =
        call("reading.mark", Req().s("actor", kPresident).raw("id", std::to_string(id)).str());
    EXPECT_EQ(str(other, "outcome"), "not_permitted") << dump(other);
    EXPECT_EQ(audit_actions("28").size(), audited);
    EXPECT_EQ(num(reading(kTrialLeader), "unread"), 1);

    host_.set_clock(court_ms(2019, 11, 8, 11));
    const Doc read =
        call("reading.mark", Req().s("actor", kTrialLeader).raw("id", std::to_string(id)).str());
    ASSERT_EQ(str(read, "outcome"), "ok") << dump(read);
    EXPECT_EQ(num(read, "unread"), 0);
    EXPECT_EQ(str(read, "read_at"), "2019-11-08T03:00:00.000Z");
    const Doc after = reading(kTrialLeader, false);
    EXPECT_EQ(num(after, "unread"), 0);
    ASSERT_EQ(arr(after, "items").Size(), 1u);
    EXPECT_TRUE(at(arr(after, "items")[0], "read").GetBool());
    EXPECT_EQ(str(arr(after, "items")[0], "read_at"), "2019-11-08T03:00:00.000Z");
    EXPECT_EQ(arr(reading(kTrialLeader), "items").Size(), 0u);  // unread only
    EXPECT_EQ(count(audit_actions("28"), "read"), 1);

    // Read already: refused, nothing written.
    const Doc twice =
        call("reading.mark", Req().s("actor", kTrialLeader).raw("id", std::to_string(id)).str());
    EXPECT_EQ(str(twice, "outcome"), "invalid") << dump(twice);
    EXPECT_TRUE(contains(str(twice, "message"), "read already"));
    EXPECT_EQ(count(audit_actions("28"), "read"), 1);
    EXPECT_EQ(status_of([&] {
                  host_.call("reading.mark",
                             Req().s("actor", kTrialLeader).raw("id", "99999").str());
              }),
              RL_ERR_NOT_FOUND);
    EXPECT_EQ(status_of([&] { host_.call("reading.mark", Req().s("actor", kTrialLeader).str()); }),
              RL_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(at(call("audit.verify", "{}"), "ok").GetBool());
}

TEST_F(ReadingAbi, MarkingAllReadsEveryUnreadItemOfTheReader) {
    file_task_28();
    ASSERT_EQ(str(write(kPresident), "outcome"), "ok");
    ASSERT_EQ(num(reading(kTrialLeader), "unread"), 2);
    const Doc read = call("reading.mark", Req().s("actor", kTrialLeader).raw("all", "true").str());
    ASSERT_EQ(str(read, "outcome"), "ok") << dump(read);
    EXPECT_EQ(arr(read, "read").Size(), 2u);
    EXPECT_EQ(num(reading(kTrialLeader), "unread"), 0);
    EXPECT_EQ(num(reading(kTrialLeader, false), "total"), 2);
    // Others' items stay unread.
    EXPECT_EQ(num(reading("u-jianchashi-head"), "unread"), 1);
}

TEST_F(ReadingAbi, ConfiguredReadersReplaceTheDefaults) {
    host_.shutdown();
    PluginHost configured;
    configured.set_clock(kNov8);
    configured.load(RL_PLUGIN_PATH);
    configured.create(config_json(
        db_, receiver_.url(),
        ",\"reading\":{\"readers\":{\"report\":[\"president\",\"person:u-sigaiban-contact\"],"
        "\"instruction\":[]}}"));
    const auto unread = [&](const std::string& user) {
        return num(parse_json(configured.call("reading.list", Req().s("user", user).str())),
                   "unread");
    };
    const Doc w =
        parse_json(configured.call("instruction.write", Req()
                                                            .s("task", "33")
                                                            .raw("departments", "[\"刑庭\"]")
                                                            .s("actor", kPresident)
                                                            .s("content", "请研究。")
                                                            .str()));
    ASSERT_EQ(str(w, "outcome"), "ok") << dump(w);
    EXPECT_EQ(unread(kTrialLeader), 0);  // instructions go to nobody now
    EXPECT_EQ(unread("u-jianchashi-head"), 0);
    configured.shutdown();

    // A reader the configuration cannot resolve is refused at start.
    PluginHost bad;
    bad.set_clock(kNov8);
    bad.load(RL_PLUGIN_PATH);
    std::string message;
    EXPECT_NE(
        status_of(
            [&] {
                bad.create(config_json(db_, receiver_.url(),
                                       ",\"reading\":{\"readers\":{\"report\":[\"the boss\"]}}"));
            },
            &message),
        RL_OK);
    EXPECT_TRUE(contains(message, "reading.readers.report[0]")) << message;
}

}  // namespace
