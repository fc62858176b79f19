// Trust in the approval chain through the real plugin (dlopen, a real SQLite
// file): the separation of duties (四眼原则) in report.act, per plan; the org
// chart of now — hand-overs that lapse when their assignee moves or becomes
// inactive, released into the audit trail when the plugin starts; roles in
// several departments; and reads (report.get, audit.list, obligations.list,
// ledger.status) that take the reading user and show only what they may see.
#include <gtest/gtest.h>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <functional>
#include <set>
#include <string>

#include "abi_test_helpers.h"
#include "plugin_host.h"
#include "reform_ledger.h"
#include "support/test_support.h"

using oa_stub::PluginError;
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

// The demo org chart as JSON, edited by `edit` (people are found by id).
using ChartEdit = std::function<void(Doc& chart)>;

Val* person_in(Doc& chart, const std::string& id) {
    for (auto& p : chart["people"].GetArray()) {
        if (p["id"].GetString() == id) {
            return &p;
        }
    }
    throw std::runtime_error("no person " + id + " in the demo org chart");
}

std::string config_with(const std::string& db, const ChartEdit& edit,
                        const std::string& options = "{}") {
    Doc chart = parse_json(rl::test::demo_org_chart_json());
    if (edit) {
        edit(chart);
    }
    return "{\"database\":" + rl::test::database_json(db) + ",\"org_chart\":" + dump(chart) +
           ",\"options\":" + options + "}";
}

class SeparationAbi : public ::testing::Test {
protected:
    void SetUp() override { open(config_with(db_, nullptr)); }
    void TearDown() override { host_->shutdown(); }

    // (Re)starts the plugin on the same database with another configuration.
    void open(const std::string& config) {
        if (host_) {
            host_->shutdown();
        }
        host_ = std::make_unique<PluginHost>();
        open_plugin(*host_, court_ms(2019, 11, 4), config);
    }

    std::string key(const std::string& department = "刑庭", const std::string& task = "33") {
        return Req().s("task", task).s("department", department).s("period", "2019-10").str();
    }
    Doc get(const std::string& user, const std::string& department = "刑庭",
            const std::string& task = "33") {
        return parse_json(host_->call("report.get", Req()
                                                        .s("user", user)
                                                        .s("task", task)
                                                        .s("department", department)
                                                        .s("period", "2019-10")
                                                        .str()));
    }
    int version(const std::string& department = "刑庭", const std::string& task = "33") {
        const Doc d = get(kOffice, department, task);
        const Val& report = at(at(d, "obligation"), "report");
        return report.IsObject() ? num(report, "version") : 0;
    }
    Doc act(const std::string& action, const std::string& actor, const std::string& acting_for = "",
            const std::string& hand_over_to = "", const std::string& department = "刑庭",
            const std::string& task = "33") {
        Req r;
        r.s("task", task)
            .s("department", department)
            .s("period", "2019-10")
            .s("action", action)
            .s("actor", actor);
        if (const int v = version(department, task); v != 0) {
            r.i("version", v);
        }
        if (action == "save_draft") {
            r.raw("content",
                  Req().s("progress_summary", "流程节点已梳理。").i("percent_complete", 50).str());
        }
        if (!acting_for.empty()) {
            r.s("acting_for", acting_for);
        }
        if (!hand_over_to.empty()) {
            r.s("hand_over_to", hand_over_to);
        }
        return parse_json(host_->call("report.act", r.str()));
    }
    void ok(const std::string& action, const std::string& actor, const std::string& acting_for = "",
            const std::string& hand_over_to = "", const std::string& department = "刑庭",
            const std::string& task = "33") {
        const Doc d = act(action, actor, acting_for, hand_over_to, department, task);
        ASSERT_EQ(str(d, "outcome"), "ok")
            << action << " by " << actor << ": " << str(d, "message");
    }
    std::size_t audit_rows() {
        return std::stoul(rl::test::sql_rows(db_, "SELECT COUNT(*) FROM audit_log", true)[0][0]);
    }

