// Three-colour warnings (ledger.tasks, ledger.status) and department scores
// (scores.period, scores.year) through the real plugin's C ABI on a real
// ledger the test builds: the seed imported, reports drafted, submitted,
// returned, urged and supervised, and things let go overdue by moving the
// host's clock. Runs on SQLite, and on PostgreSQL with RL_TEST_BACKEND.
#include <gtest/gtest.h>

#include <map>
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

// plugin_config with top-level members added ("warnings": {…}, "scores": {…}).
std::string config_with(const std::string& db, const std::string& members) {
    std::string config = rl::test::plugin_config(db);
    config.pop_back();  // the closing brace
    return config + "," + members + "}";
}

const std::map<std::string, std::string>& contacts() {
    static const std::map<std::string, std::string> m = {
        {"刑庭", "u-xingting-contact"},
        {"民庭", "u-minting-contact"},
    };
    return m;
}

std::string content(const std::string& summary) {
    return Req()
        .s("progress_summary", summary)
        .s("measures", "逐项梳理流程节点")
        .i("percent_complete", 50)
        .raw("evidence",
             "[" + Req().s("name", "材料.docx").s("url", "https://oa.court.local/files/1").str() +
                 "]")
        .str();
}

class Assessment : public ::testing::Test {
protected:
    void open(const std::string& members) {
        db_ = dir_.file("ledger.db");
        open_plugin(host_, court_ms(2019, 11, 4), config_with(db_, members));
    }

    // Acts on the department's 2019-10 report on task 33 at its current
    // version; expects "ok".
    void act(const std::string& department, const std::string& action, const std::string& actor,
             const std::string& extra_key = "", const std::string& extra_json = "") {
        const Doc g = parse_json(host_.call("report.get", Req()
                                                              .s("user", "u-sigaiban-head")
                                                              .s("task", "33")
                                                              .s("department", department)
                                                              .s("period", "2019-10")
                                                              .str()));
        Req r;
        r.s("task", "33")
            .s("department", department)
            .s("period", "2019-10")
            .s("action", action)
            .s("actor", actor);
        const Val& report = at(at(g, "obligation"), "report");
        if (report.IsObject()) {
            r.i("version", num(report, "version"));
        }
        if (!extra_key.empty()) {
            r.raw(extra_key, extra_json);
        }
        const Doc d = parse_json(host_.call("report.act", r.str()));
        ASSERT_EQ(str(d, "outcome"), "ok") << action << " by " << actor << ": " << dump(d);
    }
    void draft_and_submit(const std::string& department) {
        const std::string contact = contacts().at(department);
        act(department, "save_draft", contact, "content", content(department + "：已梳理。"));
        act(department, "submit", contact);
    }

    Doc ledger() {
        return parse_json(host_.call("ledger.tasks", Req().s("period", "2019-10").str()));
    }
    static const Val& task(const Doc& ledger, const std::string& number) {
        for (const auto& t : arr(ledger, "tasks").GetArray()) {
            if (str(t, "number") == number) {
                return t;
            }
        }
        throw std::runtime_error("no task " + number);
    }
    static const Val& named(const Val& list, const char* key, const std::string& name) {
        for (const auto& entry : list.GetArray()) {
            if (str(entry, key) == name) {
                return entry;
            }
        }
        throw std::runtime_error("no entry " + name);
    }
    static std::vector<std::string> reasons(const Val& warning, const std::string& rule,
                                            const std::string& department) {
        std::vector<std::string> out;
        for (const auto& r : arr(warning, "reasons").GetArray()) {
            if (str(r, "rule") == rule &&
                (department.empty() || str(r, "department") == department)) {
                out.push_back(dump(r));
            }
        }
        return out;
    }
    static const Val& reason(const Val& warning, const std::string& rule,
                             const std::string& department) {
        for (const auto& r : arr(warning, "reasons").GetArray()) {
            if (str(r, "rule") == rule && str(r, "department") == department) {
                return r;
            }
        }
        throw std::runtime_error("no reason " + rule + " for " + department + " in " +
                                 dump(warning).substr(0, 600));
    }

