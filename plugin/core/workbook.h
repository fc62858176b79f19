// A spreadsheet as plain data: sheets of typed cells with their column
// headings and widths, a frozen heading row, a filter over the table, fills
// for status colours. The ledger builds one (core/ledger_workbook.h); the
// Excel writer (export/xlsx_writer.h) renders any of them. No I/O here.
#pragma once

#include <string>
#include <vector>

namespace rl::core {

// The background of a cell: what a status looks like in the court's 台账.
enum class Fill { none, green, yellow, red, grey, blue, heading };

struct SheetCell {
    enum class Kind { text, number, date };
    Kind kind = Kind::text;
    std::string text;   // text; for a date, the ISO date "2019-06-30"
    double number = 0;  // number
    Fill fill = Fill::none;
    bool bold = false;

    static SheetCell of_text(std::string text, Fill fill = Fill::none) {
        SheetCell c;
        c.text = std::move(text);
        c.fill = fill;
        return c;
    }
    static SheetCell of_number(double n) {
        SheetCell c;
        c.kind = Kind::number;
        c.number = n;
        return c;
    }
    // An ISO date shown as a date; an empty one is an empty cell.
    static SheetCell of_date(std::string iso) {
        SheetCell c;
        c.kind = iso.empty() ? Kind::text : Kind::date;
        c.text = std::move(iso);
        return c;
    }
};

struct SheetColumn {
    std::string heading;
    double width = 10;  // in Excel's character units; a Chinese character takes about 2
    bool wrap = false;  // wrap long text in the column's cells
};

// One table per sheet: the heading row on top (frozen, with a filter), then
// the rows. Lines above the table (title lines of a summary) come first.
struct Sheet {
    std::string name;                      // at most 31 characters, none of []:*?/\ .
    std::vector<std::string> title_lines;  // above the table, each in its own row
    std::vector<SheetColumn> columns;
    std::vector<std::vector<SheetCell>> rows;  // each as wide as columns (or narrower)
    std::vector<SheetCell> total_row;          // below the rows, outside the filter; may be empty
    bool freeze_heading = true;
    bool filter = true;
};

struct Workbook {
    std::string title;  // the document's title property
    std::vector<Sheet> sheets;
};

// A sheet name Excel accepts from any text: the characters []:*?/\ become
// 、, then it is cut to 31 characters (UTF-8 aware), and made unique among
// `taken` by a suffix (2), (3) …
std::string sheet_name(const std::string& text, const std::vector<std::string>& taken);

}  // namespace rl::core