    // Refused by the separation of duties, naming the rule, with nothing written.
    void expect_rule_refusal(const Doc& d, const std::string& who, int version_before,
                             std::size_t audit_before) {
        EXPECT_EQ(str(d, "outcome"), "not_permitted") << str(d, "message");
        EXPECT_EQ(str(d, "rule"), "separation_of_duties");
        EXPECT_TRUE(contains(str(d, "message"), "separation of duties")) << str(d, "message");
        EXPECT_TRUE(contains(str(d, "message"), who)) << str(d, "message");
        EXPECT_EQ(version(), version_before);
        EXPECT_EQ(audit_rows(), audit_before);
    }

    TempDir dir_;
    std::string db_ = dir_.file("ledger.db");
    std::unique_ptr<PluginHost> host_;
};

// ------------------------------------------------------------ separation of duties

TEST_F(SeparationAbi, TheHeadCannotHandTheHeadStepToTheContactWhoSubmitted) {
    ok("save_draft", kContact);
    ok("submit", kContact);
    const int v = version();
    const std::size_t rows = audit_rows();
    const Doc d = act("hand_over", kHead, "", kContact);
    EXPECT_NE(str(d, "outcome"), "ok");
    EXPECT_TRUE(contains(str(d, "message"), kContact)) << str(d, "message");
    EXPECT_EQ(version(), v);
    EXPECT_EQ(audit_rows(), rows);
    // Even the contact's own approval is refused.
    EXPECT_EQ(str(act("approve", kContact), "outcome"), "not_permitted");
}

TEST_F(SeparationAbi, TheHeadWhoSubmittedForTheContactCannotApproveAsHead) {
    ok("save_draft", kContact);
    ok("submit", kHead, kContact);  // 代办
    expect_rule_refusal(act("approve", kHead), kHead, version(), audit_rows());
    ok("approve", kDeputy);  // someone who took no part may
}

TEST_F(SeparationAbi, OneReformOfficePersonCannotDraftSubmitApproveAndFileAlone) {
    ok("save_draft", kOffice, kContact);
    ok("submit", kOffice, kContact);
    expect_rule_refusal(act("approve", kOffice, kHead), kOffice, version(), audit_rows());
    ok("approve", kHead);
    expect_rule_refusal(act("approve", kOffice, kLeader), kOffice, version(), audit_rows());
    ok("approve", kLeader);
    // Task 33's co-operating departments are waived so that filing is possible.
    for (const std::string co :
         {"民庭", "行政庭（综合审判庭）", "执行指挥中心", "立案庭", "技术科"}) {
        const Doc w = parse_json(host_->call("report.waive", Req()
                                                                 .s("task", "33")
                                                                 .s("department", co)
                                                                 .s("period", "2019-10")
                                                                 .s("actor", kOffice2)
                                                                 .s("reason", "本月无配合任务")
                                                                 .str()));
        ASSERT_EQ(str(w, "outcome"), "ok") << str(w, "message");
    }
    expect_rule_refusal(act("file", kOffice), kOffice, version(), audit_rows());
    ok("file", kOffice2);
}

// On a fresh ledger with these options: the contact drafts, the head submits
// for the contact (代办) and then approves as head. The outcome of the approval.
std::string head_approves_own_submission(const std::string& options) {
    TempDir dir;
    PluginHost host;
    open_plugin(host, court_ms(2019, 11, 4), config_with(dir.file("ledger.db"), nullptr, options));
    const auto call = [&](const std::string& action, const std::string& actor, int v,
                          const std::string& acting_for) {
        Req r;
        r.s("task", "33").s("department", "刑庭").s("period", "2019-10").s("action", action);
        r.s("actor", actor);
        if (v > 0) {
            r.i("version", v);
        }
        if (!acting_for.empty()) {
            r.s("acting_for", acting_for);
        }
        if (action == "save_draft") {
            r.raw("content", Req().s("progress_summary", "进展").i("percent_complete", 10).str());
        }
        return parse_json(host.call("report.act", r.str()));
    };
    EXPECT_EQ(str(call("save_draft", kContact, 0, ""), "outcome"), "ok");
    EXPECT_EQ(str(call("submit", kHead, 1, kContact), "outcome"), "ok");
    const std::string outcome = str(call("approve", kHead, 2, ""), "outcome");
    host.shutdown();
    return outcome;
}

