#include "text/xlsx_reader.h"

#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/utf8.h"
#include "text/document_decoder.h"
#include "text/ooxml_zip.h"

namespace rl::text {

namespace {

using Poco::XML::Attributes;
using Poco::XML::XMLChar;
using Poco::XML::XMLString;

// Excel's own bounds: columns A…XFD, rows 1…1048576.
constexpr std::uint32_t kExcelColumns = 16384;
constexpr std::uint32_t kExcelRows = 1048576;

const char* const kWorkbookPart = "xl/workbook.xml";
const char* const kWorkbookRels = "xl/_rels/workbook.xml.rels";

// ---------------------------------------------------------------- messages

std::string quoted(std::string_view name) {
    return "'" + core::utf8::printable(name, 80) + "'";
}

std::string sheet_label(const std::string& name) {
    return "sheet " + quoted(name);
}

// "1 row", "1001 rows".
std::string count_of(std::size_t count, const std::string& thing) {
    return std::to_string(count) + " " + thing + (count == 1 ? "" : "s");
}

// "A1" for column 1, row 1 (both 1-based).
std::string cell_name(std::uint32_t column, std::uint32_t row) {
    std::string letters;
    for (std::uint32_t c = column; c > 0; c = (c - 1) / 26) {
        letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
    }
    return letters + std::to_string(row);
}

// ------------------------------------------------------------- attributes

// The value of the attribute without a namespace called `local`, or "".
const XMLString& attribute(const Attributes& attributes, const char* local) {
    static const XMLString none;
    for (int i = 0; i < attributes.getLength(); ++i) {
        if (attributes.getURI(i).empty() && attributes.getLocalName(i) == local) {
            return attributes.getValue(i);
        }
    }
    return none;
}

// r:id, in the transitional or the strict relationships namespace.
const XMLString& relationship_id(const Attributes& attributes) {
    static const XMLString none;
    for (int i = 0; i < attributes.getLength(); ++i) {
        if (!attributes.getURI(i).empty() && attributes.getLocalName(i) == "id") {
            return attributes.getValue(i);
        }
    }
    return none;
}

// A boolean attribute of SpreadsheetML (<b/>, <b val="0"/>, date1904="true").
bool on(const XMLString& value, bool absent) {
    if (value.empty()) {
        return absent;
    }
    return value == "1" || value == "true" || value == "on";
}

std::optional<std::uint32_t> unsigned_number(std::string_view text) {
    std::uint32_t value = 0;
    const auto* end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, value);
    if (text.empty() || result.ec != std::errc() || result.ptr != end) {
        return std::nullopt;
    }
    return value;
}

// "B12" → {column 2, row 12}; nullopt when it is not a reference inside
// Excel's grid.
struct CellRef {
    std::uint32_t column = 0;
    std::uint32_t row = 0;
};

std::optional<CellRef> parse_cell_ref(std::string_view text) {
    std::size_t i = 0;
    std::uint32_t column = 0;
    for (; i < text.size() && text[i] >= 'A' && text[i] <= 'Z'; ++i) {
        column = column * 26 + static_cast<std::uint32_t>(text[i] - 'A' + 1);
        if (column > kExcelColumns) {
            return std::nullopt;
        }
    }
    if (i == 0) {
        return std::nullopt;
    }
    const auto row = unsigned_number(text.substr(i));
    if (!row || *row == 0 || *row > kExcelRows) {
        return std::nullopt;
    }
    return CellRef{column, *row};
}

// --------------------------------------------------------------- text runs

// A stretch of a cell's text as the XML gives it. bold: -1 when the run has
// no font of its own (it takes the cell's), else 0 or 1.
struct RawRun {
    std::string text;
    int bold = -1;
};

// Excel writes characters XML cannot carry as _xHHHH_ (_x000D_ for a carriage
// return, _x005F_ for the underscore itself).
std::string decode_escapes(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '_' && i + 6 < text.size() && text[i + 1] == 'x' && text[i + 6] == '_') {
            std::uint32_t code = 0;
            const auto digits = text.substr(i + 2, 4);
            const auto result =
                std::from_chars(digits.data(), digits.data() + digits.size(), code, 16);
            if (result.ec == std::errc() && result.ptr == digits.data() + digits.size()) {
                core::utf8::append(out, static_cast<char32_t>(code));
                i += 7;
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

bool is_blank(char32_t c) {
    return c == '\n' || c == '\t' || core::utf8::is_space(c);
}

// Bytes of leading and trailing blanks (spaces of any width, line breaks):
// the text without them is text[first, last).
std::pair<std::size_t, std::size_t> unblank(std::string_view text) {
    std::size_t first = text.size();
    std::size_t last = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t at = pos;
        if (!is_blank(core::utf8::next(text, pos))) {
            first = std::min(first, at);
            last = pos;
        }
    }
    return first < last ? std::make_pair(first, last)
                        : std::make_pair(std::size_t{0}, std::size_t{0});
}

// The cell as the parser sees it: text trimmed, runs with the cell's bold
// applied, line breaks as "\n" runs of their own (as the Word reader gives
// paragraphs of a cell), neighbouring runs in the same style joined.
core::Cell make_cell(const std::vector<RawRun>& raw, bool cell_bold) {
    core::Cell cell;
    std::vector<core::Run> pieces;
    for (const RawRun& run : raw) {
        const bool bold = run.bold < 0 ? cell_bold : run.bold == 1;
        std::string text = normalise_line_ends(decode_escapes(run.text));
        cell.text += text;
        pieces.push_back(core::Run{std::move(text), bold});
    }
    const auto [begin, end] = unblank(cell.text);
    cell.text = cell.text.substr(begin, end - begin);
    if (cell.text.empty()) {
        return cell;
    }
    std::size_t at = 0;
    for (core::Run& piece : pieces) {
        const std::size_t from = std::max(at, begin);
        const std::size_t to = std::min(at + piece.text.size(), end);
        const bool bold = piece.bold;
        std::string text = from < to ? piece.text.substr(from - at, to - from) : std::string();
        at += piece.text.size();
        std::size_t start = 0;
        while (start <= text.size()) {
            const std::size_t newline = std::min(text.find('\n', start), text.size());
            if (newline > start) {
                if (!cell.runs.empty() && cell.runs.back().bold == bold &&
                    cell.runs.back().text != "\n") {
                    cell.runs.back().text.append(text, start, newline - start);
                } else {
                    cell.runs.push_back(core::Run{text.substr(start, newline - start), bold});
                }
            }
            if (newline < text.size()) {
                cell.runs.push_back(core::Run{"\n", false});
            }
            start = newline + 1;
        }
    }
    return cell;
}

// Collects the text of a string item (<si> in the shared strings, <is> in a
// cell): plain <t>, or rich-text runs <r> whose <rPr> may say <b/>. The
// phonetic guide (<rPh>, for Japanese readings) is not part of the text.
class StringCollector {
public:
    void start(const XMLString& local, const Attributes& attributes) {
        if (phonetic_ > 0 || local == "rPh") {
            ++phonetic_;
        } else if (local == "r") {
            runs_.push_back(RawRun{});
            in_run_ = true;
        } else if (local == "rPr" && in_run_) {
            runs_.back().bold = 0;  // the run has a font of its own: not bold unless it says so
            in_run_font_ = true;
        } else if (local == "b" && in_run_font_) {
            runs_.back().bold = on(attribute(attributes, "val"), true) ? 1 : 0;
        } else if (local == "t") {
            if (!in_run_) {
                runs_.push_back(RawRun{});
            }
            in_text_ = true;
        }
    }
    void end(const XMLString& local) {
        if (phonetic_ > 0) {
            --phonetic_;
        } else if (local == "r") {
            in_run_ = false;
        } else if (local == "rPr") {
            in_run_font_ = false;
        } else if (local == "t") {
            in_text_ = false;
        }
    }
    void characters(const XMLChar text[], int start, int length) {
        if (in_text_ && phonetic_ == 0 && !runs_.empty()) {
            runs_.back().text.append(text + start, static_cast<std::size_t>(length));
        }
    }
    std::vector<RawRun> take() {
        std::vector<RawRun> runs = std::move(runs_);
        *this = StringCollector();
        return runs;
    }

private:
    std::vector<RawRun> runs_;
    int phonetic_ = 0;
    bool in_run_ = false;
    bool in_run_font_ = false;
    bool in_text_ = false;
};

// ------------------------------------------------------------ shared strings

// xl/sharedStrings.xml, packed: a workbook may hold hundreds of thousands of
// strings, and a vector of strings would cost several times the part's size.
class SharedStrings {
public:
    void add(const std::vector<RawRun>& runs) {
        const bool styled = runs.size() > 1 || (runs.size() == 1 && runs[0].bold >= 0);
        for (const RawRun& run : runs) {
            text_ += run.text;
            if (styled) {
                spans_.push_back(Span{text_.size(), static_cast<signed char>(run.bold)});
            }
        }
        starts_.push_back(text_.size());
        first_span_.push_back(spans_.size());
    }
    std::size_t size() const { return starts_.size() - 1; }
    std::vector<RawRun> runs(std::size_t index) const {
        std::vector<RawRun> runs;
        std::size_t at = starts_[index];
        if (first_span_[index] == first_span_[index + 1]) {
            runs.push_back(RawRun{text_.substr(at, starts_[index + 1] - at), -1});
            return runs;
        }
        for (std::size_t s = first_span_[index]; s < first_span_[index + 1]; ++s) {
            runs.push_back(RawRun{text_.substr(at, spans_[s].end - at), spans_[s].bold});
            at = spans_[s].end;
        }
        return runs;
    }

private:
    struct Span {
        std::size_t end;  // offset in text_ where the run ends
        signed char bold;
    };
    std::string text_;
    std::vector<std::size_t> starts_{0};      // string i is text_[starts_[i], starts_[i + 1])
    std::vector<Span> spans_;                 // runs of the strings that have styled runs
    std::vector<std::size_t> first_span_{0};  // string i's runs: spans_[first_span_[i] …]
};

class SharedStringsHandler : public Poco::XML::DefaultHandler {
public:
    explicit SharedStringsHandler(SharedStrings& strings) : strings_(strings) {}
    void startElement(const XMLString&, const XMLString& local, const XMLString&,
                      const Attributes& attributes) override {
        if (local == "si") {
            in_item_ = true;
        } else if (in_item_) {
            collector_.start(local, attributes);
        }
    }
    void endElement(const XMLString&, const XMLString& local, const XMLString&) override {
        if (local == "si") {
            strings_.add(collector_.take());
            in_item_ = false;
        } else if (in_item_) {
            collector_.end(local);
        }
    }
    void characters(const XMLChar text[], int start, int length) override {
        collector_.characters(text, start, length);
    }

private:
    SharedStrings& strings_;
    StringCollector collector_;
    bool in_item_ = false;
};

// ------------------------------------------------------------------ styles

enum class NumberKind { general, date, percent, percent_2 };

// Whether a custom number format shows a date: it has y, m or d outside
// quoted text, escaped characters and [colour]/[$-locale] brackets. (A time
// alone — h:mm — shows as a date too when its number has a day part.)
bool is_date_format(std::string_view code) {
    bool in_quotes = false;
    bool in_brackets = false;
    for (std::size_t i = 0; i < code.size(); ++i) {
        const char c = code[i];
        if (in_quotes) {
            in_quotes = c != '"';
        } else if (in_brackets) {
            in_brackets = c != ']';
        } else if (c == '"') {
            in_quotes = true;
        } else if (c == '[') {
            in_brackets = true;
        } else if (c == '\\' || c == '_' || c == '*') {
            ++i;  // the next character is shown as is, or is padding
        } else if (c == 'y' || c == 'Y' || c == 'm' || c == 'M' || c == 'd' || c == 'D') {
            return true;
        }
    }
    return false;
}

NumberKind builtin_kind(std::uint32_t id) {
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) ||
        id == 57 || id == 58) {
        return NumberKind::date;  // 27–58: the date formats built into Chinese Excel
    }
    if (id == 9) {
        return NumberKind::percent;
    }
    if (id == 10) {
        return NumberKind::percent_2;
    }
    return NumberKind::general;
}

