// plan.import of a new plan writes in slices (issue 11, item 4): other
// writers get their turn between slices, readers never see a plan before its
// last slice, and an import that fails half-way leaves nothing, not even for
// the next start — on SQLite and (RL_TEST_BACKEND=postgresql) PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "abi_test_helpers.h"
#include "plugin_host.h"
#include "support/test_support.h"

using oa_stub::PluginHost;
using rl::test::TempDir;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)

// A plan in the seed's format: sections of 50 tasks, each task with one
// responsibility line naming two or three departments of the demo org chart.
std::string synthetic_plan(int tasks) {
    static const char* const sections[] = {"一",   "二",   "三",   "四",   "五",   "六",   "七",
                                           "八",   "九",   "十",   "十一", "十二", "十三", "十四",
                                           "十五", "十六", "十七", "十八", "十九", "二十"};
    static const char* const departments[] = {"刑庭", "技术科", "审管办", "研究室", "民庭"};
    std::string text =
        "某中级人民法院司法改革任务分工方案（分片导入测试）\n\n"
        "为推进司法体制综合配套改革，制定如下分工方案。\n";
    for (int t = 1; t <= tasks; ++t) {
        if ((t - 1) % 50 == 0) {
            text += std::string(sections[(t - 1) / 50]) + "、第" +
                    std::to_string((t - 1) / 50 + 1) + "组改革任务\n";
        }
        text += std::to_string(t) + ".完善第" + std::to_string(t) + "项工作机制。\n责任部门：" +
                departments[t % 5] + "、" + departments[(t + 1) % 5] +
                (t % 3 == 0 ? std::string("、") + departments[(t + 3) % 5] : "") + "\n";
    }
    return text;
}

class PlanImportSlices : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = dir_.file("ledger.db");
        big_ = dir_.file("big-plan.txt");
        rl::test::write_file(big_, synthetic_plan(kTasks));
    }

    // The plugin with one step a slice, and the seed plan imported as "seed".
    void open(PluginHost& host) {
        std::string config = rl::test::plugin_config(db_);
        const std::string database = "\"database\":{";
        config.replace(config.find(database), database.size(), database + "\"import_slice_ms\":0,");
        host.set_clock(court_ms(2019, 11, 4));
        host.load(RL_PLUGIN_PATH);
        host.create(config);
        host.call("plan.import",
                  Req().s("path", RL_SEED_PLAN).s("actor", kImporter).s("plan_key", "seed").str());
    }

    std::string big_import() const {
        return Req().s("path", big_).s("actor", kImporter).s("plan_key", "big").str();
    }

    int rows(const std::string& sql) {
        return std::stoi(rl::test::sql_rows(db_, sql, true).at(0).at(0));
    }

    // 刑庭 saves a draft of its 2019-10 report on task 33 of the seed plan: a
    // write of another person while the import runs.
    void save_draft(PluginHost& host) {
        const Doc d = parse_json(host.call(
            "report.act", Req()
                              .s("plan", "seed")
                              .s("task", "33")
                              .s("department", "刑庭")
                              .s("period", "2019-10")
                              .s("action", "save_draft")
                              .s("actor", "u-xingting-contact")
                              .raw("content", Req().s("progress_summary", "初稿已形成。").str())
                              .str()));
        ASSERT_EQ(str(d, "outcome"), "ok") << dump(d);
    }

    static constexpr int kTasks = 600;
    TempDir dir_;
    std::string db_, big_;
};

