// The open obligations up to a month (ReportStore::open_obligations and
// open_reports, behind every warning of ledger.tasks, ledger.status and a
// report's page): what they return beside filed history and a waiver, and
// that SQLite finds them by the index of open obligations (migration 0013)
// rather than reading every filed month of the year. A real SQLite file, the
// seed plan and the demo org chart.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "calendar_data.h"
#include "config.h"
#include "core/assignment_resolver.h"
#include "core/plan_parser.h"
#include "storage/database.h"
#include "storage/plan_store.h"
#include "storage/report_store.h"
#include "support/test_support.h"

using rl::storage::Database;
using rl::storage::PlanSource;
using rl::storage::PlanStore;
using rl::storage::ReportStore;
using rl::test::TempDir;

namespace {

constexpr std::int64_t kT0 = 1569888000000;  // 2019-10-01T00:00:00Z

class OpenObligationsTest : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = dir_.file("ledger.db");
        config_ = rl::parse_config(rl::test::plugin_config(path_));
        db_ = std::make_unique<Database>(path_, rl::storage::sqlite_migrations());
        plans_ = std::make_unique<PlanStore>(*db_);
        reports_ = std::make_unique<ReportStore>(*db_);
        const auto plan = rl::core::parse_plan(rl::test::seed_plan_text(), config_.parse);
        plans_->import(plan, rl::core::resolve_assignments(plan, config_.org_chart),
                       PlanSource{"yanji", "yanji-2019-plan.txt", "UTF-8", "", ""},
                       {"u-sigaiban-contact", "reform_office"}, kT0);
        plan_ = plans_->plan("yanji");
        const auto calendar = rl::builtin_calendar();
        for (int month = 8; month <= 10; ++month) {
            db_->transaction(true, [&] {
                reports_->ensure_obligations(plan_, 2019, month, config_.reporting, calendar);
            });
        }
    }

    // Files every obligation of the period as a filing does: the report
    // filed and closed_at set, in one transaction.
    void file_all(const std::string& period) {
        rl::test::sql_exec(
            path_,
            "BEGIN; INSERT INTO reports (obligation_id, state, step, version, content,"
            " created_at, updated_at, step_since) SELECT id, 'filed', 'reform_office', 4, '{}',"
            " '2019-09-03T02:00:00.000Z', '2019-09-03T02:00:00.000Z', '2019-09-03T02:00:00.000Z'"
            " FROM obligations WHERE period = '" +
                period +
                "';"
                " UPDATE obligations SET closed_at = '2019-09-03T02:00:00.000Z' WHERE period = '" +
                period + "'; COMMIT;");
    }

    int count(const std::string& where) {
        return std::stoi(
            rl::test::sql_rows(path_, "SELECT COUNT(*) FROM obligations WHERE " + where)[0][0]);
    }

    // SQLite's plan for a statement, one line per step.
    std::string plan_of(const std::string& sql) {
        std::string out;
        for (const auto& row : rl::test::sql_rows(path_, "EXPLAIN QUERY PLAN " + sql)) {
            out += row.back() + "\n";
        }
        return out;
    }

    TempDir dir_;
    std::string path_;
    rl::Config config_;
    std::unique_ptr<Database> db_;
    std::unique_ptr<PlanStore> plans_;
    std::unique_ptr<ReportStore> reports_;
    rl::core::PlanInfo plan_;
};

}  // namespace

TEST_F(OpenObligationsTest, FiledMonthsAndAWaivedObligationAreNotOpenTheRestOfTheMonthsAre) {
    file_all("2019-08");
    file_all("2019-09");
    const auto first = reports_->obligations(plan_, "2019-10").front();
    reports_->waive(plan_, {first.task_number, first.item_number, first.department, "2019-10"},
                    "u-sigaiban-head", "本月无此项工作", kT0);
    const int open = count("closed_at IS NULL");
    ASSERT_EQ(open, count("period = '2019-10'") - 1);

    const auto reports = reports_->open_reports(plan_, "2019-10");
    const auto views = reports_->open_obligations(plan_, "2019-10");
    EXPECT_EQ(static_cast<int>(reports.size()), open);
    EXPECT_EQ(static_cast<int>(views.size()), open);
    std::set<std::string> periods;
    for (const auto& r : reports) {
        periods.insert(r.period);
        EXPECT_FALSE(r.task_number == first.task_number && r.department == first.department &&
                     r.period == "2019-10")
            << "the waived obligation is not open";
    }
    EXPECT_EQ(periods, (std::set<std::string>{"2019-10"}));
    // Up to September nothing is open: both months are filed.
    EXPECT_TRUE(reports_->open_reports(plan_, "2019-09").empty());
    EXPECT_TRUE(reports_->open_obligations(plan_, "2019-09").empty());
}

TEST_F(OpenObligationsTest, AMonthNotYetFiledIsOpenUpToTheMonthsAfterIt) {
    file_all("2019-08");
    const auto reports = reports_->open_reports(plan_, "2019-10");
    std::set<std::string> periods;
    for (const auto& r : reports) {
        periods.insert(r.period);
    }
    EXPECT_EQ(periods, (std::set<std::string>{"2019-09", "2019-10"}));
    EXPECT_EQ(static_cast<int>(reports.size()), count("closed_at IS NULL"));
}

TEST_F(OpenObligationsTest, BothStatementsFindObligationsByTheIndexOfOpenOnes) {
    for (const std::string& sql :
         {ReportStore::open_reports_sql(), ReportStore::open_obligations_sql()}) {
        const std::string plan = plan_of(sql);
        EXPECT_NE(plan.find("USING INDEX obligations_open_by_assignment"), std::string::npos)
            << "the filed history is read too:\n"
            << plan;
    }
}
