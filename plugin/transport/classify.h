// How a response (or its absence) is judged: delivered, worth retrying, or
// permanent. Pure functions, used by HttpSender and testable on their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "transport/endpoint.h"

namespace rl::transport {

// throttled: the platform said "too frequent" (or its quota is used up): tried again later
// without counting as a failed attempt, so pacing never turns a message into a dead letter.
enum class Verdict { delivered, retry, permanent, throttled };

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

// A DingTalk or WeCom open-API reply (gettoken, asyncsend_v2, message/send): errcode, errmsg,
// and what either call adds. errcode absent counts as 0 only when access_token is present.
struct AppReply {
    std::int64_t errcode = 0;
    std::string errmsg;
    std::string sub_code;  // DingTalk errcode 88: the real cause
    std::string access_token;
    std::int64_t expires_in = 0;  // seconds
    std::string invalid_users;    // WeCom invaliduser: "a|b"
};
// nullopt when body is not a JSON object with an integer errcode (or, for gettoken, a token).
std::optional<AppReply> parse_app_reply(std::string_view body);

// Send replies that say the access token is not (or no longer) good: 40014 (invalid), 42001
// (expired) on both platforms; the sender then fetches a new token once and sends again.
bool is_token_rejected(std::int64_t errcode);

// The outcome of a person channel's send reply. 0 delivered; -1 (busy) retry; "too frequent"
// throttled: DingTalk 90002, 90005, 90006, 90018, 90019 and 90020 (the corp's API quota is
// used up: see quota_exhausted), WeCom 45009 and 45033; a rejected token retry (after the one
// refresh); anything else permanent (WeCom 81013: none of the users exists or may receive;
// DingTalk 88: permission, see sub_code).
Verdict classify_app_errcode(ChannelKind kind, std::int64_t errcode);
// DingTalk 90020: no call succeeds before the quota renews; wait for the next court day.
bool quota_exhausted(ChannelKind kind, std::int64_t errcode);

// Retry-After as delta-seconds or an HTTP-date (IMF-fixdate, RFC 850, asctime), in ms from
// now_unix_ms (a date in the past gives 0); nullopt when unparsable.
std::optional<std::int64_t> parse_retry_after(std::string_view value, std::int64_t now_unix_ms);

}  // namespace rl::transport
