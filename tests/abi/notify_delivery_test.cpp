// Delivery of the outbox through the real plugin's C ABI against real
// loopback HTTP servers on 127.0.0.1 (no mocked HTTP layer): the receiver
// down, then back; 400 → dead letter → requeue; 500 then 200; 429 with
// Retry-After; a receive timeout; a server that closes its kept-alive
// connection after every response; retries exhausted; a wrong secret; and
// the outbox figures of notify.status. The plugin's clock is fixed and moved
// forward past next_attempt_at between notify.deliver calls (worker off).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "abi_test_helpers.h"
#include "message_receiver.h"
#include "plugin_host.h"
#include "reform_ledger.h"
#include "support/test_support.h"

using oa_stub::PluginError;
using oa_stub::PluginHost;
using rl::test::TempDir;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)

const std::string kOtherSecret = "whsec_YW5vdGhlciBzZWNyZXQgdGhhdCBkb2VzIG5vdCBtYXRjaCBhdCBhbGw=";
constexpr int kDepartments = 16;
// A port nothing listens on: bound by the kernel, then closed.
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        throw std::runtime_error("cannot bind a socket on 127.0.0.1");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

// ------------------------------------------------------------ a scripted HTTP/1.1 server

struct Request {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    int connection = 0;  // which accepted connection it came on (1, 2, …)
    std::string header(const std::string& name) const {
        const auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct Reply {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body = "{\"ok\":true}";
    bool close_after = false;  // close the connection after answering, without saying so
    int hang_ms = 0;           // > 0: answer nothing, close after this long (or on stop)
    int delay_ms = 0;          // > 0: answer only after this long (cut short on stop)
};

// Plain sockets, so the test controls exactly when a connection closes or
// stays silent. Every loop is bounded by the stop flag and a time limit.
class ScriptedServer {
public:
    using Handler = std::function<Reply(const Request&)>;

    explicit ScriptedServer(Handler handler, int port = 0) : handler_(std::move(handler)) {
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        const int one = 1;
        ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(listen_fd_, 16) != 0) {
            ::close(listen_fd_);
            throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port));
        }
        socklen_t len = sizeof addr;
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    ~ScriptedServer() { stop(); }
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;

    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/messages"; }
    std::vector<Request> requests() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return requests_;
    }
    int connections() const { return connections_; }

    void stop() {
        if (stopping_.exchange(true)) {
            return;
        }
        if (acceptor_.joinable()) {
            acceptor_.join();
        }
        std::vector<std::thread> threads;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            threads.swap(threads_);
        }
        for (auto& t : threads) {
            t.join();
        }
        ::close(listen_fd_);
    }

