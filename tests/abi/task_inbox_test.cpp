// The inbox (待办) lists a task's closure application (办结申请) at the step the
// person may act on — the engine decides, as task.get with a user does — and
// extension requests (延期申请) waiting for the leader in charge of the
// department that asked (requested) or for the reform office (endorsed),
// through the real plugin's C ABI. The inbox is a read: it writes nothing.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

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
const std::string kLeader = "u-vp-trial";             // in charge of 刑庭
const std::string kOtherLeader = "u-vp-enforcement";  // not in charge of 刑庭
const std::string kOffice = "u-sigaiban-head";

class TaskInbox : public ::testing::Test {
protected:
    void SetUp() override {
        host_ = std::make_unique<PluginHost>();
        open_plugin(*host_, court_ms(2019, 11, 4), rl::test::plugin_config(db_));
    }
    void TearDown() override { host_->shutdown(); }

    Doc call(const std::string& method, const std::string& request) {
        return parse_json(host_->call(method, request));
    }
    Doc inbox(const std::string& user) {
        Doc d = call("inbox", Req().s("user", user).str());
        EXPECT_TRUE(d.HasMember("closures") && d.HasMember("extensions")) << dump(d);
        return d;
    }
    // "task@step" of each closure waiting for the user.
    std::set<std::string> closures(const std::string& user) {
        const Doc d = inbox(user);
        std::set<std::string> out;
        for (const auto& c : arr(d, "closures").GetArray()) {
            out.insert(str(c, "task") + "@" + str(c, "step"));
        }
        return out;
    }
    // "id:task:waiting_for" of each extension request waiting for the user.
    std::set<std::string> extensions(const std::string& user) {
        const Doc d = inbox(user);
        std::set<std::string> out;
        for (const auto& e : arr(d, "extensions").GetArray()) {
            out.insert(std::to_string(num(e, "id")) + ":" + str(e, "task") + ":" +
                       str(e, "waiting_for"));
        }
        return out;
    }
    int closure_version() {
        const Doc d = call("task.get", Req().s("task", "33").str());
        const Val& c = at(at(d, "task"), "closure");
        return c.IsObject() ? num(c, "version") : 0;
    }
    void close(const std::string& action, const std::string& actor) {
        Req r;
        r.s("task", "33").s("action", action).s("actor", actor);
        if (const int v = closure_version(); v != 0) {
            r.i("version", v);
        }
        if (action == "save_draft") {
            r.raw("content", R"({"final_report":"标准化建设已全面完成。",)"
                             R"("evidence":[{"name":"流程标准.pdf","url":"https://oa/f/1"}]})");
        }
        const Doc d = call("task.close", r.str());
        ASSERT_EQ(str(d, "outcome"), "ok") << action << " " << actor << ": " << dump(d);
    }
    int audit_entries() {
        return static_cast<int>(
            arr(call("audit.list", Req().s("user", kOffice).str()), "entries").Size());
    }

    TempDir dir_;
    std::string db_ = dir_.file("ledger.db");
    std::unique_ptr<PluginHost> host_;
};

using Set = std::set<std::string>;

TEST_F(TaskInbox, AnExtensionRequestWaitsForTheLeaderInChargeThenForTheReformOffice) {
    EXPECT_EQ(extensions(kLeader), Set{});
    Doc d = call("task.extension.request", Req()
                                               .s("task", "33")
                                               .s("actor", kContact)
                                               .s("due", "2020-03-31")
                                               .s("reason", "需与省院系统对接")
                                               .str());
    ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    const int id = num(at(d, "extension"), "id");
    const std::string n = std::to_string(id);
    EXPECT_EQ(extensions(kLeader), Set{n + ":33:leader_in_charge"});
    // Not for the reform office yet, nor a leader in charge of other
    // departments, nor the department that asked.
    EXPECT_EQ(extensions(kOffice), Set{});
    EXPECT_EQ(extensions(kOtherLeader), Set{});
    EXPECT_EQ(extensions(kContact), Set{});
    const Doc leader = inbox(kLeader);
    const Val& e = arr(leader, "extensions")[0];
    EXPECT_EQ(str(e, "department"), "刑庭");
    EXPECT_EQ(str(e, "to_due"), "2020-03-31");
    EXPECT_EQ(str(e, "reason"), "需与省院系统对接");
    EXPECT_EQ(str(e, "requested_by"), kContact);
    EXPECT_EQ(str(e, "state"), "requested");

    ASSERT_EQ(str(call("task.extension.act",
                       Req().i("id", id).s("action", "approve").s("actor", kLeader).str()),
                  "outcome"),
              "ok");
    EXPECT_EQ(extensions(kLeader), Set{});
    EXPECT_EQ(extensions(kOffice), Set{n + ":33:reform_office"});
    EXPECT_EQ(extensions("u-sigaiban-contact"), Set{n + ":33:reform_office"});
    ASSERT_EQ(str(call("task.extension.act",
                       Req().i("id", id).s("action", "approve").s("actor", kOffice).str()),
                  "outcome"),
              "ok");
    EXPECT_EQ(extensions(kOffice), Set{});
    EXPECT_EQ(extensions(kLeader), Set{});
}

TEST_F(TaskInbox, AClosureIsListedAtTheStepThePersonMayActOn) {
    EXPECT_EQ(closures(kContact), Set{});
    close("save_draft", kContact);
    // A draft waits for the department's contact to submit it.
    EXPECT_EQ(closures(kContact), Set{"33@draft"});
    EXPECT_EQ(closures(kHead), Set{});
    const Doc contact = inbox(kContact);
    const Val& c = arr(contact, "closures")[0];
    EXPECT_EQ(str(c, "department"), "刑庭");
    EXPECT_EQ(str(c, "state"), "draft");
    EXPECT_EQ(num(c, "version"), closure_version());
    bool submit = false;
    for (const auto& a : arr(c, "actions").GetArray()) {
        submit = submit || std::string(a.GetString()) == "submit";
    }
    EXPECT_TRUE(submit) << dump(contact);

    close("submit", kContact);
    EXPECT_EQ(closures(kContact), Set{});
    const Set at_head = closures(kHead);
    ASSERT_EQ(at_head.size(), 1u);
    const std::string head_step = *at_head.begin();
    EXPECT_EQ(closures("u-xingting-deputy"), at_head);  // also 刑庭's head
    EXPECT_EQ(closures(kLeader), Set{});

    close("approve", kHead);
    EXPECT_EQ(closures(kHead), Set{});
    const Set at_leader = closures(kLeader);
    ASSERT_EQ(at_leader.size(), 1u);
    EXPECT_NE(*at_leader.begin(), head_step);
    EXPECT_EQ(closures(kOtherLeader), Set{});
    EXPECT_EQ(closures(kOffice), Set{});

    close("approve", kLeader);
    EXPECT_EQ(closures(kLeader), Set{});
    EXPECT_EQ(closures(kOffice), Set{"33@reform_office"});

    // The inbox writes nothing, and an unknown person is refused.
    const int before = audit_entries();
    inbox(kOffice);
    inbox(kLeader);
    EXPECT_EQ(audit_entries(), before);
    std::string message;
    EXPECT_EQ(status_of([&] { host_->call("inbox", Req().s("user", "u-nobody").str()); }, &message),
              RL_ERR_NOT_FOUND);
    EXPECT_TRUE(contains(message, "u-nobody")) << message;

    // Filed: waits for nobody.
    close("file", kOffice);
    EXPECT_EQ(closures(kOffice), Set{});
    EXPECT_EQ(closures(kContact), Set{});
}

}  // namespace
