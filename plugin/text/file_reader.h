// Reading a whole file that someone named — a plan, a calendar, a
// configuration — without letting the name decide how much is read or for how
// long. Only a regular file is read: a named pipe would block forever waiting
// for a writer, and /dev/zero or /dev/urandom never end. The size a file
// reports is not trusted (files in /proc report 0, a file may grow while it
// is read): reading stops one byte past the limit. No Poco, so oa-stub builds
// it too.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace rl::text {

// A document cannot be read or is unusable; the message names it and says
// what to do.
class DocumentError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// How much a read may return, and what to say when a file is bigger.
struct ReadLimit {
    std::size_t bytes = 0;
    // Where the limit comes from, for the message: "limits.plan_file_bytes in
    // the configuration", or why it is fixed.
    std::string source;
};

// What a file that is not a regular one is, for messages: "a named pipe
// (FIFO)", "a directory" … (mode as stat() gives it).
const char* file_kind(unsigned int mode);

// The whole file. Throws DocumentError naming `what` ("plan file") and the
// path when the path is missing, unreadable or not a regular file (a
// directory, named pipe, device or socket; refused without reading from it
// and without waiting), or when the file holds more than limit.bytes bytes.
std::string read_file(const std::string& path, const ReadLimit& limit,
                      const std::string& what = "plan file");

}  // namespace rl::text
