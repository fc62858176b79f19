// rl::storage::PlanStore with the seed plan and the demo org chart: import,
// idempotent re-import, changes and retirement, the ledger read back, and an
// import that fails half-way leaving nothing behind.
#include <gtest/gtest.h>

#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "config.h"
#include "core/assignment_resolver.h"
#include "core/plan_parser.h"
#include "storage/database.h"
#include "storage/plan_store.h"
#include "support/test_support.h"

using rl::core::LedgerRow;
using rl::storage::Database;
using rl::storage::Importer;
using rl::storage::ImportOutcome;
using rl::storage::NotFound;
using rl::storage::PlanSource;
using rl::storage::PlanStore;
using rl::test::TempDir;

namespace {

using Strings = std::vector<std::string>;
using Rows = rl::test::SqlRows;

const char* const kTables[] = {"plans",       "sections",    "tasks",    "task_items",
                               "assignments", "departments", "audit_log"};
constexpr std::int64_t kT0 = 1569888000000;  // 2019-10-01T00:00:00Z

// Reads on a sqlite3 connection of its own, never through the store's Database.
Rows query(const std::string& path, const std::string& sql) {
    return rl::test::sql_rows(path, sql, /*read_only=*/true);
}

int count(const std::string& path, const std::string& table, const std::string& where = "") {
    return std::stoi(query(
        path, "SELECT COUNT(*) FROM " + table + (where.empty() ? "" : " WHERE " + where))[0][0]);
}

// Every row of every ledger table, by id: "unchanged" means equal dumps.
std::map<std::string, Rows> dump(const std::string& path) {
    std::map<std::string, Rows> out;
    for (const char* table : kTables) {
        out[table] = query(path, std::string("SELECT * FROM ") + table + " ORDER BY id");
    }
    return out;
}

std::map<std::string, int> row_counts(const std::string& path) {
    std::map<std::string, int> out;
    for (const char* table : kTables) {
        out[table] = count(path, table);
    }
    return out;
}

std::string sha256_hex(const std::string& text) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(text);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos) {
        throw std::runtime_error("the seed plan no longer contains '" + from + "'");
    }
    return text.replace(at, from.size(), to);
}

// The seed with task 45 (and its responsibility line) removed, task 1's text
// changed, and task 3 given another department.
std::string modified_seed() {
    std::string text = rl::test::seed_plan_text();
    text = replace_once(text, "45.深化执行信息公开。\n责任部门：执行局、技术科\n", "");
    text =
        replace_once(text, "统筹内设机构改革与审判团队建设", "统筹推进内设机构改革与审判团队建设");
    text = replace_once(text, "办案达不到要求的，要退出员额。\n责任部门：审管办\n",
                        "办案达不到要求的，要退出员额。\n责任部门：研究室\n");
    return text;
}

const LedgerRow* find_row(const std::vector<LedgerRow>& rows, const std::string& number) {
    for (const auto& row : rows) {
        if (row.number == number) {
            return &row;
        }
    }
    return nullptr;
}

// The statements prepared on the session's connection (open, not finalized)
// whose SQL contains part.
int prepared_on(Poco::Data::Session& s, const std::string& part) {
    sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(s);
    int n = 0;
    for (sqlite3_stmt* st = sqlite3_next_stmt(db, nullptr); st != nullptr;
         st = sqlite3_next_stmt(db, st)) {
        const char* sql = sqlite3_sql(st);
        n += sql != nullptr && std::string(sql).find(part) != std::string::npos ? 1 : 0;
    }
    return n;
}

class PlanStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = dir_.file("ledger.db");
        config_ = rl::parse_config(rl::test::plugin_config(path_));
        db_ = std::make_unique<Database>(path_, rl::storage::sqlite_migrations());
        store_ = std::make_unique<PlanStore>(*db_);
    }

    struct Parsed {
        rl::core::Plan plan;
        rl::core::Resolution resolution;
        PlanSource source;
    };

    Parsed parse(const std::string& text, const std::string& key = "") const {
        Parsed p;
        p.plan = rl::core::parse_plan(text, config_.parse);
        p.resolution = rl::core::resolve_assignments(p.plan, config_.org_chart);
        p.source =
            PlanSource{key, "yanji-2019-plan.txt", "UTF-8", sha256_hex(text), sha256_hex(text)};
        return p;
    }

    ImportOutcome import(const Parsed& p, std::int64_t now_ms = kT0,
                         const Importer& by = {"u-sigaiban-contact", "reform_office"}) {
        return store_->import(p.plan, p.resolution, p.source, by, now_ms);
    }

    ImportOutcome import_seed(std::int64_t now_ms = kT0) {
        return import(parse(rl::test::seed_plan_text()), now_ms);
    }

    TempDir dir_;
    std::string path_;
    rl::Config config_;
    std::unique_ptr<Database> db_;
    std::unique_ptr<PlanStore> store_;
};

}  // namespace

