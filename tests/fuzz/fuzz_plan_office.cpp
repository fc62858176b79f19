// libFuzzer target: Word and Excel plans, as `plan.parse` / `plan.import`
// read them — the format sniffer, the zip package, the SAX handlers of the
// Word and Excel readers, the division-of-labour table and the parser behind
// them. Random bytes seldom make a zip whose parts inflate, so the first byte
// picks what the rest is:
//   0  a whole file (sniffed, then read by the reader its bytes call for);
//   1  word/document.xml of a Word file whose numbering and styles are fixed;
//   2  xl/worksheets/sheet1.xml of a workbook whose strings and styles are fixed;
//   3  word/numbering.xml of a Word file whose body is fixed.
// The package for modes 1–3 is zipped here (stored, no compression).
//
// A refusal (DocumentError, PlanError) is an answer; any other exception, a
// crash, a sanitizer report, a hang or runaway memory is a finding.
#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "config.h"
#include "core/assignment_resolver.h"
#include "core/plan_parser.h"
#include "fuzz_support.h"
#include "text/docx_reader.h"
#include "text/file_reader.h"
#include "text/plan_formats.h"
#include "text/xlsx_reader.h"

namespace {

const rl::core::OrgChart* g_org_chart = nullptr;

// What one input may unpack to: small, so a bomb-like input is refused fast.
constexpr std::size_t kMaxUnpacked = std::size_t{8} << 20;

const char* const kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>)";

const char* const kNumbering =
    R"(<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl><w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="2"><w:startOverride w:val="1"/></w:lvlOverride></w:num></w:numbering>)";

const char* const kStyles =
    R"(<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:styleId="Heading1"><w:pPr><w:numPr><w:numId w:val="1"/><w:ilvl w:val="0"/></w:numPr></w:pPr><w:rPr><w:b/></w:rPr></w:style><w:style w:type="character" w:styleId="Strong"><w:rPr><w:b/></w:rPr></w:style></w:styles>)";

const char* const kDocument =
    R"(<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>某法院2020年司法改革工作要点</w:t></w:r></w:p><w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>深化改革</w:t></w:r></w:p><w:p><w:pPr><w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>推进繁简分流。</w:t></w:r></w:p><w:p><w:r><w:t>责任部门：</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>立案庭</w:t></w:r><w:r><w:t>、技术科</w:t></w:r></w:p></w:body></w:document>)";

const char* const kWorkbook =
    R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="分工表" sheetId="1" r:id="rId1"/></sheets></workbook>)";

const char* const kWorkbookRels =
    R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>)";

const char* const kSharedStrings =
    R"(<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>序号</t></si><si><t>改革任务</t></si><si><t>牵头部门</t></si><si><t>配合部门</t></si><si><t>完成时限</t></si><si><t>一、深化改革</t></si><si><t>推进繁简分流</t></si><si><r><rPr><b/></rPr><t>立案庭</t></r><r><t>、技术科</t></r></si><si><t>2020年6月底前</t></si></sst>)";

const char* const kSheetStyles =
    R"(<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font/><font><b/></font></fonts><cellXfs count="3"><xf numFmtId="0" fontId="0"/><xf numFmtId="0" fontId="1"/><xf numFmtId="14" fontId="0"/></cellXfs></styleSheet>)";

std::string zip(const std::vector<std::pair<std::string, std::string>>& parts) {
    std::ostringstream out;
    Poco::Zip::Compress compress(out, true);
    const Poco::DateTime when(2020, 1, 1);
    for (const auto& [name, content] : parts) {
        std::istringstream in(content);
        compress.addFile(in, when, Poco::Path(name, Poco::Path::PATH_UNIX),
                         Poco::Zip::ZipCommon::CM_STORE);
    }
    compress.close();
    return out.str();
}

std::string docx(const std::string& document, const std::string& numbering) {
    return zip({{"[Content_Types].xml", kContentTypes},
                {"word/document.xml", document},
                {"word/styles.xml", kStyles},
                {"word/numbering.xml", numbering}});
}

std::string xlsx(const std::string& sheet) {
    return zip({{"[Content_Types].xml", kContentTypes},
                {"xl/workbook.xml", kWorkbook},
                {"xl/_rels/workbook.xml.rels", kWorkbookRels},
                {"xl/sharedStrings.xml", kSharedStrings},
                {"xl/styles.xml", kSheetStyles},
                {"xl/worksheets/sheet1.xml", sheet}});
}

void parse(const rl::core::Document& document, std::size_t size) {
    rl::core::ParseOptions options;
    if (size % 2 == 1) {
        options.lead_rule = rl::core::LeadRule::explicit_only;
    }
    options.max_tasks = 5000;
    rl::core::DocumentBlocks source(document);
    const rl::core::Plan plan = rl::core::parse_plan(source, options);
    rl::core::resolve_assignments(plan, *g_org_chart);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    static const rl::Config config = rl::parse_config(rl::fuzz::demo_config_json("unused.db"));
    g_org_chart = &config.org_chart;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::string file;
    switch (data[0] % 4) {
        case 0:
            file = rest;
            break;
        case 1:
            file = docx(rest, kNumbering);
            break;
        case 2:
            file = xlsx(rest);
            break;
        default:
            file = docx(kDocument, rest);
            break;
    }
    try {
        switch (rl::text::sniff_format(file, "fuzz input")) {
            case rl::text::FileFormat::docx:
                parse(rl::text::read_docx(file, "fuzz input", kMaxUnpacked), size);
                break;
            case rl::text::FileFormat::xlsx:
                parse(rl::text::read_xlsx(file, "fuzz input", kMaxUnpacked), size);
                break;
            default:
                break;  // text has its own target (fuzz_plan_text); the rest is refused
        }
    } catch (const rl::text::DocumentError&) {
    } catch (const rl::core::PlanError&) {
    }
    return 0;
}
