// What every oa-stub command family needs to talk to the plugin: a request
// object built member by member, a result parsed, an option required.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <string>
#include <vector>

#include "stub_config.h"

namespace oa_stub {

// Builds a request object member by member.
class Request {
public:
    Request() { w_.StartObject(); }
    Request& text(const char* key, const std::string& value) {
        w_.Key(key);
        w_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
        return *this;
    }
    Request& text_if(const char* key, const std::optional<std::string>& value) {
        return value ? text(key, *value) : *this;
    }
    Request& integer(const char* key, long long value) {
        w_.Key(key);
        w_.Int64(value);
        return *this;
    }
    Request& list(const char* key, const std::vector<std::string>& values) {
        w_.Key(key);
        w_.StartArray();
        for (const auto& v : values) {
            w_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
        }
        w_.EndArray();
        return *this;
    }
    Request& raw(const char* key, const std::string& json) {
        w_.Key(key);
        w_.RawValue(json.data(), json.size(), rapidjson::kObjectType);
        return *this;
    }
    std::string str() {
        w_.EndObject();
        return std::string(buffer_.GetString(), buffer_.GetSize());
    }

private:
    rapidjson::StringBuffer buffer_;
    rapidjson::Writer<rapidjson::StringBuffer> w_{buffer_};
};

inline rapidjson::Document parse(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    return doc;
}

inline const std::string& required(const std::optional<std::string>& value, const char* option,
                                   const std::string& usage) {
    if (!value) {
        throw UsageError(std::string("missing ") + option + " (usage: oa-stub " + usage + ")");
    }
    return *value;
}

}  // namespace oa_stub
