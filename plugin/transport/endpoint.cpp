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
    return std::nullopt;
}

}  // namespace rl::transport
