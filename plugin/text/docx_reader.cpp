#include "text/docx_reader.h"

#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "text/ooxml_zip.h"
#include "text/plan_formats.h"

namespace rl::text {

namespace {

using Poco::XML::Attributes;
using Poco::XML::XMLChar;
using Poco::XML::XMLString;

const char* const kDocumentPart = "word/document.xml";
const char* const kStylesPart = "word/styles.xml";
const char* const kNumberingPart = "word/numbering.xml";

// basedOn and numStyleLink chains longer than this are loops.
constexpr int kMaxChain = 32;
constexpr int kLevels = 9;

// Element names as "w:p", "mc:Fallback", or "?:x" for any other namespace.
// Word writes the transitional namespace; "Strict Open XML" files the other.
std::string tag_of(const XMLString& uri, const XMLString& local) {
    if (uri == "http://schemas.openxmlformats.org/wordprocessingml/2006/main" ||
        uri == "http://purl.oclc.org/ooxml/wordprocessingml/main") {
        return "w:" + local;
    }
    if (uri == "http://schemas.openxmlformats.org/markup-compatibility/2006") {
        return "mc:" + local;
    }
    return "?:" + local;
}

// An attribute by local name (w:val, w:ilvl …), whatever its prefix.
std::optional<std::string> attribute(const Attributes& attributes, const char* local) {
    for (int i = 0; i < attributes.getLength(); ++i) {
        if (attributes.getLocalName(i) == local) {
            return attributes.getValue(i);
        }
    }
    return std::nullopt;
}

// An on/off property (w:b): present means on unless w:val says off.
bool on_off(const Attributes& attributes) {
    const auto value = attribute(attributes, "val");
    return !value || !(*value == "0" || *value == "false" || *value == "off");
}

std::optional<int> int_attribute(const Attributes& attributes, const char* local) {
    const auto value = attribute(attributes, local);
    if (!value || value->empty() || value->size() > 9) {
        return std::nullopt;
    }
    int number = 0;
    std::size_t at = 0;
    const bool negative = (*value)[0] == '-';
    if (negative) {
        at = 1;
    }
    if (at == value->size()) {
        return std::nullopt;
    }
    for (; at < value->size(); ++at) {
        const char c = (*value)[at];
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        number = number * 10 + (c - '0');
    }
    return negative ? -number : number;
}

// The element stack of a SAX pass, with "inside X" questions.
class Path {
public:
    void push(std::string tag) { tags_.push_back(std::move(tag)); }
    void pop() {
        if (!tags_.empty()) {
            tags_.pop_back();
        }
    }
    std::size_t depth() const { return tags_.size(); }
    // The k-th enclosing element of the current one (0: its parent).
    bool parent_is(const char* tag, std::size_t k = 0) const {
        return tags_.size() >= k + 2 && tags_[tags_.size() - 2 - k] == tag;
    }

private:
    std::vector<std::string> tags_;
};

// ---- styles.xml ------------------------------------------------------------

struct NumberingRef {
    std::optional<int> num_id;
    std::optional<int> level;
};

struct Style {
    std::string based_on;
    std::optional<bool> bold;
    NumberingRef numbering;  // paragraph styles (and numbering styles)
};

struct Styles {
    std::map<std::string, Style> by_id;
    std::string default_paragraph;  // the style of a paragraph without w:pStyle
    std::optional<bool> default_bold;

    std::optional<bool> bold(const std::string& id) const {
        std::string at = id;
        for (int step = 0; step < kMaxChain && !at.empty(); ++step) {
            const auto it = by_id.find(at);
            if (it == by_id.end()) {
                break;
            }
            if (it->second.bold) {
                return it->second.bold;
            }
            at = it->second.based_on;
        }
        return std::nullopt;
    }

    // The numbering a paragraph style gives, through its basedOn chain: the
    // nearest style that names a list, with the nearest level given.
    NumberingRef numbering(const std::string& id) const {
        NumberingRef found;
        std::string at = id;
        for (int step = 0; step < kMaxChain && !at.empty(); ++step) {
            const auto it = by_id.find(at);
            if (it == by_id.end()) {
                break;
            }
            if (!found.num_id) {
                found.num_id = it->second.numbering.num_id;
            }
            if (!found.level) {
                found.level = it->second.numbering.level;
            }
            at = it->second.based_on;
        }
        return found;
    }
};

class StylesHandler : public Poco::XML::DefaultHandler {
public:
    explicit StylesHandler(Styles& styles) : styles_(styles) {}

