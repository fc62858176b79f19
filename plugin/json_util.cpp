#include "json_util.h"

#include <rapidjson/error/en.h>

#include <cstring>

namespace rl::json {

std::string join_path(const std::string& path, const char* key) {
    return path.empty() ? std::string(key) : path + "." + key;
}

std::string index_path(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

void Reader::fail(const std::string& path, const std::string& problem) const {
    raise_(what_ + (path.empty() ? "" : " at " + path) + ": " + problem);
    throw std::logic_error("json::Reader: raise did not throw");
}

rapidjson::Document Reader::parse_object(std::string_view text) const {
    rapidjson::Document doc;
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        doc.SetObject();
        return doc;
    }
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
    if (doc.HasParseError()) {
        fail("", std::string("malformed JSON at byte ") + std::to_string(doc.GetErrorOffset()) +
                     ": " + rapidjson::GetParseError_En(doc.GetParseError()));
    }
    if (!doc.IsObject()) {
        fail("", "expected a JSON object");
    }
    return doc;
}

void Reader::only_keys(const Value& object, const std::string& path,
                       std::initializer_list<const char*> allowed) const {
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
        bool ok = false;
        for (const char* key : allowed) {
            ok = ok || std::strcmp(key, it->name.GetString()) == 0;
        }
        if (!ok) {
            std::string list;
            for (const char* key : allowed) {
                list += list.empty() ? "" : ", ";
                list += key;
            }
            fail(join_path(path, it->name.GetString()),
                 "unknown key (expected one of: " + list + ")");
        }
    }
}

const Value* Reader::object(const Value& parent, const std::string& path, const char* key,
                            bool required) const {
    const auto it = parent.FindMember(key);
    if (it == parent.MemberEnd() || it->value.IsNull()) {
        if (required) {
            fail(join_path(path, key), "missing (expected an object)");
        }
        return nullptr;
    }
    if (!it->value.IsObject()) {
        fail(join_path(path, key), "expected an object");
    }
    return &it->value;
}

const Value* Reader::array(const Value& parent, const std::string& path, const char* key,
                           bool required) const {
    const auto it = parent.FindMember(key);
    if (it == parent.MemberEnd() || it->value.IsNull()) {
        if (required) {
            fail(join_path(path, key), "missing (expected an array)");
        }
        return nullptr;
    }
    if (!it->value.IsArray()) {
        fail(join_path(path, key), "expected an array");
    }
    return &it->value;
}

std::optional<std::string> Reader::string(const Value& parent, const std::string& path,
                                          const char* key, bool required) const {
    const auto it = parent.FindMember(key);
    if (it == parent.MemberEnd() || it->value.IsNull()) {
        if (required) {
            fail(join_path(path, key), "missing (expected a string)");
        }
        return std::nullopt;
    }
    if (!it->value.IsString()) {
        fail(join_path(path, key), "expected a string");
    }
    return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::optional<bool> Reader::boolean(const Value& parent, const std::string& path,
                                    const char* key) const {
    const auto it = parent.FindMember(key);
    if (it == parent.MemberEnd() || it->value.IsNull()) {
        return std::nullopt;
    }
    if (!it->value.IsBool()) {
        fail(join_path(path, key), "expected true or false");
    }
    return it->value.GetBool();
}

std::vector<std::string> Reader::strings(const Value& parent, const std::string& path,
                                         const char* key, bool required) const {
    std::vector<std::string> out;
    const Value* list = array(parent, path, key, required);
    if (list == nullptr) {
        return out;
    }
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
        const Value& v = (*list)[i];
        if (!v.IsString()) {
            fail(index_path(join_path(path, key), i), "expected a string");
        }
        out.emplace_back(v.GetString(), v.GetStringLength());
    }
    return out;
}

void write_string(Writer& w, std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void write_strings(Writer& w, const std::vector<std::string>& list) {
    w.StartArray();
    for (const auto& s : list) {
        write_string(w, s);
    }
    w.EndArray();
}

}  // namespace rl::json
