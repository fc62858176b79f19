#include "office/xlsx_writer.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string_view>
#include <tuple>

#include "core/calendar.h"
#include "core/utf8.h"

namespace rl::office {

namespace {

// The court's documents are set in 宋体; Excel falls back when it lacks it.
constexpr const char* kFont = "宋体";
constexpr double kMaxFittedWidth = 60;
constexpr std::uint8_t kPaperA4 = 9;
constexpr double kLineHeight = 15;  // points, for 11 pt text

lxw_color_t color_of(core::Fill fill) {
    switch (fill) {
        case core::Fill::green:
            return 0xC6EFCE;
        case core::Fill::yellow:
            return 0xFFEB9C;
        case core::Fill::red:
            return 0xFFC7CE;
        case core::Fill::grey:
            return 0xD9D9D9;
        case core::Fill::blue:
            return 0xBDD7EE;
        case core::Fill::heading:
            return 0xDDEBF7;
        case core::Fill::none:
            break;
    }
    return LXW_COLOR_WHITE;
}

// The formats a workbook uses, made once each.
class Formats {
public:
    explicit Formats(lxw_workbook* book) : book_(book) {}

    lxw_format* get(core::Fill fill, bool bold, bool wrap, bool date, bool border = true) {
        const auto key = std::make_tuple(fill, bold, wrap, date, border);
        const auto it = made_.find(key);
        if (it != made_.end()) {
            return it->second;
        }
        lxw_format* f = workbook_add_format(book_);
        format_set_font_name(f, kFont);
        format_set_font_size(f, 11);
        format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        if (bold) {
            format_set_bold(f);
        }
        if (wrap) {
            format_set_text_wrap(f);
        }
        if (date) {
            format_set_num_format(f, "yyyy-mm-dd");
        }
        if (border) {
            format_set_border(f, LXW_BORDER_THIN);
        }
        if (fill != core::Fill::none) {
            format_set_pattern(f, LXW_PATTERN_SOLID);
            format_set_bg_color(f, color_of(fill));
        }
        made_[key] = f;
        return f;
    }

private:
    lxw_workbook* book_;
    std::map<std::tuple<core::Fill, bool, bool, bool, bool>, lxw_format*> made_;
};

// Excel holds at most 32767 characters in a cell; longer text (a report
// summary under a raised limits.text_chars) is cut, the cut marked with "…".
constexpr std::size_t kMaxCellChars = 32767;

std::string within_cell_limit(const std::string& text) {
    if (text.size() <= kMaxCellChars) {  // bytes ≥ characters
        return text;
    }
    std::size_t pos = 0;
    for (std::size_t n = 0; n + 1 < kMaxCellChars && pos < text.size(); ++n) {
        core::utf8::next(text, pos);
    }
    return pos >= text.size() ? text : text.substr(0, pos) + "…";
}

class Writer {
public:
    Writer(const core::Workbook& book, const std::string& path) : path_(path) {
        lxw_workbook_options options{};
        options.constant_memory = LXW_FALSE;
        options.use_zip64 = LXW_FALSE;
        book_ = workbook_new_opt(path.c_str(), &options);
        if (book_ == nullptr) {
            throw WriteError("cannot start the Excel file '" + path + "'");
        }
        formats_ = std::make_unique<Formats>(book_);
        title_ = book.title;
    }
    ~Writer() {
        if (book_ != nullptr) {
            workbook_close(book_);  // frees it; the caller removes the file
        }
    }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    void sheet(const core::Sheet& s) {
        lxw_worksheet* ws = workbook_add_worksheet(book_, s.name.c_str());
        if (ws == nullptr) {
            throw WriteError("cannot add the sheet '" + s.name + "' to the Excel file '" + path_ +
                             "'");
        }
        lxw_row_t row = 0;
        for (const auto& line : s.title_lines) {
            check(
                worksheet_write_string(ws, row++, 0, line.c_str(),
                                       formats_->get(core::Fill::none, true, false, false, false)),
                s.name);
        }
        const lxw_row_t heading = row;
        for (std::size_t c = 0; c < s.columns.size(); ++c) {
            const auto col = static_cast<lxw_col_t>(c);
            check(worksheet_write_string(ws, heading, col, s.columns[c].heading.c_str(),
                                         formats_->get(core::Fill::heading, true, true, false)),
                  s.name);
            check(worksheet_set_column(ws, col, col, width_of(s, c), nullptr), s.name);
        }
        row = heading + 1;
        for (const auto& cells : s.rows) {
            write_row(ws, row++, s, cells);
        }
        const lxw_row_t last = row - 1;
        if (!s.total_row.empty()) {
            write_row(ws, row++, s, s.total_row);
        }
        if (s.freeze_heading) {
            worksheet_freeze_panes(ws, heading + 1, 0);
        }
        // Printed as courts print a 台账: A4 landscape, one page wide, the
        // heading row on every page.
        worksheet_set_paper(ws, kPaperA4);
        worksheet_set_landscape(ws);
        worksheet_fit_to_pages(ws, 1, 0);
        check(worksheet_repeat_rows(ws, heading, heading), s.name);
        if (s.filter && !s.columns.empty()) {
            check(worksheet_autofilter(ws, heading, 0, last,
                                       static_cast<lxw_col_t>(s.columns.size() - 1)),
                  s.name);
        }
    }

