// The oa-stub command line as a user runs it: the real executable, the real
// plugin, a real SQLite file in a temporary folder (never the default path).
#include <gtest/gtest.h>

// First: it makes rapidjson throw, and must precede any other rapidjson include.
#include "cli/oa_stub_helpers.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace {

using rl::test::CommandResult;
using rl::test::run_command;
using rl::test::shell_quote;
using rl::test::TempDir;
using rl::test::oa_stub::command_line;
using rl::test::oa_stub::describe;
using rl::test::oa_stub::OaStubFixture;
using rl::test::oa_stub::to_json;

bool parse_json(const std::string& text, rapidjson::Document& doc) {
    doc.Parse(text.data(), text.size());
    return !doc.HasParseError();
}

std::vector<std::string> strings_of(const rapidjson::Value& array) {
    std::vector<std::string> out;
    for (const auto& v : array.GetArray()) {
        out.push_back(v.GetString());
    }
    return out;
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos) {
        throw std::runtime_error("'" + from + "' not found");
    }
    return text.replace(at, from.size(), to);
}

// The task object numbered `number` in a plan.parse result, or nullptr.
const rapidjson::Value* parsed_task(const rapidjson::Document& doc, const std::string& number) {
    for (const auto& section : doc["sections"].GetArray()) {
        for (const auto& task : section["tasks"].GetArray()) {
            if (task["number"].GetString() == number) {
                return &task;
            }
        }
    }
    return nullptr;
}

// The ledger row numbered `number` in a ledger.tasks result, or nullptr.
const rapidjson::Value* ledger_row(const rapidjson::Document& doc, const std::string& number) {
    for (const auto& row : doc["tasks"].GetArray()) {
        if (row["number"].GetString() == number) {
            return &row;
        }
    }
    return nullptr;
}

