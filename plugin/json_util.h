// Small helpers over rapidjson for reading requests and configuration with
// errors that name the JSON path ("org_chart.groups[2].members[0]").
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rl::json {

using Value = rapidjson::Value;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Thrown with a message that already names the path and what was expected.
using ErrorFactory = std::function<void(const std::string& message)>;

class Reader {
public:
    // raise must throw; it receives "<what>: <problem>".
    Reader(std::string what, ErrorFactory raise)
        : what_(std::move(what)), raise_(std::move(raise)) {}

    // Parses text as a JSON object (an empty text is an empty object),
    // without recursion: containers nested more than max_depth deep, a NUL
    // byte anywhere in text (the text ends at its length, not at a NUL), and
    // a string that is not valid UTF-8 (after its escapes) are refused with
    // the byte offset. depth_setting names the setting that raises the depth
    // limit, if there is one, for the message.
    rapidjson::Document parse_object(std::string_view text, int max_depth = kDefaultMaxDepth,
                                     std::string_view depth_setting = {}) const;
    static constexpr int kDefaultMaxDepth = 64;

    void only_keys(const Value& object, const std::string& path,
                   std::initializer_list<const char*> allowed) const;
    const Value* object(const Value& parent, const std::string& path, const char* key,
                        bool required) const;
    const Value* array(const Value& parent, const std::string& path, const char* key,
                       bool required) const;
    std::optional<std::string> string(const Value& parent, const std::string& path, const char* key,
                                      bool required) const;
    std::optional<bool> boolean(const Value& parent, const std::string& path,
                                const char* key) const;
    std::vector<std::string> strings(const Value& parent, const std::string& path, const char* key,
                                     bool required) const;

    [[noreturn]] void fail(const std::string& path, const std::string& problem) const;

private:
    std::string what_;
    ErrorFactory raise_;
};

std::string join_path(const std::string& path, const char* key);
std::string index_path(const std::string& path, std::size_t index);

void write_string(Writer& w, std::string_view s);
void write_strings(Writer& w, const std::vector<std::string>& list);
// null for an empty string (a date or time not set), else the string.
void write_string_or_null(Writer& w, std::string_view s);

}  // namespace rl::json
