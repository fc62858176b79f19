// Urges (催办) and supervision notices (督办单) through the real plugin's C ABI:
// a single urge and a bulk urge of a department's overdue obligations with
// the minimum interval between urges, who may urge, the urge message at the
// stub's MessageReceiver, the notice issued and answered, and all of it in
// the audit trail and the ledger (obligations.list "urges").
#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "abi_test_helpers.h"
#include "message_receiver.h"
#include "plugin_host.h"
#include "reform_ledger.h"
#include "support/test_support.h"

using oa_stub::PluginError;
using oa_stub::PluginHost;
using rl::test::TempDir;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)

const std::string kOffice = "u-sigaiban-head";
const std::int64_t kHour = 3600000;
std::string config_json(const std::string& db, const std::string& url) {
    return "{\"database\":" + rl::test::database_json(db) +
           ",\"org_chart\":" + rl::test::demo_org_chart_json() +
           ",\"options\":{\"reporting\":{\"cycle\":\"monthly\",\"due_working_day\":5}}"
           ",\"notifications\":{\"channels\":[{\"name\":\"oa\",\"kind\":\"webhook\",\"url\":" +
           q(url) + ",\"secret\":" + q(kSecret) +
           "}],\"urge_min_interval_hours\":24,\"worker\":{\"enabled\":false}}}";
}

class NotifyUrgeAbi : public ::testing::Test {
protected:
    void SetUp() override {
        receiver_.start();
        open_plugin(host_, kNov8, config_json(db_, receiver_.url()));
    }

