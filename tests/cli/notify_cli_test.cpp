// The notification commands of oa-stub as an operator runs them: the real
// executable and plugin, a SQLite file in a temporary folder, real loopback
// sockets on 127.0.0.1. The central case: a delivery process (oa-stub serve)
// SIGKILLed while its sends are in flight; after the lease expires,
// `oa-stub notify deliver` sends every queued message and the receiver (the
// stub's MessageReceiver, run by a second `oa-stub serve`) gets each
// webhook-id exactly once. Also `oa-stub demo` run once and twice, and
// `oa-stub notify status|requeue`.
#include <gtest/gtest.h>

// First: it makes rapidjson throw, and must precede any other rapidjson include.
#include "cli/oa_stub_helpers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/test_support.h"

namespace {

using rl::test::CommandResult;
using rl::test::shell_quote;
using rl::test::oa_stub::command_line;
using rl::test::oa_stub::describe;
using rl::test::oa_stub::OaStubFixture;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

rapidjson::Document json_of(const CommandResult& r) {
    rapidjson::Document doc;
    doc.Parse(r.out.data(), r.out.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        throw std::runtime_error("stdout is not a JSON object:\n" + describe(r));
    }
    return doc;
}

std::string read_or_empty(const std::string& path) {
    try {
        return rl::test::read_file(path);
    } catch (const std::exception&) {
        return "";
    }
}

const std::string kSecret = "whsec_cmVmb3JtLWxlZGdlciBub3RpZnkgdGVzdHM6IGEgMzIrIGJ5dGUgc2VjcmV0";

// A port nothing listens on: bound by the kernel, then closed.
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        throw std::runtime_error("cannot bind a socket on 127.0.0.1");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

// Accepts connections on 127.0.0.1, reads each request and never answers
// (until stopped): a send to it stays in flight.
class HangingServer {
public:
    HangingServer() {
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        const int one = 1;
        ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(listen_fd_, 16) != 0) {
            ::close(listen_fd_);
            throw std::runtime_error("cannot listen on 127.0.0.1");
        }
        socklen_t len = sizeof addr;
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    ~HangingServer() { stop(); }
    HangingServer(const HangingServer&) = delete;
    HangingServer& operator=(const HangingServer&) = delete;

    int port() const { return port_; }
    std::vector<std::string> ids() const {  // webhook-id of each request read
        std::lock_guard<std::mutex> lock(mutex_);
        return ids_;
    }
    void stop() {
        if (stopping_.exchange(true)) {
            return;
        }
        acceptor_.join();
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
    void accept_loop() {
        while (!stopping_) {
            pollfd p{listen_fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) {
                continue;
            }
            const int fd = ::accept(listen_fd_, nullptr, nullptr);
            if (fd >= 0) {
                std::lock_guard<std::mutex> lock(mutex_);
                threads_.emplace_back([this, fd] { hold(fd); });
            }
        }
    }

    // Reads the request head, records its webhook-id, then stays silent.
    void hold(int fd) {
        std::string buffer;
        bool recorded = false;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        while (!stopping_ && std::chrono::steady_clock::now() < deadline) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) {
                continue;
            }
            char chunk[4096];
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0) {
                break;  // the client went away (killed)
            }
            buffer.append(chunk, static_cast<std::size_t>(n));
            const auto end = buffer.find("\r\n\r\n");
            if (!recorded && end != std::string::npos) {
                recorded = true;
                std::string id;
                std::istringstream head(buffer.substr(0, end));
                for (std::string line; std::getline(head, line);) {
                    if (line.size() > 11 && (line.compare(0, 11, "webhook-id:") == 0 ||
                                             line.compare(0, 11, "Webhook-Id:") == 0)) {
                        id = line.substr(11);
                        id.erase(0, id.find_first_not_of(' '));
                        id.erase(id.find_last_not_of("\r ") + 1);
                    }
                }
                std::lock_guard<std::mutex> lock(mutex_);
                ids_.push_back(id);
            }
        }
        ::shutdown(fd, SHUT_RDWR);
        ::close(fd);
    }

    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::thread acceptor_;
    mutable std::mutex mutex_;
    std::vector<std::thread> threads_;
    std::vector<std::string> ids_;
};

