#include "console_files.h"

namespace rl_server {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string content_type_of(const std::string& path) {
    static const std::pair<const char*, const char*> kTypes[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
    };
    for (const auto& [suffix, type] : kTypes) {
        if (ends_with(path, suffix)) {
            return type;
        }
    }
    return "application/octet-stream";
}

bool console_file(const std::string& path, StaticFile& out) {
    if (path.empty() || path.front() == '/' || path.find("..") != std::string::npos) {
        return false;
    }
    for (const auto& file : rl::resources::console_files()) {
        if (path == file.path) {
            out.content_type = content_type_of(path);
            out.body = file.text();
            return true;
        }
    }
    return false;
}

}  // namespace rl_server