    // The department's 2019-10 obligations (none of the seed's is waived).
    int obligations_of(const std::string& department) {
        const Doc d = parse_json(host_.call("obligations.list", Req()
                                                                    .s("user", "u-sigaiban-head")
                                                                    .s("period", "2019-10")
                                                                    .s("department", department)
                                                                    .str()));
        return static_cast<int>(arr(d, "obligations").Size());
    }

    int count(const std::string& table) {
        return std::stoi(
            rl::test::sql_rows(db_, "SELECT COUNT(*) FROM " + table, true).at(0).at(0));
    }

    TempDir dir_;
    std::string db_;
    PluginHost host_;
};

TEST_F(Assessment, TaskAndDepartmentColoursFollowTheReportsAsTheClockMoves) {
    open(R"("warnings":{"report_yellow_within_working_days":2})");
    // Monday 11-04: the 2019-10 reports are due Thursday 11-07, three working days away.
    Doc d = ledger();
    EXPECT_EQ(str(at(task(d, "33"), "warning"), "colour"), "green") << dump(task(d, "33"));
    EXPECT_TRUE(arr(at(task(d, "33"), "warning"), "reasons").Empty());
    EXPECT_EQ(str(at(named(arr(d, "department_warnings"), "name", "刑庭"), "warning"), "colour"),
              "green");

    // Tuesday 11-05: two working days left, the report threshold: yellow.
    host_.set_clock(court_ms(2019, 11, 5));
    d = ledger();
    const Val& w33 = at(task(d, "33"), "warning");
    EXPECT_EQ(str(w33, "colour"), "yellow");
    EXPECT_EQ(str(w33, "label"), "黄灯");
    const Val& soon = reason(w33, "report_due_soon", "刑庭");
    EXPECT_EQ(num(soon, "working_days"), 2);
    EXPECT_EQ(str(soon, "due_date"), "2019-11-07");
    EXPECT_EQ(str(soon, "period"), "2019-10");
    EXPECT_EQ(str(at(named(arr(d, "department_warnings"), "name", "刑庭"), "warning"), "colour"),
              "yellow");

    // 刑庭 submits: its own reason goes; its co-operating departments' stay.
    draft_and_submit("刑庭");
    d = ledger();
    EXPECT_TRUE(reasons(at(task(d, "33"), "warning"), "report_due_soon", "刑庭").empty());
    EXPECT_FALSE(reasons(at(task(d, "33"), "warning"), "report_due_soon", "民庭").empty());

    // Returned to 刑庭 and not resubmitted: yellow, however far the due date.
    act("刑庭", "return", "u-xingting-head", "reason", q("请补充佐证材料"));
    d = ledger();
    EXPECT_EQ(reasons(at(task(d, "33"), "warning"), "report_returned", "刑庭").size(), 1u)
        << dump(at(task(d, "33"), "warning"));

    // Friday 11-08, one working day past due: the returned report and every
    // report not submitted are overdue — red, in ledger.tasks and ledger.status.
    host_.set_clock(kNov8);
    d = ledger();
    const Val& red = at(task(d, "33"), "warning");
    EXPECT_EQ(str(red, "colour"), "red");
    EXPECT_EQ(str(arr(red, "reasons")[0], "colour"), "red") << "red reasons come first";
    EXPECT_EQ(num(reason(red, "report_overdue", "刑庭"), "working_days"), 1);
    EXPECT_EQ(num(reason(red, "report_overdue", "民庭"), "working_days"), 1);
    const Doc status = parse_json(host_.call(
        "ledger.status", Req().s("user", "u-sigaiban-head").s("period", "2019-10").str()));
    EXPECT_EQ(str(at(named(arr(status, "tasks"), "number", "33"), "warning"), "colour"), "red");
    const Val& xingting = named(arr(status, "departments"), "name", "刑庭");
    EXPECT_EQ(str(at(xingting, "warning"), "colour"), "red");
    EXPECT_EQ(str(at(xingting, "warning"), "label"), "红灯");
}