private:
    static constexpr int kLimitMs = 30000;  // no connection lives longer

    void accept_loop() {
        while (!stopping_) {
            pollfd p{listen_fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) {
                continue;
            }
            const int fd = ::accept(listen_fd_, nullptr, nullptr);
            if (fd < 0) {
                continue;
            }
            const int n = ++connections_;
            std::lock_guard<std::mutex> lock(mutex_);
            threads_.emplace_back([this, fd, n] { serve(fd, n); });
        }
    }

    // Reads into buffer until it holds a whole request; false on EOF, error, stop or time out.
    bool read_request(int fd, std::string& buffer, Request& out) {
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(kLimitMs);
        std::size_t header_end = std::string::npos;
        std::size_t length = 0;
        while (!stopping_ && std::chrono::steady_clock::now() < deadline) {
            if (header_end == std::string::npos) {
                header_end = buffer.find("\r\n\r\n");
                if (header_end != std::string::npos) {
                    parse_head(buffer.substr(0, header_end), out);
                    const std::string cl = out.header("content-length");
                    length = cl.empty() ? 0 : static_cast<std::size_t>(std::stoul(cl));
                }
            }
            if (header_end != std::string::npos && buffer.size() >= header_end + 4 + length) {
                out.body = buffer.substr(header_end + 4, length);
                buffer.erase(0, header_end + 4 + length);
                return true;
            }
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) {
                continue;
            }
            char chunk[4096];
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0) {
                return false;
            }
            buffer.append(chunk, static_cast<std::size_t>(n));
        }
        return false;
    }

    static void parse_head(const std::string& head, Request& out) {
        std::size_t pos = head.find("\r\n");
        const std::string line = head.substr(0, pos);
        const auto sp1 = line.find(' ');
        const auto sp2 = line.find(' ', sp1 + 1);
        out.method = line.substr(0, sp1);
        out.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
        while (pos != std::string::npos && pos < head.size()) {
            const std::size_t start = pos + 2;
            pos = head.find("\r\n", start);
            const std::string h =
                head.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
            const auto colon = h.find(':');
            if (colon == std::string::npos) {
                continue;
            }
            std::string name = h.substr(0, colon);
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            std::size_t v = colon + 1;
            while (v < h.size() && h[v] == ' ') {
                ++v;
            }
            out.headers[name] = h.substr(v);
        }
    }

    static const char* reason(int status) {
        switch (status) {
            case 200:
                return "OK";
            case 400:
                return "Bad Request";
            case 401:
                return "Unauthorized";
            case 429:
                return "Too Many Requests";
            case 500:
                return "Internal Server Error";
            case 503:
                return "Service Unavailable";
        }
        return "Status";
    }

    static void send_all(int fd, const std::string& data) {
        std::size_t sent = 0;
        for (int i = 0; i < 1000 && sent < data.size(); ++i) {
            const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) {
                return;
            }
            sent += static_cast<std::size_t>(n);
        }
    }

    void serve(int fd, int connection) {
        std::string buffer;
        for (int i = 0; i < 1000 && !stopping_; ++i) {
            Request r;
            r.connection = connection;
            if (!read_request(fd, buffer, r)) {
                break;
            }
            {
                std::lock_guard<std::mutex> lock(mutex_);
                requests_.push_back(r);
            }
            const Reply reply = handler_(r);
            if (reply.hang_ms > 0) {
                const auto until =
                    std::chrono::steady_clock::now() + std::chrono::milliseconds(reply.hang_ms);
                while (!stopping_ && std::chrono::steady_clock::now() < until) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                }
                break;
            }
            if (reply.delay_ms > 0) {
                const auto until =
                    std::chrono::steady_clock::now() + std::chrono::milliseconds(reply.delay_ms);
                while (!stopping_ && std::chrono::steady_clock::now() < until) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                }
            }
            std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " " +
                              reason(reply.status) + "\r\nContent-Type: application/json\r\n" +
                              "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
            for (const auto& [name, value] : reply.headers) {
                out += name + ": " + value + "\r\n";
            }
            out += "\r\n" + reply.body;
            send_all(fd, out);
            if (reply.close_after) {
                break;
            }
        }
        ::shutdown(fd, SHUT_RDWR);
        ::close(fd);
    }

    Handler handler_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_{0};
    std::thread acceptor_;
    mutable std::mutex mutex_;
    std::vector<std::thread> threads_;
    std::vector<Request> requests_;
};

// Checks signatures and de-duplicates exactly as the stub's receiver does
// (its verify/accept, without its server), for the scripted servers.
class Verifier {
public:
    // 200 for a good signature (recorded once per id), 401 otherwise.
    Reply accept(const Request& r) {
        const std::string why =
            receiver_.verify(r.header("webhook-id"), r.header("webhook-timestamp"),
                             r.header("webhook-signature"), r.body);
        if (!why.empty()) {
            receiver_.count_rejection();
            Reply reply;
            reply.status = 401;
            reply.body = "{\"error\":" + q(why) + "}";
            return reply;
        }
        receiver_.accept({r.header("webhook-id"), r.header("webhook-timestamp"), r.body, "", ""});
        return Reply{};
    }
    const oa_stub::MessageReceiver& receiver() const { return receiver_; }

private:
    oa_stub::MessageReceiver receiver_{kSecret};
};

// ------------------------------------------------------------ the fixture

std::string config_json(const std::string& db, const std::string& notifications_json) {
    return "{\"database\":" + rl::test::database_json(db) +
           ",\"org_chart\":" + rl::test::demo_org_chart_json() +
           ",\"options\":{\"reporting\":{\"cycle\":\"monthly\",\"due_working_day\":5}}"
           ",\"notifications\":" +
           notifications_json + "}";
}

// Only 刑庭's reminder goes out: one message per sweep.
const std::string kOnlyXingting = "\"routes\":{\"default\":[],\"departments\":{\"刑庭\":[\"oa\"]}}";

struct Channel {
    std::string url;
    std::string secret = kSecret;
    int receive_ms = 10000;
    int max_attempts = 8;
    std::string routes;  // "" or a "routes" member
    int lease_ms = 60000;
    bool worker = false;  // the plugin's delivery thread (polling every 50 ms)
};

