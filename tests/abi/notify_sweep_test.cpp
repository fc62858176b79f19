// The reminder sweep through the real plugin's C ABI (oa_stub::PluginHost,
// dlopen) on a real SQLite file, delivering to the stub host's real
// MessageReceiver (Poco HTTPServer on 127.0.0.1) over the webhook channel:
// one consolidated message per recipient, idempotent sweeps, one catch-up
// after downtime, the make-up working Saturday and the National Day holiday,
// quiet hours, escalation and accountability records, approval waiting, and
// the plugin's own delivery thread.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
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

// ------------------------------------------------------------ configuration

// The seed plan assigns 148 lines to 16 departments; 刑庭 has 17 of them.
constexpr int kObligations = 148;
constexpr int kDepartments = 16;

// "notifications" with one webhook channel "oa" at url, the worker off, and
// extra members (",\"rules\":{…}") appended.
std::string notifications(const std::string& url, const std::string& extra = "",
                          bool worker = false) {
    return "{\"channels\":[{\"name\":\"oa\",\"kind\":\"webhook\",\"url\":" + q(url) +
           ",\"secret\":" + q(kSecret) +
           "}],\"worker\":{\"enabled\":" + (worker ? "true,\"poll_ms\":50" : "false") + "}" +
           extra + "}";
}

std::string config_json(const std::string& db, const std::string& notifications_json) {
    return "{\"database\":" + rl::test::database_json(db) +
           ",\"org_chart\":" + rl::test::demo_org_chart_json() +
           ",\"options\":{\"lead_rule\":\"first_listed\",\"reporting\":{\"cycle\":\"monthly\","
           "\"due_working_day\":5}},\"notifications\":" +
           notifications_json + "}";
}

// What a received message says: its JSON payload.
struct Message {
    std::string id;
    std::string recipient;  // department:刑庭 / person:u-vp-trial
    std::string title;
    std::vector<std::string> rules;  // of its items
    std::set<std::int64_t> obligations;
};

Message message_of(const oa_stub::Arrival& a) {
    const Doc p = parse_json(a.body);
    Message m;
    m.id = str(p, "id");
    m.recipient = str(at(p, "recipient"), "kind") + ":" + str(at(p, "recipient"), "id");
    m.title = str(p, "title");
    for (const auto& item : arr(p, "items").GetArray()) {
        m.rules.push_back(str(item, "rule"));
        m.obligations.insert(at(item, "obligation_id").GetInt64());
    }
    return m;
}

// "person:ID" of the demo org chart's leaders in charge of any of these departments.
std::set<std::string> leaders_of(const std::set<std::string>& departments) {
    const Doc chart = parse_json(rl::test::demo_org_chart_json());
    std::set<std::string> out;
    for (const auto& p : arr(chart, "people").GetArray()) {
        bool leader = false;
        for (const auto& r : arr(p, "roles").GetArray()) {
            leader = leader || std::string(r.GetString()) == "leader_in_charge";
        }
        if (!leader || !p.HasMember("in_charge_of")) {
            continue;
        }
        for (const auto& d : arr(p, "in_charge_of").GetArray()) {
            if (departments.count(d.GetString()) != 0) {
                out.insert("person:" + str(p, "id"));
            }
        }
    }
    return out;
}

class NotifySweepAbi : public ::testing::Test {
protected:
    // Loads the plugin with these notifications, at this court time, and imports the seed.
    void open(const std::string& notifications_json, std::int64_t clock) {
        open_plugin(host_, clock, config_json(db_, notifications_json));
    }
    // The receiver started, and the plugin pointed at it.
    void open_with_receiver(std::int64_t clock, const std::string& extra = "") {
        receiver_.start();
        open(notifications(receiver_.url(), extra), clock);
    }

    Doc sweep(std::int64_t at) {
        host_.set_clock(at);
        return parse_json(host_.call("notify.sweep"));
    }
    Doc deliver(std::int64_t at) {
        host_.set_clock(at);
        return parse_json(host_.call("notify.deliver"));
    }
    // notify.deliver until a call does nothing (at most 20 calls); the number delivered.
    int deliver_all(std::int64_t at) {
        int delivered = 0;
        for (int i = 0; i < 20; ++i) {
            const Doc d = deliver(at);
            delivered += num(d, "delivered");
            if (num(d, "delivered") + num(d, "retried") + num(d, "dead") + num(d, "paced") == 0) {
                break;
            }
        }
        return delivered;
    }
    Doc status() { return parse_json(host_.call("notify.status")); }