TEST_F(Assessment, ATaskDeadlineTurnsYellowWithinItsWorkingDaysAndRedOncePassed) {
    db_ = dir_.file("ledger.db");
    const std::string plans = std::string(RL_FIXTURES) + "/plans/";
    // Working days after Tuesday 2020-06-23 up to the deadline 2020-06-30, by
    // the court calendar (the 端午节 holidays and their make-up Sunday).
    int left_from_23 = 0;
    {
        TempDir probe_dir;
        PluginHost probe;
        probe.set_clock(court_ms(2020, 6, 22));
        probe.load(RL_PLUGIN_PATH);
        probe.create(rl::test::plugin_config(probe_dir.file("probe.db")));
        left_from_23 =
            num(parse_json(probe.call("calendar.workdays",
                                      Req().s("from", "2020-06-24").s("to", "2020-06-30").str())),
                "count");
        probe.shutdown();
    }
    ASSERT_GT(left_from_23, 1);
    host_.set_clock(court_ms(2020, 6, 22));
    host_.load(RL_PLUGIN_PATH);
    host_.create(config_with(
        db_, R"("warnings":{"yellow_within_working_days":)" + std::to_string(left_from_23) + "}"));
    host_.call("plan.import", Req()
                                  .s("path", plans + "division-table.xlsx")
                                  .s("actor", kImporter)
                                  .raw("accept_unknown_departments", "true")
                                  .str());
    const auto deadline_reasons = [&](const char* rule) {
        const Doc d = parse_json(host_.call("ledger.tasks", "{}"));
        EXPECT_TRUE(reasons(at(arr(d, "tasks")[2], "warning"), "deadline_near", "").empty() &&
                    reasons(at(arr(d, "tasks")[2], "warning"), "deadline_passed", "").empty())
            << "长期坚持 has no deadline to warn about";
        return reasons(at(arr(d, "tasks")[0], "warning"), rule, "");
    };
    // Monday 06-22: one working day more than the threshold.
    EXPECT_TRUE(deadline_reasons("deadline_near").empty());
    host_.set_clock(court_ms(2020, 6, 23));
    auto near = deadline_reasons("deadline_near");
    ASSERT_EQ(near.size(), 1u);
    EXPECT_TRUE(contains(near[0], "\"working_days\":" + std::to_string(left_from_23))) << near[0];
    EXPECT_TRUE(contains(near[0], "\"due_date\":\"2020-06-30\"")) << near[0];
    EXPECT_TRUE(contains(near[0], "\"colour\":\"yellow\"")) << near[0];
    // The deadline day itself: still yellow, no working day left.
    host_.set_clock(court_ms(2020, 6, 30));
    near = deadline_reasons("deadline_near");
    ASSERT_EQ(near.size(), 1u);
    EXPECT_TRUE(contains(near[0], "\"working_days\":0")) << near[0];
    // Wednesday 07-01: passed, one working day late, red.
    host_.set_clock(court_ms(2020, 7, 1));
    const auto passed = deadline_reasons("deadline_passed");
    ASSERT_EQ(passed.size(), 1u);
    EXPECT_TRUE(contains(passed[0], "\"working_days\":1")) << passed[0];
    EXPECT_TRUE(contains(passed[0], "\"colour\":\"red\"")) << passed[0];
    const Doc d = parse_json(host_.call("ledger.tasks", "{}"));
    EXPECT_EQ(str(at(arr(d, "tasks")[0], "warning"), "colour"), "red");
    // The lead (干部科) answers for the deadline; the co-operating 审管办 does not.
    ASSERT_EQ(dump(at(arr(d, "tasks")[0], "lead")), R"(["干部科"])");
    ASSERT_EQ(dump(at(arr(d, "tasks")[0], "co")), R"(["审管办"])");
    const Val& departments = arr(d, "department_warnings");
    EXPECT_EQ(
        reasons(at(named(departments, "name", "干部科"), "warning"), "deadline_passed", "").size(),
        1u);
    EXPECT_TRUE(
        reasons(at(named(departments, "name", "审管办"), "warning"), "deadline_passed", "").empty())
        << dump(named(departments, "name", "审管办"));
}

