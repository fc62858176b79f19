// report.get's "actions" through the real plugin (dlopen, a real SQLite
// file): what the reading user may do now on a report — in their own name,
// for someone (代办), with the steps a return may go to and the people a
// hand-over may go to — offered exactly when report.act (and report.waive)
// would accept it: the separation of duties, hand-overs, filing gated by the
// co-operating reports, waivers for the reform office.
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
const std::string kDeputy = "u-xingting-deputy";
const std::string kLeader = "u-vp-trial";
const std::string kOffice = "u-sigaiban-head";
const std::string kOffice2 = "u-sigaiban-contact";
const std::string kPresident = "u-president";
const std::string kOtherHead = "u-minting-head";
const std::string kOtherLeader = "u-vp-admin";

// Everyone whose offers the tests compare with what report.act accepts.
const std::vector<std::string> kPeople = {kContact, kHead,      kDeputy,    kLeader,     kOffice,
                                          kOffice2, kPresident, kOtherHead, kOtherLeader};
const std::vector<std::string> kSteps = {"draft", "department_head", "leader_in_charge",
                                         "reform_office"};
const std::vector<std::string> kCo33 = {"民庭", "行政庭（综合审判庭）", "执行指挥中心", "立案庭",
                                        "技术科"};

// One offer as a short string: "approve", "submit@u-…" (代办),
// "return>draft,department_head", "hand_over>u-…".
std::string offer_text(const Val& a) {
    std::string text = str(a, "action");
    if (a.HasMember("acting_for")) {
        text += "@" + str(a, "acting_for");
    }
    for (const char* list : {"target_steps", "hand_over_to"}) {
        if (a.HasMember(list)) {
            std::string joined;
            for (const auto& x : arr(a, list).GetArray()) {
                joined += (joined.empty() ? "" : ",") + std::string(x.GetString());
            }
            text += ">" + joined;
        }
    }
    return text;
}

std::set<std::string> offers_in(const Val& actions) {
    std::set<std::string> out;
    for (const auto& a : actions.GetArray()) {
        out.insert(offer_text(a));
    }
    return out;
}

class ReportActions : public ::testing::Test {
protected:
    void SetUp() override { open("{}"); }
    void TearDown() override { host_->shutdown(); }

    void open(const std::string& options) {
        if (host_) {
            host_->shutdown();
        }
        host_ = std::make_unique<PluginHost>();
        open_plugin(*host_, court_ms(2019, 11, 4), rl::test::plugin_config(db_, options));
    }

    Doc get(const std::string& user, const std::string& department = "刑庭") {
        return parse_json(host_->call("report.get", Req()
                                                        .s("user", user)
                                                        .s("task", "33")
                                                        .s("department", department)
                                                        .s("period", "2019-10")
                                                        .str()));
    }
    std::set<std::string> offers(const std::string& user, const std::string& department = "刑庭") {
        const Doc d = get(user, department);
        EXPECT_EQ(str(d, "outcome"), "ok") << user << ": " << str(d, "message");
        return offers_in(arr(d, "actions"));
    }
    int version(const std::string& department = "刑庭") {
        const Doc d = get(kOffice, department);
        const Val& report = at(at(d, "obligation"), "report");
        return report.IsObject() ? num(report, "version") : 0;
    }

    struct Act {
        std::string action, actor, acting_for, target_step, hand_over_to;
        std::string department = "刑庭";
        int version = -1;  // -1: the report's current version, read first
    };
    Doc act(const Act& a) {
        Req r;
        r.s("task", "33")
            .s("department", a.department)
            .s("period", "2019-10")
            .s("action", a.action)
            .s("actor", a.actor);
        if (const int v = a.version >= 0 ? a.version : version(a.department); v != 0) {
            r.i("version", v);
        }
        if (a.action == "save_draft") {
            r.raw("content",
                  Req().s("progress_summary", "流程节点已梳理。").i("percent_complete", 50).str());
        }
        if (a.action == "return" || a.action == "approve") {
            r.s("reason", "请补充材料。");
        }
        for (const auto& [key, value] :
             {std::pair<const char*, const std::string&>{"acting_for", a.acting_for},
              {"target_step", a.target_step},
              {"hand_over_to", a.hand_over_to}}) {
            if (!value.empty()) {
                r.s(key, value);
            }
        }
        return parse_json(host_->call("report.act", r.str()));
    }
    void ok(const std::string& action, const std::string& actor, const std::string& acting_for = "",
            const std::string& target_step = "", const std::string& hand_over_to = "") {
        const Act a{action, actor, acting_for, target_step, hand_over_to, "刑庭", -1};
        const Doc d = act(a);
        ASSERT_EQ(str(d, "outcome"), "ok")
            << a.action << " by " << a.actor << ": " << str(d, "message");
    }