struct CellStyle {
    NumberKind number = NumberKind::general;
    bool bold = false;
};

// xl/styles.xml: the cell formats (<cellXfs>) a cell's s="" points into,
// with their number format and whether their font is bold.
class StylesHandler : public Poco::XML::DefaultHandler {
public:
    void startElement(const XMLString&, const XMLString& local, const XMLString&,
                      const Attributes& attributes) override {
        ++depth_;
        if (depth_ == 2) {
            section_ = local;
        } else if (depth_ == 3 && section_ == "numFmts" && local == "numFmt") {
            if (const auto id = unsigned_number(attribute(attributes, "numFmtId"))) {
                custom_[*id] = attribute(attributes, "formatCode");
            }
        } else if (depth_ == 3 && section_ == "fonts" && local == "font") {
            font_bold_.push_back(false);
        } else if (depth_ == 4 && section_ == "fonts" && local == "b" && !font_bold_.empty()) {
            font_bold_.back() = on(attribute(attributes, "val"), true);
        } else if (depth_ == 3 && section_ == "cellXfs" && local == "xf") {
            xfs_.push_back(Xf{unsigned_number(attribute(attributes, "numFmtId")).value_or(0),
                              unsigned_number(attribute(attributes, "fontId")).value_or(0)});
        }
    }
    void endElement(const XMLString&, const XMLString&, const XMLString&) override { --depth_; }

