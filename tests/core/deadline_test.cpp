// rl::core deadlines: the phrases plans write (完成时限 cells, bracketed
// remarks after a task), read to ISO dates on the real calendar.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "core/deadline.h"
#include "test_assertions.h"

namespace {

using rl::core::find_deadline_phrase;
using rl::core::plan_year_of;
using rl::core::read_deadline;
using rl::test::has_text;

// The due date read_deadline gives text in a plan of `year`, or the warning
// it gives instead (prefixed "warning: ").
std::string due_of(const std::string& text, std::optional<int> year = 2019) {
    const auto reading = read_deadline(text, year);
    if (!reading.warning.empty()) {
        return "warning: " + reading.warning;
    }
    return reading.deadline.due;
}

TEST(Deadline, FullDatesWithYearMonthAndDayAreThatDay) {
    EXPECT_EQ(due_of("2020年6月30日前"), "2020-06-30");
    EXPECT_EQ(due_of("2020年6月30日前完成"), "2020-06-30");
    EXPECT_EQ(due_of("2019年9月30日"), "2019-09-30");
    EXPECT_EQ(due_of("2020年6月3号前"), "2020-06-03");
}

TEST(Deadline, MonthEndsAreTheMonthsLastDayOnTheRealCalendar) {
    EXPECT_EQ(due_of("2020年6月底前完成"), "2020-06-30");
    EXPECT_EQ(due_of("2020年6月底前"), "2020-06-30");
    EXPECT_EQ(due_of("2020年2月底前"), "2020-02-29");  // leap year
    EXPECT_EQ(due_of("2019年2月底前"), "2019-02-28");
    EXPECT_EQ(due_of("2100年2月底前"), "2100-02-28");  // not a leap year
    EXPECT_EQ(due_of("2000年2月末"), "2000-02-29");
    EXPECT_EQ(due_of("2020年6月"), "2020-06-30");
    EXPECT_EQ(due_of("2019年12月底"), "2019-12-31");
}

TEST(Deadline, PhrasesWithoutAYearUseThePlansYear) {
    EXPECT_EQ(due_of("6月底前", 2019), "2019-06-30");
    EXPECT_EQ(due_of("6月份", 2019), "2019-06-30");
    EXPECT_EQ(due_of("2月底前", 2024), "2024-02-29");
    EXPECT_EQ(due_of("年底前", 2019), "2019-12-31");
    EXPECT_EQ(due_of("年内", 2020), "2020-12-31");
    EXPECT_EQ(due_of("年内完成", 2020), "2020-12-31");
    EXPECT_EQ(due_of("2020年底前", 2019), "2020-12-31");
}

TEST(Deadline, PhrasesWithoutAYearInAPlanWithoutAYearWarn) {
    const auto reading = read_deadline("年底前", std::nullopt);
    EXPECT_EQ(reading.deadline.text, "年底前");
    EXPECT_EQ(reading.deadline.due, "");
    EXPECT_TRUE(has_text(reading.warning, {"年底前", "year"}));
    EXPECT_TRUE(has_text(due_of("6月底前", std::nullopt), "warning:"));
    EXPECT_TRUE(has_text(due_of("一季度", std::nullopt), "warning:"));
    // A year written in the phrase needs no plan year.
    EXPECT_EQ(due_of("2020年6月底前", std::nullopt), "2020-06-30");
}

TEST(Deadline, QuartersAndHalfYearsEndOnTheirLastDay) {
    EXPECT_EQ(due_of("一季度"), "2019-03-31");
    EXPECT_EQ(due_of("第一季度"), "2019-03-31");
    EXPECT_EQ(due_of("二季度末"), "2019-06-30");
    EXPECT_EQ(due_of("第三季度"), "2019-09-30");
    EXPECT_EQ(due_of("四季度"), "2019-12-31");
    EXPECT_EQ(due_of("2020年第2季度"), "2020-06-30");
    EXPECT_EQ(due_of("上半年"), "2019-06-30");
    EXPECT_EQ(due_of("下半年"), "2019-12-31");
    EXPECT_EQ(due_of("2020年上半年"), "2020-06-30");
    EXPECT_EQ(due_of("2020年上半年完成"), "2020-06-30");
}

TEST(Deadline, TenDayPeriodsEndOnTheTenthTheTwentiethAndTheMonthsEnd) {
    EXPECT_EQ(due_of("9月上旬"), "2019-09-10");
    EXPECT_EQ(due_of("9月中旬"), "2019-09-20");
    EXPECT_EQ(due_of("9月下旬"), "2019-09-30");
    EXPECT_EQ(due_of("2020年2月下旬"), "2020-02-29");
}

TEST(Deadline, BeforeAMonthIsTheEndOfThePreviousMonth) {
    EXPECT_EQ(due_of("10月前"), "2019-09-30");
    EXPECT_EQ(due_of("10月以前"), "2019-09-30");
    EXPECT_EQ(due_of("2020年3月之前"), "2020-02-29");
    EXPECT_EQ(due_of("2020年1月前"), "2019-12-31");
    // but 月底前 and 月份前 are by that month's end
    EXPECT_EQ(due_of("10月底前"), "2019-10-31");
    EXPECT_EQ(due_of("10月份前"), "2019-10-31");
}

TEST(Deadline, NumericDatesAsExcelAndTypistsWriteThem) {
    EXPECT_EQ(due_of("2020-06-30"), "2020-06-30");
    EXPECT_EQ(due_of("2020/6/30"), "2020-06-30");
    EXPECT_EQ(due_of("2020.6"), "2020-06-30");
    EXPECT_EQ(due_of("2020.6.15前"), "2020-06-15");
    EXPECT_EQ(due_of("2020-02"), "2020-02-29");
}

TEST(Deadline, FullWidthDigitsAndChineseNumeralsReadAsDigits) {
    EXPECT_EQ(due_of("２０２０年６月底前"), "2020-06-30");
    EXPECT_EQ(due_of("２０２０．６．３０"), "2020-06-30");
    EXPECT_EQ(due_of("六月底前"), "2019-06-30");
    EXPECT_EQ(due_of("十月前"), "2019-09-30");
    EXPECT_EQ(due_of("十二月底"), "2019-12-31");
    EXPECT_EQ(due_of("二〇二〇年十一月三十日前"), "2020-11-30");
    EXPECT_EQ(due_of("二零二〇年六月二十一日"), "2020-06-21");
}

TEST(Deadline, UndatedAndRecurringPhrasesHaveNoDueDateAndNoWarning) {
    for (const char* text :
         {"长期坚持", "持续推进", "常态化", "长期", "持续", "每月", "每季度", "每季度通报一次"}) {
        const auto reading = read_deadline(text, 2019);
        EXPECT_EQ(reading.deadline.text, text);
        EXPECT_EQ(reading.deadline.due, "") << text;
        EXPECT_EQ(reading.warning, "") << text;
    }
}

TEST(Deadline, ADateWinsOverAnUndatedWordInTheSameCell) {
    EXPECT_EQ(due_of("2019年9月底前完成，长期坚持"), "2019-09-30");
}

TEST(Deadline, RangesAndStagesAreDueAtTheirEnd) {
    EXPECT_EQ(due_of("2020年3月至6月"), "2020-06-30");
    EXPECT_EQ(due_of("2019年10月至2020年6月"), "2020-06-30");
    EXPECT_EQ(due_of("2019年9月底前完成初稿\n12月底前印发"), "2019-12-31");
    EXPECT_EQ(due_of("2020年3月底前调研，6月底前完成", 2019), "2020-06-30");
}

TEST(Deadline, ImpossibleDatesWarnAndHaveNoDueDate) {
    const auto reading = read_deadline("2019年2月29日前", 2019);
    EXPECT_EQ(reading.deadline.due, "");
    EXPECT_TRUE(has_text(reading.warning, {"2019年2月29日前", "not a real date"}));
    EXPECT_TRUE(has_text(due_of("6月31日"), "not a real date"));
    EXPECT_EQ(due_of("2020年2月29日前"), "2020-02-29");
}

TEST(Deadline, TextWithoutADateWarnsAndKeepsTheText) {
    const auto reading = read_deadline("根据上级部署", 2019);
    EXPECT_EQ(reading.deadline.text, "根据上级部署");
    EXPECT_EQ(reading.deadline.due, "");
    EXPECT_TRUE(has_text(reading.warning, {"根据上级部署", "no date"}));
    // An empty cell is no deadline, not a bad one.
    EXPECT_EQ(read_deadline("  ", 2019).warning, "");
}

TEST(Deadline, TheTextIsTheDeadlineAsWrittenWithoutItsLabel) {
    EXPECT_EQ(read_deadline("  2020年6月底前完成 ", 2019).deadline.text, "2020年6月底前完成");
    const auto labelled = read_deadline("完成时限：2020年6月底前", 2019);
    EXPECT_EQ(labelled.deadline.text, "2020年6月底前");
    EXPECT_EQ(labelled.deadline.due, "2020-06-30");
    EXPECT_EQ(read_deadline("时间节点:一季度", 2019).deadline.due, "2019-03-31");
    EXPECT_EQ(read_deadline("2019年9月底前\n完成初稿", 2019).deadline.text,
              "2019年9月底前；完成初稿");
}

TEST(Deadline, RelativeYearsCountFromThePlansYear) {
    EXPECT_EQ(due_of("今年底前", 2019), "2019-12-31");
    EXPECT_EQ(due_of("明年6月底前", 2019), "2020-06-30");
    EXPECT_TRUE(has_text(due_of("明年6月底前", std::nullopt), "warning:"));
}

TEST(DeadlinePhrase, IsFoundInsideABracketAfterTheUnits) {
    EXPECT_EQ(find_deadline_phrase("（立案庭、技术科负责，2020年6月底前完成）"),
              "2020年6月底前完成");
    EXPECT_EQ(find_deadline_phrase("…，2020年6月底前完成）"), "2020年6月底前完成");
    EXPECT_EQ(find_deadline_phrase("(立案庭负责, 6月底前)"), "6月底前");
    EXPECT_EQ(find_deadline_phrase("（各审判执行部门分别负责，长期坚持）"), "长期坚持");
    EXPECT_EQ(find_deadline_phrase("（审管办负责，每季度通报一次）"), "每季度通报一次");
    EXPECT_EQ(find_deadline_phrase("（立案庭负责，2020年6月）"), "2020年6月");
    EXPECT_EQ(find_deadline_phrase("（立案庭负责，于年底前完成）"), "年底前完成");
    EXPECT_EQ(find_deadline_phrase("长期坚持"), "长期坚持");
}

TEST(DeadlinePhrase, IsFoundInATaskSentence) {
    EXPECT_EQ(find_deadline_phrase("2020年6月底前建成诉讼服务中心。"), "2020年6月底前");
    EXPECT_EQ(find_deadline_phrase("完善审判团队建设，一季度完成组建。"), "一季度完成");
    EXPECT_EQ(find_deadline_phrase("9月中旬前完成培训"), "9月中旬前完成");
}

TEST(DeadlinePhrase, DatesAndWordsThatAreNoDeadlineAreNotFound) {
    // A year or a date that only says when something happened.
    EXPECT_EQ(find_deadline_phrase("根据2019年全省法院工作会议精神，加强审判管理。"), std::nullopt);
    EXPECT_EQ(find_deadline_phrase("于2019年3月1日印发实施方案"), std::nullopt);
    // 持续, 长期, 每月 inside a sentence, not a clause of their own.
    EXPECT_EQ(find_deadline_phrase("推动审判质效持续向好，建立长期有效的工作机制"), std::nullopt);
    EXPECT_EQ(find_deadline_phrase("实现可持续发展"), std::nullopt);
    EXPECT_EQ(find_deadline_phrase("统一月度考核标准"), std::nullopt);
    EXPECT_EQ(find_deadline_phrase("3年内完成"), std::nullopt);
    EXPECT_EQ(find_deadline_phrase("立案庭、技术科负责"), std::nullopt);
}

TEST(DeadlinePhrase, ADatedPhraseWinsOverAnUndatedOne) {
    EXPECT_EQ(find_deadline_phrase("（立案庭负责，2020年底前完成，长期坚持）"), "2020年底前完成");
}

TEST(DeadlinePhrase, ALongTextWithManyDatesIsReadWhole) {
    // Read in linear time: a clause is never scanned from each date in it.
    std::string text;
    for (int i = 0; i < 100000; ++i) {
        text += "6月底前";
    }
    text += "，2020年9月底前完成";
    EXPECT_EQ(find_deadline_phrase(text), "2020年9月底前完成");
    EXPECT_EQ(read_deadline(text, 2019).deadline.due, "2020-09-30");
}

TEST(PlanYear, IsReadFromATitleOrADateLine) {
    EXPECT_EQ(plan_year_of("延吉市人民法院2019年司法体制改革工作要点"), 2019);
    EXPECT_EQ(plan_year_of("2019年3月1日"), 2019);
    EXPECT_EQ(plan_year_of("二〇一九年三月一日"), 2019);
    EXPECT_EQ(plan_year_of("二零二〇年工作要点"), 2020);
    EXPECT_EQ(plan_year_of("２０２１年度工作要点"), 2021);
    EXPECT_EQ(plan_year_of("2019-03-01"), 2019);
    EXPECT_EQ(plan_year_of("2019.3.1"), 2019);
}

TEST(PlanYear, IsNoneWithoutAPlausibleYear) {
    EXPECT_EQ(plan_year_of("司法体制改革工作要点"), std::nullopt);
    EXPECT_EQ(plan_year_of("第1949号"), std::nullopt);
    EXPECT_EQ(plan_year_of("3000年规划"), std::nullopt);
    EXPECT_EQ(plan_year_of("1800年"), std::nullopt);
    EXPECT_EQ(plan_year_of("共12019年"), std::nullopt);
    EXPECT_EQ(plan_year_of(""), std::nullopt);
}

}  // namespace