bool contains(const std::vector<std::string>& list, const std::string& s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

// A ledger row names the department as lead or co, on the task or on an item.
bool row_names(const rapidjson::Value& row, const std::string& department) {
    if (contains(strings_of(row["lead"]), department) ||
        contains(strings_of(row["co"]), department)) {
        return true;
    }
    for (const auto& item : row["items"].GetArray()) {
        if (contains(strings_of(item["lead"]), department) ||
            contains(strings_of(item["co"]), department)) {
            return true;
        }
    }
    return false;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

class OaStub : public OaStubFixture {
protected:
    // Runs a --json command that must succeed and returns its parsed output.
    rapidjson::Document json(std::vector<std::string> args) {
        const CommandResult r = run(args);
        rapidjson::Document doc;
        EXPECT_EQ(r.status, 0) << describe(r);
        EXPECT_TRUE(parse_json(r.out, doc)) << "not JSON: " << describe(r);
        if (doc.HasParseError()) {
            doc.SetObject();
        }
        return doc;
    }
};

// ---------------------------------------------------------------- demo

TEST_F(OaStub, DemoExitsZeroAndReportsSeedCountsAndRegistrations) {
    const CommandResult r = run({"demo"});
    ASSERT_EQ(r.status, 0) << describe(r);
    for (const char* expected : {"45 tasks", "6 sections", "2 items", "46 responsibility lines",
                                 "2 forms", "2 workflows", "18 notification rules"}) {
        EXPECT_NE(r.out.find(expected), std::string::npos) << "missing '" << expected << "'\n"
                                                           << describe(r);
    }
    EXPECT_NE(r.out.find("imported"), std::string::npos) << describe(r);
    EXPECT_EQ(r.out.find("unchanged"), std::string::npos) << describe(r);
}

TEST_F(OaStub, DemoRunTwiceReportsUnchangedTheSecondTime) {
    const CommandResult first = run({"demo"});
    ASSERT_EQ(first.status, 0) << describe(first);
    const CommandResult second = run({"demo"});
    ASSERT_EQ(second.status, 0) << describe(second);
    EXPECT_NE(second.out.find("unchanged: 6 sections, 45 tasks"), std::string::npos)
        << describe(second);
    EXPECT_NE(second.out.find("rows added 0, updated 0, retired 0"), std::string::npos)
        << describe(second);
}

// ---------------------------------------------------- registrations

struct RegistrationCase {
    const char* command;
    rapidjson::SizeType count;
};

class OaStubRegistrations : public OaStub,
                            public ::testing::WithParamInterface<RegistrationCase> {};

TEST_P(OaStubRegistrations, JsonListsExpectedNumberOfObjectsWithIdAndVersion) {
    const auto& param = GetParam();
    const rapidjson::Document doc = json({param.command, "--json"});
    ASSERT_TRUE(doc.IsArray()) << to_json(doc);
    ASSERT_EQ(doc.Size(), param.count) << to_json(doc);
    std::set<std::string> ids;
    for (const auto& r : doc.GetArray()) {
        ASSERT_TRUE(r.IsObject());
        ASSERT_TRUE(r.HasMember("id") && r["id"].IsString()) << to_json(r);
        EXPECT_GT(r["id"].GetStringLength(), 0u);
        ASSERT_TRUE(r.HasMember("version") && r["version"].IsInt()) << to_json(r);
        EXPECT_GE(r["version"].GetInt(), 1);
        ids.insert(r["id"].GetString());
    }
    EXPECT_EQ(ids.size(), param.count) << "ids must be distinct";
}

TEST_P(OaStubRegistrations, HumanTableContainsEveryId) {
    const auto& param = GetParam();
    const rapidjson::Document doc = json({param.command, "--json"});
    ASSERT_TRUE(doc.IsArray());
    const CommandResult r = run({param.command});
    ASSERT_EQ(r.status, 0) << describe(r);
    const auto lines = lines_of(r.out);
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines[0].rfind("id", 0), 0u) << "header line first: " << r.out;
    EXPECT_NE(lines[0].find("version"), std::string::npos) << r.out;
    EXPECT_EQ(lines.size(), doc.Size() + 2) << "header, rule, one line per registration\n" << r.out;
    for (const auto& reg : doc.GetArray()) {
        EXPECT_NE(r.out.find(reg["id"].GetString()), std::string::npos)
            << reg["id"].GetString() << " missing from\n"
            << r.out;
    }
    rapidjson::Document parsed;
    EXPECT_FALSE(parse_json(r.out, parsed) && parsed.IsArray()) << "human output must not be JSON";
}

INSTANTIATE_TEST_SUITE_P(Kinds, OaStubRegistrations,
                         ::testing::Values(RegistrationCase{"forms", 2},
                                           RegistrationCase{"workflows", 2},
                                           RegistrationCase{"rules", 18}),
                         [](const auto& info) { return std::string(info.param.command); });

// -------------------------------------------------------- plan parse

// Opening a ledger that exists already says nothing on stderr (a host's
// stderr is its own): on PostgreSQL the server's NOTICEs ("schema … already
// exists, skipping") used to be printed there by libpq at every open.
TEST_F(OaStub, ReopeningALedgerWritesNothingToStderr) {
    for (int round = 1; round <= 2; ++round) {
        const CommandResult r = run({"info"});
        ASSERT_EQ(r.status, 0) << describe(r);
        EXPECT_EQ(r.err, "") << "round " << round << "\n" << describe(r);
    }
}

TEST_F(OaStub, PlanParseJsonHasExactlySectionsAndWarnings) {
    const rapidjson::Document doc = json({"plan", "parse", RL_SEED_PLAN, "--json"});
    ASSERT_TRUE(doc.IsObject());
    std::set<std::string> keys;
    for (const auto& m : doc.GetObject()) {
        keys.insert(m.name.GetString());
    }
    EXPECT_EQ(keys, (std::set<std::string>{"title", "format", "encoding", "year", "tasks_count",
                                           "items_count", "sections", "closing",
                                           "unknown_departments", "warnings"}))
        << to_json(doc).substr(0, 300);
    EXPECT_STREQ(doc["format"].GetString(), "text");
    EXPECT_EQ(doc["tasks_count"].GetInt(), 45);
    ASSERT_TRUE(doc.HasMember("sections") && doc["sections"].IsArray());
    ASSERT_TRUE(doc.HasMember("warnings") && doc["warnings"].IsArray());
    for (const auto& w : doc["warnings"].GetArray()) {
        EXPECT_TRUE(w.IsString());
    }
}

TEST_F(OaStub, PlanParseSeedHasSixSectionsAnd45Tasks) {
    const rapidjson::Document doc = json({"plan", "parse", RL_SEED_PLAN, "--json"});
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("sections"));
    const auto& sections = doc["sections"];
    ASSERT_EQ(sections.Size(), 6u);
    EXPECT_STREQ(sections[0]["number"].GetString(), "一");
    EXPECT_STREQ(sections[0]["title"].GetString(), "推进司法责任制");
    EXPECT_STREQ(sections[5]["number"].GetString(), "六");
    EXPECT_STREQ(sections[5]["title"].GetString(), "深化司法公开");
    std::vector<std::string> numbers;
    for (const auto& s : sections.GetArray()) {
        for (const auto& t : s["tasks"].GetArray()) {
            numbers.push_back(t["number"].GetString());
        }
    }
    ASSERT_EQ(numbers.size(), 45u);
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        EXPECT_EQ(numbers[i], std::to_string(i + 1)) << "tasks in document order";
    }
}