TEST_F(SeparationAbi, TheRuleIsOnByDefaultAndConfigurableForAllOrPerPlan) {
    const std::string plan_key =
        str(arr(parse_json(host_->call("plan.list", "{}")), "plans")[0], "key");
    EXPECT_EQ(head_approves_own_submission("{}"), "not_permitted");
    EXPECT_EQ(head_approves_own_submission("{\"separation_of_duties\":true}"), "not_permitted");
    EXPECT_EQ(head_approves_own_submission("{\"separation_of_duties\":false}"), "ok");
    EXPECT_EQ(head_approves_own_submission("{\"separation_of_duties\":{\"plans\":{" + q(plan_key) +
                                           ":false}}}"),
              "ok");
    EXPECT_EQ(head_approves_own_submission(
                  "{\"separation_of_duties\":{\"plans\":{\"另一个方案\":false}}}"),
              "not_permitted");
    EXPECT_EQ(head_approves_own_submission("{\"separation_of_duties\":{\"default\":false,"
                                           "\"plans\":{" +
                                           q(plan_key) + ":true}}}"),
              "not_permitted");
    TempDir other;
    PluginHost host;
    std::string message;
    EXPECT_EQ(status_of(
                  [&] {
                      open_plugin(host, court_ms(2019, 11, 4),
                                  config_with(other.file("ledger.db"), nullptr,
                                              "{\"separation_of_duties\":\"off\"}"));
                  },
                  &message),
              RL_ERR_CONFIG);
    EXPECT_TRUE(contains(message, "options.separation_of_duties")) << message;
}

TEST_F(SeparationAbi, TheInboxDoesNotOfferWhatTheRuleForbids) {
    ok("save_draft", kContact);
    ok("submit", kHead, kContact);
    const auto waiting = [&](const std::string& user) {
        std::set<std::string> tasks;
        const Doc inbox =
            parse_json(host_->call("inbox", Req().s("user", user).s("period", "2019-10").str()));
        for (const auto& item : arr(inbox, "items").GetArray()) {
            if (str(at(item, "obligation"), "department") == "刑庭") {
                tasks.insert(str(at(item, "obligation"), "task"));
            }
        }
        return tasks;
    };
    EXPECT_EQ(waiting(kHead).count("33"), 0u);
    EXPECT_EQ(waiting(kDeputy).count("33"), 1u);
}

// ------------------------------------------------------------ the org chart of now

TEST_F(SeparationAbi, AHandOverLapsesWhenTheAssigneeMovesAndGoesBackToTheRoleHolders) {
    ok("save_draft", kContact);
    ok("submit", kContact);
    ok("hand_over", kHead, "", kDeputy);
    const int handed_version = version();
    // The deputy moves to 民庭; the plugin starts with the new org chart.
    open(config_with(db_, [](Doc& chart) {
        (*person_in(chart, kDeputy))["department"].SetString("民庭", chart.GetAllocator());
    }));
    const Doc after = get(kOffice);
    EXPECT_EQ(str(at(at(after, "obligation"), "report"), "assignee"), "");
    EXPECT_EQ(num(at(at(after, "obligation"), "report"), "version"), handed_version + 1);
    const Doc trail =
        parse_json(host_->call("audit.list", Req().s("user", kOffice).s("task", "33").str()));
    const Val& last = arr(trail, "entries")[arr(trail, "entries").Size() - 1];
    EXPECT_EQ(str(last, "action"), "hand_over_released");
    EXPECT_EQ(str(last, "actor"), "system");
    EXPECT_TRUE(contains(str(last, "reason"), kDeputy)) << str(last, "reason");
    EXPECT_TRUE(contains(str(last, "reason"), "head of 刑庭")) << str(last, "reason");
    // The deputy no longer acts; the head does.
    EXPECT_EQ(str(act("approve", kDeputy), "outcome"), "not_permitted");
    ok("approve", kHead);
    // Starting again changes nothing more.
    const std::size_t rows = audit_rows();
    open(config_with(db_, [](Doc& chart) {
        (*person_in(chart, kDeputy))["department"].SetString("民庭", chart.GetAllocator());
    }));
    EXPECT_EQ(audit_rows(), rows);
}