// A receiver on 127.0.0.1 that counts what arrives by webhook-id (HTTP/1.1,
// kept-alive connections). It answers 200 at once — or 500 to the first
// attempt of every id while fail_first is set — except the request it is told
// to hold: that one it reads whole, reports, and never answers, so the sender
// can be killed while it is on the wire.
class CountingReceiver {
public:
    CountingReceiver() {
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        const int one = 1;
        ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(listen_fd_, 16) != 0) {
            ::close(listen_fd_);
            throw std::runtime_error("cannot listen on 127.0.0.1");
        }
        socklen_t len = sizeof addr;
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    ~CountingReceiver() { stop(); }
    CountingReceiver(const CountingReceiver&) = delete;
    CountingReceiver& operator=(const CountingReceiver&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/messages"; }
    // Holds the n-th request (1 for the first ever received), unanswered.
    void hold(int n) {
        std::lock_guard<std::mutex> lock(mutex_);
        hold_at_ = n;
        holding_ = false;
    }
    void fail_first(bool on) { fail_first_ = on; }
    // True once the held request has arrived whole.
    bool holding() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return holding_;
    }
    std::vector<std::string> ids() const {  // webhook-id of every request, in order
        std::lock_guard<std::mutex> lock(mutex_);
        return ids_;
    }
    void stop() {
        if (stopping_.exchange(true)) {
            return;
        }
        acceptor_.join();
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
    void accept_loop() {
        while (!stopping_) {
            pollfd p{listen_fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) {
                continue;
            }
            const int fd = ::accept(listen_fd_, nullptr, nullptr);
            if (fd >= 0) {
                std::lock_guard<std::mutex> lock(mutex_);
                threads_.emplace_back([this, fd] { serve(fd); });
            }
        }
    }

    static std::string header(const std::string& head, const std::string& name) {
        std::istringstream lines(head);
        for (std::string line; std::getline(lines, line);) {
            if (line.size() > name.size() &&
                strncasecmp(line.c_str(), name.c_str(), name.size()) == 0 &&
                line[name.size()] == ':') {
                std::string value = line.substr(name.size() + 1);
                value.erase(0, value.find_first_not_of(' '));
                value.erase(value.find_last_not_of("\r ") + 1);
                return value;
            }
        }
        return "";
    }

    void serve(int fd) {
        std::string buffer;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        bool held = false;
        while (!stopping_ && std::chrono::steady_clock::now() < deadline) {
            const auto end = buffer.find("\r\n\r\n");
            if (!held && end != std::string::npos) {
                const std::string head = buffer.substr(0, end);
                const std::string length = header(head, "content-length");
                const std::size_t size = end + 4 + (length.empty() ? 0 : std::stoul(length));
                if (buffer.size() >= size) {
                    buffer.erase(0, size);
                    const std::string id = header(head, "webhook-id");
                    int status = 200;
                    {
                        std::lock_guard<std::mutex> lock(mutex_);
                        const bool seen = std::find(ids_.begin(), ids_.end(), id) != ids_.end();
                        ids_.push_back(id);
                        if (static_cast<int>(ids_.size()) == hold_at_) {
                            holding_ = held = true;
                        } else if (fail_first_ && !seen) {
                            status = 500;
                        }
                    }
                    if (!held) {
                        const std::string reply =
                            "HTTP/1.1 " + std::to_string(status) +
                            (status == 200 ? " OK" : " Internal Server Error") +
                            "\r\nContent-Type: application/json\r\n"
                            "Content-Length: 2\r\n\r\n{}";
                        ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
                    }
                    continue;
                }
            }
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) {
                continue;
            }
            char chunk[8192];
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0) {
                break;  // the client went away (killed, or done)
            }
            if (!held) {
                buffer.append(chunk, static_cast<std::size_t>(n));
            }
        }
        ::shutdown(fd, SHUT_RDWR);
        ::close(fd);
    }

    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> fail_first_{false};
    std::thread acceptor_;
    mutable std::mutex mutex_;
    std::vector<std::thread> threads_;
    std::vector<std::string> ids_;
    int hold_at_ = 0;
    bool holding_ = false;
};

