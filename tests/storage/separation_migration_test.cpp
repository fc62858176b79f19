// Migration 0004 on a ledger written before it: reports under way learn from
// their audit trail who already acted at which step, so the separation of
// duties holds for them too after the upgrade.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/database.h"
#include "support/test_support.h"

namespace {

using rl::storage::Database;
using rl::storage::Migration;
using rl::storage::sqlite_migrations;
using rl::test::sql_rows;
using rl::test::TempDir;

std::vector<Migration> migrations_before(int version) {
    std::vector<Migration> out;
    for (const auto& m : sqlite_migrations()) {
        if (m.version < version) {
            out.push_back(m);
        }
    }
    return out;
}

TEST(SeparationMigration, ReportsUnderWayGetTheirStepActorsFromTheAuditTrail) {
    TempDir dir;
    const std::string path = dir.file("ledger.db");
    { Database before(path, migrations_before(4)); }
    for (const char* statement : {
             "INSERT INTO plans (id, plan_key, title, source_name, source_encoding, "
             "content_sha256, imported_at, updated_at) VALUES (1, 'p', 'p', 's', 'UTF-8', 'x', "
             "'t', 't');",
             "INSERT INTO departments (id, name, in_org_chart) VALUES (1, '刑庭', 1);",
             "INSERT INTO sections (id, plan_id, number, ordinal, title) VALUES (1, 1, '一', 1, "
             "'s');",
             "INSERT INTO tasks (id, plan_id, section_id, number, ordinal, title, body) VALUES (1, "
             "1, 1, '33', 1, 't', 'b');",
             "INSERT INTO assignments (id, task_id, department_id, role, ordinal, written_as) "
             "VALUES (1, 1, 1, 'lead', 1, '刑庭');",
             "INSERT INTO obligations (id, assignment_id, period, period_month, due_date) VALUES "
             "(1, 1, '2019-10', '2019-10', '2019-11-07'), (2, 1, '2019-09', '2019-09', "
             "'2019-10-15');",
             "INSERT INTO reports (id, obligation_id, state, step, version, content, created_at, "
             "updated_at, step_since) VALUES (1, 1, 'in_approval', 'department_head', 5, '{}', "
             "'t', 't', 't'), (2, 2, 'filed', 'reform_office', 6, '{}', 't', 't', 't');",
         }) {
        sql_rows(path, statement);
    }
    const auto audit = [&](int report, const std::string& actor, const std::string& action,
                           const std::string& from_step, const std::string& to_step) {
        sql_rows(path,
                 "INSERT INTO audit_log (at, actor, role, action, plan_id, task_number, "
                 "department, period, report_id, from_step, to_step) VALUES ('t', '" +
                     actor + "', 'r', '" + action + "', 1, '33', '刑庭', '2019-10', " +
                     std::to_string(report) + ", '" + from_step + "', '" + to_step + "')");
    };
    audit(1, "u-c", "save_draft", "", "draft");
    audit(1, "u-c", "save_draft", "draft", "draft");
    audit(1, "u-c", "submit", "draft", "department_head");
    audit(1, "u-h", "approve", "department_head", "leader_in_charge");
    audit(1, "u-h", "withdraw", "leader_in_charge", "department_head");
    audit(1, "u-o", "urge", "", "");  // not an act at a step
    audit(2, "u-x", "save_draft", "", "draft");

    { Database after(path, sqlite_migrations()); }
    const auto rows =
        sql_rows(path, "SELECT id, step_actors FROM reports ORDER BY id", /*read_only=*/true);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0][1], "draft\tu-c\ndepartment_head\tu-h");
    EXPECT_EQ(rows[1][1], "") << "a filed report is done; it needs none";
}

}  // namespace