    void startElement(const XMLString& uri, const XMLString& local, const XMLString&,
                      const Attributes& attributes) override {
        const std::string tag = tag_of(uri, local);
        path_.push(tag);
        if (tag == "w:style") {
            current_ = attribute(attributes, "styleId").value_or("");
            const auto type = attribute(attributes, "type").value_or("paragraph");
            if (type == "paragraph" && on_off_default(attributes)) {
                styles_.default_paragraph = current_;
            }
            styles_.by_id[current_];
        } else if (tag == "w:basedOn" && path_.parent_is("w:style")) {
            styles_.by_id[current_].based_on = attribute(attributes, "val").value_or("");
        } else if (tag == "w:b" && path_.parent_is("w:rPr") && path_.parent_is("w:style", 1)) {
            styles_.by_id[current_].bold = on_off(attributes);
        } else if (tag == "w:b" && path_.parent_is("w:rPr") && path_.parent_is("w:rPrDefault", 1)) {
            styles_.default_bold = on_off(attributes);
        } else if ((tag == "w:numId" || tag == "w:ilvl") && path_.parent_is("w:numPr") &&
                   path_.parent_is("w:pPr", 1) && path_.parent_is("w:style", 2)) {
            auto& numbering = styles_.by_id[current_].numbering;
            (tag == "w:numId" ? numbering.num_id : numbering.level) =
                int_attribute(attributes, "val");
        }
    }
    void endElement(const XMLString&, const XMLString&, const XMLString&) override { path_.pop(); }

private:
    static bool on_off_default(const Attributes& attributes) {
        const auto value = attribute(attributes, "default");
        return value && (*value == "1" || *value == "true" || *value == "on");
    }

    Styles& styles_;
    Path path_;
    std::string current_;
};

// ---- numbering.xml ---------------------------------------------------------

struct Level {
    int start = 1;
    std::string format = "decimal";  // w:numFmt
    std::string text;                // w:lvlText, "%1、"
    std::optional<int> restart;      // w:lvlRestart
    std::string suffix = "tab";      // w:suff
    bool legal = false;              // w:isLgl: every number decimal
    std::string paragraph_style;     // w:pStyle: the style this level belongs to
};

struct AbstractNumbering {
    std::array<Level, kLevels> levels;
    std::string style_link;  // w:numStyleLink: the definition is the style's list
};

struct LevelOverride {
    std::optional<int> start;    // w:startOverride
    std::optional<Level> level;  // a whole w:lvl inside the override
};

struct NumberingInstance {  // w:num
    int abstract_id = -1;
    std::map<int, LevelOverride> overrides;
};

struct NumberingDefinitions {
    std::map<int, AbstractNumbering> abstracts;
    std::map<int, NumberingInstance> instances;
};

class NumberingHandler : public Poco::XML::DefaultHandler {
public:
    explicit NumberingHandler(NumberingDefinitions& definitions) : definitions_(definitions) {}

