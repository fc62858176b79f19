// The domain rules of leaders' instructions (批示) and of sending for reading
// (抄送/待阅), with the demo org chart and the autumn 2019 calendar built by
// hand: who may write and answer, which reminders an open part gets on a day
// (and under which dedupe key), and who reads what.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/instructions.h"
#include "core/reading.h"
#include "core/reminders.h"
#include "core_test_helpers.h"

namespace {

using rl::core::Date;
using rl::core::OpenInstructionPart;
using rl::core::Reminder;
using rl::core::ReminderPlanner;
using rl::core::ReminderRule;
using rl::core::ReminderSettings;
using rl::core::WorkingCalendar;

Date d(const char* iso) {
    return *Date::parse(iso);
}

class InstructionRules : public ::testing::Test {
protected:
    const rl::core::Person& person(const char* id) { return *chart_.person(id); }

    std::vector<Reminder> plan(const char* today) {
        const ReminderPlanner planner(settings_, calendar_, workflow_, chart_);
        return planner.plan_instructions({part_}, d(today));
    }
    std::set<std::string> keys(const char* today) {
        std::set<std::string> out;
        for (const auto& r : plan(today)) {
            out.insert(r.key());
        }
        return out;
    }

    ReminderSettings settings_;  // instructions: 2 before, every 2 overdue, escalate at 3
    WorkingCalendar calendar_ = [] {
        WorkingCalendar c;
        c.add_year(2019, {{"国庆节", d("2019-10-01"), d("2019-10-07")}}, {d("2019-10-12")});
        return c;
    }();
    rl::core::Workflow workflow_ = rl::test::progress_report_approval();
    rl::core::OrgChart chart_ = rl::test::demo_org_chart();
    // Due Wednesday 2019-11-13, 刑庭's part, written by the president.
    OpenInstructionPart part_{
        7, 1, "批示〔2019〕1号", "33", "刑庭", "u-president", d("2019-11-13"), 0, false};
};

TEST_F(InstructionRules, ThePresidentWritesOnEveryTaskALeaderOnlyOnTheirDepartments) {
    EXPECT_EQ(rl::core::instruction_writer_role(person("u-president"), {"技术科"}), "president");
    EXPECT_EQ(rl::core::instruction_writer_role(person("u-vp-trial"), {"立案庭", "刑庭"}),
              "leader_in_charge");
    EXPECT_FALSE(rl::core::instruction_writer_role(person("u-vp-trial"), {"技术科"}));
    EXPECT_FALSE(rl::core::instruction_writer_role(person("u-xingting-head"), {"刑庭"}));
    EXPECT_FALSE(rl::core::instruction_writer_role(person("u-sigaiban-head"), {"刑庭"}));
    rl::core::Person gone = person("u-president");
    gone.active = false;
    EXPECT_FALSE(rl::core::instruction_writer_role(gone, {"刑庭"}));
}

TEST_F(InstructionRules, OnlyTheAddressedDepartmentsContactOrHeadAnswers) {
    EXPECT_EQ(rl::core::instruction_answer_role(person("u-xingting-contact"), "刑庭"), "contact");
    EXPECT_EQ(rl::core::instruction_answer_role(person("u-xingting-deputy"), "刑庭"), "head");
    EXPECT_FALSE(rl::core::instruction_answer_role(person("u-minting-contact"), "刑庭"));
    EXPECT_FALSE(rl::core::instruction_answer_role(person("u-vp-trial"), "刑庭"));
    EXPECT_FALSE(rl::core::instruction_answer_role(person("u-president"), "刑庭"));
}

TEST_F(InstructionRules, AnOpenPartIsRemindedBeforeOnAndAfterItsDueDateAndEscalatedOnce) {
    EXPECT_TRUE(plan("2019-11-08").empty());  // three working days left
    EXPECT_EQ(keys("2019-11-11"),
              (std::set<std::string>{"instruction_before_due|7|department:刑庭|2019-11-13"}));
    EXPECT_EQ(keys("2019-11-13"),
              (std::set<std::string>{"instruction_due_today|7|department:刑庭|2019-11-13"}));
    EXPECT_EQ(keys("2019-11-14"),
              (std::set<std::string>{"instruction_overdue|7|department:刑庭|2019-11-13#0"}));
    EXPECT_EQ(keys("2019-11-15"), keys("2019-11-14"));  // every two working days
    // Monday the 18th: three working days late — chased again and escalated
    // to the writer and 刑庭's leader in charge, keyed by the due date (once).
    EXPECT_EQ(keys("2019-11-18"),
              (std::set<std::string>{"instruction_overdue|7|department:刑庭|2019-11-13#1",
                                     "instruction_escalation|7|person:u-president|2019-11-13",
                                     "instruction_escalation|7|person:u-vp-trial|2019-11-13"}));
    for (const auto& r : plan("2019-11-18")) {
        EXPECT_TRUE(rl::core::is_instruction_rule(r.rule));
        EXPECT_EQ(rl::core::is_urgent(r.rule), r.rule != ReminderRule::instruction_before_due &&
                                                   r.rule != ReminderRule::instruction_due_today);
    }
    // A leader in charge who writes one is escalated to once, not twice.
    part_.written_by = "u-vp-trial";
    EXPECT_EQ(plan("2019-11-18").size(), 2u);
}

TEST_F(InstructionRules, ReadersComeFromTheConfigurationAndNeverIncludeTheSender) {
    const auto readers = rl::core::ReadingReaders::defaults();
    EXPECT_EQ(rl::core::readers_for(readers, chart_,
                                    {"instruction", {"刑庭", "民庭"}, "", "u-president"}),
              (std::vector<std::string>{"u-vp-trial", "u-jianchashi-head"}));
    EXPECT_EQ(rl::core::readers_for(readers, chart_, {"report", {"技术科"}, "", "u-sigaiban-head"}),
              (std::vector<std::string>{"u-vp-admin"}));
    EXPECT_EQ(
        rl::core::readers_for(readers, chart_,
                              {"instruction_answer", {"刑庭"}, "u-president", "u-xingting-head"}),
        (std::vector<std::string>{"u-president"}));
    rl::core::ReadingReaders configured;
    configured.by_kind["report"] = {"reform_office", "person:u-president", "president"};
    EXPECT_EQ(
        rl::core::readers_for(configured, chart_, {"report", {"刑庭"}, "", "u-sigaiban-head"}),
        (std::vector<std::string>{"u-sigaiban-contact", "u-president"}));
    EXPECT_TRUE(rl::core::readers_for(configured, chart_, {"closure", {"刑庭"}, "", "x"}).empty());
    EXPECT_EQ(rl::core::reading_reader_problem("person:u-president", chart_), "");
    EXPECT_NE(rl::core::reading_reader_problem("person:u-nobody", chart_), "");
    EXPECT_NE(rl::core::reading_reader_problem("boss", chart_), "");
}

}  // namespace
