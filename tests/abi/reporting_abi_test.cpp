// The reporting side of the real plugin through its C ABI (oa_stub::PluginHost,
// dlopen) on real SQLite files: a month of task 33 through the approval chain,
// permissions, stale versions, races on one and on two instances, reopening
// the database, the audit trail, validation, the ledger status, the inbox and
// the working-day calendar.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdint>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "abi_test_helpers.h"
#include "plugin_host.h"
#include "reform_ledger.h"
#include "support/test_support.h"

using oa_stub::PluginError;
using oa_stub::PluginHost;
using rl::test::TempDir;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)

// The people of the demo org chart for each department of task 33 (and 2).
struct Chain {
    std::string contact, head, leader;
};
const std::map<std::string, Chain>& chains() {
    static const std::map<std::string, Chain> m = {
        {"刑庭", {"u-xingting-contact", "u-xingting-head", "u-vp-trial"}},
        {"民庭", {"u-minting-contact", "u-minting-head", "u-vp-trial"}},
        {"行政庭（综合审判庭）", {"u-xingzhengting-contact", "u-xingzhengting-head", "u-vp-trial"}},
        {"执行指挥中心", {"u-zhihui-contact", "u-zhihui-head", "u-vp-enforcement"}},
        {"立案庭", {"u-lianting-contact", "u-lianting-head", "u-vp-enforcement"}},
        {"技术科", {"u-jishuke-contact", "u-jishuke-head", "u-vp-admin"}},
        {"干部科", {"u-gbk-contact", "u-gbk-head", "u-vp-admin"}},
    };
    return m;
}
const Chain& chain(const std::string& department) {
    return chains().at(department);
}

const std::vector<std::string> kCo33 = {"民庭", "行政庭（综合审判庭）", "执行指挥中心", "立案庭",
                                        "技术科"};

// report content {progress_summary, percent_complete, measures, evidence}
std::string content(const std::string& summary, int percent) {
    return Req()
        .s("progress_summary", summary)
        .s("measures", "逐项梳理流程节点")
        .i("percent_complete", percent)
        .raw("evidence",
             "[" + Req().s("name", "材料.docx").s("url", "https://oa.court.local/files/1").str() +
                 "]")
        .str();
}

// Optional members of a report.act request.
struct Extra {
    std::string content;  // raw JSON object, or empty
    std::string reason;
    std::string target_step;
    std::string acting_for;
    std::string hand_over_to;
};
Extra with_content(const std::string& c) {
    Extra x;
    x.content = c;
    return x;
}
Extra with_reason(const std::string& r, const std::string& target = "") {
    Extra x;
    x.reason = r;
    x.target_step = target;
    return x;
}
Extra acting_for(const std::string& person) {
    Extra x;
    x.acting_for = person;
    return x;
}

constexpr int kCurrent = INT_MIN;   // read the report's version first (as a UI would)
constexpr int kOmit = INT_MIN + 1;  // send no version at all

class ReportingAbi : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = dir_.file("ledger.db");
        open_plugin(host_, court_ms(2019, 11, 4), rl::test::plugin_config(db_));
    }

    static std::string key_request(const std::string& department, const std::string& task) {
        return Req()
            .s("user", "u-sigaiban-head")
            .s("task", task)
            .s("department", department)
            .s("period", "2019-10")
            .str();
    }

    std::string get_raw(const std::string& department, const std::string& task = "33",
                        PluginHost* host = nullptr) {
        PluginHost& h = host != nullptr ? *host : host_;
        return h.call("report.get", key_request(department, task));
    }
    Doc get(const std::string& department, const std::string& task = "33",
            PluginHost* host = nullptr) {
        return parse_json(get_raw(department, task, host));
    }
    // The report's version, 0 when nothing was drafted.
    int version(const std::string& department, const std::string& task = "33",
                PluginHost* host = nullptr) {
        const Doc d = get(department, task, host);
        const Val& report = at(at(d, "obligation"), "report");
        return report.IsObject() ? num(report, "version") : 0;
    }

    std::string act_request(const std::string& action, const std::string& actor,
                            const std::string& department, const Extra& x, int v,
                            const std::string& task, PluginHost* host = nullptr) {
        Req r;
        r.s("task", task)
            .s("department", department)
            .s("period", "2019-10")
            .s("action", action)
            .s("actor", actor);
        if (v == kCurrent) {
            const int current = version(department, task, host);
            if (current != 0) {
                r.i("version", current);
            }
        } else if (v != kOmit) {
            r.i("version", v);
        }
        if (!x.content.empty()) {
            r.raw("content", x.content);
        }
        if (!x.reason.empty()) {
            r.s("reason", x.reason);
        }
        if (!x.target_step.empty()) {
            r.s("target_step", x.target_step);
        }
        if (!x.acting_for.empty()) {
            r.s("acting_for", x.acting_for);
        }
        if (!x.hand_over_to.empty()) {
            r.s("hand_over_to", x.hand_over_to);
        }
        return r.str();
    }

    Doc act(const std::string& action, const std::string& actor, const std::string& department,
            const Extra& x = {}, int v = kCurrent, const std::string& task = "33") {
        return parse_json(
            host_.call("report.act", act_request(action, actor, department, x, v, task)));
    }

    // Acts and expects "ok".
    Doc ok(const std::string& action, const std::string& actor, const std::string& department,
           const Extra& x = {}, const std::string& task = "33") {
        Doc d = act(action, actor, department, x, kCurrent, task);
        EXPECT_EQ(str(d, "outcome"), "ok") << action << " by " << actor << " on task " << task
                                           << " " << department << ": " << str(d, "message");
        return d;
    }

    // Drafts and submits a department's report with its contact.
    void draft_and_submit(const std::string& department, const std::string& summary,
                          const std::string& task = "33") {
        ok("save_draft", chain(department).contact, department, with_content(content(summary, 50)),
           task);
        ok("submit", chain(department).contact, department, {}, task);
    }

    Doc audit(const std::string& task = "33") {
        return parse_json(
            host_.call("audit.list", Req().s("user", "u-sigaiban-head").s("task", task).str()));
    }
    std::size_t audit_count(const std::string& task = "33") {
        return arr(audit(task), "entries").Size();
    }

    static const Val& report_of(const Doc& act_result) {
        return at(at(act_result, "obligation"), "report");
    }

    // Task 33 through the same month as Task33FullMonth… (which checks each
    // step), ending with the lead report filed and 技术科 waived.
    void run_task33_month();

    TempDir dir_;
    std::string db_;
    PluginHost host_;
};

const std::string kLead = "刑庭";
const std::string kLeadSummary1 = "刑事审判流程标准初稿已形成。";
const std::string kLeadSummary2 = "刑事审判流程标准已定稿，汇总各配合部门材料。";

void ReportingAbi::run_task33_month() {
    const Chain& lead = chain(kLead);
    ok("save_draft", lead.contact, kLead, with_content(content(kLeadSummary1, 40)));
    ok("submit", lead.contact, kLead);
    ok("approve", lead.head, kLead, with_reason("同意上报。"));
    ok("return", lead.leader, kLead, with_reason("请补充配合部门情况。", "department_head"));
    ok("approve", lead.head, kLead, with_reason("已补充，同意。"));
    ok("approve", lead.leader, kLead);
    // Co departments: 民庭 filed, 行政庭 and 执行指挥中心 at the reform office,
    // 立案庭 at the leader, 技术科 only drafted (and then waived).
    for (const auto& co : {"民庭", "行政庭（综合审判庭）", "执行指挥中心", "立案庭"}) {
        draft_and_submit(co, std::string(co) + "：流程节点已梳理。");
        ok("approve", chain(co).head, co);
    }
    for (const auto& co : {"民庭", "行政庭（综合审判庭）", "执行指挥中心"}) {
        ok("approve", chain(co).leader, co);
    }
    ok("file", "u-sigaiban-contact", "民庭");
    ok("save_draft", chain("技术科").contact, "技术科", with_content(content("技术科草稿", 10)));
    const Doc waived =
        parse_json(host_.call("report.waive", Req()
                                                  .s("task", "33")
                                                  .s("department", "技术科")
                                                  .s("period", "2019-10")
                                                  .s("actor", "u-sigaiban-head")
                                                  .s("reason", "技术科本月无相关工作。")
                                                  .str()));
    EXPECT_EQ(str(waived, "outcome"), "ok") << str(waived, "message");
    ok("return", "u-sigaiban-head", kLead, with_reason("请汇总各配合部门材料。", "draft"));
    ok("save_draft", lead.contact, kLead, with_content(content(kLeadSummary2, 90)));
    ok("submit", lead.contact, kLead);
    ok("file", "u-sigaiban-head", kLead);
}

// ------------------------------------------------------------ 1. a full month