TEST_F(PlanStoreTest, SeedImportStoresSixSectionsFortyFiveTasksTwoItems148Assignments) {
    const auto parsed = parse(rl::test::seed_plan_text());
    ASSERT_TRUE(parsed.resolution.unknown.empty()) << parsed.resolution.unknown.front();
    const ImportOutcome outcome = import(parsed);
    EXPECT_TRUE(outcome.plan_created);
    EXPECT_TRUE(outcome.changed());
    EXPECT_EQ(outcome.plan_key, parsed.plan.title);
    EXPECT_GT(outcome.plan_id, 0);
    const auto summary = store_->summary(store_->plan(outcome.plan_key));
    EXPECT_EQ(summary.sections, 6);
    EXPECT_EQ(summary.tasks, 45);
    EXPECT_EQ(summary.items, 2);
    EXPECT_EQ(summary.assignments, 148);
    EXPECT_EQ(summary.lead_assignments + summary.co_assignments, summary.assignments);
    EXPECT_EQ(static_cast<int>(parsed.resolution.assignments.size()), 148);
    // The database agrees with the summary.
    EXPECT_EQ(count(path_, "plans"), 1);
    EXPECT_EQ(count(path_, "sections"), 6);
    EXPECT_EQ(count(path_, "tasks"), 45);
    EXPECT_EQ(count(path_, "task_items"), 2);
    EXPECT_EQ(count(path_, "assignments"), 148);
    // rows_added counts sections, tasks, items, departments and assignments.
    EXPECT_EQ(outcome.rows_added, 6 + 45 + 2 + 148 + count(path_, "departments"));
    EXPECT_EQ(outcome.rows_updated, 0);
    EXPECT_EQ(outcome.rows_retired, 0);
}

TEST_F(PlanStoreTest, SummaryDepartmentsAreOrderedByLeadThenCoThenName) {
    import_seed();
    const auto summary = store_->summary(store_->plan(""));
    ASSERT_FALSE(summary.departments.empty());
    int leads = 0;
    int cos = 0;
    for (std::size_t i = 0; i < summary.departments.size(); ++i) {
        const auto& d = summary.departments[i];
        EXPECT_TRUE(d.in_org_chart) << d.department;
        leads += d.lead;
        cos += d.co;
        if (i > 0) {
            const auto& p = summary.departments[i - 1];
            EXPECT_TRUE(std::make_tuple(-p.lead, -p.co, p.department) <
                        std::make_tuple(-d.lead, -d.co, d.department))
                << p.department << " before " << d.department;
        }
    }
    EXPECT_EQ(leads, summary.lead_assignments);
    EXPECT_EQ(cos, summary.co_assignments);
}

TEST_F(PlanStoreTest, ReimportingTheSamePlanChangesNothing) {
    const auto parsed = parse(rl::test::seed_plan_text());
    import(parsed, kT0);
    const auto counts = row_counts(path_);
    const auto before = dump(path_);
    const ImportOutcome again = import(parsed, kT0 + 3600000);
    EXPECT_FALSE(again.changed());
    EXPECT_FALSE(again.plan_created);
    EXPECT_EQ(again.rows_added, 0);
    EXPECT_EQ(again.rows_updated, 0);
    EXPECT_EQ(again.rows_retired, 0);
    EXPECT_EQ(row_counts(path_), counts);
    EXPECT_EQ(dump(path_), before) << "a no-op re-import rewrote rows (timestamps?)";
}

TEST_F(PlanStoreTest, ModifiedPlanCountsUpdatesAndRetiresTheDroppedTask) {
    const std::string plan_key = parse(rl::test::seed_plan_text()).plan.title;
    import_seed(kT0);
    const auto changed = parse(modified_seed());
    ASSERT_EQ(changed.plan.task_count(), 44u);
    const ImportOutcome outcome = import(changed, kT0 + 86400000);
    EXPECT_TRUE(outcome.changed());
    EXPECT_FALSE(outcome.plan_created);
    EXPECT_EQ(outcome.plan_key, plan_key);
    // task 45 and its two assignments; task 3's 审管办 assignment.
    EXPECT_EQ(outcome.rows_retired, 4);
    // the plan row (new content hash) and task 1's text.
    EXPECT_EQ(outcome.rows_updated, 2);
    // task 3's 研究室 assignment (研究室 is already a department).
    EXPECT_EQ(outcome.rows_added, 1);

    const auto plan = store_->plan(plan_key);
    const auto rows = store_->ledger(plan, std::nullopt);
    EXPECT_EQ(rows.size(), 44u);
    EXPECT_EQ(find_row(rows, "45"), nullptr) << "the retired task is still in the ledger";
    const LedgerRow* task3 = find_row(rows, "3");
    ASSERT_NE(task3, nullptr);
    EXPECT_EQ(task3->lead, Strings{"研究室"});
    EXPECT_TRUE(task3->co.empty());
    const auto summary = store_->summary(plan);
    EXPECT_EQ(summary.tasks, 44);
    EXPECT_EQ(summary.assignments, 148 - 2);
    // Rows are retired, never deleted.
    EXPECT_EQ(count(path_, "tasks"), 45);
    EXPECT_EQ(count(path_, "tasks", "number = '45' AND retired_at IS NOT NULL"), 1);
    EXPECT_EQ(count(path_, "tasks", "number = '1' AND body LIKE '%统筹推进内设机构改革%'"), 1);
    EXPECT_EQ(count(path_, "assignments", "retired_at IS NOT NULL"), 3);
    EXPECT_EQ(count(path_, "assignments"), 149);
    // The retired task no longer shows under its departments.
    const auto zhixingju = store_->ledger(plan, std::string("执行局"));
    EXPECT_EQ(find_row(zhixingju, "45"), nullptr);
}

