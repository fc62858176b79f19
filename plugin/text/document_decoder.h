// Turns a plan file's bytes (text/file_reader.h reads them) into UTF-8 text. Court office
// machines save text as UTF-8, UTF-16 ("Unicode" in Word) or GBK. UTF-8 and
// UTF-16 with a byte-order mark are read as they are; GBK is converted only
// when the caller says the file is GBK (guessing could import mojibake), and
// is otherwise refused with a message that says so and what to do. Binaries,
// Word files themselves and GB18030-only text are refused likewise.
#pragma once

#include <string>

#include "text/file_reader.h"

namespace rl::text {

struct DecodedDocument {
    std::string text;      // UTF-8, without BOM, with \n line ends
    std::string encoding;  // "UTF-8", "UTF-16LE", "UTF-16BE" or "GBK"
};

enum class Declared {
    utf8,  // the default: UTF-8 (or UTF-16 with a BOM)
    gbk,   // the caller says the file is GBK (Windows code page 936)
};

// source names the input in messages (a path, or "request content").
DecodedDocument decode_document(const std::string& bytes, const std::string& source,
                                Declared declared = Declared::utf8);

// \r\n and a lone \r (old Mac, some Excel cells) as \n.
std::string normalise_line_ends(std::string_view text);

}  // namespace rl::text