TEST_F(ReportingAbi, Task33FullMonthCoReportsGateFilingWaiverReturnsResumeAndEveryVersionIsKept) {
    const Chain& lead = chain(kLead);
    // The lead is 刑庭 and the five others co-operate.
    {
        const Doc g = get(kLead);
        EXPECT_EQ(str(at(g, "obligation"), "role"), "lead");
        EXPECT_EQ(str(at(g, "obligation"), "due_date"), "2019-11-07");
        std::set<std::string> co;
        for (const auto& c : arr(g, "co_reports").GetArray()) {
            co.insert(str(c, "department"));
            EXPECT_EQ(str(c, "role"), "co");
        }
        EXPECT_EQ(co, std::set<std::string>(kCo33.begin(), kCo33.end()));
    }

    ok("save_draft", lead.contact, kLead, with_content(content(kLeadSummary1, 40)));
    ok("submit", lead.contact, kLead);
    ok("approve", lead.head, kLead, with_reason("同意上报。"));
    {
        const Doc d = ok("return", lead.leader, kLead,
                         with_reason("请补充配合部门情况。", "department_head"));
        const Val& r = report_of(d);
        EXPECT_EQ(str(r, "state"), "returned");
        EXPECT_EQ(str(r, "step"), "department_head");
        EXPECT_EQ(str(r, "resume_step"), "leader_in_charge");
        EXPECT_EQ(str(at(d, "obligation"), "status"), "returned");
    }
    {
        // The head approves again: it goes back to the leader who returned it.
        const Doc d = ok("approve", lead.head, kLead, with_reason("已补充，同意。"));
        EXPECT_EQ(str(report_of(d), "state"), "in_approval");
        EXPECT_EQ(str(report_of(d), "step"), "leader_in_charge");
        EXPECT_EQ(str(report_of(d), "resume_step"), "");
    }
    {
        const Doc d = ok("approve", lead.leader, kLead);
        EXPECT_EQ(str(report_of(d), "step"), "reform_office");
        EXPECT_EQ(num(report_of(d), "version"), 6);
    }

    // Nobody has reported: filing is refused naming all five co departments.
    {
        const Doc d = act("file", "u-sigaiban-head", kLead);
        EXPECT_EQ(str(d, "outcome"), "invalid");
        for (const auto& co : kCo33) {
            EXPECT_TRUE(contains(str(d, "message"), co))
                << co << " missing in: " << str(d, "message");
        }
        EXPECT_EQ(num(report_of(d), "version"), 6);
        EXPECT_EQ(str(report_of(d), "state"), "in_approval");
    }

    for (const auto& co : {"民庭", "行政庭（综合审判庭）", "执行指挥中心", "立案庭"}) {
        draft_and_submit(co, std::string(co) + "：流程节点已梳理。");
        ok("approve", chain(co).head, co);
    }
    for (const auto& co : {"民庭", "行政庭（综合审判庭）", "执行指挥中心"}) {
        ok("approve", chain(co).leader, co);
    }
    {
        const Doc d = ok("file", "u-sigaiban-contact", "民庭");
        EXPECT_EQ(str(report_of(d), "state"), "filed");
        EXPECT_EQ(str(at(d, "obligation"), "status"), "filed");
    }
    ok("save_draft", chain("技术科").contact, "技术科", with_content(content("技术科草稿", 10)));

    // Only 技术科 (drafted, not submitted) is still missing.
    {
        const Doc d = act("file", "u-sigaiban-head", kLead);
        EXPECT_EQ(str(d, "outcome"), "invalid");
        const std::string message = str(d, "message");
        EXPECT_TRUE(contains(message, "技术科")) << message;
        for (const auto& co : {"民庭", "行政庭（综合审判庭）", "执行指挥中心", "立案庭"}) {
            EXPECT_FALSE(contains(message, co)) << co << " has reported but is listed: " << message;
        }
        EXPECT_EQ(num(report_of(d), "version"), 6);
    }

    // The reform office waives 技术科 with a reason; the audit shows it.
    const std::size_t audit_before_waive = audit_count();
    {
        const Doc w =
            parse_json(host_.call("report.waive", Req()
                                                      .s("task", "33")
                                                      .s("department", "技术科")
                                                      .s("period", "2019-10")
                                                      .s("actor", "u-sigaiban-head")
                                                      .s("reason", "技术科本月无相关工作。")
                                                      .str()));
        EXPECT_EQ(str(w, "outcome"), "ok") << str(w, "message");
        EXPECT_EQ(str(at(w, "obligation"), "status"), "waived");
        EXPECT_EQ(str(at(at(w, "obligation"), "waived"), "by"), "u-sigaiban-head");
        EXPECT_EQ(str(at(at(w, "obligation"), "waived"), "reason"), "技术科本月无相关工作。");
    }
    {
        const Doc a = audit();
        const Val& entries = arr(a, "entries");
        ASSERT_EQ(entries.Size(), audit_before_waive + 1);
        const Val& e = entries[entries.Size() - 1];
        EXPECT_EQ(str(e, "action"), "waive");
        EXPECT_EQ(str(e, "department"), "技术科");
        EXPECT_EQ(str(e, "actor"), "u-sigaiban-head");
        EXPECT_EQ(str(e, "reason"), "技术科本月无相关工作。");
        EXPECT_EQ(str(e, "role"), "reform_office");
    }

    // The reform office returns the lead report to drafting; resubmitted, it
    // goes straight back to the reform office.
    {
        const Doc d =
            ok("return", "u-sigaiban-head", kLead, with_reason("请汇总各配合部门材料。", "draft"));
        EXPECT_EQ(str(report_of(d), "step"), "draft");
        EXPECT_EQ(str(report_of(d), "resume_step"), "reform_office");
    }
    ok("save_draft", lead.contact, kLead, with_content(content(kLeadSummary2, 90)));
    {
        const Doc d = ok("submit", lead.contact, kLead);
        EXPECT_EQ(str(report_of(d), "step"), "reform_office");
        EXPECT_EQ(str(report_of(d), "state"), "in_approval");
    }
    {
        const Doc d = ok("file", "u-sigaiban-head", kLead);
        EXPECT_EQ(str(report_of(d), "state"), "filed");
        EXPECT_EQ(str(at(d, "obligation"), "status"), "filed");
        EXPECT_EQ(num(report_of(d), "version"), 10);
    }

    // report.get: every version kept (10 changing actions), the returned one
    // with its content; the co departments' reports with content.
    const Doc g = get(kLead);
    const Val& versions = arr(g, "versions");
    ASSERT_EQ(versions.Size(), 10u);
    const char* const expected_steps[] = {"draft",
                                          "department_head",
                                          "leader_in_charge",
                                          "department_head",
                                          "leader_in_charge",
                                          "reform_office",
                                          "draft",
                                          "draft",
                                          "reform_office",
                                          "reform_office"};
    const char* const expected_states[] = {"draft",       "in_approval", "in_approval", "returned",
                                           "in_approval", "in_approval", "returned",    "returned",
                                           "in_approval", "filed"};
    for (rapidjson::SizeType i = 0; i < versions.Size(); ++i) {
        EXPECT_EQ(num(versions[i], "version"), static_cast<int>(i) + 1);
        EXPECT_EQ(str(versions[i], "step"), expected_steps[i]) << "version " << i + 1;
        EXPECT_EQ(str(versions[i], "state"), expected_states[i]) << "version " << i + 1;
    }
    EXPECT_EQ(str(at(versions[6], "content"), "progress_summary"), kLeadSummary1)
        << "the returned version keeps the content it was returned with";
    EXPECT_EQ(num(at(versions[6], "content"), "percent_complete"), 40);
    EXPECT_EQ(str(at(versions[7], "content"), "progress_summary"), kLeadSummary2);
    EXPECT_EQ(str(at(report_of(g), "content"), "progress_summary"), kLeadSummary2);

    const Val& co = arr(g, "co_reports");
    ASSERT_EQ(co.Size(), 5u);
    for (const auto& c : co.GetArray()) {
        const std::string name = str(c, "department");
        if (name == "技术科") {
            EXPECT_EQ(str(c, "status"), "waived");
            continue;
        }
        ASSERT_TRUE(at(c, "report").IsObject()) << name;
        EXPECT_EQ(str(at(at(c, "report"), "content"), "progress_summary"),
                  name + "：流程节点已梳理。");
        if (name == "民庭") {
            EXPECT_EQ(str(c, "status"), "filed");
        } else {
            EXPECT_EQ(str(c, "status"), "in_approval") << name;
        }
    }
    // A co department's report.get does not show the others.
    EXPECT_EQ(arr(get("民庭"), "co_reports").Size(), 0u);
}

// ------------------------------------------------------------ 2. permissions

// Acts and expects not_permitted with nothing changed: the report.get output
// (report, version, every kept version) and the audit trail are as before.
#define EXPECT_REFUSED_UNCHANGED(department, call_expr)                                   \
    do {                                                                                  \
        const std::string before_ = get_raw(department);                                  \
        const std::size_t audit_before_ = audit_count();                                  \
        const Doc refused_ = (call_expr);                                                 \
        EXPECT_EQ(str(refused_, "outcome"), "not_permitted") << str(refused_, "message"); \
        EXPECT_FALSE(str(refused_, "message").empty());                                   \
        EXPECT_EQ(get_raw(department), before_) << "a refused action changed the report"; \
        EXPECT_EQ(audit_count(), audit_before_) << "a refused action was audited";        \
    } while (0)

