// Delivery: notifications per second and per-notification latency from the
// plugin's outbox (notify.deliver through the ABI, worker disabled) to the
// stub host's loopback MessageReceiver, which verifies every signature — next
// to wrk against the same receiver with the same number of connections (one:
// the plugin keeps one kept-alive connection per channel) sending the same
// body, correctly signed.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "common.h"
#include "config.h"
#include "message_receiver.h"
#include "plugin_host.h"
#include "transport/http_sender.h"
#include "transport/signing.h"

namespace rl::bench {

namespace {

std::string find_program(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        const std::string candidate = dir + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
    }
    return "";
}

// Queues n copies of a real reminder (composed by a sweep) under fresh message
// ids, due now; everything else in the outbox is marked delivered.
void queue_copies(const std::string& db, const std::string& prefix, int n) {
    sql_exec(db,
             "UPDATE notifications SET status = 'delivered' WHERE status <> 'delivered';"
             "CREATE TEMP TABLE copied AS SELECT n.id FROM notifications n JOIN"
             " notification_contents c ON c.notification_id = n.id WHERE n.message_id NOT LIKE"
             " 'msg_bench%' ORDER BY length(c.payload) LIMIT 1 OFFSET"
             " (SELECT COUNT(*) / 2 FROM notifications WHERE message_id NOT LIKE 'msg_bench%');"
             "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < " +
                 std::to_string(n) +
                 ")"
                 " INSERT INTO notifications (message_id, channel, recipient, kind, urgent,"
                 " status, created_ms, deliver_after, next_attempt_at)"
                 " SELECT '" +
                 prefix +
                 "' || printf('%08d', k.i), n.channel, n.recipient, n.kind, n.urgent, 'pending',"
                 " n.created_ms, 0, 0 FROM k CROSS JOIN notifications n"
                 " WHERE n.id = (SELECT id FROM copied);"
                 "INSERT INTO notification_contents (notification_id, title, body, payload)"
                 " SELECT n.id, c.title, c.body, c.payload FROM notifications n CROSS JOIN"
                 " notification_contents c WHERE n.message_id LIKE '" +
                 prefix +
                 "%' AND c.notification_id = (SELECT id FROM copied);"
                 "DROP TABLE copied;");
}

double seconds_of(const std::string& value) {  // "48.00us", "1.20ms", "2.00s"
    const double v = std::atof(value.c_str());
    if (value.find("us") != std::string::npos) {
        return v * 1e-6;
    }
    if (value.find("ms") != std::string::npos) {
        return v * 1e-3;
    }
    if (value.find('m') != std::string::npos) {
        return v * 60;
    }
    return v;
}

struct WrkResult {
    double rps = 0, p50 = 0, p99 = 0;
    long long non_2xx = 0;
    std::string raw;
};

WrkResult parse_wrk(const std::string& out) {
    WrkResult r;
    r.raw = out;
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::string first, second;
        words >> first >> second;
        if (first == "50%") {
            r.p50 = seconds_of(second);
        } else if (first == "99%") {
            r.p99 = seconds_of(second);
        } else if (first == "Requests/sec:") {
            r.rps = std::atof(second.c_str());
        } else if (first == "Non-2xx") {
            r.non_2xx = std::atoll(line.substr(line.find(':') + 1).c_str());
        }
    }
    return r;
}

// The plugin's HTTP client alone: n notifications with the body the plugin
// sent, each with an id of its own and a fresh signature, to the same
// receiver through the channel the plugin was configured with, one after
// another over one kept-alive connection, no database. The ceiling of a
// delivery that records each attempt in the ledger. Returns notifications
// per second.
double sender_alone(const transport::Endpoint& endpoint, const std::string& body,
                    const std::string& prefix, int n) {
    transport::HttpSender sender(endpoint);
    const auto start = Clock::now();
    for (int i = 0; i < n; ++i) {
        transport::OutgoingMessage m;
        m.id = prefix + std::to_string(i);
        m.payload_json = body;
        m.timestamp_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        m.timestamp_s = m.timestamp_ms / 1000;
        const transport::SendOutcome outcome = sender.send(m);
        if (outcome.verdict != transport::Verdict::delivered) {
            throw std::runtime_error("the sender alone: " + m.id + " was not delivered (" +
                                     outcome.error + ")");
        }
    }
    return n / seconds_since(start);
}

}  // namespace