    std::vector<Message> received() const {
        std::vector<Message> out;
        for (const auto& a : receiver_.arrivals()) {
            out.push_back(message_of(a));
        }
        return out;
    }
    std::string sql_one(const std::string& sql) {
        const auto rows = rl::test::sql_rows(db_, sql, true);
        return rows.empty() || rows[0].empty() ? "" : rows[0][0];
    }
    int sql_int(const std::string& sql) { return std::stoi(sql_one(sql)); }

    // Checks the receiver got each message once, signed, and nothing else.
    void expect_each_once_and_signed(std::size_t expected) {
        const auto arrivals = receiver_.arrivals();
        EXPECT_EQ(arrivals.size(), expected);
        std::set<std::string> ids;
        for (const auto& a : arrivals) {
            ids.insert(a.id);
            EXPECT_EQ(message_of(a).id, a.id) << "the webhook-id is the payload's id";
        }
        EXPECT_EQ(ids.size(), arrivals.size());
        EXPECT_EQ(receiver_.duplicates(), 0);
        EXPECT_EQ(receiver_.rejected(), 0) << "every signature verifies";
    }

    TempDir dir_;
    std::string db_ = dir_.file("ledger.db");
    oa_stub::MessageReceiver receiver_{kSecret};
    PluginHost host_;  // declared last: shut down first
};

// ------------------------------------------------------------ consolidation

TEST_F(NotifySweepAbi,
       SweepQueuesOneMessagePerDepartmentListingAllItsItemsAndDeliverSendsEachOnce) {
    open_with_receiver(kNov8);
    const Doc s = sweep(kNov8);
    EXPECT_EQ(str(s, "today"), "2019-11-08");
    EXPECT_EQ(num(s, "obligations_checked"), kObligations);
    EXPECT_EQ(num(s, "reminders_due"), kObligations);
    EXPECT_EQ(num(s, "new_items"), kObligations);
    EXPECT_EQ(num(s, "messages_queued"), kDepartments) << dump(s);
    EXPECT_EQ(num(s, "deferred"), 0) << "overdue reminders are urgent";
    EXPECT_EQ(num(s, "escalations"), 0);
    EXPECT_EQ(arr(s, "warnings").Size(), 0u) << dump(s);

    const Doc st = status();
    EXPECT_EQ(num(st, "pending"), kDepartments);
    EXPECT_EQ(num(st, "delivered"), 0);

    const Doc d = deliver(kNov8);
    EXPECT_EQ(num(d, "delivered"), kDepartments) << dump(d);
    EXPECT_EQ(num(d, "retried"), 0);
    EXPECT_EQ(num(d, "dead"), 0);
    expect_each_once_and_signed(kDepartments);

    // One message per department, each listing all that department's overdue obligations.
    std::map<std::string, Message> by_recipient;
    std::size_t items = 0;
    for (const auto& m : received()) {
        EXPECT_EQ(by_recipient.count(m.recipient), 0u) << m.recipient << " got two messages";
        by_recipient[m.recipient] = m;
        items += m.obligations.size();
        for (const auto& rule : m.rules) {
            EXPECT_EQ(rule, "overdue") << m.recipient;
        }
    }
    EXPECT_EQ(items, static_cast<std::size_t>(kObligations));
    ASSERT_EQ(by_recipient.count("department:刑庭"), 1u);
    const Message& xingting = by_recipient["department:刑庭"];
    const Doc list = parse_json(host_.call(
        "obligations.list",
        Req().s("user", "u-sigaiban-head").s("period", "2019-10").s("department", "刑庭").str()));
    const auto expected = arr(list, "obligations").Size();
    EXPECT_GE(expected, 2u) << "刑庭 has several overdue tasks";
    EXPECT_EQ(xingting.obligations.size(), expected);
    EXPECT_EQ(xingting.rules.size(), expected);
    EXPECT_TRUE(contains(xingting.title, std::to_string(expected) + "项")) << xingting.title;

    // The outbox holds exactly what arrived.
    std::set<std::string> stored;
    for (const auto& row : rl::test::sql_rows(db_, "SELECT message_id FROM notifications", true)) {
        stored.insert(row[0]);
    }
    std::set<std::string> arrived;
    for (const auto& m : received()) {
        arrived.insert(m.id);
    }
    EXPECT_EQ(stored, arrived);
    const Doc after = status();
    EXPECT_EQ(num(after, "delivered"), kDepartments);
    EXPECT_EQ(num(after, "pending"), 0);
    EXPECT_EQ(at(after, "oldest_pending_age_ms").GetInt64(), 0);
}

