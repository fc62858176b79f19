// Prometheus text exposition (version 0.0.4) of what the sidecar does: API
// requests by method and status, their latency, the reminder sweep's duration,
// and — read from the plugin when scraped — the outbox.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace rl_server {

class Metrics {
public:
    // One API call (method "" for requests outside /api/v1/{method}).
    void record_request(const std::string& method, int status, double seconds);
    void record_sweep(double seconds, bool ok);
    void record_delivery(bool ok);

    // The exposition; outbox_status is notify.status's JSON (or "" when the
    // plugin could not answer).
    // in_flight: API calls being answered now.
    std::string render(const std::string& outbox_status, int in_flight) const;

    static constexpr std::array<double, 12> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1,  0.25,
                                                        0.5,   1.0,  2.5,   5.0,  10.0, 30.0};

private:
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
        void observe(double seconds);
    };

    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, std::uint64_t> requests_;
    std::map<std::string, Histogram> latency_;
    Histogram sweep_;
    double last_sweep_seconds_ = 0;
    std::uint64_t sweep_failures_ = 0;
    std::uint64_t delivery_runs_ = 0;
    std::uint64_t delivery_failures_ = 0;
};

}  // namespace rl_server