TEST_F(PlanStoreTest, EachImportThatChangesSomethingIsOneAuditEntryWithItsActorAndTasks) {
    import_seed(kT0);
    const ImportOutcome outcome =
        import(parse(modified_seed()), kT0 + 86400000, {"service:oa-sync", "service"});
    EXPECT_EQ(outcome.tasks_added, Strings{});
    EXPECT_EQ(outcome.tasks_changed, (Strings{"1", "3"}));
    EXPECT_EQ(outcome.tasks_retired, Strings{"45"});
    const Rows rows = query(path_,
                            "SELECT action, actor, role, task_number, department, period, reason,"
                            " detail, plan_id, at FROM audit_log ORDER BY id");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0][0], "plan_import");
    EXPECT_EQ(rows[0][1], "u-sigaiban-contact");
    EXPECT_EQ(rows[0][2], "reform_office");
    EXPECT_NE(rows[0][7].find("\"added\":[\"1\",\"2\",\"3\","), std::string::npos) << rows[0][7];
    EXPECT_EQ(rows[1][0], "plan_reimport");
    EXPECT_EQ(rows[1][1], "service:oa-sync");
    EXPECT_EQ(rows[1][2], "service");
    EXPECT_EQ(rows[1][3] + rows[1][4] + rows[1][5], "") << "no task, department or period";
    EXPECT_EQ(rows[1][6],
              "tasks: 0 added, 2 changed, 1 retired (rows: 1 added, 2 updated, 4 retired)");
    EXPECT_NE(
        rows[1][7].find("\"tasks\":{\"added\":[],\"changed\":[\"1\",\"3\"],\"retired\":[\"45\"]}"),
        std::string::npos)
        << rows[1][7];
    EXPECT_EQ(rows[1][8], std::to_string(store_->plan("").id));
    EXPECT_EQ(rows[1][9], "2019-10-02T00:00:00.000Z");
    // Back to the original: task 45 returns (added), tasks 1 and 3 change back.
    const ImportOutcome back = import(parse(rl::test::seed_plan_text()), kT0 + 2 * 86400000);
    EXPECT_EQ(back.tasks_added, Strings{"45"});
    EXPECT_EQ(back.tasks_changed, (Strings{"1", "3"}));
    EXPECT_EQ(back.tasks_retired, Strings{});
    EXPECT_EQ(count(path_, "audit_log"), 3);
}

TEST_F(PlanStoreTest, TasksThatOnlyMovedUpAreNotReportedAsChanged) {
    import_seed(kT0);
    std::string text = rl::test::seed_plan_text();
    const auto from = text.find("10.严格落实违法审判责任追究制度");
    const auto to = text.find("11.完善司法廉政风险防控体系");
    ASSERT_NE(from, std::string::npos);
    ASSERT_NE(to, std::string::npos);
    text.erase(from, to - from);
    const ImportOutcome outcome = import(parse(text), kT0 + 1000);
    EXPECT_EQ(outcome.tasks_retired, Strings{"10"});
    EXPECT_EQ(outcome.tasks_changed, Strings{}) << "tasks 11-45 only moved up one place";
    EXPECT_EQ(outcome.tasks_added, Strings{});
    EXPECT_GE(outcome.rows_updated, 35) << "their ordinals were updated all the same";
}

TEST_F(PlanStoreTest, AnImportWithoutAnActorIsRefusedAndStoresNothing) {
    EXPECT_THROW(import(parse(rl::test::seed_plan_text()), kT0, {"", ""}), std::invalid_argument);
    for (const char* table : kTables) {
        EXPECT_EQ(count(path_, table), 0) << table;
    }
}

TEST_F(PlanStoreTest, ReimportingTheOriginalRevivesRetiredRows) {
    import_seed(kT0);
    import(parse(modified_seed()), kT0 + 1000);
    const ImportOutcome back = import(parse(rl::test::seed_plan_text()), kT0 + 2000);
    EXPECT_TRUE(back.changed());
    EXPECT_EQ(back.rows_added, 0) << "the original rows should be revived, not duplicated";
    const auto plan = store_->plan("");
    const auto rows = store_->ledger(plan, std::nullopt);
    EXPECT_EQ(rows.size(), 45u);
    EXPECT_NE(find_row(rows, "45"), nullptr);
    EXPECT_EQ(store_->summary(plan).assignments, 148);
    EXPECT_EQ(count(path_, "tasks", "retired_at IS NOT NULL"), 0);
    EXPECT_EQ(count(path_, "tasks"), 45);
}