// An oa-stub process in the background (fork + exec, its own pid); killed
// with SIGKILL and reaped on destruction if still running.
class Background {
public:
    Background(const std::vector<std::string>& args, const std::string& out_file,
               const std::string& err_file)
        : out_(out_file), err_(err_file) {
        const std::string cmd = "exec " + command_line(args) + " >" + shell_quote(out_file) +
                                " 2>" + shell_quote(err_file) + " </dev/null";
        pid_ = ::fork();
        if (pid_ == 0) {
            ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        if (pid_ < 0) {
            throw std::runtime_error("fork failed");
        }
    }
    ~Background() {
        if (running()) {
            ::kill(pid_, SIGKILL);
            wait_exit(10000);
        }
    }
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;

    pid_t pid() const { return pid_; }
    bool running() {
        if (reaped_) {
            return false;
        }
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            reaped_ = true;
            status_ = status;
            return false;
        }
        return r == 0;
    }
    // Waits up to timeout_ms for the process to end; true if it did.
    bool wait_exit(int timeout_ms) {
        for (int waited = 0; waited <= timeout_ms; waited += 20) {
            if (!running()) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }
    int raw_status() const { return status_; }
    std::string out() const { return read_or_empty(out_); }
    std::string err() const { return read_or_empty(err_); }
    std::string describe() const {
        return "--- background stdout ---\n" + out().substr(0, 4000) +
               "\n--- background stderr ---\n" + err().substr(0, 4000);
    }

private:
    std::string out_;
    std::string err_;
    pid_t pid_ = -1;
    bool reaped_ = false;
    int status_ = 0;
};

// Polls until done() or timeout_ms; true if done.
bool eventually(const std::function<bool()>& done, int timeout_ms) {
    for (int waited = 0; waited <= timeout_ms; waited += 50) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
}

int count_of(const std::string& text, const std::string& what) {
    int n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) {
        ++n;
    }
    return n;
}

// "  received msg_… → …" lines of oa-stub serve/demo: the ids.
std::vector<std::string> received_ids(const std::string& output) {
    std::vector<std::string> ids;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);) {
        const std::string marker = "  received ";
        if (line.compare(0, marker.size(), marker) == 0) {
            const std::string rest = line.substr(marker.size());
            ids.push_back(rest.substr(0, rest.find(' ')));
        }
    }
    return ids;
}

// The notifications part of oa-stub demo's output, for failure messages.
std::string demo_tail(const CommandResult& r) {
    const auto from = r.out.find("Reminders as of");
    return "exit " + std::to_string(r.status) + "\n--- stdout (from the reminders) ---\n" +
           (from == std::string::npos ? r.out.substr(0, 1500) : r.out.substr(from, 1500)) +
           "\n--- stderr ---\n" + r.err;
}

const std::string kDemoOrgChart = std::string(RL_DEMO_DIR) + "/org-chart.json";
constexpr const char* kOptions =
    "{\"lead_rule\":\"first_listed\",\"reporting\":{\"cycle\":\"monthly\",\"due_working_day\":5}}";

class NotifyCli : public OaStubFixture {
protected:
    std::set<std::string> stored_ids() {
        std::set<std::string> ids;
        for (const auto& row :
             rl::test::sql_rows(db_, "SELECT message_id FROM notifications", true)) {
            ids.insert(row[0]);
        }
        return ids;
    }
};

// ------------------------------------------------------------ SIGKILL mid-send

