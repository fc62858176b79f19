// The tamper-evident audit trail through the real plugin (dlopen) on real
// SQLite files: every entry chained to the one before it by SHA-256, each
// report action holding the hash of the version it produced, audit.verify
// naming the first broken link after someone holding the database file
// rewrote history behind the plugin's back (through the sqlite3 C API, with
// the triggers dropped), reports and their versions protected like the audit
// log, plan imports audited with their actor, and a ledger written by the
// schema before the chain upgraded without losing verifiability.
//
// The canonical encoding is recomputed here in SQL (docs/abi.md), not with
// the plugin's code, so these tests pin the documented format.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "abi_test_helpers.h"
#include "plugin_host.h"
#include "reform_ledger.h"
#include "support/test_support.h"

using oa_stub::PluginError;
using oa_stub::PluginHost;
using rl::test::sql_exec;
using rl::test::sql_rows;
using rl::test::TempDir;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)

const std::string kGenesis(64, '0');
const std::string kReformOffice = "u-sigaiban-head";

std::string sha256_hex(const std::string& bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("EVP_Digest failed");
    }
    static const char* const kHex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 15];
    }
    return out;
}

// One field of the canonical encoding, computed by the database: "-" for
// NULL, else the value's length in bytes, ":", and the value (integers in
// decimal).
std::string field_sql(const std::string& column) {
    const std::string bytes = rl::test::on_postgresql()
                                  ? "octet_length(CAST(" + column + " AS text))"
                                  : "length(CAST(" + column + " AS BLOB))";
    return "(CASE WHEN " + column + " IS NULL THEN '-' ELSE " + bytes + " || ':' || " + column +
           " END)";
}

// The rows' values of expr joined with separator, in id order.
std::string joined_sql(const std::string& expr, const std::string& separator = ",") {
    return rl::test::on_postgresql() ? "string_agg(" + expr + ", '" + separator + "' ORDER BY id)"
                                     : "group_concat(" + expr + ", '" + separator + "')";
}

std::string tag_sql(const std::string& tag) {
    return "'" + std::to_string(tag.size()) + ":" + tag + "'";
}

// What an audit entry's hash covers, in order (docs/abi.md).
std::string entry_encoding_sql() {
    static const char* const kColumns[] = {
        "id",          "at",         "actor",          "acting_for",
        "role",        "action",     "plan_id",        "task_number",
        "item_number", "department", "period",         "obligation_id",
        "report_id",   "from_state", "to_state",       "from_step",
        "to_step",     "reason",     "report_version", "version_sha256",
        "detail",      "prev_hash"};
    std::string sql = tag_sql("reform-ledger audit entry v1");
    for (const char* column : kColumns) {
        sql += " || " + field_sql(column);
    }
    return sql;
}

// What a report version's hash covers (alias: the report_versions table).
std::string version_encoding_sql(const std::string& alias) {
    std::string sql = tag_sql("reform-ledger report version v1");
    for (const char* column : {"report_id", "version", "state", "step", "content", "recorded_at"}) {
        sql += " || " + field_sql(alias + "." + column);
    }
    return sql;
}

// What someone holding the database does first: every trigger goes.
void drop_all_triggers(const std::string& db) {
    rl::test::drop_all_triggers(db);
}

std::int64_t count(const std::string& db, const std::string& table,
                   const std::string& where = "1 = 1") {
    return std::stoll(
        sql_rows(db, "SELECT count(*) FROM " + table + " WHERE " + where).at(0).at(0));
}

std::int64_t id_of(const std::string& db, const std::string& sql) {
    const auto rows = sql_rows(db, sql);
    if (rows.empty()) {
        throw std::runtime_error("no row for: " + sql);
    }
    return std::stoll(rows.at(0).at(0));
}

std::string report_content(const std::string& summary, int percent) {
    return Req().s("progress_summary", summary).i("percent_complete", percent).str();
}

