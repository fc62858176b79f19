// Turns reminders into messages: one per recipient and channel per sweep,
// listing all of that recipient's due items, with a title, a markdown body
// for the robots and a JSON payload for the OA message centre.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/org_chart.h"
#include "core/reminders.h"
#include "storage/notification_store.h"

namespace rl::notify {

// A line of a consolidated message and the key that makes it unique.
struct Entry {
    std::string rule;  // before_due … or urge, supervision_notice
    std::int64_t obligation_id = 0;
    std::string line;
    std::string dedupe_key;  // including the channel
};

// A fresh message id: "msg_" and 32 hex digits.
std::string new_message_id();

storage::OutboxMessage compose(const core::Recipient& recipient, const std::string& channel,
                               const std::string& kind, bool urgent,
                               const std::vector<Entry>& entries, const core::OrgChart& org_chart,
                               std::int64_t now_ms, std::int64_t deliver_after_ms);

// The Chinese heading of a rule or message kind ("逾期催报").
const char* heading(const std::string& rule);

}  // namespace rl::notify
