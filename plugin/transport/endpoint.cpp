#include "transport/endpoint.h"

namespace rl::transport {

const char* to_string(ChannelKind kind) {
    switch (kind) {
        case ChannelKind::webhook:
            return "webhook";
        case ChannelKind::dingtalk:
            return "dingtalk";
        case ChannelKind::wecom:
            return "wecom";
        case ChannelKind::dingtalk_work_notice:
            return "dingtalk_work_notice";
        case ChannelKind::wecom_app_message:
            return "wecom_app_message";
    }
    return "unknown";
}

std::optional<ChannelKind> channel_kind_from_string(std::string_view text) {
    if (text == "webhook") {
        return ChannelKind::webhook;
    }
    if (text == "dingtalk") {
        return ChannelKind::dingtalk;
    }
    if (text == "wecom") {
        return ChannelKind::wecom;
    }
    if (text == "dingtalk_work_notice") {
        return ChannelKind::dingtalk_work_notice;
    }
    if (text == "wecom_app_message") {
        return ChannelKind::wecom_app_message;
    }
    return std::nullopt;
}

bool is_person_channel(ChannelKind kind) {
    return kind == ChannelKind::dingtalk_work_notice || kind == ChannelKind::wecom_app_message;
}

}  // namespace rl::transport
