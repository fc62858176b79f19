// Leaders' instructions (批示) and reading (抄送/待阅) as a user meets them on
// oa-stub's command line: the president writes an instruction, a refused
// writer and a refused answerer exit 3 with nothing written, interim and final
// answers, the list and the full text, the ledger's count, the sweep's
// escalation, and a reader's unread items marked read.
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

class InstructionCli : public OaStubFixture {
protected:
    void SetUp() override { import_seed(); }

    CommandResult at(const std::string& now, std::vector<std::string> args) {
        args.insert(args.end(), {"--now", now});
        return run(args);
    }
    std::string audit_count() {
        return rl::test::sql_rows(db_, "SELECT COUNT(*) FROM audit_log", true)[0][0];
    }
    int open_instructions(const std::string& task) {
        const CommandResult r = at("2019-11-08T10:00", {"ledger", "--period", "2019-10", "--json"});
        EXPECT_EQ(r.status, 0) << describe(r);
        rapidjson::Document doc;
        doc.Parse(r.out.c_str());
        for (const auto& t : doc["tasks"].GetArray()) {
            if (std::string(t["number"].GetString()) == task) {
                return t["open_instructions"].GetInt();
            }
        }
        return -1;
    }
};

TEST_F(InstructionCli, WriteAnswerListAndReadAnInstruction) {
    const CommandResult written =
        at("2019-11-08T09:00",
           {"instruction", "write", "--task", "33", "--departments", "刑庭,民庭", "--user",
            "u-president", "--note", "请于三个工作日内报送流程标准修订情况。", "--due-days", "3"});
    ASSERT_EQ(written.status, 0) << describe(written);
    EXPECT_TRUE(contains(written.out,
                         "Wrote 批示〔2019〕1号 on task 33 to 2 department(s), "
                         "answers due 2019-11-13"))
        << describe(written);
    EXPECT_EQ(open_instructions("33"), 1);

    // A department head may not write one; nothing is written.
    const std::string before = audit_count();
    const CommandResult refused =
        at("2019-11-08T09:10", {"instruction", "write", "--task", "33", "--departments", "刑庭",
                                "--user", "u-xingting-head", "--note", "请研究。"});
    EXPECT_EQ(refused.status, 3) << describe(refused);
    EXPECT_TRUE(contains(refused.err, "not_permitted")) << describe(refused);
    EXPECT_EQ(audit_count(), before);
    // A department the org chart does not know: an error naming it.
    const CommandResult unknown =
        at("2019-11-08T09:10", {"instruction", "write", "--task", "33", "--departments", "刑事庭",
                                "--user", "u-president", "--note", "请研究。"});
    EXPECT_EQ(unknown.status, 1) << describe(unknown);
    EXPECT_TRUE(contains(unknown.err, "刑事庭")) << describe(unknown);
    EXPECT_EQ(audit_count(), before);

    // Interim, then final for 刑庭; someone not addressed is refused.
    const CommandResult interim = at(
        "2019-11-11T09:00", {"instruction", "answer", "--instruction", "批示〔2019〕1号", "--user",
                             "u-xingting-contact", "--answer", "正在修订。", "--interim"});
    ASSERT_EQ(interim.status, 0) << describe(interim);
    EXPECT_TRUE(contains(interim.out, "Interim answer")) << describe(interim);
    const CommandResult final =
        at("2019-11-12T09:00", {"instruction", "answer", "--instruction", "批示〔2019〕1号",
                                "--user", "u-xingting-head", "--answer", "已修订并印发。"});
    ASSERT_EQ(final.status, 0) << describe(final);
    EXPECT_TRUE(contains(final.out, "the instruction is open")) << describe(final);
    const CommandResult stranger =
        at("2019-11-12T09:10", {"instruction", "answer", "--instruction", "批示〔2019〕1号",
                                "--user", "u-lianting-contact", "--answer", "已阅。"});
    EXPECT_EQ(stranger.status, 3) << describe(stranger);

    const CommandResult listed = at("2019-11-12T10:00", {"instruction", "list", "--task", "33"});
    ASSERT_EQ(listed.status, 0) << describe(listed);
    EXPECT_TRUE(contains(listed.out, "批示〔2019〕1号")) << listed.out;
    EXPECT_TRUE(contains(listed.out, "刑庭(已反馈)、民庭(待反馈)")) << listed.out;
    EXPECT_TRUE(contains(listed.out, "1 open of 1")) << listed.out;
    const CommandResult shown =
        at("2019-11-12T10:00", {"instruction", "show", "--instruction", "批示〔2019〕1号"});
    ASSERT_EQ(shown.status, 0) << describe(shown);
    EXPECT_TRUE(contains(shown.out, "请于三个工作日内报送流程标准修订情况。")) << shown.out;
    EXPECT_TRUE(contains(shown.out, "阶段反馈 u-xingting-contact")) << shown.out;
    EXPECT_TRUE(contains(shown.out, "反馈 u-xingting-head")) << shown.out;

    // 民庭 has not answered by Monday the 18th: the sweep escalates, once.
    const CommandResult swept = at("2019-11-18T10:00", {"notify", "sweep", "--json"});
    ASSERT_EQ(swept.status, 0) << describe(swept);
    EXPECT_TRUE(contains(swept.out, "\"instruction_escalations\":1")) << swept.out;
    EXPECT_EQ(rl::test::sql_rows(db_,
                                 "SELECT COUNT(*) FROM audit_log WHERE action = "
                                 "'instruction_escalation' AND department = '民庭'",
                                 true)[0][0],
              "1");

    // The leader in charge reads it: one unread, then none.
    const CommandResult unread =
        at("2019-11-18T11:00", {"reading", "list", "--user", "u-vp-trial"});
    ASSERT_EQ(unread.status, 0) << describe(unread);
    EXPECT_TRUE(contains(unread.out, "1 unread of 1")) << unread.out;
    const CommandResult marked =
        at("2019-11-18T11:05", {"reading", "mark", "--user", "u-vp-trial", "--all"});
    ASSERT_EQ(marked.status, 0) << describe(marked);
    EXPECT_TRUE(contains(marked.out, "Read 1 item(s) at 2019-11-18 11:05")) << marked.out;
    const CommandResult after =
        at("2019-11-18T11:10", {"reading", "list", "--user", "u-vp-trial", "--all"});
    EXPECT_TRUE(contains(after.out, "0 unread of 1")) << after.out;
    // Times in court time (UTC+8), as the other listings print them, not as stored.
    EXPECT_TRUE(contains(after.out, "2019-11-18 11:05")) << after.out;
    EXPECT_FALSE(contains(after.out, "T03:05:00")) << after.out;
    EXPECT_EQ(
        rl::test::sql_rows(db_, "SELECT COUNT(*) FROM audit_log WHERE action = 'read'", true)[0][0],
        "1");
    const CommandResult verified = run({"audit", "verify"});
    EXPECT_EQ(verified.status, 0) << describe(verified);
}

}  // namespace
