// What oa-stub prints for a person is what the plugin answered: the
// human-readable output of `supervise issue`, `supervise list` and
// `plan list` matches the same commands' --json. Each of these once read its
// values through a reference into a JSON document that had already been
// destroyed; oa-stub runs here with glibc's MALLOC_PERTURB_ so freed memory
// is overwritten at once and such a read prints garbage (under
// AddressSanitizer it is reported as a use after free).
#include <gtest/gtest.h>

// First: it makes rapidjson throw, and must precede any other rapidjson include.
#include "cli/oa_stub_helpers.h"

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "support/test_support.h"

namespace {

using rl::test::CommandResult;
using rl::test::oa_stub::command_line;
using rl::test::oa_stub::describe;
using rl::test::oa_stub::OaStubFixture;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

rapidjson::Document json_of(const CommandResult& r) {
    rapidjson::Document doc;
    doc.Parse(r.out.data(), r.out.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        throw std::runtime_error("stdout is not a JSON object:\n" + describe(r));
    }
    return doc;
}

class PrintedResults : public OaStubFixture {
protected:
    // oa-stub --db DB ARGS… with freed heap memory overwritten (0xa5).
    CommandResult perturbed(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db_});
        return rl::test::run_command("MALLOC_PERTURB_=165 " + command_line(args));
    }

    CommandResult issue_notice() {
        return perturbed({"supervise", "issue", "--task", "33", "--department", "刑庭", "--user",
                          "u-sigaiban-head", "--note", "请说明2019年10月工作进展报告逾期原因。",
                          "--now", "2019-11-08T09:00"});
    }
};

TEST_F(PrintedResults, SuperviseIssuePrintsTheNumberAndDueDateThatSuperviseListShows) {
    import_seed();
    const CommandResult issued = issue_notice();
    ASSERT_EQ(issued.status, 0) << describe(issued);

    const CommandResult listed = run({"supervise", "list", "--json", "--now", "2019-11-08T09:00"});
    ASSERT_EQ(listed.status, 0) << describe(listed);
    const auto doc = json_of(listed);
    ASSERT_EQ(doc["notices"].Size(), 1u) << listed.out;
    const auto& notice = doc["notices"][0];
    const std::string expected = std::string("Issued ") + notice["number"].GetString() + " to " +
                                 notice["department"].GetString() + ", answer due " +
                                 notice["due_date"].GetString() + "\n";
    EXPECT_EQ(issued.out, expected) << describe(issued);
}

TEST_F(PrintedResults, SuperviseListTablePrintsEachNoticeAsTheJsonHasIt) {
    import_seed();
    const CommandResult issued =
        run({"supervise", "issue", "--task", "33", "--department", "刑庭", "--user",
             "u-sigaiban-head", "--note", "请说明2019年10月工作进展报告逾期原因。", "--now",
             "2019-11-08T09:00", "--json"});
    ASSERT_EQ(issued.status, 0) << describe(issued);

    const CommandResult table = perturbed({"supervise", "list", "--now", "2019-11-08T09:00"});
    ASSERT_EQ(table.status, 0) << describe(table);
    const auto doc = json_of(run({"supervise", "list", "--json", "--now", "2019-11-08T09:00"}));
    ASSERT_EQ(doc["notices"].Size(), 1u);
    const auto& notice = doc["notices"][0];
    for (const char* key : {"number", "task", "department", "due_date", "status"}) {
        EXPECT_TRUE(contains(table.out, notice[key].GetString()))
            << key << " = " << notice[key].GetString() << "\n"
            << describe(table);
    }
    EXPECT_TRUE(contains(table.out, "请说明2019年10月工作进展报告逾期原因")) << describe(table);
}

TEST_F(PrintedResults, PlanListTablePrintsEachPlanAsTheJsonHasIt) {
    import_seed();
    const CommandResult table = perturbed({"plan", "list"});
    ASSERT_EQ(table.status, 0) << describe(table);
    const auto doc = json_of(run({"plan", "list", "--json"}));
    ASSERT_EQ(doc["plans"].Size(), 1u);
    const auto& plan = doc["plans"][0];
    for (const char* key : {"key", "title", "source_name", "imported_at", "updated_at"}) {
        EXPECT_TRUE(contains(table.out, plan[key].GetString()))
            << key << " = " << plan[key].GetString() << "\n"
            << describe(table);
    }
}

}  // namespace