TEST_F(PlanStoreTest, Task33LeadIsXingtingWithCoDepartmentsInDocumentOrder) {
    import_seed();
    const auto rows = store_->ledger(store_->plan(""), std::nullopt);
    ASSERT_EQ(rows.size(), 45u);
    const LedgerRow* task33 = find_row(rows, "33");
    ASSERT_NE(task33, nullptr);
    EXPECT_EQ(task33->section_number, "四");
    EXPECT_EQ(task33->lead, Strings{"刑庭"});
    EXPECT_EQ(task33->co,
              (Strings{"民庭", "行政庭（综合审判庭）", "执行指挥中心", "立案庭", "技术科"}));
    // Rows come in document order.
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].number, std::to_string(i + 1));
    }
}

TEST_F(PlanStoreTest, LedgerForADepartmentReturnsOnlyTasksNamingIt) {
    const auto parsed = parse(rl::test::seed_plan_text());
    import(parsed);
    std::set<std::string> expected;
    for (const auto& a : parsed.resolution.assignments) {
        if (a.department == "技术科") {
            expected.insert(a.task_number);
        }
    }
    ASSERT_GT(expected.size(), 5u);
    const auto rows = store_->ledger(store_->plan(""), std::string("技术科"));
    std::set<std::string> got;
    for (const auto& row : rows) {
        got.insert(row.number);
        const bool named = std::count(row.lead.begin(), row.lead.end(), "技术科") +
                               std::count(row.co.begin(), row.co.end(), "技术科") >
                           0;
        EXPECT_TRUE(named) << "task " << row.number << " does not name 技术科";
    }
    EXPECT_EQ(rows.size(), expected.size());
    EXPECT_EQ(got, expected);
    EXPECT_EQ(got.count("2"), 1u);
    EXPECT_EQ(got.count("1"), 0u);
    EXPECT_EQ(got.count("33"), 1u);
    EXPECT_EQ(got.count("45"), 1u);
}

TEST_F(PlanStoreTest, LedgerForAnUnnamedDepartmentIsEmpty) {
    import_seed();
    EXPECT_TRUE(store_->ledger(store_->plan(""), std::string("不存在的部门")).empty());
}

TEST_F(PlanStoreTest, Task14HasTwoItemsLedByGanbuke) {
    import_seed();
    const auto rows = store_->ledger(store_->plan(""), std::nullopt);
    const LedgerRow* task14 = find_row(rows, "14");
    ASSERT_NE(task14, nullptr);
    ASSERT_EQ(task14->items.size(), 2u);
    EXPECT_EQ(task14->items[0].number, "1");
    EXPECT_EQ(task14->items[1].number, "2");
    for (const auto& item : task14->items) {
        EXPECT_EQ(item.lead, Strings{"干部科"}) << "item " << item.number;
        EXPECT_TRUE(item.co.empty()) << "item " << item.number;
        EXPECT_FALSE(item.text.empty()) << "item " << item.number;
    }
    EXPECT_EQ(task14->lead, Strings{"干部科"});
    EXPECT_TRUE(task14->co.empty());
}

TEST_F(PlanStoreTest, EmptyKeyReturnsTheLatestPlan) {
    const auto parsed = parse(rl::test::seed_plan_text());
    auto first = parsed;
    first.source.plan_key = "plan-a";
    auto second = parsed;
    second.source.plan_key = "plan-b";
    import(first, kT0);
    import(second, kT0 + 1000);
    EXPECT_EQ(store_->plan("").key, "plan-b");
    EXPECT_EQ(store_->plan("plan-a").key, "plan-a");
    const auto plans = store_->plans();
    ASSERT_EQ(plans.size(), 2u);
    EXPECT_EQ(plans[0].key, "plan-a");
    EXPECT_EQ(plans[1].key, "plan-b");
    EXPECT_EQ(store_->plan("plan-b").imported_at, "2019-10-01T00:00:01.000Z");
}

TEST_F(PlanStoreTest, UnknownPlanKeyThrowsNotFound) {
    EXPECT_THROW(store_->plan(""), NotFound) << "an empty ledger has no latest plan";
    import_seed();
    try {
        store_->plan("nope");
        FAIL() << "plan(\"nope\") did not throw";
    } catch (const NotFound& e) {
        EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos) << e.what();
    }
}