std::string notifications(const Channel& c) {
    return "{\"channels\":[{\"name\":\"oa\",\"kind\":\"webhook\",\"url\":" + q(c.url) +
           ",\"secret\":" + q(c.secret) +
           ",\"timeouts\":{\"connect_ms\":1000,\"send_ms\":2000,\"receive_ms\":" +
           std::to_string(c.receive_ms) +
           "}}],\"retry\":{\"max_attempts\":" + std::to_string(c.max_attempts) +
           ",\"base_ms\":100,\"max_ms\":1000},\"worker\":{\"enabled\":" +
           (c.worker ? "true,\"poll_ms\":50" : "false") +
           ",\"lease_ms\":" + std::to_string(c.lease_ms) + "}" +
           (c.routes.empty() ? "" : "," + c.routes) + "}";
}

class NotifyDeliveryAbi : public ::testing::Test {
protected:
    // Plugin at 2019-11-08 09:00 with the seed imported and swept: 刑庭 and
    // the other departments are one working day late.
    void open(const Channel& channel) {
        open_plugin(host_, kNov8, config_json(db_, notifications(channel)));
        const Doc s = parse_json(host_.call("notify.sweep"));
        queued_ = num(s, "messages_queued");
        ASSERT_GT(queued_, 0) << dump(s);
        ASSERT_EQ(num(s, "deferred"), 0);
    }
    Doc deliver(std::int64_t at) {
        host_.set_clock(at);
        return parse_json(host_.call("notify.deliver"));
    }
    Doc status(std::int64_t at) {
        host_.set_clock(at);
        return parse_json(host_.call("notify.status"));
    }
    Doc dead() { return parse_json(host_.call("notify.dead")); }
    rl::test::SqlRows sql(const std::string& query) { return rl::test::sql_rows(db_, query, true); }
    int sql_int(const std::string& query) { return std::stoi(sql(query).at(0).at(0)); }
    std::set<std::string> stored_ids() {
        std::set<std::string> ids;
        for (const auto& row : sql("SELECT message_id FROM notifications")) {
            ids.insert(row[0]);
        }
        return ids;
    }

    TempDir dir_;
    std::string db_ = dir_.file("ledger.db");
    int queued_ = 0;
    PluginHost host_{RL_LOG_ERROR};  // dead letters are expected here: no warnings
};

// ------------------------------------------------------------ receiver down, then back

TEST_F(NotifyDeliveryAbi, ReceiverDownRetriesThenReceiverBackEveryMessageArrivesExactlyOnce) {
    const int port = free_port();
    Channel c;
    c.url = "http://127.0.0.1:" + std::to_string(port) + "/messages";
    open(c);
    ASSERT_EQ(queued_, kDepartments);

    // Down: connection refused, every message retried with backoff.
    const Doc first = deliver(kNov8);
    EXPECT_EQ(num(first, "retried"), kDepartments) << dump(first);
    EXPECT_EQ(num(first, "delivered"), 0);
    EXPECT_EQ(num(first, "dead"), 0);
    const Doc still = deliver(kNov8);
    EXPECT_EQ(num(still, "retried"), 0) << "nothing is due before its backoff: " << dump(still);
    const Doc second = deliver(kNov8 + 5000);
    EXPECT_EQ(num(second, "retried"), kDepartments) << dump(second);
    const Doc s = status(kNov8 + 5000);
    EXPECT_EQ(num(s, "pending"), kDepartments);
    EXPECT_EQ(num(s, "delivered"), 0);
    for (const auto& row : sql("SELECT last_error, attempts FROM notifications")) {
        EXPECT_TRUE(contains(row[0], "connection refused")) << row[0];
        EXPECT_EQ(row[1], "2");
    }

    // Back, on the same port.
    oa_stub::MessageReceiver receiver(kSecret, port);
    receiver.start();
    int delivered = 0;
    for (int i = 0; i < 10 && delivered < kDepartments; ++i) {
        delivered += num(deliver(kNov8 + 20000 + i * 5000), "delivered");
    }
    EXPECT_EQ(delivered, kDepartments);
    const auto arrivals = receiver.arrivals();
    EXPECT_EQ(arrivals.size(), static_cast<std::size_t>(kDepartments));
    std::set<std::string> ids;
    for (const auto& a : arrivals) {
        ids.insert(a.id);
    }
    EXPECT_EQ(ids, stored_ids()) << "every queued message arrived";
    EXPECT_EQ(receiver.duplicates(), 0);
    EXPECT_EQ(receiver.rejected(), 0);
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM delivery_attempts"), 3 * kDepartments)
        << "every attempt is recorded";
    const Doc after = status(kNov8 + 80000);
    EXPECT_EQ(num(after, "delivered"), kDepartments);
    EXPECT_EQ(num(after, "pending"), 0);
    receiver.stop();
}

// ------------------------------------------------------------ 400 → dead letter

