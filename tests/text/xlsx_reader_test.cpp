// rl::text::read_xlsx: an Excel workbook as the tables the plan parser reads.
// The fixtures in tests/fixtures/plans/ are real .xlsx files written by
// openpyxl (tests/fixtures/plans/make_xlsx.py); the cases openpyxl cannot
// write (rich text styles, the 1904 date system, cells without references,
// formulas' cached values, damaged parts) are zipped here from their XML with
// Poco's own zip writer.
#include <gtest/gtest.h>

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/plan_parser.h"
#include "core/test_assertions.h"
#include "support/test_support.h"
#include "text/file_reader.h"
#include "text/xlsx_reader.h"

namespace {

using rl::core::Cell;
using rl::core::Document;
using rl::core::Run;
using rl::core::Table;
using rl::text::DocumentError;
using rl::text::read_xlsx;

constexpr std::size_t kUnpackLimit = std::size_t{16} << 20;

std::string fixture(const std::string& name) {
    return rl::test::read_file(std::string(RL_FIXTURES) + "/plans/" + name);
}

Document read_fixture(const std::string& name) {
    return read_xlsx(fixture(name), name, kUnpackLimit);
}

// The DocumentError read_xlsx throws for these bytes, or a marker.
std::string refusal_of(const std::string& bytes, const std::string& source = "plan.xlsx") {
    std::string message = "(read_xlsx threw no DocumentError)";
    rl::test::within_deadline(60, "read_xlsx(" + source + ")", [&] {
        try {
            read_xlsx(bytes, source, kUnpackLimit);
        } catch (const DocumentError& e) {
            message = e.what();
        }
    });
    return message;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

const Table& table_of(const Document& document, std::size_t index) {
    static const Table none;
    if (index >= document.blocks.size() ||
        document.blocks[index].kind != rl::core::Block::Kind::table) {
        ADD_FAILURE() << "no table block " << index;
        return none;
    }
    return document.blocks[index].table;
}

// The cell at an A1 reference ("B12"); a failure when it is outside the grid.
const Cell& cell_at(const Table& table, const std::string& reference) {
    static const Cell none;
    std::size_t i = 0;
    std::size_t column = 0;
    for (; i < reference.size() && reference[i] >= 'A' && reference[i] <= 'Z'; ++i) {
        column = column * 26 + static_cast<std::size_t>(reference[i] - 'A' + 1);
    }
    const std::size_t row = std::stoul(reference.substr(i));
    if (row == 0 || row > table.rows.size() || column == 0 || column > table.rows[row - 1].size()) {
        ADD_FAILURE() << reference << " is outside the grid of " << table.where;
        return none;
    }
    return table.rows[row - 1][column - 1];
}

std::string text_at(const Table& table, const std::string& reference) {
    return cell_at(table, reference).text;
}

// Runs as "text" or "*bold*", for comparing in one line.
std::vector<std::string> runs_of(const Cell& cell) {
    std::vector<std::string> runs;
    for (const Run& run : cell.runs) {
        runs.push_back(run.bold ? "*" + run.text + "*" : run.text);
    }
    return runs;
}

// ------------------------------------------------ workbooks built from XML

struct Part {
    std::string name;
    std::string content;
};

std::string zip_of(const std::vector<Part>& parts) {
    std::ostringstream out;
    Poco::Zip::Compress zip(out, true);
    for (const Part& part : parts) {
        std::istringstream in(part.content);
        zip.addFile(in, Poco::DateTime(2020, 1, 1), Poco::Path(part.name, Poco::Path::PATH_UNIX));
    }
    zip.close();
    return out.str();
}

const std::string kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const std::string kRelationships =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

struct Sheet {
    Sheet(std::string name_, std::string body_, std::string state_ = "", std::string part_ = "")
        : name(std::move(name_)),
          body(std::move(body_)),
          state(std::move(state_)),
          part(std::move(part_)) {}
    std::string name;
    std::string body;   // inside <worksheet>: <sheetData>…</sheetData>, <mergeCells>…
    std::string state;  // "", "hidden", "veryHidden"
    std::string part;   // default: xl/worksheets/sheetN.xml
};

struct Book {
    Book() = default;
    Book(std::vector<Sheet> sheets_, std::string shared_strings_ = "", std::string styles_ = "",
         bool date1904_ = false)
        : sheets(std::move(sheets_)),
          shared_strings(std::move(shared_strings_)),
          styles(std::move(styles_)),
          date1904(date1904_) {}
    std::vector<Sheet> sheets;
    std::string shared_strings;  // <si> items; none: no sharedStrings.xml
    std::string styles;          // inside <styleSheet>; none: no styles.xml
    bool date1904 = false;
};

std::string xlsx_of(const Book& book) {
    std::vector<Part> parts;
    std::string sheets;
    std::string relationships;
    for (std::size_t i = 0; i < book.sheets.size(); ++i) {
        const Sheet& sheet = book.sheets[i];
        const std::string id = "rId" + std::to_string(i + 1);
        const std::string part = sheet.part.empty()
                                     ? "xl/worksheets/sheet" + std::to_string(i + 1) + ".xml"
                                     : sheet.part;
        sheets += "<sheet name=\"" + sheet.name + "\" sheetId=\"" + std::to_string(i + 1) + "\"" +
                  (sheet.state.empty() ? "" : " state=\"" + sheet.state + "\"") + " r:id=\"" + id +
                  "\"/>";
        relationships += "<Relationship Id=\"" + id + "\" Type=\"" + kRelationships +
                         "/worksheet\" Target=\"/" + part + "\"/>";
        parts.push_back(
            {part, "<worksheet xmlns=\"" + kMain + "\">" + sheet.body + "</worksheet>"});
    }
    if (!book.shared_strings.empty()) {
        relationships += "<Relationship Id=\"rIdS\" Type=\"" + kRelationships +
                         "/sharedStrings\" Target=\"sharedStrings.xml\"/>";
        parts.push_back({"xl/sharedStrings.xml",
                         "<sst xmlns=\"" + kMain + "\">" + book.shared_strings + "</sst>"});
    }
    if (!book.styles.empty()) {
        relationships += "<Relationship Id=\"rIdT\" Type=\"" + kRelationships +
                         "/styles\" Target=\"styles.xml\"/>";
        parts.push_back({"xl/styles.xml",
                         "<styleSheet xmlns=\"" + kMain + "\">" + book.styles + "</styleSheet>"});
    }
    parts.push_back({"xl/workbook.xml",
                     "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook "
                     "xmlns=\"" +
                         kMain + "\" xmlns:r=\"" + kRelationships + "\">" +
                         (book.date1904 ? "<workbookPr date1904=\"1\"/>" : "<workbookPr/>") +
                         "<sheets>" + sheets + "</sheets></workbook>"});
    parts.push_back({"xl/_rels/workbook.xml.rels",
                     "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                     "relationships\">" +
                         relationships + "</Relationships>"});
    return zip_of(parts);
}

Document read_book(const Book& book) {
    return read_xlsx(xlsx_of(book), "plan.xlsx", kUnpackLimit);
}

std::string data(const std::string& rows) {
    return "<sheetData>" + rows + "</sheetData>";
}

// Number formats: xf 0 General, 1 built-in date (14), 2 a custom Chinese date,
// 3 a custom number format, 4 percent (9), 5 bold General, 6 built-in 58
// (Chinese Excel's m月d日).
const std::string kStyles =
    "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;"
    "d&quot;日&quot;\"/><numFmt numFmtId=\"165\" formatCode=\"#,##0.00_);[Red]\\(#,##0.00\\)\"/>"
    "</numFmts>"
    "<fonts count=\"2\"><font><sz val=\"11\"/></font><font><b/><sz val=\"11\"/></font></fonts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"1\"/></cellStyleXfs>"
    "<cellXfs count=\"7\"><xf numFmtId=\"0\" fontId=\"0\"/><xf numFmtId=\"14\" fontId=\"0\"/>"
    "<xf numFmtId=\"164\" fontId=\"0\"/><xf numFmtId=\"165\" fontId=\"0\"/>"
    "<xf numFmtId=\"9\" fontId=\"0\"/><xf numFmtId=\"0\" fontId=\"1\"/>"
    "<xf numFmtId=\"58\" fontId=\"0\"/></cellXfs>"
    "<dxfs count=\"1\"><dxf><font><b/></font></dxf></dxfs>";

// ------------------------------------------------------------ the fixtures

TEST(XlsxReader, DivisionTableIsOneTableFromA1ToTheLastValue) {
    const Document document = read_fixture("division-table.xlsx");
    EXPECT_EQ(document.format, "xlsx");
    ASSERT_EQ(document.blocks.size(), 1u);
    const Table& table = table_of(document, 0);
    EXPECT_EQ(table.where, "sheet '分工表'");
    EXPECT_EQ(table.position, 1);
    ASSERT_EQ(table.rows.size(), 8u);
    for (const auto& row : table.rows) {
        EXPECT_EQ(row.size(), 6u);
    }
    const std::vector<std::string> header = {"序号",     "改革任务", "牵头部门",
                                             "配合部门", "完成时限", "进度要求"};
    for (std::size_t c = 0; c < header.size(); ++c) {
        EXPECT_EQ(table.rows[1][c].text, header[c]);
    }
    EXPECT_EQ(text_at(table, "A4"), "1");  // an integer, as Excel shows it
    EXPECT_EQ(text_at(table, "B4"), "完善审判团队建设。根据案件类型组建新型审判团队。");
    EXPECT_EQ(text_at(table, "E4"), "2020年6月底前");
    EXPECT_EQ(text_at(table, "E6"), "长期坚持");
    EXPECT_EQ(text_at(table, "F6"), "");
}

TEST(XlsxReader, DivisionTableDeadlineStoredAsAnExcelDateReadsAsAnIsoDate) {
    const Document document = read_fixture("division-table.xlsx");
    const Table& table = table_of(document, 0);
    EXPECT_EQ(text_at(table, "E5"), "2020-09-30");
}

TEST(XlsxReader, MergedTitleAndSectionRowsRepeatTheirTextAcrossTheTable) {
    const Document document = read_fixture("division-table.xlsx");
    const Table& table = table_of(document, 0);
    for (const std::string row : {"1", "3", "7"}) {
        const std::string first = text_at(table, "A" + row);
        EXPECT_FALSE(cell_at(table, "A" + row).merged_from_left);
        for (const std::string column : {"B", "C", "D", "E", "F"}) {
            const Cell& cell = cell_at(table, column + row);
            EXPECT_EQ(cell.text, first) << column << row;
            EXPECT_TRUE(cell.merged_from_left) << column << row;
            EXPECT_FALSE(cell.merged_from_above) << column << row;
        }
    }
    EXPECT_EQ(text_at(table, "A3"), "一、深化司法责任制综合配套改革");
    EXPECT_EQ(text_at(table, "F7"), "二、深化诉讼制度改革");
}

TEST(XlsxReader, LeadDepartmentMergedOverTwoTasksIsRepeatedInTheSecond) {
    const Document document = read_fixture("division-table.xlsx");
    const Table& table = table_of(document, 0);
    EXPECT_EQ(text_at(table, "C5"), "审管办");
    EXPECT_FALSE(cell_at(table, "C5").merged_from_above);
    EXPECT_EQ(text_at(table, "C6"), "审管办");
    EXPECT_TRUE(cell_at(table, "C6").merged_from_above);
    EXPECT_FALSE(cell_at(table, "C6").merged_from_left);
    EXPECT_FALSE(cell_at(table, "D6").merged_from_above);
}

TEST(XlsxReader, RichTextKeepsTheBoldNameAsABoldRun) {
    const Document document = read_fixture("division-table.xlsx");
    const Table& table = table_of(document, 0);
    EXPECT_EQ(text_at(table, "D8"), "技术科、办公室");
    EXPECT_EQ(runs_of(cell_at(table, "D8")), (std::vector<std::string>{"技术科、", "*办公室*"}));
    EXPECT_EQ(runs_of(cell_at(table, "C8")), (std::vector<std::string>{"立案庭"}));
}

TEST(XlsxReader, BoldCellFontMakesEveryRunBold) {
    const Document document = read_fixture("division-table.xlsx");
    const Table& table = table_of(document, 0);
    EXPECT_EQ(runs_of(cell_at(table, "B2")), (std::vector<std::string>{"*改革任务*"}));
    EXPECT_EQ(runs_of(cell_at(table, "F1")),
              (std::vector<std::string>{"*XX法院2020年司法改革任务分工表*"}));
}

// The seed as a 分工表 carries the seed's 45 tasks with the departments its
// 责任部门 lines give, in the seed's order and sections.
TEST(XlsxReader, SeedAsADivisionTableHasTheSeedsTasksAndDepartments) {
    const Document document = read_fixture("yanji-2019.xlsx");
    const Table& table = table_of(document, 0);
    EXPECT_EQ(table.where, "sheet '分工方案'");
    const rl::core::Plan seed = rl::core::parse_plan(rl::test::seed_plan_text());
    ASSERT_EQ(seed.task_count(), 45u);
    std::size_t row = 2;  // after the title and the header
    EXPECT_EQ(text_at(table, "A2"), "序号");
    EXPECT_EQ(text_at(table, "C2"), "责任部门");
    for (const auto& section : seed.sections) {
        ASSERT_LT(row, table.rows.size());
        EXPECT_EQ(table.rows[row][0].text, section.number + "、" + section.title);
        EXPECT_TRUE(table.rows[row][2].merged_from_left);
        ++row;
        for (const auto& task : section.tasks) {
            ASSERT_LT(row, table.rows.size());
            EXPECT_EQ(table.rows[row][0].text, task.number);
            EXPECT_TRUE(rl::test::begins_with(table.rows[row][1].text, task.title))
                << "task " << task.number;
            std::vector<std::string> expected;
            for (const auto& department : task.departments) {
                expected.push_back(department.name);
            }
            for (const auto& item : task.items) {
                for (const auto& department : item.departments) {
                    if (std::find(expected.begin(), expected.end(), department.name) ==
                        expected.end()) {
                        expected.push_back(department.name);
                    }
                }
            }
            std::string listed;
            for (const auto& name : expected) {
                listed += (listed.empty() ? "" : "、") + name;
            }
            std::string cell = table.rows[row][2].text;
            std::string normalised;
            for (std::size_t at = 0; at < cell.size();) {
                if (cell.compare(at, 3, "；") == 0) {
                    normalised += "、";
                    at += 3;
                } else {
                    normalised += cell[at++];
                }
            }
            EXPECT_EQ(normalised, listed) << "task " << task.number;
            ++row;
        }
    }
    EXPECT_EQ(row, table.rows.size());
    // Task 14 keeps its two items in its text.
    const std::string task14 = table.rows[2 + 2 + 13][1].text;
    EXPECT_TRUE(has(task14, "\n（1）建立健全符合司法职业特点的法官助理招录机制")) << task14;
    EXPECT_TRUE(has(task14, "\n（2）积极研究建立法官后备人才培养体系")) << task14;
}

TEST(XlsxReader, SheetsComeInWorkbookOrderAndHiddenSheetsAreSkipped) {
    const Document document = read_fixture("two-sheets.xlsx");
    ASSERT_EQ(document.blocks.size(), 2u);
    const Table& cover = table_of(document, 0);
    EXPECT_EQ(cover.where, "sheet '说明'");
    ASSERT_EQ(cover.rows.size(), 1u);
    ASSERT_EQ(cover.rows[0].size(), 1u);
    EXPECT_TRUE(has(text_at(cover, "A1"), "任务见“分工表”页"));
    const Table& table = table_of(document, 1);
    EXPECT_EQ(table.where, "sheet '分工表'");
    EXPECT_EQ(table.position, 1);
    // The strings of this file are inline (<is>), rich text included.
    EXPECT_EQ(text_at(table, "A3"), "一、深化司法责任制综合配套改革");
    EXPECT_EQ(text_at(table, "C6"), "审管办");
    EXPECT_EQ(runs_of(cell_at(table, "D8")), (std::vector<std::string>{"技术科、", "*办公室*"}));
    for (const auto& block : document.blocks) {
        for (const auto& row : block.table.rows) {
            for (const auto& cell : row) {
                EXPECT_FALSE(has(cell.text, "草稿")) << "the hidden sheet was read";
            }
        }
    }
}

// ------------------------------------------------------- bad files (fixtures)

TEST(XlsxReader, WorkbookWithoutSheetsIsRefused) {
    const std::string message = refusal_of(fixture("no-sheets.xlsx"), "no-sheets.xlsx");
    EXPECT_TRUE(has(message, "no-sheets.xlsx")) << message;
    EXPECT_TRUE(has(message, "an .xlsx without sheets")) << message;
}

TEST(XlsxReader, CorruptZipIsRefusedNamingTheFile) {
    const std::string message = refusal_of(fixture("corrupt.xlsx"), "corrupt.xlsx");
    EXPECT_TRUE(has(message, "corrupt.xlsx")) << message;
    EXPECT_TRUE(has(message, "damaged or truncated")) << message;
}

TEST(XlsxReader, StrayValueInXFD1048576IsRefusedWithoutBuildingTheGrid) {
    const std::string message = refusal_of(fixture("huge-dimension.xlsx"), "huge-dimension.xlsx");
    EXPECT_TRUE(has(message, "huge-dimension.xlsx")) << message;
    EXPECT_TRUE(has(message, "sheet '分工表'")) << message;
    EXPECT_TRUE(has(message, "XFD1048576")) << message;
    EXPECT_TRUE(has(message, "1048576 rows × 16384 columns")) << message;
}

TEST(XlsxReader, ZipBombStopsAtTheUnpackLimit) {
    const std::string message = refusal_of(fixture("bomb.xlsx"), "bomb.xlsx");
    EXPECT_TRUE(has(message, "bomb.xlsx")) << message;
    EXPECT_TRUE(has(message, "xl/worksheets/sheet1.xml")) << message;
    EXPECT_TRUE(has(message, "16777216 bytes")) << message;
}

// ------------------------------------------------------------ cell values

TEST(XlsxReader, NumbersReadAsExcelShowsThemInGeneralFormat) {
    const Document document = read_book(
        {{{"s", data("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"B1\"><v>1.0</v></c>"
                     "<c r=\"C1\"><v>2.5</v></c><c r=\"D1\"><v>0.30000000000000004</v></c>"
                     "<c r=\"E1\"><v>-3</v></c><c r=\"F1\"><v>1E+20</v></c>"
                     "<c r=\"G1\" t=\"n\"><v>20200630</v></c><c r=\"H1\" s=\"3\"><v>1234.5</v></c>"
                     "<c r=\"I1\" s=\"4\"><v>0.5</v></c></row>")}},
         "",
         kStyles});
    const Table& table = table_of(document, 0);
    EXPECT_EQ(text_at(table, "A1"), "1");
    EXPECT_EQ(text_at(table, "B1"), "1");
    EXPECT_EQ(text_at(table, "C1"), "2.5");
    EXPECT_EQ(text_at(table, "D1"), "0.3");
    EXPECT_EQ(text_at(table, "E1"), "-3");
    EXPECT_EQ(text_at(table, "F1"), "1E+20");
    EXPECT_EQ(text_at(table, "G1"), "20200630");
    EXPECT_EQ(text_at(table, "H1"), "1234.5");  // a number format, not a date
    EXPECT_EQ(text_at(table, "I1"), "50%");
}

TEST(XlsxReader, DatesIn1900SystemCountExcelsPhantomLeapDay) {
    const Document document = read_book(
        {{{"s", data("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>43921</v></c>"
                     "<c r=\"B1\" s=\"2\"><v>43921.75</v></c><c r=\"C1\" s=\"1\"><v>1</v></c>"
                     "<c r=\"D1\" s=\"1\"><v>59</v></c><c r=\"E1\" s=\"1\"><v>60</v></c>"
                     "<c r=\"F1\" s=\"1\"><v>61</v></c><c r=\"G1\" s=\"6\"><v>43982</v></c>"
                     "<c r=\"H1\" s=\"1\"><v>2958465</v></c><c r=\"I1\" s=\"1\"><v>-1</v></c>"
                     "</row>")}},
         "",
         kStyles});
    const Table& table = table_of(document, 0);
    EXPECT_EQ(text_at(table, "A1"), "2020-03-31");
    EXPECT_EQ(text_at(table, "B1"), "2020-03-31");  // the time of day is not shown
    EXPECT_EQ(text_at(table, "C1"), "1900-01-01");
    EXPECT_EQ(text_at(table, "D1"), "1900-02-28");
    EXPECT_EQ(text_at(table, "E1"), "1900-02-29");  // the day Excel counts and history does not
    EXPECT_EQ(text_at(table, "F1"), "1900-03-01");
    EXPECT_EQ(text_at(table, "G1"), "2020-05-31");  // built-in 58 of Chinese Excel
    EXPECT_EQ(text_at(table, "H1"), "9999-12-31");
    EXPECT_EQ(text_at(table, "I1"), "-1");  // no day: shown as the number
}

TEST(XlsxReader, DatesIn1904SystemCountFromNewYear1904) {
    Book book{{{"s", data("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>42459</v></c>"
                          "<c r=\"B1\" s=\"2\"><v>0</v></c><c r=\"C1\"><v>42459</v></c></row>")}},
              "",
              kStyles,
              true};
    const Document document = read_book(book);
    const Table& table = table_of(document, 0);
    EXPECT_EQ(text_at(table, "A1"), "2020-03-31");
    EXPECT_EQ(text_at(table, "B1"), "1904-01-01");
    EXPECT_EQ(text_at(table, "C1"), "42459");  // General: a number, not a date
}

TEST(XlsxReader, BooleansErrorsFormulasAndInlineStringsReadAsShown) {
    const Document document = read_book(
        {{{"s", data("<row r=\"1\"><c r=\"A1\" t=\"b\"><v>1</v></c><c r=\"B1\" t=\"b\"><v>0</v></c>"
                     "<c r=\"C1\" t=\"e\"><v>#N/A</v></c>"
                     "<c r=\"D1\" t=\"str\"><f>CONCAT(\"技术\",\"科\")</f><v>技术科</v></c>"
                     "<c r=\"E1\"><f>1+1</f><v>2</v></c>"
                     "<c r=\"F1\" t=\"inlineStr\"><is><t>立案庭</t></is></c>"
                     "<c r=\"G1\"><f>A1+1</f></c>"
                     "<c r=\"H1\" t=\"d\"><v>2020-06-30T00:00:00</v></c>"
                     "<c r=\"I1\" t=\"inlineStr\"><v>技术科</v></c></row>")}}});
    const Table& table = table_of(document, 0);
    EXPECT_EQ(text_at(table, "A1"), "TRUE");
    EXPECT_EQ(text_at(table, "B1"), "FALSE");
    EXPECT_EQ(text_at(table, "C1"), "#N/A");
    EXPECT_EQ(text_at(table, "D1"), "技术科");
    EXPECT_EQ(text_at(table, "E1"), "2");
    EXPECT_EQ(text_at(table, "F1"), "立案庭");
    EXPECT_EQ(text_at(table, "G1"), "");  // a formula never calculated: no value
    EXPECT_EQ(text_at(table, "H1"), "2020-06-30");
    EXPECT_EQ(text_at(table, "I1"), "技术科");  // an inline string some writers put in <v>
}

TEST(XlsxReader, SharedStringsWithRunsLineBreaksAndEscapes) {
    const Document document = read_book(
        {{{"s", data("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\" s=\"5\">"
                     "<v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c>"
                     "<c r=\"E1\" t=\"s\" s=\"5\"><v>4</v></c></row>")}},
         // 0: a name in bold between plain text, with a phonetic guide that is
         //    not text; 1: a run without a font of its own in a bold cell, and
         //    one whose font says not bold; 2: two lines; 3: Excel's escapes
         //    and blanks around; 4: a plain string in a bold cell.
         "<si><r><t>技术科、</t></r><r><rPr><b/><sz val=\"11\"/></rPr><t>立案庭</t></r>"
         "<rPh sb=\"0\" eb=\"1\"><t>リツアン</t></rPh></si>"
         "<si><r><t>审管办、</t></r><r><rPr><b val=\"0\"/></rPr><t>研究室</t></r></si>"
         "<si><t>牵头部门：立案庭\r\n配合部门：技术科</t></si>"
         "<si><t xml:space=\"preserve\">　 办公室_x000D_\n_x005F_x0041_ </t></si>"
         "<si><t>干部科</t></si>",
         kStyles});
    const Table& table = table_of(document, 0);
    EXPECT_EQ(text_at(table, "A1"), "技术科、立案庭");
    EXPECT_EQ(runs_of(cell_at(table, "A1")), (std::vector<std::string>{"技术科、", "*立案庭*"}));
    EXPECT_EQ(runs_of(cell_at(table, "B1")), (std::vector<std::string>{"*审管办、*", "研究室"}));
    EXPECT_EQ(text_at(table, "C1"), "牵头部门：立案庭\n配合部门：技术科");
    EXPECT_EQ(runs_of(cell_at(table, "C1")),
              (std::vector<std::string>{"牵头部门：立案庭", "\n", "配合部门：技术科"}));
    EXPECT_EQ(text_at(table, "D1"), "办公室\n_x0041_");
    EXPECT_EQ(runs_of(cell_at(table, "E1")), (std::vector<std::string>{"*干部科*"}));
}

TEST(XlsxReader, CellsAndRowsWithoutReferencesFollowOn) {
    const Document document = read_book(
        {{{"s", data("<row><c t=\"inlineStr\"><is><t>序号</t></is></c>"
                     "<c t=\"inlineStr\"><is><t>任务</t></is></c></row>"
                     "<row><c><v>1</v></c><c r=\"C2\"><v>3</v></c><c><v>4</v></c></row>"
                     "<row r=\"5\"><c><v>5</v></c></row><row><c r=\"B6\"><v>6</v></c></row>")}}});
    const Table& table = table_of(document, 0);
    ASSERT_EQ(table.rows.size(), 6u);
    ASSERT_EQ(table.rows[0].size(), 4u);
    EXPECT_EQ(text_at(table, "A1"), "序号");
    EXPECT_EQ(text_at(table, "B1"), "任务");
    EXPECT_EQ(text_at(table, "A2"), "1");
    EXPECT_EQ(text_at(table, "B2"), "");
    EXPECT_EQ(text_at(table, "C2"), "3");
    EXPECT_EQ(text_at(table, "D2"), "4");
    EXPECT_EQ(text_at(table, "A5"), "5");
    EXPECT_EQ(text_at(table, "B6"), "6");
}

TEST(XlsxReader, GridEndsAtTheLastValueWhateverTheDimensionAndEmptyStyledCellsSay) {
    const Document document = read_book(
        {{{"s", "<dimension ref=\"A1:XFD1048576\"/>" +
                    data("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"B1\" s=\"5\"/></row>"
                         "<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t> </t></is></c>"
                         "<c r=\"C2\" s=\"1\"/></row>"
                         "<row r=\"3\"><c r=\"A3\"><v>3</v></c></row>"
                         "<row r=\"1048576\"><c r=\"XFD1048576\" s=\"5\"/></row>")}},
         "",
         kStyles});
    const Table& table = table_of(document, 0);
    ASSERT_EQ(table.rows.size(), 3u);
    EXPECT_EQ(table.rows[0].size(), 1u);
    EXPECT_EQ(text_at(table, "A3"), "3");
}

TEST(XlsxReader, MergedBlockFlagsLeftAndAboveAndIsClippedToTheValues) {
    const Document document = read_book(
        {{{"s", data("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>标题</t></is></c></row>"
                     "<row r=\"2\"><c r=\"C2\"><v>1</v></c></row>"
                     "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>审管办</t></is></c>"
                     "<c r=\"C3\"><v>2</v></c></row>") +
                    "<mergeCells count=\"2\"><mergeCell ref=\"A1:Z1\"/>"
                    "<mergeCell ref=\"A3:B5\"/></mergeCells>"}}});
    const Table& table = table_of(document, 0);
    ASSERT_EQ(table.rows.size(), 3u);     // the merge down to row 5 holds no value there
    ASSERT_EQ(table.rows[0].size(), 3u);  // nor the title's across to Z
    EXPECT_EQ(text_at(table, "C1"), "标题");
    EXPECT_TRUE(cell_at(table, "C1").merged_from_left);
    EXPECT_EQ(text_at(table, "B3"), "审管办");
    EXPECT_TRUE(cell_at(table, "B3").merged_from_left);
    EXPECT_FALSE(cell_at(table, "B3").merged_from_above);
    EXPECT_EQ(text_at(table, "C3"), "2");
    EXPECT_FALSE(cell_at(table, "C3").merged_from_left);
}

TEST(XlsxReader, SheetOrderIsTheWorkbooksNotThePartNames) {
    Book book;
    book.sheets = {
        {"第二", data("<row r=\"1\"><c r=\"A1\"><v>2</v></c></row>"), "",
         "xl/worksheets/sheet9.xml"},
        {"隐藏", data("<row r=\"1\"><c r=\"A1\"><v>0</v></c></row>"), "hidden", ""},
        {"很隐藏", data("<row r=\"1\"><c r=\"A1\"><v>0</v></c></row>"), "veryHidden", ""},
        {"空白", data("<row r=\"1\"><c r=\"A1\" s=\"0\"/></row>"), "", ""},
        {"第一", data("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"), "",
         "xl/worksheets/sheet1.xml"},
    };
    // sheet1.xml of the book builder goes to sheet 1: keep the hidden
    // sheets' parts apart from it.
    book.sheets[1].part = "xl/worksheets/h1.xml";
    book.sheets[2].part = "xl/worksheets/h2.xml";
    book.sheets[3].part = "xl/worksheets/e.xml";
    const Document document = read_book(book);
    ASSERT_EQ(document.blocks.size(), 2u);
    EXPECT_EQ(table_of(document, 0).where, "sheet '第二'");
    EXPECT_EQ(table_of(document, 1).where, "sheet '第一'");
}

// ------------------------------------------------------- bad files (built)

TEST(XlsxReader, SharedStringIndexOutOfRangeNamesTheCell) {
    const std::string message = refusal_of(
        xlsx_of({{{"分工表", data("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                                  "<row r=\"2\"><c r=\"B2\" t=\"s\"><v>7</v></c></row>")}},
                 "<si><t>序号</t></si>"}));
    EXPECT_TRUE(has(message, "plan.xlsx")) << message;
    EXPECT_TRUE(has(message, "sheet '分工表'")) << message;
    EXPECT_TRUE(has(message, "cell B2 refers to shared string '7'")) << message;
    EXPECT_TRUE(has(message, "has 1")) << message;
}

TEST(XlsxReader, SharedStringWithoutAnyStringsPartIsOutOfRange) {
    const std::string message = refusal_of(
        xlsx_of({{{"分工表", data("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>")}}}));
    EXPECT_TRUE(has(message, "cell A1 refers to shared string '0'")) << message;
}

TEST(XlsxReader, MalformedSheetXmlNamesThePart) {
    const std::string message =
        refusal_of(xlsx_of({{{"分工表", data("<row r=\"1\"><c r=\"A1\"><v>1</v></row>")}}}));
    EXPECT_TRUE(has(message, "plan.xlsx")) << message;
    EXPECT_TRUE(has(message, "xl/worksheets/sheet1.xml is not well-formed XML")) << message;
}

TEST(XlsxReader, MalformedSharedStringsNamesThePart) {
    const std::string message = refusal_of(
        xlsx_of({{{"分工表", data("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>")}},
                 "<si><t>序号</si>"}));
    EXPECT_TRUE(has(message, "xl/sharedStrings.xml is not well-formed XML")) << message;
}

TEST(XlsxReader, DoctypeInAPartIsRefused) {
    std::string bytes = zip_of(
        {{"xl/workbook.xml",
          "<?xml version=\"1.0\"?><!DOCTYPE workbook [<!ENTITY a \"aaaaaaaaaa\">"
          "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><workbook xmlns=\"" +
              kMain + "\"><sheets><sheet name=\"&b;\" sheetId=\"1\"/></sheets></workbook>"}});
    const std::string message = refusal_of(bytes);
    EXPECT_TRUE(has(message, "xl/workbook.xml has a DOCTYPE")) << message;
}

TEST(XlsxReader, MissingSheetPartNamesTheSheetAndThePart) {
    std::string bytes = zip_of(
        {{"xl/workbook.xml", "<workbook xmlns=\"" + kMain + "\" xmlns:r=\"" + kRelationships +
                                 "\"><sheets><sheet name=\"分工表\" sheetId=\"1\" r:id=\"rId1\"/>"
                                 "</sheets></workbook>"},
         {"xl/_rels/workbook.xml.rels",
          "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          "<Relationship Id=\"rId1\" Type=\"" +
              kRelationships + "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"}});
    const std::string message = refusal_of(bytes);
    EXPECT_TRUE(has(message, "sheet '分工表' is missing: xl/worksheets/sheet1.xml")) << message;
}

TEST(XlsxReader, SheetWithoutARelationshipIsRefused) {
    std::string bytes = zip_of(
        {{"xl/workbook.xml", "<workbook xmlns=\"" + kMain + "\" xmlns:r=\"" + kRelationships +
                                 "\"><sheets><sheet name=\"分工表\" sheetId=\"1\" r:id=\"rId9\"/>"
                                 "</sheets></workbook>"}});
    const std::string message = refusal_of(bytes);
    EXPECT_TRUE(has(message, "sheet '分工表' has no part")) << message;
    EXPECT_TRUE(has(message, "'rId9'")) << message;
}

TEST(XlsxReader, ZipWithoutWorkbookIsNotAnExcelFile) {
    const std::string message =
        refusal_of(zip_of({{"word/document.xml", "<document/>"}}), "plan.docx");
    EXPECT_TRUE(has(message, "plan.docx has no xl/workbook.xml")) << message;
}

TEST(XlsxReader, WorkbookWhoseSheetsAreAllHiddenOrEmptyIsRefused) {
    const std::string message = refusal_of(
        xlsx_of({{{"隐藏", data("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"), "hidden", ""},
                  {"空白", data(""), "", ""}}}));
    EXPECT_TRUE(has(message, "no visible sheet with any value")) << message;
}

TEST(XlsxReader, InvalidCellReferenceIsRefusedNamingIt) {
    const std::string message =
        refusal_of(xlsx_of({{{"分工表", data("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>")}}}));
    EXPECT_TRUE(has(message, "sheet '分工表'")) << message;
    EXPECT_TRUE(has(message, "'XFE1', which is not a cell reference")) << message;
}

TEST(XlsxReader, OverlappingMergedRangesAreRefused) {
    const std::string message = refusal_of(xlsx_of(
        {{{"分工表", data("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"C3\"><v>1</v></c></row>") +
                         "<mergeCells><mergeCell ref=\"A1:B2\"/><mergeCell ref=\"B2:C3\"/>"
                         "</mergeCells>"}}}));
    EXPECT_TRUE(has(message, "merges cell B2 into two ranges")) << message;
}

TEST(XlsxReader, SheetWiderThanTheColumnLimitIsRefusedNamingTheCell) {
    // Column 10001 is NTQ.
    const std::string message = refusal_of(xlsx_of(
        {{{"宽", data("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"NTQ1\"><v>1</v></c></row>")}}}));
    EXPECT_TRUE(has(message, "sheet '宽'")) << message;
    EXPECT_TRUE(has(message, "a value in NTQ1")) << message;
    EXPECT_TRUE(has(message, "1 row × 10001 columns")) << message;
    // Column 10000 (NTP) is read.
    const Document document = read_book(
        {{{"宽", data("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"NTP1\"><v>2</v></c></row>")}}});
    ASSERT_EQ(table_of(document, 0).rows.size(), 1u);
    EXPECT_EQ(table_of(document, 0).rows[0].size(), 10000u);
    EXPECT_EQ(table_of(document, 0).rows[0][9999].text, "2");
}

TEST(XlsxReader, SheetLargerThanTheCellLimitIsRefusedNamingTheCell) {
    // 1001 rows × 1000 columns (ALL) is 1,001,000 cells.
    const std::string message =
        refusal_of(xlsx_of({{{"大", data("<row r=\"1\"><c r=\"ALL1\"><v>1</v></c></row>"
                                         "<row r=\"1001\"><c r=\"A1001\"><v>1</v></c></row>")}}}));
    EXPECT_TRUE(has(message, "sheet '大'")) << message;
    EXPECT_TRUE(has(message, "a value in A1001")) << message;
    EXPECT_TRUE(has(message, "1001 rows × 1000 columns")) << message;
}

}  // namespace

namespace {

// A row of `count` cells referring to shared string 0, from column A.
std::string shared_string_row(int row, int count) {
    std::string cells;
    for (int c = 0; c < count; ++c) {
        cells += "<c t=\"s\"><v>0</v></c>";
    }
    return "<row r=\"" + std::to_string(row) + "\">" + cells + "</row>";
}

TEST(XlsxReader, SharedStringRepeatedPastTheUnpackLimitIsRefused) {
    // 1,000 bytes of text in 20 × 1,000 cells: 20 MB of text (twice, with
    // the runs) from 500 kB of XML.
    std::string rows;
    for (int r = 1; r <= 20; ++r) {
        rows += shared_string_row(r, 1000);
    }
    const std::string message = refusal_of(
        xlsx_of({{{"分工表", data(rows)}}, "<si><t>" + std::string(1000, 'x') + "</t></si>"}));
    EXPECT_TRUE(has(message, "sheet '分工表'")) << message;
    EXPECT_TRUE(has(message, "holds more than 16777216 bytes of text")) << message;
    // The same text in a few cells is read.
    const Document document = read_book({{{"分工表", data(shared_string_row(1, 100))}},
                                         "<si><t>" + std::string(1000, 'x') + "</t></si>"});
    EXPECT_EQ(table_of(document, 0).rows[0][99].text, std::string(1000, 'x'));
}

TEST(XlsxReader, CellMergedOverAMillionCellsIsRefusedBeforeItIsCopied) {
    const std::string message = refusal_of(
        xlsx_of({{{"分工表",
                   data("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>" + std::string(200, 'x') +
                        "</t></is></c></row>"
                        "<row r=\"1000\"><c r=\"ALL1000\"><v>1</v></c></row>") +
                       "<mergeCells><mergeCell ref=\"A1:ALK999\"/></mergeCells>"}}}));
    EXPECT_TRUE(has(message, "sheet '分工表'")) << message;
    EXPECT_TRUE(has(message, "bytes of text by cell")) << message;
}

TEST(XlsxReader, SheetsTogetherPastTheCellLimitAreRefused) {
    // Two sheets of 600 rows × 1,000 columns: each alone is read.
    const std::string sheet = data(
        "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"600\"><c r=\"ALL600\"><v>1</v>"
        "</c></row>");
    const Document one = read_book({{{"一", sheet}}});
    EXPECT_EQ(table_of(one, 0).rows.size(), 600u);
    const std::string message = refusal_of(xlsx_of({{{"一", sheet}, {"二", sheet}}}));
    EXPECT_TRUE(has(message, "sheet '二'")) << message;
    EXPECT_TRUE(has(message, "with the sheets before it makes more than 1000000 cells")) << message;
}

}  // namespace
