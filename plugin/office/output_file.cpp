#include "office/output_file.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace rl::office {

namespace {

std::string error_text(int e) {
    return std::strerror(e);
}

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_name(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Removes a file on every way out unless released.
class Removal {
public:
    explicit Removal(std::string path) : path_(std::move(path)) {}
    ~Removal() {
        if (!path_.empty()) {
            ::unlink(path_.c_str());
        }
    }
    Removal(const Removal&) = delete;
    Removal& operator=(const Removal&) = delete;
    void release() { path_.clear(); }

private:
    std::string path_;
};

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) {
        throw WriteError("cannot read back the document written to '" + path + "'");
    }
    return bytes.str();
}

// Flushes the file's bytes to disk (a rename after a crash must not name an
// empty file).
void sync(const std::string& path, const std::string& target) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        const int e = errno;
        if (fd >= 0) {
            ::close(fd);
        }
        throw WriteError("cannot write '" + target + "': " + error_text(e));
    }
    ::close(fd);
}

}  // namespace

std::string sha256_hex(const std::string& bytes) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(bytes);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

WrittenFile put_in_place(const std::string& path, bool replace,
                         const std::function<void(const std::string&)>& write) {
    if (path.empty()) {
        throw WriteError("the file to write is empty: name a file");
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            throw WriteError("'" + path + "' is a directory: name a file");
        }
        if (!replace) {
            throw WriteError("'" + path +
                             "' exists already; it was left as it is (give force to replace it)");
        }
    }
    const std::string directory = directory_of(path);
    if (::stat(directory.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        throw WriteError("cannot write '" + path + "': its directory '" + directory +
                         "' does not exist");
    }
    std::string temporary = directory + "/." + base_name(path) + ".XXXXXX";
    std::vector<char> buffer(temporary.begin(), temporary.end());
    buffer.push_back('\0');
    const int fd = ::mkstemp(buffer.data());
    if (fd < 0) {
        const int e = errno;
        throw WriteError("cannot write '" + path + "': cannot create a file in '" + directory +
                         "': " + error_text(e));
    }
    ::close(fd);
    temporary = buffer.data();
    Removal removal(temporary);
    write(temporary);
    const std::string bytes = read_all(temporary);
    sync(temporary, path);
    if (replace) {
        if (::rename(temporary.c_str(), path.c_str()) != 0) {
            const int e = errno;
            throw WriteError("cannot write '" + path + "': " + error_text(e));
        }
    } else {
        // link() refuses to replace a file that appeared meanwhile.
        if (::link(temporary.c_str(), path.c_str()) != 0) {
            const int e = errno;
            // A file system without hard links: check, then rename.
            const bool no_links = e == EPERM || e == EOPNOTSUPP;
            if (no_links && ::stat(path.c_str(), &st) != 0 &&
                ::rename(temporary.c_str(), path.c_str()) == 0) {
                removal.release();
                return {path, bytes.size(), sha256_hex(bytes)};
            }
            throw WriteError(
                e == EEXIST
                    ? "'" + path +
                          "' exists already; it was left as it is (give force to replace it)"
                    : "cannot write '" + path + "': " + error_text(e));
        }
        // The temporary name goes with the Removal; the file stays under path.
    }
    if (replace) {
        removal.release();
    }
    return {path, bytes.size(), sha256_hex(bytes)};
}

std::string produce_bytes(const std::string& file_name, std::uint64_t max_bytes,
                          const std::function<void(const std::string&)>& write) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/reform-ledger-export.XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) {
        const int e = errno;
        throw WriteError("cannot make a temporary directory for the document ('" + pattern +
                         "'): " + error_text(e));
    }
    const std::string directory = buffer.data();
    const std::string path = directory + "/" + file_name;
    std::string bytes;
    try {
        write(path);
        bytes = read_all(path);
    } catch (...) {
        ::unlink(path.c_str());
        ::rmdir(directory.c_str());
        throw;
    }
    ::unlink(path.c_str());
    ::rmdir(directory.c_str());
    if (bytes.size() > max_bytes) {
        throw WriteError("the document is " + std::to_string(bytes.size()) +
                         " bytes, more than the " + std::to_string(max_bytes) +
                         " a result may carry inline: give \"path\" to write it to a file");
    }
    return bytes;
}

}  // namespace rl::office