// ------------------------------------------------------------ idempotence

TEST_F(NotifySweepAbi, TwoSweepsForTheSameInstantQueueNothingTheSecondTime) {
    open_with_receiver(kNov8);
    EXPECT_EQ(num(sweep(kNov8), "messages_queued"), kDepartments);
    const Doc again = sweep(kNov8);
    EXPECT_EQ(num(again, "messages_queued"), 0) << dump(again);
    EXPECT_EQ(num(again, "new_items"), 0);
    EXPECT_EQ(num(again, "reminders_due"), kObligations) << "still due, already queued";
    EXPECT_EQ(deliver_all(kNov8), kDepartments);
    // Once delivered, a third sweep (later the same day) still queues nothing.
    EXPECT_EQ(num(sweep(kNov8 + 3600000), "messages_queued"), 0);
    EXPECT_EQ(deliver_all(kNov8 + 3600000), 0);
    expect_each_once_and_signed(kDepartments);
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notifications"), kDepartments);
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notification_items"), kObligations);
}

// A sweep writes in slices so that it never keeps other writers waiting for
// long; with no slice time at all every step commits on its own, and the
// outcome is the same as one sweep in one go.
TEST_F(NotifySweepAbi, ASweepInSlicesOfOneStepQueuesWhatOneTransactionWould) {
    open_with_receiver(kNov8, ",\"sweep_slice_ms\":0");
    const Doc first = sweep(kNov8);
    EXPECT_EQ(num(first, "messages_queued"), kDepartments) << dump(first);
    EXPECT_EQ(num(first, "new_items"), kObligations);
    // The month opened (one step), then one slice per recipient's message.
    EXPECT_EQ(num(first, "write_slices"), 1 + kDepartments) << dump(first);
    EXPECT_GE(at(first, "longest_write_ms").GetDouble(), 0.0);
    const Doc again = sweep(kNov8);
    EXPECT_EQ(num(again, "messages_queued"), 0) << dump(again);
    EXPECT_EQ(deliver_all(kNov8), kDepartments);
    expect_each_once_and_signed(kDepartments);
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notifications"), kDepartments);
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notification_items"), kObligations);
}

TEST_F(NotifySweepAbi, TwoInstancesSweepingTheSameInstantAtOnceQueueEachReminderOnce) {
    open_with_receiver(kNov8);
    PluginHost other;
    other.set_clock(kNov8);
    other.load(RL_PLUGIN_PATH);
    other.create(config_json(db_, notifications(receiver_.url())));
    int queued[2] = {0, 0};
    std::string errors[2];
    {
        std::thread a([&] {
            try {
                queued[0] = num(parse_json(host_.call("notify.sweep")), "messages_queued");
            } catch (const std::exception& e) {
                errors[0] = e.what();
            }
        });
        std::thread b([&] {
            try {
                queued[1] = num(parse_json(other.call("notify.sweep")), "messages_queued");
            } catch (const std::exception& e) {
                errors[1] = e.what();
            }
        });
        a.join();
        b.join();
    }
    EXPECT_EQ(errors[0], "");
    EXPECT_EQ(errors[1], "");
    EXPECT_EQ(queued[0] + queued[1], kDepartments);
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notifications"), kDepartments);
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notification_items"), kObligations);
    other.shutdown();
    EXPECT_EQ(deliver_all(kNov8), kDepartments);
    expect_each_once_and_signed(kDepartments);
}

// ------------------------------------------------------------ downtime

