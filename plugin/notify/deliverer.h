// Sends what the outbox holds, one message at a time: takes the next due
// message under a lease (so a crashed worker's message comes back) and
// records its attempt as begun, sends it over its channel with the same
// message id on every attempt, and records the outcome right after —
// delivered; retried later with exponential backoff and jitter (or when
// Retry-After says); dead after the last attempt or a permanent failure.
// The outcome of one message and the start of the next are one transaction,
// so a crash at any point leaves at most one message whose fate is unknown:
// the one on the wire, which is sent again (same id) when its lease runs out.
// Robot endpoints are paced (20 a minute by default), person channels by
// their own per-minute and per-day caps, counted over every instance that
// delivers from the same ledger; a message held back waits, it is
// never dropped, and so does one the platform answers with "too frequent".
// Person channels look up the recipient's user id in the org chart when the
// message is sent. Every time is the host's clock: leases, retries, pacing
// and quiet hours come due as it moves.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/org_chart.h"
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

    Deliverer(storage::NotificationStore& store, const Settings& settings,
              const core::OrgChart& org_chart, Clock clock, Log log);
    ~Deliverer();

    // Sends what is due now, up to one batch. Thread-safe (serialised).
    DeliveryCounts deliver_due();

    // Makes a running deliver_due() stop after the message on the wire (and
    // stop retrying to record its outcome); resume() undoes it.
    void interrupt();
    void resume();

private:
    // An attempt recorded as begun and about to be sent.
    struct Attempt {
        storage::ClaimedMessage message;
        const transport::Endpoint* endpoint = nullptr;
        int number = 0;  // 1 for the first attempt
        std::int64_t row = 0;
    };
    // A message sent whose outcome is not yet recorded.
    struct Sent {
        Attempt attempt;
        std::int64_t at = 0;  // host clock when the send ended
        transport::SendOutcome outcome;
    };
    // What one transaction decided, applied once it commits.
    struct Step {
        DeliveryCounts counts;
        std::vector<std::pair<int, std::string>> log;  // level, line
        int taken = 0;                                 // messages taken from the queue
        std::optional<Attempt> next;                   // to send now
    };

    transport::HttpSender* sender_for(const transport::Endpoint& endpoint);
    std::string lease_token();
    // Takes due messages until one is to be sent now and records its attempt
    // as begun; dead letters for channels no longer configured and robot
    // messages held back by pacing are settled on the way.
    void take_next(std::int64_t due_by, const std::string& token, int room, Step& step);
    Sent send(const Attempt& attempt);
    // Records the outcome and settles the message: delivered, retried later, or dead.
    void settle(const Sent& sent, Step& step);
    // Runs a step's transaction. With a message sent and not yet recorded, a
    // failure (a busy or locked database) is retried for as long as the lease
    // holds, recording the outcome alone: a send is never turned into a re-send
    // by a database that was briefly busy.
    void commit(Step& step, const std::optional<Sent>& sent,
                const std::function<void(Step&, bool take_more)>& body);
    std::int64_t backoff_ms(int attempts);
    // When a message on endpoint may go, given the attempts on it lately (now
    // if now). Counted from the outbox inside the claiming transaction, so the
    // attempts of every instance on the ledger count: the caps are the
    // channel's, not each instance's.
    std::int64_t pace(const transport::Endpoint& endpoint, std::int64_t now);

    storage::NotificationStore& store_;
    const Settings& settings_;
    const core::OrgChart& org_chart_;
    Clock clock_;
    Log log_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<transport::HttpSender>> senders_;
    std::mt19937_64 rng_;
    std::atomic<bool> interrupted_{false};
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
