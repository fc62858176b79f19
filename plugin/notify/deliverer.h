// Sends what the outbox holds: claims due messages (a lease, so a crashed
// worker's messages come back), sends each over its channel with the same
// message id on every attempt, records every attempt, and settles it —
// delivered; retried later with exponential backoff and jitter (or when
// Retry-After says); dead after the last attempt or a permanent failure.
// Robot endpoints are paced (20 a minute by default).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "notify/settings.h"
#include "storage/notification_store.h"
#include "transport/http_sender.h"

namespace rl::notify {

struct DeliveryCounts {
    int delivered = 0;
    int retried = 0;
    int dead = 0;
    int paced = 0;  // held back by an endpoint's rate limit
    int lost = 0;   // the lease ran out and another worker took the message over
};

class Deliverer {
public:
    using Clock = std::function<std::int64_t()>;
    using Log = std::function<void(int level, const std::string& message)>;

    Deliverer(storage::NotificationStore& store, const Settings& settings, Clock clock, Log log);
    ~Deliverer();

    // Claims and sends what is due now, one batch. Thread-safe (serialised).
    DeliveryCounts deliver_due();

private:
    transport::HttpSender* sender_for(const transport::Endpoint& endpoint);
    std::string lease_token();
    // A message sent and not yet recorded.
    struct Sent {
        storage::ClaimedMessage message;
        int attempt = 0;
        std::int64_t after = 0;
        transport::SendOutcome outcome;
    };
    // Records the attempts and settles them in one transaction.
    void flush(std::vector<Sent>& sent, DeliveryCounts& counts);
    // Settles a sent message by its outcome: delivered, retried later, or dead.
    void settle(const storage::ClaimedMessage& m, int attempt, std::int64_t after,
                const transport::SendOutcome& outcome, DeliveryCounts& counts);
    std::int64_t backoff_ms(int attempts);

    storage::NotificationStore& store_;
    const Settings& settings_;
    Clock clock_;
    Log log_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<transport::HttpSender>> senders_;
    std::map<std::string, std::deque<std::int64_t>> recent_sends_;  // robot pacing, by channel
    std::mt19937_64 rng_;
};

// Runs a Deliverer on its own thread until stopped; stop() joins it.
class DeliveryWorker {
public:
    DeliveryWorker(Deliverer& deliverer, int poll_ms);
    ~DeliveryWorker();
    void start();
    void stop();  // idempotent; joins the thread
    void wake();  // something was queued: look now

private:
    void run();

    Deliverer& deliverer_;
    int poll_ms_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    bool woken_ = false;
    std::thread thread_;
};

}  // namespace rl::notify
