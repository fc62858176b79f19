#include "text/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace rl::text {

namespace {

// Closes the descriptor however the read ends.
class Descriptor {
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    ~Descriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

std::string size_text(std::size_t bytes) {
    std::string text = std::to_string(bytes) + " bytes";
    if (bytes >= (std::size_t{1} << 20) && bytes % (std::size_t{1} << 20) == 0) {
        text += " (" + std::to_string(bytes >> 20) + " MiB)";
    }
    return text;
}

}  // namespace

const char* file_kind(unsigned int mode) {
    if (S_ISDIR(mode)) {
        return "a directory";
    }
    if (S_ISFIFO(mode)) {
        return "a named pipe (FIFO)";
    }
    if (S_ISCHR(mode)) {
        return "a character device";
    }
    if (S_ISBLK(mode)) {
        return "a block device";
    }
    if (S_ISSOCK(mode)) {
        return "a socket";
    }
    return "not a regular file";
}

std::string read_file(const std::string& path, const ReadLimit& limit, const std::string& what) {
    const auto cannot = [&](const std::string& why) {
        return DocumentError("cannot read " + what + " '" + path + "': " + why);
    };
    const auto not_regular = [&](mode_t mode) {
        return cannot(std::string("it is ") + file_kind(mode) +
                      ", not a regular file; name the file itself");
    };
    // Look before opening: opening a device can do something by itself (a
    // tape rewinds on close), and a FIFO would block in open().
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        throw cannot(std::strerror(errno));
    }
    if (!S_ISREG(info.st_mode)) {
        throw not_regular(info.st_mode);
    }
    // The path may have been replaced since: O_NONBLOCK makes open() return at
    // once even on a FIFO, and fstat() below judges what was really opened.
    // (It does nothing to reads from a regular file.) Symbolic links are
    // followed on purpose: an office may link the current plan; what the link
    // leads to is checked like anything else.
    const Descriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (fd.get() < 0) {
        throw cannot(std::strerror(errno));
    }
    if (::fstat(fd.get(), &info) != 0) {
        throw cannot(std::strerror(errno));
    }
    if (!S_ISREG(info.st_mode)) {
        throw not_regular(info.st_mode);
    }
    std::string bytes;
    constexpr std::size_t kChunk = 64 * 1024;
    if (info.st_size > 0) {
        bytes.reserve(std::min(static_cast<std::size_t>(info.st_size), limit.bytes) + 1);
    }
    for (;;) {
        // Never ask for more than one byte past the limit.
        const std::size_t want = std::min(kChunk, limit.bytes + 1 - bytes.size());
        const std::size_t used = bytes.size();
        bytes.resize(used + want);
        const ssize_t n = ::read(fd.get(), &bytes[used], want);
        if (n < 0) {
            bytes.resize(used);
            if (errno == EINTR) {
                continue;
            }
            throw cannot(std::strerror(errno));
        }
        bytes.resize(used + static_cast<std::size_t>(n));
        if (n == 0) {
            return bytes;
        }
        if (bytes.size() > limit.bytes) {
            throw DocumentError(what + " '" + path + "' is larger than " + size_text(limit.bytes) +
                                ", the limit set by " + limit.source +
                                "; check that it is the right file");
        }
    }
}

}  // namespace rl::text