TEST_F(PlanStoreTest, ImportFailingHalfWayOnAnEmptyDatabaseLeavesEveryTableEmpty) {
    auto parsed = parse(rl::test::seed_plan_text());
    // Runs after every plan, section, task and item row is written: a task the
    // plan does not have.
    rl::core::Assignment bogus = parsed.resolution.assignments.back();
    bogus.task_number = "999";
    bogus.department = "不存在的部门";
    parsed.resolution.assignments.push_back(bogus);
    EXPECT_ANY_THROW(import(parsed));
    for (const char* table : kTables) {
        EXPECT_EQ(count(path_, table), 0) << table;
    }
    EXPECT_THROW(store_->plan(""), NotFound);
}

TEST_F(PlanStoreTest, ImportFailingHalfWayOverAnExistingPlanLeavesEveryTableUnchanged) {
    import(parse(modified_seed()), kT0);
    const auto before = dump(path_);
    auto parsed = parse(rl::test::seed_plan_text());  // would update, add and revive rows
    rl::core::Assignment bogus = parsed.resolution.assignments.front();
    bogus.item_number = "9";  // task 1 has no item (9)
    bogus.department = "新部门";
    parsed.resolution.assignments.push_back(bogus);
    EXPECT_ANY_THROW(import(parsed, kT0 + 1000));
    EXPECT_EQ(dump(path_), before);
    // The store is still usable: the good import goes through afterwards.
    const ImportOutcome ok = import(parse(rl::test::seed_plan_text()), kT0 + 2000);
    EXPECT_TRUE(ok.changed());
    EXPECT_EQ(store_->summary(store_->plan("")).tasks, 45);
}

namespace {

// A plan as the Word and Excel readers produce them: a section numbered afresh
// (part 2), an unnumbered heading, subsections, labels, deadlines with and
// without a date, a task assigned to nobody yet.
rl::core::Plan shaped_plan() {
    using namespace rl::core;
    Plan plan;
    plan.title = "某法院2020年司法改革任务分工表";
    plan.format = "xlsx";
    plan.closing = "某某市人民法院\n2020年3月1日";
    Section first{"一", "深化综合配套改革", {}, 1};
    Task t1;
    t1.number = "1.1";
    t1.label = "1";
    t1.title = "推进繁简分流";
    t1.text = "推进繁简分流。";
    t1.where = "sheet '分工表' row 4";
    t1.group = Group{"一", "优化司法资源配置"};
    t1.deadline = Deadline{"2020年6月底前", "2020-06-30"};
    t1.progress = "6月底前出台实施细则";
    t1.departments = {{"立案庭", Role::lead, "立案庭"}, {"技术科", Role::co, "技术科、审管办"}};
    Task t2;
    t2.number = "1.2";
    t2.label = "2";
    t2.title = "完善审判监督管理";
    t2.text = "完善审判监督管理。";
    t2.where = "sheet '分工表' row 5";
    t2.deadline = Deadline{"长期坚持", ""};
    first.tasks = {t1, t2};
    Section again{"一", "附件：信息化建设", {}, 2};
    Task t3;
    t3.number = "2.1";
    t3.label = "1";
    t3.title = "建设智慧法院";
    t3.text = "建设智慧法院。";
    t3.where = "sheet '分工表' row 8";
    t3.departments = {{"技术科", Role::lead, "技术科"}};
    again.tasks = {t3};
    Section unnamed{"", "其他工作", {}, 2};
    Task t4 = t3;
    t4.number = "3.1";
    t4.title = "其他";
    t4.text = "其他。";
    unnamed.tasks = {t4};
    plan.sections = {first, again, unnamed};
    return plan;
}

}  // namespace

TEST_F(PlanStoreTest, DeadlinesGroupsLabelsPartsAndWhereAreStoredAndReadBack) {
    Parsed p;
    p.plan = shaped_plan();
    p.resolution = rl::core::resolve_assignments(p.plan, config_.org_chart);
    p.source = PlanSource{"shaped", "分工表.xlsx", "UTF-8", "h", "h"};
    const ImportOutcome outcome = import(p);
    EXPECT_TRUE(outcome.plan_created);
    EXPECT_EQ(outcome.tasks_added, (Strings{"1.1", "1.2", "2.1", "3.1"}));

    // Two sections numbered 一 (parts 1 and 2) and one without a number: all kept.
    EXPECT_EQ(query(path_, "SELECT number, part, title FROM sections ORDER BY ordinal"),
              (Rows{{"一", "1", "深化综合配套改革"},
                    {"2-一", "2", "附件：信息化建设"},
                    {"#3", "2", "其他工作"}}));
    EXPECT_EQ(query(path_, "SELECT source_format, closing FROM plans"),
              (Rows{{"xlsx", "某某市人民法院\n2020年3月1日"}}));
    EXPECT_EQ(query(path_,
                    "SELECT number, label, group_number, group_title, deadline_text, deadline_due,"
                    " progress, source_where FROM tasks WHERE number IN ('1.1', '1.2')"
                    " ORDER BY ordinal"),
              (Rows{{"1.1", "1", "一", "优化司法资源配置", "2020年6月底前", "2020-06-30",
                     "6月底前出台实施细则", "sheet '分工表' row 4"},
                    {"1.2", "2", "", "", "长期坚持", "NULL", "", "sheet '分工表' row 5"}}))
        << "长期坚持 is a deadline without a date: its text kept, due NULL";
    EXPECT_EQ(count(path_, "tasks", "deadline_due IS NULL"), 3);
    EXPECT_EQ(count(path_, "tasks", "deadline_text IS NULL"), 2);

    const auto rows = store_->ledger(store_->plan("shaped"), std::nullopt);
    const LedgerRow* row = find_row(rows, "1.1");
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->label, "1");
    EXPECT_EQ(row->group_number, "一");
    EXPECT_EQ(row->group_title, "优化司法资源配置");
    EXPECT_TRUE(row->has_deadline);
    EXPECT_EQ(row->deadline_text, "2020年6月底前");
    EXPECT_EQ(row->deadline_due, "2020-06-30");
    EXPECT_EQ(row->progress, "6月底前出台实施细则");
    EXPECT_EQ(row->where, "sheet '分工表' row 4");
    EXPECT_EQ(row->section_number, "一");
    const LedgerRow* row3 = find_row(rows, "2.1");
    ASSERT_NE(row3, nullptr);
    EXPECT_FALSE(row3->has_deadline);
    EXPECT_EQ(row3->section_number, "2-一");
}