TEST_F(NotifyDeliveryAbi, Http400IsADeadLetterWithItsLastErrorAndRequeueThenDelivers) {
    std::atomic<bool> good{false};
    Verifier verifier;
    ScriptedServer server([&](const Request& r) {
        if (!good) {
            Reply reply;
            reply.status = 400;
            reply.body = "{\"error\":\"payload rejected\"}";
            return reply;
        }
        return verifier.accept(r);
    });
    Channel c;
    c.url = server.url();
    open(c);
    ASSERT_EQ(queued_, kDepartments);
    const Doc d = deliver(kNov8);
    EXPECT_EQ(num(d, "dead"), kDepartments) << dump(d);
    EXPECT_EQ(num(d, "retried"), 0) << "400 is permanent";
    EXPECT_EQ(server.requests().size(), static_cast<std::size_t>(kDepartments));

    const Doc letters = dead();
    ASSERT_EQ(arr(letters, "dead").Size(), static_cast<rapidjson::SizeType>(kDepartments));
    const Val& first = arr(letters, "dead")[0];
    EXPECT_TRUE(contains(str(first, "last_error"), "HTTP 400")) << dump(first);
    EXPECT_TRUE(contains(str(first, "last_error"), "payload rejected")) << dump(first);
    EXPECT_EQ(num(first, "attempts"), 1);
    EXPECT_EQ(str(first, "channel"), "oa");
    EXPECT_FALSE(contains(dump(letters), kSecret)) << "no secret in dead letters";
    EXPECT_EQ(num(status(kNov8), "dead"), kDepartments);
    // Dead letters are not retried on their own.
    EXPECT_EQ(num(deliver(kNov8 + 3600000), "delivered"), 0);

    // Requeue one, with a good server behind the same URL.
    good = true;
    const std::int64_t id = at(first, "id").GetInt64();
    const std::string first_message = str(first, "message_id");
    const Doc rq = parse_json(host_.call("notify.requeue", "{\"id\":" + std::to_string(id) + "}"));
    EXPECT_EQ(num(rq, "requeued"), 1);
    const Doc one = deliver(kNov8 + 3600000);
    EXPECT_EQ(num(one, "delivered"), 1) << dump(one);
    auto arrivals = verifier.receiver().arrivals();
    ASSERT_EQ(arrivals.size(), 1u);
    EXPECT_EQ(arrivals[0].id, first_message) << "the same message id after requeue";
    EXPECT_EQ(num(status(kNov8 + 3600000), "dead"), kDepartments - 1);
    // A requeued id that is no longer dead is not found.
    try {
        host_.call("notify.requeue", "{\"id\":" + std::to_string(id) + "}");
        ADD_FAILURE() << "requeue of a delivered message succeeded";
    } catch (const PluginError& e) {
        EXPECT_EQ(e.status(), RL_ERR_NOT_FOUND) << e.what();
    }
    // The rest, all at once.
    const Doc all = parse_json(host_.call("notify.requeue", "{\"all\":true}"));
    EXPECT_EQ(num(all, "requeued"), kDepartments - 1);
    int delivered = 0;
    for (int i = 0; i < 5 && delivered < kDepartments - 1; ++i) {
        delivered += num(deliver(kNov8 + 3600000 + i), "delivered");
    }
    EXPECT_EQ(delivered, kDepartments - 1);
    arrivals = verifier.receiver().arrivals();
    EXPECT_EQ(arrivals.size(), static_cast<std::size_t>(kDepartments));
    EXPECT_EQ(verifier.receiver().duplicates(), 0);
    EXPECT_EQ(verifier.receiver().rejected(), 0);
    EXPECT_EQ(arr(dead(), "dead").Size(), 0u);
    server.stop();
}

TEST_F(NotifyDeliveryAbi, RequeueNeedsExactlyOneOfIdOrAll) {
    Channel c;
    c.url = "http://127.0.0.1:" + std::to_string(free_port()) + "/messages";
    open(c);
    for (const char* request : {"{}", "{\"id\":1,\"all\":true}", "{\"id\":0}", "{\"id\":\"x\"}"}) {
        try {
            host_.call("notify.requeue", request);
            ADD_FAILURE() << request << " was accepted";
        } catch (const PluginError& e) {
            EXPECT_EQ(e.status(), RL_ERR_INVALID_ARGUMENT) << request << ": " << e.what();
        }
    }
    try {
        host_.call("notify.requeue", "{\"id\":999}");
        ADD_FAILURE() << "an unknown dead letter was requeued";
    } catch (const PluginError& e) {
        EXPECT_EQ(e.status(), RL_ERR_NOT_FOUND) << e.what();
    }
}

// ------------------------------------------------------------ 500, then 200

