// The stub host's stand-in for the OA message centre: a loopback HTTP
// endpoint (Poco HTTPServer) that verifies Standard Webhooks signatures
// (a bad or missing one gets 401), de-duplicates by webhook-id, and keeps
// what arrived. A real deployment points the plugin's channels elsewhere.
#pragma once

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

class MessageReceiver {
public:
    // secret: the whsec_… secret shared with the plugin's webhook channel.
    // port 0 picks a free port. tolerance_s: how far webhook-timestamp may be
    // from this machine's clock.
    MessageReceiver(std::string secret, int port = 0, int tolerance_s = 300);
    ~MessageReceiver();
    MessageReceiver(const MessageReceiver&) = delete;
    MessageReceiver& operator=(const MessageReceiver&) = delete;

    void start();  // throws std::runtime_error naming the port when it cannot listen
    void stop();
    int port() const;
    std::string url() const;  // http://127.0.0.1:PORT/messages

    std::vector<Arrival> arrivals() const;  // accepted, each id once, in order
    int duplicates() const;                 // same webhook-id again (answered 200, not kept)
    int rejected() const;                   // 401s: missing or bad signature, stale timestamp

    // Checks a request as the receiver does; returns "" or why it is refused.
    std::string verify(const std::string& id, const std::string& timestamp,
                       const std::string& signature_header, const std::string& body) const;
    // Records a verified request; returns false if its id arrived before.
    bool accept(Arrival arrival);
    void count_rejection();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string secret_;
    int requested_port_;
    int tolerance_s_;
    mutable std::mutex mutex_;
    std::vector<Arrival> arrivals_;
    std::set<std::string> seen_;
    int duplicates_ = 0;
    int rejected_ = 0;
};

}  // namespace oa_stub
