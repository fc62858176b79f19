// Puts an exported document in place all at once: it is written to a
// temporary file beside the target (same directory, so the final step is a
// rename on one file system), flushed to disk, then moved to the target's
// name. A failed export leaves no file and no half file; an existing file is
// kept unless the caller says to replace it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "office/xlsx_writer.h"  // WriteError

namespace rl::office {

struct WrittenFile {
    std::string path;  // as given
    std::uint64_t size = 0;
    std::string sha256;  // hex, of the bytes written
};

// Calls write(temporary_path) to produce the document, then moves it to
// path. Throws WriteError naming path (nothing is left behind) when path is
// empty, exists and replace is false (the message says to give "force"), is
// a directory, its directory does not exist or cannot be written, or write
// throws (its WriteError passes through).
WrittenFile put_in_place(const std::string& path, bool replace,
                         const std::function<void(const std::string& temporary_path)>& write);

// Calls write(temporary_path) in a private temporary directory and returns
// the bytes it wrote (for a document returned inline); removes what it made.
// Throws WriteError when the file would pass max_bytes.
std::string produce_bytes(const std::string& file_name, std::uint64_t max_bytes,
                          const std::function<void(const std::string& temporary_path)>& write);

// The SHA-256 of bytes, hex.
std::string sha256_hex(const std::string& bytes);

}  // namespace rl::office