class AuditChain : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = dir_.file("ledger.db");
        open_plugin(host_, court_ms(2019, 11, 4), rl::test::plugin_config(db_));
    }

    int version(const std::string& department, const std::string& task) {
        const Doc d = parse_json(host_.call("report.get", Req()
                                                              .s("user", "u-sigaiban-head")
                                                              .s("task", task)
                                                              .s("department", department)
                                                              .s("period", "2019-10")
                                                              .str()));
        const Val& report = at(at(d, "obligation"), "report");
        return report.IsObject() ? num(report, "version") : 0;
    }

    // Acts on task 33's report of a department for 2019-10 and expects "ok".
    void act(const std::string& action, const std::string& actor, const std::string& department,
             const std::string& extra_json = "") {
        Req r;
        r.s("task", "33").s("department", department).s("period", "2019-10").s("action", action);
        r.s("actor", actor);
        if (const int v = version(department, "33"); v != 0) {
            r.i("version", v);
        }
        std::string request = r.str();
        if (!extra_json.empty()) {
            request.pop_back();
            request += "," + extra_json + "}";
        }
        const Doc d = parse_json(host_.call("report.act", request));
        ASSERT_EQ(str(d, "outcome"), "ok")
            << action << " by " << actor << " for " << department << ": " << str(d, "message");
    }

    void draft_and_submit(const std::string& department, const std::string& contact) {
        act("save_draft", contact, department,
            "\"content\":" + report_content(department + "已按分工完成本月工作。", 60));
        act("submit", contact, department);
    }

    // A month of task 33 with every kind of entry the plugin writes: report
    // actions (a return and a resubmission among them), a waiver, an urge, a
    // supervision notice and its answer, and filing.
    void record_a_month() {
        host_.set_clock(court_ms(2019, 11, 4, 9));
        act("save_draft", "u-xingting-contact", "刑庭",
            "\"content\":" + report_content("刑事审判流程节点已梳理。", 40));
        act("submit", "u-xingting-contact", "刑庭");
        act("approve", "u-xingting-head", "刑庭", "\"reason\":\"同意。\"");
        act("approve", "u-vp-trial", "刑庭", "\"reason\":\"同意。\"");
        host_.set_clock(court_ms(2019, 11, 5, 9));
        act("return", kReformOffice, "刑庭", "\"reason\":\"请补充流程节点标准文本。\"");
        const Doc urged = parse_json(host_.call("urge", Req()
                                                            .s("task", "33")
                                                            .s("department", "技术科")
                                                            .s("period", "2019-10")
                                                            .s("actor", kReformOffice)
                                                            .s("note", "请尽快报送。")
                                                            .str()));
        ASSERT_EQ(str(urged, "outcome"), "ok") << str(urged, "message");
        const Doc issued =
            parse_json(host_.call("supervision.issue", Req()
                                                           .s("task", "33")
                                                           .s("department", "执行指挥中心")
                                                           .s("actor", kReformOffice)
                                                           .s("content", "请报送执行流程标准。")
                                                           .str()));
        ASSERT_EQ(str(issued, "outcome"), "ok") << str(issued, "message");
        const Doc answered = parse_json(
            host_.call("supervision.answer", Req()
                                                 .s("notice", str(at(issued, "notice"), "number"))
                                                 .s("actor", "u-zhihui-contact")
                                                 .s("answer", "已报送。")
                                                 .str()));
        ASSERT_EQ(str(answered, "outcome"), "ok") << str(answered, "message");
        draft_and_submit("民庭", "u-minting-contact");
        draft_and_submit("执行指挥中心", "u-zhihui-contact");
        draft_and_submit("立案庭", "u-lianting-contact");
        draft_and_submit("技术科", "u-jishuke-contact");
        const Doc waived =
            parse_json(host_.call("report.waive", Req()
                                                      .s("task", "33")
                                                      .s("department", "行政庭（综合审判庭）")
                                                      .s("period", "2019-10")
                                                      .s("actor", kReformOffice)
                                                      .s("reason", "本月无相关工作。")
                                                      .str()));
        ASSERT_EQ(str(waived, "outcome"), "ok") << str(waived, "message");
        host_.set_clock(court_ms(2019, 11, 6, 9));
        act("save_draft", "u-xingting-contact", "刑庭",
            "\"content\":" + report_content("刑事审判流程节点已梳理，附标准文本。", 80));
        act("submit", "u-xingting-contact", "刑庭");
        act("file", kReformOffice, "刑庭");
    }

    // audit.verify from a new instance on the file, as an auditor would run it.
    Doc verify_afresh() {
        host_.shutdown();
        PluginHost auditor;
        auditor.set_clock(kNov8);
        auditor.load(RL_PLUGIN_PATH);
        auditor.create(rl::test::plugin_config(db_));
        Doc d = parse_json(auditor.call("audit.verify"));
        auditor.shutdown();
        return d;
    }

    // The first problem audit.verify reported; fails the test when there is none.
    static const Val& problem(const Doc& verdict) {
        EXPECT_FALSE(at(verdict, "ok").GetBool()) << dump(verdict);
        const Val& p = at(verdict, "first_problem");
        if (!p.IsObject()) {
            throw std::runtime_error("no first_problem in " + dump(verdict));
        }
        return p;
    }

    TempDir dir_;
    std::string db_;
    PluginHost host_;
};

