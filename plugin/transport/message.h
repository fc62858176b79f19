// One notification as the delivery worker hands it to a sender. The same id is
// used on every attempt (receivers de-duplicate on it); the timestamps are set
// by the caller per attempt.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rl::transport {

struct OutgoingMessage {
    std::string id;                // same on every attempt, e.g. "msg_2f…"; also Idempotency-Key
    std::string title;             // short, Chinese (DingTalk notification title)
    std::string markdown;          // the body for robots
    std::string payload_json;      // the JSON object body for the webhook channel
    std::int64_t timestamp_s = 0;  // for webhook-timestamp (seconds); set per attempt by the caller
    std::int64_t timestamp_ms = 0;  // for DingTalk timestamp (ms); set per attempt

    // Person channels (dingtalk_work_notice, wecom_app_message): markdown is what the person
    // reads, with a link per line; these say to whom and what else goes with it.
    std::vector<std::string> user_ids;  // the platform's user ids of the people it reaches
    std::string link;     // the console at the one report the message is about (a button);
                          // empty when it lists several (each line then has its own link)
    std::string summary;  // plain text for a card (WeCom textcard description)
};

}  // namespace rl::transport
