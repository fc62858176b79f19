#include "notify/deliverer.h"

#include <algorithm>

#include "reform_ledger.h"
#include "transport/signing.h"

namespace rl::notify {

namespace {
constexpr std::int64_t kMinuteMs = 60000;

bool is_robot(transport::ChannelKind kind) {
    return kind == transport::ChannelKind::dingtalk || kind == transport::ChannelKind::wecom;
}

const char* verdict_name(transport::Verdict v) {
    switch (v) {
        case transport::Verdict::delivered:
            return "delivered";
        case transport::Verdict::retry:
            return "retry";
        case transport::Verdict::permanent:
            return "permanent";
    }
    return "?";
}
}  // namespace

Deliverer::Deliverer(storage::NotificationStore& store, const Settings& settings, Clock clock,
                     Log log)
    : store_(store),
      settings_(settings),
      clock_(std::move(clock)),
      log_(std::move(log)),
      rng_(std::random_device{}()) {}

Deliverer::~Deliverer() = default;

std::string Deliverer::lease_token() {
    static const char* const kHex = "0123456789abcdef";
    std::string token;
    for (int part = 0; part < 2; ++part) {
        const std::uint64_t v = rng_();
        for (int i = 0; i < 16; ++i) {
            token += kHex[(v >> (i * 4)) & 15];
        }
    }
    return token;
}

transport::HttpSender* Deliverer::sender_for(const transport::Endpoint& endpoint) {
    auto& sender = senders_[endpoint.name];
    if (!sender) {
        sender = std::make_unique<transport::HttpSender>(endpoint);
    }
    return sender.get();
}

std::int64_t Deliverer::backoff_ms(int attempts) {
    std::int64_t delay = settings_.retry_base_ms;
    for (int i = 1; i < attempts && delay < settings_.retry_max_ms; ++i) {
        delay *= 2;
    }
    delay = std::min(delay, settings_.retry_max_ms);
    // Jitter: anywhere in the upper half, so retries of many messages spread out.
    std::uniform_int_distribution<std::int64_t> jitter(delay / 2, std::max(delay / 2, delay));
    return jitter(rng_);
}

void Deliverer::settle(const storage::ClaimedMessage& m, int attempt, std::int64_t after,
                       const transport::SendOutcome& outcome, DeliveryCounts& counts) {
    if (outcome.verdict == transport::Verdict::delivered) {
        if (store_.mark_delivered(m, attempt, after)) {
            ++counts.delivered;
        } else {
            ++counts.lost;  // delivered, but another worker holds it now and settles it
        }
        return;
    }
    if (outcome.verdict == transport::Verdict::retry && attempt < settings_.max_attempts) {
        const std::int64_t wait =
            outcome.retry_after_ms ? *outcome.retry_after_ms : backoff_ms(attempt);
        if (!store_.schedule_retry(m, attempt, after + wait, outcome.error)) {
            ++counts.lost;
            return;
        }
        ++counts.retried;
        log_(RL_LOG_INFO, "notification " + m.message_id + " to " + m.channel + ": attempt " +
                              std::to_string(attempt) + " failed (" + outcome.error +
                              "); retrying in " + std::to_string(wait) + " ms");
        return;
    }
    const std::string why =
        outcome.verdict == transport::Verdict::retry
            ? "gave up after " + std::to_string(attempt) + " attempts: " + outcome.error
            : outcome.error;
    if (!store_.mark_dead(m, attempt, why)) {
        ++counts.lost;
        return;
    }
    ++counts.dead;
    log_(RL_LOG_WARNING,
         "notification " + m.message_id + " to " + m.channel + " is a dead letter: " + why);
}

DeliveryCounts Deliverer::deliver_due() {
    std::lock_guard<std::mutex> lock(mutex_);
    DeliveryCounts counts;
    const std::int64_t now = clock_();
    const std::string token = lease_token();
    std::vector<Sent> sent;
    std::int64_t settled_at = now;
    for (const auto& m : store_.claim(now, settings_.lease_ms, settings_.batch, token)) {
        const transport::Endpoint* endpoint = settings_.channel(m.channel);
        const int attempt = m.attempts + 1;
        if (endpoint == nullptr) {
            const std::string error = "channel '" + m.channel + "' is no longer configured";
            store_.together([&] {
                store_.record_attempt(m.id, attempt, clock_(), 0, "permanent", error, 0);
                store_.mark_dead(m, attempt, error);
            });
            ++counts.dead;
            continue;
        }
        // Earlier sends of the batch took time: once a quarter of the lease is
        // gone, hold it afresh for this one, or leave it to whoever took over.
        if (clock_() - now > settings_.lease_ms / 4 &&
            !store_.renew(m, clock_() + settings_.lease_ms)) {
            ++counts.lost;
            continue;
        }
        if (is_robot(endpoint->kind) && settings_.robot_per_minute > 0) {
            auto& recent = recent_sends_[endpoint->name];
            const std::int64_t t = clock_();
            while (!recent.empty() && recent.front() <= t - kMinuteMs) {
                recent.pop_front();
            }
            if (static_cast<int>(recent.size()) >= settings_.robot_per_minute) {
                store_.release(m, recent.front() + kMinuteMs);
                ++counts.paced;
                continue;
            }
            recent.push_back(t);
        }
        transport::OutgoingMessage out;
        out.id = m.message_id;
        out.title = m.title;
        out.markdown = m.body;
        out.payload_json = m.payload;
        // Signatures carry the real time: receivers check it against their clock.
        const auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
        out.timestamp_ms = wall;
        out.timestamp_s = wall / 1000;
        transport::SendOutcome outcome;
        try {
            outcome = sender_for(*endpoint)->send(out);
        } catch (const std::exception& e) {
            outcome.verdict = transport::Verdict::permanent;
            outcome.error = transport::redact(e.what());
        }
        sent.push_back({m, attempt, clock_(), std::move(outcome)});
        // Attempts are recorded and settled together, one transaction per
        // batch — sooner if the batch runs long, so no lease runs out first.
        if (clock_() - settled_at > settings_.lease_ms / 4) {
            flush(sent, counts);
            settled_at = clock_();
        }
    }
    flush(sent, counts);
    return counts;
}

void Deliverer::flush(std::vector<Sent>& sent, DeliveryCounts& counts) {
    if (sent.empty()) {
        return;
    }
    store_.together([&] {
        for (const auto& x : sent) {
            store_.record_attempt(x.message.id, x.attempt, x.after, x.outcome.http_status,
                                  verdict_name(x.outcome.verdict), x.outcome.error,
                                  x.outcome.duration_ms);
            settle(x.message, x.attempt, x.after, x.outcome, counts);
        }
    });
    sent.clear();
}

DeliveryWorker::DeliveryWorker(Deliverer& deliverer, int poll_ms)
    : deliverer_(deliverer), poll_ms_(std::max(10, poll_ms)) {}

DeliveryWorker::~DeliveryWorker() {
    stop();
}

void DeliveryWorker::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (thread_.joinable()) {
        return;
    }
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void DeliveryWorker::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void DeliveryWorker::wake() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        woken_ = true;
    }
    cv_.notify_all();
}

void DeliveryWorker::run() {
    for (;;) {
        DeliveryCounts counts;
        try {
            counts = deliverer_.deliver_due();
        } catch (...) {
            // The database may be busy or closing; the next round tries again.
        }
        std::unique_lock<std::mutex> lock(mutex_);
        if (stopping_) {
            return;
        }
        // A full batch means more may be waiting: go again at once.
        if (counts.delivered + counts.retried + counts.dead > 0 && !woken_) {
            continue;
        }
        cv_.wait_for(lock, std::chrono::milliseconds(poll_ms_),
                     [this] { return stopping_ || woken_; });
        woken_ = false;
        if (stopping_) {
            return;
        }
    }
}

}  // namespace rl::notify
