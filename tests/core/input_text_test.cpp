// What the domain core makes of text from outside: the report form's bounds
// and its evidence links (http and https only), the years a plan is about
// (the window its reporting periods must lie in), and quoting input safely in
// a message.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/report_form.h"
#include "core/reporting.h"
#include "core/utf8.h"
#include "test_assertions.h"

namespace {

using rl::core::check_draft;
using rl::core::check_for_submit;
using rl::core::ContentLimits;
using rl::core::FieldError;
using rl::core::is_web_link;
using rl::core::Period;
using rl::core::plan_years;
using rl::core::ReportContent;
using rl::core::within_plan_years;
using rl::core::YearSpan;
using rl::test::has_text;

// "field: message" for each error, for readable failures.
std::vector<std::string> lines_of(const std::vector<FieldError>& errors) {
    std::vector<std::string> out;
    for (const auto& e : errors) {
        out.push_back(e.field + ": " + e.message);
    }
    return out;
}

std::string repeat(const std::string& s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += s;
    }
    return out;
}

ReportContent draft() {
    ReportContent c;
    c.progress_summary = "已完成方案起草";
    c.percent_complete = 40;
    return c;
}

// ------------------------------------------------------------ evidence links

TEST(EvidenceLink, HttpAndHttpsLinksWithAHostAreWebLinks) {
    EXPECT_TRUE(is_web_link("https://oa.court.local/files/2019/1105-01"));
    EXPECT_TRUE(is_web_link("http://10.1.2.3:8080/f?id=7#p2"));
    EXPECT_TRUE(is_web_link("HTTPS://OA.COURT.LOCAL/文件/方案.docx"));
}

TEST(EvidenceLink, OtherSchemesAndMalformedLinksAreNot) {
    for (const std::string url :
         {"javascript:alert(1)", "JavaScript:alert(document.cookie)",
          "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd", "oa://files/1",
          "//evil.example/x", "https://", "https:///path", "http:/oa.court.local",
          " https://oa.court.local", "https://oa.court.local/a b",
          "https://oa.court.local/\u202Egpj.exe", "https://oa.court.local/\r\nX-Injected: 1",
          "ftp://oa.court.local/f"}) {
        EXPECT_FALSE(is_web_link(url)) << url;
    }
}

TEST(ReportFormLimits, EvidenceLinksMustBeHttpOrHttps) {
    ReportContent c = draft();
    c.evidence = {{"方案.docx", "https://oa.court.local/files/1"},
                  {"截图.png", "javascript:alert(1)"},
                  {"无链接材料", ""}};
    const auto errors = check_draft(c);
    ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(lines_of(errors));
    EXPECT_EQ(errors[0].field, "evidence[1].url");
    EXPECT_TRUE(has_text(errors[0].message, "http"));
}

TEST(ReportFormLimits, MoreEvidenceEntriesThanTheLimitIsOneErrorNamingTheCount) {
    ReportContent c = draft();
    c.evidence.assign(51, {"材料", "https://oa.court.local/f"});
    const auto errors = check_draft(c);
    ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(lines_of(errors));
    EXPECT_EQ(errors[0].field, "evidence");
    EXPECT_TRUE(has_text(errors[0].message, {"51", "50"}));
    c.evidence.resize(50);
    EXPECT_TRUE(rl::test::is_empty(lines_of(check_draft(c))));
}

TEST(ReportFormLimits, EvidenceNamesAndUrlsHaveTheirLengthLimits) {
    ContentLimits limits;
    limits.name_chars = 10;
    limits.url_chars = 30;
    ReportContent c = draft();
    c.evidence = {{repeat("材", 11), "https://oa.court.local/f"},
                  {repeat("材", 10), "https://oa.court.local/" + repeat("x", 8)}};
    const auto errors = check_draft(c, limits);
    ASSERT_EQ(errors.size(), 2u) << ::testing::PrintToString(lines_of(errors));
    EXPECT_EQ(errors[0].field, "evidence[0].name");
    EXPECT_TRUE(has_text(errors[0].message, {"11 characters", "10"}));
    EXPECT_EQ(errors[1].field, "evidence[1].url");
    EXPECT_TRUE(has_text(errors[1].message, {"31 characters", "30"}));
}