TEST_F(Assessment, ScoresRankDepartmentsOnTheirReportsUrgesNoticesAndReturns) {
    open(R"("scores":{"weights":{"on_time_rate":50,"overdue_working_day":0.5,"urge":3,)"
         R"("supervision_notice":7,"return":4}})");
    // Monday 11-04: 刑庭 submits on time, is returned once, resubmits.
    draft_and_submit("刑庭");
    act("刑庭", "return", "u-xingting-head", "reason", q("请补充佐证材料"));
    act("刑庭", "submit", "u-xingting-contact");
    // Monday 11-11 (due 11-07): 民庭 submits two working days late (11-08, 11-11);
    // 立案庭 is urged, 技术科 gets a supervision notice.
    host_.set_clock(court_ms(2019, 11, 11));
    draft_and_submit("民庭");
    Doc urged = parse_json(host_.call("urge", Req()
                                                  .s("task", "33")
                                                  .s("department", "立案庭")
                                                  .s("period", "2019-10")
                                                  .s("actor", "u-sigaiban-head")
                                                  .str()));
    ASSERT_EQ(str(urged, "outcome"), "ok") << dump(urged);
    Doc notice = parse_json(host_.call("supervision.issue", Req()
                                                                .s("task", "33")
                                                                .s("department", "技术科")
                                                                .s("actor", "u-sigaiban-head")
                                                                .s("content", "请按期报送。")
                                                                .str()));
    ASSERT_EQ(str(notice, "outcome"), "ok") << dump(notice);

    // Tuesday 11-12: three working days past due (11-08, 11-11, 11-12).
    host_.set_clock(court_ms(2019, 11, 12));
    const int audit_before = count("audit_log");
    const Doc s = parse_json(host_.call("scores.period", Req().s("period", "2019-10").str()));
    EXPECT_EQ(count("audit_log"), audit_before) << "a read wrote";
    EXPECT_EQ(str(s, "period"), "2019-10");
    EXPECT_EQ(dump(at(s, "months_scored")), R"(["2019-10"])");
    EXPECT_TRUE(at(s, "closure_recorded").GetBool());
    const Val& table = arr(s, "departments");

    const Val& xingting = named(table, "department", "刑庭");
    const int nx = obligations_of("刑庭");
    ASSERT_GT(nx, 1);
    EXPECT_EQ(num(xingting, "reports_due"), nx);
    EXPECT_EQ(num(xingting, "reports_on_time"), 1);
    EXPECT_EQ(num(xingting, "overdue_working_days"), 3 * (nx - 1));
    EXPECT_EQ(num(xingting, "returns"), 1);
    EXPECT_EQ(num(xingting, "urges"), 0);
    EXPECT_EQ(num(xingting, "tasks_closed_on_time"), 0);  // nothing closed yet
    EXPECT_DOUBLE_EQ(at(at(xingting, "points"), "returns").GetDouble(), -4);
    EXPECT_DOUBLE_EQ(at(xingting, "on_time_rate").GetDouble(), 1.0 / nx);

    const Val& minting = named(table, "department", "民庭");
    const int nm = obligations_of("民庭");
    EXPECT_EQ(num(minting, "reports_on_time"), 0);
    EXPECT_EQ(num(minting, "overdue_working_days"), 2 + 3 * (nm - 1));
    EXPECT_DOUBLE_EQ(at(at(minting, "points"), "on_time_rate").GetDouble(), -50);

    const Val& lianting = named(table, "department", "立案庭");
    EXPECT_EQ(num(lianting, "urges"), 1);
    EXPECT_DOUBLE_EQ(at(at(lianting, "points"), "urges").GetDouble(), -3);
    const Val& jishuke = named(table, "department", "技术科");
    EXPECT_EQ(num(jishuke, "supervision_notices"), 1);
    EXPECT_DOUBLE_EQ(at(at(jishuke, "points"), "supervision_notices").GetDouble(), -7);

    // Ranked highest first; equal scores share the rank and name each other.
    double previous = 1e9;
    int previous_rank = 0;
    for (rapidjson::SizeType i = 0; i < table.Size(); ++i) {
        const Val& row = table[i];
        const double score = at(row, "score").GetDouble();
        EXPECT_LE(score, previous);
        const double sum = 100 + at(at(row, "points"), "on_time_rate").GetDouble() +
                           at(at(row, "points"), "overdue_working_days").GetDouble() +
                           at(at(row, "points"), "urges").GetDouble() +
                           at(at(row, "points"), "supervision_notices").GetDouble() +
                           at(at(row, "points"), "returns").GetDouble();
        EXPECT_NEAR(score, sum, 0.011) << dump(row);
        if (score == previous) {
            EXPECT_EQ(num(row, "rank"), previous_rank) << dump(row);
            EXPECT_FALSE(arr(row, "tied_with").Empty());
            EXPECT_TRUE(contains(str(row, "tie"), "并列")) << dump(row);
        } else {
            EXPECT_EQ(num(row, "rank"), static_cast<int>(i) + 1);
        }
        previous = score;
        previous_rank = num(row, "rank");
    }
    // 刑庭 reported on time once and was returned once: ahead of 民庭, who never was on time.
    EXPECT_GT(at(xingting, "score").GetDouble(), at(minting, "score").GetDouble());

    // The year: only 2019-10 was asked for; its figures are the month's.
    const Doc y = parse_json(host_.call("scores.year", Req().i("year", 2019).str()));
    EXPECT_EQ(num(y, "year"), 2019);
    EXPECT_EQ(dump(at(y, "months_scored")), R"(["2019-10"])");
    EXPECT_EQ(arr(y, "months_not_scored").Size(), 11u);
    EXPECT_EQ(dump(named(arr(y, "departments"), "department", "刑庭")), dump(xingting));
}