TEST_F(NotifyDeliveryAbi, Http500ThenOkIsDeliveredOnTheSecondAttemptWithTheSameMessageId) {
    Verifier verifier;
    std::mutex mutex;
    std::set<std::string> failed_once;
    ScriptedServer server([&](const Request& r) {
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (failed_once.insert(r.header("webhook-id")).second) {
                Reply reply;
                reply.status = 500;
                reply.body = "{\"error\":\"try later\"}";
                return reply;
            }
        }
        return verifier.accept(r);
    });
    Channel c;
    c.url = server.url();
    open(c);
    const Doc first = deliver(kNov8);
    EXPECT_EQ(num(first, "retried"), queued_) << dump(first);
    EXPECT_EQ(num(first, "delivered"), 0);
    EXPECT_EQ(num(deliver(kNov8), "retried"), 0) << "not before the backoff";
    const Doc second = deliver(kNov8 + 2000);
    EXPECT_EQ(num(second, "delivered"), queued_) << dump(second);
    EXPECT_EQ(verifier.receiver().arrivals().size(), static_cast<std::size_t>(queued_));
    EXPECT_EQ(verifier.receiver().rejected(), 0);
    // Both attempts carried the same id, also as Idempotency-Key.
    std::map<std::string, int> attempts_of;
    for (const auto& r : server.requests()) {
        ++attempts_of[r.header("webhook-id")];
        EXPECT_EQ(r.header("idempotency-key"), r.header("webhook-id"));
        EXPECT_EQ(r.method, "POST");
    }
    EXPECT_EQ(attempts_of.size(), static_cast<std::size_t>(queued_));
    for (const auto& [id, n] : attempts_of) {
        EXPECT_EQ(n, 2) << id;
    }
    const auto rows =
        sql("SELECT n.message_id, a.attempt, a.http_status, a.verdict FROM delivery_attempts a"
            " JOIN notifications n ON n.id = a.notification_id ORDER BY n.id, a.attempt");
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(2 * queued_));
    EXPECT_EQ(rows[0][1], "1");
    EXPECT_EQ(rows[0][2], "500");
    EXPECT_EQ(rows[0][3], "retry");
    EXPECT_EQ(rows[1][1], "2");
    EXPECT_EQ(rows[1][2], "200");
    EXPECT_EQ(rows[1][3], "delivered");
    for (const auto& row : sql("SELECT status, attempts FROM notifications")) {
        EXPECT_EQ(row[0], "delivered");
        EXPECT_EQ(row[1], "2");
    }
    server.stop();
}

// ------------------------------------------------------------ 429 with Retry-After

TEST_F(NotifyDeliveryAbi, Http429WithRetryAfterTwoSecondsWaitsTwoSecondsBeforeTheNextAttempt) {
    Verifier verifier;
    std::atomic<int> seen{0};
    ScriptedServer server([&](const Request& r) {
        if (seen++ == 0) {
            Reply reply;
            reply.status = 429;
            reply.headers = {{"Retry-After", "2"}};
            reply.body = "{\"error\":\"slow down\"}";
            return reply;
        }
        return verifier.accept(r);
    });
    Channel c;
    c.url = server.url();
    c.routes = kOnlyXingting;
    open(c);
    ASSERT_EQ(queued_, 1);
    const Doc first = deliver(kNov8);
    EXPECT_EQ(num(first, "retried"), 1) << dump(first);
    // The backoff alone would allow a retry after at most 100 ms.
    const Doc early = deliver(kNov8 + 1000);
    EXPECT_EQ(num(early, "delivered") + num(early, "retried"), 0) << dump(early);
    EXPECT_EQ(server.requests().size(), 1u) << "nothing sent 1 s later";
    const Doc later = deliver(kNov8 + 2100);
    EXPECT_EQ(num(later, "delivered"), 1) << dump(later);
    EXPECT_EQ(server.requests().size(), 2u);
    EXPECT_EQ(verifier.receiver().arrivals().size(), 1u);
    const auto rows = sql("SELECT http_status FROM delivery_attempts ORDER BY id");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0][0], "429");
    server.stop();
}

// ------------------------------------------------------------ a receive timeout

