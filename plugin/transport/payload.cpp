#include "transport/payload.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace rl::transport {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& w, std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace

std::string truncate_utf8(std::string_view text, std::size_t max_bytes, std::string_view ellipsis) {
    if (text.size() <= max_bytes) {
        return std::string(text);
    }
    if (ellipsis.size() > max_bytes) {
        ellipsis = {};
    }
    std::size_t cut = max_bytes - ellipsis.size();
    // Back up to the first byte of a sequence: text[0, cut) then ends with whole characters.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    std::string out(text.substr(0, cut));
    out += ellipsis;
    return out;
}

std::string dingtalk_markdown_body(std::string_view title, std::string_view text) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("msgtype");
    w.String("markdown");
    w.Key("markdown");
    w.StartObject();
    w.Key("title");
    write_string(w, title);
    w.Key("text");
    write_string(w, text);
    w.EndObject();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string wecom_markdown_body(std::string_view content) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("msgtype");
    w.String("markdown");
    w.Key("markdown");
    w.StartObject();
    w.Key("content");
    write_string(w, truncate_utf8(content, kWecomMarkdownMaxBytes));
    w.EndObject();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace rl::transport