TEST_F(OaStub, PlanParseTask1HasTitleLeadDepartmentAndNoItems) {
    const rapidjson::Document doc = json({"plan", "parse", RL_SEED_PLAN, "--json"});
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("sections"));
    const rapidjson::Value* task = parsed_task(doc, "1");
    ASSERT_NE(task, nullptr);
    EXPECT_STREQ((*task)["title"].GetString(), "加强审判团队建设");
    EXPECT_EQ(to_json((*task)["departments"]),
              R"([{"name":"干部科","role":"lead","source":"责任部门：干部科"}])");
    EXPECT_STREQ((*task)["where"].GetString(), "line 28");
    ASSERT_TRUE((*task)["items"].IsArray());
    EXPECT_EQ((*task)["items"].Size(), 0u);
}

TEST_F(OaStub, PlanParseTask14HasTwoItems) {
    const rapidjson::Document doc = json({"plan", "parse", RL_SEED_PLAN, "--json"});
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("sections"));
    const rapidjson::Value* task = parsed_task(doc, "14");
    ASSERT_NE(task, nullptr);
    EXPECT_STREQ((*task)["title"].GetString(), "加强法官助理、书记员的配备和培养");
    ASSERT_EQ((*task)["items"].Size(), 2u);
    EXPECT_STREQ((*task)["items"][0]["number"].GetString(), "1");
    EXPECT_STREQ((*task)["items"][1]["number"].GetString(), "2");
    for (const auto& item : (*task)["items"].GetArray()) {
        EXPECT_EQ(to_json(item["departments"]),
                  R"([{"name":"干部科","role":"lead","source":"责任部门：干部科"}])");
    }
}

TEST_F(OaStub, PlanParseKeepsDepartmentNamesAsWritten) {
    const rapidjson::Document doc = json({"plan", "parse", RL_SEED_PLAN, "--json"});
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("sections"));
    const rapidjson::Value* task = parsed_task(doc, "5");
    ASSERT_NE(task, nullptr);
    std::vector<std::string> names;
    for (const auto& d : (*task)["departments"].GetArray()) {
        names.push_back(d["name"].GetString());
    }
    EXPECT_EQ(names, (std::vector<std::string>{"研究室", "技术科", "各审判执行部门"}))
        << "the group name is not expanded by plan parse";
}