    void startElement(const XMLString& uri, const XMLString& local, const XMLString&,
                      const Attributes& attributes) override {
        const std::string tag = tag_of(uri, local);
        path_.push(tag);
        if (tag == "w:abstractNum") {
            abstract_ = int_attribute(attributes, "abstractNumId").value_or(-1);
            in_override_ = false;
            definitions_.abstracts[abstract_];
        } else if (tag == "w:num") {
            instance_ = int_attribute(attributes, "numId").value_or(-1);
            abstract_ = -1;
            definitions_.instances[instance_];
        } else if (tag == "w:abstractNumId" && path_.parent_is("w:num")) {
            definitions_.instances[instance_].abstract_id =
                int_attribute(attributes, "val").value_or(-1);
        } else if (tag == "w:numStyleLink" && path_.parent_is("w:abstractNum")) {
            definitions_.abstracts[abstract_].style_link =
                attribute(attributes, "val").value_or("");
        } else if (tag == "w:lvlOverride") {
            override_level_ = int_attribute(attributes, "ilvl").value_or(0);
            in_override_ = true;
        } else if (tag == "w:startOverride" && path_.parent_is("w:lvlOverride")) {
            overrides()[override_level_].start = int_attribute(attributes, "val");
        } else if (tag == "w:lvl") {
            level_index_ =
                std::clamp(int_attribute(attributes, "ilvl").value_or(0), 0, kLevels - 1);
            if (path_.parent_is("w:lvlOverride")) {
                overrides()[override_level_].level = Level{};
            }
        } else if (path_.parent_is("w:lvl")) {
            Level* level = current_level();
            if (level == nullptr) {
                return;
            }
            const auto value = attribute(attributes, "val");
            if (tag == "w:start") {
                level->start = int_attribute(attributes, "val").value_or(1);
            } else if (tag == "w:numFmt") {
                level->format = value.value_or("decimal");
            } else if (tag == "w:lvlText") {
                level->text = value.value_or("");
            } else if (tag == "w:lvlRestart") {
                level->restart = int_attribute(attributes, "val");
            } else if (tag == "w:suff") {
                level->suffix = value.value_or("tab");
            } else if (tag == "w:isLgl") {
                level->legal = on_off(attributes);
            } else if (tag == "w:pStyle") {
                level->paragraph_style = value.value_or("");
            }
        }
    }
    void endElement(const XMLString&, const XMLString& local, const XMLString&) override {
        path_.pop();
        if (local == "lvlOverride") {
            in_override_ = false;
        }
    }

private:
    std::map<int, LevelOverride>& overrides() {
        return definitions_.instances[instance_].overrides;
    }
    Level* current_level() {
        if (in_override_) {
            auto& level = overrides()[override_level_].level;
            return level ? &*level : nullptr;
        }
        if (abstract_ < 0 &&
            definitions_.abstracts.find(abstract_) == definitions_.abstracts.end()) {
            return nullptr;
        }
        return &definitions_.abstracts[abstract_].levels[static_cast<std::size_t>(level_index_)];
    }