TEST_F(PlanImportSlices, ReadersSeeNoPlanOrTheWholePlanAndAWriterGetsInBetweenSlices) {
    PluginHost host(RL_LOG_ERROR);
    open(host);
    std::atomic<bool> done{false};
    std::string result;
    std::thread importer([&] {
        try {
            result = host.call("plan.import", big_import());
        } catch (const std::exception& e) {
            result = std::string("failed: ") + e.what();
        }
        done = true;
    });
    // Reads while it runs: plan "big" is absent, or whole.
    std::atomic<int> reads{0}, whole{0}, halves{0};
    std::thread reader([&] {
        while (!done.load()) {
            const Doc list = parse_json(host.call("plan.list", "{}"));
            bool listed = false;
            for (const auto& plan : arr(list, "plans").GetArray()) {
                listed = listed || str(plan, "key") == "big";
            }
            std::string message;
            std::string summary;
            const rl_status status = status_of(
                [&] { summary = host.call("ledger.summary", Req().s("plan", "big").str()); },
                &message);
            if (status == RL_OK) {
                (num(parse_json(summary), "tasks") == kTasks ? whole : halves) += 1;
            } else if (status != RL_ERR_NOT_FOUND || listed) {
                halves += 1;  // listed, yet not readable: half a plan
                ADD_FAILURE() << "status " << status << ": " << message;
            }
            ++reads;
        }
    });
    // Once part of the plan is committed (raw SQL sees it; the plugin's reads
    // do not), another person's write goes through before the import ends.
    bool wrote_during_import = false;
    rl::test::within_deadline(120, "waiting for the import's first slices", [&] {
        while (!done.load() && rows("SELECT COUNT(*) FROM tasks") <= 45) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    if (!done.load()) {
        save_draft(host);
        wrote_during_import = !done.load();
    }
    importer.join();
    reader.join();
    ASSERT_EQ(result.rfind("failed", 0), std::string::npos) << result;
    const Doc imported = parse_json(result);
    EXPECT_EQ(num(imported, "tasks"), kTasks);
    // The plan row, 12 sections, 600 tasks, one step an assignment, the end.
    EXPECT_EQ(num(imported, "write_slices"), 1 + 12 + kTasks + num(imported, "assignments") + 1);
    EXPECT_TRUE(wrote_during_import)
        << "the draft was saved only once the import had ended: it waited for all of it";
    EXPECT_GT(reads.load(), 0);
    EXPECT_EQ(halves.load(), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM plans WHERE importing_until IS NOT NULL"), 0);
    const Doc audit = parse_json(host.call("audit.verify", "{}"));
    EXPECT_TRUE(at(audit, "ok").GetBool()) << dump(audit);
    host.shutdown();
}

TEST_F(PlanImportSlices, AnImportFailingInAMiddleSliceLeavesNothingAndTheSameImportThenWorks) {
    PluginHost host(RL_LOG_ERROR);
    open(host);
    const int departments = rows("SELECT COUNT(*) FROM departments");
    // Task 300's insert fails: by then 299 tasks are committed, slice by slice.
    if (rl::test::on_postgresql()) {
        rl::test::sql_exec(db_,
                           "CREATE FUNCTION refuse_task() RETURNS trigger LANGUAGE plpgsql AS"
                           " $$ BEGIN RAISE EXCEPTION 'task 300 refused'; END $$;"
                           "CREATE TRIGGER refuse_task_300 BEFORE INSERT ON tasks FOR EACH ROW"
                           " WHEN (NEW.number = '300') EXECUTE FUNCTION refuse_task();");
    } else {
        rl::test::sql_exec(db_,
                           "CREATE TRIGGER refuse_task_300 BEFORE INSERT ON tasks"
                           " WHEN NEW.number = '300' BEGIN SELECT RAISE(ABORT, 'task 300 refused');"
                           " END;");
    }
    std::string message;
    // The cause, named (a constraint of SQLite, an exception of PostgreSQL).
    EXPECT_NE(status_of([&] { host.call("plan.import", big_import()); }, &message), RL_OK);
    EXPECT_TRUE(contains(message, "task 300 refused")) << message;
    EXPECT_EQ(rows("SELECT COUNT(*) FROM plans"), 1);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM tasks"), 45);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM departments"), departments);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM audit_log WHERE action = 'plan_import'"), 1);
    EXPECT_EQ(status_of([&] { host.call("ledger.summary", Req().s("plan", "big").str()); }),
              RL_ERR_NOT_FOUND);

    rl::test::sql_exec(db_, "DROP TRIGGER refuse_task_300" +
                                std::string(rl::test::on_postgresql() ? " ON tasks" : "") + ";");
    const Doc imported = parse_json(host.call("plan.import", big_import()));
    EXPECT_TRUE(at(imported, "created").GetBool());
    EXPECT_EQ(num(imported, "tasks"), kTasks);
    EXPECT_TRUE(at(parse_json(host.call("audit.verify", "{}")), "ok").GetBool());
    host.shutdown();
}

TEST_F(PlanImportSlices, WhatADeadImportLeftIsHiddenAndTheNextStartRemovesItOnceItsLeaseRanOut) {
    {
        PluginHost host(RL_LOG_ERROR);
        open(host);
        // The last slice cannot show the plan nor the import remove what it
        // stored: what a process killed half-way leaves.
        if (rl::test::on_postgresql()) {
            rl::test::sql_exec(db_,
                               "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS"
                               " $$ BEGIN RAISE EXCEPTION 'refused'; END $$;"
                               "CREATE TRIGGER never_shown BEFORE UPDATE ON plans FOR EACH ROW"
                               " WHEN (NEW.importing_until IS NULL) EXECUTE FUNCTION refuse();"
                               "CREATE TRIGGER never_removed BEFORE DELETE ON plans FOR EACH ROW"
                               " EXECUTE FUNCTION refuse();");
        } else {
            rl::test::sql_exec(
                db_,
                "CREATE TRIGGER never_shown BEFORE UPDATE OF importing_until ON plans"
                " WHEN NEW.importing_until IS NULL BEGIN SELECT RAISE(ABORT, "
                "'refused'); END;"
                "CREATE TRIGGER never_removed BEFORE DELETE ON plans"
                " BEGIN SELECT RAISE(ABORT, 'refused'); END;");
        }
        EXPECT_NE(status_of([&] { host.call("plan.import", big_import()); }), RL_OK);
        const std::string on = rl::test::on_postgresql() ? " ON plans" : "";
        rl::test::sql_exec(
            db_, "DROP TRIGGER never_shown" + on + "; DROP TRIGGER never_removed" + on + ";");
        EXPECT_EQ(rows("SELECT COUNT(*) FROM tasks"), 45 + kTasks);
        // Hidden: not listed, not readable, the ledger's latest plan is still the seed.
        EXPECT_EQ(arr(parse_json(host.call("plan.list", "{}")), "plans").Size(), 1u);
        EXPECT_EQ(status_of([&] { host.call("ledger.summary", Req().s("plan", "big").str()); }),
                  RL_ERR_NOT_FOUND);
        EXPECT_EQ(str(at(parse_json(host.call("ledger.summary", "{}")), "plan"), "key"), "seed");
        // While its lease runs, importing it again is refused, naming why.
        std::string message;
        EXPECT_EQ(status_of([&] { host.call("plan.import", big_import()); }, &message),
                  RL_ERR_STATE);
        EXPECT_TRUE(contains(message, "being imported")) << message;
        host.shutdown();
    }
    {
        // A start within the lease leaves it alone (the import may be alive elsewhere).
        PluginHost host(RL_LOG_ERROR);
        open(host);
        EXPECT_EQ(rows("SELECT COUNT(*) FROM tasks"), 45 + kTasks);
        host.shutdown();
    }
    rl::test::sql_exec(db_,
                       "UPDATE plans SET importing_until = 1 WHERE importing_until IS NOT NULL;");
    PluginHost host(RL_LOG_ERROR);
    open(host);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM plans"), 1);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM tasks"), 45);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM assignments a JOIN tasks t ON t.id = a.task_id"
                   " WHERE t.plan_id NOT IN (SELECT id FROM plans)"),
              0);
    EXPECT_TRUE(at(parse_json(host.call("audit.verify", "{}")), "ok").GetBool());
    const Doc imported = parse_json(host.call("plan.import", big_import()));
    EXPECT_EQ(num(imported, "tasks"), kTasks);
    host.shutdown();
}

}  // namespace