    Doc call(std::int64_t at, const std::string& method, const std::string& request) {
        host_.set_clock(at);
        return parse_json(host_.call(method, request));
    }
    Doc bulk(std::int64_t at, const std::string& department = "刑庭",
             const std::string& actor = kOffice) {
        return call(at, "urge.bulk", Req().s("department", department).s("actor", actor).str());
    }
    Doc urge(std::int64_t at, const std::string& task = "33", const std::string& actor = kOffice,
             const std::string& department = "刑庭") {
        return call(at, "urge",
                    Req()
                        .s("task", task)
                        .s("department", department)
                        .s("period", "2019-10")
                        .s("actor", actor)
                        .s("note", "请尽快报送。")
                        .str());
    }
    // obligations.list of 刑庭 for 2019-10: task → urges.
    std::map<std::string, int> urges_of(const std::string& department = "刑庭") {
        const Doc list = parse_json(host_.call("obligations.list", Req()
                                                                       .s("user", "u-sigaiban-head")
                                                                       .s("period", "2019-10")
                                                                       .s("department", department)
                                                                       .str()));
        std::map<std::string, int> out;
        for (const auto& o : arr(list, "obligations").GetArray()) {
            out[str(o, "task") + "/" + str(o, "item")] = num(o, "urges");
        }
        return out;
    }
    std::vector<std::string> audit_actions(const std::string& task) {
        const Doc trail = parse_json(
            host_.call("audit.list", Req().s("user", "u-sigaiban-head").s("task", task).str()));
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
    int deliver_all(std::int64_t at) {
        int delivered = 0;
        for (int i = 0; i < 10; ++i) {
            const Doc d = call(at, "notify.deliver", "{}");
            delivered += num(d, "delivered");
            if (num(d, "delivered") + num(d, "retried") + num(d, "dead") == 0) {
                break;
            }
        }
        return delivered;
    }

    TempDir dir_;
    std::string db_ = dir_.file("ledger.db");
    oa_stub::MessageReceiver receiver_{kSecret};
    PluginHost host_;
};

// ------------------------------------------------------------ bulk urge

TEST_F(NotifyUrgeAbi, BulkUrgeUrgesEveryOverdueObligationOnceAndNotAgainWithinTheInterval) {
    const std::size_t overdue = urges_of().size();
    ASSERT_GE(overdue, 2u);
    const Doc first = bulk(kNov8);
    EXPECT_EQ(str(first, "outcome"), "ok") << dump(first);
    EXPECT_EQ(arr(first, "urged").Size(), overdue);
    EXPECT_EQ(arr(first, "skipped").Size(), 0u);
    for (const auto& [key, n] : urges_of()) {
        EXPECT_EQ(n, 1) << key;
    }
    // One consolidated, urgent urge message to the department.
    EXPECT_EQ(num(call(kNov8, "notify.status", "{}"), "pending"), 1);
    EXPECT_EQ(deliver_all(kNov8), 1);
    ASSERT_EQ(receiver_.arrivals().size(), 1u);
    const Doc payload = parse_json(receiver_.arrivals()[0].body);
    EXPECT_EQ(str(payload, "kind"), "urge");
    EXPECT_TRUE(at(payload, "urgent").GetBool());
    EXPECT_EQ(str(at(payload, "recipient"), "id"), "刑庭");
    EXPECT_EQ(arr(payload, "items").Size(), overdue);

    // An hour later: nothing urged, everything listed as skipped.
    const Doc again = bulk(kNov8 + kHour);
    EXPECT_EQ(str(again, "outcome"), "ok") << dump(again);
    EXPECT_EQ(arr(again, "urged").Size(), 0u) << dump(again);
    ASSERT_EQ(arr(again, "skipped").Size(), overdue);
    EXPECT_TRUE(contains(str(arr(again, "skipped")[0], "reason"), "again after"))
        << dump(arr(again, "skipped")[0]);
    EXPECT_EQ(num(call(kNov8 + kHour, "notify.status", "{}"), "pending"), 0)
        << "nothing queued for a refused bulk urge";
    // A minute before the interval is up: still nothing.
    EXPECT_EQ(arr(bulk(kNov8 + 24 * kHour - 60000), "urged").Size(), 0u);
    for (const auto& [key, n] : urges_of()) {
        EXPECT_EQ(n, 1) << key;
    }

    // 24 hours on: urged again.
    const Doc later = bulk(kNov8 + 24 * kHour);
    EXPECT_EQ(arr(later, "urged").Size(), overdue) << dump(later);
    EXPECT_EQ(arr(later, "skipped").Size(), 0u);
    for (const auto& [key, n] : urges_of()) {
        EXPECT_EQ(n, 2) << key;
    }
    EXPECT_EQ(deliver_all(kNov8 + 24 * kHour), 1);
    EXPECT_EQ(receiver_.arrivals().size(), 2u);
    EXPECT_EQ(receiver_.rejected(), 0);

    const auto actions = audit_actions("33");
    EXPECT_EQ(count(actions, "urge"), 2) << "task 33 of 刑庭 was urged twice";
    // Other departments were not touched.
    for (const auto& [key, n] : urges_of("民庭")) {
        EXPECT_EQ(n, 0) << key;
    }
}

TEST_F(NotifyUrgeAbi, BulkUrgeSkipsWhatWasUrgedSinglyAndUrgesTheRest) {
    const std::size_t overdue = urges_of().size();
    EXPECT_EQ(str(urge(kNov8), "outcome"), "ok");
    const Doc b = bulk(kNov8 + kHour);
    EXPECT_EQ(arr(b, "urged").Size(), overdue - 1) << dump(b);
    ASSERT_EQ(arr(b, "skipped").Size(), 1u) << dump(b);
    EXPECT_EQ(str(arr(b, "skipped")[0], "task"), "33");
}

TEST_F(NotifyUrgeAbi, BulkUrgeByAnyoneButTheReformOfficeIsNotPermitted) {
    const Doc d = bulk(kNov8, "刑庭", "u-xingting-head");
    EXPECT_EQ(str(d, "outcome"), "not_permitted") << dump(d);
    for (const auto& [key, n] : urges_of()) {
        EXPECT_EQ(n, 0) << key;
    }
    EXPECT_EQ(count(audit_actions("33"), "urge"), 0);
}

TEST_F(NotifyUrgeAbi, BulkUrgeBeforeTheDueDateFindsNothingOverdue) {
    const Doc d = bulk(court_ms(2019, 11, 5, 9, 0));
    EXPECT_EQ(str(d, "outcome"), "ok") << dump(d);
    EXPECT_EQ(arr(d, "urged").Size(), 0u);
    EXPECT_TRUE(contains(str(d, "message"), "nothing overdue")) << dump(d);
}

// ------------------------------------------------------------ single urge

TEST_F(NotifyUrgeAbi, ASecondUrgeWithinTheIntervalIsTooSoonAndChangesNothing) {
    const Doc first = urge(kNov8);
    EXPECT_EQ(str(first, "outcome"), "ok") << dump(first);
    EXPECT_EQ(num(first, "urges"), 1);
    const Doc soon = urge(kNov8 + kHour);
    EXPECT_EQ(str(soon, "outcome"), "too_soon") << dump(soon);
    EXPECT_EQ(num(soon, "urges"), 1);
    EXPECT_TRUE(contains(str(soon, "message"), "urge again after")) << dump(soon);
    EXPECT_EQ(count(audit_actions("33"), "urge"), 1);
    EXPECT_EQ(deliver_all(kNov8 + kHour), 1) << "one urge, one message";
    const Doc later = urge(kNov8 + 24 * kHour);
    EXPECT_EQ(str(later, "outcome"), "ok") << dump(later);
    EXPECT_EQ(num(later, "urges"), 2);
    EXPECT_EQ(urges_of()["33/"], 2);
    const Doc trail = parse_json(
        host_.call("audit.list", Req().s("user", "u-sigaiban-head").s("task", "33").str()));
    int urges = 0;
    for (const auto& e : arr(trail, "entries").GetArray()) {
        if (str(e, "action") == "urge") {
            ++urges;
            EXPECT_EQ(str(e, "actor"), kOffice);
            EXPECT_EQ(str(e, "department"), "刑庭");
            EXPECT_EQ(str(e, "period"), "2019-10");
            EXPECT_EQ(str(e, "reason"), "请尽快报送。");
        }
    }
    EXPECT_EQ(urges, 2);
}

TEST_F(NotifyUrgeAbi, OnlyTheReformOfficeMayUrge) {
    const Doc d = urge(kNov8, "33", "u-vp-trial");
    EXPECT_EQ(str(d, "outcome"), "not_permitted") << dump(d);
    EXPECT_EQ(num(d, "urges"), 0);
    EXPECT_EQ(count(audit_actions("33"), "urge"), 0);
}

// ------------------------------------------------------------ supervision notices

TEST_F(NotifyUrgeAbi, ASupervisionNoticeIsIssuedNotifiedAnsweredOnceAndAudited) {
    const Doc issued = call(kNov8, "supervision.issue",
                            Req()
                                .s("task", "33")
                                .s("department", "刑庭")
                                .s("actor", kOffice)
                                .s("content", "请说明2019年10月工作进展报告逾期原因并限期报送。")
                                .i("due_working_days", 3)
                                .str());
    ASSERT_EQ(str(issued, "outcome"), "ok") << dump(issued);
    const Val& notice = at(issued, "notice");
    const std::string number = str(notice, "number");
    EXPECT_EQ(number, "督办〔2019〕1号");
    EXPECT_EQ(str(notice, "due_date"), "2019-11-13") << "3 working days after Friday 11-08";
    EXPECT_EQ(str(notice, "status"), "open");
    EXPECT_FALSE(at(notice, "overdue").GetBool());

    EXPECT_EQ(deliver_all(kNov8), 1);
    ASSERT_EQ(receiver_.arrivals().size(), 1u);
    const Doc payload = parse_json(receiver_.arrivals()[0].body);
    EXPECT_EQ(str(payload, "kind"), "supervision_notice");
    EXPECT_TRUE(contains(receiver_.arrivals()[0].body, number));

    // Overdue once its due date has passed unanswered.
    const Doc listed =
        call(court_ms(2019, 11, 14), "supervision.list", Req().s("department", "刑庭").str());
    ASSERT_EQ(arr(listed, "notices").Size(), 1u);
    EXPECT_TRUE(at(arr(listed, "notices")[0], "overdue").GetBool()) << dump(listed);

    // Only the department's contact or head answers.
    const Doc wrong = call(
        court_ms(2019, 11, 14), "supervision.answer",
        Req().s("notice", number).s("actor", "u-minting-head").s("answer", "不是本部门。").str());
    EXPECT_EQ(str(wrong, "outcome"), "not_permitted") << dump(wrong);
    const Doc answered = call(court_ms(2019, 11, 14), "supervision.answer",
                              Req()
                                  .s("notice", number)
                                  .s("actor", "u-xingting-head")
                                  .s("answer", "已于11月14日补报。")
                                  .str());
    EXPECT_EQ(str(answered, "outcome"), "ok") << dump(answered);
    EXPECT_EQ(str(at(answered, "notice"), "status"), "answered");
    EXPECT_EQ(str(at(answered, "notice"), "answered_by"), "u-xingting-head");
    EXPECT_FALSE(at(at(answered, "notice"), "overdue").GetBool());
    const Doc twice = call(
        court_ms(2019, 11, 14), "supervision.answer",
        Req().s("notice", number).s("actor", "u-xingting-contact").s("answer", "再次回复。").str());
    EXPECT_EQ(str(twice, "outcome"), "invalid") << dump(twice);

    const auto actions = audit_actions("33");
    EXPECT_EQ(count(actions, "supervision_notice"), 1);
    EXPECT_EQ(count(actions, "supervision_answer"), 1);
    const Doc open_list =
        call(court_ms(2019, 11, 14), "supervision.list", Req().s("status", "open").str());
    EXPECT_EQ(arr(open_list, "notices").Size(), 0u);
}

TEST_F(NotifyUrgeAbi, ASupervisionNoticeIsRefusedForADepartmentWithoutPartInTheTaskOrByOthers) {
    const Doc other = call(kNov8, "supervision.issue",
                           Req()
                               .s("task", "33")
                               .s("department", "法警队")
                               .s("actor", kOffice)
                               .s("content", "请报送。")
                               .str());
    EXPECT_EQ(str(other, "outcome"), "invalid") << dump(other);
    const Doc by_leader = call(kNov8, "supervision.issue",
                               Req()
                                   .s("task", "33")
                                   .s("department", "刑庭")
                                   .s("actor", "u-vp-trial")
                                   .s("content", "请报送。")
                                   .str());
    EXPECT_EQ(str(by_leader, "outcome"), "not_permitted") << dump(by_leader);
    const Doc past = call(kNov8, "supervision.issue",
                          Req()
                              .s("task", "33")
                              .s("department", "刑庭")
                              .s("actor", kOffice)
                              .s("content", "请报送。")
                              .s("due_date", "2019-11-01")
                              .str());
    EXPECT_EQ(str(past, "outcome"), "invalid") << dump(past);
    EXPECT_EQ(arr(call(kNov8, "supervision.list", "{}"), "notices").Size(), 0u);
    EXPECT_EQ(num(call(kNov8, "notify.status", "{}"), "pending"), 0);
}

}  // namespace