    NumberingDefinitions& definitions_;
    Path path_;
    int abstract_ = -1;
    int instance_ = -1;
    int level_index_ = 0;
    int override_level_ = 0;
    bool in_override_ = false;
};

// ---- number formats --------------------------------------------------------

std::string chinese_number(int n) {
    static const char* const kDigits[] = {"零", "一", "二", "三", "四",
                                          "五", "六", "七", "八", "九"};
    if (n <= 0 || n > 99999) {
        return std::to_string(n);
    }
    if (n < 10) {
        return kDigits[n];
    }
    if (n < 20) {  // 十, 十一 … 十九, as Word writes them
        return std::string("十") + (n % 10 != 0 ? kDigits[n % 10] : "");
    }
    static const char* const kUnits[] = {"万", "千", "百", "十", ""};
    static const int kPowers[] = {10000, 1000, 100, 10, 1};
    std::string text;
    bool zero_pending = false;
    for (int i = 0; i < 5; ++i) {
        const int digit = (n / kPowers[i]) % 10;
        if (digit == 0) {
            zero_pending = !text.empty();
            continue;
        }
        if (zero_pending) {
            text += kDigits[0];
            zero_pending = false;
        }
        text += kDigits[digit];
        text += kUnits[i];
    }
    return text;
}

std::string roman(int n, bool upper) {
    if (n <= 0 || n >= 4000) {
        return std::to_string(n);
    }
    static const std::pair<int, const char*> kNumerals[] = {
        {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
        {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
    std::string text;
    for (const auto& [value, numeral] : kNumerals) {
        while (n >= value) {
            text += numeral;
            n -= value;
        }
    }
    if (upper) {
        std::transform(text.begin(), text.end(), text.begin(),
                       [](char c) { return static_cast<char>(c - 'a' + 'A'); });
    }
    return text;
}

// A code point as UTF-8 (the enclosed and full-width forms are all in the BMP).
std::string utf8(unsigned int code) {
    std::string text;
    if (code < 0x80) {
        text += static_cast<char>(code);
    } else if (code < 0x800) {
        text += static_cast<char>(0xC0 | (code >> 6));
        text += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        text += static_cast<char>(0xE0 | (code >> 12));
        text += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        text += static_cast<char>(0x80 | (code & 0x3F));
    }
    return text;
}

// The number as a level of this format shows it. "bullet" is handled by the
// caller (no number at all); unknown formats fall back to decimal, as Word
// does for formats it cannot draw.
std::string format_number(int n, const std::string& format) {
    if (format == "none") {
        return "";
    }
    if (format == "chineseCounting" || format == "chineseCountingThousand" ||
        format == "japaneseCounting" || format == "chineseLegalSimplified" ||
        format == "taiwaneseCounting" || format == "taiwaneseCountingThousand") {
        return chinese_number(n);
    }
    if (format == "ideographTraditional" && n >= 1) {
        static const char* const kStems[] = {"甲", "乙", "丙", "丁", "戊",
                                             "己", "庚", "辛", "壬", "癸"};
        return kStems[(n - 1) % 10];
    }
    if (format == "decimalFullWidth" || format == "decimalFullWidth2") {
        std::string text;
        for (char c : std::to_string(n)) {
            text += c == '-' ? std::string("－") : utf8(0xFF10 + static_cast<unsigned>(c - '0'));
        }
        return text;
    }
    if ((format == "decimalEnclosedCircle" || format == "decimalEnclosedCircleChinese") && n >= 1 &&
        n <= 20) {
        return utf8(0x2460 + static_cast<unsigned>(n - 1));  // ① … ⑳
    }
    if (format == "decimalEnclosedParen" && n >= 1 && n <= 20) {
        return utf8(0x2474 + static_cast<unsigned>(n - 1));  // ⑴ … ⒇
    }
    if (format == "decimalEnclosedFullstop" && n >= 1 && n <= 20) {
        return utf8(0x2488 + static_cast<unsigned>(n - 1));  // ⒈ … ⒛
    }
    if ((format == "upperLetter" || format == "lowerLetter") && n >= 1) {
        const char letter = static_cast<char>((format == "upperLetter" ? 'A' : 'a') + (n - 1) % 26);
        return std::string(static_cast<std::size_t>((n - 1) / 26 + 1), letter);  // Z, AA, BB
    }
    if (format == "upperRoman" || format == "lowerRoman") {
        return roman(n, format == "upperRoman");
    }
    if (format == "decimalZero" && n >= 0 && n < 10) {
        return "0" + std::to_string(n);
    }
    return std::to_string(n);
}

// ---- rendering automatic numbering ------------------------------------------

// The counters of Word's lists as the body is read in order. Counters belong
// to the abstract definition, so two w:num of one definition continue each
// other, except where a w:num restarts a level (startOverride) — Word's
// "Restart at 1" — which takes effect where that w:num is first used.
class ListCounters {
public:
    ListCounters(const NumberingDefinitions& definitions, const Styles& styles)
        : definitions_(definitions), styles_(styles) {}

    // The number text of a paragraph in list num_id at level (-1: the level
    // whose w:pStyle is paragraph_style, else 0); empty for none or bullets.
    std::string next(int num_id, int level, const std::string& paragraph_style) {
        const auto resolved = resolve(num_id);
        if (!resolved) {
            return "";
        }
        // Named, not a structured binding: the lambdas below use them, and
        // clang (the fuzzing build) cannot capture structured bindings in C++17.
        const auto* const instance = resolved->first;
        const auto& abstract_id = resolved->second;
        const AbstractNumbering& abstract = definitions_.abstracts.at(abstract_id);
        if (level < 0) {
            level = 0;
            for (int i = 0; i < kLevels; ++i) {
                if (!paragraph_style.empty() &&
                    abstract.levels[static_cast<std::size_t>(i)].paragraph_style ==
                        paragraph_style) {
                    level = i;
                    break;
                }
            }
        }
        level = std::clamp(level, 0, kLevels - 1);
        State& state = states_[abstract_id];
        if (instance != nullptr && first_use_.insert_or_assign(num_id, false).second) {
            for (const auto& [overridden, change] : instance->overrides) {
                if (overridden >= 0 && overridden < kLevels && (change.start || change.level)) {
                    state.counters[static_cast<std::size_t>(overridden)].reset();
                }
            }
        }
        const auto level_of = [&](int i) -> const Level& {
            if (instance != nullptr) {
                const auto it = instance->overrides.find(i);
                if (it != instance->overrides.end() && it->second.level) {
                    return *it->second.level;
                }
            }
            return abstract.levels[static_cast<std::size_t>(i)];
        };
        const auto start_of = [&](int i) {
            if (instance != nullptr) {
                const auto it = instance->overrides.find(i);
                if (it != instance->overrides.end() && it->second.start) {
                    return *it->second.start;
                }
            }
            return level_of(i).start;
        };
        auto& counter = state.counters[static_cast<std::size_t>(level)];
        counter = counter ? *counter + 1 : start_of(level);
        for (int deeper = level + 1; deeper < kLevels; ++deeper) {
            const auto restart = level_of(deeper).restart;
            if (level < restart.value_or(deeper)) {
                state.counters[static_cast<std::size_t>(deeper)].reset();
            }
        }
        const Level& shown = level_of(level);
        if (shown.format == "bullet") {
            return "";
        }
        std::string text;
        const std::string& pattern = shown.text;
        for (std::size_t i = 0; i < pattern.size(); ++i) {
            if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] >= '1' &&
                pattern[i + 1] <= '9') {
                const int referenced = pattern[i + 1] - '1';
                const auto& value = state.counters[static_cast<std::size_t>(referenced)];
                const int number = value ? *value : start_of(referenced);
                text += format_number(
                    number, shown.legal ? std::string("decimal") : level_of(referenced).format);
                ++i;
            } else {
                text += pattern[i];
            }
        }
        if (!text.empty() && shown.suffix == "space") {
            text += ' ';
        }
        return text;
    }

private:
    struct State {
        std::array<std::optional<int>, kLevels> counters;
    };

    // The w:num and the abstract definition behind num_id, following
    // numStyleLink to the numbering style's own list.
    std::optional<std::pair<const NumberingInstance*, int>> resolve(int num_id) const {
        for (int step = 0; step < kMaxChain; ++step) {
            const auto instance = definitions_.instances.find(num_id);
            if (instance == definitions_.instances.end()) {
                return std::nullopt;
            }
            const auto abstract = definitions_.abstracts.find(instance->second.abstract_id);
            if (abstract == definitions_.abstracts.end()) {
                return std::nullopt;
            }
            if (abstract->second.style_link.empty()) {
                return std::make_pair(&instance->second, abstract->first);
            }
            const auto linked = styles_.numbering(abstract->second.style_link).num_id;
            if (!linked || *linked == num_id) {
                return std::nullopt;
            }
            num_id = *linked;
        }
        return std::nullopt;
    }

    const NumberingDefinitions& definitions_;
    const Styles& styles_;
    std::map<int, State> states_;
    std::map<int, bool> first_use_;
};

// ---- document.xml ----------------------------------------------------------

// Elements whose content a reader of the printed body does not see.
bool is_hidden_content(const std::string& tag) {
    static const char* const kHidden[] = {"w:del",
                                          "w:moveFrom",
                                          "w:delText",
                                          "w:instrText",
                                          "w:delInstrText",
                                          "w:drawing",
                                          "w:pict",
                                          "w:object",
                                          "w:footnoteReference",
                                          "w:endnoteReference",
                                          "w:commentReference",
                                          "w:annotationRef",
                                          "w:rPrChange",
                                          "w:pPrChange",
                                          "w:tblPrChange",
                                          "w:trPrChange",
                                          "w:tcPrChange",
                                          "w:sectPrChange",
                                          "w:numberingChange",
                                          "w:sdtPr",
                                          "w:sdtEndPr",
                                          "mc:Fallback"};
    return std::find(std::begin(kHidden), std::end(kHidden), tag) != std::end(kHidden);
}

// One cell of a Word table row before merges are resolved.
struct RawCell {
    core::Cell cell;
    int span = 1;
    enum class Vertical { none, restart, merged } vertical = Vertical::none;
    bool merged_left = false;  // legacy w:hMerge continuation
};

struct RawRow {
    int grid_before = 0;
    std::vector<RawCell> cells;
};

void append_run(std::vector<core::Run>& runs, const std::string& text, bool bold) {
    if (text.empty()) {
        return;
    }
    if (!runs.empty() && runs.back().bold == bold) {
        runs.back().text += text;
    } else {
        runs.push_back(core::Run{text, bold});
    }
}

std::string trimmed(const std::string& text) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    std::size_t begin = 0;
    std::size_t end = text.size();
    while (begin < end && space(text[begin])) {
        ++begin;
    }
    while (end > begin && space(text[end - 1])) {
        --end;
    }
    return text.substr(begin, end - begin);
}

// Makes the grid rectangular: gridSpan repeats a cell to its right, vMerge
// continuations repeat the cell above, short rows are padded.
core::Table build_table(const std::vector<RawRow>& rows) {
    core::Table table;
    std::size_t width = 0;
    for (const RawRow& raw : rows) {
        std::vector<core::Cell> row(static_cast<std::size_t>(std::max(raw.grid_before, 0)));
        for (const RawCell& cell : raw.cells) {
            const std::size_t column = row.size();
            core::Cell first = cell.cell;
            if (cell.merged_left && !row.empty()) {
                first = row.back();
                first.merged_from_left = true;
            }
            if (cell.vertical == RawCell::Vertical::merged) {
                if (!table.rows.empty() && column < table.rows.back().size()) {
                    first = table.rows.back()[column];
                    first.merged_from_left = false;
                }
                first.merged_from_above = true;
            }
            row.push_back(first);
            for (int extra = 1; extra < cell.span; ++extra) {
                core::Cell copy = first;
                copy.merged_from_left = true;
                if (cell.vertical == RawCell::Vertical::merged && !table.rows.empty() &&
                    row.size() < table.rows.back().size()) {
                    copy.merged_from_above = true;
                }
                row.push_back(copy);
            }
        }
        width = std::max(width, row.size());
        table.rows.push_back(std::move(row));
    }
    for (auto& row : table.rows) {
        row.resize(width);
    }
    return table;
}

class BodyHandler : public Poco::XML::DefaultHandler {
public:
    BodyHandler(const Styles& styles, ListCounters& lists, core::Document& document)
        : styles_(styles), lists_(lists), document_(document) {}