TEST_F(ReportingAbi, EveryUnauthorisedActionIsNotPermittedAndChangesNothing) {
    const Chain& x = chain(kLead);
    ok("save_draft", x.contact, kLead, with_content(content(kLeadSummary1, 40)));
    // Another department's contact submitting 刑庭's report.
    EXPECT_REFUSED_UNCHANGED(kLead, act("submit", "u-minting-contact", kLead));
    // A head of another department acting for 刑庭's contact.
    EXPECT_REFUSED_UNCHANGED(kLead, act("submit", "u-minting-head", kLead, acting_for(x.contact)));
    // A contact acting for their own head.
    EXPECT_REFUSED_UNCHANGED(kLead, act("submit", x.contact, kLead, acting_for(x.head)));
    // An unknown user id.
    EXPECT_REFUSED_UNCHANGED(kLead, act("submit", "u-nobody", kLead));

    ok("submit", x.contact, kLead);
    // A contact approving (their own report, at the head's step).
    EXPECT_REFUSED_UNCHANGED(kLead, act("approve", x.contact, kLead));
    // The head of another department approving.
    EXPECT_REFUSED_UNCHANGED(kLead, act("approve", "u-minting-head", kLead));
    EXPECT_REFUSED_UNCHANGED(kLead, act("approve", "u-nobody", kLead));
    // Leader in charge approving at the head's step.
    EXPECT_REFUSED_UNCHANGED(kLead, act("approve", x.leader, kLead));

    ok("approve", x.head, kLead);
    // The head approving at the leader's step.
    EXPECT_REFUSED_UNCHANGED(kLead, act("approve", x.head, kLead));
    // A leader not in charge of 刑庭.
    EXPECT_REFUSED_UNCHANGED(kLead, act("approve", "u-vp-admin", kLead));
    EXPECT_REFUSED_UNCHANGED(kLead, act("approve", "u-vp-enforcement", kLead));
    EXPECT_REFUSED_UNCHANGED(kLead,
                             act("return", "u-vp-admin", kLead, with_reason("不同意", "draft")));
    // The president is not the leader in charge either.
    EXPECT_REFUSED_UNCHANGED(kLead, act("approve", "u-president", kLead));

    ok("approve", x.leader, kLead);
    // A head filing; the leader filing.
    EXPECT_REFUSED_UNCHANGED(kLead, act("file", x.head, kLead));
    EXPECT_REFUSED_UNCHANGED(kLead, act("file", x.leader, kLead));
    EXPECT_REFUSED_UNCHANGED(kLead, act("file", "u-nobody", kLead));
    EXPECT_EQ(version(kLead), 4);

    // Waiving by anyone but the reform office: not permitted, not waived, not audited.
    for (const auto& who : {"u-xingting-head", "u-minting-head", "u-minting-contact", "u-vp-trial",
                            "u-president", "u-nobody"}) {
        const std::string before = get_raw("民庭");
        const std::size_t audit_before = audit_count();
        const Doc w = parse_json(host_.call("report.waive", Req()
                                                                .s("task", "33")
                                                                .s("department", "民庭")
                                                                .s("period", "2019-10")
                                                                .s("actor", who)
                                                                .s("reason", "本月无工作")
                                                                .str()));
        EXPECT_EQ(str(w, "outcome"), "not_permitted") << who << ": " << str(w, "message");
        EXPECT_NE(str(at(w, "obligation"), "status"), "waived") << who;
        EXPECT_EQ(get_raw("民庭"), before) << who;
        EXPECT_EQ(audit_count(), audit_before) << who;
    }
}

// ------------------------------------------------------------ 3. stale version

TEST_F(ReportingAbi, ActingOnAnOldVersionIsAConflictAndChangesNothing) {
    const Chain& x = chain(kLead);
    ok("save_draft", x.contact, kLead, with_content(content(kLeadSummary1, 40)));
    ok("submit", x.contact, kLead);
    ASSERT_EQ(version(kLead), 2);
    const std::string before = get_raw(kLead);
    const std::size_t audit_before = audit_count();
    for (int stale : {1, 3, 0}) {
        const Doc d = act("approve", x.head, kLead, {}, stale);
        EXPECT_EQ(str(d, "outcome"), "conflict")
            << "version " << stale << ": " << str(d, "message");
        EXPECT_EQ(num(report_of(d), "version"), 2);
    }
    {
        const Doc d = act("approve", x.head, kLead, {}, kOmit);
        EXPECT_EQ(str(d, "outcome"), "invalid") << "a version is required once a report exists";
    }
    EXPECT_EQ(get_raw(kLead), before);
    EXPECT_EQ(audit_count(), audit_before);
    // With the current version it works.
    EXPECT_EQ(str(act("approve", x.head, kLead, {}, 2), "outcome"), "ok");
    EXPECT_EQ(version(kLead), 3);
}

TEST_F(ReportingAbi, SavingADraftOverAnOldVersionIsAConflictAndKeepsTheNewerContent) {
    const Chain& x = chain(kLead);
    ok("save_draft", x.contact, kLead, with_content(content("第一稿", 10)));
    ok("save_draft", x.contact, kLead, with_content(content("第二稿", 20)));
    const Doc d = act("save_draft", x.contact, kLead, with_content(content("旧页面上的稿", 30)), 1);
    EXPECT_EQ(str(d, "outcome"), "conflict");
    const Doc g = get(kLead);
    EXPECT_EQ(str(at(report_of(g), "content"), "progress_summary"), "第二稿");
    EXPECT_EQ(arr(g, "versions").Size(), 2u);
}

// ------------------------------------------------------------ 4. races

struct RaceResult {
    std::map<std::string, int> outcomes;
    std::vector<std::string> errors;
};

// Runs kThreads actions at once (released together) and tallies outcomes.
RaceResult race(const std::vector<PluginHost*>& hosts, const std::vector<std::string>& requests) {
    const int n = static_cast<int>(requests.size());
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::string> outcome(n), error(n);
    std::vector<std::thread> threads;
    for (int t = 0; t < n; ++t) {
        threads.emplace_back([&, t] {
            ++ready;
            while (!go.load()) {
                std::this_thread::yield();
            }
            try {
                const std::string result = hosts[static_cast<std::size_t>(t) % hosts.size()]->call(
                    "report.act", requests[t]);
                outcome[t] = str(parse_json(result), "outcome");
            } catch (const std::exception& e) {
                error[t] = e.what();
            }
        });
    }
    while (ready.load() < n) {
        std::this_thread::yield();
    }
    go = true;
    for (auto& th : threads) {
        th.join();
    }
    RaceResult r;
    for (int t = 0; t < n; ++t) {
        if (!error[t].empty()) {
            r.errors.push_back("thread " + std::to_string(t) + ": " + error[t]);
        } else {
            ++r.outcomes[outcome[t]];
        }
    }
    return r;
}

std::string describe(const RaceResult& r) {
    std::string s;
    for (const auto& [k, v] : r.outcomes) {
        s += k + "=" + std::to_string(v) + " ";
    }
    for (const auto& e : r.errors) {
        s += "\n  error: " + e;
    }
    return s;
}

TEST_F(ReportingAbi, EightThreadsApprovingOrReturningTheSameVersionOnOneInstanceExactlyOneWins) {
    const Chain& x = chain(kLead);
    draft_and_submit(kLead, kLeadSummary1);
    const int start = version(kLead);
    ASSERT_EQ(start, 2);
    std::vector<std::string> requests;
    for (int t = 0; t < 8; ++t) {
        requests.push_back(
            t % 2 == 0
                ? act_request("approve", x.head, kLead, with_reason("同意"), start, "33")
                : act_request("return", x.head, kLead, with_reason("退回", "draft"), start, "33"));
    }
    const RaceResult r = race({&host_}, requests);
    EXPECT_TRUE(r.errors.empty()) << describe(r);
    EXPECT_EQ(r.outcomes.count("ok") ? r.outcomes.at("ok") : 0, 1) << describe(r);
    EXPECT_EQ(r.outcomes.count("conflict") ? r.outcomes.at("conflict") : 0, 7) << describe(r);
    EXPECT_EQ(version(kLead), start + 1);
    EXPECT_EQ(arr(get(kLead), "versions").Size(), static_cast<std::size_t>(start + 1));
    EXPECT_EQ(audit_count(), static_cast<std::size_t>(start + 1));
}

TEST_F(ReportingAbi, EightThreadsOnTwoInstancesOfTheSameDatabaseFileExactlyOneWins) {
    PluginHost second;
    second.set_clock(court_ms(2019, 11, 4, 10));
    second.load(RL_PLUGIN_PATH);
    second.create(rl::test::plugin_config(db_));
    const Chain& x = chain(kLead);
    draft_and_submit(kLead, kLeadSummary1);
    const int start = version(kLead, "33", &second);
    ASSERT_EQ(start, 2) << "the second instance sees the first one's writes";
    std::vector<std::string> requests;
    for (int t = 0; t < 8; ++t) {
        requests.push_back(act_request("approve", x.head, kLead, with_reason("同意"), start, "33"));
    }
    const RaceResult r = race({&host_, &second}, requests);
    EXPECT_TRUE(r.errors.empty()) << describe(r);
    EXPECT_EQ(r.outcomes.count("ok") ? r.outcomes.at("ok") : 0, 1) << describe(r);
    EXPECT_EQ(r.outcomes.count("conflict") ? r.outcomes.at("conflict") : 0, 7) << describe(r);
    EXPECT_EQ(version(kLead), start + 1);
    EXPECT_EQ(version(kLead, "33", &second), start + 1);
    EXPECT_EQ(arr(get(kLead), "versions").Size(), static_cast<std::size_t>(start + 1));
    EXPECT_EQ(audit_count(), static_cast<std::size_t>(start + 1));
    second.shutdown();
}

TEST_F(ReportingAbi, EightThreadsDraftingANewReportOnTwoInstancesCreateExactlyOneReport) {
    PluginHost second;
    second.set_clock(court_ms(2019, 11, 4, 10));
    second.load(RL_PLUGIN_PATH);
    second.create(rl::test::plugin_config(db_));
    std::vector<std::string> requests;
    for (int t = 0; t < 8; ++t) {
        requests.push_back(act_request("save_draft", chain(kLead).contact, kLead,
                                       with_content(content("草稿 " + std::to_string(t), 10)),
                                       kOmit, "33"));
    }
    const RaceResult r = race({&host_, &second}, requests);
    EXPECT_TRUE(r.errors.empty()) << describe(r);
    EXPECT_EQ(r.outcomes.count("ok") ? r.outcomes.at("ok") : 0, 1) << describe(r);
    EXPECT_EQ(version(kLead), 1);
    EXPECT_EQ(arr(get(kLead), "versions").Size(), 1u);
    EXPECT_EQ(audit_count(), 1u);
    second.shutdown();
}