// ------------------------------------------------------------ the chain

TEST_F(AuditChain, EveryEntryCarriesTheHashOfItsContentAndOfTheEntryBefore) {
    record_a_month();
    const auto rows = sql_rows(db_, "SELECT id, prev_hash, hash, action, " + entry_encoding_sql() +
                                        " FROM audit_log ORDER BY id");
    ASSERT_GE(rows.size(), 20u);
    std::string previous = kGenesis;
    std::set<std::string> actions;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& row = rows[i];
        EXPECT_EQ(row.at(0), std::to_string(i + 1)) << "ids run 1, 2, 3 … without gaps";
        EXPECT_EQ(row.at(1), previous) << "entry " << row.at(0) << " links to the one before";
        EXPECT_EQ(row.at(2), sha256_hex(row.at(4)))
            << "entry " << row.at(0) << " (" << row.at(3) << "): hash over its canonical encoding";
        previous = row.at(2);
        actions.insert(row.at(3));
    }
    // Every store's entries are in the one chain.
    for (const char* action : {"plan_import", "save_draft", "submit", "approve", "return", "file",
                               "waive", "urge", "supervision_notice", "supervision_answer"}) {
        EXPECT_EQ(actions.count(action), 1u)
            << action << " is missing from " << rows.size() << " entries";
    }
}

TEST_F(AuditChain, EveryReportActionRecordsTheHashOfTheVersionItProduced) {
    record_a_month();
    const auto rows =
        sql_rows(db_, "SELECT a.id, a.version_sha256, " + version_encoding_sql("v") +
                          " FROM audit_log a JOIN report_versions v"
                          " ON v.report_id = a.report_id AND v.version = a.report_version"
                          " WHERE a.version_sha256 <> '' ORDER BY a.id");
    EXPECT_EQ(static_cast<std::int64_t>(rows.size()), count(db_, "report_versions"))
        << "one entry per version";
    for (const auto& row : rows) {
        EXPECT_EQ(row.at(1), sha256_hex(row.at(2))) << "audit entry " << row.at(0);
    }
    // Entries that produce no version (waive, urge, notices) carry none.
    EXPECT_EQ(count(db_, "audit_log", "action IN ('waive', 'urge') AND version_sha256 <> ''"), 0);
}