TEST_F(NotifyDeliveryAbi, AReceiveTimeoutIsRetriedAndThenDelivered) {
    Verifier verifier;
    std::atomic<int> seen{0};
    ScriptedServer server([&](const Request& r) {
        if (seen++ == 0) {
            Reply silent;
            silent.hang_ms = 3000;  // longer than the 300 ms receive timeout
            return silent;
        }
        return verifier.accept(r);
    });
    Channel c;
    c.url = server.url();
    c.routes = kOnlyXingting;
    c.receive_ms = 300;
    open(c);
    ASSERT_EQ(queued_, 1);
    const auto started = std::chrono::steady_clock::now();
    const Doc first = deliver(kNov8);
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(num(first, "retried"), 1) << dump(first);
    EXPECT_LT(took, std::chrono::milliseconds(2500)) << "the receive timeout cut the wait short";
    EXPECT_TRUE(contains(sql("SELECT last_error FROM notifications")[0][0], "timeout"))
        << sql("SELECT last_error FROM notifications")[0][0];
    const Doc second = deliver(kNov8 + 2000);
    EXPECT_EQ(num(second, "delivered"), 1) << dump(second);
    EXPECT_EQ(verifier.receiver().arrivals().size(), 1u);
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].header("webhook-id"), requests[1].header("webhook-id"));
    server.stop();
}

// ------------------------------------------------------------ a dropped kept-alive connection

TEST_F(NotifyDeliveryAbi, AServerClosingTheKeptAliveConnectionAfterEachResponseGetsEverything) {
    Verifier verifier;
    ScriptedServer server([&](const Request& r) {
        Reply reply = verifier.accept(r);
        reply.close_after = true;  // no "Connection: close": the client finds out by itself
        return reply;
    });
    Channel c;
    c.url = server.url();
    open(c);
    ASSERT_EQ(queued_, kDepartments);
    int delivered = 0;
    for (int i = 0; i < 5 && delivered < kDepartments; ++i) {
        delivered += num(deliver(kNov8 + i * 5000), "delivered");
    }
    EXPECT_EQ(delivered, kDepartments);
    const auto arrivals = verifier.receiver().arrivals();
    EXPECT_EQ(arrivals.size(), static_cast<std::size_t>(kDepartments));
    EXPECT_EQ(verifier.receiver().duplicates(), 0);
    EXPECT_EQ(verifier.receiver().rejected(), 0);
    EXPECT_GE(server.connections(), kDepartments) << "a fresh connection for every message";
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notifications WHERE attempts <> 1"), 0)
        << "a dropped idle connection is retried afresh within the same attempt";
    server.stop();
}

TEST_F(NotifyDeliveryAbi, AKeptAliveConnectionIsReusedForTheWholeBatch) {
    Verifier verifier;
    ScriptedServer server([&](const Request& r) { return verifier.accept(r); });
    Channel c;
    c.url = server.url();
    open(c);
    EXPECT_EQ(num(deliver(kNov8), "delivered"), kDepartments);
    EXPECT_EQ(server.connections(), 1);
    EXPECT_EQ(verifier.receiver().arrivals().size(), static_cast<std::size_t>(kDepartments));
    server.stop();
}

// ------------------------------------------------------------ exhausted, wrong secret

TEST_F(NotifyDeliveryAbi, RetriesExhaustedMakeADeadLetterSayingHowManyAttempts) {
    ScriptedServer server([](const Request&) {
        Reply reply;
        reply.status = 503;
        reply.body = "{\"error\":\"maintenance\"}";
        return reply;
    });
    Channel c;
    c.url = server.url();
    c.routes = kOnlyXingting;
    c.max_attempts = 3;
    open(c);
    int dead_count = 0;
    for (int i = 0; i < 10 && dead_count == 0; ++i) {
        dead_count += num(deliver(kNov8 + i * 5000), "dead");
    }
    EXPECT_EQ(dead_count, 1);
    EXPECT_EQ(server.requests().size(), 3u);
    const Doc letters = dead();
    ASSERT_EQ(arr(letters, "dead").Size(), 1u);
    const std::string error = str(arr(letters, "dead")[0], "last_error");
    EXPECT_TRUE(contains(error, "gave up after 3 attempts")) << error;
    EXPECT_TRUE(contains(error, "HTTP 503")) << error;
    EXPECT_EQ(num(arr(letters, "dead")[0], "attempts"), 3);
    server.stop();
}

TEST_F(NotifyDeliveryAbi, AWrongSecretIsRejectedByTheReceiverAndTheMessageIsADeadLetter) {
    oa_stub::MessageReceiver receiver(kSecret);
    receiver.start();
    Channel c;
    c.url = receiver.url();
    c.secret = kOtherSecret;
    c.routes = kOnlyXingting;
    open(c);
    EXPECT_EQ(num(deliver(kNov8), "dead"), 1);
    EXPECT_EQ(receiver.rejected(), 1);
    EXPECT_TRUE(receiver.arrivals().empty());
    const std::string error = str(arr(dead(), "dead")[0], "last_error");
    EXPECT_TRUE(contains(error, "HTTP 401")) << error;
    EXPECT_FALSE(contains(error, kOtherSecret)) << error;
    receiver.stop();
}

