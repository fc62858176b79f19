// rl::office: the Excel and Word writers and putting a document in place.
// Each file written is read back with the plugin's own readers
// (text/xlsx_reader.h, text/docx_reader.h) and its zip parts checked; a
// failed or refused write leaves no file behind.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "core/word_document.h"
#include "core/workbook.h"
#include "office/docx_writer.h"
#include "office/output_file.h"
#include "office/xlsx_writer.h"
#include "support/office_dump.h"
#include "support/test_support.h"
#include "text/docx_reader.h"
#include "text/ooxml_zip.h"
#include "text/xlsx_reader.h"

namespace {

using rl::core::Fill;
using rl::core::SheetCell;
using rl::office::WriteError;
using rl::test::TempDir;

constexpr std::size_t kUnpackLimit = std::size_t{16} << 20;

rl::core::Workbook two_sheets() {
    rl::core::Workbook book;
    book.title = "台账";
    rl::core::Sheet summary;
    summary.name = "汇总";
    summary.title_lines = {"2019年司法体制改革工作要点 工作台账"};
    summary.columns = {{"部门", 10}, {"任务", 8}};
    summary.rows = {{SheetCell::of_text("刑庭"), SheetCell::of_number(3)}};
    summary.total_row = {SheetCell::of_text("全部任务"), SheetCell::of_number(3)};
    rl::core::Sheet tasks;
    tasks.name = "一、深化司法责任制综合配套改革";
    tasks.columns = {{"序号", 6}, {"工作任务", 40, true}, {"完成时限", 12}, {"本期状态", 10}};
    tasks.rows = {{SheetCell::of_text("1"), SheetCell::of_text("制定权力清单\n第二行"),
                   SheetCell::of_date("2019-06-30"), SheetCell::of_text("已归档", Fill::green)},
                  {SheetCell::of_text("2"), SheetCell::of_text("长期任务"), SheetCell::of_date(""),
                   SheetCell::of_text("逾期", Fill::red)}};
    book.sheets = {summary, tasks};
    return book;
}

std::vector<std::string> files_in(const std::string& directory) {
    std::vector<std::string> out;
    DIR* d = opendir(directory.c_str());
    if (d == nullptr) {
        return out;
    }
    while (const dirent* e = readdir(d)) {
        const std::string name = e->d_name;
        if (name != "." && name != "..") {
            out.push_back(name);
        }
    }
    closedir(d);
    return out;
}

std::string text_of(const rl::core::Table& table, std::size_t row, std::size_t column) {
    return table.rows.at(row).at(column).text;
}

TEST(XlsxWriter, WritesEverySheetWithItsTitleHeadingRowsAndTotal) {
    TempDir dir;
    const std::string path = dir.file("ledger.xlsx");
    rl::office::write_xlsx(two_sheets(), path);
    const auto doc = rl::text::read_xlsx(rl::test::read_file(path), path, kUnpackLimit);
    ASSERT_EQ(doc.blocks.size(), 2u);
    const auto& summary = doc.blocks[0].table;
    EXPECT_EQ(summary.where, "sheet '汇总'");
    EXPECT_EQ(text_of(summary, 0, 0), "2019年司法体制改革工作要点 工作台账");
    EXPECT_EQ(text_of(summary, 1, 0), "部门");
    EXPECT_EQ(text_of(summary, 2, 0), "刑庭");
    EXPECT_EQ(text_of(summary, 2, 1), "3");
    EXPECT_EQ(text_of(summary, 3, 0), "全部任务");
    const auto& tasks = doc.blocks[1].table;
    EXPECT_EQ(tasks.where, "sheet '一、深化司法责任制综合配套改革'");
    EXPECT_EQ(text_of(tasks, 0, 1), "工作任务");
    EXPECT_EQ(text_of(tasks, 1, 1), "制定权力清单\n第二行");
    EXPECT_EQ(text_of(tasks, 1, 2), "2019-06-30");  // a date cell, shown as a date
    EXPECT_EQ(text_of(tasks, 1, 3), "已归档");
    EXPECT_EQ(text_of(tasks, 2, 2), "");
}

TEST(XlsxWriter, FreezesTheHeadingRowAndFiltersTheTable) {
    TempDir dir;
    const std::string path = dir.file("ledger.xlsx");
    rl::office::write_xlsx(two_sheets(), path);
    const std::string bytes = rl::test::read_file(path);
    rl::text::OoxmlPackage package(bytes, path, kUnpackLimit);
    const std::string summary = package.read("xl/worksheets/sheet1.xml");
    // One title line above: the heading is row 2, frozen below it; the
    // filter covers heading and rows, not the total.
    EXPECT_NE(summary.find("topLeftCell=\"A3\""), std::string::npos) << summary;
    EXPECT_NE(summary.find("state=\"frozen\""), std::string::npos);
    EXPECT_NE(summary.find("<autoFilter ref=\"A2:B3\""), std::string::npos) << summary;
    const std::string tasks = package.read("xl/worksheets/sheet2.xml");
    EXPECT_NE(tasks.find("<autoFilter ref=\"A1:D3\""), std::string::npos) << tasks;
    EXPECT_NE(tasks.find("topLeftCell=\"A2\""), std::string::npos);
    // The row whose wrapped cell has two lines is two lines tall.
    EXPECT_NE(tasks.find("<row r=\"2\""), std::string::npos);
    EXPECT_NE(tasks.find("ht=\"30\""), std::string::npos) << tasks;
    const std::string styles = package.read("xl/styles.xml");
    EXPECT_NE(styles.find("FFC6EFCE"), std::string::npos);  // green
    EXPECT_NE(styles.find("FFFFC7CE"), std::string::npos);  // red
    EXPECT_NE(styles.find("宋体"), std::string::npos);
    EXPECT_NE(styles.find("wrapText=\"1\""), std::string::npos);
}

TEST(XlsxWriter, ASheetNameExcelRefusesIsAWriteErrorNamingTheFile) {
    TempDir dir;
    auto book = two_sheets();
    book.sheets[1].name = "a/b";
    const std::string path = dir.file("bad.xlsx");
    try {
        rl::office::write_xlsx(book, path);
        FAIL() << "a sheet named a/b was written";
    } catch (const WriteError& e) {
        EXPECT_NE(std::string(e.what()).find("a/b"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
}

TEST(XlsxWriter, TextLongerThanACellHoldsIsCutAndMarked) {
    TempDir dir;
    auto book = two_sheets();
    std::string long_text;
    for (int i = 0; i < 40000; ++i) {
        long_text += "进";
    }
    book.sheets[1].rows[0][1] = SheetCell::of_text(long_text);
    const std::string path = dir.file("long.xlsx");
    rl::office::write_xlsx(book, path);
    const auto doc = rl::text::read_xlsx(rl::test::read_file(path), path, kUnpackLimit);
    const std::string cell = text_of(doc.blocks[1].table, 1, 1);
    EXPECT_EQ(rl::core::utf8::length(cell), 32767u);
    EXPECT_EQ(cell.substr(cell.size() - 3), "…");
}

rl::core::WordDocument bulletin() {
    using K = rl::core::WordBlock::Kind;
    rl::core::WordDocument doc;
    doc.title = "司法改革任务落实情况通报（2019年5月）";
    doc.blocks = {rl::core::WordBlock::of(K::title, doc.title),
                  rl::core::WordBlock::of(K::heading, "一、总体情况"),
                  rl::core::WordBlock::of(K::paragraph, "应报送4项 & <按时> 1项。"),
                  rl::core::WordBlock::of_table({{"部门", "应报"}, {"刑庭", "3"}}, {2000, 1000}),
                  rl::core::WordBlock::of_table({{"督办单号"}, {"督办〔2019〕1号"}}, {})};
    return doc;
}

TEST(DocxWriter, WritesTheParagraphsAndTablesInOrder) {
    TempDir dir;
    const std::string path = dir.file("bulletin.docx");
    rl::office::write_docx(bulletin(), "2019-06-14", path);
    const auto doc = rl::text::read_docx(rl::test::read_file(path), path, kUnpackLimit);
    std::vector<std::string> paragraphs;
    std::vector<rl::core::Table> tables;
    for (const auto& b : doc.blocks) {
        if (b.kind == rl::core::Block::Kind::table) {
            tables.push_back(b.table);
        } else if (!b.paragraph.text.empty()) {
            paragraphs.push_back(b.paragraph.text);
        }
    }
    EXPECT_EQ(paragraphs, (std::vector<std::string>{"司法改革任务落实情况通报（2019年5月）",
                                                    "一、总体情况", "应报送4项 & <按时> 1项。"}));
    ASSERT_EQ(tables.size(), 2u);
    EXPECT_EQ(text_of(tables[0], 0, 0), "部门");
    EXPECT_EQ(text_of(tables[0], 1, 0), "刑庭");
    EXPECT_EQ(text_of(tables[0], 1, 1), "3");
    EXPECT_EQ(text_of(tables[1], 1, 0), "督办〔2019〕1号");
}

TEST(DocxWriter, IsAMinimalPackageWithChineseFontsAndTheTitle) {
    const std::string bytes = rl::office::docx_bytes(bulletin(), "2019-06-14");
    rl::text::OoxmlPackage package(bytes, "bulletin.docx", kUnpackLimit);
    for (const char* part :
         {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
          "word/_rels/document.xml.rels", "docProps/core.xml"}) {
        EXPECT_TRUE(package.has(part)) << part;
    }
    const std::string styles = package.read("word/styles.xml");
    EXPECT_NE(styles.find("w:eastAsia=\"仿宋\""), std::string::npos);
    EXPECT_NE(styles.find("w:eastAsia=\"黑体\""), std::string::npos);
    EXPECT_NE(styles.find("w:styleId=\"Heading1\""), std::string::npos);
    const std::string core = package.read("docProps/core.xml");
    EXPECT_NE(core.find("司法改革任务落实情况通报（2019年5月）"), std::string::npos);
    EXPECT_NE(core.find("2019-06-14T00:00:00Z"), std::string::npos);
    // The same document on the same day: the same bytes.
    EXPECT_EQ(rl::office::docx_bytes(bulletin(), "2019-06-14"), bytes);
}

TEST(OutputFile, PutsTheDocumentInPlaceAndReportsItsSizeAndHash) {
    TempDir dir;
    const std::string path = dir.file("out.docx");
    const auto written = rl::office::put_in_place(path, false, [](const std::string& temporary) {
        rl::test::write_file(temporary, "hello");
    });
    EXPECT_EQ(rl::test::read_file(path), "hello");
    EXPECT_EQ(written.size, 5u);
    EXPECT_EQ(written.sha256, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    EXPECT_EQ(files_in(dir.path()), std::vector<std::string>{"out.docx"});
}

TEST(OutputFile, AnExistingFileIsKeptUnlessReplacing) {
    TempDir dir;
    const std::string path = dir.file("out.xlsx");
    rl::test::write_file(path, "the court's own file");
    bool called = false;
    try {
        rl::office::put_in_place(path, false, [&called](const std::string& temporary) {
            called = true;
            rl::test::write_file(temporary, "new");
        });
        FAIL() << "an existing file was replaced";
    } catch (const WriteError& e) {
        EXPECT_NE(std::string(e.what()).find("exists already"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("force"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(called);
    EXPECT_EQ(rl::test::read_file(path), "the court's own file");
    EXPECT_EQ(files_in(dir.path()).size(), 1u);
    rl::office::put_in_place(
        path, true, [](const std::string& temporary) { rl::test::write_file(temporary, "new"); });
    EXPECT_EQ(rl::test::read_file(path), "new");
    EXPECT_EQ(files_in(dir.path()).size(), 1u);
}

TEST(OutputFile, AFailedWriteLeavesNoFileBehind) {
    TempDir dir;
    const std::string path = dir.file("out.xlsx");
    EXPECT_THROW(rl::office::put_in_place(path, false,
                                          [](const std::string& temporary) {
                                              rl::test::write_file(temporary, "half a fi");
                                              throw WriteError("disk full");
                                          }),
                 WriteError);
    EXPECT_TRUE(files_in(dir.path()).empty());
}

TEST(OutputFile, AMissingDirectoryOrADirectoryAsTheFileIsRefused) {
    TempDir dir;
    const auto write = [](const std::string& temporary) { rl::test::write_file(temporary, "x"); };
    try {
        rl::office::put_in_place(dir.file("no-such-dir/out.xlsx"), false, write);
        FAIL();
    } catch (const WriteError& e) {
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
    }
    try {
        rl::office::put_in_place(dir.path(), true, write);
        FAIL();
    } catch (const WriteError& e) {
        EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(files_in(dir.path()).empty());
}

TEST(OutputFile, BytesReturnedInlineAreBoundedAndLeaveNothingBehind) {
    const std::string bytes = rl::office::produce_bytes(
        "x.docx", 10, [](const std::string& path) { rl::test::write_file(path, "0123456789"); });
    EXPECT_EQ(bytes, "0123456789");
    try {
        rl::office::produce_bytes(
            "x.docx", 9, [](const std::string& path) { rl::test::write_file(path, "0123456789"); });
        FAIL();
    } catch (const WriteError& e) {
        EXPECT_NE(std::string(e.what()).find("give \"path\""), std::string::npos) << e.what();
    }
}

}  // namespace

// What Word and WPS refuse as "unreadable content" and LibreOffice opens
// anyway (tests/support/ooxml_check.py): schema order, cells without a
// paragraph, grids that do not match the rows, the package's content types
// and relationships, characters XML 1.0 does not allow.
TEST(DocxWriter, KeepsTheRulesWordAndWpsEnforce) {
    using K = rl::core::WordBlock::Kind;
    TempDir dir;
    auto doc = bulletin();
    // Text as people paste it from Word and other programs: a vertical tab
    // (Word's manual line break), a form feed, other C0 controls.
    doc.blocks.push_back(rl::core::WordBlock::of(K::paragraph, "第一行\v第二行\f第三行\x01\x1f。"));
    doc.blocks.push_back(rl::core::WordBlock::of_table(
        {{"部门", "任务", "意见"}, {"刑庭"}, {"民庭", "33", "请\x0b尽快\x08报送"}}, {}));
    doc.blocks.push_back(rl::core::WordBlock::of_table({}, {1000}));
    const std::string path = dir.file("bulletin.docx");
    rl::office::write_docx(doc, "2019-06-14", path);
    EXPECT_EQ(rl::test::ooxml_violations(path), "");
    // And what it says (read by python-docx): a vertical tab is a line
    // break, the other controls are left out.
    const rapidjson::Document read = rl::test::office_dump(path);
    std::vector<std::string> paragraphs;
    for (const auto& p : read["paragraphs"].GetArray()) {
        paragraphs.emplace_back(p["text"].GetString());
    }
    EXPECT_NE(std::find(paragraphs.begin(), paragraphs.end(), "第一行\n第二行\n第三行。"),
              paragraphs.end());
    const auto& tables = read["tables"];
    ASSERT_EQ(tables.Size(), 3u) << "the table without rows is left out";
    EXPECT_STREQ(tables[2][2][2].GetString(), "请\n尽快报送");
    EXPECT_STREQ(tables[2][1][2].GetString(), "") << "a short row is filled with empty cells";
}

TEST(XlsxWriter, KeepsTheRulesExcelEnforces) {
    TempDir dir;
    auto book = two_sheets();
    book.sheets[1].rows[1][1] = SheetCell::of_text("请\x0b尽快\x01报送");
    const std::string path = dir.file("ledger.xlsx");
    rl::office::write_xlsx(book, path);
    EXPECT_EQ(rl::test::ooxml_violations(path), "");
}
