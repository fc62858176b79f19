// Word and Excel plans through the ABI, as an OA hands them over: by path or
// as content_base64. A readable file imports with its deadlines and shows
// them in the ledger; the seed in Word imports as the seed; every file no
// reader takes — or a damaged one — is RL_ERR_INPUT with a message that names
// the file and says what to do, and nothing is stored.
#include <gtest/gtest.h>

#include <Poco/Base64Encoder.h>

#include <sstream>
#include <string>
#include <vector>

#include "abi/abi_test_helpers.h"
#include "plugin_host.h"
#include "support/test_support.h"

namespace {

using namespace rl::test::abi;
using oa_stub::PluginHost;
using rl::test::TempDir;

const std::string kPlans = std::string(RL_FIXTURES) + "/plans/";

std::string base64_of(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

class PlanFiles : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = dir_.file("ledger.db");
        host_.set_clock(court_ms(2020, 3, 2));
        host_.load(RL_PLUGIN_PATH);
        host_.create(rl::test::plugin_config(db_));
    }

    int plans_stored() {
        return std::stoi(rl::test::sql_rows(db_, "SELECT COUNT(*) FROM plans", true)[0][0]);
    }

    TempDir dir_;
    std::string db_;
    PluginHost host_;
};

}  // namespace

TEST_F(PlanFiles, AnExcelDivisionTableImportsWithItsDeadlinesAndTheLedgerShowsThem) {
    const Doc imported =
        parse_json(host_.call("plan.import", Req()
                                                 .s("path", kPlans + "division-table.xlsx")
                                                 .s("actor", kImporter)
                                                 .raw("accept_unknown_departments", "true")
                                                 .str()));
    EXPECT_TRUE(at(imported, "created").GetBool());
    EXPECT_EQ(num(imported, "tasks"), 4);
    EXPECT_EQ(rl::test::sql_rows(db_, "SELECT source_format FROM plans", true)[0][0], "xlsx");

    const Doc ledger = parse_json(host_.call("ledger.tasks", "{}"));
    const auto& tasks = arr(ledger, "tasks");
    ASSERT_EQ(tasks.Size(), 4u);
    EXPECT_EQ(str(at(tasks[0], "deadline"), "due"), "2020-06-30");
    EXPECT_EQ(str(at(tasks[0], "deadline"), "text"), "2020年6月底前");
    EXPECT_EQ(str(tasks[0], "where"), "sheet '分工表' row 4");
    EXPECT_TRUE(at(at(tasks[2], "deadline"), "due").IsNull()) << "长期坚持 has no date";
    EXPECT_EQ(str(at(tasks[2], "deadline"), "text"), "长期坚持");
    EXPECT_EQ(str(tasks[3], "section"), "二");
}

TEST_F(PlanFiles, AWordPlanGivenAsContentImportsAndTheSeedInWordIsTheSeed) {
    const std::string bytes = rl::test::read_file(kPlans + "yanji-2019-bold-leads.docx");
    const Doc imported =
        parse_json(host_.call("plan.import", Req()
                                                 .s("content_base64", base64_of(bytes))
                                                 .s("source_name", "延吉2019分工方案.docx")
                                                 .s("actor", kImporter)
                                                 .str()));
    EXPECT_EQ(num(imported, "tasks"), 45);
    EXPECT_EQ(num(imported, "items"), 2);
    EXPECT_EQ(num(imported, "assignments"), 148) << "the same assignments as the text seed";
    const Doc ledger = parse_json(host_.call("ledger.tasks", "{}"));
    for (const auto& task : arr(ledger, "tasks").GetArray()) {
        if (str(task, "number") == "33") {
            EXPECT_EQ(dump(at(task, "lead")), R"(["刑庭"])") << "the bold name leads";
        }
    }
    // The same file again changes nothing.
    const Doc again =
        parse_json(host_.call("plan.import", Req()
                                                 .s("content_base64", base64_of(bytes))
                                                 .s("source_name", "延吉2019分工方案.docx")
                                                 .s("actor", kImporter)
                                                 .str()));
    EXPECT_FALSE(at(again, "changed").GetBool());
}

TEST_F(PlanFiles, FilesNoReaderTakesAndDamagedFilesAreRefusedNamingThemAndStoreNothing) {
    const std::string pdf = dir_.file("plan.pdf");
    rl::test::write_file(pdf, "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
    const std::string doc = dir_.file("plan.doc");
    rl::test::write_file(
        doc, std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(4096, '\0'));
    struct Case {
        std::string path;
        std::string says;
    };
    const std::vector<Case> cases = {
        {pdf, "PDF"},
        {doc, ".docx"},
        {kPlans + "encrypted.docx", "password"},
        {kPlans + "corrupt.docx", "damaged"},
        {kPlans + "zip-bomb.docx", "bytes"},
        {kPlans + "no-body.docx", "without a body"},
        {kPlans + "unnamed-entry.docx", "has no name"},
        {kPlans + "no-sheets.xlsx", "without sheets"},
        {kPlans + "corrupt.xlsx", "damaged"},
        {kPlans + "huge-dimension.xlsx", "XFD1048576"},
        {kPlans + "bomb.xlsx", "bytes"},
    };
    for (const auto& c : cases) {
        for (const char* method : {"plan.parse", "plan.import"}) {
            std::string message;
            EXPECT_EQ(status_of(
                          [&] {
                              Req request;
                              request.s("path", c.path);
                              if (std::string(method) == "plan.import") {
                                  request.s("actor", kImporter);
                              }
                              host_.call(method, request.str());
                          },
                          &message),
                      RL_ERR_INPUT)
                << method << " " << c.path;
            EXPECT_TRUE(contains(message, c.path)) << message;
            EXPECT_TRUE(contains(message, c.says)) << c.path << ": " << message;
        }
    }
    EXPECT_EQ(plans_stored(), 0);
    EXPECT_EQ(rl::test::sql_rows(db_, "SELECT COUNT(*) FROM tasks", true)[0][0], "0");
}

TEST_F(PlanFiles, APlanThatAssignsNobodyYetImportsWithAWarningForEachTask) {
    const Doc parsed =
        parse_json(host_.call("plan.parse", Req().s("path", kPlans + "no-units.txt").str()));
    const int tasks = num(parsed, "tasks_count");
    ASSERT_GT(tasks, 0);
    const Doc imported = parse_json(host_.call(
        "plan.import", Req().s("path", kPlans + "no-units.txt").s("actor", kImporter).str()));
    EXPECT_TRUE(at(imported, "created").GetBool());
    EXPECT_EQ(num(imported, "tasks"), tasks);
    EXPECT_EQ(num(imported, "assignments"), 0);
    int unassigned = 0;
    for (const auto& w : arr(imported, "warnings").GetArray()) {
        unassigned += contains(w.GetString(), "nobody") ? 1 : 0;
    }
    EXPECT_EQ(unassigned, tasks) << dump(at(imported, "warnings"));
    // Nothing is owed until the reform office assigns the tasks.
    const Doc owed = parse_json(host_.call(
        "obligations.list", Req().s("user", "u-sigaiban-head").s("period", "2020-03").str()));
    EXPECT_EQ(arr(owed, "obligations").Size(), 0u) << dump(owed);
}