// ------------------------------------------------------------ 5. reopening

TEST_F(ReportingAbi, ReopeningTheDatabaseMidCycleContinuesTheSameReportAndItsVersions) {
    const Chain& g = chain("干部科");
    draft_and_submit("干部科", "岗位职责清单初稿。", "1");
    ok("approve", g.head, "干部科", with_reason("同意。"), "1");
    ASSERT_EQ(version("干部科", "1"), 3);
    host_.shutdown();

    PluginHost reopened;
    reopened.set_clock(court_ms(2019, 11, 5));
    reopened.load(RL_PLUGIN_PATH);
    reopened.create(rl::test::plugin_config(db_));
    const Doc before = get("干部科", "1", &reopened);
    EXPECT_EQ(num(report_of(before), "version"), 3);
    EXPECT_EQ(str(report_of(before), "step"), "leader_in_charge");

    const auto act_on = [&](const std::string& action, const std::string& actor, int v) {
        return parse_json(reopened.call("report.act", Req()
                                                          .s("task", "1")
                                                          .s("department", "干部科")
                                                          .s("period", "2019-10")
                                                          .s("action", action)
                                                          .s("actor", actor)
                                                          .i("version", v)
                                                          .str()));
    };
    const Doc approved = act_on("approve", g.leader, 3);
    EXPECT_EQ(str(approved, "outcome"), "ok") << str(approved, "message");
    EXPECT_EQ(num(report_of(approved), "version"), 4);
    EXPECT_EQ(str(report_of(approved), "step"), "reform_office");
    const Doc filed = act_on("file", "u-sigaiban-head", 4);
    EXPECT_EQ(str(filed, "outcome"), "ok") << str(filed, "message");
    EXPECT_EQ(num(report_of(filed), "version"), 5);
    EXPECT_EQ(str(report_of(filed), "state"), "filed");

    const Doc after = get("干部科", "1", &reopened);
    const Val& versions = arr(after, "versions");
    ASSERT_EQ(versions.Size(), 5u);
    for (rapidjson::SizeType i = 0; i < 5; ++i) {
        EXPECT_EQ(num(versions[i], "version"), static_cast<int>(i) + 1);
    }
    const Doc a = parse_json(
        reopened.call("audit.list", Req().s("user", "u-sigaiban-head").s("task", "1").str()));
    const Val& entries = arr(a, "entries");
    ASSERT_EQ(entries.Size(), 5u);
    const char* const actions[] = {"save_draft", "submit", "approve", "approve", "file"};
    for (rapidjson::SizeType i = 0; i < 5; ++i) {
        EXPECT_EQ(str(entries[i], "action"), actions[i]);
        EXPECT_EQ(num(entries[i], "report_version"), static_cast<int>(i) + 1);
    }
    reopened.shutdown();
}

// ------------------------------------------------------------ 6. audit

TEST_F(ReportingAbi, AuditListsEverySuccessfulActionOnceInOrderAndNoRefusedOne) {
    struct Expected {
        std::string actor, acting_for, role, action, department, from_state, to_state, from_step,
            to_step, reason;
        int version;
    };
    std::vector<Expected> expected;
    const auto step = [&](const std::string& action, const std::string& actor,
                          const std::string& department, const Extra& x, Expected e) {
        const Doc d = act(action, actor, department, x, kCurrent, "2");
        EXPECT_EQ(str(d, "outcome"), "ok")
            << action << " by " << actor << ": " << str(d, "message");
        e.actor = actor;
        e.acting_for = x.acting_for;
        e.action = action;
        e.department = department;
        e.reason = x.reason;
        expected.push_back(e);
    };
    const auto refused = [&](const std::string& action, const std::string& actor,
                             const std::string& department, const Extra& x, int v,
                             const std::string& outcome) {
        const Doc d = act(action, actor, department, x, v, "2");
        EXPECT_EQ(str(d, "outcome"), outcome) << action << " by " << actor;
    };
    // Task 2: 干部科 leads, 技术科 co-operates.
    step("save_draft", "u-jishuke-contact", "技术科", with_content(content("技术方案。", 30)),
         {"", "", "contact", "", "", "", "draft", "", "draft", "", 1});
    refused("submit", "u-gbk-contact", "技术科", {}, kCurrent, "not_permitted");
    // 代办: the reform office submits for the contact (were it the head, the
    // separation of duties would bar the head from approving it next).
    step("submit", "u-sigaiban-contact", "技术科", acting_for("u-jishuke-contact"),
         {"", "", "contact (acted for by u-sigaiban-contact)", "", "", "draft", "in_approval",
          "draft", "department_head", "", 2});
    step("approve", "u-jishuke-head", "技术科", with_reason("同意上报。"),
         {"", "", "head", "", "", "in_approval", "in_approval", "department_head",
          "leader_in_charge", "", 3});
    refused("approve", "u-vp-admin", "技术科", {}, 2, "conflict");
    refused("approve", "u-vp-trial", "技术科", {}, kCurrent, "not_permitted");
    step("approve", "u-vp-admin", "技术科", {},
         {"", "", "leader_in_charge", "", "", "in_approval", "in_approval", "leader_in_charge",
          "reform_office", "", 4});

    step("save_draft", "u-gbk-contact", "干部科", with_content(content("岗位职责清单。", 50)),
         {"", "", "contact", "", "", "", "draft", "", "draft", "", 1});
    step("submit", "u-gbk-contact", "干部科", {},
         {"", "", "contact", "", "", "draft", "in_approval", "draft", "department_head", "", 2});
    step("withdraw", "u-gbk-contact", "干部科", {},
         {"", "", "sender", "", "", "in_approval", "draft", "department_head", "draft", "", 3});
    step("submit", "u-gbk-contact", "干部科", {},
         {"", "", "contact", "", "", "draft", "in_approval", "draft", "department_head", "", 4});
    refused("return", "u-gbk-head", "干部科", with_reason("  "), kCurrent, "invalid");
    step("return", "u-gbk-head", "干部科", with_reason("请补充数据。", "draft"),
         {"", "", "head", "", "", "in_approval", "returned", "department_head", "draft", "", 5});
    step("save_draft", "u-gbk-contact", "干部科",
         with_content(content("岗位职责清单，已补充数据。", 60)),
         {"", "", "contact", "", "", "returned", "returned", "draft", "draft", "", 6});
    step("submit", "u-gbk-contact", "干部科", {},
         {"", "", "contact", "", "", "returned", "in_approval", "draft", "department_head", "", 7});
    step("approve", "u-gbk-head", "干部科", {},
         {"", "", "head", "", "", "in_approval", "in_approval", "department_head",
          "leader_in_charge", "", 8});
    // The reform office acts for the leader in charge (代办).
    step("approve", "u-sigaiban-head", "干部科", acting_for("u-vp-admin"),
         {"", "", "leader_in_charge (acted for by u-sigaiban-head)", "", "", "in_approval",
          "in_approval", "leader_in_charge", "reform_office", "", 9});
    refused("file", "u-gbk-head", "干部科", {}, kCurrent, "not_permitted");
    refused("file", "u-sigaiban-head", "干部科", {}, 8, "conflict");
    step("file", "u-sigaiban-head", "技术科", {},
         {"", "", "reform_office", "", "", "in_approval", "filed", "reform_office", "reform_office",
          "", 5});
    step("file", "u-sigaiban-contact", "干部科", {},
         {"", "", "reform_office", "", "", "in_approval", "filed", "reform_office", "reform_office",
          "", 10});
    refused("file", "u-sigaiban-head", "干部科", {}, kCurrent, "invalid");  // already filed

    const Doc a = audit("2");
    const Val& entries = arr(a, "entries");
    ASSERT_EQ(entries.Size(), expected.size());
    std::int64_t last_id = 0;
    for (rapidjson::SizeType i = 0; i < entries.Size(); ++i) {
        const Val& e = entries[i];
        const Expected& x = expected[i];
        SCOPED_TRACE("audit entry " + std::to_string(i) + ": " + dump(e));
        EXPECT_GT(at(e, "id").GetInt64(), last_id);
        last_id = at(e, "id").GetInt64();
        EXPECT_EQ(str(e, "actor"), x.actor);
        EXPECT_EQ(str(e, "acting_for"), x.acting_for);
        EXPECT_EQ(str(e, "role"), x.role);
        EXPECT_EQ(str(e, "action"), x.action);
        EXPECT_EQ(str(e, "task"), "2");
        EXPECT_EQ(str(e, "department"), x.department);
        EXPECT_EQ(str(e, "period"), "2019-10");
        EXPECT_EQ(str(e, "from_state"), x.from_state);
        EXPECT_EQ(str(e, "to_state"), x.to_state);
        EXPECT_EQ(str(e, "from_step"), x.from_step);
        EXPECT_EQ(str(e, "to_step"), x.to_step);
        EXPECT_EQ(str(e, "reason"), x.reason);
        EXPECT_EQ(num(e, "report_version"), x.version);
        EXPECT_EQ(str(e, "at").substr(0, 10), "2019-11-04") << "UTC time of 2019-11-04T09:00 court";
    }
    // Nothing of task 2 leaks into another task's trail.
    const auto other = audit("33");  // kept alive: the loop reads into it
    for (const auto& e : arr(other, "entries").GetArray()) {
        EXPECT_EQ(str(e, "task"), "33");
    }
}

