#include "notify/deliverer.h"

#include <algorithm>
#include <chrono>

#include "core/calendar.h"
#include "notify/person_message.h"
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
        case transport::Verdict::throttled:
            return "throttled";
    }
    return "?";
}
std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        out += (out.empty() ? "" : "、") + n;
    }
    return out;
}

const char* user_id_key(const transport::Endpoint& endpoint) {
    return endpoint.kind == transport::ChannelKind::dingtalk_work_notice ? "dingtalk_userid"
                                                                         : "wecom_userid";
}
}  // namespace

Deliverer::Deliverer(storage::NotificationStore& store, const Settings& settings,
                     const core::OrgChart& org_chart, Clock clock, Log log)
    : store_(store),
      settings_(settings),
      org_chart_(org_chart),
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

std::int64_t Deliverer::pace(const transport::Endpoint& endpoint, std::int64_t now) {
    const int per_minute = endpoint.per_minute > 0   ? endpoint.per_minute
                           : is_robot(endpoint.kind) ? settings_.robot_per_minute
                                                     : 0;
    std::int64_t go = now;
    if (per_minute > 0) {
        // The attempts of the last minute on the channel, by every instance:
        // when there are per_minute of them, the next may go once the oldest
        // of the last per_minute has left the minute.
        const auto recent = store_.attempt_times_since(endpoint.name, now - kMinuteMs + 1);
        if (static_cast<int>(recent.size()) >= per_minute) {
            go = recent[recent.size() - static_cast<std::size_t>(per_minute)] + kMinuteMs;
        }
    }
    if (endpoint.per_day > 0) {
        // The court day's attempts on the channel, by every instance (and
        // before a restart).
        const core::Date today = core::Date::in_court_time(now);
        if (store_.attempts_since(endpoint.name, core::start_of_day_ms(today)) >=
            endpoint.per_day) {
            go = std::max(go, core::start_of_day_ms(today.plus_days(1)));
        }
    }
    return go;
}

void Deliverer::interrupt() {
    interrupted_ = true;
}

void Deliverer::resume() {
    interrupted_ = false;
}

DeliveryCounts Deliverer::deliver_due() {
    std::lock_guard<std::mutex> lock(mutex_);
    DeliveryCounts counts;
    // Due by the instant the round began: a message retried during the round
    // waits for a later one, even when the host's clock stands still.
    const std::int64_t due_by = clock_();
    const std::string token = lease_token();
    int taken = 0;
    bool first = true;
    std::optional<Sent> sent;
    for (;;) {
        Step step;
        commit(step, sent, [&](Step& s, bool take_more) {
            if (first) {
                store_.reclaim_expired(due_by);
            }
            if (sent) {
                settle(*sent, s);
            }
            if (take_more && !interrupted_) {
                take_next(due_by, token, settings_.batch - taken, s);
            }
        });
        first = false;
        taken += step.taken;
        counts.delivered += step.counts.delivered;
        counts.retried += step.counts.retried;
        counts.dead += step.counts.dead;
        counts.paced += step.counts.paced;
        counts.lost += step.counts.lost;
        for (const auto& [level, line] : step.log) {
            log_(level, line);
        }
        sent.reset();
        if (!step.next) {
            return counts;
        }
        sent = send(*step.next);
    }
}

void Deliverer::commit(Step& step, const std::optional<Sent>& sent,
                       const std::function<void(Step&, bool take_more)>& body) {
    const auto started = std::chrono::steady_clock::now();
    std::int64_t pause_ms = 20;
    for (int round = 1;; ++round) {
        step = Step{};
        try {
            // After a failure, only the outcome: the round ends with it.
            store_.together([&] { body(step, round == 1); });
            return;
        } catch (const std::exception& e) {
            if (!sent) {
                throw;
            }
            const std::string what = sent->attempt.message.message_id + " to " +
                                     sent->attempt.message.channel + " was sent, but recording " +
                                     "its outcome failed (" + transport::redact(e.what()) + ")";
            const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::steady_clock::now() - started)
                                    .count();
            if (interrupted_ || waited >= settings_.lease_ms) {
                log_(RL_LOG_ERROR, "notification " + what +
                                       "; it will be sent again (same id) when its lease runs out");
                throw;
            }
            if (round == 1) {
                log_(RL_LOG_WARNING, "notification " + what + "; trying again");
            }
            const auto until =
                std::chrono::steady_clock::now() +
                std::chrono::milliseconds(std::min(pause_ms, settings_.lease_ms - waited));
            while (!interrupted_ && std::chrono::steady_clock::now() < until) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            pause_ms = std::min<std::int64_t>(pause_ms * 2, 1000);
        }
    }
}

void Deliverer::take_next(std::int64_t due_by, const std::string& token, int room, Step& step) {
    while (step.taken < room) {
        const std::int64_t now = clock_();
        const auto claimed = store_.take(due_by, now + settings_.lease_ms, 1, token);
        if (claimed.empty()) {
            return;
        }
        ++step.taken;
        const storage::ClaimedMessage& m = claimed.front();
        const int number = m.attempts + 1;
        const transport::Endpoint* endpoint = settings_.channel(m.channel);
        if (endpoint == nullptr) {
            const std::string error = "channel '" + m.channel + "' is no longer configured";
            store_.record_attempt(m.id, number, now, 0, "permanent", error, 0);
            if (store_.mark_dead(m, number, error)) {
                ++step.counts.dead;
                step.log.emplace_back(
                    RL_LOG_WARNING, "notification " + m.message_id + " is a dead letter: " + error);
            } else {
                ++step.counts.lost;
            }
            continue;
        }
        const bool paced = (is_robot(endpoint->kind) && settings_.robot_per_minute > 0) ||
                           endpoint->per_minute > 0 || endpoint->per_day > 0;
        if (paced) {
            const std::int64_t go = pace(*endpoint, now);
            if (go > now) {
                store_.release(m, go);
                ++step.counts.paced;
                continue;
            }
        }
        const std::int64_t row = store_.begin_attempt(m, number, now, now + settings_.lease_ms);
        if (row == 0) {
            ++step.counts.lost;
            continue;
        }
        step.next = Attempt{m, endpoint, number, row};
        return;
    }
}