TEST_F(NotifyCli, ADeliveryProcessKilledMidSendDeliversEveryMessageOnceAfterTheLeaseExpires) {
    HangingServer hanging;
    const int channel_port = hanging.port();
    const int serve_port = free_port();
    const std::string config = dir_.file("config.json");
    rl::test::write_file(
        config,
        "{\"org_chart\":" +
            rl::test::oa_stub::to_json(rapidjson::Value(
                kDemoOrgChart.c_str(), static_cast<rapidjson::SizeType>(kDemoOrgChart.size()))) +
            ",\"options\":" + kOptions + ",\"receiver\":{\"port\":" + std::to_string(serve_port) +
            ",\"secret\":\"" + kSecret +
            "\"},\"notifications\":{\"channels\":[{\"name\":\"oa\",\"kind\":\"webhook\","
            "\"url\":\"http://127.0.0.1:" +
            std::to_string(channel_port) + "/messages\",\"secret\":\"" + kSecret +
            "\",\"timeouts\":{\"connect_ms\":300,\"send_ms\":300,\"receive_ms\":1000}}],"
            "\"retry\":{\"max_attempts\":8,\"base_ms\":100,\"max_ms\":1000},"
            "\"worker\":{\"enabled\":true,\"poll_ms\":100,\"batch\":100,\"lease_ms\":2000}}}");
    {
        const CommandResult r = run(
            {"--config", config, "plan", "import", "--user", "u-sigaiban-contact", RL_SEED_PLAN});
        ASSERT_EQ(r.status, 0) << describe(r);
    }

    // The delivery process: sweeps (at 2019-11-08 09:00) and sends on its own thread.
    Background serve({"--db", db_, "--config", config, "--now", "2019-11-08T09:00", "serve",
                      "--port", std::to_string(serve_port), "--sweep-every", "1"},
                     dir_.file("serve.out"), dir_.file("serve.err"));
    ASSERT_TRUE(eventually([&] { return !hanging.ids().empty() || !serve.running(); }, 30000))
        << "no send reached the hanging server\n"
        << serve.describe();
    ASSERT_TRUE(serve.running()) << serve.describe();
    // The sweep commits in slices, so the worker may send its first messages
    // before the sweep has finished and printed what it did.
    EXPECT_TRUE(eventually([&] { return contains(serve.out(), "Sweep of 2019-11-08"); }, 30000))
        << serve.describe();

    // Killed after the commit, during the send.
    ASSERT_EQ(::kill(serve.pid(), SIGKILL), 0);
    ASSERT_TRUE(serve.wait_exit(10000));
    EXPECT_TRUE(WIFSIGNALED(serve.raw_status()));
    const std::string in_flight_id = hanging.ids().at(0);

    const CommandResult killed =
        run({"--config", config, "--now", "2019-11-08T09:00", "notify", "status", "--json"});
    ASSERT_EQ(killed.status, 0) << describe(killed);
    const auto s = json_of(killed);
    const int total = static_cast<int>(stored_ids().size());
    EXPECT_GT(total, 1);
    EXPECT_GE(s["in_flight"].GetInt(), 1) << describe(killed);
    EXPECT_EQ(s["pending"].GetInt() + s["in_flight"].GetInt(), total) << describe(killed);
    EXPECT_EQ(s["delivered"].GetInt(), 0);
    EXPECT_EQ(stored_ids().count(in_flight_id), 1u) << in_flight_id;

    // The endpoint comes back as the stub's receiver, on the channel's port.
    hanging.stop();
    const std::string receiver_config = dir_.file("receiver.json");
    rl::test::write_file(
        receiver_config,
        "{\"org_chart\":" +
            rl::test::oa_stub::to_json(rapidjson::Value(
                kDemoOrgChart.c_str(), static_cast<rapidjson::SizeType>(kDemoOrgChart.size()))) +
            ",\"receiver\":{\"port\":" + std::to_string(channel_port) + ",\"secret\":\"" + kSecret +
            "\"}}");
    Background receiver(
        {"--db", dir_.file("receiver.db"), "--config", receiver_config, "serve", "--port",
         std::to_string(channel_port), "--sweep-every", "0", "--seconds", "60"},
        dir_.file("receiver.out"), dir_.file("receiver.err"));
    ASSERT_TRUE(eventually(
        [&] { return contains(receiver.out(), "Receiving at") || !receiver.running(); }, 20000))
        << receiver.describe();
    ASSERT_TRUE(receiver.running()) << receiver.describe();

    // After the 1 s lease (plugin time moves on a minute; the wall clock 1.2 s).
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    const CommandResult delivered =
        run({"--config", config, "--now", "2019-11-08T09:01", "notify", "deliver"});
    ASSERT_EQ(delivered.status, 0) << describe(delivered);
    EXPECT_TRUE(contains(delivered.out, "Delivered " + std::to_string(total)))
        << describe(delivered);

    ASSERT_TRUE(eventually([&] { return count_of(receiver.out(), "  received ") >= total; }, 10000))
        << receiver.describe();
    ASSERT_EQ(::kill(receiver.pid(), SIGTERM), 0);
    ASSERT_TRUE(receiver.wait_exit(10000)) << receiver.describe();
    const std::string out = receiver.out();
    const auto ids = received_ids(out);
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(total)) << out;
    const std::set<std::string> unique(ids.begin(), ids.end());
    EXPECT_EQ(unique.size(), ids.size()) << "an id arrived twice:\n" << out;
    EXPECT_EQ(unique, stored_ids()) << "every queued message arrived";
    EXPECT_EQ(unique.count(in_flight_id), 1u);
    EXPECT_TRUE(
        contains(out, "Receiver: " + std::to_string(total) + " messages, 0 duplicates, 0 rejected"))
        << out;

    const CommandResult after =
        run({"--config", config, "--now", "2019-11-08T09:02", "notify", "status", "--json"});
    ASSERT_EQ(after.status, 0) << describe(after);
    const auto a = json_of(after);
    EXPECT_EQ(a["delivered"].GetInt(), total) << describe(after);
    EXPECT_EQ(a["pending"].GetInt(), 0);
    EXPECT_EQ(a["in_flight"].GetInt(), 0);
    EXPECT_EQ(a["dead"].GetInt(), 0);
}