TEST_F(PlanStoreTest, AChangedDeadlineIsAChangedTaskAndTheSamePlanAgainChangesNothing) {
    Parsed p;
    p.plan = shaped_plan();
    p.resolution = rl::core::resolve_assignments(p.plan, config_.org_chart);
    p.source = PlanSource{"shaped", "分工表.xlsx", "UTF-8", "h", "h"};
    import(p);
    const auto before = dump(path_);
    const ImportOutcome same = import(p, kT0 + 1000);
    EXPECT_FALSE(same.changed());
    EXPECT_EQ(dump(path_), before);

    p.plan.sections[0].tasks[0].deadline = rl::core::Deadline{"2020年9月底前", "2020-09-30"};
    p.plan.sections[0].tasks[1].deadline.reset();
    const ImportOutcome changed = import(p, kT0 + 2000);
    EXPECT_EQ(changed.tasks_changed, (Strings{"1.1", "1.2"}));
    EXPECT_EQ(query(path_, "SELECT deadline_due FROM tasks WHERE number = '1.1'"),
              (Rows{{"2020-09-30"}}));
    EXPECT_EQ(count(path_, "tasks", "number = '1.2' AND deadline_text IS NULL"), 1);
}

TEST_F(PlanStoreTest, ChangedTasksAreListedInPlanOrderWhateverTheirNumbersLookLike) {
    Parsed p;
    p.plan = shaped_plan();
    auto& tasks = p.plan.sections[0].tasks;
    const rl::core::Task model = tasks[0];
    tasks.clear();
    for (const char* number : {"10.1", "2.10", "2.9", "2.1", "9", "10"}) {
        rl::core::Task t = model;
        t.number = number;
        tasks.push_back(t);
    }
    p.resolution = rl::core::resolve_assignments(p.plan, config_.org_chart);
    p.source = PlanSource{"order", "order.xlsx", "UTF-8", "h", "h"};
    EXPECT_EQ(import(p).tasks_added, (Strings{"2.1", "2.9", "2.10", "3.1", "9", "10", "10.1"}));
}

// --- A new plan's import in slices (storage/write_slices.h) ------------------

namespace {

// Whether the store shows any plan to a reader: by key, as the latest, listed.
bool any_plan_visible(PlanStore& store, const std::string& key) {
    if (!store.plans().empty()) {
        return true;
    }
    for (const std::string& k : {key, std::string()}) {
        try {
            store.plan(k);
            return true;
        } catch (const NotFound&) {
        }
    }
    return false;
}

}  // namespace

TEST_F(PlanStoreTest, ASlicedImportOfOneStepASliceStoresExactlyWhatOneTransactionDoes) {
    const auto parsed = parse(rl::test::seed_plan_text());
    // One step a slice: each section, task (with its items) and assignment
    // commits on its own.
    PlanStore sliced(*db_, std::chrono::milliseconds(0));
    const ImportOutcome a = sliced.import(parsed.plan, parsed.resolution, parsed.source,
                                          {"u-sigaiban-contact", "reform_office"}, kT0);
    // plan and departments, 6 sections, 45 tasks, 148 assignments, the end.
    EXPECT_EQ(a.write_slices, 1 + 6 + 45 + 148 + 1);

    TempDir other;
    const std::string one_path = other.file("ledger.db");
    Database one_db(one_path, rl::storage::sqlite_migrations());
    PlanStore whole(one_db, std::chrono::milliseconds(10000));
    const ImportOutcome b = whole.import(parsed.plan, parsed.resolution, parsed.source,
                                         {"u-sigaiban-contact", "reform_office"}, kT0);
    EXPECT_EQ(b.write_slices, 3);  // the plan row; everything else; the last step

    // A third ledger imports it inside one enclosing transaction: one transaction.
    TempDir third;
    const std::string enclosed_path = third.file("ledger.db");
    Database enclosed_db(enclosed_path, rl::storage::sqlite_migrations());
    PlanStore enclosed(enclosed_db, std::chrono::milliseconds(0));
    enclosed_db.transaction(true, [&] {
        enclosed.import(parsed.plan, parsed.resolution, parsed.source,
                        {"u-sigaiban-contact", "reform_office"}, kT0);
    });

    EXPECT_EQ(dump(path_), dump(one_path));
    EXPECT_EQ(dump(path_), dump(enclosed_path));
    EXPECT_EQ(a.rows_added, b.rows_added);
    EXPECT_EQ(a.tasks_added, b.tasks_added);
    EXPECT_EQ(query(path_, "SELECT COUNT(*) FROM plans WHERE importing_until IS NOT NULL")[0][0],
              "0");
    EXPECT_EQ(sliced.summary(sliced.plan("")).tasks, 45);
}

