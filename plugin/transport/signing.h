// Request signing for the notification channels, and redaction of secrets
// from anything that may reach a log line or an error message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rl::transport {

// Standard Webhooks: "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)) where
// key is the base64-decoded part of secret_whsec after "whsec_". Throws std::invalid_argument
// (never quoting the secret) for a secret without the prefix, bad base64 or an empty key.
std::string standard_webhooks_signature(const std::string& secret_whsec, const std::string& id,
                                        std::int64_t timestamp_s, const std::string& body);

// Checks a "whsec_…" secret as standard_webhooks_signature would; throws the same errors.
void validate_webhook_secret(const std::string& secret_whsec);

// DingTalk robot: base64(HMAC-SHA256(secret, timestamp_ms + "\n" + secret)), NOT url-encoded.
std::string dingtalk_sign(const std::string& secret, std::int64_t timestamp_ms);

// Replaces the values of key=, access_token=, sign=, secret=, appsecret=, corpsecret=,
// app_secret=, corp_secret=, client_secret= (also as JSON members
// "key": "…" etc.; names matched case-insensitively and as whole words), any whsec_… token
// and any DingTalk-style SEC<hex> secret with "***".
std::string redact(std::string text);

// Percent-encodes everything but RFC 3986 unreserved characters (so + / = are encoded):
// for query parameter values such as a base64 signature.
std::string url_encode_component(std::string_view value);

}  // namespace rl::transport
