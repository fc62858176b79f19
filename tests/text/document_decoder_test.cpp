// rl::text::decode_document and read_file: what a court office machine may
// save, and which of it becomes plan text. Nothing is ever guessed into
// mojibake: GBK is converted only when declared, everything else unclear is
// refused with a message that says what to do.
#include <gtest/gtest.h>

#include <string>

#include "core/test_assertions.h"
#include "core/utf8.h"
#include "support/test_support.h"
#include "text/document_decoder.h"

namespace {

using rl::text::Declared;
using rl::text::decode_document;
using rl::text::DecodedDocument;
using rl::text::DocumentError;

const std::string kSource = "yanji-2019-plan.txt";

// The plugin's default limit on a plan file.
const rl::text::ReadLimit kPlanLimit{std::size_t{16} << 20, "limits.plan_file_bytes"};

// The message of the DocumentError decode_document throws, or a marker.
std::string refusal_of(const std::string& bytes, Declared declared = Declared::utf8,
                       const std::string& source = kSource) {
    try {
        decode_document(bytes, source, declared);
    } catch (const DocumentError& e) {
        return e.what();
    }
    return "(decode_document threw no DocumentError)";
}

std::string read_refusal_of(const std::string& path) {
    try {
        rl::text::read_file(path, kPlanLimit);
    } catch (const DocumentError& e) {
        return e.what();
    }
    return "(read_file threw no DocumentError)";
}

// UTF-8 → UTF-16 bytes with a byte-order mark, encoded by hand.
std::string to_utf16(const std::string& utf8, bool little_endian) {
    std::string out = little_endian ? "\xFF\xFE" : "\xFE\xFF";
    const auto unit = [&](char16_t u) {
        const char lo = static_cast<char>(u & 0xFF);
        const char hi = static_cast<char>(u >> 8);
        out += little_endian ? lo : hi;
        out += little_endian ? hi : lo;
    };
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        const char32_t c = rl::core::utf8::next(utf8, pos);
        if (c >= 0x10000) {
            unit(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)));
            unit(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)));
        } else {
            unit(static_cast<char16_t>(c));
        }
    }
    return out;
}

// ------------------------------------------------------------------- UTF-8

TEST(DocumentDecoder, Utf8PassesUnchanged) {
    const std::string seed = rl::test::seed_plan_text();
    const DecodedDocument doc = decode_document(seed, kSource);
    EXPECT_EQ(doc.text, seed);
    EXPECT_EQ(doc.encoding, "UTF-8");
}

TEST(DocumentDecoder, Utf8ByteOrderMarkIsStripped) {
    const std::string seed = rl::test::seed_plan_text();
    const DecodedDocument doc = decode_document("\xEF\xBB\xBF" + seed, kSource);
    EXPECT_EQ(doc.text, seed);
    EXPECT_EQ(doc.encoding, "UTF-8");
}

TEST(DocumentDecoder, CrLfBecomesLf) {
    const DecodedDocument doc = decode_document(
        "一、推进司法责任制\r\n1.加强审判团队建设。\r\n责任部门：干部科\r\n", kSource);
    EXPECT_EQ(doc.text, "一、推进司法责任制\n1.加强审判团队建设。\n责任部门：干部科\n");
}

TEST(DocumentDecoder, LoneCrBecomesLf) {
    EXPECT_EQ(decode_document("一、推进司法责任制\r1.加强审判团队建设。\r", kSource).text,
              "一、推进司法责任制\n1.加强审判团队建设。\n");
}

TEST(DocumentDecoder, WholeSeedWithWindowsLineEndsEqualsTheSeed) {
    const std::string seed = rl::test::seed_plan_text();
    std::string crlf;
    for (char c : seed) {
        if (c == '\n') {
            crlf += '\r';
        }
        crlf += c;
    }
    EXPECT_EQ(decode_document("\xEF\xBB\xBF" + crlf, kSource).text, seed);
}

// ------------------------------------------------------------ empty input

TEST(DocumentDecoder, EmptyInputIsRefusedNamingTheSource) {
    EXPECT_THROW(decode_document("", kSource), DocumentError);
    EXPECT_TRUE(rl::test::has_text(refusal_of(""), {"empty", kSource}));
    EXPECT_TRUE(
        rl::test::has_text(refusal_of("", Declared::utf8, "request content"), "request content"));
}

