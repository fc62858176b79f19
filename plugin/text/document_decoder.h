// Reads a plan file and turns its bytes into UTF-8 text. Court office
// machines save text as UTF-8, UTF-16 ("Unicode" in Word) or GBK; everything
// else — binaries, Word files themselves, GB18030-only text — is refused with
// a message that says what the file is and what to do.
#pragma once

#include <stdexcept>
#include <string>

namespace rl::text {

class DocumentError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct DecodedDocument {
    std::string text;      // UTF-8, without BOM, with \n line ends
    std::string encoding;  // "UTF-8", "UTF-16LE", "UTF-16BE" or "GBK"
};

// The whole file; throws DocumentError naming the path when it cannot be read.
std::string read_file(const std::string& path);

// source names the input in messages (a path, or "request content").
DecodedDocument decode_document(const std::string& bytes, const std::string& source);

}  // namespace rl::text