TEST(ReportFormLimits, TextFieldsAreCountedInCharactersAgainstTheConfiguredLimit) {
    ContentLimits limits;
    limits.text_chars = 100;
    ReportContent c = draft();
    c.measures = repeat("措", 100);  // 300 bytes, 100 characters: within
    c.problems = repeat("问", 101);
    const auto errors = check_for_submit(c, limits);
    ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(lines_of(errors));
    EXPECT_EQ(errors[0].field, "problems");
    EXPECT_TRUE(has_text(errors[0].message, {"101 characters", "100"}));
}

// ------------------------------------------------------------ a plan's years

TEST(PlanYears, TheYearsATitleNamesAreThePlansYears) {
    const YearSpan one = plan_years("延吉市人民法院2019年司法改革工作要点", "", 2026);
    EXPECT_EQ(one.first, 2019);
    EXPECT_EQ(one.last, 2019);
    const YearSpan five = plan_years("人民法院第五个五年改革纲要（２０１９—2023年）", "", 2026);
    EXPECT_EQ(five.first, 2019);
    EXPECT_EQ(five.last, 2023);
}

TEST(PlanYears, WithoutOneInTheTitleTheFirstYearThePreambleNamesCounts) {
    // The seed: its title names no year, its preamble "深入推进2019年…".
    const YearSpan years = plan_years(
        "延吉市法院司法改革工作要点及分工方案",
        "处理12345件案件。为响党中央的号召，深入推进2019年延吉市法院司法改革工作，2020年…", 2026);
    EXPECT_EQ(years.first, 2019);
    EXPECT_EQ(years.last, 2019);
}

TEST(PlanYears, WithoutAnyYearTheImportYearCounts) {
    const YearSpan years = plan_years("司法改革工作要点", "共3000余件，20190年不是年份", 2024);
    EXPECT_EQ(years.first, 2024);
    EXPECT_EQ(years.last, 2024);
}

TEST(PlanYears, PeriodsAreTakenWithinTwoYearsOfThePlansYears) {
    const YearSpan y2019{2019, 2019};
    EXPECT_TRUE(within_plan_years(*Period::parse("2017-01"), y2019));
    EXPECT_TRUE(within_plan_years(*Period::parse("2019-Q4"), y2019));
    EXPECT_TRUE(within_plan_years(*Period::parse("2021-12"), y2019));
    EXPECT_FALSE(within_plan_years(*Period::parse("2016-12"), y2019));
    EXPECT_FALSE(within_plan_years(*Period::parse("2022-01"), y2019));
    EXPECT_FALSE(within_plan_years(*Period::parse("0001-01"), y2019));
    EXPECT_FALSE(within_plan_years(*Period::parse("9999-Q4"), y2019));
}

// ------------------------------------------------------------ quoting input

TEST(Printable, InvalidBytesAndControlsNeverReachAMessage) {
    namespace utf8 = rl::core::utf8;
    EXPECT_EQ(utf8::printable("刑庭"), "刑庭");
    EXPECT_EQ(utf8::printable("a\xff"
                              "b"),
              "a\uFFFD"
              "b");
    EXPECT_EQ(utf8::printable("a\nb\x1b[31m"), "a\\u000Ab\\u001B[31m");
    EXPECT_EQ(utf8::printable("x\u202Egpj.exe"), "x\\u202Egpj.exe");
    EXPECT_EQ(utf8::printable("\xc0\xaf"), "\uFFFD\uFFFD") << "an overlong '/'";
    EXPECT_TRUE(utf8::is_valid(utf8::printable(std::string("\xed\xa0\x80\xf4\x90\x80\x80", 7))));
}

TEST(Printable, AQuoteIsCutAtACharacterWithAnEllipsis) {
    namespace utf8 = rl::core::utf8;
    EXPECT_EQ(utf8::printable("刑事审判庭", 2), "刑事\u2026");
    EXPECT_EQ(utf8::printable("刑事", 2), "刑事");
}

}  // namespace
