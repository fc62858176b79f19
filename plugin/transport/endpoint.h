// Where a notification goes: one configured channel endpoint (the OA message
// centre's webhook, a DingTalk or a WeCom group robot) and its timeouts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rl::transport {

enum class ChannelKind { webhook, dingtalk, wecom };

// "webhook", "dingtalk", "wecom".
const char* to_string(ChannelKind kind);
// Exact (lower-case) names as written by to_string; nullopt for anything else.
std::optional<ChannelKind> channel_kind_from_string(std::string_view text);

struct Timeouts {
    int connect_ms = 3000;
    int send_ms = 5000;
    int receive_ms = 10000;  // per read: a server trickling bytes can take longer in total
};

struct Endpoint {
    std::string name;  // "oa", "dingtalk-reform-office"
    ChannelKind kind = ChannelKind::webhook;
    std::string url;      // http:// or https://
    std::string secret;   // webhook: "whsec_<base64>"; dingtalk: the robot's SEC… secret (empty:
                          // the robot uses keyword/IP security, no signing); wecom: unused
    std::string ca_file;  // https: PEM file of extra trusted CAs (e.g. a court's private CA),
                          // on top of the system's; empty: the system's only
    Timeouts timeouts;
};

}  // namespace rl::transport