TEST(DocumentDecoder, WhitespaceOnlyInputIsRefused) {
    EXPECT_TRUE(rl::test::has_text(refusal_of(" \r\n\t\n"), {"whitespace", kSource}));
    EXPECT_TRUE(rl::test::has_text(refusal_of("\u3000\u3000\n"), "whitespace"));
    const std::string bom_only = refusal_of("\xEF\xBB\xBF");
    EXPECT_TRUE(rl::test::has_text(bom_only, "whitespace") || rl::test::has_text(bom_only, "empty"))
        << bom_only;
}

// ---------------------------------------------------------------- binaries

TEST(DocumentDecoder, NulBytesMeanBinary) {
    const std::string bytes("责任部门\0干部科", 4 * 3 + 1 + 3 * 3);
    EXPECT_TRUE(rl::test::has_text(refusal_of(bytes), {"binary", kSource}));
    EXPECT_TRUE(rl::test::has_text(refusal_of(bytes), "offset 12"));
}

TEST(DocumentDecoder, ZipHeaderIsRefusedAsWordDocx) {
    const std::string docx = std::string("PK\x03\x04\x14\x00\x06\x00", 8) + "[Content_Types].xml";
    const std::string message = refusal_of(docx);
    EXPECT_TRUE(rl::test::has_text(message, {"zip", "docx", kSource}));
}

TEST(DocumentDecoder, OldWordDocIsRefused) {
    EXPECT_TRUE(rl::test::has_text(
        refusal_of(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + "xxxx"), ".doc"));
}

TEST(DocumentDecoder, PdfIsRefused) {
    EXPECT_TRUE(
        rl::test::has_text(refusal_of("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n"), {"PDF", kSource}));
}

TEST(DocumentDecoder, ControlCharactersMeanBinary) {
    EXPECT_TRUE(rl::test::has_text(refusal_of("责任部门：干部科\x01\x02"), {"binary", "0x01"}));
}

// --------------------------------------------------------------------- GBK

TEST(DocumentDecoder, UndeclaredGbkIsRefusedWithAdviceNotMojibake) {
    const std::string gbk = rl::test::to_gbk(rl::test::seed_plan_text());
    EXPECT_THROW(decode_document(gbk, kSource), DocumentError);
    const std::string message = refusal_of(gbk);
    EXPECT_TRUE(rl::test::has_text(message, {"GBK", "convert", "encoding", kSource}));
    EXPECT_TRUE(rl::core::utf8::is_valid(message)) << "the message itself must be clean UTF-8";
}

TEST(DocumentDecoder, DeclaredGbkConvertsToTheExactSeed) {
    const std::string seed = rl::test::seed_plan_text();
    const DecodedDocument doc = decode_document(rl::test::to_gbk(seed), kSource, Declared::gbk);
    EXPECT_EQ(doc.encoding, "GBK");
    EXPECT_EQ(doc.text, seed);
}

TEST(DocumentDecoder, DeclaredGbkWithWindowsLineEndsGivesLf) {
    const std::string gbk =
        rl::test::to_gbk("一、推进司法责任制\r\n责任部门：行政庭（综合审判庭）\r\n");
    EXPECT_EQ(decode_document(gbk, kSource, Declared::gbk).text,
              "一、推进司法责任制\n责任部门：行政庭（综合审判庭）\n");
}

TEST(DocumentDecoder, DeclaredGbkAcceptsPlainAscii) {
    const DecodedDocument doc = decode_document("plan 2019\n", kSource, Declared::gbk);
    EXPECT_EQ(doc.text, "plan 2019\n");
    EXPECT_EQ(doc.encoding, "GBK");
}

TEST(DocumentDecoder, Utf8ChineseDeclaredGbkIsRefused) {
    const std::string message = refusal_of(rl::test::seed_plan_text(), Declared::gbk);
    EXPECT_TRUE(rl::test::has_text(message, {"UTF-8", kSource}));
    EXPECT_TRUE(
        rl::test::has_text(refusal_of("\xEF\xBB\xBF责任部门：干部科\n", Declared::gbk), "UTF-8"));
}

