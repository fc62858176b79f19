// Text inside the robots' markdown: one line, nothing invisible, no markup of
// its own — read as it was written.
#include <gtest/gtest.h>

#include <string>

#include "transport/markdown.h"

namespace {

using rl::transport::markdown_literal;
using rl::transport::plain_line;

TEST(PlainLine, BreaksBecomeSpacesAndControlsGo) {
    EXPECT_EQ(plain_line("请报送\n### 伪造\r\n标题\t完"), "请报送 ### 伪造  标题 完");
    EXPECT_EQ(plain_line(std::string("a\0b\x07\x1b[31mc\x7f", 11)), "ab[31mc");
    EXPECT_EQ(plain_line("C1\xC2\x85|\xC2\x9B|"), "C1 ||");  // NEL is a break, CSI goes
    EXPECT_EQ(plain_line("行\xE2\x80\xA8段\xE2\x80\xA9落"), "行 段 落");
}

TEST(PlainLine, BidirectionalAndInvisibleFormattingGoes) {
    // "gnp.exe" behind a right-to-left override shows as "exe.png".
    EXPECT_EQ(plain_line("报告\xE2\x80\xAEgnp.exe"), "报告gnp.exe");
    for (const char* c :
         {"\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC", "\xE2\x80\xAD", "\xE2\x81\xA6",
          "\xE2\x81\xA7", "\xE2\x81\xA8", "\xE2\x81\xA9", "\xE2\x80\x8E", "\xE2\x80\x8F",
          "\xD8\x9C", "\xE2\x80\x8B", "\xE2\x81\xA0", "\xEF\xBB\xBF", "\xC2\xAD",
          "\xF3\xA0\x80\x81", "\xF3\xA0\x81\xA1"}) {
        EXPECT_EQ(plain_line(std::string("a") + c + "b"), "ab") << c;
    }
}

TEST(PlainLine, ChineseTextAndFullWidthPunctuationStayAsTheyAre) {
    const std::string text =
        "任务33（1） 推进“分调裁审”改革（2019-10，2019-11-07到期）：请于11月11日前报送。";
    EXPECT_EQ(plain_line(text), text);
    EXPECT_EQ(markdown_literal(text), text);
}

TEST(PlainLine, InvalidUtf8BecomesReplacementCharacters) {
    EXPECT_EQ(plain_line("a\xFF"
                         "b\xE6\x94"),
              "a\xEF\xBF\xBD"
              "b\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(MarkdownLiteral, LinksAndImagesAreText) {
    EXPECT_EQ(markdown_literal("[点此](http://evil.example/x)"),
              "［点此］(http：//evil.example/x)");
    EXPECT_EQ(markdown_literal("![图](https://evil.example/p.png)"),
              "!［图］(https：//evil.example/p.png)");
    EXPECT_EQ(markdown_literal("<http://evil.example>"), "＜http：//evil.example＞");
    EXPECT_EQ(markdown_literal("见 www.evil.example 与 WWW.x.cn"),
              "见 www．evil.example 与 WWW．x.cn");
    EXPECT_EQ(markdown_literal("javascript:alert(1)"), "javascript:alert(1)");
}

TEST(MarkdownLiteral, MentionsTagsAndEntitiesAreText) {
    EXPECT_EQ(markdown_literal("@all <@u1> @所有人"), "＠all ＜＠u1＞ ＠所有人");
    EXPECT_EQ(markdown_literal("<font color=\"warning\">红</font>"),
              "＜font color=\"warning\"＞红＜/font＞");
    EXPECT_EQ(markdown_literal("&#64;all &amp;"), "＆＃64;all ＆amp;");
}

TEST(MarkdownLiteral, EmphasisCodeTablesAndEscapesAreText) {
    EXPECT_EQ(markdown_literal("**粗** *斜* __下__ `码` ~~删~~ a|b \\*"),
              "＊＊粗＊＊ ＊斜＊ ＿＿下＿＿ ｀码｀ ～～删～～ a｜b ＼＊");
}

TEST(MarkdownLiteral, NothingStartsABlockOfItsOwn) {
    EXPECT_EQ(markdown_literal("# 标题"), "＃ 标题");
    EXPECT_EQ(markdown_literal("> 引用"), "＞ 引用");
    EXPECT_EQ(markdown_literal("- 项"), "－ 项");
    EXPECT_EQ(markdown_literal("+ 项"), "＋ 项");
    EXPECT_EQ(markdown_literal("==="), "＝==");
    EXPECT_EQ(markdown_literal("12. 项"), "12． 项");
    EXPECT_EQ(markdown_literal("3) 项"), "3） 项");
    EXPECT_EQ(markdown_literal("第1. 项 2019-10"), "第1. 项 2019-10") << "only at the start";
    // A forged heading on a line of its own stays on this line, as text.
    EXPECT_EQ(markdown_literal("请报送\n### 【紧急】转账"), "请报送 ＃＃＃ 【紧急】转账");
    // Stripping first: an invisible character cannot hide markup from the escaping.
    EXPECT_EQ(markdown_literal("\xE2\x80\x8B# x [\xE2\x80\x8B](u)"), "＃ x ［］(u)");
}

}  // namespace