    std::vector<CellStyle> cell_styles() const {
        std::vector<CellStyle> styles;
        for (const Xf& xf : xfs_) {
            CellStyle style;
            const auto custom = custom_.find(xf.number_format);
            style.number =
                custom == custom_.end()
                    ? builtin_kind(xf.number_format)
                    : (is_date_format(custom->second) ? NumberKind::date : NumberKind::general);
            style.bold = xf.font < font_bold_.size() && font_bold_[xf.font];
            styles.push_back(style);
        }
        return styles;
    }

private:
    struct Xf {
        std::uint32_t number_format;
        std::uint32_t font;
    };
    int depth_ = 0;
    XMLString section_;
    std::map<std::uint32_t, std::string> custom_;
    std::vector<bool> font_bold_;
    std::vector<Xf> xfs_;
};

// ------------------------------------------------------------------ values

std::string shortest(double value, std::chars_format format, int precision) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, format, precision);
    return std::string(buffer, result.ptr);
}

// A number as Excel's General format shows it: integers without a decimal
// point, others to 15 significant digits (what Excel keeps), 1E+20 style.
std::string general_number(double value) {
    if (value == 0) {
        return "0";
    }
    if (std::fabs(value) < 1e15 && value == std::floor(value)) {
        return shortest(value, std::chars_format::fixed, 0);
    }
    std::string text = shortest(value, std::chars_format::general, 15);
    for (char& c : text) {
        c = c == 'e' ? 'E' : c;
    }
    return text;
}

