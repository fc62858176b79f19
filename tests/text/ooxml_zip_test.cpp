// rl::text::OoxmlPackage and parse_xml_part: what a .docx or .xlsx package
// may not do to the plugin — inflate past the cap whatever its headers say,
// hold endless entries, arrive damaged, or smuggle a DOCTYPE into a part.
#include <gtest/gtest.h>

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/Zip/Compress.h>

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

TEST(OoxmlXml, DoctypeIsRefusedBeforeAnyEntityIsExpanded) {
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
