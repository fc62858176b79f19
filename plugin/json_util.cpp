#include "json_util.h"

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cstdint>
#include <cstring>

#include "core/utf8.h"

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

namespace {

// Builds a Document from the reader's events like Document::Parse does, but
// refuses what Parse would accept silently or recursively: containers nested
// past the limit, and strings that are not valid UTF-8 once their escapes are
// decoded (a lone surrogate such as "\\udc00"), or that hold U+0000.
class Builder {
public:
    Builder(rapidjson::Document& doc, int max_depth) : doc_(doc), max_depth_(max_depth) {}

    bool Null() { return doc_.Null(); }
    bool Bool(bool b) { return doc_.Bool(b); }
    bool Int(int i) { return doc_.Int(i); }
    bool Uint(unsigned u) { return doc_.Uint(u); }
    bool Int64(std::int64_t i) { return doc_.Int64(i); }
    bool Uint64(std::uint64_t u) { return doc_.Uint64(u); }
    bool Double(double d) { return doc_.Double(d); }
    bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
        return doc_.RawNumber(s, n, copy);
    }
    bool String(const char* s, rapidjson::SizeType n, bool copy) {
        return text_ok(s, n) && doc_.String(s, n, copy);
    }
    bool Key(const char* s, rapidjson::SizeType n, bool copy) {
        return text_ok(s, n) && doc_.Key(s, n, copy);
    }
    bool StartObject() { return enter() && doc_.StartObject(); }
    bool EndObject(rapidjson::SizeType members) {
        --depth_;
        return doc_.EndObject(members);
    }
    bool StartArray() { return enter() && doc_.StartArray(); }
    bool EndArray(rapidjson::SizeType elements) {
        --depth_;
        return doc_.EndArray(elements);
    }

    // Why the builder stopped the reader, or empty.
    const std::string& problem() const { return problem_; }

private:
    bool enter() {
        if (++depth_ > max_depth_) {
            problem_ = "nested more than " + std::to_string(max_depth_) + " levels deep";
            return false;
        }
        return true;
    }
    bool text_ok(const char* s, rapidjson::SizeType n) {
        const std::string_view text(s, n);
        if (text.find('\0') != std::string_view::npos) {
            problem_ = "a string holds U+0000 (\\u0000), which no field accepts";
            return false;
        }
        if (!core::utf8::is_valid(text)) {
            problem_ = "a string is not valid UTF-8 (a lone surrogate escape?)";
            return false;
        }
        return true;
    }

    rapidjson::Document& doc_;
    int max_depth_;
    int depth_ = 0;
    std::string problem_;
};

}  // namespace

rapidjson::Document Reader::parse_object(std::string_view text, int max_depth,
                                         std::string_view depth_setting) const {
    rapidjson::Document doc;
    if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
        fail("", "a NUL byte at byte " + std::to_string(nul) +
                     "; JSON text ends at its given length, never at a NUL");
    }
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        doc.SetObject();
        return doc;
    }
    rapidjson::MemoryStream memory(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(memory);
    rapidjson::Reader reader;
    Builder builder(doc, max_depth);
    rapidjson::ParseResult result;
    // Iterative: the reader keeps its own stack on the heap, so no input can
    // exhaust the thread's stack; the builder bounds the depth.
    const auto generate = [&](rapidjson::Document&) {
        result =
            reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(
                in, builder);
        return !result.IsError();
    };
    doc.Populate(generate);
    if (result.IsError()) {
        if (!builder.problem().empty()) {
            std::string problem = builder.problem() + " at byte " + std::to_string(result.Offset());
            if (!depth_setting.empty() && builder.problem().rfind("nested", 0) == 0) {
                problem += " (" + std::string(depth_setting) + ")";
            }
            fail("", problem);
        }
        fail("", "malformed JSON at byte " + std::to_string(result.Offset()) + ": " +
                     rapidjson::GetParseError_En(result.Code()));
    }
    if (!doc.IsObject()) {
        fail("", "expected a JSON object");
    }
    return doc;
}

void Reader::only_keys(const Value& object, const std::string& path,
                       std::initializer_list<const char*> allowed) const {
    // A key given twice is ambiguous (which one counts?): refused.
    std::vector<bool> seen(allowed.size(), false);
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
        bool ok = false;
        std::size_t index = 0;
        for (const char* key : allowed) {
            if (std::strcmp(key, it->name.GetString()) == 0) {
                if (seen[index]) {
                    fail(join_path(path, key), "given twice");
                }
                seen[index] = true;
                ok = true;
            }
            ++index;
        }
        if (!ok) {
            std::string list;
            for (const char* key : allowed) {
                list += list.empty() ? "" : ", ";
                list += key;
            }
            // The key is the caller's text: quoted safely and briefly.
            const std::string key = core::utf8::printable(
                std::string_view(it->name.GetString(), it->name.GetStringLength()), 64);
            fail(join_path(path, key.c_str()), list.empty()
                                                   ? "unknown key (none is expected here)"
                                                   : "unknown key (expected one of: " + list + ")");
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

void write_string_or_null(Writer& w, std::string_view s) {
    if (s.empty()) {
        w.Null();
    } else {
        write_string(w, s);
    }
}

}  // namespace rl::json