// Days since 1970-01-01 → civil date (proleptic Gregorian).
std::string iso_date(std::int64_t days) {
    days += 719468;  // from 0000-03-01, so that the leap day ends a year
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t day_of_era = days - era * 146097;
    const std::int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const std::int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;  // March = 0
    const std::int64_t day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    const std::int64_t month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
    const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", static_cast<int>(year),
                  static_cast<int>(month), static_cast<int>(day));
    return buffer;
}

// An Excel date serial as YYYY-MM-DD, or nullopt when it is no day Excel
// shows (before its first day, after 9999-12-31).
std::optional<std::string> excel_date(double serial, bool date1904) {
    if (!std::isfinite(serial)) {
        return std::nullopt;
    }
    const double day = std::floor(serial);
    // 1900 system: day 1 is 1900-01-01, and Excel counts a 1900-02-29 that
    // never was (day 60, kept from Lotus 1-2-3); from day 61 on, day N is
    // 1899-12-30 + N. 1904 system (old Macs): day 0 is 1904-01-01.
    constexpr std::int64_t k18991230 = -25569;  // days from 1970-01-01
    constexpr std::int64_t k19040101 = -24107;
    if (date1904) {
        if (day < 0 || day > 2957003) {
            return std::nullopt;
        }
        return iso_date(k19040101 + static_cast<std::int64_t>(day));
    }
    if (day < 1 || day > 2958465) {
        return std::nullopt;
    }
    if (day == 60) {
        return std::string("1900-02-29");
    }
    const auto n = static_cast<std::int64_t>(day);
    return iso_date(k18991230 + (n < 60 ? n + 1 : n));
}

std::string percent(double value, int decimals) {
    return shortest(value * 100, std::chars_format::fixed, decimals) + "%";
}

// ------------------------------------------------------------------ sheets

struct Workbook {
    std::string source;
    bool date1904 = false;
    SharedStrings strings;
    std::vector<CellStyle> styles;
};

struct MergedRange {
    CellRef first;
    CellRef last;
};

// The text the tables hold once shared strings and merged ranges are spelled
// out into every cell they fill. One shared string referred to by a million
// cells, or one cell merged over a million, is a few bytes of XML and
// gigabytes of text: the tables may hold no more text than the whole file may
// unpack to.
class TextBudget {
public:
    TextBudget(std::size_t bytes, const std::string& source) : limit_(bytes), source_(source) {}
    // Counts the cell's text (and its runs'); throws naming the sheet and the
    // cell once the tables would hold more than the limit.
    void charge(const core::Cell& cell, const std::string& sheet, const std::string& part,
                std::uint32_t column, std::uint32_t row) {
        std::size_t bytes = cell.text.size();
        for (const core::Run& run : cell.runs) {
            bytes += run.text.size();
        }
        if (bytes > limit_ - used_) {
            throw DocumentError(
                source_ + ": " + sheet_label(sheet) + " (" + part + ") holds more than " +
                std::to_string(limit_) + " bytes of text by cell " + cell_name(column, row) +
                ", with its shared strings and merged cells repeated into every cell they fill "
                "(at most what the whole file may unpack to). A plan is far smaller: the file "
                "is damaged or built to exhaust memory. Save the table on its own and try again");
        }
        used_ += bytes;
    }

private:
    std::size_t limit_;
    std::size_t used_ = 0;
    const std::string& source_;
};