// ------------------------------------------------------------ SIGKILL, again and again

// A webhook channel to url with small timeouts, a 1 s lease and room for the
// whole outbox in one batch; the stub's own receiver on receiver_port.
std::string delivery_config(const std::string& url, int receiver_port) {
    const std::string chart = rl::test::oa_stub::to_json(rapidjson::Value(
        kDemoOrgChart.c_str(), static_cast<rapidjson::SizeType>(kDemoOrgChart.size())));
    return "{\"org_chart\":" + chart + ",\"options\":" + kOptions +
           ",\"receiver\":{\"port\":" + std::to_string(receiver_port) + ",\"secret\":\"" + kSecret +
           "\"},\"notifications\":{\"channels\":[{\"name\":\"oa\",\"kind\":\"webhook\","
           "\"url\":\"" +
           url + "\",\"secret\":\"" + kSecret +
           "\",\"timeouts\":{\"connect_ms\":200,\"send_ms\":200,\"receive_ms\":500}}],"
           "\"retry\":{\"max_attempts\":8,\"base_ms\":100,\"max_ms\":1000},"
           "\"worker\":{\"enabled\":true,\"poll_ms\":100,\"batch\":100,\"lease_ms\":1000}}}";
}

TEST_F(NotifyCli, DeliveriesKilledMidSendReSendAtMostTheMessageOnTheWireAndRecordEveryAttempt) {
    CountingReceiver receiver;
    const std::string config = dir_.file("config.json");
    rl::test::write_file(config, delivery_config(receiver.url(), free_port()));
    {
        const CommandResult r =
            run({"--config", config, "plan", "import", RL_SEED_PLAN, "--user", "u-sigaiban-head"});
        ASSERT_EQ(r.status, 0) << describe(r);
        const CommandResult swept =
            run({"--config", config, "--now", "2019-11-08T09:00", "notify", "sweep"});
        ASSERT_EQ(swept.status, 0) << describe(swept);
    }
    const std::set<std::string> queued = stored_ids();
    ASSERT_GT(queued.size(), 10u);

    // Each round a fresh `oa-stub notify deliver`, one host-clock minute after
    // the last (the 1 s lease of the killed one has run out): two messages
    // arrive and are answered, the third is on the wire when SIGKILL comes.
    constexpr int kKills = 3;
    for (int round = 1; round <= kKills; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const std::string now = "2019-11-08T09:0" + std::to_string(round);
        receiver.hold(static_cast<int>(receiver.ids().size()) + 3);
        Background deliver({"--db", db_, "--config", config, "--now", now, "notify", "deliver"},
                           dir_.file("deliver.out"), dir_.file("deliver.err"));
        ASSERT_TRUE(eventually([&] { return receiver.holding() || !deliver.running(); }, 30000))
            << "nothing reached the receiver\n"
            << deliver.describe();
        ASSERT_TRUE(receiver.holding()) << "the delivery ended before its third send\n"
                                        << deliver.describe();
        ASSERT_EQ(::kill(deliver.pid(), SIGKILL), 0);
        ASSERT_TRUE(deliver.wait_exit(10000));
        EXPECT_TRUE(WIFSIGNALED(deliver.raw_status()));

        // Exactly the message on the wire is in flight, its attempt begun, its
        // lease the configured second (worker.lease_ms) from the host's clock.
        const auto in_flight = rl::test::sql_rows(
            db_,
            "SELECT n.message_id, n.claimed_until, a.verdict FROM notifications n"
            " JOIN delivery_attempts a ON a.notification_id = n.id AND a.attempt = n.attempts"
            " WHERE n.status = 'in_flight'",
            true);
        ASSERT_EQ(in_flight.size(), 1u);
        EXPECT_EQ(in_flight[0][0], receiver.ids().back());
        EXPECT_EQ(in_flight[0][2], "sending");
        EXPECT_EQ(std::stoll(in_flight[0][1]),
                  1573174800000LL + round * 60000LL + 1000)  // 09:0N court time + 1 s
            << "the lease is worker.lease_ms from the host clock";
    }

    // The last round runs to the end.
    receiver.hold(0);
    const CommandResult last =
        run({"--config", config, "--now", "2019-11-08T09:05", "notify", "deliver"});
    ASSERT_EQ(last.status, 0) << describe(last);

    const auto ids = receiver.ids();
    std::map<std::string, int> times;
    for (const auto& id : ids) {
        ++times[id];
    }
    std::set<std::string> arrived;
    int duplicates = 0;
    for (const auto& [id, n] : times) {
        arrived.insert(id);
        duplicates += n - 1;
        EXPECT_LE(n, 2) << id << " arrived " << n << " times";
    }
    EXPECT_EQ(arrived, queued) << "nothing lost";
    EXPECT_LE(duplicates, kKills) << "at most one duplicate per kill";
    const auto status = json_of(run({"--config", config, "notify", "status", "--json"}));
    EXPECT_EQ(status["delivered"].GetInt(), static_cast<int>(queued.size()));
    EXPECT_EQ(status["in_flight"].GetInt(), 0);
    EXPECT_EQ(status["pending"].GetInt(), 0);

    // Every send is an attempt on record, the killed ones as interrupted.
    std::map<std::string, int> attempts_of;  // message id → attempts on record
    std::map<std::string, int> verdicts;     // verdict → attempts
    for (const auto& row :
         rl::test::sql_rows(db_,
                            "SELECT n.message_id, a.verdict FROM delivery_attempts a"
                            " JOIN notifications n ON n.id = a.notification_id",
                            true)) {
        ++attempts_of[row[0]];
        ++verdicts[row[1]];
    }
    EXPECT_EQ(verdicts["interrupted"], kKills);
    EXPECT_EQ(verdicts["sending"], 0);
    EXPECT_EQ(verdicts["delivered"], static_cast<int>(queued.size()));
    for (const auto& [id, n] : times) {
        EXPECT_EQ(attempts_of[id], n) << id << ": every send has its attempt";
    }
}

