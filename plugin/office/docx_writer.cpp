#include "office/docx_writer.h"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/SAX/AttributesImpl.h>
#include <Poco/XML/XMLWriter.h>
#include <Poco/Zip/Compress.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <numeric>
#include <sstream>

#include "core/calendar.h"

namespace rl::office {

namespace {

constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// A4, and the text width the margins below leave (twentieths of a point).
constexpr int kPageWidth = 11906;
constexpr int kPageHeight = 16838;
constexpr int kMarginTop = 2098;
constexpr int kMarginBottom = 1984;
constexpr int kMarginLeft = 1588;
constexpr int kMarginRight = 1474;
constexpr int kTextWidth = kPageWidth - kMarginLeft - kMarginRight;

using Poco::XML::AttributesImpl;
using Poco::XML::XMLWriter;

// s without the characters XML 1.0 does not allow (C0 controls but tab,
// newline and carriage return; U+FFFE, U+FFFF): Poco's writer refuses them,
// and a note pasted from another program can carry them. The text is UTF-8
// (requests are parsed as UTF-8).
std::string xml_characters(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            continue;
        }
        if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
            (static_cast<unsigned char>(s[i + 2]) == 0xBE ||
             static_cast<unsigned char>(s[i + 2]) == 0xBF)) {
            i += 2;
            continue;
        }
        out += s[i];
    }
    return out;
}

// Elements written by qualified name, namespaces declared as attributes: the
// parts read like the ones Word writes.
class Xml {
public:
    explicit Xml(std::ostream& out) : writer_(out, XMLWriter::WRITE_XML_DECLARATION) {
        writer_.startDocument();
    }
    ~Xml() = default;

    Xml& open(const std::string& name,
              std::initializer_list<std::pair<std::string, std::string>> attributes = {}) {
        AttributesImpl a;
        for (const auto& [k, v] : attributes) {
            a.addAttribute("", "", k, "CDATA", xml_characters(v));
        }
        writer_.startElement("", "", name, a);
        return *this;
    }
    Xml& close(const std::string& name) {
        writer_.endElement("", "", name);
        return *this;
    }
    // An element with attributes and nothing inside.
    Xml& empty(const std::string& name,
               std::initializer_list<std::pair<std::string, std::string>> attributes = {}) {
        return open(name, attributes).close(name);
    }
    Xml& text(const std::string& s) {
        writer_.characters(xml_characters(s));
        return *this;
    }
    // <name>s</name>
    Xml& element(const std::string& name, const std::string& s) {
        return open(name).text(s).close(name);
    }
    void end() { writer_.endDocument(); }

private:
    XMLWriter writer_;
};

