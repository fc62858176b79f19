#include "transport/payload.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>

namespace rl::transport {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& w, std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void write_agent_id(Writer& w, std::string_view agent_id) {
    // Validated as digits when the channel was configured; a number in both APIs.
    std::int64_t value = 0;
    for (char c : agent_id) {
        value = value * 10 + (c - '0');
    }
    w.Int64(value);
}

std::string join(const std::vector<std::string>& values, char separator) {
    std::string out;
    for (const auto& v : values) {
        if (!out.empty()) {
            out += separator;
        }
        out += v;
    }
    return out;
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

std::string dingtalk_work_notice_body(std::string_view agent_id,
                                      const std::vector<std::string>& user_ids,
                                      std::string_view title, std::string_view markdown,
                                      std::string_view link) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("agent_id");
    write_agent_id(w, agent_id);
    w.Key("userid_list");
    write_string(w, join(user_ids, ','));
    w.Key("msg");
    w.StartObject();
    w.Key("msgtype");
    if (link.empty()) {
        w.String("markdown");
        w.Key("markdown");
        w.StartObject();
        w.Key("title");
        write_string(w, title);
        w.Key("text");
        write_string(w, markdown);
        w.EndObject();
    } else {
        w.String("action_card");
        w.Key("action_card");
        w.StartObject();
        w.Key("title");
        write_string(w, title);
        w.Key("markdown");
        write_string(w, markdown);
        w.Key("single_title");
        w.String("打开台账");
        w.Key("single_url");
        write_string(w, link);
        w.EndObject();
    }
    w.EndObject();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string wecom_app_message_body(std::string_view agent_id,
                                   const std::vector<std::string>& user_ids, std::string_view title,
                                   std::string_view markdown, std::string_view summary,
                                   std::string_view link) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    w.Key("touser");
    write_string(w, join(user_ids, '|'));
    w.Key("agentid");
    write_agent_id(w, agent_id);
    if (link.empty()) {
        w.Key("msgtype");
        w.String("markdown");
        w.Key("markdown");
        w.StartObject();
        w.Key("content");
        write_string(w, truncate_utf8(markdown, kWecomAppMarkdownMaxBytes));
        w.EndObject();
    } else {
        w.Key("msgtype");
        w.String("textcard");
        w.Key("textcard");
        w.StartObject();
        w.Key("title");
        write_string(w, truncate_utf8(title, kWecomCardTitleMaxBytes));
        w.Key("description");
        write_string(w, truncate_utf8(summary, kWecomCardDescriptionMaxBytes));
        w.Key("url");
        write_string(w, link);
        w.Key("btntxt");
        w.String("打开台账");
        w.EndObject();
    }
    w.Key("enable_duplicate_check");
    w.Int(1);
    w.Key("duplicate_check_interval");
    w.Int(1800);
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace rl::transport