TEST_F(ReportingAbi, AuditLogTableRejectsUpdateAndDelete) {
    draft_and_submit(kLead, kLeadSummary1);
    const std::string count_sql =
        rl::test::on_postgresql()
            ? "SELECT count(*), string_agg(action, ',' ORDER BY id) FROM audit_log"
            : "SELECT count(*), group_concat(action, ',') FROM audit_log";
    const rl::test::SqlRows before = rl::test::sql_rows(db_, count_sql);
    ASSERT_EQ(before.at(0).at(0), "3");  // the plan import, the draft, the submission
    EXPECT_THROW(rl::test::sql_rows(db_, "UPDATE audit_log SET reason = 'forged'"),
                 std::runtime_error);
    EXPECT_THROW(rl::test::sql_rows(db_, "UPDATE audit_log SET actor = 'u-nobody' WHERE id = 1"),
                 std::runtime_error);
    EXPECT_THROW(rl::test::sql_rows(db_, "DELETE FROM audit_log"), std::runtime_error);
    EXPECT_THROW(rl::test::sql_rows(db_, "DELETE FROM audit_log WHERE id = 1"), std::runtime_error);
    EXPECT_EQ(rl::test::sql_rows(db_, count_sql), before);
    EXPECT_EQ(rl::test::sql_rows(db_, "SELECT count(*) FROM audit_log WHERE reason = 'forged'")
                  .at(0)
                  .at(0),
              "0");
}

TEST_F(ReportingAbi, AuditLogTableRejectsUpdateAndDeleteThroughTheSqlite3Shell) {
    RL_SKIP_ON_POSTGRESQL(
        "the sqlite3 shell on the SQLite file; the libpq variant above covers PostgreSQL");
    if (rl::test::run_command("test -x /usr/bin/sqlite3").status != 0) {
        GTEST_SKIP()
            << "/usr/bin/sqlite3 is not installed; the sqlite3-API variant above covers it";
    }
    draft_and_submit(kLead, kLeadSummary1);
    const std::string db = rl::test::shell_quote(db_);
    const auto update = rl::test::run_command("/usr/bin/sqlite3 " + db +
                                              " \"UPDATE audit_log SET reason = 'forged';\"");
    EXPECT_NE(update.status, 0);
    EXPECT_TRUE(contains(update.err, "append-only")) << update.err;
    const auto remove =
        rl::test::run_command("/usr/bin/sqlite3 " + db + " \"DELETE FROM audit_log;\"");
    EXPECT_NE(remove.status, 0);
    EXPECT_TRUE(contains(remove.err, "append-only")) << remove.err;
    const auto count =
        rl::test::run_command("/usr/bin/sqlite3 " + db + " \"SELECT count(*) FROM audit_log;\"");
    EXPECT_EQ(count.status, 0) << count.err;
    EXPECT_EQ(count.out, "3\n");  // the plan import, the draft, the submission
    EXPECT_EQ(audit_count(), 2u);
}

// ------------------------------------------------------------ workflow rules

// Drives 刑庭's report of task 33 to the reform office.
#define TO_REFORM_OFFICE()                                              \
    do {                                                                \
        draft_and_submit(kLead, kLeadSummary1);                         \
        ok("approve", chain(kLead).head, kLead);                        \
        ok("approve", chain(kLead).leader, kLead);                      \
        ASSERT_EQ(str(report_of(get(kLead)), "step"), "reform_office"); \
    } while (0)

TEST_F(ReportingAbi, ReturnedByTheReformOfficeToTheHeadTheHeadsApprovalGoesStraightBack) {
    TO_REFORM_OFFICE();
    ok("return", "u-sigaiban-head", kLead, with_reason("请部门负责人复核。", "department_head"));
    const Doc d = ok("approve", chain(kLead).head, kLead, with_reason("已复核。"));
    EXPECT_EQ(str(report_of(d), "step"), "reform_office") << "the leader's step is skipped";
    EXPECT_EQ(str(report_of(d), "state"), "in_approval");
    EXPECT_EQ(str(report_of(d), "resume_step"), "");
    // The next approval after that follows the chain again.
    ok("return", "u-sigaiban-head", kLead, with_reason("请分管领导审核。", "leader_in_charge"));
    const Doc again = ok("approve", chain(kLead).leader, kLead);
    EXPECT_EQ(str(report_of(again), "step"), "reform_office");
}

TEST_F(ReportingAbi, WithdrawIsOnlyForTheSenderAndOnlyUntilTheNextStepActs) {
    const Chain& x = chain(kLead);
    draft_and_submit(kLead, kLeadSummary1);
    EXPECT_REFUSED_UNCHANGED(kLead, act("withdraw", x.head, kLead));
    EXPECT_REFUSED_UNCHANGED(kLead, act("withdraw", "u-minting-contact", kLead));
    {
        const Doc d = ok("withdraw", x.contact, kLead);
        EXPECT_EQ(str(report_of(d), "step"), "draft");
        EXPECT_EQ(str(report_of(d), "state"), "draft");
    }
    ok("submit", x.contact, kLead);
    ok("approve", x.head, kLead);
    // The contact sent it to the head, not to the leader: only the head may take it back now.
    EXPECT_REFUSED_UNCHANGED(kLead, act("withdraw", x.contact, kLead));
    {
        const Doc d = ok("withdraw", x.head, kLead);
        EXPECT_EQ(str(report_of(d), "step"), "department_head");
        EXPECT_EQ(str(report_of(d), "state"), "in_approval");
    }
    ok("approve", x.head, kLead);
    ok("approve", x.leader, kLead);
    // The leader acted after the head: the head can no longer withdraw.
    EXPECT_REFUSED_UNCHANGED(kLead, act("withdraw", x.head, kLead));
    const Doc d = act("withdraw", x.contact, kLead);
    EXPECT_NE(str(d, "outcome"), "ok");
}

TEST_F(ReportingAbi, WithdrawingAResubmissionKeepsItsWayBackToTheStepThatReturnedIt) {
    TO_REFORM_OFFICE();
    const Chain& x = chain(kLead);
    ok("return", "u-sigaiban-head", kLead, with_reason("请补充。", "draft"));
    ok("submit", x.contact, kLead);
    ASSERT_EQ(str(report_of(get(kLead)), "step"), "reform_office");
    ok("withdraw", x.contact, kLead);
    ASSERT_EQ(str(report_of(get(kLead)), "step"), "draft");
    const Doc d = ok("submit", x.contact, kLead);
    EXPECT_EQ(str(report_of(d), "step"), "reform_office");
}

TEST_F(ReportingAbi, HandOverNarrowsTheStepToTheAssigneeAlone) {
    const Chain& x = chain(kLead);
    draft_and_submit(kLead, kLeadSummary1);
    {
        Extra h;
        h.hand_over_to = "u-nobody";
        EXPECT_EQ(str(act("hand_over", x.head, kLead, h), "outcome"), "invalid");
        h.hand_over_to = x.head;
        EXPECT_EQ(str(act("hand_over", x.head, kLead, h), "outcome"), "invalid");
        // Only to someone who could hold the step: not another department's head.
        h.hand_over_to = "u-minting-head";
        EXPECT_EQ(str(act("hand_over", x.head, kLead, h), "outcome"), "invalid");
        // Only the step's actor may hand it over.
        h.hand_over_to = "u-xingting-deputy";
        EXPECT_REFUSED_UNCHANGED(kLead, act("hand_over", x.contact, kLead, h));
        const Doc d = ok("hand_over", x.head, kLead, h);
        EXPECT_EQ(str(report_of(d), "assignee"), "u-xingting-deputy");
        EXPECT_EQ(str(report_of(d), "step"), "department_head");
    }
    EXPECT_REFUSED_UNCHANGED(kLead, act("approve", x.head, kLead));
    {
        const Doc inbox =
            parse_json(host_.call("inbox", Req().s("user", "u-xingting-deputy").str()));
        ASSERT_EQ(arr(inbox, "items").Size(), 1u);
        EXPECT_EQ(
            arr(parse_json(host_.call("inbox", Req().s("user", x.head).str())), "items").Size(),
            0u);
    }
    const Doc d = ok("approve", "u-xingting-deputy", kLead);
    EXPECT_EQ(str(report_of(d), "step"), "leader_in_charge");
    EXPECT_EQ(str(report_of(d), "assignee"), "") << "a hand over holds for one step only";
    EXPECT_REFUSED_UNCHANGED(kLead, act("approve", "u-xingting-deputy", kLead));
    ok("approve", x.leader, kLead);
}

TEST_F(ReportingAbi, AWaiverNeedsACoDepartmentAReasonAndIsGivenOnce) {
    const auto waive = [&](const std::string& department, const std::string& reason) {
        return parse_json(host_.call("report.waive", Req()
                                                         .s("task", "33")
                                                         .s("department", department)
                                                         .s("period", "2019-10")
                                                         .s("actor", "u-sigaiban-contact")
                                                         .s("reason", reason)
                                                         .str()));
    };
    const std::size_t audit_before = audit_count();
    EXPECT_EQ(str(waive(kLead, "牵头部门不能免报"), "outcome"), "invalid");
    EXPECT_EQ(str(waive("民庭", " \t "), "outcome"), "invalid");
    EXPECT_EQ(audit_count(), audit_before);
    EXPECT_EQ(str(waive("民庭", "本月无相关工作。"), "outcome"), "ok");
    EXPECT_EQ(audit_count(), audit_before + 1);
    const Doc again = waive("民庭", "再次免报。");
    EXPECT_EQ(str(again, "outcome"), "invalid");
    EXPECT_EQ(str(at(at(again, "obligation"), "waived"), "reason"), "本月无相关工作。");
    EXPECT_EQ(audit_count(), audit_before + 1);
    EXPECT_EQ(str(at(get("民庭"), "obligation"), "status"), "waived");
}