    bool saw_body() const { return saw_body_; }

    void startElement(const XMLString& uri, const XMLString& local, const XMLString&,
                      const Attributes& attributes) override {
        std::string tag = tag_of(uri, local);
        path_.push(tag);
        if (hidden_from_ != 0) {
            return;
        }
        if (is_hidden_content(tag)) {
            hidden_from_ = path_.depth();
            return;
        }
        if (tag == "w:body") {
            saw_body_ = true;
        } else if (tag == "w:p") {
            start_paragraph();
        } else if (tag == "w:pStyle" && path_.parent_is("w:pPr") && path_.parent_is("w:p", 1)) {
            paragraph_style_ = attribute(attributes, "val").value_or("");
        } else if ((tag == "w:numId" || tag == "w:ilvl") && path_.parent_is("w:numPr") &&
                   path_.parent_is("w:pPr", 1)) {
            (tag == "w:numId" ? direct_numbering_.num_id : direct_numbering_.level) =
                int_attribute(attributes, "val");
        } else if (tag == "w:r") {
            run_bold_.reset();
            run_style_.clear();
        } else if (tag == "w:b" && path_.parent_is("w:rPr") && path_.parent_is("w:r", 1)) {
            run_bold_ = on_off(attributes);
        } else if (tag == "w:rStyle" && path_.parent_is("w:rPr") && path_.parent_is("w:r", 1)) {
            run_style_ = attribute(attributes, "val").value_or("");
        } else if (tag == "w:t" && path_.parent_is("w:r")) {
            in_text_ = true;
        } else if (tag == "w:tab" && path_.parent_is("w:r")) {
            add_text(" ");
        } else if ((tag == "w:br" || tag == "w:cr") && path_.parent_is("w:r")) {
            lines_.emplace_back();
        } else if (tag == "w:noBreakHyphen" && path_.parent_is("w:r")) {
            add_text("-");
        } else if (tag == "w:tbl") {
            if (++table_depth_ == 1) {
                rows_.clear();
            }
        } else if (table_depth_ == 1 && tag == "w:tr") {
            rows_.emplace_back();
        } else if (table_depth_ == 1 && tag == "w:gridBefore" && path_.parent_is("w:trPr") &&
                   !rows_.empty()) {
            rows_.back().grid_before =
                std::clamp(int_attribute(attributes, "val").value_or(0), 0, 64);
        } else if (table_depth_ == 1 && tag == "w:tc" && !rows_.empty()) {
            rows_.back().cells.emplace_back();
        } else if (table_depth_ == 1 && path_.parent_is("w:tcPr") && current_cell() != nullptr) {
            RawCell& cell = *current_cell();
            if (tag == "w:gridSpan") {
                cell.span = std::clamp(int_attribute(attributes, "val").value_or(1), 1, 64);
            } else if (tag == "w:vMerge") {
                cell.vertical = attribute(attributes, "val").value_or("continue") == "restart"
                                    ? RawCell::Vertical::restart
                                    : RawCell::Vertical::merged;
            } else if (tag == "w:hMerge") {
                cell.merged_left = attribute(attributes, "val").value_or("continue") != "restart";
            }
        }
    }

