// rl::core::bulletin_document and its rules: which obligation counts as on
// time, late, missing or not yet due; the urges and supervision notices per
// department; which notices a period's bulletin lists; and the document's
// sections in order.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/bulletin.h"

namespace {

using rl::core::BulletinInput;
using rl::core::BulletinObligation;
using rl::core::WordBlock;

BulletinObligation obligation(const std::string& department, const std::string& task,
                              const std::string& status, const std::string& submitted_on = "") {
    BulletinObligation o;
    o.department = department;
    o.task_number = task;
    o.task_title = "任务" + task;
    o.role = "lead";
    o.due_date = "2019-06-10";
    o.status = status;
    o.submitted_on = submitted_on;
    return o;
}

BulletinInput may_2019() {
    BulletinInput in;
    in.plan_title = "2019年司法体制改革工作要点";
    in.period = "2019-05";
    in.today = "2019-06-14";
    in.obligations = {
        obligation("刑庭", "1", "filed", "2019-06-05"),        // on time
        obligation("刑庭", "2", "in_approval", "2019-06-12"),  // late
        obligation("刑庭", "3", "overdue"),                    // missing
        obligation("民一庭", "4", "waived"),                   // not counted
        obligation("民一庭", "5", "draft"),                    // not yet due (see below)
    };
    in.obligations[4].due_date = "2019-06-20";
    in.obligations[2].overdue_working_days = 3;
    in.urges = {{"刑庭", "3", "2019-05", "2019-06-12", "张主任", "请尽快报送"},
                {"刑庭", "3", "2019-05", "2019-06-13", "张主任", ""}};
    in.notices = {{"督办〔2019〕1号", "刑庭", "3", "2019-06-13", "2019-06-20", "open", "限期报送"}};
    return in;
}

std::vector<std::string> texts_of(const rl::core::WordDocument& doc, WordBlock::Kind kind) {
    std::vector<std::string> out;
    for (const auto& b : doc.blocks) {
        if (b.kind == kind) {
            out.push_back(b.text);
        }
    }
    return out;
}

TEST(Bulletin, EachObligationCountsOnceAsOnTimeLateMissingOrNotYetDue) {
    const auto tallies = rl::core::tally_departments(may_2019());
    ASSERT_EQ(tallies.size(), 2u);
    const auto& xingting = tallies[0];
    EXPECT_EQ(xingting.department, "刑庭");
    EXPECT_EQ(xingting.due, 3);
    EXPECT_EQ(xingting.on_time, 1);
    EXPECT_EQ(xingting.late, 1);
    EXPECT_EQ(xingting.missing, 1);
    EXPECT_EQ(xingting.pending, 0);
    EXPECT_EQ(xingting.urges, 2);
    EXPECT_EQ(xingting.notices, 1);
    const auto& minyi = tallies[1];
    EXPECT_EQ(minyi.due, 1);  // the waived one is not due
    EXPECT_EQ(minyi.pending, 1);
}

TEST(Bulletin, AReportReturnedPastItsDueDateIsMissingNotOnTime) {
    BulletinInput in = may_2019();
    // Submitted on time, returned to be redrafted, past due now: overdue.
    in.obligations = {obligation("刑庭", "1", "overdue", "2019-06-05")};
    const auto t = rl::core::tally_departments(in);
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0].missing, 1);
    EXPECT_EQ(t[0].on_time, 0);
}

TEST(Bulletin, DepartmentsOnlyUrgedOrSupervisedStillHaveARow) {
    BulletinInput in = may_2019();
    in.notices.push_back(
        {"督办〔2019〕2号", "执行局", "9", "2019-06-14", "2019-06-21", "open", ""});
    const auto t = rl::core::tally_departments(in);
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[2].department, "执行局");
    EXPECT_EQ(t[2].due, 0);
    EXPECT_EQ(t[2].notices, 1);
    const auto total = rl::core::total_of(t);
    EXPECT_EQ(total.due, 4);
    EXPECT_EQ(total.notices, 2);
    EXPECT_EQ(total.urges, 2);
}

TEST(Bulletin, ListsTheNoticesIssuedInTheMonthItsReportsAreCollectedIn) {
    const auto may = rl::core::notice_window(*rl::core::Period::parse("2019-05"));
    EXPECT_EQ(may.first, "2019-06-01");
    EXPECT_EQ(may.last, "2019-06-30");
    const auto december = rl::core::notice_window(*rl::core::Period::parse("2019-12"));
    EXPECT_EQ(december.first, "2020-01-01");
    EXPECT_EQ(december.last, "2020-01-31");
    // A quarter's bulletin is its last month's.
    const auto q2 = rl::core::notice_window(*rl::core::Period::parse("2019-Q2"));
    EXPECT_EQ(q2.first, "2019-07-01");
}