    void close() {
        if (!title_.empty()) {
            lxw_doc_properties properties{};
            properties.title = const_cast<char*>(title_.c_str());
            properties.author = const_cast<char*>("Reform Ledger");
            check(workbook_set_properties(book_, &properties), "");
        }
        const lxw_error e = workbook_close(book_);
        book_ = nullptr;
        if (e != LXW_NO_ERROR) {
            throw WriteError("cannot write the Excel file '" + path_ + "': " + lxw_strerror(e));
        }
    }

private:
    void write_row(lxw_worksheet* ws, lxw_row_t row, const core::Sheet& s,
                   const std::vector<core::SheetCell>& cells) {
        // Viewers do not all fit a row to its wrapped text (LibreOffice keeps
        // the default height): the row is made as tall as its longest cell.
        if (const int lines = lines_of(s, cells); lines > 1) {
            check(worksheet_set_row(ws, row, kLineHeight * lines, nullptr), s.name);
        }
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const core::SheetCell& cell = cells[c];
            const auto col = static_cast<lxw_col_t>(c);
            const bool wrap = c < s.columns.size() && s.columns[c].wrap;
            switch (cell.kind) {
                case core::SheetCell::Kind::number:
                    check(worksheet_write_number(ws, row, col, cell.number,
                                                 formats_->get(cell.fill, cell.bold, wrap, false)),
                          s.name);
                    break;
                case core::SheetCell::Kind::date: {
                    const auto d = core::Date::parse(cell.text);
                    if (d) {
                        lxw_datetime dt{d->year, d->month, d->day, 0, 0, 0};
                        check(
                            worksheet_write_datetime(
                                ws, row, col, &dt, formats_->get(cell.fill, cell.bold, wrap, true)),
                            s.name);
                        break;
                    }
                    [[fallthrough]];  // not a date after all: shown as written
                }
                case core::SheetCell::Kind::text:
                    check(worksheet_write_string(ws, row, col, within_cell_limit(cell.text).c_str(),
                                                 formats_->get(cell.fill, cell.bold, wrap, false)),
                          s.name);
                    break;
            }
        }
    }

    // How many lines the row's wrapped cells take at their columns' widths.
    static int lines_of(const core::Sheet& s, const std::vector<core::SheetCell>& cells) {
        int most = 1;
        for (std::size_t c = 0; c < cells.size() && c < s.columns.size(); ++c) {
            if (!s.columns[c].wrap || cells[c].kind != core::SheetCell::Kind::text) {
                continue;
            }
            const auto per_line = static_cast<std::size_t>(std::max(1.0, s.columns[c].width - 1));
            int lines = 0;
            std::size_t start = 0;
            const std::string& text = cells[c].text;
            while (start <= text.size()) {
                const std::size_t end = std::min(text.find('\n', start), text.size());
                const std::size_t width =
                    core::utf8::display_width(std::string_view(text).substr(start, end - start));
                lines +=
                    static_cast<int>(std::max<std::size_t>(1, (width + per_line - 1) / per_line));
                start = end + 1;
            }
            most = std::max(most, lines);
        }
        return most;
    }

    // A wrapped column keeps the width it was given; any other is as wide as
    // its widest cell (CJK counts two), within kMaxFittedWidth.
    static double width_of(const core::Sheet& s, std::size_t c) {
        const core::SheetColumn& column = s.columns[c];
        if (column.wrap) {
            return column.width;
        }
        double widest = static_cast<double>(core::utf8::display_width(column.heading));
        for (const auto& cells : s.rows) {
            if (c < cells.size() && cells[c].kind == core::SheetCell::Kind::text) {
                widest =
                    std::max(widest, static_cast<double>(core::utf8::display_width(cells[c].text)));
            }
        }
        return std::min(kMaxFittedWidth, std::max(column.width, widest + 2));
    }

    void check(lxw_error e, const std::string& sheet) {
        if (e != LXW_NO_ERROR) {
            throw WriteError("cannot write " + (sheet.empty() ? "" : "sheet '" + sheet + "' of ") +
                             "the Excel file '" + path_ + "': " + lxw_strerror(e));
        }
    }

    std::string path_;
    std::string title_;
    lxw_workbook* book_ = nullptr;
    std::unique_ptr<Formats> formats_;
};

}  // namespace

void write_xlsx(const core::Workbook& book, const std::string& path) {
    Writer writer(book, path);
    for (const auto& sheet : book.sheets) {
        writer.sheet(sheet);
    }
    writer.close();
}

}  // namespace rl::office
