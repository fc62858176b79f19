// Reads an Excel workbook (.xlsx) into the document model the plan parser
// takes: one core::Table per visible sheet that has any value, in the order of
// the workbook's tabs. Courts publish their division-of-labour tables (分工表)
// this way; the table interpreter (core/plan_table.h) reads the tasks out of
// the tables.
//
// A cell's text is what Excel shows for it: shared and inline strings (rich
// text keeps its bold runs, and a bold cell font makes every run bold),
// numbers as Excel's General format shows them ("1", not "1.0"), dates
// (a date number format: built-in 14–22, the Chinese built-ins 27–31, 36,
// 50–54, 57–58, or a custom format with y, m or d) as "YYYY-MM-DD" in the
// workbook's date system (1900, with Excel's phantom 1900-02-29, or 1904),
// percentages (built-ins 9 and 10), TRUE/FALSE, a formula's cached value, an
// error as its text (#N/A). Cells of a merged range repeat its first cell,
// flagged merged_from_left / merged_from_above. The grid runs from A1 to the
// last row and column that hold a value — not to the sheet's <dimension>,
// which programs write carelessly — with every row as wide as the widest.
//
// Hidden sheets, chart sheets and empty sheets give no table. The grid is
// measured before it is built: a sheet wider than kMaxSheetColumns or larger
// than kMaxSheetCells (one stray value in XFD1048576 makes a grid of 17
// billion cells) is refused naming the sheet and the cell, and nothing that
// size is allocated; so is a workbook whose sheets together pass
// kMaxWorkbookCells. The text the tables hold, with shared strings and merged
// cells repeated into every cell they fill, may not pass max_unpacked_bytes
// (one cell merged over a million is a few bytes of XML). Zip and XML go
// through text/ooxml_zip.h: the bytes inflated are capped, a DOCTYPE is
// refused, XML is streamed.
#pragma once

#include <cstddef>
#include <string>

#include "core/document.h"

namespace rl::text {

// A division-of-labour table has tens of columns and hundreds of rows.
constexpr std::size_t kMaxSheetColumns = 10000;
constexpr std::size_t kMaxSheetCells = 1000000;
// All visible sheets together: each cell costs memory even when empty.
constexpr std::size_t kMaxWorkbookCells = kMaxSheetCells;

// The workbook in `bytes`, as Document{format "xlsx"} with one table block per
// visible non-empty sheet (Table::where "sheet '分工表'", Table::position 1).
// `source` names the file in messages. max_unpacked_bytes bounds the bytes
// inflated from the zip, all parts together.
//
// Throws DocumentError naming `source` (and the part, sheet or cell) when the
// bytes are not a zip or are damaged, inflate past max_unpacked_bytes, have no
// xl/workbook.xml, list no sheets, name a sheet whose part is missing, hold a
// part that is not well-formed XML, a cell reference or shared-string index
// that does not exist, merged ranges that overlap, a sheet or workbook beyond
// the limits above, or no visible sheet with any value.
core::Document read_xlsx(const std::string& bytes, const std::string& source,
                         std::size_t max_unpacked_bytes);

}  // namespace rl::text