TEST(Bulletin, HasItsTitleTotalsAndSectionsInOrder) {
    const auto doc = rl::core::bulletin_document(may_2019());
    EXPECT_EQ(doc.title, "司法改革任务落实情况通报（2019年5月）");
    ASSERT_FALSE(doc.blocks.empty());
    EXPECT_EQ(doc.blocks[0].kind, WordBlock::Kind::title);
    EXPECT_EQ(doc.blocks[0].text, doc.title);
    EXPECT_EQ(texts_of(doc, WordBlock::Kind::heading),
              (std::vector<std::string>{"一、总体情况", "二、各部门报送情况", "三、逾期未报送事项",
                                        "四、催办情况", "五、督办情况", "六、部门考评"}));
    const auto paragraphs = texts_of(doc, WordBlock::Kind::paragraph);
    ASSERT_FALSE(paragraphs.empty());
    EXPECT_EQ(paragraphs[0],
              "2019年5月，各部门应报送工作进展4项，按时报送1项，逾期报送1项，未报送1项，"
              "尚未到期1项，按时报送率25.0%。司改办催办2次，发出督办单1件。");
}

TEST(Bulletin, EndsWithTheRankedDepartmentScores) {
    auto input = may_2019();
    rl::core::DepartmentScore first;
    first.record.department = "司改办";
    first.record.reports_due = 2;
    first.record.reports_on_time = 2;
    first.record.tasks_closed_on_time = 1;
    first.on_time_rate = 1.0;
    first.score = 105;
    first.rank = 1;
    rl::core::DepartmentScore second;
    second.record.department = "刑庭";
    second.record.overdue_working_days = 3;
    second.score = 94.5;
    second.rank = 2;
    second.tied_with = {"民一庭"};
    input.scores = {first, second};
    const auto doc = rl::core::bulletin_document(input);
    const auto& table = doc.blocks.back();
    ASSERT_EQ(table.kind, WordBlock::Kind::table);
    ASSERT_EQ(table.rows.size(), 3u);
    EXPECT_EQ(table.rows[0][0], "名次");
    EXPECT_EQ(table.rows[1],
              (std::vector<std::string>{"1", "司改办", "105", "100.0%", "0", "0", "0", "0", "1"}));
    EXPECT_EQ(table.rows[2][0], "2（并列）");
    EXPECT_EQ(table.rows[2][2], "94.5");
    EXPECT_EQ(table.rows[2][3], "—") << "nothing was due";
    EXPECT_EQ(table.rows[2][8], "—") << "closure not counted";

    input.scores.clear();
    EXPECT_EQ(rl::core::bulletin_document(input).blocks.back().text, "本期无考评数据。");
}

TEST(Bulletin, TheDepartmentTableHasOneRowPerDepartmentAndATotal) {
    const auto doc = rl::core::bulletin_document(may_2019());
    std::vector<const WordBlock*> tables;
    for (const auto& b : doc.blocks) {
        if (b.kind == WordBlock::Kind::table) {
            tables.push_back(&b);
        }
    }
    ASSERT_EQ(tables.size(), 4u);  // departments, overdue, urges, notices
    const auto& departments = tables[0]->rows;
    ASSERT_EQ(departments.size(), 4u);
    EXPECT_EQ(departments[0], (std::vector<std::string>{"部门", "应报", "按时", "逾期报送",
                                                        "未报送", "未到期", "催办", "督办"}));
    EXPECT_EQ(departments[1],
              (std::vector<std::string>{"刑庭", "3", "1", "1", "1", "0", "2", "1"}));
    EXPECT_EQ(departments[3][0], "合计");
    const auto& overdue = tables[1]->rows;
    ASSERT_EQ(overdue.size(), 2u);
    EXPECT_EQ(overdue[1], (std::vector<std::string>{"刑庭", "第3项 任务3", "2019-06-10", "3"}));
    EXPECT_EQ(tables[2]->rows.size(), 3u);
    EXPECT_EQ(tables[2]->rows[1][4], "张主任");
    EXPECT_EQ(tables[3]->rows[1][0], "督办〔2019〕1号");
    EXPECT_EQ(tables[3]->rows[1][5], "未答复");
}

TEST(Bulletin, SaysSoWhenNothingIsOverdueUrgedOrSupervised) {
    BulletinInput in = may_2019();
    in.obligations = {obligation("刑庭", "1", "filed", "2019-06-05")};
    in.urges.clear();
    in.notices.clear();
    const auto doc = rl::core::bulletin_document(in);
    const auto paragraphs = texts_of(doc, WordBlock::Kind::paragraph);
    for (const char* expected : {"本期无逾期未报送事项。", "本期无催办。", "本期未发出督办单。"}) {
        EXPECT_NE(std::find(paragraphs.begin(), paragraphs.end(), expected), paragraphs.end())
            << expected;
    }
}

}  // namespace