TEST_F(NotifySweepAbi, SweepAfterThreeWorkingDaysOfDowntimeQueuesOneCatchUpPerRecipient) {
    // Chase every working day, so the three missed days would be three reminders each.
    open_with_receiver(kNov8, ",\"rules\":{\"overdue_repeat_working_days\":1}");
    EXPECT_EQ(num(sweep(kNov8), "messages_queued"), kDepartments);
    EXPECT_EQ(deliver_all(kNov8), kDepartments);

    // Down over 11-11, 11-12 and 11-13; back on Wednesday 11-13 at 09:00.
    const std::int64_t back = court_ms(2019, 11, 13, 9, 0);
    const Doc s = sweep(back);
    EXPECT_EQ(num(s, "messages_queued"), kDepartments) << dump(s);
    EXPECT_EQ(num(s, "new_items"), kObligations) << "one item per obligation, not one per day";
    EXPECT_EQ(deliver_all(back), kDepartments);
    expect_each_once_and_signed(2 * kDepartments);

    std::map<std::string, int> per_recipient;
    for (const auto& m : received()) {
        ++per_recipient[m.recipient];
    }
    EXPECT_EQ(per_recipient.size(), static_cast<std::size_t>(kDepartments));
    for (const auto& [who, n] : per_recipient) {
        EXPECT_EQ(n, 2) << who << ": the first reminder and one catch-up";
    }
    const auto all = received();
    for (std::size_t i = kDepartments; i < all.size(); ++i) {
        std::set<std::int64_t> distinct(all[i].obligations.begin(), all[i].obligations.end());
        EXPECT_EQ(distinct.size(), all[i].rules.size())
            << all[i].recipient << ": each obligation once in the catch-up";
    }
    // The same instant again: nothing.
    EXPECT_EQ(num(sweep(back), "messages_queued"), 0);
}

// ------------------------------------------------------------ calendar

TEST_F(NotifySweepAbi, MakeUpWorkingSaturdayRemindersAreDeliverableAtOnce) {
    // 2019-10-12 is a Saturday worked in lieu of National Day, and the due
    // date of period 2019-09 (5th working day of October).
    const std::int64_t saturday = court_ms(2019, 10, 12, 10, 0);
    open_with_receiver(saturday);
    const Doc s = sweep(saturday);
    EXPECT_EQ(num(s, "messages_queued"), kDepartments) << dump(s);
    EXPECT_EQ(num(s, "deferred"), 0) << dump(s);
    EXPECT_EQ(deliver_all(saturday), kDepartments);
    expect_each_once_and_signed(kDepartments);
    for (const auto& m : received()) {
        for (const auto& rule : m.rules) {
            EXPECT_EQ(rule, "due_today") << m.recipient;
        }
    }
}

TEST_F(NotifySweepAbi, HolidayRemindersWaitUntilEightOnTheFirstWorkingDayAfterNationalDay) {
    // Period 2019-09 is due 2019-10-12; five working days ahead of 10-03
    // (10-08..10-12), so a five-day before_due rule fires on the holiday.
    const std::int64_t holiday = court_ms(2019, 10, 3, 10, 0);
    open_with_receiver(holiday, ",\"rules\":{\"before_due_working_days\":5}");
    const Doc s = sweep(holiday);
    EXPECT_EQ(num(s, "messages_queued"), kDepartments) << dump(s);
    EXPECT_EQ(num(s, "deferred"), kDepartments) << dump(s);
    for (const std::int64_t when : {holiday, court_ms(2019, 10, 5, 12, 0),
                                    court_ms(2019, 10, 7, 23, 0), court_ms(2019, 10, 8, 7, 59)}) {
        const Doc d = deliver(when);
        EXPECT_EQ(num(d, "delivered"), 0) << "at " << when << ": " << dump(d);
    }
    EXPECT_TRUE(receiver_.arrivals().empty());
    EXPECT_EQ(num(status(), "pending"), kDepartments);
    EXPECT_EQ(deliver_all(court_ms(2019, 10, 8, 8, 0)), kDepartments);
    expect_each_once_and_signed(kDepartments);
    for (const auto& m : received()) {
        for (const auto& rule : m.rules) {
            EXPECT_EQ(rule, "before_due") << m.recipient;
        }
    }
}

TEST_F(NotifySweepAbi, QuietHoursDeferANonUrgentReminderUntilEightTheNextWorkingDay) {
    // Tuesday 2019-11-05 22:00: period 2019-10 is due Thursday 11-07 (before_due).
    const std::int64_t night = court_ms(2019, 11, 5, 22, 0);
    open_with_receiver(night);
    const Doc s = sweep(night);
    EXPECT_EQ(num(s, "messages_queued"), kDepartments) << dump(s);
    EXPECT_EQ(num(s, "deferred"), kDepartments);
    EXPECT_EQ(num(deliver(night), "delivered"), 0);
    EXPECT_EQ(num(deliver(court_ms(2019, 11, 6, 7, 59)), "delivered"), 0);
    EXPECT_TRUE(receiver_.arrivals().empty());
    EXPECT_EQ(deliver_all(court_ms(2019, 11, 6, 8, 1)), kDepartments);
    expect_each_once_and_signed(kDepartments);
}