TEST_F(OaStub, PlanParseStoresNothing) {
    // Named database: not created.
    const CommandResult r = run({"plan", "parse", RL_SEED_PLAN, "--json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    if (rl::test::on_postgresql()) {  // nor its schema
        EXPECT_EQ(rl::test::sql_rows(db_, "SELECT count(*) FROM pg_namespace WHERE nspname = '" +
                                              rl::test::postgres_schema(db_) + "'")
                      .at(0)
                      .at(0),
                  "0")
            << "plan parse created the schema of " << db_;
    } else {
        EXPECT_FALSE(std::filesystem::exists(db_)) << "plan parse created " << db_;
    }
    // No --db: nothing appears in the working directory (the default
    // database.path of the demo configuration is relative to it).
    const std::string cwd = dir_.file("cwd");
    std::filesystem::create_directory(cwd);
    const CommandResult here = run_command("cd " + shell_quote(cwd) + " && " +
                                           command_line({"plan", "parse", RL_SEED_PLAN}));
    ASSERT_EQ(here.status, 0) << describe(here);
    EXPECT_TRUE(std::filesystem::is_empty(cwd)) << "plan parse left files in its directory";
    // An existing ledger is neither opened nor changed.
    import_seed();
    const auto ledger = [&] {  // the file's bytes; on PostgreSQL what its tables hold
        if (!rl::test::on_postgresql()) {
            return rl::test::read_file(db_);
        }
        std::string state;
        for (const char* table : {"plans", "tasks", "assignments", "obligations", "reports",
                                  "audit_log", "notifications", "schema_migrations"}) {
            state += rl::test::sql_rows(db_, std::string("SELECT count(*) FROM ") + table, true)
                         .at(0)
                         .at(0) +
                     "/";
        }
        return state;
    };
    const std::string before = ledger();
    ASSERT_EQ(run({"plan", "parse", RL_SEED_PLAN}).status, 0);
    EXPECT_EQ(ledger(), before);
}

TEST_F(OaStub, PlanParseHumanOutputListsSectionsAndTasks) {
    const CommandResult r = run({"plan", "parse", RL_SEED_PLAN});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_NE(r.out.find("延吉市法院司法改革工作要点及分工方案\n  text, year 2019; 6 sections, 45 "
                         "tasks, 2 items"),
              std::string::npos)
        << describe(r);
    EXPECT_NE(r.out.find("一、推进司法责任制"), std::string::npos) << describe(r);
    // One row per task: number, title, leads, co-operating units, deadline, where.
    const auto row_of = [&](const std::string& start) {
        const auto at = r.out.find("\n" + start);
        return at == std::string::npos ? std::string()
                                       : r.out.substr(at + 1, r.out.find('\n', at + 1) - at - 1);
    };
    const std::string task1 = row_of("1 ");
    EXPECT_NE(task1.find("加强审判团队建设"), std::string::npos) << task1;
    EXPECT_NE(task1.find("干部科"), std::string::npos) << task1;
    EXPECT_NE(task1.find("line 28"), std::string::npos) << task1;
    const std::string task33 = row_of("33 ");
    EXPECT_NE(task33.find("刑庭 "), std::string::npos) << task33;
    EXPECT_NE(task33.find("民庭、行政庭（综合审判庭）、执行指挥中心"), std::string::npos) << task33;
    EXPECT_NE(row_of("  (1)").find("干部科"), std::string::npos) << "task 14's items";
    EXPECT_NE(r.out.find("\n45 "), std::string::npos) << describe(r);
}

TEST_F(OaStub, PlanParseHumanOutputShowsDeadlinesAndTheWordFilesWhere) {
    const CommandResult r =
        run({"plan", "parse", std::string(RL_FIXTURES) + "/plans/division-table.xlsx"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_NE(r.out.find("xlsx, year 2020"), std::string::npos) << describe(r);
    EXPECT_NE(r.out.find("2020-06-30 2020年6月底前"), std::string::npos) << describe(r);
    EXPECT_NE(r.out.find("— 长期坚持"), std::string::npos) << "a deadline without a date";
    EXPECT_NE(r.out.find("sheet '分工表' row 4"), std::string::npos) << describe(r);
}

TEST_F(OaStub, APdfPlanIsRefusedWithAdviceAndAWordTableImports) {
    const std::string pdf = dir_.file("方案.pdf");
    rl::test::write_file(pdf, "%PDF-1.4\n%%EOF\n");
    const CommandResult refused = run({"plan", "import", pdf, "--user", "u-sigaiban-contact"});
    EXPECT_EQ(refused.status, 1) << describe(refused);
    EXPECT_NE(refused.err.find("PDF"), std::string::npos) << describe(refused);
    EXPECT_NE(refused.err.find(".docx"), std::string::npos) << "says what to save it as";
    const CommandResult imported =
        run({"plan", "import", std::string(RL_FIXTURES) + "/plans/division-table.docx", "--user",
             "u-sigaiban-contact", "--accept-unknown"});
    ASSERT_EQ(imported.status, 0) << describe(imported);
    const CommandResult ledger = run({"ledger"});
    ASSERT_EQ(ledger.status, 0) << describe(ledger);
    EXPECT_NE(ledger.out.find("时限 deadline"), std::string::npos) << describe(ledger);
}

// ------------------------------------------------- import and ledger

TEST_F(OaStub, ImportThenLedgerHas45TaskRows) {
    import_seed();
    const rapidjson::Document doc = json({"ledger", "--json"});
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("tasks")) << to_json(doc);
    EXPECT_EQ(doc["tasks"].Size(), 45u);
    EXPECT_TRUE(doc["department"].IsNull());
    EXPECT_STREQ(doc["plan"]["title"].GetString(), "延吉市法院司法改革工作要点及分工方案");
}

TEST_F(OaStub, LedgerTask33FirstListedLeadsTheOthersCoOperate) {
    import_seed();
    const rapidjson::Document doc = json({"ledger", "--json"});
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("tasks"));
    const rapidjson::Value* row = ledger_row(doc, "33");
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(strings_of((*row)["lead"]), (std::vector<std::string>{"刑庭"}));
    EXPECT_EQ(strings_of((*row)["co"]),
              (std::vector<std::string>{"民庭", "行政庭（综合审判庭）", "执行指挥中心", "立案庭",
                                        "技术科"}));
}

TEST_F(OaStub, LedgerTask24LedByChaoyangchuanCourt) {
    import_seed();
    const rapidjson::Document doc = json({"ledger", "--json"});
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("tasks"));
    const rapidjson::Value* row = ledger_row(doc, "24");
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(strings_of((*row)["lead"]), (std::vector<std::string>{"朝阳川法庭"}));
    EXPECT_EQ(strings_of((*row)["co"]),
              (std::vector<std::string>{"办公室", "干部科", "审管办", "技术科"}));
}

