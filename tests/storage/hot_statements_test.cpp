// The reads every write makes before it writes — the plan it names
// (PlanStore::plan), whether its month is opened (ReportStore::has_obligations)
// — and the sending of a filed report for reading (ReadingStore::send): inside
// a write transaction their statements stay prepared on the SQLite writer
// connection (storage/statement_cache.h) and give the same answers as before;
// outside a write nothing is kept on the writer. A real SQLite file, the seed
// plan and the demo org chart.
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "calendar_data.h"
#include "config.h"
#include "core/assignment_resolver.h"
#include "core/plan_parser.h"
#include "storage/database.h"
#include "storage/plan_store.h"
#include "storage/reading_store.h"
#include "storage/report_store.h"
#include "support/test_support.h"

using rl::storage::Database;
using rl::storage::PlanSource;
using rl::storage::PlanStore;
using rl::storage::ReadingItem;
using rl::storage::ReadingStore;
using rl::storage::ReportStore;
using rl::test::TempDir;

namespace {

constexpr std::int64_t kT0 = 1569888000000;  // 2019-10-01T00:00:00Z

// Statements open on the session's connection whose SQL contains part.
int open_statements(Poco::Data::Session& s, const std::string& part) {
    sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(s);
    int n = 0;
    for (sqlite3_stmt* st = sqlite3_next_stmt(db, nullptr); st != nullptr;
         st = sqlite3_next_stmt(db, st)) {
        n += std::string(sqlite3_sql(st)).find(part) != std::string::npos ? 1 : 0;
    }
    return n;
}

constexpr const char* kPlanRead = "FROM plans WHERE importing_until IS NULL";
constexpr const char* kOpenedCheck = "SELECT COUNT(*) FROM (SELECT 1 FROM obligations o";
constexpr const char* kReadingInsert = "INSERT INTO reading_items";

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos) {
        throw std::runtime_error("the seed plan no longer contains '" + from + "'");
    }
    return text.replace(at, from.size(), to);
}

class HotStatementsTest : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = dir_.file("ledger.db");
        config_ = rl::parse_config(rl::test::plugin_config(path_));
        db_ = std::make_unique<Database>(path_, rl::storage::sqlite_migrations());
        plans_ = std::make_unique<PlanStore>(*db_);
        reports_ = std::make_unique<ReportStore>(*db_);
        reading_ = std::make_unique<ReadingStore>(*db_);
    }

    void import(const std::string& text, std::int64_t now_ms) {
        const auto plan = rl::core::parse_plan(text, config_.parse);
        const auto resolution = rl::core::resolve_assignments(plan, config_.org_chart);
        plans_->import(plan, resolution,
                       PlanSource{"yanji", "yanji-2019-plan.txt", "UTF-8", "", ""},
                       {"u-sigaiban-contact", "reform_office"}, now_ms);
    }

    // How many statements containing part the writer connection holds, seen
    // from inside a write transaction.
    int kept_on_writer(const std::string& part) {
        int n = -1;
        db_->transaction(true, [&] {
            db_->write([&](Poco::Data::Session& s) { n = open_statements(s, part); });
        });
        return n;
    }

    TempDir dir_;
    std::string path_;
    rl::Config config_;
    std::unique_ptr<Database> db_;
    std::unique_ptr<PlanStore> plans_;
    std::unique_ptr<ReportStore> reports_;
    std::unique_ptr<ReadingStore> reading_;
};

}  // namespace

TEST_F(HotStatementsTest, APlanNamedInWritesIsReadWithStatementsKeptPreparedOnTheWriter) {
    import(rl::test::seed_plan_text(), kT0);
    for (int i = 0; i < 3; ++i) {
        db_->transaction(true, [&] {
            EXPECT_EQ(plans_->plan("").key, "yanji");
            EXPECT_EQ(plans_->plan("yanji").first_year, 2019);
        });
    }
    // One statement for the latest plan, one for a plan by its key.
    EXPECT_EQ(kept_on_writer(kPlanRead), 2);
    EXPECT_THROW(db_->transaction(true, [&] { plans_->plan("no-such-plan"); }),
                 rl::storage::NotFound);
    EXPECT_EQ(plans_->plan("yanji").key, "yanji") << "a read after a refused write";
}