TEST_F(NotifySweepAbi, UrgentOverdueRemindersGoOutDuringQuietHours) {
    const std::int64_t night = court_ms(2019, 11, 8, 22, 0);
    open_with_receiver(night);
    const Doc s = sweep(night);
    EXPECT_EQ(num(s, "messages_queued"), kDepartments);
    EXPECT_EQ(num(s, "deferred"), 0);
    EXPECT_EQ(deliver_all(night), kDepartments);
}

// ------------------------------------------------------------ escalation

TEST_F(NotifySweepAbi,
       EscalationAfterFiveOverdueWorkingDaysIsRecordedOnceAndGoesToLeadersInCharge) {
    const std::int64_t day5 = court_ms(2019, 11, 14, 9, 0);  // 5 working days late
    open_with_receiver(day5);
    const Doc s = sweep(day5);
    EXPECT_EQ(num(s, "escalations"), kObligations) << dump(s);
    EXPECT_EQ(num(s, "accountability"), 0);
    EXPECT_EQ(deliver_all(day5), num(s, "messages_queued"));
    std::set<std::string> people;
    std::set<std::string> departments;
    for (const auto& m : received()) {
        if (m.recipient.rfind("person:", 0) == 0) {
            people.insert(m.recipient);
            for (const auto& rule : m.rules) {
                EXPECT_EQ(rule, "escalation");
            }
        } else {
            departments.insert(m.recipient.substr(std::string("department:").size()));
        }
    }
    EXPECT_EQ(departments.size(), static_cast<std::size_t>(kDepartments));
    const auto leaders = leaders_of(departments);
    EXPECT_EQ(people, leaders);
    EXPECT_EQ(leaders.count("person:u-vp-trial"), 1u);
    EXPECT_EQ(num(s, "messages_queued"), kDepartments + static_cast<int>(leaders.size()));

    // The next day: recorded once, and the leaders are not told again.
    const std::int64_t day6 = court_ms(2019, 11, 15, 9, 0);
    const Doc next = sweep(day6);
    EXPECT_EQ(num(next, "escalations"), 0) << dump(next);
    deliver_all(day6);
    for (std::size_t i = kDepartments + leaders.size(); i < received().size(); ++i) {
        EXPECT_EQ(received()[i].recipient.rfind("person:", 0), std::string::npos)
            << received()[i].recipient << " told again";
    }

    // In the audit trail and the ledger.
    const Doc trail = parse_json(
        host_.call("audit.list", Req().s("user", "u-sigaiban-head").s("task", "33").str()));
    int escalations = 0;
    for (const auto& e : arr(trail, "entries").GetArray()) {
        if (str(e, "action") == "escalation") {
            ++escalations;
            EXPECT_EQ(str(e, "actor"), "system");
            EXPECT_EQ(str(e, "period"), "2019-10");
        }
    }
    EXPECT_EQ(escalations, 6) << "task 33 has six departments: " << dump(trail);
    const Doc list = parse_json(host_.call(
        "obligations.list",
        Req().s("user", "u-sigaiban-head").s("period", "2019-10").s("task", "33").str()));
    for (const auto& o : arr(list, "obligations").GetArray()) {
        EXPECT_EQ(str(o, "escalation"), "escalation") << dump(o);
    }
    expect_each_once_and_signed(received().size());
}