// ------------------------------------------------------------ recorded before, settled right after

TEST_F(NotifyDeliveryAbi, EachAttemptIsRecordedBeforeItIsSentAndSettledBeforeTheNextIsSent) {
    // What the database says while each request is on the wire (read on the
    // receiving side, on its own connection).
    std::mutex mutex;
    std::vector<std::string> seen;  // per request: "<id> <attempt row> | <settled before it>"
    Verifier verifier;
    ScriptedServer server([&](const Request& r) {
        const std::string id = r.header("webhook-id");
        const auto mine = rl::test::sql_rows(
            db_,
            "SELECT a.attempt || ':' || a.verdict || ':' || n.status || ':' || n.attempts"
            " FROM delivery_attempts a JOIN notifications n ON n.id = a.notification_id"
            " WHERE n.message_id = '" +
                id + "'",
            true);
        const auto others = rl::test::sql_rows(
            db_,
            "SELECT COUNT(*) FROM delivery_attempts a JOIN notifications n"
            " ON n.id = a.notification_id WHERE n.message_id <> '" +
                id + "' AND (a.verdict <> 'delivered' OR n.status <> 'delivered')",
            true);
        {
            std::lock_guard<std::mutex> lock(mutex);
            seen.push_back(id + " " + (mine.size() == 1 ? mine[0][0] : "none") + " | " +
                           others.at(0).at(0));
        }
        return verifier.accept(r);
    });
    Channel c;
    c.url = server.url();
    open(c);
    ASSERT_EQ(queued_, kDepartments);
    EXPECT_EQ(num(deliver(kNov8), "delivered"), kDepartments);
    ASSERT_EQ(seen.size(), static_cast<std::size_t>(kDepartments));
    for (const auto& s : seen) {
        // Its attempt is recorded as begun (and counted), and every message
        // sent before it is settled, when it goes on the wire.
        EXPECT_TRUE(contains(s, " 1:sending:in_flight:1 | 0")) << s;
    }
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM delivery_attempts WHERE verdict = 'delivered'"),
              kDepartments);
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM delivery_attempts WHERE verdict <> 'delivered'"), 0);
    server.stop();
}

TEST_F(NotifyDeliveryAbi, AStoppedWorkerGivesBackAtOnceWhatItLeasedAndDidNotSend) {
    // Stopped (the host shuts down) with the first message of a round on the
    // wire, the worker settles that one and leaves every other message
    // pending with no lease and no attempt: nothing waits for a stopped
    // worker's lease to run out, and nothing it did not send is on record as
    // sent or interrupted. (A worker that leased a whole batch up front must
    // give back what it did not send.)
    std::mutex mutex;
    std::condition_variable cv;
    bool first_arrived = false, stopping = false;
    Verifier verifier;
    ScriptedServer server([&](const Request& r) {
        std::unique_lock<std::mutex> lock(mutex);
        if (!first_arrived) {
            first_arrived = true;
            cv.notify_all();
            cv.wait_for(lock, std::chrono::seconds(10), [&] { return stopping; });
            lock.unlock();
            // Let shutdown reach the worker while this message is on the wire.
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
        }
        return verifier.accept(r);
    });
    Channel c;
    c.url = server.url();
    c.worker = true;
    open(c);  // the sweep wakes the worker
    ASSERT_EQ(queued_, kDepartments);
    {
        std::unique_lock<std::mutex> lock(mutex);
        ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(20), [&] { return first_arrived; }))
            << "the worker sent nothing";
        stopping = true;
        cv.notify_all();
    }
    host_.shutdown();  // interrupts the round and joins the worker
    const int delivered = sql_int("SELECT COUNT(*) FROM notifications WHERE status = 'delivered'");
    EXPECT_GE(delivered, 1);
    EXPECT_LT(delivered, kDepartments) << "the stop came too late to leave anything unsent";
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notifications WHERE status = 'in_flight'"
                      " OR claim_token IS NOT NULL OR claimed_until IS NOT NULL"),
              0)
        << "a message is still leased by a stopped worker";
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notifications WHERE status = 'pending'"),
              kDepartments - delivered);
    // Only what was sent has an attempt, each settled.
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM delivery_attempts"), delivered);
    EXPECT_EQ(sql_int("SELECT COUNT(*) FROM delivery_attempts WHERE verdict = 'delivered'"),
              delivered);
    EXPECT_EQ(verifier.receiver().arrivals().size(), static_cast<std::size_t>(delivered));
    // What was given back goes at the next round, each once.
    PluginHost again{RL_LOG_ERROR};
    Channel off = c;
    off.worker = false;
    open_plugin(again, kNov8, config_json(db_, notifications(off)));
    again.set_clock(kNov8 + 1000);
    EXPECT_EQ(num(parse_json(again.call("notify.deliver")), "delivered"), kDepartments - delivered);
    again.shutdown();
    EXPECT_EQ(verifier.receiver().arrivals().size(), static_cast<std::size_t>(kDepartments));
    EXPECT_EQ(verifier.receiver().duplicates(), 0);
    server.stop();
}