TEST_F(Assessment, ScoreRequestsNamingNoMonthOrYearOfThePlanAreRefusedAndNameTheMember) {
    open("\"scores\":{}");
    const auto refused = [&](const std::string& method, const std::string& request,
                             const std::string& expected) {
        std::string message;
        EXPECT_EQ(status_of([&] { host_.call(method, request); }, &message),
                  RL_ERR_INVALID_ARGUMENT)
            << request;
        EXPECT_TRUE(contains(message, expected)) << message;
    };
    refused("scores.period", Req().s("period", "2019-Q4").str(), "is not a month");
    refused("scores.period", Req().s("period", "2019-13").str(), "period");
    refused("scores.period", "{}", "period");
    refused("scores.period", Req().s("period", "2031-01").str(), "outside the years");
    refused("scores.year", "{}", "year");
    refused("scores.year", Req().s("year", "2019").str(), "year");
    refused("scores.year", Req().i("year", 2040).str(), "outside the years");
    refused("scores.year", Req().i("year", 2019).s("month", "5").str(), "month");
}

TEST(AssessmentConfig, BadThresholdsAndWeightsAreConfigErrorsNamingTheirPath) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"("warnings":{"yellow_within_working_days":-1})", "warnings.yellow_within_working_days"},
        {R"("warnings":{"report_yellow_within_working_days":"3"})",
         "warnings.report_yellow_within_working_days"},
        {R"("warnings":{"yellow_days":3})", "yellow_days"},
        {R"("scores":{"weights":{"urge":"two"}})", "scores.weights.urge"},
        {R"("scores":{"weights":{"return":-2}})", "scores.weights.return"},
        {R"("scores":{"weights":{"lateness":1}})", "lateness"},
        {R"("scores":{"weight":{}})", "weight"},
    };
    for (const auto& [members, path] : cases) {
        TempDir dir;
        PluginHost host;
        host.load(RL_PLUGIN_PATH);
        std::string message;
        EXPECT_EQ(
            status_of([&] { host.create(config_with(dir.file("ledger.db"), members)); }, &message),
            RL_ERR_CONFIG)
            << members;
        EXPECT_TRUE(contains(message, path)) << members << ": " << message;
    }
}

}  // namespace