    void endElement(const XMLString& uri, const XMLString& local, const XMLString&) override {
        const std::size_t depth = path_.depth();
        path_.pop();
        if (hidden_from_ != 0) {
            if (depth == hidden_from_) {
                hidden_from_ = 0;
            }
            return;
        }
        const std::string tag = tag_of(uri, local);
        if (tag == "w:t") {
            in_text_ = false;
        } else if (tag == "w:p") {
            finish_paragraph();
        } else if (tag == "w:tbl") {
            if (table_depth_ == 1) {
                finish_table();
            }
            table_depth_ = std::max(table_depth_ - 1, 0);
        }
    }

    void characters(const XMLChar characters[], int start, int length) override {
        if (hidden_from_ == 0 && in_text_) {
            add_text(std::string(characters + start, static_cast<std::size_t>(length)));
        }
    }

private:
    RawCell* current_cell() {
        if (rows_.empty() || rows_.back().cells.empty()) {
            return nullptr;
        }
        return &rows_.back().cells.back();
    }

    void start_paragraph() {
        lines_.assign(1, {});
        paragraph_style_.clear();
        direct_numbering_ = {};
        run_bold_.reset();
        run_style_.clear();
    }

    bool bold_now() const {
        if (run_bold_) {
            return *run_bold_;
        }
        if (!run_style_.empty()) {
            if (const auto bold = styles_.bold(run_style_)) {
                return *bold;
            }
        }
        const std::string& style =
            paragraph_style_.empty() ? styles_.default_paragraph : paragraph_style_;
        if (const auto bold = styles_.bold(style)) {
            return *bold;
        }
        return styles_.default_bold.value_or(false);
    }