// ------------------------------------------------------------ serve's clock runs

TEST_F(NotifyCli, ServeRetriesAFailedSendAsItsClockMovesOnFromNow) {
    CountingReceiver receiver;
    receiver.fail_first(true);
    const std::string config = dir_.file("config.json");
    const int serve_port = free_port();
    rl::test::write_file(config, delivery_config(receiver.url(), serve_port));
    {
        const CommandResult r =
            run({"--config", config, "plan", "import", RL_SEED_PLAN, "--user", "u-sigaiban-head"});
        ASSERT_EQ(r.status, 0) << describe(r);
    }
    // Queued first; serve (sweeping never) only delivers.
    const CommandResult swept =
        run({"--config", config, "--now", "2019-11-08T09:00", "notify", "sweep"});
    ASSERT_EQ(swept.status, 0) << describe(swept);
    const auto queued = stored_ids();
    ASSERT_GT(queued.size(), 1u);
    Background serve(
        {"--db", db_, "--config", config, "--now", "2019-11-08T09:00", "serve", "--port",
         std::to_string(serve_port), "--sweep-every", "0", "--seconds", "30"},
        dir_.file("serve.out"), dir_.file("serve.err"));
    // Every first attempt fails (500); the retries come due as the clock moves.
    EXPECT_TRUE(eventually(
        [&] { return receiver.ids().size() >= 2 * queued.size() || !serve.running(); }, 25000))
        << receiver.ids().size() << " requests\n"
        << serve.describe();
    ASSERT_EQ(::kill(serve.pid(), SIGTERM), 0);
    ASSERT_TRUE(serve.wait_exit(10000)) << serve.describe();
    std::map<std::string, int> times;
    for (const auto& id : receiver.ids()) {
        ++times[id];
    }
    EXPECT_EQ(times.size(), queued.size());
    for (const auto& [id, n] : times) {
        EXPECT_EQ(n, 2) << id;
    }
    const auto status = json_of(run({"--config", config, "notify", "status", "--json"}));
    EXPECT_EQ(status["delivered"].GetInt(), static_cast<int>(queued.size()));
}

// ------------------------------------------------------------ demo