TEST_F(ReportingAbi, AFiledReportAcceptsNoFurtherAction) {
    const Chain& g = chain("干部科");
    draft_and_submit("干部科", "岗位职责清单。", "1");
    ok("approve", g.head, "干部科", {}, "1");
    ok("approve", g.leader, "干部科", {}, "1");
    ok("file", "u-sigaiban-head", "干部科", {}, "1");
    const std::string before = get_raw("干部科", "1");
    const std::size_t audit_before = audit_count("1");
    for (const auto& [action, actor] :
         std::vector<std::pair<std::string, std::string>>{{"file", "u-sigaiban-head"},
                                                          {"return", "u-sigaiban-head"},
                                                          {"withdraw", "u-vp-admin"},
                                                          {"save_draft", g.contact},
                                                          {"submit", g.contact},
                                                          {"approve", g.head}}) {
        const Doc d = act(action, actor, "干部科", with_reason("再看看", "draft"), kCurrent, "1");
        EXPECT_EQ(str(d, "outcome"), "invalid") << action;
    }
    EXPECT_EQ(get_raw("干部科", "1"), before);
    EXPECT_EQ(audit_count("1"), audit_before);
}

TEST_F(ReportingAbi, ActionsTheStepDoesNotAllowAreInvalidAndChangeNothing) {
    const Chain& x = chain(kLead);
    const auto expect_invalid = [&](const Doc& d, const char* what) {
        EXPECT_EQ(str(d, "outcome"), "invalid") << what << ": " << str(d, "message");
        EXPECT_FALSE(str(d, "message").empty()) << what;
    };
    expect_invalid(act("submit", x.contact, kLead), "submit before any draft");
    EXPECT_EQ(version(kLead), 0);
    draft_and_submit(kLead, kLeadSummary1);
    const std::string before = get_raw(kLead);
    const std::size_t audit_before = audit_count();
    expect_invalid(act("approve_all", x.head, kLead), "unknown action");
    expect_invalid(act("file", x.head, kLead), "file at the head's step");
    expect_invalid(act("return", x.head, kLead), "return without a reason");
    expect_invalid(act("return", x.head, kLead, with_reason("原因", "leader_in_charge")),
                   "return to a later step");
    expect_invalid(act("return", x.head, kLead, with_reason("原因", "nowhere")),
                   "return to an unknown step");
    expect_invalid(act("save_draft", x.contact, kLead, with_content(content("改", 1))),
                   "editing while in approval");
    expect_invalid(act("approve", "u-sigaiban-head", kLead, acting_for("u-nobody")),
                   "acting for an unknown person");
    EXPECT_EQ(get_raw(kLead), before);
    EXPECT_EQ(audit_count(), audit_before);
}

// A host of our own around the plugin table, to give report.act a sink that
// refuses the output: the call fails and its transaction writes nothing.
struct RefusingSinkHost {
    rl_host_services services{};
    RefusingSinkHost() {
        services.struct_size = sizeof(services);
        services.host_context = this;
        services.log = nullptr;
        services.now_ms = [](void*) -> int64_t { return court_ms(2019, 11, 4); };
        services.register_definition = [](void*, int32_t, const char*, size_t,
                                          rl_error*) -> rl_status { return RL_OK; };
    }
};

TEST_F(ReportingAbi, AnActionWhoseOutputTheSinkRefusesWritesNeitherReportNorAudit) {
    RefusingSinkHost services;
    const rl_plugin& plugin = host_.plugin();
    const std::string config = rl::test::plugin_config(db_);
    rl_error error{};
    error.struct_size = sizeof(error);
    rl_instance* instance = nullptr;
    ASSERT_EQ(plugin.create(&services.services, config.data(), config.size(), &instance, &error),
              RL_OK)
        << error.message;
    const std::string request = act_request("save_draft", chain(kLead).contact, kLead,
                                            with_content(content(kLeadSummary1, 10)), kOmit, "33");
    const std::string method = "report.act";
    rl_sink refusing{sizeof(rl_sink), nullptr,
                     [](void*, const char*, size_t) -> int32_t { return 1; }};
    const rl_status status = plugin.call(instance, method.data(), method.size(), request.data(),
                                         request.size(), &refusing, &error);
    EXPECT_NE(status, RL_OK);
    std::string out;
    rl_sink keeping{sizeof(rl_sink), &out, [](void* c, const char* d, size_t n) -> int32_t {
                        static_cast<std::string*>(c)->append(d, n);
                        return 0;
                    }};
    const std::string audit_method = "audit.list";
    const std::string audit_request = Req().s("user", "u-sigaiban-head").s("task", "33").str();
    EXPECT_EQ(plugin.call(instance, audit_method.data(), audit_method.size(), audit_request.data(),
                          audit_request.size(), &keeping, &error),
              RL_OK)
        << error.message;
    EXPECT_EQ(arr(parse_json(out), "entries").Size(), 0u) << out;
    rl_error shutdown_error{};
    shutdown_error.struct_size = sizeof(shutdown_error);
    plugin.shutdown(instance, &shutdown_error);
    plugin.destroy(instance);
    EXPECT_EQ(version(kLead), 0) << "the refused call's report was committed";
    EXPECT_EQ(audit_count(), 0u);
}

// ------------------------------------------------------------ 7. validation

bool has_field_error(const Doc& d, const std::string& field) {
    for (const auto& e : arr(d, "field_errors").GetArray()) {
        if (str(e, "field") == field) {
            return true;
        }
    }
    return false;
}

TEST_F(ReportingAbi, SubmittingWithoutSummaryOrPercentIsInvalidNamingBothFields) {
    const Chain& x = chain(kLead);
    ok("save_draft", x.contact, kLead, with_content("{}"));
    const std::string before = get_raw(kLead);
    const std::size_t audit_before = audit_count();
    {
        const Doc d = act("submit", x.contact, kLead);
        EXPECT_EQ(str(d, "outcome"), "invalid");
        EXPECT_TRUE(has_field_error(d, "progress_summary")) << dump(arr(d, "field_errors"));
        EXPECT_TRUE(has_field_error(d, "percent_complete")) << dump(arr(d, "field_errors"));
    }
    {
        // Content given with the submit, still without a summary (blank) or percent.
        const Doc d =
            act("submit", x.contact, kLead,
                with_content(Req().s("progress_summary", "   ").s("measures", "m").str()));
        EXPECT_EQ(str(d, "outcome"), "invalid");
        EXPECT_TRUE(has_field_error(d, "progress_summary")) << dump(arr(d, "field_errors"));
        EXPECT_TRUE(has_field_error(d, "percent_complete")) << dump(arr(d, "field_errors"));
    }
    EXPECT_EQ(get_raw(kLead), before);
    EXPECT_EQ(audit_count(), audit_before);
}

TEST_F(ReportingAbi, ContentFieldErrorsAreReportedAndNothingIsStored) {
    const Chain& x = chain(kLead);
    struct Case {
        std::string content, field;
    };
    const Case cases[] = {
        {Req().s("progress_summary", "s").i("percent_complete", 150).str(), "percent_complete"},
        {Req().s("progress_summary", "s").i("percent_complete", -1).str(), "percent_complete"},
        {Req().s("progress_summary", "s").s("percent_complete", "50").str(), "percent_complete"},
        {Req().s("progress_summary", "s").i("percent_complete", 50).s("progress", "x").str(),
         "progress"},
        {Req().s("progress_summary", "s").i("percent_complete", 50).i("measures", 3).str(),
         "measures"},
        {Req().s("progress_summary", "s").raw("evidence", "[{\"url\":\"oa://x\"}]").str(),
         "evidence[0]"},
        {Req().s("progress_summary", "s").raw("evidence", "[{\"name\":\" \"}]").str(),
         "evidence[0].name"},
    };
    for (const auto& c : cases) {
        const Doc d = act("save_draft", x.contact, kLead, with_content(c.content), kOmit);
        EXPECT_EQ(str(d, "outcome"), "invalid") << c.content;
        EXPECT_TRUE(has_field_error(d, c.field))
            << c.content << " → " << dump(arr(d, "field_errors"));
        EXPECT_TRUE(report_of(d).IsNull()) << "nothing was drafted";
    }
    EXPECT_EQ(version(kLead), 0) << "no invalid draft was stored";
    EXPECT_EQ(audit_count(), 0u);

    // completed but not 100 percent, on submit.
    ok("save_draft", x.contact, kLead,
       with_content(Req()
                        .s("progress_summary", "s")
                        .i("percent_complete", 60)
                        .raw("completed", "true")
                        .str()));
    const Doc d = act("submit", x.contact, kLead);
    EXPECT_EQ(str(d, "outcome"), "invalid");
    EXPECT_TRUE(has_field_error(d, "completed")) << dump(arr(d, "field_errors"));
    EXPECT_EQ(version(kLead), 1);
}

