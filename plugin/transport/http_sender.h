// Sends one notification to one endpoint over HTTP/1.1 (plain or TLS) with a
// kept-alive connection, and judges the outcome. Poco stays behind the pimpl.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "transport/classify.h"
#include "transport/endpoint.h"
#include "transport/message.h"

namespace rl::transport {

struct SendOutcome {
    Verdict verdict = Verdict::retry;
    int http_status = 0;  // 0 when no response
    std::optional<std::int64_t>
        retry_after_ms;  // from Retry-After (seconds or HTTP-date) on 429/503
    std::string error;  // human-readable, redacted: "HTTP 500: …", "timeout", "connection refused",
                        // "errcode 310000: …"; empty when delivered
    std::int64_t duration_ms = 0;
    bool quota_exhausted = false;  // throttled until the platform's quota renews (next day)
    std::string note;              // delivered, but not to everyone: who was not reached (redacted)
};

class HttpSender {  // one per endpoint; NOT thread-safe; keeps one kept-alive connection
public:
    // Validates the endpoint: an http:// or https:// URL with a host, positive timeouts, for
    // webhooks a valid whsec_ secret, for person channels a key, a secret, a numeric agent id
    // and a URL without query (the API root), and a loadable ca_file (https only). Throws
    // std::invalid_argument naming the endpoint; the message never contains the secret or URL
    // credentials. For https the sender has its own TLS context (system CAs plus ca_file, peer
    // and host name verification on); process-wide SSL state is neither used nor changed. A
    // certificate that does not verify makes a send fail with Verdict::permanent.
    explicit HttpSender(Endpoint endpoint);
    ~HttpSender();
    HttpSender(const HttpSender&) = delete;
    HttpSender& operator=(const HttpSender&) = delete;
    HttpSender(HttpSender&&) noexcept;
    HttpSender& operator=(HttpSender&&) noexcept;

    // One attempt (plus, within it, one immediate retry on a fresh connection when a reused
    // kept-alive connection turns out to be closed). Never throws for network or HTTP errors.
    // Person channels send to message.user_ids with the app's access token, which the sender
    // fetches when it has none or it has run out (cached until expires_in, less a margin),
    // and fetches anew once when the platform rejects it (then sends again).
    SendOutcome send(const OutgoingMessage& message);

    const Endpoint& endpoint() const;

    // Closes the kept-alive connection, if any (e.g. before a long pause).
    void disconnect();

    // Connections opened so far (diagnostics and tests).
    std::int64_t connections_opened() const;

    // Person channels: access tokens fetched so far (diagnostics).
    std::int64_t tokens_fetched() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace rl::transport