TEST_F(AuditChain, AnUntouchedLedgerVerifies) {
    record_a_month();
    const Doc now = parse_json(host_.call("audit.verify"));
    EXPECT_TRUE(at(now, "ok").GetBool()) << dump(now);
    EXPECT_TRUE(at(now, "first_problem").IsNull()) << dump(now);
    EXPECT_EQ(at(now, "entries_checked").GetInt64(), count(db_, "audit_log"));
    EXPECT_EQ(at(now, "reports_checked").GetInt64(), count(db_, "reports"));
    EXPECT_GE(count(db_, "reports"), 5);
    // The head of the chain, for the host to keep elsewhere.
    const Val& head = at(now, "head");
    EXPECT_EQ(at(head, "audit_id").GetInt64(), count(db_, "audit_log"));
    EXPECT_EQ(str(head, "hash"),
              sql_rows(db_, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").at(0).at(0));

    const Doc later = verify_afresh();
    EXPECT_TRUE(at(later, "ok").GetBool()) << dump(later);
}

TEST_F(AuditChain, AnEntryEditedBehindThePluginsBackIsTheFirstProblem) {
    record_a_month();
    const std::int64_t returned = id_of(db_, "SELECT id FROM audit_log WHERE action = 'return'");
    host_.shutdown();
    drop_all_triggers(db_);
    sql_exec(db_, "UPDATE audit_log SET reason = '同意。' WHERE id = " + std::to_string(returned));
    const Doc verdict = verify_afresh();
    const Val& p = problem(verdict);
    EXPECT_EQ(at(p, "audit_id").GetInt64(), returned) << dump(verdict);
    EXPECT_TRUE(contains(str(p, "what"), "does not match its hash")) << dump(verdict);
    EXPECT_EQ(at(verdict, "entries_checked").GetInt64(), returned) << dump(verdict);
}

TEST_F(AuditChain, ADeletedEntryIsNamedAsMissing) {
    record_a_month();
    const std::int64_t urge = id_of(db_, "SELECT id FROM audit_log WHERE action = 'urge'");
    host_.shutdown();
    drop_all_triggers(db_);
    sql_exec(db_, "DELETE FROM audit_log WHERE id = " + std::to_string(urge));
    const Doc verdict = verify_afresh();
    const Val& p = problem(verdict);
    EXPECT_EQ(at(p, "audit_id").GetInt64(), urge) << dump(verdict);
    EXPECT_TRUE(contains(str(p, "what"), "missing")) << dump(verdict);
}

TEST_F(AuditChain, ARewrittenEntryWithItsOwnHashRecomputedBreaksTheNextLink) {
    record_a_month();
    const std::int64_t returned = id_of(db_, "SELECT id FROM audit_log WHERE action = 'return'");
    const std::string id = std::to_string(returned);
    host_.shutdown();
    drop_all_triggers(db_);
    sql_exec(db_,
             "UPDATE audit_log SET action = 'approve', to_state = 'in_approval',"
             " reason = '同意。' WHERE id = " +
                 id);
    const std::string encoding =
        sql_rows(db_, "SELECT " + entry_encoding_sql() + " FROM audit_log WHERE id = " + id)
            .at(0)
            .at(0);
    sql_exec(db_, "UPDATE audit_log SET hash = '" + sha256_hex(encoding) + "' WHERE id = " + id);
    const Doc verdict = verify_afresh();
    const Val& p = problem(verdict);
    EXPECT_EQ(at(p, "audit_id").GetInt64(), returned + 1) << dump(verdict);
    EXPECT_TRUE(contains(str(p, "what"),
                         "between audit entries " + id + " and " + std::to_string(returned + 1)))
        << dump(verdict);
}

TEST_F(AuditChain, DeletingTheLastReportEntryLeavesItsVersionWithoutAnEntry) {
    record_a_month();
    // The chain alone cannot tell that its tail is gone; the version the
    // entry recorded can.
    const std::int64_t last = id_of(db_, "SELECT max(id) FROM audit_log");
    ASSERT_EQ(sql_rows(db_, "SELECT action FROM audit_log WHERE id = " + std::to_string(last))
                  .at(0)
                  .at(0),
              "file");
    const std::int64_t report =
        id_of(db_, "SELECT report_id FROM audit_log WHERE id = " + std::to_string(last));
    host_.shutdown();
    drop_all_triggers(db_);
    sql_exec(db_, "DELETE FROM audit_log WHERE id = " + std::to_string(last));
    const Doc verdict = verify_afresh();
    const Val& p = problem(verdict);
    EXPECT_EQ(at(p, "report_id").GetInt64(), report) << dump(verdict);
    EXPECT_TRUE(contains(str(p, "what"), "has no audit entry")) << dump(verdict);
}

// ------------------------------------------------------------ reports and versions

TEST_F(AuditChain, AReportWhoseContentWasEditedIsNamed) {
    record_a_month();
    const std::int64_t report =
        id_of(db_,
              "SELECT r.id FROM reports r JOIN obligations o ON o.id = r.obligation_id"
              " JOIN assignments a ON a.id = o.assignment_id JOIN departments d ON"
              " d.id = a.department_id WHERE d.name = '民庭'");
    host_.shutdown();
    drop_all_triggers(db_);
    sql_exec(db_, "UPDATE reports SET content = replace(content, '60', '100') WHERE id = " +
                      std::to_string(report));
    const Doc verdict = verify_afresh();
    const Val& p = problem(verdict);
    EXPECT_EQ(at(p, "report_id").GetInt64(), report) << dump(verdict);
    EXPECT_TRUE(contains(str(p, "what"), "content")) << dump(verdict);
    EXPECT_EQ(at(verdict, "entries_checked").GetInt64(), count(db_, "audit_log"))
        << "the chain itself is intact";
}

TEST_F(AuditChain, AnEditedVersionIsNamed) {
    record_a_month();
    const std::int64_t report =
        id_of(db_, "SELECT report_id FROM audit_log WHERE action = 'return'");
    host_.shutdown();
    drop_all_triggers(db_);
    sql_exec(db_,
             "UPDATE report_versions SET content = replace(content, '40', '90')"
             " WHERE version = 1 AND report_id = " +
                 std::to_string(report));
    const Doc verdict = verify_afresh();
    const Val& p = problem(verdict);
    EXPECT_EQ(at(p, "report_id").GetInt64(), report) << dump(verdict);
    EXPECT_TRUE(contains(str(p, "what"), "version 1 ")) << dump(verdict);
    EXPECT_TRUE(contains(str(p, "what"), "does not match")) << dump(verdict);
}

TEST_F(AuditChain, ADeletedVersionIsNamed) {
    record_a_month();
    const std::int64_t report =
        id_of(db_, "SELECT report_id FROM audit_log WHERE action = 'return'");
    host_.shutdown();
    drop_all_triggers(db_);
    sql_exec(db_, "DELETE FROM report_versions WHERE version = 2 AND report_id = " +
                      std::to_string(report));
    const Doc verdict = verify_afresh();
    const Val& p = problem(verdict);
    EXPECT_EQ(at(p, "report_id").GetInt64(), report) << dump(verdict);
    EXPECT_TRUE(contains(str(p, "what"), "version 2 ")) << dump(verdict);
    EXPECT_TRUE(contains(str(p, "what"), "missing")) << dump(verdict);
}

TEST_F(AuditChain, VersionsAreAppendOnlyAndAReportChangesOnlyByItsNextVersion) {
    record_a_month();
    const std::string before_versions =
        sql_rows(db_, "SELECT " + joined_sql("content || state", "|") + " FROM report_versions")
            .at(0)
            .at(0);
    const std::string before_reports =
        sql_rows(db_, "SELECT " + joined_sql("content || state || version", "|") + " FROM reports")
            .at(0)
            .at(0);
    for (const char* sql : {
             "UPDATE report_versions SET content = '{}'",
             "DELETE FROM report_versions WHERE version = 1",
             "DELETE FROM reports",
             "UPDATE reports SET content = '{}'",                         // same version
             "UPDATE reports SET version = version + 2, content = '{}'",  // skips one
             "UPDATE reports SET version = version - 1",
             "UPDATE audit_log SET hash = '' WHERE id = 2",  // unsealed, to be re-chained
             "UPDATE audit_chain SET legacy_up_to = 1000000",
             "DELETE FROM audit_chain",
         }) {
        EXPECT_THROW(sql_rows(db_, sql), std::runtime_error) << sql;
    }
    EXPECT_EQ(
        sql_rows(db_, "SELECT " + joined_sql("content || state", "|") + " FROM report_versions")
            .at(0)
            .at(0),
        before_versions);
    EXPECT_EQ(
        sql_rows(db_, "SELECT " + joined_sql("content || state || version", "|") + " FROM reports")
            .at(0)
            .at(0),
        before_reports);
    const Doc verdict = parse_json(host_.call("audit.verify"));
    EXPECT_TRUE(at(verdict, "ok").GetBool()) << dump(verdict);
}

TEST_F(AuditChain, AReportUpdatedByOneVersionWithoutItsVersionRowIsNamed) {
    record_a_month();
    // The trigger lets a report advance by exactly one version; the version
    // row and its audit entry must come with it.
    const std::int64_t report =
        id_of(db_,
              "SELECT r.id FROM reports r JOIN obligations o ON o.id = r.obligation_id"
              " JOIN assignments a ON a.id = o.assignment_id JOIN departments d ON"
              " d.id = a.department_id WHERE d.name = '技术科'");
    host_.shutdown();
    sql_exec(db_,
             "UPDATE reports SET version = version + 1, state = 'filed',"
             " step = 'reform_office' WHERE id = " +
                 std::to_string(report));
    const Doc verdict = verify_afresh();
    const Val& p = problem(verdict);
    EXPECT_EQ(at(p, "report_id").GetInt64(), report) << dump(verdict);
}

TEST_F(AuditChain, DroppedProtectionIsReportedEvenWhenNoRowWasTouched) {
    record_a_month();
    host_.shutdown();
    drop_all_triggers(db_);
    const Doc verdict = verify_afresh();
    const Val& p = problem(verdict);
    EXPECT_TRUE(contains(str(p, "what"), "trigger")) << dump(verdict);
    EXPECT_TRUE(contains(str(p, "what"), "missing")) << dump(verdict);
    EXPECT_FALSE(p.HasMember("audit_id")) << dump(verdict);
    EXPECT_EQ(at(verdict, "entries_checked").GetInt64(), count(db_, "audit_log"));
}

TEST_F(AuditChain, VerifyTakesNoArgumentsItDoesNotKnow) {
    try {
        host_.call("audit.verify", Req().s("repair", "yes").str());
        FAIL() << "an unknown key was accepted";
    } catch (const PluginError& e) {
        EXPECT_EQ(e.status(), RL_ERR_INVALID_ARGUMENT);
        EXPECT_TRUE(contains(e.what(), "repair")) << e.what();
    }
}

// ------------------------------------------------------------ plan imports

class PlanImportAudit : public AuditChain {
protected:
    // The entries of audit.list that are about the plan itself.
    std::vector<const Val*> plan_entries(const Doc& list) {
        std::vector<const Val*> out;
        for (const auto& e : arr(list, "entries").GetArray()) {
            const std::string action = str(e, "action");
            if (action == "plan_import" || action == "plan_reimport") {
                out.push_back(&e);
            }
        }
        return out;
    }

    // The seed with task 1's text changed, task 3 given to another
    // department, task 45 gone and a task 46 added.
    std::string modified_plan_file() {
        std::string text = rl::test::seed_plan_text();
        const auto replace = [&](const std::string& from, const std::string& to) {
            const auto at = text.find(from);
            if (at == std::string::npos) {
                throw std::runtime_error("the seed plan no longer contains '" + from + "'");
            }
            text.replace(at, from.size(), to);
        };
        replace("45.深化执行信息公开。\n责任部门：执行局、技术科\n",
                "46.建立司法改革工作台账。\n责任部门：技术科\n");
        replace("统筹内设机构改革与审判团队建设", "统筹推进内设机构改革与审判团队建设");
        replace("办案达不到要求的，要退出员额。\n责任部门：审管办\n",
                "办案达不到要求的，要退出员额。\n责任部门：研究室\n");
        const std::string path = dir_.file("plan-v2.txt");
        rl::test::write_file(path, text);
        return path;
    }
};

std::vector<std::string> strings(const Val& list) {
    std::vector<std::string> out;
    for (const auto& v : list.GetArray()) {
        out.emplace_back(v.GetString(), v.GetStringLength());
    }
    return out;
}

TEST_F(PlanImportAudit, TheFirstImportIsAuditedWithItsActorSourceAndEveryTask) {
    const Doc list = parse_json(host_.call("audit.list", "{\"user\":\"u-sigaiban-head\"}"));
    const auto entries = plan_entries(list);
    ASSERT_EQ(entries.size(), 1u) << dump(list);
    const Val& e = *entries[0];
    EXPECT_EQ(str(e, "action"), "plan_import");
    EXPECT_EQ(str(e, "actor"), kImporter);
    EXPECT_EQ(str(e, "role"), "reform_office");
    EXPECT_EQ(str(e, "task"), "");
    EXPECT_EQ(str(e, "at"), "2019-11-04T01:00:00.000Z");
    const Val& detail = at(e, "detail");
    EXPECT_EQ(str(detail, "source"), RL_SEED_PLAN);
    EXPECT_EQ(str(detail, "encoding"), "UTF-8");
    EXPECT_EQ(str(detail, "plan_key"), str(list, "plan"));
    EXPECT_EQ(str(detail, "file_sha256"), sha256_hex(rl::test::seed_plan_text()));
    EXPECT_EQ(str(detail, "content_sha256"),
              sql_rows(db_, "SELECT content_sha256 FROM plans").at(0).at(0));
    EXPECT_TRUE(at(detail, "created").GetBool());
    std::vector<std::string> all;
    for (int n = 1; n <= 45; ++n) {
        all.push_back(std::to_string(n));
    }
    EXPECT_EQ(strings(at(at(detail, "tasks"), "added")), all);
    EXPECT_TRUE(at(at(detail, "tasks"), "changed").Empty());
    EXPECT_TRUE(at(at(detail, "tasks"), "retired").Empty());
    EXPECT_TRUE(contains(str(e, "reason"), "45 added")) << str(e, "reason");
}

TEST_F(PlanImportAudit, AnUnchangedReimportWritesNoEntry) {
    const std::int64_t before = count(db_, "audit_log");
    const Doc again = parse_json(host_.call("plan.import", seed_import_request()));
    EXPECT_FALSE(at(again, "changed").GetBool());
    EXPECT_EQ(count(db_, "audit_log"), before);
}

TEST_F(PlanImportAudit, AChangedReimportRecordsWhoAndTheTasksAddedChangedAndRetired) {
    host_.set_clock(court_ms(2019, 11, 20, 15));
    const Doc result = parse_json(host_.call(
        "plan.import", Req().s("path", modified_plan_file()).s("actor", "service:oa-sync").str()));
    ASSERT_TRUE(at(result, "changed").GetBool());
    const Doc list = parse_json(host_.call("audit.list", "{\"user\":\"u-sigaiban-head\"}"));
    const auto entries = plan_entries(list);
    ASSERT_EQ(entries.size(), 2u) << dump(list);
    const Val& e = *entries[1];
    EXPECT_EQ(str(e, "action"), "plan_reimport");
    EXPECT_EQ(str(e, "actor"), "service:oa-sync");
    EXPECT_EQ(str(e, "role"), "service");
    const Val& tasks = at(at(e, "detail"), "tasks");
    EXPECT_EQ(strings(at(tasks, "added")), std::vector<std::string>{"46"});
    EXPECT_EQ(strings(at(tasks, "changed")), (std::vector<std::string>{"1", "3"}));
    EXPECT_EQ(strings(at(tasks, "retired")), std::vector<std::string>{"45"});
    EXPECT_FALSE(at(at(e, "detail"), "created").GetBool());
    EXPECT_EQ(str(at(e, "detail"), "file_sha256"),
              sha256_hex(rl::test::read_file(dir_.file("plan-v2.txt"))));
    // The result says the same.
    EXPECT_EQ(strings(at(result, "tasks_added")), std::vector<std::string>{"46"});
    EXPECT_EQ(strings(at(result, "tasks_changed")), (std::vector<std::string>{"1", "3"}));
    EXPECT_EQ(strings(at(result, "tasks_retired")), std::vector<std::string>{"45"});
    // In the chain like every other entry.
    const Doc verdict = parse_json(host_.call("audit.verify"));
    EXPECT_TRUE(at(verdict, "ok").GetBool()) << dump(verdict);
}

TEST_F(PlanImportAudit, AnImportNamingNoActorIsRefusedAndStoresNothing) {
    TempDir other;
    PluginHost host;
    host.set_clock(kNov8);
    host.load(RL_PLUGIN_PATH);
    host.create(rl::test::plugin_config(other.file("ledger.db")));
    for (const std::string& request :
         {Req().s("path", RL_SEED_PLAN).str(), Req().s("path", RL_SEED_PLAN).s("actor", "").str(),
          Req().s("path", RL_SEED_PLAN).s("actor", "u-nobody").str(),
          Req().s("path", RL_SEED_PLAN).s("actor", "service:").str()}) {
        try {
            host.call("plan.import", request);
            ADD_FAILURE() << "accepted: " << request;
        } catch (const PluginError& e) {
            EXPECT_EQ(e.status(), RL_ERR_INVALID_ARGUMENT) << request;
            EXPECT_TRUE(contains(e.what(), "actor")) << e.what();
        }
    }
    EXPECT_EQ(arr(parse_json(host.call("plan.list")), "plans").Size(), 0u);
    host.shutdown();
    EXPECT_EQ(count(other.file("ledger.db"), "audit_log"), 0);
}

// ------------------------------------------------------------ upgrading

// A ledger written by the plugin before the chain existed (schema version 3):
// `oa-stub demo` of that version, dumped as SQL.
class UpgradedLedger : public ::testing::Test {
protected:
    void SetUp() override {
        RL_SKIP_ON_POSTGRESQL(
            "the schema-3 ledger is a SQLite dump; no PostgreSQL ledger predates the audit chain "
            "(PostgreSQL came with schema 6)");
        db_ = dir_.file("old.db");
        sql_exec(db_, rl::test::read_file(std::string(RL_FIXTURES) + "/schema-3-demo-ledger.sql"));
        legacy_entries_ = count(db_, "audit_log");
        ASSERT_GE(legacy_entries_, 20);
        ASSERT_EQ(sql_rows(db_, "SELECT max(version) FROM schema_migrations").at(0).at(0), "3");
    }

    void open() {
        host_.set_clock(kNov8);
        host_.load(RL_PLUGIN_PATH);
        host_.create(rl::test::plugin_config(db_));
    }

    TempDir dir_;
    std::string db_;
    std::int64_t legacy_entries_ = 0;
    PluginHost host_;
};

TEST_F(UpgradedLedger, ItsEntriesAreChainedAtFirstOpenAndVerify) {
    open();
    const Doc verdict = parse_json(host_.call("audit.verify"));
    EXPECT_TRUE(at(verdict, "ok").GetBool()) << dump(verdict);
    EXPECT_EQ(at(verdict, "entries_checked").GetInt64(), legacy_entries_);
    EXPECT_EQ(at(verdict, "reports_checked").GetInt64(), count(db_, "reports"));
    EXPECT_EQ(count(db_, "audit_log", "hash = '' OR prev_hash = ''"), 0);
    // The versions the old entries produced are bound to them too.
    EXPECT_EQ(count(db_, "audit_log", "version_sha256 <> ''"), count(db_, "report_versions"));
    const auto rows = sql_rows(
        db_, "SELECT prev_hash, hash, " + entry_encoding_sql() + " FROM audit_log ORDER BY id");
    std::string previous = kGenesis;
    for (const auto& row : rows) {
        EXPECT_EQ(row.at(0), previous);
        EXPECT_EQ(row.at(1), sha256_hex(row.at(2)));
        previous = row.at(1);
    }
}

TEST_F(UpgradedLedger, NewEntriesContinueTheChainAndOldOnesStayProtected) {
    open();
    const Doc drafted = parse_json(
        host_.call("report.act", Req()
                                     .s("task", "33")
                                     .s("department", "刑庭")
                                     .s("period", "2019-10")
                                     .s("action", "save_draft")
                                     .s("actor", "u-xingting-contact")
                                     .i("version", 1)
                                     .raw("content", report_content("流程标准初稿已汇总。", 70))
                                     .str()));
    ASSERT_EQ(str(drafted, "outcome"), "ok") << str(drafted, "message");
    const Doc verdict = parse_json(host_.call("audit.verify"));
    EXPECT_TRUE(at(verdict, "ok").GetBool()) << dump(verdict);
    EXPECT_EQ(at(verdict, "entries_checked").GetInt64(), legacy_entries_ + 1);
    host_.shutdown();

    // An old entry rewritten after the upgrade is found like a new one.
    EXPECT_THROW(sql_rows(db_, "UPDATE audit_log SET reason = 'x' WHERE id = 3"),
                 std::runtime_error);
    drop_all_triggers(db_);
    sql_exec(db_, "UPDATE audit_log SET reason = 'x' WHERE id = 3");
    PluginHost auditor;
    auditor.load(RL_PLUGIN_PATH);
    auditor.create(rl::test::plugin_config(db_));
    const Doc broken = parse_json(auditor.call("audit.verify"));
    auditor.shutdown();
    EXPECT_FALSE(at(broken, "ok").GetBool()) << dump(broken);
    EXPECT_EQ(at(at(broken, "first_problem"), "audit_id").GetInt64(), 3) << dump(broken);
}

TEST_F(UpgradedLedger, ReopeningDoesNotChainAgain) {
    open();
    host_.shutdown();
    const std::string hashes =
        sql_rows(db_, "SELECT " + joined_sql("hash") + " FROM audit_log").at(0).at(0);
    // Someone blanks an entry's seal (behind the plugin's back) hoping the
    // next open re-chains it with their edit: it does not.
    drop_all_triggers(db_);
    sql_exec(db_, "UPDATE audit_log SET reason = 'x', hash = '' WHERE id = 3");
    PluginHost again;
    again.load(RL_PLUGIN_PATH);
    again.create(rl::test::plugin_config(db_));
    const Doc verdict = parse_json(again.call("audit.verify"));
    again.shutdown();
    EXPECT_FALSE(at(verdict, "ok").GetBool()) << dump(verdict);
    EXPECT_EQ(at(at(verdict, "first_problem"), "audit_id").GetInt64(), 3) << dump(verdict);
    EXPECT_NE(hashes, "");
}

}  // namespace
