// The separation of duties (四眼原则) and authorised reads as a user meets them
// on oa-stub's command line: the three ways a report used to be approved by
// the person who submitted it are refused (exit 3, the rule named on stderr,
// nothing changed), and report show / audit / status / obligations need --user
// and show only what that person may read.
#include <gtest/gtest.h>

// First: it makes rapidjson throw, and must precede any other rapidjson include.
#include "cli/oa_stub_helpers.h"

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "support/test_support.h"

namespace {

using rl::test::CommandResult;
using rl::test::oa_stub::describe;
using rl::test::oa_stub::OaStubFixture;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

class SeparationCli : public OaStubFixture {
protected:
    void SetUp() override { import_seed(); }

    // oa-stub report ACTION for task 33 of 刑庭, period 2019-10.
    CommandResult report(const std::string& action, const std::string& user,
                         std::vector<std::string> more = {},
                         const std::string& department = "刑庭") {
        std::vector<std::string> args = {"report",       action,     "--task",   "33",
                                         "--department", department, "--period", "2019-10",
                                         "--user",       user,       "--now",    "2019-11-04"};
        args.insert(args.end(), more.begin(), more.end());
        return run(args);
    }
    void ok(const std::string& action, const std::string& user, std::vector<std::string> more = {},
            const std::string& department = "刑庭") {
        const CommandResult r = report(action, user, std::move(more), department);
        ASSERT_EQ(r.status, 0) << action << " by " << user << "\n" << describe(r);
    }
    std::string audit_digest() {
        const auto rows = rl::test::sql_rows(
            db_,
            "SELECT (SELECT COUNT(*) FROM audit_log), (SELECT COALESCE(SUM(version), 0) FROM "
            "reports)",
            true);
        return rows[0][0] + "/" + rows[0][1];
    }
    void expect_rule_refusal(const CommandResult& r, const std::string& who,
                             const std::string& before) {
        EXPECT_EQ(r.status, 3) << describe(r);
        EXPECT_TRUE(contains(r.err, "not_permitted")) << describe(r);
        EXPECT_TRUE(contains(r.err, "separation of duties (四眼原则)")) << describe(r);
        EXPECT_TRUE(contains(r.err, who)) << describe(r);
        EXPECT_EQ(audit_digest(), before) << "a refused action wrote something";
    }
    std::vector<std::string> draft_content = {"--summary", "流程节点已梳理。", "--percent", "40"};
};

TEST_F(SeparationCli, TheHeadCannotHandOverToTheSubmitterNorCanTheSubmitterApprove) {
    ok("draft", "u-xingting-contact", draft_content);
    ok("submit", "u-xingting-contact");
    const std::string before = audit_digest();
    const CommandResult handover =
        report("handover", "u-xingting-head", {"--to-user", "u-xingting-contact"});
    EXPECT_EQ(handover.status, 3) << describe(handover);
    EXPECT_TRUE(contains(handover.err, "u-xingting-contact")) << describe(handover);
    EXPECT_TRUE(contains(handover.err, "head of 刑庭")) << describe(handover);
    const CommandResult approve = report("approve", "u-xingting-contact");
    EXPECT_EQ(approve.status, 3) << describe(approve);
    EXPECT_EQ(audit_digest(), before);
}

TEST_F(SeparationCli, TheHeadWhoSubmittedForTheContactCannotApprove) {
    ok("draft", "u-xingting-contact", draft_content);
    ok("submit", "u-xingting-head", {"--for", "u-xingting-contact"});
    expect_rule_refusal(report("approve", "u-xingting-head"), "u-xingting-head", audit_digest());
    ok("approve", "u-xingting-deputy");
}

TEST_F(SeparationCli, OneReformOfficePersonCannotCarryAReportAlone) {
    ok("draft", "u-sigaiban-head", [&] {
        auto v = draft_content;
        v.insert(v.end(), {"--for", "u-xingting-contact"});
        return v;
    }());
    ok("submit", "u-sigaiban-head", {"--for", "u-xingting-contact"});
    expect_rule_refusal(report("approve", "u-sigaiban-head", {"--for", "u-xingting-head"}),
                        "u-sigaiban-head", audit_digest());
    ok("approve", "u-xingting-head");
    expect_rule_refusal(report("approve", "u-sigaiban-head", {"--for", "u-vp-trial"}),
                        "u-sigaiban-head", audit_digest());
    ok("approve", "u-vp-trial");
    expect_rule_refusal(report("file", "u-sigaiban-head"), "u-sigaiban-head", audit_digest());
}

TEST_F(SeparationCli, ReadsNeedAUserAndShowOnlyWhatTheyMayRead) {
    ok("draft", "u-xingting-contact", draft_content);
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"report", "show", "--task", "33", "--department", "刑庭",
                                   "--period", "2019-10"},
          std::vector<std::string>{"audit"}, std::vector<std::string>{"status"},
          std::vector<std::string>{"obligations"}}) {
        const CommandResult r = run(command);
        EXPECT_EQ(r.status, 2) << command[0] << "\n" << describe(r);
        EXPECT_TRUE(contains(r.err, "--user")) << describe(r);
    }
    const std::vector<std::string> show = {"report",       "show",       "--task",   "33",
                                           "--department", "刑庭",       "--period", "2019-10",
                                           "--now",        "2019-11-04", "--user"};
    auto as = [&](const std::string& user) {
        auto args = show;
        args.push_back(user);
        return run(args);
    };
    const CommandResult own = as("u-xingting-head");
    EXPECT_EQ(own.status, 0) << describe(own);
    EXPECT_TRUE(contains(own.out, "流程节点已梳理")) << describe(own);
    const CommandResult other = as("u-minting-head");
    EXPECT_EQ(other.status, 3) << describe(other);
    EXPECT_TRUE(contains(other.err, "may not read the reports of 刑庭")) << describe(other);
    EXPECT_FALSE(contains(other.out, "流程节点已梳理")) << describe(other);

    const CommandResult trail =
        run({"audit", "--task", "33", "--user", "u-minting-head", "--now", "2019-11-04"});
    EXPECT_EQ(trail.status, 0) << describe(trail);
    EXPECT_TRUE(contains(trail.out, ": 0 entries")) << describe(trail);
    const CommandResult office =
        run({"audit", "--task", "33", "--user", "u-sigaiban-head", "--now", "2019-11-04"});
    EXPECT_TRUE(contains(office.out, ": 1 entries")) << describe(office);
}

}  // namespace