// Reads a worksheet part twice: first to measure the grid its values span
// (refusing a sheet beyond the limits before anything that size exists),
// then to fill the grid. Cells without a value do not count, whatever their
// style or the sheet's <dimension> says.
class SheetHandler : public Poco::XML::DefaultHandler {
public:
    SheetHandler(const Workbook& workbook, const std::string& sheet, const std::string& part,
                 TextBudget& budget, std::vector<std::vector<core::Cell>>* grid)
        : workbook_(workbook), sheet_(sheet), part_(part), budget_(budget), grid_(grid) {}

    std::uint32_t rows() const { return rows_; }
    std::uint32_t columns() const { return columns_; }
    const std::vector<MergedRange>& merges() const { return merges_; }

    void startElement(const XMLString&, const XMLString& local, const XMLString&,
                      const Attributes& attributes) override {
        if (in_cell_) {
            start_in_cell(local, attributes);
        } else if (local == "row") {
            start_row(attribute(attributes, "r"));
        } else if (local == "c") {
            start_cell(attributes);
        } else if (local == "mergeCell") {
            add_merge(attribute(attributes, "ref"));
        }
    }

    void endElement(const XMLString&, const XMLString& local, const XMLString&) override {
        if (!in_cell_) {
            return;
        }
        if (local == "c") {
            end_cell();
        } else if (in_inline_ > 0) {
            if (local == "is") {
                in_inline_ = 0;
            } else {
                inline_.end(local);
            }
        } else if (local == "v") {
            in_value_ = false;
        }
    }

    void characters(const XMLChar text[], int start, int length) override {
        if (in_value_) {
            value_.append(text + start, static_cast<std::size_t>(length));
        } else if (in_inline_ > 0) {
            inline_.characters(text, start, length);
        }
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw DocumentError(workbook_.source + ": " + sheet_label(sheet_) + " (" + part_ + ") " +
                            why);
    }

    void start_row(const XMLString& number) {
        if (number.empty()) {
            if (row_ >= kExcelRows) {
                fail(
                    "has more than 1048576 rows. The file is damaged: save it again from Excel "
                    "or WPS");
            }
            ++row_;
        } else {
            const auto parsed = unsigned_number(number);
            if (!parsed || *parsed == 0 || *parsed > kExcelRows) {
                fail("has a row numbered " + quoted(number) +
                     ", which is not a row of a sheet "
                     "(1 to 1048576). The file is damaged: save it again from Excel or WPS");
            }
            row_ = *parsed;
        }
        column_ = 0;
    }

    void start_cell(const Attributes& attributes) {
        const XMLString& reference = attribute(attributes, "r");
        if (reference.empty()) {
            // Cells may leave out their reference: they follow on.
            row_ = row_ == 0 ? 1 : row_;
            if (column_ >= kExcelColumns) {
                fail("has more than 16384 cells in row " + std::to_string(row_) +
                     ". The file is damaged: save it again from Excel or WPS");
            }
            ++column_;
        } else {
            const auto ref = parse_cell_ref(reference);
            if (!ref) {
                fail("has a cell " + quoted(reference) +
                     ", which is not a cell reference "
                     "(A1 to XFD1048576). The file is damaged: save it again from Excel or WPS");
            }
            row_ = ref->row;
            column_ = ref->column;
        }
        type_ = attribute(attributes, "t");
        const auto style = unsigned_number(attribute(attributes, "s")).value_or(0);
        style_ = style < workbook_.styles.size() ? workbook_.styles[style] : CellStyle{};
        value_.clear();
        in_cell_ = true;
    }

    void start_in_cell(const XMLString& local, const Attributes& attributes) {
        if (in_inline_ > 0) {
            inline_.start(local, attributes);
        } else if (local == "v") {
            in_value_ = true;
        } else if (local == "is") {
            in_inline_ = 1;
        }
        // <f>: the formula itself; its cached value is in <v>.
    }

