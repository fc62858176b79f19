// Reminder rules are configurable per plan: notifications.plan_rules gives a
// plan (by key) its own thresholds; other plans keep the registered ones.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "plugin_host.h"
#include "support/test_support.h"

namespace {

constexpr std::int64_t kNov1At9 =
    1572570000000;  // 2019-11-01T09:00+08:00 (due 11-07: 4 working days ahead)
const char* const kPlanKey = "延吉市法院司法改革工作要点及分工方案";

int reminders_due(const std::string& notifications_json) {
    rl::test::TempDir dir;
    const std::string config = "{\"database\":" + rl::test::database_json(dir.file("ledger.db")) +
                               ",\"org_chart\":" + rl::test::demo_org_chart_json() +
                               ",\"notifications\":" + notifications_json + "}";
    oa_stub::PluginHost host;
    host.load(RL_PLUGIN_PATH);
    host.set_clock(kNov1At9);
    host.create(config);
    host.call("plan.import",
              std::string("{\"path\":\"") + RL_SEED_PLAN + "\",\"actor\":\"u-sigaiban-contact\"}");
    rapidjson::Document r;
    const std::string result = host.call("notify.sweep");
    r.Parse(result.c_str());
    host.shutdown();
    return r["reminders_due"].GetInt();
}

TEST(NotifyPlanRules, ThePlansOwnBeforeDueThresholdDecidesWhenItsRemindersStart) {
    // Registered rule: 3 working days before the due date — not yet on 11-01.
    EXPECT_EQ(reminders_due("{}"), 0);
    // This plan reminds 5 working days ahead: every obligation is reminded.
    const int with_plan_rule = reminders_due(std::string("{\"plan_rules\":{\"") + kPlanKey +
                                             "\":{\"before_due_working_days\":5}}}");
    EXPECT_GT(with_plan_rule, 100);
    // A rule for another plan changes nothing for this one.
    EXPECT_EQ(reminders_due("{\"plan_rules\":{\"另一方案\":{\"before_due_working_days\":5}}}"), 0);
}

}  // namespace
