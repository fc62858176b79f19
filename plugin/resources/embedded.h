// Files compiled into the plugin by cmake/embed.cmake.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace rl::resources {

struct EmbeddedFile {
    const char* path;  // relative to the folder it was embedded from
    const unsigned char* data;
    std::size_t size;

    std::string text() const { return std::string(reinterpret_cast<const char*>(data), size); }
};

// sql/sqlite/*.sql, sorted by name.
std::vector<EmbeddedFile> sqlite_migrations();
// sql/postgresql/*.sql, sorted by name.
std::vector<EmbeddedFile> postgresql_migrations();
// plugin/definitions/**/*.json, sorted by path.
std::vector<EmbeddedFile> definitions();
// data/cn-working-calendar.json: the default working-day calendar.
std::vector<EmbeddedFile> calendar_data();
// plugin/catalogue/methods.json: every method with its access, request and result.
std::vector<EmbeddedFile> method_catalogue();

}  // namespace rl::resources