TEST_F(ReportingAbi, ContentWithAnActionOtherThanDraftOrSubmitIsAnInvalidArgumentError) {
    const Chain& x = chain(kLead);
    draft_and_submit(kLead, kLeadSummary1);
    const std::size_t audit_before = audit_count();
    std::string message;
    EXPECT_EQ(status_of(
                  [&] {
                      host_.call("report.act",
                                 act_request("approve", x.head, kLead,
                                             with_content(content("x", 1)), kCurrent, "33"));
                  },
                  &message),
              RL_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(contains(message, "content")) << message;
    EXPECT_EQ(version(kLead), 2);
    EXPECT_EQ(audit_count(), audit_before);
}

TEST_F(ReportingAbi, MalformedReportRequestsAreInvalidArgumentOrNotFound) {
    EXPECT_EQ(status_of([&] {
                  host_.call("report.act", Req()
                                               .s("task", "33")
                                               .s("department", kLead)
                                               .s("period", "2019-10")
                                               .s("action", "save_draft")
                                               .s("actor", "u-xingting-contact")
                                               .s("version", "1")
                                               .str());
              }),
              RL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] {
                  host_.call("report.act", Req()
                                               .s("task", "33")
                                               .s("department", kLead)
                                               .s("period", "2019-13")
                                               .s("action", "save_draft")
                                               .s("actor", "u-xingting-contact")
                                               .str());
              }),
              RL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] {
                  host_.call("report.act", Req()
                                               .s("task", "33")
                                               .s("department", "不存在的庭")
                                               .s("period", "2019-10")
                                               .s("action", "save_draft")
                                               .s("actor", "u-xingting-contact")
                                               .str());
              }),
              RL_ERR_NOT_FOUND);
    EXPECT_EQ(status_of([&] {
                  host_.call("report.get", Req()
                                               .s("user", "u-sigaiban-head")
                                               .s("task", "33")
                                               .s("department", "干部科")
                                               .s("period", "2019-10")
                                               .str());
              }),
              RL_ERR_NOT_FOUND)
        << "干部科 is not assigned to task 33";
    EXPECT_EQ(audit_count(), 0u);
}

TEST_F(ReportingAbi, ARequestWithTextAfterItsJsonObjectIsInvalidArgumentAndNotActedOn) {
    // Malformed request JSON is RL_ERR_INVALID_ARGUMENT (docs/abi.md); a
    // second object after the first must not be silently dropped while the
    // first is carried out.
    const std::string request = act_request("save_draft", "u-xingting-contact", kLead,
                                            with_content(content("草稿", 10)), kOmit, "33");
    for (const std::string& tail :
         {std::string(" {\"action\":\"file\"}"), std::string("}"), std::string(" garbage")}) {
        EXPECT_EQ(status_of([&] { host_.call("report.act", request + tail); }),
                  RL_ERR_INVALID_ARGUMENT)
            << "tail: " << tail;
    }
    EXPECT_EQ(version(kLead), 0) << "the action was carried out";
    EXPECT_EQ(audit_count(), 0u);
    // Trailing whitespace is fine.
    EXPECT_EQ(str(parse_json(host_.call("report.act", request + " \n")), "outcome"), "ok");
}

