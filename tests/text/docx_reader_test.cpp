// rl::text::read_docx on Word files made by tests/fixtures/plans/make_docx.py
// (python3-docx): what a person sees in Word is what the parser gets —
// numbering, bold leads, tables with merges — and nothing a person does not
// see; every bad file is a DocumentError that names it.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "text/docx_reader.h"
#include "text/file_reader.h"

namespace {

using rl::core::Block;
using rl::core::Document;
using rl::core::Paragraph;
using rl::text::DocumentError;
using rl::text::read_docx;

constexpr std::size_t kCap = std::size_t{16} << 20;

std::string fixture(const std::string& name) {
    const std::string path = std::string(RL_FIXTURES) + "/plans/" + name;
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << "missing fixture " << path;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

Document read_fixture(const std::string& name) {
    return read_docx(fixture(name), name, kCap);
}

std::vector<Paragraph> paragraphs_of(const Document& document) {
    std::vector<Paragraph> paragraphs;
    for (const Block& block : document.blocks) {
        if (block.kind == Block::Kind::paragraph) {
            paragraphs.push_back(block.paragraph);
        }
    }
    return paragraphs;
}

std::vector<std::string> texts_of(const Document& document) {
    std::vector<std::string> texts;
    for (const Paragraph& paragraph : paragraphs_of(document)) {
        texts.push_back(paragraph.text);
    }
    return texts;
}

std::vector<std::string> bold_runs(const Paragraph& paragraph) {
    std::vector<std::string> bold;
    for (const auto& run : paragraph.runs) {
        if (run.bold) {
            bold.push_back(run.text);
        }
    }
    return bold;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string refusal_of(const std::string& bytes, const std::string& source,
                       std::size_t cap = kCap) {
    try {
        read_docx(bytes, source, cap);
    } catch (const DocumentError& e) {
        return e.what();
    }
    return "(read_docx threw no DocumentError)";
}

// A .docx package with this document.xml, made with Poco's zip writer.
std::string docx_with(const std::string& document_xml) {
    std::ostringstream out;
    Poco::Zip::Compress zip(out, true);
    std::istringstream in(document_xml);
    zip.addFile(in, Poco::DateTime(2020, 1, 1),
                Poco::Path("word/document.xml", Poco::Path::PATH_UNIX),
                Poco::Zip::ZipCommon::CM_DEFLATE, Poco::Zip::ZipCommon::CL_MAXIMUM);
    zip.close();
    return out.str();
}

const char* const kW = "xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'";

TEST(DocxReader, SeedAsWordReadsAsTheSeedLinesWithTheFirstListedUnitBold) {
    std::ifstream seed(RL_SEED_PLAN);
    std::vector<std::string> lines;
    for (std::string line; std::getline(seed, line);) {
        if (line.find_first_not_of(" \t\r") != std::string::npos) {
            lines.push_back(line);
        }
    }
    ASSERT_GT(lines.size(), 100u);
    const Document document = read_fixture("yanji-2019-bold-leads.docx");
    EXPECT_EQ(document.format, "docx");
    EXPECT_EQ(texts_of(document), lines);
    int responsibility_lines = 0;
    for (const Paragraph& paragraph : paragraphs_of(document)) {
        if (paragraph.text.rfind("责任部门：", 0) == 0) {
            ++responsibility_lines;
            const std::string names = paragraph.text.substr(std::string("责任部门：").size());
            const std::string first = names.substr(0, std::min(names.find("、"), names.find("；")));
            EXPECT_EQ(bold_runs(paragraph), std::vector<std::string>{first}) << paragraph.where;
        } else {
            EXPECT_TRUE(bold_runs(paragraph).empty()) << paragraph.where;
        }
    }
    EXPECT_EQ(responsibility_lines, 46);
    const auto paragraphs = paragraphs_of(document);
    EXPECT_EQ(paragraphs.front().where, "paragraph 1");
    EXPECT_EQ(paragraphs.back().position, static_cast<int>(lines.size()));
}

TEST(DocxReader, BoldNamesAreKeptWhereverTheyStandInTheList) {
    const auto paragraphs = paragraphs_of(read_fixture("bold-lead-not-first.docx"));
    ASSERT_EQ(paragraphs.size(), 6u);
    EXPECT_EQ(paragraphs[3].text, "责任部门：干部科、审管办、技术科");
    EXPECT_EQ(bold_runs(paragraphs[3]), std::vector<std::string>{"审管办"});
    EXPECT_EQ(paragraphs[5].text, "责任部门：研究室、审管办、监察室");
    EXPECT_EQ(bold_runs(paragraphs[5]), (std::vector<std::string>{"审管办", "监察室"}));
}

TEST(DocxReader, AutomaticNumberingIsRenderedAsWordShowsIt) {
    const auto paragraphs = paragraphs_of(read_fixture("numbering-only.docx"));
    const std::vector<std::string> expected = {
        "某某法院2020年司法改革工作要点",
        "一、推进司法责任制",
        "（一）完善审判团队",
        "1.加强审判团队建设。",
        "责任部门：干部科",
        "2.明确司法人员岗位职责。",
        "责任部门：干部科、审管办",
        "（二）健全审判监督",
        "1.细化院长、庭长审判监督管理权责清单。",  // restarted under （二）; numbered by its style
        "责任部门：审管办",
        "二、深化司法公开",
        "（一）深化裁判文书公开",  // restarted under 二、
        "1.完善裁判文书上网机制。",
        "责任部门：审管办、技术科",
        "工作要求：",              // a bullet: no number
        "附件：人民法庭工作要点",  // numId 0: no numbering
        "一、优化人民法庭布局",    // a w:num that restarts the list (startOverride)
        "（一）推进家事审判方式改革",
        "1.完善家事调查制度。",
        "责任部门：民庭",
    };
    std::vector<std::string> texts;
    for (const Paragraph& paragraph : paragraphs) {
        texts.push_back(paragraph.text);
    }
    EXPECT_EQ(texts, expected);
    // The number is the paragraph's first run, unstyled.
    ASSERT_GE(paragraphs[2].runs.size(), 2u);
    EXPECT_EQ(paragraphs[2].runs[0].text, "（一）");
    EXPECT_FALSE(paragraphs[2].runs[0].bold);
    EXPECT_EQ(paragraphs[2].runs[1].text, "完善审判团队");
    EXPECT_EQ(paragraphs[14].runs.size(), 1u);
}

TEST(DocxReader, DivisionTableIsARectangularGridWithMergedCellsRepeated) {
    const Document document = read_fixture("division-table.docx");
    ASSERT_EQ(document.blocks.size(), 3u);
    EXPECT_EQ(document.blocks[0].paragraph.text, "附件");
    ASSERT_EQ(document.blocks[1].kind, Block::Kind::table);
    EXPECT_EQ(document.blocks[2].paragraph.text, "（此件公开发布）");
    EXPECT_EQ(document.blocks[2].paragraph.where, "paragraph 2");
    const rl::core::Table& table = document.blocks[1].table;
    EXPECT_EQ(table.where, "table 1");
    EXPECT_EQ(table.position, 2);
    ASSERT_EQ(table.rows.size(), 8u);
    for (const auto& row : table.rows) {
        ASSERT_EQ(row.size(), 5u);
    }
    const auto text = [&](std::size_t r, std::size_t c) { return table.rows[r][c].text; };
    for (std::size_t c = 0; c < 5; ++c) {  // the title row and section rows span the table
        EXPECT_EQ(text(0, c), "延吉市法院2020年司法改革任务分工表");
        EXPECT_EQ(text(2, c), "一、推进司法责任制");
        EXPECT_EQ(text(5, c), "二、深化司法公开");
        EXPECT_EQ(table.rows[2][c].merged_from_left, c > 0);
    }
    const std::vector<std::string> header = {"序号", "改革任务", "牵头部门", "配合部门",
                                             "完成时限"};
    for (std::size_t c = 0; c < 5; ++c) {
        EXPECT_EQ(text(1, c), header[c]);
        EXPECT_FALSE(table.rows[1][c].merged_from_left);
    }
    EXPECT_EQ(bold_runs(std::invoke([&] {
                  Paragraph p;
                  p.runs = table.rows[1][2].runs;
                  return p;
              })),
              std::vector<std::string>{"牵头部门"});
    EXPECT_EQ(text(3, 1), "加强审判团队建设");
    EXPECT_EQ(text(3, 2), "干部科");
    EXPECT_FALSE(table.rows[3][2].merged_from_above);
    EXPECT_EQ(text(4, 2), "干部科");  // the vertically merged lead cell, repeated
    EXPECT_TRUE(table.rows[4][2].merged_from_above);
    EXPECT_EQ(text(4, 3), "研究室");
    EXPECT_EQ(text(6, 4), "长期坚持");
    EXPECT_EQ(text(7, 3), "");
}

TEST(DocxReader, HeadersFootersCommentsDeletionsAndFieldCodesAreLeftOut) {
    const Document document = read_fixture("tracked-and-comments.docx");
    EXPECT_EQ(texts_of(document), (std::vector<std::string>{
                                      "一、推进司法责任制", "1.加强审判团队建设。",
                                      "责任部门：干部科", "2.深化司法公开。移来的文字", "第3页"}));
}

TEST(DocxReader, BoldComesFromRunsCharacterAndParagraphStylesThroughBasedOn) {
    const auto paragraphs = paragraphs_of(read_fixture("word-layout.docx"));
    ASSERT_EQ(paragraphs.size(), 7u);
    // Paragraph style bold (PlanHeading), and inherited through basedOn with
    // a run that turns it off (w:b w:val="0").
    EXPECT_EQ(bold_runs(paragraphs[0]), std::vector<std::string>{"一、推进司法责任制"});
    EXPECT_EQ(bold_runs(paragraphs[1]), std::vector<std::string>{"审判团队"});
    // Character style bold, and inherited through basedOn; direct "not bold".
    EXPECT_EQ(paragraphs[2].text, "责任部门：干部科、审管办、技术科");
    EXPECT_EQ(bold_runs(paragraphs[2]), (std::vector<std::string>{"干部科", "审管办"}));
}

TEST(DocxReader, LineBreakSplitsAParagraphAndTabsHyperlinksAndContentControlsAreText) {
    const auto paragraphs = paragraphs_of(read_fixture("word-layout.docx"));
    ASSERT_EQ(paragraphs.size(), 7u);
    EXPECT_EQ(paragraphs[3].text, "1.加强审判团队建设。");
    EXPECT_EQ(paragraphs[3].where, "paragraph 4 (line 1)");
    EXPECT_EQ(paragraphs[4].text, "责任部门：干部科");
    EXPECT_EQ(paragraphs[4].where, "paragraph 4 (line 2)");
    EXPECT_EQ(paragraphs[4].position, 4);
    EXPECT_EQ(paragraphs[5].text, "2. 深化司法公开。");
    EXPECT_TRUE(bold_runs(paragraphs[5]).empty());  // the content control's own rPr is not text's
    EXPECT_EQ(paragraphs[6].where, "paragraph 6");
}

TEST(DocxReader, NestedTableIsFlattenedIntoItsCell) {
    const Document document = read_fixture("word-layout.docx");
    const rl::core::Table* table = nullptr;
    for (const Block& block : document.blocks) {
        if (block.kind == Block::Kind::table) {
            table = &block.table;
        }
    }
    ASSERT_NE(table, nullptr);
    ASSERT_EQ(table->rows.size(), 1u);
    ASSERT_EQ(table->rows[0].size(), 2u);
    EXPECT_EQ(table->rows[0][0].text, "外层");
    EXPECT_EQ(table->rows[0][1].text, "内层甲\n内层乙");
}

TEST(DocxReader, TruncatedFileIsRefusedAsDamaged) {
    const std::string message = refusal_of(fixture("corrupt.docx"), "corrupt.docx");
    EXPECT_TRUE(has(message, "corrupt.docx")) << message;
    EXPECT_TRUE(has(message, "damaged or truncated")) << message;
}

TEST(DocxReader, ZipBombStopsAtTheCapWithoutInflatingTheRest) {
    const std::string bytes = fixture("zip-bomb.docx");
    ASSERT_LT(bytes.size(), 2u << 20);
    const std::string message = refusal_of(bytes, "zip-bomb.docx", 4u << 20);
    EXPECT_TRUE(has(message, "zip-bomb.docx: word/document.xml unpacks to more than")) << message;
    EXPECT_TRUE(has(message, "4194304 bytes (4 MiB)")) << message;
    EXPECT_TRUE(has(message, "zip bomb")) << message;
    // The entry inflates to 1.1 GiB; had it been inflated (or held), the
    // process would have peaked far above this.
    struct rusage usage {};
    ASSERT_EQ(::getrusage(RUSAGE_SELF, &usage), 0);
    EXPECT_LT(usage.ru_maxrss, 256L * 1024) << "peak resident KiB";
}

TEST(DocxReader, PackageWithoutDocumentOrBodyIsADocxWithoutABody) {
    const std::string message = refusal_of(fixture("no-body.docx"), "no-body.docx");
    EXPECT_TRUE(has(message, "no-body.docx is a .docx without a body")) << message;
    EXPECT_TRUE(has(message, "w:body")) << message;

    std::ostringstream out;
    Poco::Zip::Compress zip(out, true);
    std::istringstream in("<Types/>");
    zip.addFile(in, Poco::DateTime(2020, 1, 1), Poco::Path("[Content_Types].xml"),
                Poco::Zip::ZipCommon::CM_DEFLATE, Poco::Zip::ZipCommon::CL_NORMAL);
    zip.close();
    const std::string none = refusal_of(out.str(), "empty.docx");
    EXPECT_TRUE(has(none, "empty.docx is a .docx without a body")) << none;
    EXPECT_TRUE(has(none, "word/document.xml")) << none;
}

TEST(DocxReader, EncryptedFileIsRefusedAsPasswordProtected) {
    const std::string message = refusal_of(fixture("encrypted.docx"), "encrypted.docx");
    EXPECT_TRUE(has(message, "encrypted.docx is password-protected")) << message;
    EXPECT_TRUE(has(message, "remove the password")) << message;
}

TEST(DocxReader, TextIsNotADocx) {
    const std::string message = refusal_of("一、推进司法责任制\n", "plan.docx");
    EXPECT_TRUE(has(message, "plan.docx is not a Word .docx file")) << message;
}

TEST(DocxReader, DoctypeInTheDocumentIsRefused) {
    const std::string bytes = docx_with(
        std::string("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]>") + "<w:document " +
        kW + "><w:body><w:p><w:r><w:t>&a;</w:t>" + "</w:r></w:p></w:body></w:document>");
    const std::string message = refusal_of(bytes, "doctype.docx");
    EXPECT_TRUE(has(message, "doctype.docx: word/document.xml has a DOCTYPE")) << message;
}

TEST(DocxReader, MalformedXmlNamesThePart) {
    const std::string bytes =
        docx_with(std::string("<w:document ") + kW + "><w:body><w:p></w:body></w:document>");
    const std::string message = refusal_of(bytes, "broken.docx");
    EXPECT_TRUE(has(message, "broken.docx: word/document.xml is not well-formed XML")) << message;
}

TEST(DocxReader, MinimalPackageWithoutStylesOrNumberingReads) {
    const std::string bytes =
        docx_with(std::string("<w:document ") + kW +
                  "><w:body><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>干部科</w:t></w:r>"
                  "<w:r><w:rPr><w:b w:val='false'/></w:rPr><w:t>、技术科</w:t></w:r></w:p>"
                  "<w:p/></w:body></w:document>");
    const auto paragraphs = paragraphs_of(read_docx(bytes, "minimal.docx", kCap));
    ASSERT_EQ(paragraphs.size(), 2u);
    EXPECT_EQ(paragraphs[0].text, "干部科、技术科");
    EXPECT_EQ(bold_runs(paragraphs[0]), std::vector<std::string>{"干部科"});
    EXPECT_EQ(paragraphs[1].text, "");
    EXPECT_EQ(paragraphs[1].position, 2);
}

}  // namespace