TEST_F(OaStub, LedgerDepartmentFilterReturnsExactlyTheRowsNamingIt) {
    import_seed();
    const rapidjson::Document all = json({"ledger", "--json"});
    const rapidjson::Document filtered = json({"ledger", "--department", "技术科", "--json"});
    ASSERT_TRUE(all.IsObject() && all.HasMember("tasks"));
    ASSERT_TRUE(filtered.IsObject() && filtered.HasMember("tasks")) << to_json(filtered);
    std::vector<std::string> expected;
    for (const auto& row : all["tasks"].GetArray()) {
        if (row_names(row, "技术科")) {
            expected.push_back(row["number"].GetString());
        }
    }
    std::vector<std::string> got;
    for (const auto& row : filtered["tasks"].GetArray()) {
        EXPECT_TRUE(row_names(row, "技术科")) << to_json(row);
        got.push_back(row["number"].GetString());
    }
    EXPECT_GT(expected.size(), 0u);
    EXPECT_EQ(got.size(), expected.size());
    EXPECT_EQ(got, expected);
    EXPECT_STREQ(filtered["department"].GetString(), "技术科");
}

TEST_F(OaStub, LedgerDepartmentAliasGivesSameRowsAsCanonicalName) {
    import_seed();
    const rapidjson::Document canonical = json({"ledger", "--department", "技术科", "--json"});
    const rapidjson::Document alias = json({"ledger", "--department", "信息技术科", "--json"});
    ASSERT_TRUE(canonical.IsObject() && canonical.HasMember("tasks"));
    ASSERT_TRUE(alias.IsObject() && alias.HasMember("tasks")) << to_json(alias);
    EXPECT_GT(canonical["tasks"].Size(), 0u);
    EXPECT_EQ(to_json(alias["tasks"]), to_json(canonical["tasks"]));
    EXPECT_STREQ(alias["department"].GetString(), "技术科");
}