TEST(DocumentDecoder, Gb18030FourByteSequenceIsRefusedNamingTheOffset) {
    const std::string prefix = rl::test::to_gbk("责任部门");  // 8 bytes
    ASSERT_EQ(prefix.size(), 8u);
    const std::string bytes = prefix + "\x81\x30\x81\x30" + rl::test::to_gbk("干部科");
    for (Declared declared : {Declared::utf8, Declared::gbk}) {
        const std::string message = refusal_of(bytes, declared);
        EXPECT_TRUE(rl::test::has_text(message, {"offset 8", "0x81", kSource}))
            << (declared == Declared::gbk ? "declared GBK" : "undeclared");
        EXPECT_FALSE(rl::test::has_text(message, "import it with the encoding option"));
    }
}

TEST(DocumentDecoder, BytesThatAreNeitherUtf8NorGbkAreRefusedNamingTheOffset) {
    for (Declared declared : {Declared::utf8, Declared::gbk}) {
        const std::string message = refusal_of("\xFF\xFF\xFF", declared);
        EXPECT_TRUE(rl::test::has_text(message, {"offset 0", "0xFF", "neither"}))
            << (declared == Declared::gbk ? "declared GBK" : "undeclared");
    }
    EXPECT_TRUE(rl::test::has_text(refusal_of("plan\n\xFF"), "offset 5"));
}

// ------------------------------------------------------------------ UTF-16

TEST(DocumentDecoder, Utf16LittleEndianWithBomIsDecoded) {
    const std::string bytes = to_utf16("责任部门：干部科\r\n注：😀\r\n", true);
    ASSERT_EQ(bytes.substr(0, 4), std::string("\xFF\xFE\x23\x8D", 4));  // BOM, then 责 = U+8D23
    const DecodedDocument doc = decode_document(bytes, kSource);
    EXPECT_EQ(doc.encoding, "UTF-16LE");
    EXPECT_EQ(doc.text, "责任部门：干部科\n注：😀\n");
}

TEST(DocumentDecoder, Utf16BigEndianWithBomIsDecoded) {
    const DecodedDocument doc = decode_document(to_utf16("责任部门：干部科\n", false), kSource);
    EXPECT_EQ(doc.encoding, "UTF-16BE");
    EXPECT_EQ(doc.text, "责任部门：干部科\n");
}

TEST(DocumentDecoder, WholeSeedInUtf16LeEqualsTheSeed) {
    const std::string seed = rl::test::seed_plan_text();
    EXPECT_EQ(decode_document(to_utf16(seed, true), kSource).text, seed);
}

TEST(DocumentDecoder, Utf16WithOddByteCountIsRefused) {
    const std::string bytes = to_utf16("干部科", true) + "\x41";
    EXPECT_TRUE(rl::test::has_text(refusal_of(bytes), {"UTF-16", kSource}));
}

// --------------------------------------------------------------- read_file

TEST(DocumentDecoder, ReadFileReturnsTheBytes) {
    rl::test::TempDir dir;
    const std::string path = dir.file("plan.txt");
    const std::string bytes =
        "\xEF\xBB\xBF" + rl::test::to_gbk("责任部门") + std::string("\0\r\n", 3);
    rl::test::write_file(path, bytes);
    EXPECT_EQ(rl::text::read_file(path, kPlanLimit), bytes);
    EXPECT_EQ(rl::text::read_file(RL_SEED_PLAN, kPlanLimit), rl::test::seed_plan_text());
}

TEST(DocumentDecoder, ReadFileOnMissingPathNamesThePath) {
    rl::test::TempDir dir;
    const std::string path = dir.file("没有这个方案.txt");
    EXPECT_THROW(rl::text::read_file(path, kPlanLimit), DocumentError);
    EXPECT_TRUE(rl::test::has_text(read_refusal_of(path), path));
}

TEST(DocumentDecoder, ReadFileOnADirectorySaysDirectory) {
    rl::test::TempDir dir;
    const std::string message = read_refusal_of(dir.path());
    EXPECT_TRUE(rl::test::has_text(message, {"directory", dir.path()}));
}

TEST(DocumentDecoder, ReadFileOfEmptyFileThenDecodeRefusesAsEmpty) {
    rl::test::TempDir dir;
    const std::string path = dir.file("empty.txt");
    rl::test::write_file(path, "");
    EXPECT_EQ(rl::text::read_file(path, kPlanLimit), "");
    EXPECT_TRUE(rl::test::has_text(
        refusal_of(rl::text::read_file(path, kPlanLimit), Declared::utf8, path), {"empty", path}));
}

}  // namespace
