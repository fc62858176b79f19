#include "notify/person_message.h"

#include <rapidjson/document.h>

#include <stdexcept>

#include "core/workflow.h"
#include "transport/markdown.h"
#include "transport/payload.h"

namespace rl::notify {

namespace {

std::string member(const rapidjson::Value& v, const char* key) {
    const auto it = v.FindMember(key);
    if (it == v.MemberEnd() || !it->value.IsString()) {
        return {};
    }
    return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

std::vector<const core::Person*> people_reached(const core::OrgChart& chart,
                                                const std::string& kind, const std::string& id) {
    std::vector<const core::Person*> out;
    if (kind == "person") {
        if (const core::Person* p = chart.person(id)) {
            out.push_back(p);
        }
        return out;
    }
    for (const auto& p : chart.people()) {
        if (core::holds_role_for(p, core::PersonRole::contact, id)) {
            out.push_back(&p);
        }
    }
    return out;
}

const std::string& user_id_on(const core::Person& person, transport::ChannelKind kind) {
    return kind == transport::ChannelKind::dingtalk_work_notice ? person.dingtalk_userid
                                                                : person.wecom_userid;
}

PersonMessage person_message(const std::string& payload_json, transport::ChannelKind kind,
                             const core::OrgChart& chart) {
    rapidjson::Document doc;
    doc.Parse(payload_json.data(), payload_json.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("recipient") ||
        !doc["recipient"].IsObject() || !doc.HasMember("items") || !doc["items"].IsArray()) {
        throw std::invalid_argument("the outbox message has no recipient or items");
    }
    PersonMessage m;
    m.title = transport::plain_line(member(doc, "title"));
    const std::string recipient_kind = member(doc["recipient"], "kind");
    const std::string recipient_id = member(doc["recipient"], "id");
    const auto people = people_reached(chart, recipient_kind, recipient_id);
    if (people.empty()) {
        m.unreachable.push_back(recipient_kind == "person"
                                    ? recipient_id + "（not in the org chart）"
                                    : recipient_id + "（no contact in the org chart）");
    }
    for (const core::Person* p : people) {
        const std::string& id = user_id_on(*p, kind);
        if (!p->active || id.empty()) {
            m.unreachable.push_back(p->name + "（" + p->id + (p->active ? "" : ", inactive") +
                                    "）");
        } else {
            m.user_ids.push_back(id);
        }
    }
    const auto& items = doc["items"].GetArray();
    m.markdown = "### " + transport::markdown_literal(m.title) + "\n\n";
    // WeCom cuts markdown at 2048 bytes: whole lines only (a cut link would lead nowhere),
    // and a last line that says how many more there are.
    const std::size_t max_bytes = kind == transport::ChannelKind::wecom_app_message
                                      ? transport::kWecomAppMarkdownMaxBytes
                                      : std::string::npos;
    constexpr std::size_t kRoomForTheRest = 64;
    int linked = 0;
    int left_out = 0;
    for (const auto& item : items) {
        if (!item.IsObject()) {
            continue;
        }
        const std::string link = member(item, "link");
        const std::string action = member(item, "action");
        std::string line = "- " + transport::markdown_literal(member(item, "text"));
        if (!action.empty()) {
            line += "　**" + transport::markdown_literal(action) + "**";
        }
        if (!link.empty()) {
            line += "　[打开台账](" + link + ")";
            ++linked;
            m.link = link;
        }
        line += "\n";
        if (left_out > 0 || (max_bytes != std::string::npos &&
                             m.markdown.size() + line.size() + kRoomForTheRest > max_bytes)) {
            ++left_out;
        } else {
            m.markdown += line;
        }
        m.summary = (action.empty() ? std::string() : action + "：") +
                    transport::plain_line(member(item, "text"));
    }
    if (left_out > 0) {
        m.markdown += "- 另有" + std::to_string(left_out) + "项，请在台账中查看\n";
    }
    if (items.Size() != 1 || linked != 1) {
        m.link.clear();  // several reports: each line carries its own link
        m.summary.clear();
    }
    return m;
}

}  // namespace rl::notify
