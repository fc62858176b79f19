// rl::core::utf8: the helpers every structural match of the plan goes through.
#include <gtest/gtest.h>

#include <string>

#include "core/utf8.h"

namespace {

namespace utf8 = rl::core::utf8;

TEST(Utf8, AcceptsAsciiChineseAndFourByteText) {
    EXPECT_TRUE(utf8::is_valid(""));
    EXPECT_TRUE(utf8::is_valid("abc 123"));
    EXPECT_TRUE(utf8::is_valid("责任部门：干部科、技术科"));
    EXPECT_TRUE(utf8::is_valid("\xF0\x9F\x98\x80"));  // U+1F600
    EXPECT_TRUE(utf8::is_valid("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
    EXPECT_TRUE(utf8::is_valid("\xC2\x80"));          // U+0080, smallest two-byte
    EXPECT_TRUE(utf8::is_valid("\xE0\xA0\x80"));      // U+0800, smallest three-byte
}

TEST(Utf8, AcceptsARealReplacementCharacter) {
    EXPECT_TRUE(utf8::is_valid("\xEF\xBF\xBD"));
    EXPECT_TRUE(utf8::is_valid("前\xEF\xBF\xBD后"));
}

TEST(Utf8, RejectsOverlongEncodings) {
    EXPECT_FALSE(utf8::is_valid("\xC0\xAF"));  // '/' in two bytes
    EXPECT_FALSE(utf8::is_valid("\xC1\xBF"));
    EXPECT_FALSE(utf8::is_valid("\xE0\x80\xAF"));      // '/' in three bytes
    EXPECT_FALSE(utf8::is_valid("\xE0\x9F\xBF"));      // U+07FF in three bytes
    EXPECT_FALSE(utf8::is_valid("\xF0\x80\x80\xAF"));  // '/' in four bytes
    EXPECT_FALSE(utf8::is_valid("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
}

TEST(Utf8, RejectsTruncatedSequences) {
    EXPECT_FALSE(utf8::is_valid("\xE4\xB8"));      // 中 without its last byte
    EXPECT_FALSE(utf8::is_valid("部门\xE4\xB8"));  // ... at the end of text
    EXPECT_FALSE(utf8::is_valid("\xE4\xB8部门"));  // ... followed by text
    EXPECT_FALSE(utf8::is_valid("\xF0\x9F\x98"));
    EXPECT_FALSE(utf8::is_valid("\xC2"));
    EXPECT_FALSE(utf8::is_valid("a\xC2 b"));
}

TEST(Utf8, RejectsSurrogates) {
    EXPECT_FALSE(utf8::is_valid("\xED\xA0\x80"));              // U+D800
    EXPECT_FALSE(utf8::is_valid("\xED\xBF\xBF"));              // U+DFFF
    EXPECT_FALSE(utf8::is_valid("\xED\xA0\xBD\xED\xB8\x80"));  // CESU-8 pair
    EXPECT_TRUE(utf8::is_valid("\xED\x9F\xBF"));               // U+D7FF is fine
}

TEST(Utf8, RejectsStrayAndOutOfRangeBytes) {
    EXPECT_FALSE(utf8::is_valid("\x80"));
    EXPECT_FALSE(
        utf8::is_valid("a\xBF"
                       "b"));
    EXPECT_FALSE(utf8::is_valid("\xFF"));
    EXPECT_FALSE(utf8::is_valid("\xFE\xFF"));
    EXPECT_FALSE(utf8::is_valid("\xF4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(utf8::is_valid("\xF8\x88\x80\x80\x80"));
    EXPECT_FALSE(utf8::is_valid("\xD6\xD0"));  // 中 in GBK
}

TEST(Utf8, NextDecodesAndAdvances) {
    const std::string s = "a中\xF0\x9F\x98\x80";
    std::size_t pos = 0;
    EXPECT_EQ(utf8::next(s, pos), U'a');
    EXPECT_EQ(pos, 1u);
    EXPECT_EQ(utf8::next(s, pos), U'中');
    EXPECT_EQ(pos, 4u);
    EXPECT_EQ(utf8::next(s, pos), char32_t{0x1F600});
    EXPECT_EQ(pos, 8u);
}

TEST(Utf8, NextTurnsAnInvalidByteIntoReplacementAndMovesOneByte) {
    const std::string s =
        "\xE4\xB8"
        "a";
    std::size_t pos = 0;
    EXPECT_EQ(utf8::next(s, pos), char32_t{0xFFFD});
    EXPECT_EQ(pos, 1u);
}

TEST(Utf8, AppendEncodesEveryLength) {
    std::string out;
    for (char32_t c : {char32_t{'A'}, char32_t{0xE9}, char32_t{U'科'}, char32_t{0x1F600}}) {
        utf8::append(out, c);
    }
    EXPECT_EQ(out, "A\xC3\xA9科\xF0\x9F\x98\x80");
}

TEST(Utf8, TrimRemovesIdeographicSpace) {
    EXPECT_EQ(utf8::trim("\u3000\u3000责任部门：干部科\u3000"), "责任部门：干部科");
    EXPECT_EQ(utf8::trim("\u3000 \t干部科 \u3000\r"), "干部科");
    EXPECT_EQ(utf8::trim("\u3000"), "");
}

TEST(Utf8, TrimKeepsInnerSpacesAndRemovesOtherUnicodeSpaces) {
    EXPECT_EQ(utf8::trim("  干部科\u3000技术科  "), "干部科\u3000技术科");
    EXPECT_EQ(utf8::trim("\xC2\xA0干部科\xEF\xBB\xBF"), "干部科");  // NBSP, BOM
    EXPECT_EQ(utf8::trim(""), "");
    EXPECT_EQ(utf8::trim("   "), "");
}

TEST(Utf8, IsSpaceKnowsIdeographicSpaceButNotPunctuation) {
    EXPECT_TRUE(utf8::is_space(0x3000));
    EXPECT_TRUE(utf8::is_space(' '));
    EXPECT_TRUE(utf8::is_space(0xA0));
    EXPECT_FALSE(utf8::is_space(U'、'));
    EXPECT_FALSE(utf8::is_space(U'，'));
    EXPECT_FALSE(utf8::is_space('a'));
}

TEST(Utf8, FoldWidthMapsFullWidthAsciiForms) {
    EXPECT_EQ(utf8::fold_width(U'：'), U':');
    EXPECT_EQ(utf8::fold_width(U'（'), U'(');
    EXPECT_EQ(utf8::fold_width(U'）'), U')');
    EXPECT_EQ(utf8::fold_width(U'，'), U',');
    EXPECT_EQ(utf8::fold_width(U'；'), U';');
    EXPECT_EQ(utf8::fold_width(U'．'), U'.');
    EXPECT_EQ(utf8::fold_width(U'１'), U'1');
    EXPECT_EQ(utf8::fold_width(U'Ａ'), U'A');
    EXPECT_EQ(utf8::fold_width(0xFF01), U'!');  // first of the block
    EXPECT_EQ(utf8::fold_width(0xFF5E), U'~');  // last of the block
    EXPECT_EQ(utf8::fold_width(0x3000), U' ');
}

TEST(Utf8, FoldWidthLeavesEverythingElse) {
    EXPECT_EQ(utf8::fold_width(U'、'), U'、');  // no ASCII counterpart
    EXPECT_EQ(utf8::fold_width(U'。'), U'。');
    EXPECT_EQ(utf8::fold_width(U'中'), U'中');
    EXPECT_EQ(utf8::fold_width(U'a'), U'a');
    EXPECT_EQ(utf8::fold_width(0xFF00), char32_t{0xFF00});
    EXPECT_EQ(utf8::fold_width(0xFF5F), char32_t{0xFF5F});
}

TEST(Utf8, DisplayWidthCountsCjkAsTwoColumns) {
    EXPECT_EQ(utf8::display_width("干部科"), 6u);
    EXPECT_EQ(utf8::display_width("abc"), 3u);
    EXPECT_EQ(utf8::display_width("task 14：干部科"), 7u + 2u + 6u);
    EXPECT_EQ(utf8::display_width("（综合审判庭）"), 14u);
    EXPECT_EQ(utf8::display_width("、。"), 4u);  // CJK punctuation is wide too
    EXPECT_EQ(utf8::display_width(""), 0u);
}

TEST(Utf8, LengthCountsCodePoints) {
    EXPECT_EQ(utf8::length("干部科"), 3u);
    EXPECT_EQ(utf8::length("a中\xF0\x9F\x98\x80"), 3u);
    EXPECT_EQ(utf8::length(""), 0u);
}

}  // namespace