std::string content_types() {
    std::ostringstream out;
    Xml x(out);
    x.open("Types", {{"xmlns", "http://schemas.openxmlformats.org/package/2006/content-types"}});
    x.empty("Default",
            {{"Extension", "rels"},
             {"ContentType", "application/vnd.openxmlformats-package.relationships+xml"}});
    x.empty("Default", {{"Extension", "xml"}, {"ContentType", "application/xml"}});
    x.empty("Override",
            {{"PartName", "/word/document.xml"},
             {"ContentType",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"}});
    x.empty("Override",
            {{"PartName", "/word/styles.xml"},
             {"ContentType",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"}});
    x.empty("Override",
            {{"PartName", "/docProps/core.xml"},
             {"ContentType", "application/vnd.openxmlformats-package.core-properties+xml"}});
    x.close("Types");
    x.end();
    return out.str();
}

std::string relationships(
    std::initializer_list<std::tuple<std::string, std::string, std::string>> rels) {
    std::ostringstream out;
    Xml x(out);
    x.open("Relationships",
           {{"xmlns", "http://schemas.openxmlformats.org/package/2006/relationships"}});
    for (const auto& [id, type, target] : rels) {
        x.empty("Relationship", {{"Id", id}, {"Type", type}, {"Target", target}});
    }
    x.close("Relationships");
    x.end();
    return out.str();
}

std::string core_properties(const std::string& title, const std::string& modified) {
    std::ostringstream out;
    Xml x(out);
    x.open("cp:coreProperties",
           {{"xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"},
            {"xmlns:dc", "http://purl.org/dc/elements/1.1/"},
            {"xmlns:dcterms", "http://purl.org/dc/terms/"},
            {"xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"}});
    x.element("dc:title", title);
    x.element("dc:creator", "Reform Ledger");
    x.open("dcterms:created", {{"xsi:type", "dcterms:W3CDTF"}})
        .text(modified + "T00:00:00Z")
        .close("dcterms:created");
    x.close("cp:coreProperties");
    x.end();
    return out.str();
}

// A run's fonts: Latin text in Times New Roman, Chinese in the given face.
void fonts(Xml& x, const std::string& east_asia) {
    x.empty("w:rFonts", {{"w:ascii", "Times New Roman"},
                         {"w:hAnsi", "Times New Roman"},
                         {"w:eastAsia", east_asia},
                         {"w:cs", "Times New Roman"}});
}

// A paragraph style: its Chinese font, size (half-points), bold, centred,
// and spacing before and after (twentieths of a point).
void paragraph_style(Xml& x, const std::string& id, const std::string& name,
                     const std::string& font, int half_points, bool bold, bool centred, int before,
                     int after, int outline = -1) {
    x.open("w:style", {{"w:type", "paragraph"}, {"w:styleId", id}});
    x.empty("w:name", {{"w:val", name}});
    x.empty("w:basedOn", {{"w:val", "Normal"}});
    x.empty("w:next", {{"w:val", "Normal"}});
    x.empty("w:qFormat");
    x.open("w:pPr");
    x.empty("w:keepNext");
    x.empty("w:spacing",
            {{"w:before", std::to_string(before)}, {"w:after", std::to_string(after)}});
    if (centred) {
        x.empty("w:jc", {{"w:val", "center"}});
    }
    if (outline >= 0) {
        x.empty("w:outlineLvl", {{"w:val", std::to_string(outline)}});
    }
    x.close("w:pPr");
    x.open("w:rPr");
    fonts(x, font);
    if (bold) {
        x.empty("w:b");
        x.empty("w:bCs");
    }
    x.empty("w:sz", {{"w:val", std::to_string(half_points)}});
    x.empty("w:szCs", {{"w:val", std::to_string(half_points)}});
    x.close("w:rPr");
    x.close("w:style");
}

std::string styles() {
    std::ostringstream out;
    Xml x(out);
    x.open("w:styles", {{"xmlns:w", kW}});
    // Body text: 仿宋, 三号 (16 pt), as official documents are set.
    x.open("w:docDefaults");
    x.open("w:rPrDefault").open("w:rPr");
    fonts(x, "仿宋");
    x.empty("w:sz", {{"w:val", "32"}});
    x.empty("w:szCs", {{"w:val", "32"}});
    x.empty("w:lang", {{"w:val", "en-US"}, {"w:eastAsia", "zh-CN"}});
    x.close("w:rPr").close("w:rPrDefault");
    x.open("w:pPrDefault").open("w:pPr");
    x.empty("w:spacing", {{"w:after", "0"}, {"w:line", "560"}, {"w:lineRule", "exact"}});
    x.close("w:pPr").close("w:pPrDefault");
    x.close("w:docDefaults");

    x.open("w:style", {{"w:type", "paragraph"}, {"w:default", "1"}, {"w:styleId", "Normal"}});
    x.empty("w:name", {{"w:val", "Normal"}});
    x.empty("w:qFormat");
    x.open("w:pPr");
    x.empty("w:ind", {{"w:firstLineChars", "200"}, {"w:firstLine", "640"}});
    x.empty("w:jc", {{"w:val", "both"}});
    x.close("w:pPr");
    x.close("w:style");
    // Title: 宋体 二号 bold; subtitles: 楷体 三号.
    paragraph_style(x, "Title", "Title", "宋体", 44, true, true, 240, 240, 0);
    paragraph_style(x, "Subtitle", "Subtitle", "楷体", 32, false, true, 0, 0);
    // Headings: 黑体 三号.
    paragraph_style(x, "Heading1", "heading 1", "黑体", 32, false, false, 240, 120, 0);
    // Table text: 仿宋 小四, single-spaced, no indent.
    x.open("w:style", {{"w:type", "paragraph"}, {"w:styleId", "TableText"}});
    x.empty("w:name", {{"w:val", "Table Text"}});
    x.empty("w:basedOn", {{"w:val", "Normal"}});
    x.empty("w:qFormat");
    x.open("w:pPr");
    x.empty("w:spacing", {{"w:line", "300"}, {"w:lineRule", "auto"}});
    x.empty("w:ind", {{"w:firstLineChars", "0"}, {"w:firstLine", "0"}});
    x.empty("w:jc", {{"w:val", "center"}});
    x.close("w:pPr");
    x.open("w:rPr");
    x.empty("w:sz", {{"w:val", "24"}});
    x.empty("w:szCs", {{"w:val", "24"}});
    x.close("w:rPr");
    x.close("w:style");
    // A table with single borders all round.
    x.open("w:style", {{"w:type", "table"}, {"w:styleId", "TableGrid"}});
    x.empty("w:name", {{"w:val", "Table Grid"}});
    x.open("w:tblPr");
    x.open("w:tblBorders");
    for (const char* side : {"w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"}) {
        x.empty(side,
                {{"w:val", "single"}, {"w:sz", "4"}, {"w:space", "0"}, {"w:color", "000000"}});
    }
    x.close("w:tblBorders");
    x.open("w:tblCellMar");
    x.empty("w:left", {{"w:w", "80"}, {"w:type", "dxa"}});
    x.empty("w:right", {{"w:w", "80"}, {"w:type", "dxa"}});
    x.close("w:tblCellMar");
    x.close("w:tblPr");
    x.close("w:style");
    x.close("w:styles");
    x.end();
    return out.str();
}

// A paragraph of one style; line breaks in text (a newline, a carriage
// return, CR LF, and the vertical tab and form feed Word's own text uses for
// manual line and page breaks) become w:br.
void paragraph(Xml& x, const std::string& style, const std::string& raw, bool bold = false) {
    std::string text;
    text.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') {
            continue;
        }
        text += c == '\r' || c == '\v' || c == '\f' ? '\n' : c;
    }
    x.open("w:p");
    if (!style.empty()) {
        x.open("w:pPr").empty("w:pStyle", {{"w:val", style}}).close("w:pPr");
    }
    x.open("w:r");
    if (bold) {
        x.open("w:rPr").empty("w:b").close("w:rPr");
    }
    std::size_t start = 0;
    while (true) {
        const std::size_t nl = text.find('\n', start);
        x.open("w:t", {{"xml:space", "preserve"}})
            .text(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start))
            .close("w:t");
        if (nl == std::string::npos) {
            break;
        }
        x.empty("w:br");
        start = nl + 1;
    }
    x.close("w:r");
    x.close("w:p");
}

// Column widths scaled down to the text width when they would pass it.
std::vector<int> fitted(std::vector<int> widths, std::size_t columns) {
    widths.resize(columns, 1200);
    const int total = std::accumulate(widths.begin(), widths.end(), 0);
    if (total > kTextWidth) {
        for (auto& w : widths) {
            w = w * kTextWidth / total;
        }
    }
    return widths;
}

// A table with no rows or no columns is left out: Word refuses a w:tbl
// without a w:tr or a w:tr without a w:tc. Returns whether one was written.
bool table(Xml& x, const core::WordBlock& block) {
    std::size_t columns = 0;
    for (const auto& row : block.rows) {
        columns = std::max(columns, row.size());
    }
    if (columns == 0) {
        return false;
    }
    const std::vector<int> widths = fitted(block.widths, columns);
    x.open("w:tbl");
    x.open("w:tblPr");
    x.empty("w:tblStyle", {{"w:val", "TableGrid"}});
    x.empty("w:tblW", {{"w:w", std::to_string(std::accumulate(widths.begin(), widths.end(), 0))},
                       {"w:type", "dxa"}});
    x.empty("w:jc", {{"w:val", "center"}});
    x.empty("w:tblLayout", {{"w:type", "fixed"}});
    x.empty("w:tblLook", {{"w:val", "04A0"}, {"w:firstRow", "1"}});
    x.close("w:tblPr");
    x.open("w:tblGrid");
    for (const int w : widths) {
        x.empty("w:gridCol", {{"w:w", std::to_string(w)}});
    }
    x.close("w:tblGrid");
    for (std::size_t r = 0; r < block.rows.size(); ++r) {
        const bool heading = r == 0;
        x.open("w:tr");
        if (heading) {
            x.open("w:trPr").empty("w:tblHeader").close("w:trPr");
        }
        for (std::size_t c = 0; c < columns; ++c) {
            x.open("w:tc");
            x.open("w:tcPr");
            x.empty("w:tcW", {{"w:w", std::to_string(widths[c])}, {"w:type", "dxa"}});
            if (heading) {
                x.empty("w:shd", {{"w:val", "clear"}, {"w:color", "auto"}, {"w:fill", "D9D9D9"}});
            }
            x.empty("w:vAlign", {{"w:val", "center"}});
            x.close("w:tcPr");
            const auto& row = block.rows[r];
            paragraph(x, "TableText", c < row.size() ? row[c] : "", heading);
            x.close("w:tc");
        }
        x.close("w:tr");
    }
    x.close("w:tbl");
    return true;
}

std::string document(const core::WordDocument& doc) {
    std::ostringstream out;
    Xml x(out);
    x.open("w:document", {{"xmlns:w", kW}, {"xmlns:r", kR}});
    x.open("w:body");
    for (const auto& block : doc.blocks) {
        using K = core::WordBlock::Kind;
        switch (block.kind) {
            case K::title:
                paragraph(x, "Title", block.text);
                break;
            case K::subtitle:
                paragraph(x, "Subtitle", block.text);
                break;
            case K::heading:
                paragraph(x, "Heading1", block.text);
                break;
            case K::paragraph:
                paragraph(x, "", block.text);
                break;
            case K::table:
                if (table(x, block)) {
                    // Word needs a paragraph between two tables, and after the last.
                    paragraph(x, "TableText", "");
                }
                break;
        }
    }
    x.open("w:sectPr");
    x.empty("w:pgSz", {{"w:w", std::to_string(kPageWidth)}, {"w:h", std::to_string(kPageHeight)}});
    x.empty("w:pgMar", {{"w:top", std::to_string(kMarginTop)},
                        {"w:right", std::to_string(kMarginRight)},
                        {"w:bottom", std::to_string(kMarginBottom)},
                        {"w:left", std::to_string(kMarginLeft)},
                        {"w:header", "851"},
                        {"w:footer", "992"},
                        {"w:gutter", "0"}});
    x.close("w:sectPr");
    x.close("w:body");
    x.close("w:document");
    x.end();
    return out.str();
}

}  // namespace

std::string docx_bytes(const core::WordDocument& doc, const std::string& modified) {
    const auto day = core::Date::parse(modified).value_or(core::Date{2000, 1, 1});
    const Poco::DateTime at(day.year, day.month, day.day);
    const std::pair<std::string, std::string> parts[] = {
        {"[Content_Types].xml", content_types()},
        {"_rels/.rels",
         relationships({{"rId1",
                         "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                         "officeDocument",
                         "word/document.xml"},
                        {"rId2",
                         "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                         "core-properties",
                         "docProps/core.xml"}})},
        {"docProps/core.xml", core_properties(doc.title, day.iso())},
        {"word/_rels/document.xml.rels",
         relationships({{"rId1",
                         "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                         "styles",
                         "styles.xml"}})},
        {"word/styles.xml", styles()},
        {"word/document.xml", document(doc)},
    };
    std::ostringstream zip;
    Poco::Zip::Compress compress(zip, true);
    for (const auto& [name, xml] : parts) {
        std::istringstream in(xml);
        compress.addFile(in, at, Poco::Path(name, Poco::Path::PATH_UNIX));
    }
    compress.close();
    return zip.str();
}

void write_docx(const core::WordDocument& doc, const std::string& modified,
                const std::string& path) {
    const std::string bytes = docx_bytes(doc, modified);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
        throw WriteError("cannot write the Word file '" + path + "': " + std::strerror(errno));
    }
}

}  // namespace rl::office