void bench_delivery(const Options& o, Table& t) {
    const int n = o.tiny ? 200 : 2000;
    const int n_latency = o.tiny ? 100 : 1000;
    progress("delivery: " + std::to_string(n) + " notifications");
    oa_stub::MessageReceiver receiver(kSecret);
    receiver.start();
    const std::string db = o.file("delivery.db");
    remove_database(db);
    {
        // Real reminders to copy: the seed plan's 2019-10 reports, overdue
        // (the sweep opens the month and queues them).
        oa_stub::PluginHost host(RL_LOG_ERROR);
        host.set_clock(court_ms(2019, 11, 4));
        host.load(o.plugin);
        host.create(plugin_config(o, db, receiver.url()));
        host.call("plan.import",
                  "{\"path\":" + json_string(o.seed_plan()) + ",\"actor\":\"service:rl-bench\"}");
        host.set_clock(court_ms(2019, 11, 8, 10));
        host.call("notify.sweep");
        host.shutdown();
    }

    // Throughput: the default batch (20 claimed per round), as the worker runs.
    const auto deliver_all = [&](const std::string& prefix) {
        queue_copies(db, prefix, n);
        oa_stub::PluginHost host(RL_LOG_ERROR);  // system clock: signatures are checked
        host.load(o.plugin);
        host.create(plugin_config(o, db, receiver.url()));
        int delivered = 0;
        const auto start = Clock::now();
        while (delivered < n) {
            const auto r = parse_json(host.call("notify.deliver"));
            const int d = r["delivered"].GetInt();
            if (d == 0) {
                throw std::runtime_error(
                    "notify.deliver made no progress: " + std::to_string(r["dead"].GetInt()) +
                    " dead, " + std::to_string(r["retried"].GetInt()) + " retried");
            }
            delivered += d;
        }
        const double rate = delivered / seconds_since(start);
        host.shutdown();
        return rate;
    };

    // Latency: one notification per notify.deliver (batch 1): claim, sign,
    // POST, the receiver's check, the attempt and the outcome recorded.
    queue_copies(db, "msg_bench_l", n_latency);
    std::vector<double> latency;
    {
        oa_stub::PluginHost host(RL_LOG_ERROR);
        host.load(o.plugin);
        host.create(plugin_config(o, db, receiver.url(), 1));
        for (int i = 0; i < n_latency; ++i) {
            const auto start = Clock::now();
            const std::string r = host.call("notify.deliver");
            latency.push_back(seconds_since(start));
            if (r.find("\"delivered\":1") == std::string::npos) {
                throw std::runtime_error("notify.deliver (batch 1): " + r);
            }
        }
        host.shutdown();
    }
    if (receiver.rejected() != 0) {
        throw std::runtime_error("the receiver rejected " + std::to_string(receiver.rejected()) +
                                 " of the plugin's notifications");
    }
    const auto arrivals = receiver.arrivals();
    if (static_cast<int>(arrivals.size()) < n_latency) {
        throw std::runtime_error("the receiver got " + std::to_string(arrivals.size()) +
                                 " notifications, expected " + std::to_string(n_latency));
    }

    const double p50 = percentile(latency, 50), p99 = percentile(latency, 99);
    const std::string wrk = find_program("wrk");
    const int rounds = o.tiny ? 1 : 3;
    std::vector<double> rates;
    if (wrk.empty()) {
        for (int i = 0; i < rounds; ++i) {
            rates.push_back(deliver_all("msg_bench_t" + std::to_string(i) + "_"));
        }
        t.add({"delivery: notifications/s (1 connection)", per_second(median(rates)),
               "wrk not installed", "", "-"});
        t.add({"  latency per notification p50 / p99",
               human_seconds(p50) + " / " + human_seconds(p99), "", "", "-"});
        receiver.stop();
        return;
    }
    // wrk: the same body, signed, with the plugin's headers, on one connection.
    // Rounds alternate the plugin and wrk so drift hits both alike.
    const std::string body = arrivals.back().body;
    const std::string id = "msg_bench_wrk";
    std::string level = "=";
    while (body.find("]" + level + "]") != std::string::npos) {
        level += "=";
    }
    const std::string script = o.file("wrk-post.lua");
    // The channel exactly as the plugin read it from its configuration.
    const Config config = parse_config(plugin_config(o, db, receiver.url()));
    const transport::Endpoint* channel = config.notifications.channel("oa");
    if (channel == nullptr) {
        throw std::runtime_error("the benchmark's configuration has no channel 'oa'");
    }
    std::vector<WrkResult> wrks;
    std::vector<double> alone;
    for (int i = 0; i < rounds; ++i) {
        progress("delivery: round " + std::to_string(i + 1) + "/" + std::to_string(rounds) +
                 ": plugin, its sender alone, then wrk against the same receiver");
        rates.push_back(deliver_all("msg_bench_t" + std::to_string(i) + "_"));
        alone.push_back(sender_alone(*channel, body, "msg_bench_s" + std::to_string(i) + "_", n));
        const auto ts = static_cast<std::int64_t>(std::time(nullptr));
        const std::string signature =
            rl::transport::standard_webhooks_signature(kSecret, id, ts, body);
        write_file(script,
                   "wrk.method = \"POST\"\n"
                   "wrk.body = [" +
                       level + "[" + body + "]" + level +
                       "]\n"
                       "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                       "wrk.headers[\"Accept\"] = \"application/json\"\n"
                       "wrk.headers[\"User-Agent\"] = \"reform-ledger-bench\"\n"
                       "wrk.headers[\"webhook-id\"] = \"" +
                       id +
                       "\"\n"
                       "wrk.headers[\"Idempotency-Key\"] = \"" +
                       id +
                       "\"\n"
                       "wrk.headers[\"webhook-timestamp\"] = \"" +
                       std::to_string(ts) +
                       "\"\n"
                       "wrk.headers[\"webhook-signature\"] = \"" +
                       signature + "\"\n");
        const auto run = run_process({wrk, "-t1", "-c1", o.tiny ? "-d1s" : "-d3s", "--latency",
                                      "-s", script, receiver.url()});
        wrks.push_back(parse_wrk(run.out));
        if (run.status != 0 || wrks.back().rps <= 0) {
            throw std::runtime_error("wrk failed: " + run.out + run.err);
        }
        if (wrks.back().non_2xx != 0 || receiver.rejected() != 0) {
            throw std::runtime_error("the receiver refused wrk's requests (" +
                                     std::to_string(wrks.back().non_2xx) + " non-2xx)");
        }
    }
    if (receiver.arrivals().size() < static_cast<std::size_t>(n_latency + 2 * rounds * n)) {
        throw std::runtime_error("the receiver got fewer notifications than were delivered");
    }
    const double throughput = median(rates);
    std::vector<double> w_rps, w_p50, w_p99;
    for (const auto& r : wrks) {
        w_rps.push_back(r.rps);
        w_p50.push_back(r.p50);
        w_p99.push_back(r.p99);
    }
    WrkResult w;
    w.rps = median(w_rps);
    w.p50 = median(w_p50);
    w.p99 = median(w_p99);
    receiver.stop();
    t.add({"delivery: notifications/s (notify.deliver, 1 connection)", per_second(throughput),
           per_second(w.rps) + " wrk -c1, same receiver; limit ≥ 0.7×",
           ratio_text(throughput / w.rps), throughput >= 0.7 * w.rps ? "yes" : "NO"});
    const double ceiling = median(alone);
    t.add({"  the plugin's sender alone (transport::HttpSender, no database)", per_second(ceiling),
           per_second(w.rps) + " wrk -c1, same receiver", ratio_text(ceiling / w.rps),
           ceiling < 0.7 * w.rps ? "below 0.7× itself" : "-"});
    t.add({"  latency per notification p50 / p99", human_seconds(p50) + " / " + human_seconds(p99),
           "wrk: " + human_seconds(w.p50) + " / " + human_seconds(w.p99),
           ratio_text(p50 / w.p50) + " / " + ratio_text(p99 / w.p99), "-"});
    t.note(
        "delivery: each notification is claimed, signed, POSTed and verified (HMAC) by "
        "oa-stub's MessageReceiver; wrk repeats one pre-signed request (the receiver "
        "verifies it each time, then treats it as a duplicate id); throughput: median of " +
        std::to_string(rounds) + (rounds == 1 ? " round of " : " rounds of ") + std::to_string(n) +
        " notifications alternating with " + (o.tiny ? "1" : "3") +
        " s of wrk; the sender alone: the plugin's HTTP client posting the same body with an id "
        "and a signature of its own each, " +
        std::to_string(n) +
        " a round in the same rounds, no database: what delivery would reach if recording "
        "each attempt cost nothing");
}

}  // namespace rl::bench
