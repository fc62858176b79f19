// What a person channel (DingTalk 工作通知, WeCom 应用消息) sends for an
// outbox message, and to whom: built at send time from the message's JSON
// payload (its recipient, its items with their links and actions) and the org
// chart of now, so a user id added to the org chart reaches a message that
// waits or is requeued.
#pragma once

#include <string>
#include <vector>

#include "core/org_chart.h"
#include "transport/endpoint.h"

namespace rl::notify {

struct PersonMessage {
    std::string title;
    std::string markdown;  // one line per item: its text, what to do, and a link to the report
    std::string summary;   // plain text for a card: what to do and the item (one item only)
    std::string link;      // the one report's link when the message has exactly one
    std::vector<std::string> user_ids;     // the platform's ids of the people it reaches
    std::vector<std::string> unreachable;  // "张三（u-…）": recipients without such an id
};

// The people a message to recipient_key ("person:u-…" or "department:刑庭") reaches: the
// person, or a department's contacts (department messages ask the department to file).
std::vector<const core::Person*> people_reached(const core::OrgChart& chart,
                                                const std::string& kind, const std::string& id);

// The person's user id on the channel's platform (empty if none).
const std::string& user_id_on(const core::Person& person, transport::ChannelKind kind);

// Throws std::invalid_argument when payload_json is not a message the composer wrote.
PersonMessage person_message(const std::string& payload_json, transport::ChannelKind kind,
                             const core::OrgChart& chart);

}  // namespace rl::notify