TEST_F(PlanStoreTest, AReimportStaysOneTransaction) {
    import_seed();
    PlanStore sliced(*db_, std::chrono::milliseconds(0));
    const auto parsed = parse(modified_seed());
    const ImportOutcome outcome = sliced.import(parsed.plan, parsed.resolution, parsed.source,
                                                {"u-sigaiban-contact", "reform_office"}, kT0 + 1);
    EXPECT_TRUE(outcome.changed());
    EXPECT_EQ(outcome.write_slices, 1);
}

TEST_F(PlanStoreTest, AnImportFailingInAMiddleSliceLeavesNothingBehindAndNothingWasEverVisible) {
    const auto parsed = parse(rl::test::seed_plan_text());
    // Task 20's insert fails: sections, tasks 1-19 and their items are
    // committed by then, each in a slice of its own.
    rl::test::sql_exec(path_,
                       "CREATE TRIGGER fail_task_20 BEFORE INSERT ON tasks WHEN NEW.number = '20'"
                       " BEGIN SELECT RAISE(ABORT, 'task 20 refused'); END;");
    PlanStore sliced(*db_, std::chrono::milliseconds(0));
    std::atomic<bool> done{false};
    std::atomic<int> reads{0}, seen{0};
    std::thread reader([&] {
        PlanStore readers_store(*db_);
        do {
            seen += any_plan_visible(readers_store, parsed.plan.title) ? 1 : 0;
            ++reads;
        } while (!done.load());
    });
    EXPECT_ANY_THROW(sliced.import(parsed.plan, parsed.resolution, parsed.source,
                                   {"u-sigaiban-contact", "reform_office"}, kT0));
    done = true;
    reader.join();
    EXPECT_GT(reads.load(), 0);
    EXPECT_EQ(seen.load(), 0);
    for (const char* table : kTables) {
        EXPECT_EQ(count(path_, table), 0) << table;
    }
    // Once the cause is gone, the same import goes through.
    rl::test::sql_exec(path_, "DROP TRIGGER fail_task_20;");
    const ImportOutcome ok = sliced.import(parsed.plan, parsed.resolution, parsed.source,
                                           {"u-sigaiban-contact", "reform_office"}, kT0);
    EXPECT_EQ(ok.rows_added, 6 + 45 + 2 + 148 + count(path_, "departments"));
}

TEST_F(PlanStoreTest, AnAbandonedImportStaysHiddenUntilItsLeaseRunsOutThenIsRemoved) {
    const auto parsed = parse(rl::test::seed_plan_text());
    // The last slice cannot show the plan, and the import cannot remove what
    // it stored: what a process that died half-way leaves.
    rl::test::sql_exec(path_,
                       "CREATE TRIGGER never_shown BEFORE UPDATE OF importing_until ON plans"
                       " WHEN NEW.importing_until IS NULL BEGIN SELECT RAISE(ABORT, 'not shown');"
                       " END;"
                       "CREATE TRIGGER never_removed BEFORE DELETE ON plans"
                       " BEGIN SELECT RAISE(ABORT, 'not removed'); END;");
    PlanStore sliced(*db_, std::chrono::milliseconds(0));
    EXPECT_ANY_THROW(sliced.import(parsed.plan, parsed.resolution, parsed.source,
                                   {"u-sigaiban-contact", "reform_office"}, kT0));
    rl::test::sql_exec(path_, "DROP TRIGGER never_shown; DROP TRIGGER never_removed;");
    EXPECT_EQ(count(path_, "plans"), 1);
    EXPECT_EQ(count(path_, "tasks"), 45);
    EXPECT_EQ(count(path_, "audit_log"), 0);  // the audit entry was in the last slice
    EXPECT_FALSE(any_plan_visible(*store_, parsed.plan.title));

    // Its lease still runs: another import of the plan is refused, a start removes nothing.
    EXPECT_THROW(import(parsed), rl::storage::ImportInProgress);
    const std::int64_t wall = rl::storage::wall_clock_ms();
    EXPECT_EQ(store_->remove_abandoned_imports(wall), 0);
    EXPECT_EQ(count(path_, "tasks"), 45);

    // Once it has run out, a start removes it with the departments it added.
    EXPECT_EQ(store_->remove_abandoned_imports(wall + rl::storage::kImportLeaseMs + 1), 1);
    for (const char* table : kTables) {
        EXPECT_EQ(count(path_, table), 0) << table;
    }
}