TEST_F(OaStub, LedgerUnknownDepartmentExits1NamingIt) {
    import_seed();
    const CommandResult r = run({"ledger", "--department", "火星庭", "--json"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_NE(r.err.find("火星庭"), std::string::npos) << describe(r);
    EXPECT_TRUE(r.out.empty()) << describe(r);
}

TEST_F(OaStub, LedgerHumanOutputHasHeaderAnd45Rows) {
    import_seed();
    const CommandResult r = run({"ledger"});
    ASSERT_EQ(r.status, 0) << describe(r);
    const auto lines = lines_of(r.out);
    const auto header = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
        return l.rfind("No.", 0) == 0 && l.find("牵头部门 lead") != std::string::npos &&
               l.find("配合部门 co-operating") != std::string::npos;
    });
    ASSERT_NE(header, lines.end()) << r.out;
    std::vector<std::string> numbers;
    for (auto it = header + 1; it != lines.end(); ++it) {
        const auto end = it->find_first_not_of("0123456789");
        if (end != 0 && end != std::string::npos && (*it)[end] == ' ') {
            numbers.push_back(it->substr(0, end));
        }
    }
    ASSERT_EQ(numbers.size(), 45u) << r.out;
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        EXPECT_EQ(numbers[i], std::to_string(i + 1));
    }
    EXPECT_NE(r.out.find("(45 tasks"), std::string::npos) << r.out;
    const auto row33 = std::find_if(lines.begin(), lines.end(),
                                    [](const std::string& l) { return l.rfind("33 ", 0) == 0; });
    ASSERT_NE(row33, lines.end());
    EXPECT_NE(row33->find("刑庭"), std::string::npos) << *row33;
    EXPECT_NE(row33->find("民庭、行政庭（综合审判庭）、执行指挥中心、立案庭、技术科"),
              std::string::npos)
        << *row33;
}

TEST_F(OaStub, ImportingTwiceReportsUnchangedAndLeavesSummaryIdentical) {
    import_seed();
    const CommandResult before = run({"summary", "--json"});
    const CommandResult list_before = run({"plan", "list", "--json"});
    ASSERT_EQ(before.status, 0) << describe(before);
    const CommandResult second =
        run({"plan", "import", "--user", "u-sigaiban-contact", RL_SEED_PLAN});
    ASSERT_EQ(second.status, 0) << describe(second);
    EXPECT_NE(second.out.find("unchanged"), std::string::npos) << describe(second);
    EXPECT_NE(second.out.find("rows added 0, updated 0, retired 0"), std::string::npos)
        << describe(second);
    const CommandResult after = run({"summary", "--json"});
    const CommandResult list_after = run({"plan", "list", "--json"});
    EXPECT_EQ(after.out, before.out);
    EXPECT_EQ(list_after.out, list_before.out);
}

