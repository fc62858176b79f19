// rl::text::OoxmlPackage and parse_xml_part: what a .docx or .xlsx package
// may not do to the plugin — inflate past the cap whatever its headers say,
// hold endless entries, arrive damaged, or smuggle a DOCTYPE into a part.
#include <gtest/gtest.h>

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/Zip/Compress.h>

#include <malloc.h>

#include <cstddef>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "support/test_support.h"
#include "text/ooxml_zip.h"

namespace {

using rl::text::DocumentError;
using rl::text::OoxmlPackage;

// A zip made by Poco's writer, entries deflated.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::ostringstream out;
    Poco::Zip::Compress zip(out, true);
    for (const auto& [name, content] : entries) {
        std::istringstream in(content);
        zip.addFile(in, Poco::DateTime(2020, 1, 1), Poco::Path(name, Poco::Path::PATH_UNIX),
                    Poco::Zip::ZipCommon::CM_DEFLATE, Poco::Zip::ZipCommon::CL_MAXIMUM);
    }
    zip.close();
    return out.str();
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

template <typename F>
std::string refusal_of(F&& f) {
    try {
        f();
    } catch (const DocumentError& e) {
        return e.what();
    }
    return "(no DocumentError)";
}

TEST(OoxmlZip, ListsAndReadsEntries) {
    const std::string bytes =
        make_zip({{"word/document.xml", "<w:document/>"}, {"[Content_Types].xml", "<Types/>"}});
    OoxmlPackage package(bytes, "plan.docx", 1 << 20);
    EXPECT_EQ(package.entries(),
              (std::vector<std::string>{"[Content_Types].xml", "word/document.xml"}));
    EXPECT_TRUE(package.has("word/document.xml"));
    EXPECT_FALSE(package.has("xl/workbook.xml"));
    EXPECT_EQ(package.read("word/document.xml"), "<w:document/>");
    EXPECT_EQ(package.unpacked_bytes(), 13u);
    EXPECT_TRUE(has(refusal_of([&] { package.read("word/styles.xml"); }), "word/styles.xml"));
}

TEST(OoxmlZip, InflatingStopsAtTheCapAcrossEntries) {
    const std::string big(8u << 20, ' ');
    const std::string bytes = make_zip({{"a.xml", std::string(600u << 10, 'a')}, {"b.xml", big}});
    ASSERT_LT(bytes.size(), 100u << 10);  // deflate squeezes the spaces
    OoxmlPackage package(bytes, "bomb.docx", 1u << 20);
    EXPECT_EQ(package.read("a.xml").size(), 600u << 10);
    const std::string message = refusal_of([&] { package.read("b.xml"); });
    EXPECT_TRUE(has(message, "bomb.docx")) << message;
    EXPECT_TRUE(has(message, "b.xml")) << message;
    EXPECT_TRUE(has(message, "1048576 bytes (1 MiB)")) << message;
    EXPECT_TRUE(has(message, "zip bomb")) << message;
    EXPECT_LE(package.unpacked_bytes(), 1u << 20);
}

TEST(OoxmlZip, TooManyEntriesAreRefusedWhileListing) {
    std::vector<std::pair<std::string, std::string>> entries;
    for (int i = 0; i < 30; ++i) {
        entries.emplace_back("part" + std::to_string(i) + ".xml", "<x/>");
    }
    const std::string bytes = make_zip(entries);
    const std::string message = refusal_of([&] { OoxmlPackage(bytes, "many.xlsx", 1 << 20, 20); });
    EXPECT_TRUE(has(message, "many.xlsx")) << message;
    EXPECT_TRUE(has(message, "more than 20 zip entries")) << message;
    EXPECT_NO_THROW(OoxmlPackage(bytes, "many.xlsx", 1 << 20, 30));
}

TEST(OoxmlZip, TruncatedZipIsADocumentError) {
    const std::string bytes =
        make_zip({{"word/document.xml", std::string(4000, 'x') + "<w:document/>"}});
    for (std::size_t keep : {bytes.size() - 10, bytes.size() / 2, std::size_t{40}}) {
        const std::string cut = bytes.substr(0, keep);
        const std::string message = refusal_of([&] {
            OoxmlPackage package(cut, "cut.docx", 1 << 20);
            package.read("word/document.xml");
        });
        EXPECT_TRUE(has(message, "cut.docx")) << keep << ": " << message;
        EXPECT_TRUE(has(message, "damaged or truncated")) << keep << ": " << message;
    }
}

TEST(OoxmlZip, CorruptDataIsADocumentError) {
    std::string bytes = make_zip({{"word/document.xml", std::string(20000, 'x') + "yz"}});
    // Flip bytes in the middle of the compressed data.
    for (std::size_t i = 60; i < 70; ++i) {
        bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
    }
    const std::string message = refusal_of([&] {
        OoxmlPackage package(bytes, "bad.docx", 1 << 20);
        package.read("word/document.xml");
    });
    EXPECT_TRUE(has(message, "bad.docx")) << message;
    EXPECT_TRUE(has(message, "damaged")) << message;
}

TEST(OoxmlZip, NotAZipIsADocumentError) {
    const std::string message = refusal_of([] { OoxmlPackage("plain text", "plan.docx", 100); });
    EXPECT_TRUE(has(message, "plan.docx is not a zip package")) << message;
}

class CountElements : public Poco::XML::DefaultHandler {
public:
    void startElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& local,
                      const Poco::XML::XMLString&, const Poco::XML::Attributes&) override {
        names.push_back(uri + "|" + local);
    }
    std::vector<std::string> names;
};

