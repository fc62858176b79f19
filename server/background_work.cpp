#include "background_work.h"

#include <rapidjson/document.h>

#include <algorithm>

namespace rl_server {

BackgroundWork::BackgroundWork(Call call, Metrics& metrics, Poco::Logger& log,
                               std::chrono::milliseconds sweep_interval,
                               std::chrono::milliseconds deliver_interval)
    : call_(std::move(call)),
      metrics_(metrics),
      log_(log),
      sweep_interval_(sweep_interval),
      deliver_interval_(deliver_interval) {}

BackgroundWork::~BackgroundWork() {
    stop();
}

void BackgroundWork::start() {
    if (sweep_interval_.count() == 0 && deliver_interval_.count() == 0) {
        log_.information(
            "background work is off (work.sweep_interval_s and "
            "work.deliver_interval_ms are 0)");
        return;
    }
    thread_ = std::thread([this] { run(); });
}

void BackgroundWork::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void BackgroundWork::run() {
    using clock = std::chrono::steady_clock;
    // The first sweep runs at start: after downtime, one catch-up at once
    // (the plugin consolidates it), not a wait of a whole interval.
    auto next_sweep = clock::now();
    auto next_delivery = clock::now();
    for (;;) {
        const auto now = clock::now();
        if (sweep_interval_.count() > 0 && now >= next_sweep) {
            sweep();
            next_sweep = clock::now() + sweep_interval_;
        }
        if (deliver_interval_.count() > 0 && clock::now() >= next_delivery) {
            deliver();
            next_delivery = clock::now() + deliver_interval_;
        }
        auto until = clock::time_point::max();
        if (sweep_interval_.count() > 0) {
            until = std::min(until, next_sweep);
        }
        if (deliver_interval_.count() > 0) {
            until = std::min(until, next_delivery);
        }
        std::unique_lock<std::mutex> lock(mutex_);
        if (wake_.wait_until(lock, until, [this] { return stopping_; })) {
            return;
        }
    }
}

void BackgroundWork::sweep() {
    const auto started = std::chrono::steady_clock::now();
    bool ok = true;
    try {
        const std::string result = call_("notify.sweep");
        log_.information("reminder sweep: " + result);
    } catch (const std::exception& e) {
        ok = false;
        log_.error(std::string("reminder sweep failed (tried again at the next interval): ") +
                   e.what());
    }
    metrics_.record_sweep(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), ok);
}

void BackgroundWork::deliver() {
    bool ok = true;
    try {
        const std::string result = call_("notify.deliver");
        rapidjson::Document d;
        d.Parse(result.data(), result.size());
        const bool idle = d.IsObject() && d.HasMember("delivered") && d["delivered"].IsInt() &&
                          d["delivered"].GetInt() == 0 && d.HasMember("retried") &&
                          d["retried"].IsInt() && d["retried"].GetInt() == 0 &&
                          d.HasMember("dead") && d["dead"].IsInt() && d["dead"].GetInt() == 0;
        if (!idle) {
            log_.information("delivery: " + result);
        }
    } catch (const std::exception& e) {
        ok = false;
        log_.error(std::string("delivery failed (tried again at the next interval): ") + e.what());
    }
    metrics_.record_delivery(ok);
}

}  // namespace rl_server
