// rl::text::sniff_format and refusal_for: a plan file is judged by its bytes,
// whatever its name, and the kinds no reader takes are refused with advice.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "text/plan_formats.h"

namespace {

using rl::text::FileFormat;
using rl::text::refusal_for;
using rl::text::sniff_format;

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(RL_FIXTURES) + "/plans/" + name, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// An OLE compound file's first bytes and, somewhere in its directory, a
// stream name in UTF-16LE.
std::string ole_with_stream(const std::string& name) {
    std::string bytes("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    bytes += std::string(504, '\0');
    for (char c : name) {
        bytes += c;
        bytes += '\0';
    }
    return bytes;
}

TEST(PlanFormats, WordFilesAreDocxWhateverTheirName) {
    EXPECT_EQ(sniff_format(fixture("numbering-only.docx"), "plan.doc"), FileFormat::docx);
    EXPECT_EQ(sniff_format(fixture("division-table.docx"), "request content"), FileFormat::docx);
    EXPECT_EQ(sniff_format(fixture("no-body.docx"), "x"), FileFormat::docx);
    EXPECT_EQ(sniff_format(fixture("zip-bomb.docx"), "x"), FileFormat::docx);
}

TEST(PlanFormats, DamagedZipIsJudgedByItsName) {
    const std::string bytes = fixture("corrupt.docx");
    EXPECT_EQ(sniff_format(bytes, "plan.DOCX"), FileFormat::docx);
    EXPECT_EQ(sniff_format(bytes, "plan.xlsx"), FileFormat::xlsx);
    EXPECT_EQ(sniff_format(bytes, "request content"), FileFormat::other_zip);
}

TEST(PlanFormats, EncryptedOfficeFileIsToldFromAnOldBinaryOne) {
    EXPECT_EQ(sniff_format(fixture("encrypted.docx"), "plan.docx"), FileFormat::encrypted_ooxml);
    EXPECT_EQ(sniff_format(ole_with_stream("WordDocument"), "plan.doc"), FileFormat::ole_compound);
    EXPECT_EQ(sniff_format(ole_with_stream("Workbook"), "plan.xls"), FileFormat::ole_compound);
}

TEST(PlanFormats, PdfRtfAndTextByTheirFirstBytes) {
    EXPECT_EQ(sniff_format("%PDF-1.7\n...", "plan.pdf"), FileFormat::pdf);
    EXPECT_EQ(sniff_format("{\\rtf1\\ansi ...}", "plan.doc"), FileFormat::rtf);
    EXPECT_EQ(sniff_format("一、推进司法责任制\n", "plan.docx"), FileFormat::text);
    EXPECT_EQ(sniff_format("", "plan.txt"), FileFormat::text);
    EXPECT_EQ(sniff_format("PK", "plan.txt"), FileFormat::text);
}

TEST(PlanFormats, RefusalsSayWhatTheFileIsAndWhatToDo) {
    EXPECT_EQ(refusal_for(FileFormat::text, "a"), "");
    EXPECT_EQ(refusal_for(FileFormat::docx, "a"), "");
    EXPECT_EQ(refusal_for(FileFormat::xlsx, "a"), "");
    const std::string doc = refusal_for(FileFormat::ole_compound, "plan.doc");
    EXPECT_TRUE(has(doc, "plan.doc is an old binary Office file")) << doc;
    EXPECT_TRUE(has(doc, "save it as .docx")) << doc;
    EXPECT_TRUE(has(doc, ".wps")) << doc;
    const std::string locked = refusal_for(FileFormat::encrypted_ooxml, "plan.docx");
    EXPECT_TRUE(has(locked, "plan.docx is password-protected")) << locked;
    EXPECT_TRUE(has(locked, "remove the password")) << locked;
    const std::string pdf = refusal_for(FileFormat::pdf, "plan.pdf");
    EXPECT_TRUE(has(pdf, "plan.pdf is a PDF")) << pdf;
    EXPECT_TRUE(has(pdf, "save the original Word file as .docx")) << pdf;
    EXPECT_TRUE(has(pdf, ".txt")) << pdf;
    const std::string zip = refusal_for(FileFormat::other_zip, "plan.odt");
    EXPECT_TRUE(has(zip, "plan.odt is a zip package but not a Word (.docx) or Excel (.xlsx)"))
        << zip;
    const std::string rtf = refusal_for(FileFormat::rtf, "plan.doc");
    EXPECT_TRUE(has(rtf, "plan.doc is a Rich Text (RTF) file")) << rtf;
}

TEST(PlanFormats, FormatNames) {
    EXPECT_STREQ(rl::text::format_name(FileFormat::docx), "docx");
    EXPECT_STREQ(rl::text::format_name(FileFormat::encrypted_ooxml), "encrypted_ooxml");
    EXPECT_STREQ(rl::text::format_name(FileFormat::ole_compound), "ole_compound");
}

}  // namespace