TEST_F(NotifyCli, DemoShowsTheSignedMessagesItsReceiverGotWithNoneRejected) {
    const CommandResult r = run({"demo"});
    ASSERT_EQ(r.status, 0) << demo_tail(r);
    EXPECT_TRUE(contains(r.out, "Sweep of 2019-11-08")) << demo_tail(r);
    EXPECT_TRUE(contains(r.out, "(0 duplicates, 0 rejected)")) << demo_tail(r);
    const auto ids = received_ids(r.out);
    EXPECT_GT(ids.size(), 1u) << demo_tail(r);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
    EXPECT_TRUE(contains(r.out, "The stub's message centre received " + std::to_string(ids.size()) +
                                    " signed messages"))
        << demo_tail(r);
    EXPECT_TRUE(contains(r.out, "by the reform office: ok")) << demo_tail(r);
    EXPECT_TRUE(contains(r.out, "0 pending, 0 in flight")) << demo_tail(r);
}

TEST_F(NotifyCli, DemoRunTwiceTheSecondSweepQueuesNothingAndTheUrgeIsTooSoon) {
    const CommandResult first = run({"demo"});
    ASSERT_EQ(first.status, 0) << demo_tail(first);
    const CommandResult second = run({"demo"});
    ASSERT_EQ(second.status, 0) << demo_tail(second);
    // The same demo instant (2019-11-08 09:00) as the first run.
    EXPECT_TRUE(contains(second.out, "Sweep of 2019-11-08"));
    EXPECT_TRUE(contains(second.out, " 0 messages queued"));
    EXPECT_TRUE(contains(second.out, "by the reform office: too_soon"));
    EXPECT_TRUE(contains(second.out, "received 0 signed messages (0 duplicates, 0 rejected)"));
    if (HasFailure()) {
        ADD_FAILURE() << "the second demo run:\n" << demo_tail(second).substr(0, 1500);
    }
}

// ------------------------------------------------------------ status, sweep, requeue

TEST_F(NotifyCli, NotifySweepThenStatusJsonCountsTheQueuedMessages) {
    import_seed();
    const CommandResult swept = run({"--now", "2019-11-08T09:00", "notify", "sweep", "--json"});
    ASSERT_EQ(swept.status, 0) << describe(swept);
    const auto s = json_of(swept);
    const int queued = s["messages_queued"].GetInt();
    EXPECT_GT(queued, 1) << describe(swept);
    const CommandResult again = run({"--now", "2019-11-08T09:00", "notify", "sweep"});
    ASSERT_EQ(again.status, 0) << describe(again);
    EXPECT_TRUE(contains(again.out, " 0 messages queued")) << describe(again);

    const CommandResult status = run({"--now", "2019-11-08T09:30", "notify", "status", "--json"});
    ASSERT_EQ(status.status, 0) << describe(status);
    const auto st = json_of(status);
    EXPECT_EQ(st["pending"].GetInt(), queued);
    EXPECT_EQ(st["in_flight"].GetInt(), 0);
    EXPECT_EQ(st["delivered"].GetInt(), 0);
    EXPECT_EQ(st["dead"].GetInt(), 0);
    EXPECT_EQ(st["oldest_pending_age_ms"].GetInt64(), 30 * 60 * 1000) << describe(status);
    const CommandResult human = run({"--now", "2019-11-08T09:30", "notify", "status"});
    ASSERT_EQ(human.status, 0) << describe(human);
    EXPECT_TRUE(contains(human.out, std::to_string(queued) + " pending")) << describe(human);
    EXPECT_TRUE(contains(human.out, "oldest pending 1800 s")) << describe(human);
}

TEST_F(NotifyCli, RequeueWithNoDeadLettersRequeuesNothingAndAnUnknownIdFails) {
    import_seed();
    const CommandResult all = run({"notify", "requeue", "--all"});
    ASSERT_EQ(all.status, 0) << describe(all);
    EXPECT_TRUE(contains(all.out, "Requeued 0")) << describe(all);
    const CommandResult dead = run({"notify", "dead", "--json"});
    ASSERT_EQ(dead.status, 0) << describe(dead);
    EXPECT_EQ(json_of(dead)["dead"].Size(), 0u);
    const CommandResult unknown = run({"notify", "requeue", "999"});
    EXPECT_NE(unknown.status, 0) << describe(unknown);
    EXPECT_TRUE(contains(unknown.err, "999")) << describe(unknown);
}

}  // namespace