TEST_F(OaStub, ImportingTwiceJsonSaysNotCreatedNotChanged) {
    const rapidjson::Document first =
        json({"plan", "import", "--user", "u-sigaiban-contact", RL_SEED_PLAN, "--json"});
    const rapidjson::Document second =
        json({"plan", "import", "--user", "u-sigaiban-contact", RL_SEED_PLAN, "--json"});
    ASSERT_TRUE(first.IsObject() && first.HasMember("created")) << to_json(first);
    ASSERT_TRUE(second.IsObject() && second.HasMember("created")) << to_json(second);
    EXPECT_TRUE(first["created"].GetBool());
    EXPECT_EQ(first["tasks"].GetInt(), 45);
    EXPECT_EQ(first["responsibility_lines"].GetUint64(), 46u);
    EXPECT_FALSE(second["created"].GetBool());
    EXPECT_FALSE(second["changed"].GetBool());
    EXPECT_EQ(second["rows_added"].GetInt(), 0);
    EXPECT_EQ(second["rows_updated"].GetInt(), 0);
    EXPECT_EQ(second["rows_retired"].GetInt(), 0);
}

// ------------------------------------------------------- info, env

TEST_F(OaStub, InfoJsonGivesTheLatestSchemaVersionAndTheDbPathGiven) {
    const rapidjson::Document doc = json({"info", "--json"});
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("database")) << to_json(doc);
    EXPECT_EQ(doc["database"]["schema_version"].GetInt(), 13);
    EXPECT_STREQ(doc["name"].GetString(), "reform-ledger");
    if (rl::test::on_postgresql()) {  // the server and the schema db_ stands for
        EXPECT_NE(std::string(doc["database"]["path"].GetString())
                      .find("(schema " + rl::test::postgres_schema(db_) + ")"),
                  std::string::npos)
            << to_json(doc);
        return;
    }
    EXPECT_EQ(std::string(doc["database"]["path"].GetString()), db_);
    EXPECT_TRUE(std::filesystem::exists(db_));
}

TEST(OaStubEnvironment, ReformLedgerDbIsHonouredWhenDbOptionIsAbsent) {
    TempDir dir;
    const std::string db = dir.file("from-env.db");
    const CommandResult r = run_command("cd " + shell_quote(dir.path()) +
                                        " && env -u REFORM_LEDGER_CONFIG -u REFORM_LEDGER_PLUGIN " +
                                        "REFORM_LEDGER_DB=" + shell_quote(db) + " " +
                                        shell_quote(RL_OA_STUB) + " info --json");
    ASSERT_EQ(r.status, 0) << describe(r);
    rapidjson::Document doc;
    ASSERT_TRUE(parse_json(r.out, doc)) << describe(r);
    EXPECT_EQ(std::string(doc["database"]["path"].GetString()), db);
    EXPECT_TRUE(std::filesystem::exists(db));
    EXPECT_FALSE(std::filesystem::exists(dir.file("reform_ledger.db")))
        << "the default database must not be used";
}

TEST(OaStubEnvironment, DbOptionWinsOverReformLedgerDb) {
    TempDir dir;
    const std::string env_db = dir.file("from-env.db");
    const std::string opt_db = dir.file("from-option.db");
    const CommandResult r =
        run_command("cd " + shell_quote(dir.path()) +
                    " && env -u REFORM_LEDGER_CONFIG -u REFORM_LEDGER_PLUGIN " +
                    "REFORM_LEDGER_DB=" + shell_quote(env_db) + " " + shell_quote(RL_OA_STUB) +
                    " --db " + shell_quote(opt_db) + " info --json");
    ASSERT_EQ(r.status, 0) << describe(r);
    rapidjson::Document doc;
    ASSERT_TRUE(parse_json(r.out, doc)) << describe(r);
    EXPECT_EQ(std::string(doc["database"]["path"].GetString()), opt_db);
    EXPECT_FALSE(std::filesystem::exists(env_db));
}