    // Every action of every person in kPeople, in their own name and for each
    // of the others, with every return target and hand-over receiver, that
    // report.get does not offer is refused by report.act, and nothing changes.
    void expect_unoffered_refused(const std::string& department = "刑庭") {
        const int before = version(department);
        for (const auto& user : kPeople) {
            const Doc d = get(user, department);
            if (str(d, "outcome") != "ok") {
                continue;  // may not read it: report.get lists nothing
            }
            const auto offered = offers_in(arr(d, "actions"));
            // 代办 is offered only for what the user may not do in their own name.
            const auto own = [&](const std::string& action) {
                for (const auto& o : offered) {
                    if (o == action || o.rfind(action + ">", 0) == 0) {
                        return true;
                    }
                }
                return false;
            };
            std::vector<std::string> acting_fors = {""};
            acting_fors.insert(acting_fors.end(), kPeople.begin(), kPeople.end());
            for (const auto& acting_for : acting_fors) {
                if (acting_for == user) {
                    continue;
                }
                const std::string who = acting_for.empty() ? "" : "@" + acting_for;
                for (const std::string action :
                     {"save_draft", "submit", "approve", "withdraw", "file"}) {
                    if (offered.count(action + who) != 0 || (!who.empty() && own(action))) {
                        continue;
                    }
                    const Doc r = act({action, user, acting_for, "", "", department, before});
                    EXPECT_NE(str(r, "outcome"), "ok")
                        << action << who << " by " << user << " was not offered but accepted";
                }
                for (const auto& target : kSteps) {
                    bool listed = !who.empty() && own("return");
                    for (const auto& o : offered) {
                        if (o.rfind("return" + who + ">", 0) == 0 &&
                            ("," + o.substr(o.find('>') + 1) + ",").find("," + target + ",") !=
                                std::string::npos) {
                            listed = true;
                        }
                    }
                    if (!listed) {
                        const Doc r =
                            act({"return", user, acting_for, target, "", department, before});
                        EXPECT_NE(str(r, "outcome"), "ok") << "return" << who << " to " << target
                                                           << " by " << user << " not offered";
                    }
                }
                for (const auto& to : kPeople) {
                    bool listed = !who.empty() && own("hand_over");
                    for (const auto& o : offered) {
                        if (o.rfind("hand_over" + who + ">", 0) == 0 &&
                            ("," + o.substr(o.find('>') + 1) + ",").find("," + to + ",") !=
                                std::string::npos) {
                            listed = true;
                        }
                    }
                    if (!listed) {
                        const Doc r =
                            act({"hand_over", user, acting_for, "", to, department, before});
                        EXPECT_NE(str(r, "outcome"), "ok") << "hand_over" << who << " to " << to
                                                           << " by " << user << " not offered";
                    }
                }
            }
        }
        EXPECT_EQ(version(department), before);
    }

    TempDir dir_;
    std::string db_ = dir_.file("ledger.db");
    std::unique_ptr<PluginHost> host_;
};

using Offers = std::set<std::string>;

// ------------------------------------------------------------ the chain

