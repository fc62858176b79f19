// Where a notification goes: one configured channel endpoint (the OA message
// centre's webhook, a DingTalk or a WeCom group robot, or a DingTalk or WeCom
// app that reaches one person) and its timeouts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rl::transport {

enum class ChannelKind {
    webhook,               // the OA message centre: signed JSON
    dingtalk,              // a DingTalk group robot
    wecom,                 // a WeCom group robot
    dingtalk_work_notice,  // DingTalk 工作通知 of a corp app: to people by DingTalk user id
    wecom_app_message,     // WeCom 应用消息: to people by WeCom user id
};

// "webhook", "dingtalk", "wecom", "dingtalk_work_notice", "wecom_app_message".
const char* to_string(ChannelKind kind);
// Exact (lower-case) names as written by to_string; nullopt for anything else.
std::optional<ChannelKind> channel_kind_from_string(std::string_view text);

// Whether the channel reaches a person (by the user id the org chart gives them) rather than
// a group or the OA: the app channels, which need an access token.
bool is_person_channel(ChannelKind kind);

// The platforms' API roots, used when a person channel names no url.
constexpr const char* kDingtalkApiBase = "https://oapi.dingtalk.com";
constexpr const char* kWecomApiBase = "https://qyapi.weixin.qq.com";

struct Timeouts {
    int connect_ms = 3000;
    int send_ms = 5000;
    int receive_ms = 10000;  // per read: a server trickling bytes can take longer in total
};

struct Endpoint {
    std::string name;  // "oa", "dingtalk-reform-office"
    ChannelKind kind = ChannelKind::webhook;
    std::string url;       // http:// or https://; for the person channels the API root
                           // (kDingtalkApiBase, kWecomApiBase, or a stand-in), no query
    std::string secret;    // webhook: "whsec_<base64>"; dingtalk: the robot's SEC… secret (empty:
                           // the robot uses keyword/IP security, no signing); wecom: unused;
                           // dingtalk_work_notice: the app's AppSecret; wecom_app_message: the
                           // app's corpsecret
    std::string app_key;   // dingtalk_work_notice: the app's AppKey; wecom_app_message: corpid
    std::string agent_id;  // the app's agent id (digits), person channels only
    std::string ca_file;   // https: PEM file of extra trusted CAs (e.g. a court's private CA),
                           // on top of the system's; empty: the system's only
    Timeouts timeouts;
    // Pacing: at most this many sends a minute, and a court day (00:00-24:00 UTC+8); 0 means
    // no cap of the channel's own (robots then use notifications.robot_per_minute).
    int per_minute = 0;
    int per_day = 0;
};

}  // namespace rl::transport