// True if text is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool valid_utf8(const std::string& text) {
    std::size_t i = 0;
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    while (i < text.size()) {
        const unsigned c = s[i];
        int n = 0;
        unsigned min = 0, cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1, min = 0x80, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2, min = 0x800, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3, min = 0x10000, cp = c & 0x07;
        } else {
            return false;
        }
        for (int k = 1; k <= n; ++k) {
            if (i + k >= text.size() || (s[i + k] & 0xC0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        i += static_cast<std::size_t>(n) + 1;
    }
    return true;
}

TEST_F(ReportingAbi, TextThatIsNotUtf8IsNeitherStoredNorEchoedInvalid) {
    // The ABI speaks UTF-8 JSON. Report text, evidence, reasons and ids that
    // are not UTF-8 must be refused (RL_ERR_INVALID_ARGUMENT or a field error)
    // and never come back out as invalid UTF-8.
    const Chain& x = chain(kLead);
    draft_and_submit(kLead, kLeadSummary1);
    const std::string before = get_raw(kLead);
    const std::size_t audit_before = audit_count();
    struct Case {
        const char* what;
        std::string request;
    };
    const Case cases[] = {
        {"progress_summary", act_request("save_draft", chain("民庭").contact, "民庭",
                                         with_content(content("进展\xff", 10)), kOmit, "33")},
        {"evidence name and url",
         act_request(
             "save_draft", chain("民庭").contact, "民庭",
             with_content(
                 Req()
                     .s("progress_summary", "进展")
                     .i("percent_complete", 10)
                     .raw("evidence",
                          "[" + Req().s("name", "材料\xff.docx").s("url", "oa://\xfe").str() + "]")
                     .str()),
             kOmit, "33")},
        {"return reason",
         act_request("return", x.head, kLead, with_reason("退回\xff", "draft"), kCurrent, "33")},
        {"approval opinion",
         act_request("approve", x.head, kLead, with_reason("\xfe同意"), kCurrent, "33")},
        {"actor id", act_request("approve", "u-\xff", kLead, {}, kCurrent, "33")},
        {"acting_for id", act_request("approve", "u-sigaiban-head", kLead, acting_for("u-\xc0\xaf"),
                                      kCurrent, "33")},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        try {
            const std::string result = host_.call("report.act", c.request);
            EXPECT_TRUE(valid_utf8(result)) << "the result is not UTF-8: " << result;
            EXPECT_NE(str(parse_json(result), "outcome"), "ok") << result;
        } catch (const PluginError& e) {
            EXPECT_EQ(e.status(), RL_ERR_INVALID_ARGUMENT) << e.what();
        }
    }
    {
        SCOPED_TRACE("waiver reason");
        try {
            const std::string result = host_.call("report.waive", Req()
                                                                      .s("task", "33")
                                                                      .s("department", "立案庭")
                                                                      .s("period", "2019-10")
                                                                      .s("actor", "u-sigaiban-head")
                                                                      .s("reason", "免报\xff")
                                                                      .str());
            EXPECT_TRUE(valid_utf8(result)) << result;
            EXPECT_NE(str(parse_json(result), "outcome"), "ok") << result;
        } catch (const PluginError& e) {
            EXPECT_EQ(e.status(), RL_ERR_INVALID_ARGUMENT) << e.what();
        }
    }
    EXPECT_EQ(get_raw(kLead), before);
    EXPECT_EQ(version("民庭"), 0);
    EXPECT_NE(str(at(get("立案庭"), "obligation"), "status"), "waived");
    EXPECT_EQ(audit_count(), audit_before);
    const std::string trail =
        host_.call("audit.list", Req().s("user", "u-sigaiban-head").s("task", "33").str());
    EXPECT_TRUE(valid_utf8(trail));
    EXPECT_TRUE(valid_utf8(get_raw("民庭")));
}

// ------------------------------------------------------------ 8. ledger status and inbox

const Val* find_by(const Val& list, const char* key, const std::string& value) {
    for (const auto& v : list.GetArray()) {
        if (str(v, key) == value) {
            return &v;
        }
    }
    return nullptr;
}

TEST_F(ReportingAbi, LedgerStatusAfterTheMonthFiledOverdueAndCountsAddUp) {
    run_task33_month();
    ASSERT_EQ(str(at(get(kLead), "obligation"), "status"), "filed");

    host_.set_clock(court_ms(2019, 11, 8));
    const Doc s = parse_json(host_.call(
        "ledger.status", Req().s("user", "u-sigaiban-head").s("period", "2019-10").str()));
    EXPECT_EQ(str(s, "month"), "2019-10");
    EXPECT_EQ(str(s, "today"), "2019-11-08");
    const Val* t33 = find_by(arr(s, "tasks"), "number", "33");
    const Val* t1 = find_by(arr(s, "tasks"), "number", "1");
    ASSERT_NE(t33, nullptr);
    ASSERT_NE(t1, nullptr);
    EXPECT_EQ(str(*t33, "status"), "filed");
    EXPECT_EQ(str(*t1, "status"), "overdue");
    const Val* waived = find_by(arr(*t33, "departments"), "name", "技术科");
    ASSERT_NE(waived, nullptr);
    EXPECT_EQ(str(*waived, "status"), "waived");

    // Each department's counts add up to its obligations for the month.
    const Val& departments = arr(s, "departments");
    ASSERT_GT(departments.Size(), 5u);
    for (const auto& d : departments.GetArray()) {
        const std::string name = str(d, "name");
        int total = 0;
        std::map<std::string, int> counts;
        for (auto it = at(d, "counts").MemberBegin(); it != at(d, "counts").MemberEnd(); ++it) {
            total += it->value.GetInt();
            counts[it->name.GetString()] = it->value.GetInt();
        }
        const Doc list = parse_json(host_.call(
            "obligations.list",
            Req().s("user", "u-sigaiban-head").s("period", "2019-10").s("department", name).str()));
        std::map<std::string, int> listed;
        for (const auto& o : arr(list, "obligations").GetArray()) {
            ++listed[str(o, "status")];
        }
        int listed_total = 0;
        for (const auto& [status, n] : listed) {
            listed_total += n;
            EXPECT_EQ(counts[status], n) << name << " " << status;
        }
        EXPECT_EQ(total, listed_total) << name;
        EXPECT_GT(total, 0) << name;
    }
    const Val* xingting = find_by(departments, "name", kLead);
    ASSERT_NE(xingting, nullptr);
    EXPECT_GE(num(at(*xingting, "counts"), "filed"), 1);
    const Val* jishuke = find_by(departments, "name", "技术科");
    ASSERT_NE(jishuke, nullptr);
    EXPECT_EQ(num(at(*jishuke, "counts"), "waived"), 1);

    // ledger.tasks carries the same per-task status.
    const Doc tasks = parse_json(host_.call("ledger.tasks", Req().s("period", "2019-10").str()));
    EXPECT_EQ(str(tasks, "period"), "2019-10");
    ASSERT_NE(find_by(arr(tasks, "tasks"), "number", "33"), nullptr);
    EXPECT_EQ(str(*find_by(arr(tasks, "tasks"), "number", "33"), "status"), "filed");
    EXPECT_EQ(str(*find_by(arr(tasks, "tasks"), "number", "1"), "status"), "overdue");

    // Before the due date the untouched task is not started.
    host_.set_clock(court_ms(2019, 11, 5));
    const Doc early = parse_json(host_.call(
        "ledger.status", Req().s("user", "u-sigaiban-head").s("period", "2019-10").str()));
    EXPECT_EQ(str(*find_by(arr(early, "tasks"), "number", "1"), "status"), "not_started");
    EXPECT_EQ(str(*find_by(arr(early, "tasks"), "number", "33"), "status"), "filed");
}

TEST_F(ReportingAbi, OverdueStartsTheCourtDayAfterTheDueDateInUtcPlusEight) {
    // Due 2019-11-07: at 23:30 court time on the 7th it is not yet overdue; at
    // 00:30 court time on the 8th (still the 7th in UTC) it is.
    host_.set_clock(court_ms(2019, 11, 7, 23, 30));
    const Doc due_day = parse_json(host_.call(
        "ledger.status", Req().s("user", "u-sigaiban-head").s("period", "2019-10").str()));
    EXPECT_EQ(str(due_day, "today"), "2019-11-07");
    EXPECT_EQ(str(*find_by(arr(due_day, "tasks"), "number", "1"), "status"), "not_started");
    host_.set_clock(court_ms(2019, 11, 8, 0, 30));
    const Doc next_day = parse_json(host_.call(
        "ledger.status", Req().s("user", "u-sigaiban-head").s("period", "2019-10").str()));
    EXPECT_EQ(str(next_day, "today"), "2019-11-08");
    EXPECT_EQ(str(*find_by(arr(next_day, "tasks"), "number", "1"), "status"), "overdue");
    const Doc o = parse_json(
        host_.call("obligations.list",
                   Req().s("user", "u-sigaiban-head").s("period", "2019-10").s("task", "1").str()));
    ASSERT_GE(arr(o, "obligations").Size(), 1u);
    EXPECT_EQ(num(arr(o, "obligations")[0], "overdue_working_days"), 1);
}

TEST_F(ReportingAbi, InboxShowsTheHeadAWaitingReportAndTheContactItsNotStartedObligations) {
    host_.set_clock(court_ms(2019, 11, 5));
    const Doc mine = parse_json(host_.call(
        "obligations.list",
        Req().s("user", "u-sigaiban-head").s("period", "2019-10").s("department", kLead).str()));
    std::set<std::string> not_started;
    for (const auto& o : arr(mine, "obligations").GetArray()) {
        EXPECT_EQ(str(o, "status"), "not_started");
        not_started.insert(str(o, "task") + "/" + str(o, "item"));
    }
    ASSERT_TRUE(not_started.count("33/")) << "刑庭 owes a report for task 33";

    draft_and_submit(kLead, kLeadSummary1);
    not_started.erase("33/");

    const Doc head = parse_json(
        host_.call("inbox", Req().s("user", "u-xingting-head").s("period", "2019-10").str()));
    const Val& items = arr(head, "items");
    ASSERT_EQ(items.Size(), 1u) << dump(items);
    EXPECT_EQ(str(items[0], "waiting_for"), "approve");
    EXPECT_EQ(str(at(items[0], "obligation"), "task"), "33");
    EXPECT_EQ(str(at(items[0], "obligation"), "department"), kLead);
    EXPECT_EQ(str(at(at(items[0], "obligation"), "report"), "step"), "department_head");

    const Doc contact = parse_json(
        host_.call("inbox", Req().s("user", "u-xingting-contact").s("period", "2019-10").str()));
    std::set<std::string> drafts;
    for (const auto& item : arr(contact, "items").GetArray()) {
        const Val& o = at(item, "obligation");
        EXPECT_EQ(str(o, "department"), kLead);
        EXPECT_EQ(str(item, "waiting_for"), "draft");
        EXPECT_EQ(str(o, "status"), "not_started");
        drafts.insert(str(o, "task") + "/" + str(o, "item"));
    }
    EXPECT_EQ(drafts, not_started);

    // Nobody else's inbox holds 刑庭's report; the leader gets it after the head.
    const Doc other = parse_json(host_.call("inbox", Req().s("user", "u-minting-head").str()));
    for (const auto& item : arr(other, "items").GetArray()) {
        EXPECT_NE(str(at(item, "obligation"), "department"), kLead);
    }
    ok("approve", chain(kLead).head, kLead);
    const Doc leader = parse_json(host_.call("inbox", Req().s("user", "u-vp-trial").str()));
    const Val* waiting = find_by(arr(leader, "items"), "waiting_for", "approve");
    ASSERT_NE(waiting, nullptr);
    EXPECT_EQ(str(at(*waiting, "obligation"), "department"), kLead);
    EXPECT_EQ(
        arr(parse_json(host_.call("inbox", Req().s("user", "u-xingting-head").str())), "items")
            .Size(),
        0u);
    EXPECT_EQ(status_of([&] { host_.call("inbox", Req().s("user", "u-nobody").str()); }),
              RL_ERR_NOT_FOUND);
}

// ------------------------------------------------------------ 9. calendar

std::vector<std::string> strings(const Val& list) {
    std::vector<std::string> out;
    for (const auto& v : list.GetArray()) {
        out.push_back(v.GetString());
    }
    return out;
}

TEST_F(ReportingAbi, CalendarWorkdaysAroundNationalDay2019AreExactlyTheWorkingDays) {
    const Doc d = parse_json(
        host_.call("calendar.workdays", Req().s("from", "2019-09-28").s("to", "2019-10-13").str()));
    const std::vector<std::string> expected = {"2019-09-29", "2019-09-30", "2019-10-08",
                                               "2019-10-09", "2019-10-10", "2019-10-11",
                                               "2019-10-12"};
    EXPECT_EQ(strings(arr(d, "days")), expected);
    EXPECT_EQ(at(d, "count").GetUint64(), 7u);
    EXPECT_EQ(arr(d, "warnings").Size(), 0u);
    // The due date of 2019-10 reports: the 5th working day of November 2019.
    const Doc nov = parse_json(
        host_.call("calendar.workdays", Req().s("from", "2019-11-01").s("to", "2019-11-07").str()));
    EXPECT_EQ(at(nov, "count").GetUint64(), 5u);
    EXPECT_EQ(strings(arr(nov, "days")).back(), "2019-11-07");
}

TEST_F(ReportingAbi, CalendarDayKnowsMakeUpWorkdaysAndHolidays) {
    const Doc sat = parse_json(host_.call("calendar.day", Req().s("date", "2019-10-12").str()));
    EXPECT_TRUE(at(sat, "working_day").GetBool());
    EXPECT_EQ(num(sat, "weekday"), 6);
    EXPECT_TRUE(at(sat, "covered").GetBool());
    const Doc holiday = parse_json(host_.call("calendar.day", Req().s("date", "2019-10-01").str()));
    EXPECT_FALSE(at(holiday, "working_day").GetBool());
    ASSERT_TRUE(at(holiday, "note").IsString());
    EXPECT_TRUE(contains(str(holiday, "note"), "国庆")) << str(holiday, "note");
    const Doc uncovered =
        parse_json(host_.call("calendar.day", Req().s("date", "2021-10-04").str()));
    EXPECT_FALSE(at(uncovered, "covered").GetBool());
    EXPECT_TRUE(at(uncovered, "working_day").GetBool()) << "a plain Monday without holiday data";
}

TEST_F(ReportingAbi, CalendarRangeWithoutHolidayDataWarnsNamingTheYear) {
    const Doc d = parse_json(
        host_.call("calendar.workdays", Req().s("from", "2021-09-27").s("to", "2021-10-08").str()));
    ASSERT_EQ(arr(d, "warnings").Size(), 1u);
    EXPECT_TRUE(contains(arr(d, "warnings")[0].GetString(), "2021"));
    // Plain weekends: 2021-09-27..10-01 and 10-04..10-08.
    EXPECT_EQ(at(d, "count").GetUint64(), 10u);
    // A range across a covered and an uncovered year warns for the uncovered one only.
    const Doc across = parse_json(
        host_.call("calendar.workdays", Req().s("from", "2019-12-30").s("to", "2020-01-03").str()));
    ASSERT_EQ(arr(across, "warnings").Size(), 1u);
    EXPECT_TRUE(contains(arr(across, "warnings")[0].GetString(), "2020"));
}

TEST_F(ReportingAbi, CalendarBadDatesAreInvalidArgument) {
    const std::vector<std::pair<std::string, std::string>> ranges = {
        {"2019-13-01", "2019-13-05"}, {"2019-02-29", "2019-03-01"}, {"20191001", "2019-10-13"},
        {"2019-10-1", "2019-10-13"},  {"2019-10-13", "2019-10-01"}, {"", "2019-10-13"},
        {"2019-10-01", "2049-10-13"},
    };
    for (const auto& [from, to] : ranges) {
        std::string message;
        EXPECT_EQ(
            status_of(
                [&] { host_.call("calendar.workdays", Req().s("from", from).s("to", to).str()); },
                &message),
            RL_ERR_INVALID_ARGUMENT)
            << from << ".." << to;
    }
    EXPECT_EQ(
        status_of([&] { host_.call("calendar.workdays", Req().s("from", "2019-10-01").str()); }),
        RL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { host_.call("calendar.day", Req().s("date", "2019-02-30").str()); }),
              RL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { host_.call("calendar.day", Req().i("date", 20191001).str()); }),
              RL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] {
                  host_.call("calendar.day", Req().s("date", "2019-10-01").s("extra", "x").str());
              }),
              RL_ERR_INVALID_ARGUMENT);
}

}  // namespace
