#include "metrics.h"

#include <rapidjson/document.h>

#include <cstdio>
#include <sstream>

namespace rl_server {

namespace {

// A label value: backslash, double quote and line feed escaped.
std::string label(const std::string& value) {
    std::string out;
    for (const char c : value) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string number(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%.6g", value);
    return buffer;
}

}  // namespace

void Metrics::Histogram::observe(double seconds) {
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) {
            ++buckets[i];
        }
    }
    ++count;
    sum += seconds;
}

void Metrics::record_request(const std::string& method, int status, double seconds) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++requests_[{method, status}];
    latency_[method].observe(seconds);
}

void Metrics::record_sweep(double seconds, bool ok) {
    std::lock_guard<std::mutex> lock(mutex_);
    sweep_.observe(seconds);
    last_sweep_seconds_ = seconds;
    sweep_failures_ += ok ? 0 : 1;
}

void Metrics::record_delivery(bool ok) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++delivery_runs_;
    delivery_failures_ += ok ? 0 : 1;
}

std::string Metrics::render(const std::string& outbox_status, int in_flight) const {
    std::ostringstream out;
    out << "# HELP rl_http_requests_in_flight API calls being answered now.\n"
        << "# TYPE rl_http_requests_in_flight gauge\n"
        << "rl_http_requests_in_flight " << in_flight << "\n";
    const auto histogram = [&out](const std::string& name, const std::string& labels,
                                  const Histogram& h) {
        const std::string sep = labels.empty() ? "" : ",";
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            out << name << "_bucket{" << labels << sep << "le=\"" << number(kBuckets[i]) << "\"} "
                << h.buckets[i] << "\n";
        }
        out << name << "_bucket{" << labels << sep << "le=\"+Inf\"} " << h.count << "\n";
        const std::string braces = labels.empty() ? "" : "{" + labels + "}";
        out << name << "_sum" << braces << " " << number(h.sum) << "\n";
        out << name << "_count" << braces << " " << h.count << "\n";
    };
    {
        std::lock_guard<std::mutex> lock(mutex_);
        out << "# HELP rl_http_requests_total HTTP requests by API method and status.\n"
            << "# TYPE rl_http_requests_total counter\n";
        for (const auto& [key, count] : requests_) {
            out << "rl_http_requests_total{method=\"" << label(key.first) << "\",status=\""
                << key.second << "\"} " << count << "\n";
        }
        out << "# HELP rl_http_request_duration_seconds Time to answer, by API method.\n"
            << "# TYPE rl_http_request_duration_seconds histogram\n";
        for (const auto& [method, h] : latency_) {
            histogram("rl_http_request_duration_seconds", "method=\"" + label(method) + "\"", h);
        }
        out << "# HELP rl_sweep_duration_seconds Duration of the reminder sweeps.\n"
            << "# TYPE rl_sweep_duration_seconds histogram\n";
        histogram("rl_sweep_duration_seconds", "", sweep_);
        out << "# HELP rl_sweep_last_duration_seconds Duration of the last reminder sweep.\n"
            << "# TYPE rl_sweep_last_duration_seconds gauge\n"
            << "rl_sweep_last_duration_seconds " << number(last_sweep_seconds_) << "\n"
            << "# HELP rl_sweep_failures_total Reminder sweeps that failed.\n"
            << "# TYPE rl_sweep_failures_total counter\n"
            << "rl_sweep_failures_total " << sweep_failures_ << "\n"
            << "# HELP rl_delivery_runs_total Delivery runs of the worker.\n"
            << "# TYPE rl_delivery_runs_total counter\n"
            << "rl_delivery_runs_total " << delivery_runs_ << "\n"
            << "# HELP rl_delivery_failures_total Delivery runs that failed.\n"
            << "# TYPE rl_delivery_failures_total counter\n"
            << "rl_delivery_failures_total " << delivery_failures_ << "\n";
    }
    rapidjson::Document status;
    status.Parse(outbox_status.data(), outbox_status.size());
    const bool known = !status.HasParseError() && status.IsObject();
    const auto gauge = [&](const char* name, const char* help, const char* field) {
        out << "# HELP " << name << " " << help << "\n# TYPE " << name << " gauge\n";
        if (known && status.HasMember(field) && status[field].IsNumber()) {
            out << name << " " << number(status[field].GetDouble()) << "\n";
        } else if (known && status.HasMember(field) && status[field].IsNull()) {
            out << name << " 0\n";
        }
    };
    gauge("rl_outbox_pending", "Messages waiting to be sent.", "pending");
    gauge("rl_outbox_in_flight", "Messages being sent (under a lease).", "in_flight");
    gauge("rl_outbox_dead", "Dead letters (failed for good).", "dead");
    gauge("rl_outbox_delivered", "Messages delivered.", "delivered");
    out << "# HELP rl_outbox_oldest_pending_age_seconds Age of the oldest pending message.\n"
        << "# TYPE rl_outbox_oldest_pending_age_seconds gauge\n";
    if (known && status.HasMember("oldest_pending_age_ms")) {
        const auto& age = status["oldest_pending_age_ms"];
        out << "rl_outbox_oldest_pending_age_seconds "
            << number(age.IsNumber() ? age.GetDouble() / 1000.0 : 0.0) << "\n";
    }
    out << "# HELP rl_plugin_up Whether the plugin answered notify.status for this scrape.\n"
        << "# TYPE rl_plugin_up gauge\nrl_plugin_up " << (known ? 1 : 0) << "\n";
    return out.str();
}

}  // namespace rl_server
