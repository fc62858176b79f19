// The three colours in `oa-stub ledger` and `oa-stub status`, and `oa-stub
// scores`, as a user runs them: the real executable, the real plugin, a
// database in a temporary folder, court time set with --now.
#include <gtest/gtest.h>

// First: it makes rapidjson throw, and must precede any other rapidjson include.
#include "cli/oa_stub_helpers.h"

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "support/test_support.h"

namespace {

using rl::test::CommandResult;
using rl::test::oa_stub::describe;
using rl::test::oa_stub::OaStubFixture;
using rl::test::oa_stub::to_json;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

rapidjson::Document json_of(const CommandResult& r) {
    rapidjson::Document doc;
    doc.Parse(r.out.data(), r.out.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        throw std::runtime_error("stdout is not a JSON object:\n" + describe(r));
    }
    return doc;
}

const rapidjson::Value& find_by(const rapidjson::Value& list, const char* key,
                                const std::string& value) {
    for (const auto& v : list.GetArray()) {
        if (v[key].GetString() == value) {
            return v;
        }
    }
    throw std::runtime_error("no " + value + " in " + to_json(list).substr(0, 300));
}

class AssessmentCli : public OaStubFixture {
protected:
    // The seed imported on Monday 2019-11-04, and 刑庭's 2019-10 report on
    // task 33 drafted and submitted that day (due Thursday 11-07).
    void SetUp() override {
        CommandResult r = run({"plan", "import", "--user", "u-sigaiban-contact", "--now",
                               "2019-11-04", RL_SEED_PLAN});
        ASSERT_EQ(r.status, 0) << describe(r);
        for (const char* action : {"draft", "submit"}) {
            r = run({"report", action, "--task", "33", "--department", "刑庭", "--period",
                     "2019-10", "--user", "u-xingting-contact", "--now", "2019-11-04", "--summary",
                     "刑事审判流程标准初稿。", "--percent", "50"});
            ASSERT_EQ(r.status, 0) << describe(r);
        }
    }
};

TEST_F(AssessmentCli, LedgerAndStatusShowTheColoursAndWhyOnceReportsAreOverdue) {
    CommandResult r = run({"ledger", "--period", "2019-10", "--now", "2019-11-08"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "预警 warning")) << r.out;
    EXPECT_TRUE(contains(r.out, "task 33 红灯:")) << r.out;
    EXPECT_TRUE(contains(r.out, "民庭（配合）2019-10报告应于2019-11-07报送，已逾期1个工作日"))
        << r.out;
    EXPECT_TRUE(contains(r.out, "department 刑庭 红灯:")) << r.out;

    r = run({"ledger", "--period", "2019-10", "--now", "2019-11-08", "--json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    const auto doc = json_of(r);
    const auto& t33 = find_by(doc["tasks"], "number", "33");
    EXPECT_STREQ(t33["warning"]["colour"].GetString(), "red");
    for (const auto& reason : t33["warning"]["reasons"].GetArray()) {
        EXPECT_STRNE(reason["department"].GetString(), "刑庭")
            << "刑庭 submitted on time: " << to_json(reason);
    }

    // On Monday 11-04 nothing is late and 11-07 is three working days away.
    r = run({"status", "--user", "u-sigaiban-head", "--period", "2019-10", "--now", "2019-11-04"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "预警")) << r.out;
    EXPECT_TRUE(contains(r.out, "黄灯")) << r.out;
    EXPECT_FALSE(contains(r.out, "红灯")) << r.out;
    r = run({"status", "--user", "u-sigaiban-head", "--period", "2019-10", "--now", "2019-11-08"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "department 民庭 红灯:")) << r.out;
}

TEST_F(AssessmentCli, ScoresForAMonthAndAYearPrintARankedTable) {
    CommandResult r = run({"scores", "--period", "2019-10", "--now", "2019-11-08"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "考评 Department scores, 2019-10")) << r.out;
    EXPECT_TRUE(contains(r.out, "得分 score")) << r.out;
    EXPECT_TRUE(contains(r.out, "Note: equal scores share a rank")) << r.out;
    EXPECT_TRUE(contains(r.out, "Weights: on_time_rate=40")) << r.out;

    r = run({"scores", "--period", "2019-10", "--now", "2019-11-08", "--json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    auto doc = json_of(r);
    const auto& xingting = find_by(doc["departments"], "department", "刑庭");
    EXPECT_EQ(xingting["reports_on_time"].GetInt(), 1);
    EXPECT_GT(xingting["reports_due"].GetInt(), 1);
    EXPECT_EQ(xingting["tasks_closed_on_time"].GetInt(), 0);
    EXPECT_EQ(doc["departments"][0]["rank"].GetInt(), 1);

    r = run({"scores", "--year", "2019", "--now", "2019-11-08", "--json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    doc = json_of(r);
    EXPECT_EQ(doc["year"].GetInt(), 2019);
    EXPECT_EQ(to_json(doc["months_scored"]), R"(["2019-10"])");
}

TEST_F(AssessmentCli, ScoresWithoutOrWithBothPeriodAndYearOrABadOneFail) {
    CommandResult r = run({"scores", "--now", "2019-11-08"});
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, "missing --period or --year")) << r.err;
    r = run({"scores", "--period", "2019-10", "--year", "2019"});
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, "not both")) << r.err;
    r = run({"scores", "--year", "last"});
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, "--year")) << r.err;
    r = run({"scores", "--period", "2019-Q4"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(contains(r.err, "is not a month")) << r.err;
}

}  // namespace