    void add_text(const std::string& text) {
        if (lines_.empty()) {
            lines_.emplace_back();
        }
        append_run(lines_.back(), text, bold_now());
    }

    std::string numbering_text() {
        const std::string& style =
            paragraph_style_.empty() ? styles_.default_paragraph : paragraph_style_;
        NumberingRef ref = styles_.numbering(style);
        if (direct_numbering_.num_id) {
            ref.num_id = direct_numbering_.num_id;
        }
        if (direct_numbering_.level) {
            ref.level = direct_numbering_.level;
        }
        if (!ref.num_id || *ref.num_id == 0) {
            return "";
        }
        return lists_.next(*ref.num_id, ref.level.value_or(-1), style);
    }

    void finish_paragraph() {
        if (lines_.empty()) {
            lines_.emplace_back();
        }
        const std::string number = numbering_text();
        if (!number.empty()) {
            lines_.front().insert(lines_.front().begin(), core::Run{number, false});
        }
        if (table_depth_ > 0) {
            add_to_cell();
        } else {
            add_paragraphs();
        }
        lines_.clear();
    }

    void add_paragraphs() {
        ++paragraphs_;
        for (std::size_t i = 0; i < lines_.size(); ++i) {
            core::Block block;
            block.kind = core::Block::Kind::paragraph;
            core::Paragraph& paragraph = block.paragraph;
            paragraph.runs = std::move(lines_[i]);
            for (const core::Run& run : paragraph.runs) {
                paragraph.text += run.text;
            }
            paragraph.where = "paragraph " + std::to_string(paragraphs_);
            if (lines_.size() > 1) {
                paragraph.where += " (line " + std::to_string(i + 1) + ")";
            }
            paragraph.position = paragraphs_;
            document_.blocks.push_back(std::move(block));
        }
    }