TEST_F(HotStatementsTest, APlanReadOutsideAWriteKeepsNothingOnTheWriter) {
    import(rl::test::seed_plan_text(), kT0);
    EXPECT_EQ(plans_->plan("yanji").key, "yanji");
    EXPECT_EQ(plans_->plan("").key, "yanji");
    EXPECT_EQ(kept_on_writer(kPlanRead), 0);
}

TEST_F(HotStatementsTest, AWriteAfterAReimportSeesThePlansNewTitleAndYears) {
    const std::string seed = rl::test::seed_plan_text();
    import(seed, kT0);
    db_->transaction(true, [&] {
        const auto plan = plans_->plan("yanji");
        EXPECT_EQ(plan.first_year, 2019);
        EXPECT_EQ(plan.last_year, 2019);
    });
    import(replace_once(seed, "延吉市法院司法改革工作要点及分工方案",
                        "延吉市法院2020—2021年司法改革工作要点及分工方案"),
           kT0 + 1000);
    db_->transaction(true, [&] {
        const auto plan = plans_->plan("yanji");
        EXPECT_EQ(plan.title, "延吉市法院2020—2021年司法改革工作要点及分工方案");
        EXPECT_EQ(plan.first_year, 2020);
        EXPECT_EQ(plan.last_year, 2021);
    });
}

TEST_F(HotStatementsTest, TheOpenedMonthCheckInWritesKeepsItsStatementAndSeesTheWritesOwnRows) {
    import(rl::test::seed_plan_text(), kT0);
    const auto plan = plans_->plan("yanji");
    const auto calendar = rl::builtin_calendar();
    db_->transaction(true, [&] {
        EXPECT_FALSE(reports_->has_obligations(plan, "2019-10"));
        EXPECT_GT(reports_->ensure_obligations(plan, 2019, 10, config_.reporting, calendar), 0);
        EXPECT_TRUE(reports_->has_obligations(plan, "2019-10"));
        EXPECT_FALSE(reports_->has_obligations(plan, "2019-11"));
    });
    EXPECT_EQ(kept_on_writer(kOpenedCheck), 1);
    EXPECT_TRUE(reports_->has_obligations(plan, "2019-10")) << "a read sees what was committed";
}

TEST_F(HotStatementsTest, TheOpenedMonthCheckInAReadKeepsNothingOnTheWriter) {
    import(rl::test::seed_plan_text(), kT0);
    const auto plan = plans_->plan("yanji");
    EXPECT_FALSE(reports_->has_obligations(plan, "2019-10"));
    EXPECT_EQ(kept_on_writer(kOpenedCheck), 0);
}

TEST_F(HotStatementsTest, SendingForReadingKeepsItsStatementAndSendsEachReaderOnce) {
    import(rl::test::seed_plan_text(), kT0);
    ReadingItem item;
    item.plan_id = plans_->plan("yanji").id;
    item.kind = "report";
    item.subject = "report:1@v5";
    item.task_number = "1";
    item.department = "审管办";
    item.period = "2019-10";
    item.title = "审管办 任务1 2019-10工作进展报告（已归档）";
    item.sent_by = "u-sigaiban-head";
    item.sent_at = "2019-11-04T02:00:00.000Z";
    int sent = -1;
    db_->transaction(true, [&] { sent = reading_->send(item, {"u-vp-trial", "u-xingting-head"}); });
    EXPECT_EQ(sent, 2);
    db_->transaction(true, [&] {
        sent = reading_->send(item, {"u-vp-trial", "u-minting-contact"});
    });
    EXPECT_EQ(sent, 1) << "u-vp-trial has this report already";
    EXPECT_EQ(kept_on_writer(kReadingInsert), 1);
    EXPECT_EQ(
        rl::test::sql_rows(path_, "SELECT reader, sent_by, title FROM reading_items ORDER BY id"),
        (rl::test::SqlRows{{"u-vp-trial", "u-sigaiban-head", item.title},
                           {"u-xingting-head", "u-sigaiban-head", item.title},
                           {"u-minting-contact", "u-sigaiban-head", item.title}}));
}