TEST_F(NotifySweepAbi, AccountabilityGoesToTheSupervisionOfficeAndThePresidentAndIsInTheLedger) {
    const std::int64_t day15 = court_ms(2019, 11, 28, 9, 0);  // 15 working days late
    open_with_receiver(day15);
    const Doc s = sweep(day15);
    EXPECT_EQ(num(s, "accountability"), kObligations) << dump(s);
    EXPECT_EQ(num(s, "escalations"), kObligations);
    deliver_all(day15);
    std::map<std::string, std::set<std::string>> rules_of;
    for (const auto& m : received()) {
        for (const auto& rule : m.rules) {
            rules_of[m.recipient].insert(rule);
        }
    }
    EXPECT_EQ(rules_of["person:u-jianchashi-head"], std::set<std::string>{"accountability"});
    EXPECT_EQ(rules_of["person:u-president"], std::set<std::string>{"accountability"});
    EXPECT_EQ(rules_of["person:u-vp-trial"], std::set<std::string>{"escalation"});
    const Doc trail = parse_json(
        host_.call("audit.list", Req().s("user", "u-sigaiban-head").s("task", "33").str()));
    int accountability = 0;
    for (const auto& e : arr(trail, "entries").GetArray()) {
        accountability += str(e, "action") == "accountability" ? 1 : 0;
    }
    EXPECT_EQ(accountability, 6);
    const Doc list = parse_json(host_.call(
        "obligations.list",
        Req().s("user", "u-sigaiban-head").s("period", "2019-10").s("task", "33").str()));
    for (const auto& o : arr(list, "obligations").GetArray()) {
        EXPECT_EQ(str(o, "escalation"), "accountability") << dump(o);
    }
    EXPECT_EQ(num(sweep(day15 + 60000), "accountability"), 0) << "recorded once";
    expect_each_once_and_signed(received().size());
}

TEST_F(NotifySweepAbi, TwoMissedPeriodsEscalateOnTheFirstOverdueDay) {
    // Period 2019-09 (due 10-12) and 2019-10 (due 11-07) both unreported.
    open_with_receiver(court_ms(2019, 10, 12, 10, 0));
    sweep(court_ms(2019, 10, 12, 10, 0));
    deliver_all(court_ms(2019, 10, 12, 10, 0));
    const Doc s = sweep(kNov8);
    // 2019-10: 1 working day late but 2 missed periods → escalation;
    // 2019-09: 20 working days late → escalation and accountability.
    EXPECT_EQ(num(s, "escalations"), 2 * kObligations) << dump(s);
    EXPECT_EQ(num(s, "accountability"), kObligations);
    const Doc list = parse_json(host_.call(
        "obligations.list",
        Req().s("user", "u-sigaiban-head").s("period", "2019-10").s("task", "33").str()));
    for (const auto& o : arr(list, "obligations").GetArray()) {
        EXPECT_EQ(str(o, "escalation"), "escalation") << dump(o);
    }
}

// ------------------------------------------------------------ approval waiting

TEST_F(NotifySweepAbi, AReportWaitingThreeWorkingDaysAtTheHeadRemindsTheHead) {
    const std::int64_t monday = court_ms(2019, 11, 4, 10, 0);
    receiver_.start();
    // Only people get messages here, so the head's reminder stands out.
    open(notifications(receiver_.url(),
                       ",\"routes\":{\"default\":[],\"people\":{"
                       "\"u-xingting-head\":[\"oa\"]}}"),
         monday);
    const std::string content = Req()
                                    .s("progress_summary", "刑事审判流程标准初稿已形成。")
                                    .s("measures", "逐项梳理流程节点")
                                    .i("percent_complete", 40)
                                    .raw("evidence", "[]")
                                    .str();
    act_as_xingting_contact(host_, "save_draft", content);
    act_as_xingting_contact(host_, "submit", "");
    // Wednesday: 2 working days at the head's step; Thursday: 3.
    const std::int64_t wednesday = court_ms(2019, 11, 6, 10, 0);
    sweep(wednesday);
    EXPECT_EQ(deliver_all(wednesday), 0);
    const std::int64_t thursday = court_ms(2019, 11, 7, 10, 0);
    const Doc s = sweep(thursday);
    EXPECT_EQ(num(s, "messages_queued"), 1) << dump(s);
    EXPECT_EQ(deliver_all(thursday), 1);
    const auto got = received();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].recipient, "person:u-xingting-head");
    EXPECT_EQ(got[0].rules, std::vector<std::string>{"approval_waiting"});
    expect_each_once_and_signed(1);
}

// ------------------------------------------------------------ the worker

TEST_F(NotifySweepAbi, ThePluginsDeliveryThreadSendsWhatTheSweepQueued) {
    receiver_.start();
    open(notifications(receiver_.url(), "", true), kNov8);
    EXPECT_TRUE(at(status(), "worker").GetBool());
    EXPECT_EQ(num(sweep(kNov8), "messages_queued"), kDepartments);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (receiver_.arrivals().size() < static_cast<std::size_t>(kDepartments) &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    host_.shutdown();  // joins the delivery thread
    expect_each_once_and_signed(kDepartments);
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notifications WHERE status = 'delivered'"),
              kDepartments);
}

}  // namespace