TEST_F(ReportActions, EachStepOffersItsRoleHoldersWhatTheWorkflowAllowsAndActForToTheOthers) {
    // Nothing drafted: the contact drafts; a head of 刑庭 and the reform
    // office may draft for the contact (代办); the leader may only read.
    EXPECT_EQ(offers(kContact), (Offers{"save_draft"}));
    EXPECT_EQ(offers(kHead), (Offers{"save_draft@" + kContact}));
    EXPECT_EQ(offers(kOffice), (Offers{"save_draft@" + kContact}));
    EXPECT_EQ(offers(kLeader), Offers{});
    EXPECT_EQ(offers(kPresident), Offers{});
    expect_unoffered_refused();

    ok("save_draft", kContact);
    EXPECT_EQ(offers(kContact), (Offers{"save_draft", "submit"}));
    EXPECT_EQ(offers(kHead), (Offers{"save_draft@" + kContact, "submit@" + kContact}));
    expect_unoffered_refused();

    ok("submit", kContact);
    // At the head: approve, return to the drafting step, hand over to the
    // other head; the contact may withdraw until the head acts.
    EXPECT_EQ(offers(kContact), (Offers{"withdraw"}));
    // A head of 刑庭 may also withdraw for the contact, a member of it (代办).
    EXPECT_EQ(offers(kHead),
              (Offers{"approve", "return>draft", "hand_over>" + kDeputy, "withdraw@" + kContact}));
    EXPECT_EQ(offers(kDeputy),
              (Offers{"approve", "return>draft", "hand_over>" + kHead, "withdraw@" + kContact}));
    EXPECT_EQ(offers(kOffice),
              (Offers{"approve@" + kHead, "approve@" + kDeputy, "return@" + kHead + ">draft",
                      "return@" + kDeputy + ">draft", "withdraw@" + kContact,
                      "hand_over@" + kHead + ">" + kDeputy, "hand_over@" + kDeputy + ">" + kHead}));
    expect_unoffered_refused();

    ok("approve", kHead);
    EXPECT_EQ(offers(kLeader),
              (Offers{"approve", "return>draft,department_head"}));  // nobody to hand over to
    EXPECT_EQ(offers(kHead), (Offers{"withdraw"}));
    EXPECT_EQ(str(get(kOtherLeader), "outcome"), "not_permitted")
        << "u-vp-admin is not in charge of 刑庭";
    expect_unoffered_refused();

    ok("approve", kLeader);
    // At the reform office, filing waits for the co-operating departments.
    EXPECT_EQ(offers(kOffice), (Offers{"return>draft,department_head,leader_in_charge",
                                       "hand_over>" + kOffice2, "withdraw@" + kLeader}));
    expect_unoffered_refused();
}

TEST_F(ReportActions, FileIsOfferedOnlyOnceEveryCoOperatingDepartmentReportedOrWasWaived) {
    ok("save_draft", kContact);
    ok("submit", kContact);
    ok("approve", kHead);
    ok("approve", kLeader);
    for (std::size_t i = 0; i < kCo33.size(); ++i) {
        EXPECT_EQ(offers(kOffice).count("file"), 0u) << i << " co reports settled";
        const Doc w = parse_json(host_->call("report.waive", Req()
                                                                 .s("task", "33")
                                                                 .s("department", kCo33[i])
                                                                 .s("period", "2019-10")
                                                                 .s("actor", kOffice)
                                                                 .s("reason", "本月无相关工作。")
                                                                 .str()));
        ASSERT_EQ(str(w, "outcome"), "ok") << str(w, "message");
    }
    EXPECT_EQ(offers(kOffice).count("file"), 1u);
    EXPECT_EQ(offers(kOffice2).count("file"), 1u);
    expect_unoffered_refused();
    ok("file", kOffice2);
    // Filed: nothing more for anyone.
    for (const auto& user : kPeople) {
        if (str(get(user), "outcome") == "ok") {
            EXPECT_EQ(offers(user), Offers{}) << user;
        }
    }
}

// ------------------------------------------------------------ waivers

TEST_F(ReportActions, WaiveIsOfferedToTheReformOfficeOnCoOperatingReportsNotYetWaived) {
    EXPECT_EQ(offers(kOffice, "民庭").count("waive"), 1u);
    EXPECT_EQ(offers(kOffice2, "民庭").count("waive"), 1u);
    EXPECT_EQ(offers(kOffice).count("waive"), 0u) << "刑庭 leads task 33";
    EXPECT_EQ(offers("u-minting-contact", "民庭").count("waive"), 0u);
    EXPECT_EQ(offers(kPresident, "民庭").count("waive"), 0u);

    // The lead report lists each co report with the reader's actions on it.
    const Doc lead = get(kOffice);
    ASSERT_EQ(arr(lead, "co_reports").Size(), kCo33.size());
    for (const auto& co : arr(lead, "co_reports").GetArray()) {
        EXPECT_EQ(offers_in(arr(co, "actions")).count("waive"), 1u) << str(co, "department");
    }
    EXPECT_EQ(offers_in(arr(arr(get(kContact), "co_reports")[0], "actions")).count("waive"), 0u);

    const Doc w = parse_json(host_->call("report.waive", Req()
                                                             .s("task", "33")
                                                             .s("department", "民庭")
                                                             .s("period", "2019-10")
                                                             .s("actor", kOffice)
                                                             .s("reason", "本月无相关工作。")
                                                             .str()));
    ASSERT_EQ(str(w, "outcome"), "ok") << str(w, "message");
    EXPECT_EQ(offers(kOffice, "民庭").count("waive"), 0u) << "already waived";
    // report.waive refuses exactly where waive is not offered.
    for (const auto& [user, department] :
         std::vector<std::pair<std::string, std::string>>{{kOffice, "民庭"},
                                                          {kOffice, "刑庭"},
                                                          {"u-minting-contact", "民庭"},
                                                          {kPresident, "立案庭"}}) {
        const Doc r = parse_json(host_->call("report.waive", Req()
                                                                 .s("task", "33")
                                                                 .s("department", department)
                                                                 .s("period", "2019-10")
                                                                 .s("actor", user)
                                                                 .s("reason", "无")
                                                                 .str()));
        EXPECT_NE(str(r, "outcome"), "ok") << user << " waived " << department;
    }
}

