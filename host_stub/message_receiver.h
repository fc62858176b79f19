// The stub host's stand-in for the OA message centre: a loopback HTTP
// endpoint (Poco HTTPServerConnection on a Poco TCPServer) that verifies
// Standard Webhooks signatures, de-duplicates by webhook-id, and keeps what
// arrived. A real deployment points the plugin's channels elsewhere.
//
// It holds up against a careless or hostile client: the headers are checked
// before a byte of the body is read (a missing or malformed signature or
// timestamp is 401, a missing length 411, a body over the limit 413, and the
// connection is closed without reading it); the timestamp must be plain
// decimal digits; signatures are compared in constant time; and every request
// has a deadline for its headers and body together, so clients that send
// nothing or trickle bytes are cut off and cannot hold the server's threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace oa_stub {

struct Arrival {
    std::string id;  // webhook-id
    std::string timestamp;
    std::string body;
    std::string title;      // from the JSON body, when present
    std::string recipient;  // recipient.kind:recipient.id, when present
};

struct ReceiverLimits {
    // A body longer than this is refused (413) from its Content-Length, unread.
    // The plugin's messages are a few kilobytes.
    std::size_t max_body_bytes = std::size_t{1} << 20;
    // How far webhook-timestamp may be from this machine's clock.
    int timestamp_tolerance_s = 300;
    // One request's headers and body must arrive within this, however the
    // client paces its bytes; then its connection is closed.
    int request_deadline_ms = 10000;
    // How long a kept-alive connection may wait for its next request (above
    // the plugin's 4 s client-side keep-alive, so the client closes first),
    // and how long a new connection may stay silent.
    int idle_timeout_ms = 10000;
    // Connections served at once; more wait in the accept queue.
    int threads = 8;
};

class MessageReceiver {
public:
    // secret: the whsec_… secret shared with the plugin's webhook channel.
    // port 0 picks a free port.
    MessageReceiver(std::string secret, int port = 0, ReceiverLimits limits = {});
    ~MessageReceiver();
    MessageReceiver(const MessageReceiver&) = delete;
    MessageReceiver& operator=(const MessageReceiver&) = delete;

    void start();  // throws std::runtime_error naming the port when it cannot listen
    void stop();   // closes every open connection and joins the server's threads
    int port() const;
    std::string url() const;  // http://127.0.0.1:PORT/messages
    const ReceiverLimits& limits() const { return limits_; }

    std::vector<Arrival> arrivals() const;  // accepted, each id once, in order
    int duplicates() const;                 // same webhook-id again (answered 200, not kept)
    // Refused requests: 401 (missing, malformed or wrong signature, stale or
    // malformed timestamp), 405, 411, 413, or a body shorter than announced.
    int rejected() const;
    int timed_out() const;  // connections closed at their deadline

    // Checks a request's headers as the receiver does before reading its body;
    // returns "" or why it is refused.
    std::string verify_headers(const std::string& id, const std::string& timestamp,
                               const std::string& signature_header) const;
    // The headers, then the signature over body; returns "" or why it is refused.
    std::string verify(const std::string& id, const std::string& timestamp,
                       const std::string& signature_header, const std::string& body) const;
    // Records a verified request; returns false if its id arrived before.
    bool accept(Arrival arrival);
    void count_rejection();
    void count_timeout();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string secret_;
    int requested_port_;
    ReceiverLimits limits_;
    mutable std::mutex mutex_;
    std::vector<Arrival> arrivals_;
    std::set<std::string> seen_;
    int duplicates_ = 0;
    int rejected_ = 0;
    int timed_out_ = 0;
};

// True when signature_header (space-separated "v1,<base64>" candidates) holds
// expected, compared in constant time: neither where a candidate differs nor
// which candidate matched changes the time taken.
bool signature_matches(const std::string& signature_header, const std::string& expected);

// webhook-timestamp and Content-Length: one or more ASCII digits, no sign, no
// spaces, no leading zero (but "0"), at most 18 digits; otherwise false.
bool parse_decimal(const std::string& text, std::int64_t& value);

}  // namespace oa_stub