Deliverer::Sent Deliverer::send(const Attempt& attempt) {
    const storage::ClaimedMessage& m = attempt.message;
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
        std::vector<std::string> unreachable;
        if (transport::is_person_channel(attempt.endpoint->kind)) {
            const PersonMessage person =
                person_message(m.payload, attempt.endpoint->kind, org_chart_);
            unreachable = person.unreachable;
            if (person.user_ids.empty()) {
                // Kept as a dead letter, with the reason, rather than dropped: once the org
                // chart has the id, notify.requeue sends it.
                outcome.verdict = transport::Verdict::permanent;
                outcome.error = "nobody to send to on " +
                                std::string(transport::to_string(attempt.endpoint->kind)) + ": " +
                                join(unreachable) + " has no " + user_id_key(*attempt.endpoint) +
                                " in the org chart (add it to org_chart.people, then "
                                "notify.requeue)";
                return {attempt, clock_(), std::move(outcome)};
            }
            out.title = person.title;
            out.markdown = person.markdown;
            out.summary = person.summary;
            out.link = person.link;
            out.user_ids = person.user_ids;
        }
        outcome = sender_for(*attempt.endpoint)->send(out);
        if (!unreachable.empty() && outcome.verdict == transport::Verdict::delivered) {
            outcome.note += (outcome.note.empty() ? "" : "; ") + std::string("not sent to ") +
                            join(unreachable) + ": no " + user_id_key(*attempt.endpoint) +
                            " in the org chart";
        }
    } catch (const std::exception& e) {
        outcome.verdict = transport::Verdict::permanent;
        outcome.error = transport::redact(e.what());
    }
    return {attempt, clock_(), std::move(outcome)};
}

void Deliverer::settle(const Sent& sent, Step& step) {
    const storage::ClaimedMessage& m = sent.attempt.message;
    const int attempt = sent.attempt.number;
    const transport::SendOutcome& outcome = sent.outcome;
    store_.end_attempt(sent.attempt.row, outcome.http_status, verdict_name(outcome.verdict),
                       outcome.error, outcome.duration_ms);
    if (outcome.verdict == transport::Verdict::delivered) {
        if (store_.mark_delivered(m, attempt, sent.at)) {
            ++step.counts.delivered;
            if (!outcome.note.empty()) {
                step.log.emplace_back(RL_LOG_WARNING, "notification " + m.message_id + " to " +
                                                          m.channel + " was delivered, but " +
                                                          outcome.note);
            }
        } else {
            ++step.counts.lost;  // delivered, but another worker holds it now and settles it
        }
        return;
    }
    if (outcome.verdict == transport::Verdict::throttled) {
        // The platform asked us to slow down: try again later, and the attempt does not count
        // towards max_attempts (pacing never makes a dead letter).
        std::int64_t wait = outcome.retry_after_ms ? *outcome.retry_after_ms : kMinuteMs;
        if (outcome.quota_exhausted) {
            const core::Date today = core::Date::in_court_time(sent.at);
            wait = core::start_of_day_ms(today.plus_days(1)) - sent.at;
        }
        wait = std::clamp<std::int64_t>(wait, 1, std::int64_t{86400000} * 2);
        if (!store_.schedule_retry(m, m.attempts, sent.at + wait, outcome.error)) {
            ++step.counts.lost;
            return;
        }
        ++step.counts.paced;
        step.log.emplace_back(RL_LOG_INFO, "notification " + m.message_id + " to " + m.channel +
                                               ": the platform asked to slow down (" +
                                               outcome.error + "); trying again in " +
                                               std::to_string(wait) + " ms");
        return;
    }
    if (outcome.verdict == transport::Verdict::retry && attempt < settings_.max_attempts) {
        // At least a millisecond, so the round that sent it does not send it again;
        // Retry-After at most a day (or retry.max_ms if longer).
        const std::int64_t longest = std::max<std::int64_t>(settings_.retry_max_ms, 86400000);
        const std::int64_t wait = std::clamp<std::int64_t>(
            outcome.retry_after_ms ? *outcome.retry_after_ms : backoff_ms(attempt), 1, longest);
        if (!store_.schedule_retry(m, attempt, sent.at + wait, outcome.error)) {
            ++step.counts.lost;
            return;
        }
        ++step.counts.retried;
        step.log.emplace_back(RL_LOG_INFO, "notification " + m.message_id + " to " + m.channel +
                                               ": attempt " + std::to_string(attempt) +
                                               " failed (" + outcome.error + "); retrying in " +
                                               std::to_string(wait) + " ms");
        return;
    }
    const std::string why =
        outcome.verdict == transport::Verdict::retry
            ? "gave up after " + std::to_string(attempt) + " attempts: " + outcome.error
            : outcome.error;
    if (!store_.mark_dead(m, attempt, why)) {
        ++step.counts.lost;
        return;
    }
    ++step.counts.dead;
    step.log.emplace_back(RL_LOG_WARNING, "notification " + m.message_id + " to " + m.channel +
                                              " is a dead letter: " + why);
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
    deliverer_.resume();
    thread_ = std::thread([this] { run(); });
}

void DeliveryWorker::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    deliverer_.interrupt();  // after the message on the wire, not the whole batch
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