// ------------------------------------------------------------ a busy database after the send

// Holds the database's write lock on its own connection for hold_ms, longer
// than the plugin's busy timeout (5 s), as a long import or a backup would
// (rl::test::hold_write_lock: on PostgreSQL a table lock writers wait for).
class WriteLockHolder {
public:
    WriteLockHolder(const std::string& db, int hold_ms) {
        thread_ = std::thread([this, db, hold_ms] {
            rl::test::hold_write_lock(db, hold_ms, held_);
            done_ = true;
        });
        while (!held_ && !done_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    ~WriteLockHolder() { thread_.join(); }
    WriteLockHolder(const WriteLockHolder&) = delete;
    WriteLockHolder& operator=(const WriteLockHolder&) = delete;
    bool held() const { return held_; }

private:
    std::atomic<bool> held_{false};
    std::atomic<bool> done_{false};
    std::thread thread_;
};

TEST_F(NotifyDeliveryAbi, ABusyDatabaseAfterASendIsWaitedOutNeverTurnedIntoAReSend) {
    Verifier verifier;
    std::unique_ptr<WriteLockHolder> lock;
    ScriptedServer server([&](const Request& r) {
        if (!lock) {
            lock = std::make_unique<WriteLockHolder>(db_, 6000);
        }
        return verifier.accept(r);
    });
    Channel c;
    c.url = server.url();
    c.routes = kOnlyXingting;
    open(c);
    ASSERT_EQ(queued_, 1);
    Doc d;
    try {
        d = deliver(kNov8);
    } catch (const PluginError& e) {
        FAIL() << "notify.deliver failed on a busy database after the send: " << e.what();
    }
    ASSERT_TRUE(lock && lock->held()) << "the database was not locked during the send";
    EXPECT_EQ(num(d, "delivered"), 1) << dump(d);
    EXPECT_EQ(sql("SELECT status FROM notifications")[0][0], "delivered");
    EXPECT_EQ(sql("SELECT verdict FROM delivery_attempts")[0][0], "delivered");
    // Nothing is left to send again, however late the next round.
    EXPECT_EQ(num(deliver(kNov8 + 3600000), "delivered"), 0);
    EXPECT_EQ(server.requests().size(), 1u);
    EXPECT_EQ(verifier.receiver().duplicates(), 0);
    lock.reset();
    server.stop();
}

// ------------------------------------------------------------ notify.status

TEST_F(NotifyDeliveryAbi, StatusCountsPendingDeliveredDeadAndTheOldestPendingAge) {
    std::atomic<int> mode{0};  // 0: refuse (400) 刑庭's; 1: accept everything
    Verifier verifier;
    ScriptedServer server([&](const Request& r) {
        if (mode == 0 && contains(r.body, "\"id\":\"刑庭\"")) {
            Reply reply;
            reply.status = 400;
            return reply;
        }
        return verifier.accept(r);
    });
    Channel c;
    c.url = server.url();
    open(c);
    const Doc fresh = status(kNov8 + 60000);
    EXPECT_EQ(num(fresh, "pending"), kDepartments);
    EXPECT_EQ(num(fresh, "in_flight"), 0);
    EXPECT_EQ(num(fresh, "delivered"), 0);
    EXPECT_EQ(num(fresh, "dead"), 0);
    EXPECT_EQ(at(fresh, "oldest_pending_age_ms").GetInt64(), 60000) << dump(fresh);
    EXPECT_FALSE(at(fresh, "worker").GetBool());
    ASSERT_EQ(arr(fresh, "channels").Size(), 1u);
    EXPECT_EQ(str(arr(fresh, "channels")[0], "kind"), "webhook");

    deliver(kNov8 + 60000);
    const Doc after = status(kNov8 + 120000);
    EXPECT_EQ(num(after, "pending"), 0) << dump(after);
    EXPECT_EQ(num(after, "in_flight"), 0);
    EXPECT_EQ(num(after, "delivered"), kDepartments - 1);
    EXPECT_EQ(num(after, "dead"), 1);
    EXPECT_EQ(at(after, "oldest_pending_age_ms").GetInt64(), 0);
    EXPECT_FALSE(contains(dump(after), kSecret));
    server.stop();
}

}  // namespace
