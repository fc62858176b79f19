// The two things every Office Open XML reader (Word .docx, Excel .xlsx) needs
// and must not get wrong: the zip package and the XML parts inside it.
//
// A plan file comes from outside, so nothing in it is trusted. The sizes a zip
// states for its entries may lie (a zip bomb says "12 bytes" and inflates to
// gigabytes): OoxmlPackage counts the bytes it actually inflates, across every
// entry read, and stops at the cap with an error naming the entry and the
// limit. The number of entries is capped too, and a damaged or truncated zip
// is a DocumentError, never a crash. XML parts are parsed as a stream (SAX),
// never built into a tree, and a part with a DOCTYPE is refused: Office never
// writes one, and a DOCTYPE is how entity-expansion bombs arrive.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <Poco/SAX/ContentHandler.h>

#include "text/file_reader.h"  // DocumentError

namespace rl::text {

// A real document has a few dozen entries; a zip of many thousands is not an
// Office file and would cost time and memory just to list.
constexpr std::size_t kMaxZipEntries = 10000;

// A zip package held in memory. Throws DocumentError naming `source` when the
// bytes are not a zip, are damaged or truncated, or hold more than
// max_entries entries.
class OoxmlPackage {
public:
    // `bytes` is not copied: it must outlive the package. max_unpacked_bytes
    // bounds the bytes inflated by all read() calls together.
    OoxmlPackage(const std::string& bytes, std::string source, std::size_t max_unpacked_bytes,
                 std::size_t max_entries = kMaxZipEntries);
    ~OoxmlPackage();
    OoxmlPackage(const OoxmlPackage&) = delete;
    OoxmlPackage& operator=(const OoxmlPackage&) = delete;

    // The names of the file entries, as stored ("word/document.xml"), sorted.
    std::vector<std::string> entries() const;
    bool has(const std::string& entry) const;

    // The entry's bytes, inflated. Throws DocumentError when the entry is
    // missing, encrypted, compressed by a method other than stored/deflate,
    // damaged (bad data or checksum), or when inflating it would take the
    // package past max_unpacked_bytes — then it stops there, whatever the
    // entry's header claims.
    std::string read(const std::string& entry);

    const std::string& source() const { return source_; }
    // Bytes inflated so far by read().
    std::size_t unpacked_bytes() const { return unpacked_; }

private:
    struct Archive;
    std::string source_;
    std::size_t max_unpacked_;
    std::size_t unpacked_ = 0;
    std::unique_ptr<Archive> archive_;
};

// Parses one XML part of a package with Poco's SAX parser (namespaces on:
// handlers see local names and namespace URIs). Throws DocumentError naming
// `source` and `part` when the part has a DOCTYPE or is not well-formed XML
// (with the line and column). The handler may refuse the part by throwing:
// the exception is held while expat (C, which an exception must not unwind
// through) finishes, no later event reaches the handler, and it is rethrown
// as it was once the parser has returned.
void parse_xml_part(const std::string& xml, const std::string& source, const std::string& part,
                    Poco::XML::ContentHandler& handler);

}  // namespace rl::text