TEST(OoxmlXml, ElementsArriveWithNamespaceAndLocalName) {
    CountElements handler;
    rl::text::parse_xml_part("<w:a xmlns:w='urn:w'><w:b/></w:a>", "plan.docx", "word/document.xml",
                             handler);
    EXPECT_EQ(handler.names, (std::vector<std::string>{"urn:w|a", "urn:w|b"}));
}

TEST(OoxmlXml, DoctypeIsRefusedAndNothingAfterItReachesTheHandler) {
    const std::string laughs =
        "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>"
        "<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>]>"
        "<lolz>&lol2;</lolz>";
    CountElements handler;
    const std::string message = refusal_of(
        [&] { rl::text::parse_xml_part(laughs, "plan.docx", "word/document.xml", handler); });
    EXPECT_TRUE(has(message, "plan.docx: word/document.xml has a DOCTYPE")) << message;
    EXPECT_TRUE(handler.names.empty());
}

// Ten levels of ten: 10^10 "lol"s (30 GB) if expanded. The part is refused as
// a DOCTYPE, and expat's amplification limit stops the expansion long before
// memory or time would notice.
TEST(OoxmlXml, ABillionLaughsIsRefusedAsADoctype) {
    std::string laughs = "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol0 'lol'>";
    for (int level = 1; level <= 10; ++level) {
        laughs += "<!ENTITY lol" + std::to_string(level) + " '";
        for (int i = 0; i < 10; ++i) {
            laughs += "&lol" + std::to_string(level - 1) + ";";
        }
        laughs += "'>";
    }
    laughs += "]><lolz>&lol10;</lolz>";
    CountElements handler;
    const std::string message = refusal_of(
        [&] { rl::text::parse_xml_part(laughs, "plan.xlsx", "xl/sharedStrings.xml", handler); });
    EXPECT_TRUE(has(message, "plan.xlsx: xl/sharedStrings.xml has a DOCTYPE")) << message;
    EXPECT_TRUE(handler.names.empty());
}

// The amplification limit counts entity expansion only: a large part full of
// the predefined and character references Office writes is read whole.
class CollectText : public Poco::XML::DefaultHandler {
public:
    void characters(const Poco::XML::XMLChar text[], int start, int length) override {
        collected.append(text + start, static_cast<std::size_t>(length));
    }
    std::string collected;
};

