#include "transport/classify.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <rapidjson/document.h>

#include <cctype>
#include <limits>

namespace rl::transport {

const char* to_string(Verdict verdict) {
    switch (verdict) {
        case Verdict::delivered:
            return "delivered";
        case Verdict::retry:
            return "retry";
        case Verdict::permanent:
            return "permanent";
        case Verdict::throttled:
            return "throttled";
    }
    return "unknown";
}

Verdict classify_http_status(int status) {
    if (status >= 200 && status < 300) {
        return Verdict::delivered;
    }
    if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
        return Verdict::retry;
    }
    return Verdict::permanent;
}

std::optional<RobotReply> parse_robot_reply(std::string_view body) {
    rapidjson::Document doc;
    // The body is whatever the far end sent (up to 64 KiB kept): parsed
    // iteratively, so nesting cannot exhaust the delivery thread's stack.
    doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        return std::nullopt;
    }
    auto code = doc.FindMember("errcode");
    if (code == doc.MemberEnd() || !code->value.IsInt64()) {
        return std::nullopt;
    }
    RobotReply reply;
    reply.errcode = code->value.GetInt64();
    auto message = doc.FindMember("errmsg");
    if (message != doc.MemberEnd() && message->value.IsString()) {
        reply.errmsg.assign(message->value.GetString(), message->value.GetStringLength());
    }
    return reply;
}

Verdict classify_robot_errcode(ChannelKind kind, std::int64_t errcode) {
    if (errcode == 0) {
        return Verdict::delivered;
    }
    if (errcode == -1) {
        return Verdict::retry;  // both robots: system busy
    }
    switch (kind) {
        case ChannelKind::dingtalk:
            return errcode == 130101 ? Verdict::retry : Verdict::permanent;
        case ChannelKind::wecom:
            return errcode == 45009 ? Verdict::retry : Verdict::permanent;
        case ChannelKind::webhook:
        case ChannelKind::dingtalk_work_notice:
        case ChannelKind::wecom_app_message:
            break;
    }
    return Verdict::permanent;
}

std::optional<AppReply> parse_app_reply(std::string_view body) {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        return std::nullopt;
    }
    const auto text = [&doc](const char* key) {
        const auto it = doc.FindMember(key);
        if (it == doc.MemberEnd()) {
            return std::string();
        }
        if (it->value.IsString()) {
            return std::string(it->value.GetString(), it->value.GetStringLength());
        }
        if (it->value.IsInt64()) {
            return std::to_string(it->value.GetInt64());
        }
        return std::string();
    };
    AppReply reply;
    reply.access_token = text("access_token");
    const auto code = doc.FindMember("errcode");
    if (code == doc.MemberEnd()) {
        if (reply.access_token.empty()) {
            return std::nullopt;
        }
    } else if (!code->value.IsInt64()) {
        return std::nullopt;
    } else {
        reply.errcode = code->value.GetInt64();
    }
    reply.errmsg = text("errmsg");
    reply.sub_code = text("sub_code");
    reply.invalid_users = text("invaliduser");
    const auto expires = doc.FindMember("expires_in");
    if (expires != doc.MemberEnd() && expires->value.IsInt64()) {
        reply.expires_in = expires->value.GetInt64();
    }
    return reply;
}

bool is_token_rejected(std::int64_t errcode) {
    return errcode == 40014 || errcode == 42001;
}

Verdict classify_app_errcode(ChannelKind kind, std::int64_t errcode) {
    if (errcode == 0) {
        return Verdict::delivered;
    }
    if (errcode == -1 || is_token_rejected(errcode)) {
        return Verdict::retry;
    }
    if (kind == ChannelKind::dingtalk_work_notice) {
        switch (errcode) {
            case 90002:
            case 90005:
            case 90006:
            case 90018:
            case 90019:
            case 90020:
                return Verdict::throttled;
            default:
                return Verdict::permanent;
        }
    }
    if (kind == ChannelKind::wecom_app_message && (errcode == 45009 || errcode == 45033)) {
        return Verdict::throttled;
    }
    return Verdict::permanent;
}

bool quota_exhausted(ChannelKind kind, std::int64_t errcode) {
    return kind == ChannelKind::dingtalk_work_notice && errcode == 90020;
}

std::optional<std::int64_t> parse_retry_after(std::string_view value, std::int64_t now_unix_ms) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
        value.remove_prefix(1);
    }
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
        value.remove_suffix(1);
    }
    if (value.empty()) {
        return std::nullopt;
    }
    bool digits = true;
    for (char c : value) {
        digits = digits && std::isdigit(static_cast<unsigned char>(c)) != 0;
    }
    if (digits) {
        constexpr std::int64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / 1000;
        std::int64_t seconds = 0;
        for (char c : value) {
            seconds = seconds * 10 + (c - '0');
            if (seconds >= kMaxSeconds) {
                return kMaxSeconds * 1000;
            }
        }
        return seconds * 1000;
    }
    // Poco's parser is lenient ("soon" parses): accept only a date that formats back to itself.
    const std::string text(value);
    for (const std::string& format :
         {Poco::DateTimeFormat::HTTP_FORMAT, Poco::DateTimeFormat::RFC850_FORMAT,
          Poco::DateTimeFormat::ASCTIME_FORMAT}) {
        Poco::DateTime when;
        int tzd = 0;
        try {
            if (!Poco::DateTimeParser::tryParse(format, text, when, tzd) ||
                Poco::DateTimeFormatter::format(
                    when, format, tzd == 0 ? int(Poco::DateTimeFormatter::UTC) : tzd) != text) {
                continue;
            }
        } catch (const Poco::Exception&) {
            continue;
        }
        when.makeUTC(tzd);
        const std::int64_t when_ms = when.timestamp().epochMicroseconds() / 1000;
        return when_ms > now_unix_ms ? when_ms - now_unix_ms : 0;
    }
    return std::nullopt;
}

}  // namespace rl::transport