    void add_to_cell() {
        RawCell* cell = current_cell();
        if (cell == nullptr) {
            return;  // a paragraph outside any cell: not valid WordprocessingML
        }
        for (auto& line : lines_) {
            auto& runs = cell->cell.runs;
            if (!runs.empty() || !cell->cell.text.empty()) {
                runs.push_back(core::Run{"\n", false});
                cell->cell.text += '\n';
            }
            for (core::Run& run : line) {
                cell->cell.text += run.text;
                runs.push_back(std::move(run));
            }
        }
    }

    void finish_table() {
        for (RawRow& row : rows_) {
            for (RawCell& raw : row.cells) {
                // Trim the joined text; drop the empty paragraphs' separators
                // at either end of the runs to match.
                raw.cell.text = trimmed(raw.cell.text);
                auto& runs = raw.cell.runs;
                while (!runs.empty() && trimmed(runs.front().text).empty()) {
                    runs.erase(runs.begin());
                }
                while (!runs.empty() && trimmed(runs.back().text).empty()) {
                    runs.pop_back();
                }
            }
        }
        core::Block block;
        block.kind = core::Block::Kind::table;
        block.table = build_table(rows_);
        block.table.where = "table " + std::to_string(++tables_);
        block.table.position = paragraphs_ + 1;
        document_.blocks.push_back(std::move(block));
        rows_.clear();
    }

    const Styles& styles_;
    ListCounters& lists_;
    core::Document& document_;
    Path path_;
    std::size_t hidden_from_ = 0;  // the depth of the hidden element we are in, or 0
    bool saw_body_ = false;
    bool in_text_ = false;

    // The paragraph being read: its lines (split by w:br), style, numbering.
    std::vector<std::vector<core::Run>> lines_;
    std::string paragraph_style_;
    NumberingRef direct_numbering_;
    std::optional<bool> run_bold_;
    std::string run_style_;

    int table_depth_ = 0;
    std::vector<RawRow> rows_;
    int paragraphs_ = 0;
    int tables_ = 0;
};

}  // namespace

core::Document read_docx(const std::string& bytes, const std::string& source,
                         std::size_t max_unpacked_bytes) {
    if (bytes.compare(0, 2, "PK") != 0) {
        const std::string refusal = refusal_for(sniff_format(bytes, source), source);
        throw DocumentError(!refusal.empty()
                                ? refusal
                                : source +
                                      " is not a Word .docx file (a .docx is a zip package; "
                                      "this file does not start like one)");
    }
    OoxmlPackage package(bytes, source, max_unpacked_bytes);
    if (!package.has(kDocumentPart)) {
        throw DocumentError(source + " is a .docx without a body: it has no " + kDocumentPart +
                            ", the part that holds the document's text. Save the file again "
                            "from Word or WPS");
    }
    Styles styles;
    if (package.has(kStylesPart)) {
        StylesHandler handler(styles);
        parse_xml_part(package.read(kStylesPart), source, kStylesPart, handler);
    }
    NumberingDefinitions numbering;
    if (package.has(kNumberingPart)) {
        NumberingHandler handler(numbering);
        parse_xml_part(package.read(kNumberingPart), source, kNumberingPart, handler);
    }
    ListCounters lists(numbering, styles);
    core::Document document;
    document.format = "docx";
    BodyHandler handler(styles, lists, document);
    parse_xml_part(package.read(kDocumentPart), source, kDocumentPart, handler);
    if (!handler.saw_body()) {
        throw DocumentError(source + " is a .docx without a body: its " + kDocumentPart +
                            " has no w:body element. Save the file again from Word or WPS");
    }
    return document;
}

}  // namespace rl::text