TEST(OoxmlXml, ALargePartFullOfReferencesIsReadWhole) {
    std::string xml = "<sst>";
    std::string expected;
    for (int i = 0; i < 80000; ++i) {
        xml += "<t>A&amp;B &#x6CD5;&lt;&#38;</t>";
        expected += "A&B \xE6\xB3\x95<&";
    }
    xml += "</sst>";
    ASSERT_GT(xml.size(), 2u << 20);
    CollectText handler;
    rl::text::parse_xml_part(xml, "plan.xlsx", "xl/sharedStrings.xml", handler);
    EXPECT_EQ(handler.collected.size(), expected.size());
    EXPECT_TRUE(handler.collected == expected);
}

// A reader refuses a part by throwing from its handler. Expat is C, so the
// exception must not unwind through it: it used to skip the frees of the
// element being parsed, and an empty element that declares namespaces leaked
// its bindings each time (found by fuzz_plan_office). The refusal still
// arrives, and the heap is where it was: LeakSanitizer checks this under the
// sanitizers; elsewhere the heap in use is compared.
class RefuseRows : public Poco::XML::DefaultHandler {
public:
    void startElement(const Poco::XML::XMLString&, const Poco::XML::XMLString& local,
                      const Poco::XML::XMLString&, const Poco::XML::Attributes&) override {
        ++seen;
        if (local == "row") {
            throw DocumentError("row 0 is not a row number");
        }
    }
    int seen = 0;
};

std::size_t heap_in_use() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    return mallinfo2().uordblks;
#else
    return 0;
#endif
}

TEST(OoxmlXml, AHandlerThatThrowsLeavesNothingOfExpatBehind) {
    const std::string xml =
        "<worksheet xmlns='urn:s'><sheetData>"
        "<row r='0' xmlns:a='urn:a' xmlns:b='urn:b' xmlns:c='urn:c'/>"
        "<row r='1'/></sheetData></worksheet>";
    auto refuse_once = [&] {
        RefuseRows handler;
        const std::string message = refusal_of([&] {
            rl::text::parse_xml_part(xml, "plan.xlsx", "xl/worksheets/sheet1.xml", handler);
        });
        EXPECT_EQ(message, "row 0 is not a row number");
        EXPECT_EQ(handler.seen, 3);  // nothing reaches the handler after its refusal
    };
    refuse_once();  // the first parse sets up what the parser keeps for good
    const std::size_t before = heap_in_use();
    for (int i = 0; i < 500; ++i) {
        refuse_once();
    }
    const std::size_t after = heap_in_use();
    EXPECT_LT(after, before + 16 * 1024)
        << "the heap grew by " << (after - before) << " bytes over 500 refused parses";
}

TEST(OoxmlXml, MalformedXmlNamesThePartAndLine) {
    CountElements handler;
    const std::string message = refusal_of([&] {
        rl::text::parse_xml_part("<a>\n<b></a>", "plan.docx", "word/numbering.xml", handler);
    });
    EXPECT_TRUE(has(message, "plan.docx: word/numbering.xml is not well-formed XML")) << message;
    EXPECT_TRUE(has(message, "line 2")) << message;
}

}  // namespace

TEST(OoxmlZip, AnEntryWithoutANameIsDamageNotARead) {
    // Found by fuzz_plan_office: Poco's isFile() reads before an empty name.
    const std::string bytes =
        rl::test::read_file(std::string(RL_FIXTURES) + "/plans/unnamed-entry.docx");
    const std::string message = refusal_of([&] { OoxmlPackage(bytes, "plan.docx", 1 << 20); });
    EXPECT_TRUE(has(message, "plan.docx is not a usable zip package")) << message;
    EXPECT_TRUE(has(message, "has no name")) << message;
}