    void end_cell() {
        in_cell_ = false;
        in_value_ = false;
        in_inline_ = 0;
        const core::Cell cell = make_cell(cell_value(), style_.bold);
        if (cell.text.empty()) {
            return;
        }
        budget_.charge(cell, sheet_, part_, column_, row_);
        if (grid_ == nullptr) {
            measure();
        } else if (row_ <= grid_->size() && column_ <= (*grid_)[row_ - 1].size()) {
            (*grid_)[row_ - 1][column_ - 1] = cell;  // (the same parse measured it: always)
        }
    }

    std::vector<RawRun> cell_value() {
        std::vector<RawRun> inline_runs = inline_.take();
        if (type_ == "inlineStr" && (!inline_runs.empty() || value_.empty())) {
            return inline_runs;
        }
        if (value_.empty()) {
            return {};  // no <v>: a formula not yet calculated, or only a style
        }
        if (type_ == "s") {
            const auto index = unsigned_number(core::utf8::trim(value_));
            if (!index || *index >= workbook_.strings.size()) {
                fail("cell " + cell_name(column_, row_) + " refers to shared string " +
                     quoted(value_) + ", but the workbook has " +
                     std::to_string(workbook_.strings.size()) +
                     " (numbered from 0). The file is damaged: save it again from Excel or WPS");
            }
            return workbook_.strings.runs(*index);
        }
        if (type_ == "b") {
            return {RawRun{core::utf8::trim(value_) == "1" ? "TRUE" : "FALSE", -1}};
        }
        if (type_ == "n" || type_.empty()) {
            return {RawRun{number_text(), -1}};
        }
        if (type_ == "d" && value_.size() >= 10) {
            return {RawRun{value_.substr(0, 10), -1}};  // an ISO 8601 date (strict files)
        }
        return {RawRun{value_, -1}};  // "str" (a formula's text), "e" (#N/A, #REF!…)
    }

    std::string number_text() const {
        const std::string_view text = core::utf8::trim(value_);
        double value = 0;
        const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size()) {
            return value_;  // not a number after all: show what is there
        }
        switch (style_.number) {
            case NumberKind::date:
                if (const auto date = excel_date(value, workbook_.date1904)) {
                    return *date;
                }
                break;
            case NumberKind::percent:
                return percent(value, 0);
            case NumberKind::percent_2:
                return percent(value, 2);
            case NumberKind::general:
                break;
        }
        return general_number(value);
    }

    void measure() {
        const std::uint32_t rows = std::max(rows_, row_);
        const std::uint32_t columns = std::max(columns_, column_);
        const std::uint64_t cells = std::uint64_t{rows} * columns;
        if (columns > kMaxSheetColumns || cells > kMaxSheetCells) {
            fail("has a value in " + cell_name(column_, row_) + ", which makes it a grid of " +
                 count_of(rows, "row") + " × " + count_of(columns, "column") + "; at most " +
                 std::to_string(kMaxSheetColumns) + " columns and " +
                 std::to_string(kMaxSheetCells) +
                 " cells are read. Delete what stands far outside the table (select the rows and "
                 "columns after it, delete them, save), or copy the table into a new workbook");
        }
        rows_ = rows;
        columns_ = columns;
    }

    void add_merge(const XMLString& reference) {
        const std::size_t colon = reference.find(':');
        const auto first = parse_cell_ref(std::string_view(reference).substr(0, colon));
        const auto last = colon == XMLString::npos
                              ? first
                              : parse_cell_ref(std::string_view(reference).substr(colon + 1));
        if (!first || !last || last->row < first->row || last->column < first->column) {
            fail("merges cells " + quoted(reference) +
                 ", which is not a range of cells (A1:B2). "
                 "The file is damaged: save it again from Excel or WPS");
        }
        merges_.push_back(MergedRange{*first, *last});
    }

    const Workbook& workbook_;
    const std::string& sheet_;
    const std::string& part_;
    TextBudget& budget_;
    std::vector<std::vector<core::Cell>>* grid_;  // null while measuring

    std::uint32_t rows_ = 0;     // extent of the values: last row and column used
    std::uint32_t columns_ = 0;  // (both 1-based; 0 while there is none)
    std::uint32_t row_ = 0;      // the current row and cell
    std::uint32_t column_ = 0;
    std::vector<MergedRange> merges_;

    bool in_cell_ = false;
    XMLString type_;
    CellStyle style_;
    bool in_value_ = false;
    std::string value_;
    int in_inline_ = 0;
    StringCollector inline_;
};