TEST_F(SeparationAbi, AnInactivePersonLosesTheirHandOversAndCanNeitherActNorRead) {
    ok("save_draft", kContact);
    ok("submit", kContact);
    ok("hand_over", kHead, "", kDeputy);
    const auto inactive = [](Doc& chart) {
        (*person_in(chart, kDeputy)).AddMember("active", false, chart.GetAllocator());
    };
    open(config_with(db_, inactive));
    const Doc trail =
        parse_json(host_->call("audit.list", Req().s("user", kOffice).s("task", "33").str()));
    const Val& last = arr(trail, "entries")[arr(trail, "entries").Size() - 1];
    EXPECT_EQ(str(last, "action"), "hand_over_released");
    EXPECT_TRUE(contains(str(last, "reason"), "inactive")) << str(last, "reason");

    const Doc acting = act("approve", kDeputy);
    EXPECT_EQ(str(acting, "outcome"), "not_permitted");
    EXPECT_TRUE(contains(str(acting, "message"), "inactive")) << str(acting, "message");
    EXPECT_NE(str(act("hand_over", kHead, "", kDeputy), "outcome"), "ok");
    const Doc reading = get(kDeputy);
    EXPECT_EQ(str(reading, "outcome"), "not_permitted");
    EXPECT_FALSE(reading.HasMember("obligation"));
    EXPECT_EQ(str(parse_json(host_->call("ledger.status",
                                         Req().s("user", kDeputy).s("period", "2019-10").str())),
                  "outcome"),
              "not_permitted");
}

TEST_F(SeparationAbi, APersonMayHoldRolesInSeveralDepartments) {
    // The 民庭 head is also 刑庭's contact.
    open(config_with(db_, [](Doc& chart) {
        Val positions(rapidjson::kArrayType);
        Val position(rapidjson::kObjectType);
        position.AddMember("department", "刑事审判庭", chart.GetAllocator());  // an alias
        Val roles(rapidjson::kArrayType);
        roles.PushBack("contact", chart.GetAllocator());
        position.AddMember("roles", roles, chart.GetAllocator());
        positions.PushBack(position, chart.GetAllocator());
        person_in(chart, "u-minting-head")->AddMember("positions", positions, chart.GetAllocator());
    }));
    ok("save_draft", "u-minting-head");
    ok("submit", "u-minting-head");
    ok("approve", kHead);
    // … and still heads 民庭, whose report they may read and approve.
    ok("save_draft", "u-minting-contact", "", "", "民庭");
    ok("submit", "u-minting-contact", "", "", "民庭");
    ok("approve", "u-minting-head", "", "", "民庭");
    EXPECT_EQ(str(get("u-minting-head", "刑庭"), "outcome"), "ok");
    const Doc chart = parse_json(host_->call("org.chart", "{}"));
    bool shown = false;
    for (const auto& p : arr(chart, "people").GetArray()) {
        if (str(p, "id") == "u-minting-head") {
            shown = arr(p, "positions").Size() == 1 &&
                    str(arr(p, "positions")[0], "department") == "刑庭";
            EXPECT_TRUE(at(p, "active").GetBool());
        }
    }
    EXPECT_TRUE(shown);
}

TEST_F(SeparationAbi, AnOrgChartWithAPositionInAnUnknownDepartmentIsRefused) {
    TempDir other;
    PluginHost host;
    std::string message;
    EXPECT_EQ(status_of(
                  [&] {
                      open_plugin(host, court_ms(2019, 11, 4),
                                  config_with(other.file("ledger.db"), [](Doc& chart) {
                                      Doc p = parse_json(
                                          R"([{"department":"不存在庭","roles":["contact"]}])");
                                      Val positions(p, chart.GetAllocator());
                                      person_in(chart, kHead)
                                          ->AddMember("positions", positions, chart.GetAllocator());
                                  }));
                  },
                  &message),
              RL_ERR_CONFIG);
    EXPECT_TRUE(contains(message, "不存在庭")) << message;
    EXPECT_TRUE(contains(message, "org_chart.people")) << message;
}

// ------------------------------------------------------------ reads