// ------------------------------------------------------ custom config

// A config file whose "org_chart" names a file beside it, with one extra
// department 新设庭; the plan gives task 10 to 新设庭. The command runs from
// another folder holding a decoy chart.json (the unmodified demo chart), so
// only resolution relative to the config file lets the import succeed.
class OaStubCustomConfig : public OaStub {
protected:
    void SetUp() override {
        std::filesystem::create_directories(dir_.file("conf"));
        std::filesystem::create_directories(dir_.file("cwd"));
        rapidjson::Document chart;
        ASSERT_TRUE(parse_json(rl::test::demo_org_chart_json(), chart));
        rapidjson::Value dept(rapidjson::kObjectType);
        dept.AddMember("name", rapidjson::Value("新设庭", chart.GetAllocator()),
                       chart.GetAllocator());
        chart["departments"].PushBack(dept, chart.GetAllocator());
        rl::test::write_file(dir_.file("conf/chart.json"), to_json(chart));
        rl::test::write_file(dir_.file("cwd/chart.json"), rl::test::demo_org_chart_json());
        rl::test::write_file(
            dir_.file("conf/config.json"),
            R"({"org_chart":"chart.json","options":{"lead_rule":"first_listed"}})");
        rl::test::write_file(
            dir_.file("plan.txt"),
            replace_once(rl::test::seed_plan_text(), "责任部门：监察室\n", "责任部门：新设庭\n"));
    }

    CommandResult run_in_cwd(const std::string& config, std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db_, "--config", config});
        return run_command("cd " + shell_quote(dir_.file("cwd")) + " && " + command_line(args));
    }
};

TEST_F(OaStubCustomConfig, RelativeOrgChartResolvesBesideAbsoluteConfigFile) {
    const CommandResult r =
        run_in_cwd(dir_.file("conf/config.json"),
                   {"plan", "import", "--user", "u-sigaiban-contact", dir_.file("plan.txt")});
    ASSERT_EQ(r.status, 0) << describe(r);
    const CommandResult s = run_in_cwd(dir_.file("conf/config.json"), {"summary", "--json"});
    ASSERT_EQ(s.status, 0) << describe(s);
    rapidjson::Document summary;
    ASSERT_TRUE(parse_json(s.out, summary)) << describe(s);
    ASSERT_TRUE(summary.IsObject() && summary.HasMember("departments"));
    bool found = false;
    for (const auto& d : summary["departments"].GetArray()) {
        if (std::string(d["name"].GetString()) == "新设庭") {
            found = true;
            EXPECT_TRUE(d["in_org_chart"].GetBool());
        }
    }
    EXPECT_TRUE(found) << to_json(summary);
}

TEST_F(OaStubCustomConfig, RelativeOrgChartResolvesBesideRelativeConfigFile) {
    // From cwd/, "../conf/config.json" names the config; its chart is ../conf/chart.json.
    const CommandResult r = run_in_cwd(
        "../conf/config.json",
        {"plan", "import", "--user", "u-sigaiban-contact", dir_.file("plan.txt"), "--json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    rapidjson::Document doc;
    ASSERT_TRUE(parse_json(r.out, doc)) << describe(r);
    EXPECT_EQ(doc["tasks"].GetInt(), 45);
    EXPECT_EQ(to_json(doc["warnings"]), "[]") << "新设庭 is in the custom org chart";
}

TEST_F(OaStubCustomConfig, DecoyChartInWorkingDirectoryIsNotUsed) {
    // Sanity check of the fixture: with the demo chart the plan is refused.
    const CommandResult r =
        run({"plan", "import", "--user", "u-sigaiban-contact", dir_.file("plan.txt")});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_NE(r.err.find("新设庭"), std::string::npos) << describe(r);
}

}  // namespace
