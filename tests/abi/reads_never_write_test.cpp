// Reads never write (issue 11): the ledger's reads run as read transactions
// and store nothing, not even the obligations of a month nobody has opened
// yet. They show what opening the month stores, so the same reads give the
// same answers before and after the month opens.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "abi_test_helpers.h"
#include "plugin_host.h"
#include "support/test_support.h"

using oa_stub::PluginHost;
using rl::test::TempDir;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)

class ReadsNeverWrite : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = dir_.file("ledger.db");
        // Monday 2019-11-04: the 2019-10 reports are due, nothing is late yet.
        open_plugin(host_, court_ms(2019, 11, 4), rl::test::plugin_config(db_));
    }

    int count(const std::string& table) {
        const auto rows = rl::test::sql_rows(db_, "SELECT COUNT(*) FROM " + table, true);
        return std::stoi(rows.at(0).at(0));
    }

    // Every read of the month, as the reform office, a department and its
    // head would make them.
    std::vector<std::string> read_everything() {
        const auto office = Req().s("user", "u-sigaiban-head").s("period", "2019-10");
        return {
            host_.call("obligations.list", office.str()),
            host_.call("obligations.list", Req()
                                               .s("user", "u-xingting-contact")
                                               .s("period", "2019-10")
                                               .s("department", "刑庭")
                                               .str()),
            host_.call("ledger.status", office.str()),
            host_.call("ledger.tasks", Req().s("period", "2019-10").str()),
            host_.call("inbox", Req().s("user", "u-xingting-contact").s("period", "2019-10").str()),
            host_.call("inbox", Req().s("user", "u-sigaiban-head").s("period", "2019-10").str()),
            host_.call("report.get", Req()
                                         .s("user", "u-xingting-contact")
                                         .s("task", "33")
                                         .s("department", "刑庭")
                                         .s("period", "2019-10")
                                         .str()),
            host_.call("report.get", Req()
                                         .s("user", "u-sigaiban-head")
                                         .s("task", "33")
                                         .s("department", "技术科")
                                         .s("period", "2019-10")
                                         .str()),
            host_.call("task.get", Req().s("user", "u-xingting-contact").s("task", "33").str()),
            host_.call("task.extension.list", Req().s("task", "33").str()),
        };
    }

    TempDir dir_;
    std::string db_;
    PluginHost host_;
};

TEST_F(ReadsNeverWrite, ReadsOfAMonthNobodyOpenedStoreNothingAndShowWhatOpeningItStores) {
    ASSERT_EQ(count("obligations"), 0) << "importing the plan opens no month of 2019 in 2019-11";
    const int audit_before = count("audit_log");

    const auto before = read_everything();
    EXPECT_EQ(count("obligations"), 0) << "a read opened the month";
    EXPECT_EQ(count("reports"), 0);
    EXPECT_EQ(count("audit_log"), audit_before);
    const Doc listed = parse_json(before[0]);
    ASSERT_EQ(str(listed, "outcome"), "ok") << before[0];
    EXPECT_EQ(arr(listed, "obligations").Size(), 148u) << "the seed's 148 assignments each owe";
    const Doc lead = parse_json(before[6]);
    ASSERT_EQ(str(lead, "outcome"), "ok") << before[6];
    EXPECT_EQ(arr(lead, "co_reports").Size(), 5u) << "task 33 has five co-operating departments";

    // The sweep opens the month it reminds about; the reads now read stored rows.
    host_.call("notify.sweep", "{}");
    EXPECT_EQ(count("obligations"), 148);
    const auto after = read_everything();
    ASSERT_EQ(before.size(), after.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
        EXPECT_EQ(before[i], after[i]) << "read " << i << " differs once the month is stored";
    }
}

TEST_F(ReadsNeverWrite, AReportOnAMonthNobodyOpenedOpensItWithItsFirstWrite) {
    act_as_xingting_contact(host_, "save_draft",
                            Req().s("progress_summary", "初稿").i("percent_complete", 10).str());
    EXPECT_EQ(count("obligations"), 148) << "the first write opened the whole month";
    EXPECT_EQ(count("reports"), 1);
    const Doc got = parse_json(host_.call("report.get", Req()
                                                            .s("user", "u-xingting-contact")
                                                            .s("task", "33")
                                                            .s("department", "刑庭")
                                                            .s("period", "2019-10")
                                                            .str()));
    EXPECT_EQ(num(at(at(got, "obligation"), "report"), "version"), 1);
}

// A refused action writes nothing, not even the month it opened to find its
// obligation: the answer goes out, the transaction rolls back.
TEST_F(ReadsNeverWrite, ARefusedActionOnAMonthNobodyOpenedLeavesItUnopened) {
    const int audit_before = count("audit_log");
    const Doc refused = parse_json(host_.call("report.act", Req()
                                                                .s("task", "33")
                                                                .s("department", "刑庭")
                                                                .s("period", "2019-10")
                                                                .s("action", "approve")
                                                                .s("actor", "u-xingting-head")
                                                                .str()));
    EXPECT_NE(str(refused, "outcome"), "ok") << dump(refused);
    EXPECT_EQ(str(at(refused, "obligation"), "task"), "33");
    const Doc too_early = parse_json(host_.call("report.waive", Req()
                                                                    .s("task", "33")
                                                                    .s("department", "刑庭")
                                                                    .s("period", "2019-10")
                                                                    .s("actor", "u-sigaiban-head")
                                                                    .s("reason", "牵头部门不能免报")
                                                                    .str()));
    EXPECT_NE(str(too_early, "outcome"), "ok") << dump(too_early);
    const Doc not_office = parse_json(host_.call("urge", Req()
                                                             .s("task", "33")
                                                             .s("department", "刑庭")
                                                             .s("period", "2019-10")
                                                             .s("actor", "u-xingting-head")
                                                             .str()));
    EXPECT_EQ(str(not_office, "outcome"), "not_permitted") << dump(not_office);
    EXPECT_EQ(count("obligations"), 0) << "a refused action opened the month";
    EXPECT_EQ(count("reports"), 0);
    EXPECT_EQ(count("urges"), 0);
    EXPECT_EQ(count("audit_log"), audit_before);
}

TEST_F(ReadsNeverWrite, AnObligationTheMonthDoesNotBringIsNotFoundWithoutOpeningIt) {
    try {
        host_.call("report.get", Req()
                                     .s("user", "u-sigaiban-head")
                                     .s("task", "33")
                                     .s("department", "干部科")
                                     .s("period", "2019-10")
                                     .str());
        FAIL() << "干部科 does not report on task 33";
    } catch (const oa_stub::PluginError& e) {
        EXPECT_EQ(e.status(), RL_ERR_NOT_FOUND) << e.what();
        EXPECT_NE(std::string(e.what()).find("no reporting obligation for task 33"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(count("obligations"), 0);
}

}  // namespace