TEST_F(PlanStoreTest, AnImportOfThePlanRemovesAnAbandonedOneWhoseLeaseRanOut) {
    const auto parsed = parse(rl::test::seed_plan_text());
    rl::test::sql_exec(path_,
                       "CREATE TRIGGER never_shown BEFORE UPDATE OF importing_until ON plans"
                       " WHEN NEW.importing_until IS NULL BEGIN SELECT RAISE(ABORT, 'not shown');"
                       " END;"
                       "CREATE TRIGGER never_removed BEFORE DELETE ON plans"
                       " BEGIN SELECT RAISE(ABORT, 'not removed'); END;");
    EXPECT_ANY_THROW(import(parsed));
    rl::test::sql_exec(path_,
                       "DROP TRIGGER never_shown; DROP TRIGGER never_removed;"
                       "UPDATE plans SET importing_until = 1;");  // long ago
    const ImportOutcome outcome = import(parsed, kT0 + 1000);
    EXPECT_TRUE(outcome.plan_created);
    EXPECT_EQ(count(path_, "plans"), 1);
    EXPECT_EQ(count(path_, "tasks"), 45);
    EXPECT_EQ(count(path_, "assignments"), 148);
    EXPECT_EQ(store_->summary(store_->plan("")).tasks, 45);
}

// ledger.tasks' reads: the ledger's statements (its tasks, items and
// assignments) are prepared once on a reader connection and kept for the next
// read transaction on it, not prepared anew each time (issue 11 item 6) — and
// a later read still sees what was written in between.
TEST_F(PlanStoreTest, LedgerStatementsStayPreparedOnTheReaderBetweenReads) {
    const std::string plan_key = parse(rl::test::seed_plan_text()).plan.title;
    import_seed(kT0);
    const auto plan = store_->plan(plan_key);
    const std::string items = "FROM task_items i JOIN tasks t ON t.id = i.task_id";
    const std::string assignments = "FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN";
    std::vector<LedgerRow> first;
    int after_first = 0;
    db_->transaction(false, [&] {
        first = store_->ledger(plan, std::nullopt);
        db_->read([&](Poco::Data::Session& s) { after_first = prepared_on(s, "FROM "); });
    });
    ASSERT_EQ(first.size(), 45u);
    // One thread, one reader at a time: the next read transaction gets the same reader.
    int items_kept = 0;
    int assignments_kept = 0;
    int after_second = 0;
    std::vector<LedgerRow> second;
    db_->transaction(false, [&] {
        db_->read([&](Poco::Data::Session& s) {
            items_kept = prepared_on(s, items);
            assignments_kept = prepared_on(s, assignments);
        });
        second = store_->ledger(plan, std::nullopt);
        db_->read([&](Poco::Data::Session& s) { after_second = prepared_on(s, "FROM "); });
    });
    EXPECT_EQ(items_kept, 1) << "the ledger's items statement was not kept prepared";
    EXPECT_EQ(assignments_kept, 1) << "the ledger's assignments statement was not kept prepared";
    EXPECT_EQ(after_second, after_first) << "a second ledger read prepared more statements";
    EXPECT_EQ(second.size(), first.size());

    // Written in between (task 45 retired, task 3 led by 研究室): seen by the next read.
    import(parse(modified_seed()), kT0 + 86400000);
    const auto rows = store_->ledger(store_->plan(plan_key), std::nullopt);
    EXPECT_EQ(rows.size(), 44u);
    const LedgerRow* task3 = find_row(rows, "3");
    ASSERT_NE(task3, nullptr);
    EXPECT_EQ(task3->lead, Strings{"研究室"});
}

// Reads from two threads at once, each on a reader of its own with its own
// prepared statements, see the same ledger as one thread does.
TEST_F(PlanStoreTest, LedgerReadFromTwoThreadsAtOnceMatchesOneThread) {
    import_seed(kT0);
    const auto plan = store_->plan("");
    const auto expected = store_->ledger(plan, std::nullopt);
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                const auto rows = store_->ledger(plan, std::nullopt);
                bool same = rows.size() == expected.size();
                for (std::size_t r = 0; same && r < rows.size(); ++r) {
                    same = rows[r].number == expected[r].number &&
                           rows[r].lead == expected[r].lead && rows[r].co == expected[r].co &&
                           rows[r].items.size() == expected[r].items.size();
                }
                mismatches += same ? 0 : 1;
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    EXPECT_EQ(mismatches.load(), 0);
}
