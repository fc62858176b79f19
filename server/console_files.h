// The console's static files, compiled in from server/console/ (rl_embed).
#pragma once

#include <string>

#include "resources/embedded.h"

namespace rl::resources {
// server/console/**, sorted by path.
std::vector<EmbeddedFile> console_files();
}  // namespace rl::resources

namespace rl_server {

struct StaticFile {
    std::string content_type;
    std::string body;
};

// The file at path relative to server/console/ ("index.html", "app.js"), or
// false when there is none. Paths with ".." or a leading "/" find nothing.
bool console_file(const std::string& path, StaticFile& out);

// The Content-Type for a file name, by its extension.
std::string content_type_of(const std::string& path);

}  // namespace rl_server
