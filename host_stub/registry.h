// What the plugin registered into the host: forms, workflows and notification
// rules by id. A real OA platform keeps these in its own tables; the stub keeps
// them in memory for the life of the process.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace oa_stub {

struct Registration {
    std::int32_t kind = 0;
    std::string id;
    int version = 0;
    std::string title;
    std::string json;
};

class Registry {
public:
    // Returns an empty string on success, or why the registration is refused:
    // malformed JSON, no id or version, or an id already registered.
    std::string add(std::int32_t kind, const std::string& json);

    std::vector<Registration> of_kind(std::int32_t kind) const;
    std::size_t size() const;

    static const char* kind_name(std::int32_t kind);

private:
    mutable std::mutex mutex_;
    std::vector<Registration> entries_;
    std::map<std::string, std::size_t> by_id_;
};

}  // namespace oa_stub