// Every cell of a merged range repeats the range's first cell. Ranges are
// clipped to the grid of values (a title merged across 20 empty columns does
// not widen the table). Overlapping ranges are refused, as Excel refuses
// them: this also keeps the work to one visit per cell.
void apply_merges(core::Table& table, const std::vector<MergedRange>& merges,
                  const std::string& source, const std::string& sheet, const std::string& part,
                  TextBudget& budget) {
    if (table.rows.empty()) {
        return;
    }
    const std::size_t rows = table.rows.size();
    const std::size_t columns = table.rows[0].size();
    std::vector<bool> merged(rows * columns, false);
    for (const MergedRange& range : merges) {
        const std::size_t top = range.first.row - 1;
        const std::size_t left = range.first.column - 1;
        if (top >= rows || left >= columns) {
            continue;  // wholly outside the values: nothing to repeat, nothing to flag
        }
        const std::size_t bottom = std::min<std::size_t>(range.last.row, rows);
        const std::size_t right = std::min<std::size_t>(range.last.column, columns);
        for (std::size_t r = top; r < bottom; ++r) {
            for (std::size_t c = left; c < right; ++c) {
                if (merged[r * columns + c]) {
                    throw DocumentError(
                        source + ": " + sheet_label(sheet) + " (" + part + ") merges cell " +
                        cell_name(static_cast<std::uint32_t>(c + 1),
                                  static_cast<std::uint32_t>(r + 1)) +
                        " into two ranges; Excel does not allow that. The file is damaged: "
                        "save it again from Excel or WPS");
                }
                merged[r * columns + c] = true;
            }
        }
        const core::Cell first = table.rows[top][left];
        for (std::size_t r = top; r < bottom; ++r) {
            for (std::size_t c = left; c < right; ++c) {
                if (r == top && c == left) {
                    continue;
                }
                budget.charge(first, sheet, part, static_cast<std::uint32_t>(c + 1),
                              static_cast<std::uint32_t>(r + 1));
                core::Cell& cell = table.rows[r][c];
                cell.text = first.text;
                cell.runs = first.runs;
                cell.merged_from_left = c > left;
                cell.merged_from_above = r > top;
            }
        }
    }
}

// ------------------------------------------------------------- the package

struct Relationship {
    std::string type;
    std::string target;  // the part's name in the zip: "xl/worksheets/sheet1.xml"
};

// A relationship's target as a zip entry name: absolute ("/xl/…") or
// relative to the folder of the part that has the relationships ("xl/").
std::string resolve_target(const std::string& base, const std::string& target) {
    std::string path = target.size() > 0 && target[0] == '/' ? target.substr(1) : base + target;
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t slash = std::min(path.find('/', start), path.size());
        const std::string part = path.substr(start, slash - start);
        if (part == "..") {
            if (!parts.empty()) {
                parts.pop_back();
            }
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        start = slash + 1;
    }
    std::string resolved;
    for (const std::string& part : parts) {
        resolved += (resolved.empty() ? "" : "/") + part;
    }
    return resolved;
}

class RelationshipsHandler : public Poco::XML::DefaultHandler {
public:
    explicit RelationshipsHandler(std::map<std::string, Relationship>& relationships)
        : relationships_(relationships) {}
    void startElement(const XMLString&, const XMLString& local, const XMLString&,
                      const Attributes& attributes) override {
        if (local == "Relationship" && attribute(attributes, "TargetMode") != "External") {
            relationships_[attribute(attributes, "Id")] =
                Relationship{attribute(attributes, "Type"),
                             resolve_target("xl/", attribute(attributes, "Target"))};
        }
    }

private:
    std::map<std::string, Relationship>& relationships_;
};

struct SheetEntry {
    std::string name;
    std::string relationship;
    bool hidden = false;
};

class WorkbookHandler : public Poco::XML::DefaultHandler {
public:
    void startElement(const XMLString&, const XMLString& local, const XMLString&,
                      const Attributes& attributes) override {
        if (local == "workbookPr") {
            date1904 = on(attribute(attributes, "date1904"), false);
        } else if (local == "sheet") {
            const XMLString& state = attribute(attributes, "state");
            sheets.push_back(SheetEntry{attribute(attributes, "name"), relationship_id(attributes),
                                        state == "hidden" || state == "veryHidden"});
        }
    }
    bool date1904 = false;
    std::vector<SheetEntry> sheets;
};

bool ends_with(std::string_view text, std::string_view end) {
    return text.size() >= end.size() && text.substr(text.size() - end.size()) == end;
}

// The part a relationship of this type points to, or the usual name.
std::string part_of_type(const std::map<std::string, Relationship>& relationships,
                         std::string_view type, const std::string& usual) {
    for (const auto& [id, relationship] : relationships) {
        if (ends_with(relationship.type, type)) {
            return relationship.target;
        }
    }
    return usual;
}

}  // namespace

