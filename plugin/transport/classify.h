// How a response (or its absence) is judged: delivered, worth retrying, or
// permanent. Pure functions, used by HttpSender and testable on their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "transport/endpoint.h"

namespace rl::transport {

enum class Verdict { delivered, retry, permanent };

const char* to_string(Verdict verdict);

// Webhook rules: 2xx delivered; 408, 429, 5xx retry; everything else (3xx, other 4xx, 1xx)
// permanent. Redirects are never followed.
Verdict classify_http_status(int status);

// A robot's HTTP-200 JSON reply {"errcode":…,"errmsg":…}.
struct RobotReply {
    std::int64_t errcode = 0;
    std::string errmsg;
};
// nullopt when body is not a JSON object with an integer errcode.
std::optional<RobotReply> parse_robot_reply(std::string_view body);

// errcode 0 delivered; DingTalk 130101 (too fast) and -1 (busy), WeCom 45009 (rate limit) and
// -1 (busy) retry; any other code permanent (DingTalk 310000: sign, keyword or IP rejected).
Verdict classify_robot_errcode(ChannelKind kind, std::int64_t errcode);

// Retry-After as delta-seconds or an HTTP-date (IMF-fixdate, RFC 850, asctime), in ms from
// now_unix_ms (a date in the past gives 0); nullopt when unparsable.
std::optional<std::int64_t> parse_retry_after(std::string_view value, std::int64_t now_unix_ms);

}  // namespace rl::transport
