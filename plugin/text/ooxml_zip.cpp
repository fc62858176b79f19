#include "text/ooxml_zip.h"

#include <Poco/Exception.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/SAX/LexicalHandler.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/SAX/XMLReader.h>
#include <Poco/Zip/SkipCallback.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipException.h>
#include <Poco/Zip/ZipLocalFileHeader.h>
#include <Poco/Zip/ZipStream.h>

#include <algorithm>
#include <exception>
#include <istream>
#include <streambuf>

namespace rl::text {

namespace {

std::string size_text(std::size_t bytes) {
    std::string text = std::to_string(bytes) + " bytes";
    if (bytes >= (std::size_t{1} << 20) && bytes % (std::size_t{1} << 20) == 0) {
        text += " (" + std::to_string(bytes >> 20) + " MiB)";
    }
    return text;
}

// A read-only, seekable stream over bytes already in memory: Poco's zip
// reader seeks between headers and data, and the document is not copied.
class ByteView : public std::streambuf {
public:
    explicit ByteView(const std::string& bytes) {
        char* begin = const_cast<char*>(bytes.data());  // never written through
        setg(begin, begin, begin + bytes.size());
    }

protected:
    pos_type seekoff(off_type off, std::ios_base::seekdir dir,
                     std::ios_base::openmode which) override {
        if ((which & std::ios_base::in) == 0) {
            return pos_type(off_type(-1));
        }
        off_type base = 0;
        if (dir == std::ios_base::cur) {
            base = gptr() - eback();
        } else if (dir == std::ios_base::end) {
            base = egptr() - eback();
        }
        const off_type target = base + off;
        if (target < 0 || target > egptr() - eback()) {
            return pos_type(off_type(-1));
        }
        setg(eback(), eback() + target, egptr());
        return pos_type(target);
    }
    pos_type seekpos(pos_type pos, std::ios_base::openmode which) override {
        return seekoff(off_type(pos), std::ios_base::beg, which);
    }
};

// Too many entries: thrown out of Poco's parse as soon as the count passes
// the cap, so a zip of a million empty entries is not listed first.
struct TooManyEntries {};

class CountingSkip : public Poco::Zip::SkipCallback {
public:
    explicit CountingSkip(std::size_t max_entries) : max_(max_entries) {}
    bool handleZipEntry(std::istream& zip, const Poco::Zip::ZipLocalFileHeader& header) override {
        if (++count_ > max_) {
            throw TooManyEntries{};
        }
        return SkipCallback::handleZipEntry(zip, header);
    }

private:
    std::size_t max_;
    std::size_t count_ = 0;
};

// The zip's last record (end of central directory): 22 bytes and the
// comment it announces, ending exactly at the end of the file. A file cut
// short loses it first, even when every entry before the cut is whole.
bool ends_with_zip_directory(const std::string& bytes) {
    constexpr std::size_t kRecord = 22;
    constexpr std::size_t kMaxComment = 0xffff;
    if (bytes.size() < kRecord) {
        return false;
    }
    const std::size_t lowest =
        bytes.size() > kRecord + kMaxComment ? bytes.size() - kRecord - kMaxComment : 0;
    for (std::size_t at = bytes.size() - kRecord + 1; at-- > lowest;) {
        if (bytes.compare(at, 4, "PK\x05\x06") == 0) {
            const auto comment =
                static_cast<std::size_t>(static_cast<unsigned char>(bytes[at + 20]) |
                                         (static_cast<unsigned char>(bytes[at + 21]) << 8));
            if (at + kRecord + comment == bytes.size()) {
                return true;
            }
        }
    }
    return false;
}

std::string damaged(const std::string& source, const std::string& why) {
    return source + " is not a usable zip package (Word and Excel files are zip packages): " + why +
           ". The file is damaged or truncated: save it again from Word, WPS or Excel";
}

}  // namespace

struct OoxmlPackage::Archive {
    explicit Archive(const std::string& bytes) : view(bytes), stream(&view) {}
    ByteView view;
    std::istream stream;
    std::unique_ptr<Poco::Zip::ZipArchive> zip;
};

OoxmlPackage::OoxmlPackage(const std::string& bytes, std::string source,
                           std::size_t max_unpacked_bytes, std::size_t max_entries)
    : source_(std::move(source)),
      max_unpacked_(max_unpacked_bytes),
      archive_(std::make_unique<Archive>(bytes)) {
    if (bytes.size() < 4 || bytes.compare(0, 4, "PK\x03\x04") != 0) {
        throw DocumentError(source_ + " is not a zip package (a .docx or .xlsx file is one); " +
                            "it does not start with a zip header");
    }
    if (!ends_with_zip_directory(bytes)) {
        throw DocumentError(damaged(source_,
                                    "it has no zip directory at its end (the end of "
                                    "the file is missing)"));
    }
    CountingSkip counting(max_entries);
    try {
        archive_->zip = std::make_unique<Poco::Zip::ZipArchive>(archive_->stream, counting);
    } catch (const TooManyEntries&) {
        throw DocumentError(source_ + " holds more than " + std::to_string(max_entries) +
                            " zip entries; an Office document has a few dozen. It is not a " +
                            "Word or Excel file");
    } catch (const Poco::Exception& e) {
        throw DocumentError(damaged(source_, e.displayText()));
    } catch (const std::exception& e) {
        throw DocumentError(damaged(source_, e.what()));
    }
    // Poco reads the local headers one after another; a truncated file may
    // yield its first entries and then no central directory at all.
    if (archive_->zip->fileInfoBegin() == archive_->zip->fileInfoEnd()) {
        throw DocumentError(damaged(source_,
                                    "it has no zip directory (the end of the file is "
                                    "missing)"));
    }
    // An entry without a name is damage, and Poco's isFile()/isDirectory()
    // would read before the start of the empty name (found by fuzzing).
    for (auto it = archive_->zip->headerBegin(); it != archive_->zip->headerEnd(); ++it) {
        if (it->second.getFileName().empty()) {
            throw DocumentError(damaged(source_, "one of its entries has no name"));
        }
    }
}

OoxmlPackage::~OoxmlPackage() = default;

std::vector<std::string> OoxmlPackage::entries() const {
    std::vector<std::string> names;
    for (auto it = archive_->zip->headerBegin(); it != archive_->zip->headerEnd(); ++it) {
        if (it->second.isFile()) {
            names.push_back(it->first);
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

bool OoxmlPackage::has(const std::string& entry) const {
    const auto it = archive_->zip->findHeader(entry);
    return it != archive_->zip->headerEnd() && it->second.isFile();
}

std::string OoxmlPackage::read(const std::string& entry) {
    const auto it = archive_->zip->findHeader(entry);
    if (it == archive_->zip->headerEnd() || !it->second.isFile()) {
        throw DocumentError(source_ + " has no " + entry + " inside");
    }
    const Poco::Zip::ZipLocalFileHeader& header = it->second;
    if (header.isEncrypted()) {
        throw DocumentError(source_ + ": " + entry +
                            " is encrypted inside the zip; remove the password and save again");
    }
    if (!header.hasSupportedCompressionMethod()) {
        throw DocumentError(source_ + ": " + entry +
                            " is compressed in a way Office does not use (neither stored nor "
                            "deflated); save the file again from Word, WPS or Excel");
    }
    const std::string where = source_ + ": " + entry;
    std::string content;
    try {
        archive_->stream.clear();
        Poco::Zip::ZipInputStream in(archive_->stream, header, true);
        in.exceptions(std::ios::badbit);
        char buffer[64 * 1024];
        while (in) {
            in.read(buffer, sizeof buffer);
            const auto got = static_cast<std::size_t>(in.gcount());
            if (got > max_unpacked_ - unpacked_) {
                throw DocumentError(
                    where + " unpacks to more than the " + size_text(max_unpacked_) +
                    " allowed for a whole document unpacked (its zip header claims " +
                    std::to_string(header.getUncompressedSize()) +
                    " bytes); reading stopped there. A plan is far smaller: the file is damaged "
                    "or built to exhaust memory (a zip bomb)");
            }
            unpacked_ += got;
            content.append(buffer, got);
        }
        if (!in.crcValid()) {
            throw DocumentError(damaged(where, "its checksum does not match its content"));
        }
    } catch (const DocumentError&) {
        throw;
    } catch (const Poco::Exception& e) {
        throw DocumentError(damaged(where, e.displayText()));
    } catch (const std::exception& e) {
        throw DocumentError(damaged(where, e.what()));
    }
    return content;
}

namespace {

// Expat is C: an exception thrown by a handler unwinds through it and skips
// the frees of whatever it was in the middle of (found by fuzz_plan_office: a
// refusal thrown at an empty element that declares namespaces leaked that
// element's namespace bindings). So nothing is thrown into expat. Contained
// stands between expat and the reader's handler: it forwards each event,
// catches the handler's first exception, and from then on lets no event
// through; parse_xml_part rethrows that exception once expat has returned.
//
// Office never writes a DOCTYPE, so one is refused, and no event after it
// reaches the handler. Expat still reads the declarations that follow (there
// is no way to stop it from a handler without throwing), so the parser's
// amplification limit bounds what entity references can expand to.
class Contained : public Poco::XML::ContentHandler, public Poco::XML::LexicalHandler {
public:
    explicit Contained(Poco::XML::ContentHandler& inner) : inner_(inner) {}

    bool saw_doctype() const { return doctype_; }
    const std::exception_ptr& failure() const { return failure_; }

    void setDocumentLocator(const Poco::XML::Locator* locator) override {
        forward([&] { inner_.setDocumentLocator(locator); });
    }
    void startDocument() override {
        forward([&] { inner_.startDocument(); });
    }
    void endDocument() override {
        forward([&] { inner_.endDocument(); });
    }
    void startElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& local,
                      const Poco::XML::XMLString& qname,
                      const Poco::XML::Attributes& attributes) override {
        forward([&] { inner_.startElement(uri, local, qname, attributes); });
    }
    void endElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& local,
                    const Poco::XML::XMLString& qname) override {
        forward([&] { inner_.endElement(uri, local, qname); });
    }
    void characters(const Poco::XML::XMLChar text[], int start, int length) override {
        forward([&] { inner_.characters(text, start, length); });
    }
    void ignorableWhitespace(const Poco::XML::XMLChar text[], int start, int length) override {
        forward([&] { inner_.ignorableWhitespace(text, start, length); });
    }
    void processingInstruction(const Poco::XML::XMLString& target,
                               const Poco::XML::XMLString& data) override {
        forward([&] { inner_.processingInstruction(target, data); });
    }
    void startPrefixMapping(const Poco::XML::XMLString& prefix,
                            const Poco::XML::XMLString& uri) override {
        forward([&] { inner_.startPrefixMapping(prefix, uri); });
    }
    void endPrefixMapping(const Poco::XML::XMLString& prefix) override {
        forward([&] { inner_.endPrefixMapping(prefix); });
    }
    void skippedEntity(const Poco::XML::XMLString& name) override {
        forward([&] { inner_.skippedEntity(name); });
    }

    void startDTD(const Poco::XML::XMLString&, const Poco::XML::XMLString&,
                  const Poco::XML::XMLString&) override {
        doctype_ = true;
    }
    void endDTD() override {}
    void startEntity(const Poco::XML::XMLString&) override {}
    void endEntity(const Poco::XML::XMLString&) override {}
    void startCDATA() override {}
    void endCDATA() override {}
    void comment(const Poco::XML::XMLChar[], int, int) override {}

private:
    template <typename Event>
    void forward(Event&& event) noexcept {
        if (doctype_ || failure_) {
            return;
        }
        try {
            event();
        } catch (...) {
            failure_ = std::current_exception();
        }
    }

    Poco::XML::ContentHandler& inner_;
    bool doctype_ = false;
    std::exception_ptr failure_;
};

}  // namespace

void parse_xml_part(const std::string& xml, const std::string& source, const std::string& part,
                    Poco::XML::ContentHandler& handler) {
    Contained contained(handler);
    Poco::XML::SAXParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACE_PREFIXES, false);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
    // An entity may expand to at most twice the bytes that declare it, checked
    // once a part has expanded 1 MiB: a billion laughs stops there, while a
    // part without a DOCTYPE (every Office part) expands nothing.
    parser.setProperty(Poco::XML::SAXParser::PROPERTY_BLA_MAXIMUM_AMPLIFICATION, "2.0");
    parser.setProperty(Poco::XML::SAXParser::PROPERTY_BLA_ACTIVATION_THRESHOLD, "1048576");
    parser.setContentHandler(&contained);
    parser.setProperty(Poco::XML::XMLReader::PROPERTY_LEXICAL_HANDLER,
                       static_cast<Poco::XML::LexicalHandler*>(&contained));
    std::string malformed;
    try {
        parser.parseMemoryNP(xml.data(), xml.size());
    } catch (const Poco::XML::SAXParseException& e) {
        malformed = " is not well-formed XML (" + e.message() + ", line " +
                    std::to_string(e.getLineNumber()) + ", column " +
                    std::to_string(e.getColumnNumber()) + ")";
    } catch (const Poco::Exception& e) {
        malformed = " cannot be read as XML (" + e.displayText() + ")";
    }
    // A DOCTYPE is in the prolog, before any element a handler refuses, and
    // mutes everything after it; a handler's refusal comes before whatever
    // expat found wrong later in the part.
    if (contained.saw_doctype()) {
        throw DocumentError(source + ": " + part +
                            " has a DOCTYPE declaration, which Word and Excel never write; it is "
                            "refused (entity expansion is not allowed). Save the file again from "
                            "Word, WPS or Excel");
    }
    if (contained.failure()) {
        std::rethrow_exception(contained.failure());
    }
    if (!malformed.empty()) {
        throw DocumentError(source + ": " + part + malformed +
                            ". The file is damaged: save it again from Word, WPS or Excel");
    }
}

}  // namespace rl::text