core::Document read_xlsx(const std::string& bytes, const std::string& source,
                         std::size_t max_unpacked_bytes) {
    OoxmlPackage package(bytes, source, max_unpacked_bytes);
    if (!package.has(kWorkbookPart)) {
        throw DocumentError(source + " has no " + kWorkbookPart +
                            ", so it is not an Excel workbook (.xlsx). Save the plan from Excel "
                            "or WPS as an .xlsx workbook");
    }
    WorkbookHandler workbook_part;
    parse_xml_part(package.read(kWorkbookPart), source, kWorkbookPart, workbook_part);
    if (workbook_part.sheets.empty()) {
        throw DocumentError(source + " is an .xlsx without sheets: its " + kWorkbookPart +
                            " lists none. Save the plan from Excel or WPS with the table on a "
                            "sheet");
    }

    std::map<std::string, Relationship> relationships;
    if (package.has(kWorkbookRels)) {
        RelationshipsHandler handler(relationships);
        parse_xml_part(package.read(kWorkbookRels), source, kWorkbookRels, handler);
    }

    Workbook workbook;
    workbook.source = source;
    workbook.date1904 = workbook_part.date1904;
    const std::string strings_part =
        part_of_type(relationships, "/sharedStrings", "xl/sharedStrings.xml");
    if (package.has(strings_part)) {
        SharedStringsHandler handler(workbook.strings);
        parse_xml_part(package.read(strings_part), source, strings_part, handler);
    }
    const std::string styles_part = part_of_type(relationships, "/styles", "xl/styles.xml");
    if (package.has(styles_part)) {
        StylesHandler handler;
        parse_xml_part(package.read(styles_part), source, styles_part, handler);
        workbook.styles = handler.cell_styles();
    }

    core::Document document;
    document.format = "xlsx";
    TextBudget budget(max_unpacked_bytes, source);
    std::size_t cells_left = kMaxWorkbookCells;
    for (const SheetEntry& sheet : workbook_part.sheets) {
        if (sheet.hidden) {
            continue;
        }
        const auto relationship = relationships.find(sheet.relationship);
        if (relationship == relationships.end()) {
            throw DocumentError(source + ": " + sheet_label(sheet.name) +
                                " has no part: " + kWorkbookRels + " has no relationship " +
                                quoted(sheet.relationship) +
                                ". The file is damaged: save it again from Excel or WPS");
        }
        if (!ends_with(relationship->second.type, "/worksheet")) {
            continue;  // a chart sheet or a dialog sheet: no cells
        }
        const std::string& part = relationship->second.target;
        if (!package.has(part)) {
            throw DocumentError(source + ": " + sheet_label(sheet.name) + " is missing: " + part +
                                " is not in the file. The file is damaged: save it again from "
                                "Excel or WPS");
        }
        const std::string xml = package.read(part);
        TextBudget measuring = budget;  // the first pass stops where the second would
        SheetHandler measure(workbook, sheet.name, part, measuring, nullptr);
        parse_xml_part(xml, source, part, measure);
        if (measure.rows() == 0) {
            continue;  // nothing on this sheet
        }
        const std::size_t cells = std::size_t{measure.rows()} * measure.columns();
        if (cells > cells_left) {
            throw DocumentError(source + ": " + sheet_label(sheet.name) + " (" + part +
                                ") is a grid of " + count_of(measure.rows(), "row") + " × " +
                                count_of(measure.columns(), "column") +
                                ", which with the sheets before it makes more than " +
                                std::to_string(kMaxWorkbookCells) +
                                " cells; at most that many are read from a workbook. Save the "
                                "plan's table in a workbook of its own");
        }
        cells_left -= cells;
        core::Table table;
        table.where = sheet_label(sheet.name);
        table.position = 1;
        table.rows.assign(measure.rows(), std::vector<core::Cell>(measure.columns()));
        SheetHandler fill(workbook, sheet.name, part, budget, &table.rows);
        parse_xml_part(xml, source, part, fill);
        apply_merges(table, fill.merges(), source, sheet.name, part, budget);
        core::Block block;
        block.kind = core::Block::Kind::table;
        block.table = std::move(table);
        document.blocks.push_back(std::move(block));
    }
    if (document.blocks.empty()) {
        throw DocumentError(source +
                            " has no visible sheet with any value (hidden sheets are not "
                            "read). Put the plan's table on a visible sheet and save "
                            "again");
    }
    return document;
}

}  // namespace rl::text