TEST_F(SeparationAbi, ReportGetShowsAReportOnlyToThoseWhoMayReadIt) {
    ok("save_draft", kContact);
    for (const std::string& reader : {kContact, kHead, kLeader, kOffice, std::string("u-president"),
                                      std::string("u-jianchashi-head")}) {
        const Doc d = get(reader);
        EXPECT_EQ(str(d, "outcome"), "ok") << reader << ": " << str(d, "message");
        EXPECT_TRUE(at(at(d, "obligation"), "report").IsObject()) << reader;
    }
    for (const std::string outsider : {"u-minting-head", "u-vp-admin", "u-gbk-contact"}) {
        const Doc d = get(outsider);
        EXPECT_EQ(str(d, "outcome"), "not_permitted") << outsider;
        EXPECT_TRUE(contains(str(d, "message"), outsider)) << str(d, "message");
        EXPECT_FALSE(d.HasMember("obligation")) << outsider << " saw the report";
        EXPECT_FALSE(d.HasMember("versions")) << outsider << " saw the versions";
    }
    // The lead department's people see their co-operating departments' reports.
    ok("save_draft", "u-minting-contact", "", "", "民庭");
    const Doc lead = get(kContact);
    bool saw = false;
    for (const auto& co : arr(lead, "co_reports").GetArray()) {
        saw = saw || (str(co, "department") == "民庭" && at(co, "report").IsObject());
    }
    EXPECT_TRUE(saw);
}

TEST_F(SeparationAbi, ReadsNeedAKnownUser) {
    const std::string key33 = key();
    const std::string period = Req().s("period", "2019-10").str();
    const std::pair<std::string, std::string> reads[] = {{"report.get", key33},
                                                         {"audit.list", "{}"},
                                                         {"obligations.list", period},
                                                         {"ledger.status", period}};
    for (const auto& [method, request] : reads) {
        std::string message;
        EXPECT_EQ(status_of([&] { host_->call(method, request); }, &message),
                  RL_ERR_INVALID_ARGUMENT)
            << method;
        EXPECT_TRUE(contains(message, "user")) << method << ": " << message;
        const std::string unknown = request.substr(0, request.size() - 1) +
                                    (request.size() > 2 ? "," : "") + "\"user\":\"u-nobody\"}";
        EXPECT_EQ(status_of([&] { host_->call(method, unknown); }, &message), RL_ERR_NOT_FOUND)
            << method << " " << unknown;
        EXPECT_TRUE(contains(message, "u-nobody")) << method << ": " << message;
    }
}

TEST_F(SeparationAbi, TheAuditTrailShowsEachPersonOnlyTheDepartmentsTheyMayRead) {
    ok("save_draft", kContact);
    ok("save_draft", "u-minting-contact", "", "", "民庭");
    ok("save_draft", "u-lianting-contact", "", "", "立案庭");
    const auto departments = [&](const std::string& user) {
        std::set<std::string> seen;
        const Doc d =
            parse_json(host_->call("audit.list", Req().s("user", user).s("task", "33").str()));
        EXPECT_EQ(str(d, "outcome"), "ok");
        for (const auto& e : arr(d, "entries").GetArray()) {
            seen.insert(str(e, "department"));
        }
        return seen;
    };
    EXPECT_EQ(departments(kOffice), (std::set<std::string>{"刑庭", "民庭", "立案庭"}));
    EXPECT_EQ(departments("u-president"), (std::set<std::string>{"刑庭", "民庭", "立案庭"}));
    EXPECT_EQ(departments(kLeader), (std::set<std::string>{"刑庭", "民庭"}));  // not 立案庭
    EXPECT_EQ(departments("u-minting-head"), (std::set<std::string>{"民庭"}));
    EXPECT_EQ(departments("u-vp-admin"), (std::set<std::string>{}));
}

TEST_F(SeparationAbi, StatusAndObligationsStayVisibleToAllStaff) {
    ok("save_draft", kContact);
    for (const std::string& user : {std::string("u-gbk-contact"), kOffice}) {
        const Doc s = parse_json(
            host_->call("ledger.status", Req().s("user", user).s("period", "2019-10").str()));
        EXPECT_EQ(str(s, "outcome"), "ok");
        EXPECT_GT(arr(s, "tasks").Size(), 40u) << user;
        const Doc o = parse_json(
            host_->call("obligations.list",
                        Req().s("user", user).s("period", "2019-10").s("task", "33").str()));
        EXPECT_EQ(str(o, "outcome"), "ok");
        EXPECT_EQ(arr(o, "obligations").Size(), 6u) << user;
    }
}

}  // namespace