// ------------------------------------------------------------ 四眼原则, 转交, 代办

TEST_F(ReportActions, WhoActedAtOneStepIsOfferedNothingAtAnotherWhileSeparationOfDutiesIsOn) {
    // The head drafts and submits for the contact (代办): that is the
    // drafting step, so the head may not approve; the deputy may.
    ok("save_draft", kHead, kContact);
    ok("submit", kHead, kContact);
    EXPECT_EQ(offers(kHead), (Offers{"withdraw@" + kContact}));
    EXPECT_EQ(offers(kDeputy), (Offers{"approve", "return>draft", "withdraw@" + kContact}))
        << "no hand-over to the head, who drafted it";
    expect_unoffered_refused();

    // With the separation of duties off for the plan, the head may approve.
    open(R"({"separation_of_duties": false})");
    EXPECT_EQ(offers(kHead).count("approve"), 1u);
    expect_unoffered_refused();
}

TEST_F(ReportActions, AHandOverOffersTheStepToItsReceiverAloneAndEndsTheSendersWithdraw) {
    ok("save_draft", kContact);
    ok("submit", kContact);
    ok("hand_over", kHead, "", "", kDeputy);
    // The sender no longer acts in their own name; as a head of 刑庭 they may
    // still act for the receiver, a member of it (代办), as report.act allows.
    EXPECT_EQ(offers(kHead), (Offers{"approve@" + kDeputy, "return@" + kDeputy + ">draft",
                                     "hand_over@" + kDeputy + ">" + kHead}));
    EXPECT_EQ(offers(kContact), Offers{}) << "a handed-over report can no longer be withdrawn";
    EXPECT_EQ(offers(kDeputy), (Offers{"approve", "return>draft", "hand_over>" + kHead}));
    // The reform office acts for the receiver only.
    for (const auto& o : offers(kOffice)) {
        EXPECT_NE(o.find("@" + kDeputy), std::string::npos) << o;
    }
    expect_unoffered_refused();
    // What is offered is accepted.
    ok("approve", kOffice, kDeputy);
    EXPECT_EQ(offers(kLeader).count("approve"), 1u);
}

TEST_F(ReportActions, AReturnOffersTheDraftBackToTheContactAndResubmissionToTheStepThatReturned) {
    ok("save_draft", kContact);
    ok("submit", kContact);
    ok("approve", kHead);
    ok("approve", kLeader);
    ok("return", kOffice, "", "draft");
    EXPECT_EQ(offers(kContact), (Offers{"save_draft", "submit"}));
    // Those who acted at later steps may not draft for the contact (四眼原则).
    EXPECT_EQ(offers(kOffice), Offers{});
    EXPECT_EQ(offers(kHead), Offers{});
    expect_unoffered_refused();
    ok("submit", kContact);
    // Straight back to the reform office, which returned it.
    EXPECT_EQ(offers(kLeader), Offers{});
    EXPECT_EQ(offers(kOffice).count("return>draft,department_head,leader_in_charge"), 1u);
}

TEST_F(ReportActions, AReaderWhoMayNotReadTheReportGetsNoActionsAtAll) {
    const Doc d = get(kOtherHead);
    EXPECT_EQ(str(d, "outcome"), "not_permitted");
    EXPECT_FALSE(d.HasMember("actions"));
}

}  // namespace
