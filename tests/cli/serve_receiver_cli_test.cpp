// `oa-stub serve` as the OA message centre's stand-in, attacked over real
// loopback HTTP as a careless or hostile client would: a 200 MB body is
// refused (413) from its headers, unread, and the process does not grow with
// it; clients that send nothing or trickle their request a byte at a time are
// cut off, and a signed message from a well-behaved sender still arrives.
#include <gtest/gtest.h>

// First: it makes rapidjson throw, and must precede any other rapidjson include.
#include "cli/oa_stub_helpers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/raw_http.h"
#include "support/test_support.h"

namespace {

using rl::test::RawClient;
using rl::test::TempDir;

constexpr int kAnswerWithinMs = 20000;

// The receiver's secret in the demo configuration that oa-stub serve uses.
std::string demo_receiver_secret() {
    rapidjson::Document doc;
    const std::string text = rl::test::read_file(std::string(RL_DEMO_DIR) + "/config.json");
    doc.Parse(text.data(), text.size());
    return doc["receiver"]["secret"].GetString();
}

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

// `oa-stub --db DB serve --port PORT` in the background (its own pid, so its
// memory can be read), stopped with SIGTERM (then SIGKILL) on destruction.
class Serve {
public:
    explicit Serve(const TempDir& dir) : port_(free_port()), out_(dir.file("serve.out")) {
        std::vector<std::string> args = rl::test::oa_stub_arguments(
            {"--db", dir.file("ledger.db"), "serve", "--port", std::to_string(port_),
             "--sweep-every", "0", "--seconds", "600"});
        args.insert(args.begin(), RL_OA_STUB);
        pid_ = ::fork();
        if (pid_ == 0) {
            for (const char* name :
                 {"REFORM_LEDGER_DB", "REFORM_LEDGER_CONFIG", "REFORM_LEDGER_PLUGIN"}) {
                ::unsetenv(name);
            }
            const int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(out, 1);
            ::dup2(out, 2);
            std::vector<char*> argv;
            for (const auto& a : args) {
                argv.push_back(const_cast<char*>(a.c_str()));
            }
            argv.push_back(nullptr);
            ::execv(RL_OA_STUB, argv.data());
            ::_exit(127);
        }
        if (pid_ < 0) {
            throw std::runtime_error("fork failed");
        }
        for (int waited = 0; waited < 60000; waited += 50) {
            if (output().find("Receiving at") != std::string::npos) {
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        throw std::runtime_error("oa-stub serve did not start:\n" + output());
    }
    ~Serve() {
        ::kill(pid_, SIGTERM);
        for (int waited = 0; waited < 20000; waited += 50) {
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    Serve(const Serve&) = delete;
    Serve& operator=(const Serve&) = delete;

    int port() const { return port_; }
    bool running() const { return ::kill(pid_, 0) == 0; }
    std::string output() const {
        std::ifstream in(out_);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    // Peak resident memory of the process so far, in KiB (VmHWM).
    long peak_rss_kib() const {
        std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
        for (std::string line; std::getline(status, line);) {
            if (line.compare(0, 6, "VmHWM:") == 0) {
                return std::stol(line.substr(6));
            }
        }
        throw std::runtime_error("no VmHWM for oa-stub serve");
    }

private:
    int port_;
    std::string out_;
    pid_t pid_ = -1;
};

std::string signed_head(const std::string& secret, const std::string& id,
                        const std::string& timestamp, const std::string& body,
                        std::size_t content_length) {
    return "POST /messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           "Content-Length: " +
           std::to_string(content_length) + "\r\nwebhook-id: " + id +
           "\r\nwebhook-timestamp: " + timestamp +
           "\r\nwebhook-signature: " + rl::test::sign_webhook(secret, id, timestamp, body) +
           "\r\n\r\n";
}

const std::string kBody =
    R"({"title":"催办：刑庭 2019-10","recipient":{"kind":"department","id":"刑庭"}})";

// A well-behaved sender: one signed message; the status, 0 if none came.
int send_message(int port, const std::string& secret, const std::string& id, int timeout_ms) {
    RawClient client(port);
    client.send(signed_head(secret, id, rl::test::now_text(), kBody, kBody.size()) + kBody);
    return client.read_response(timeout_ms);
}

TEST(ServeReceiver, TwoHundredMegabyteBodyIsRefusedUnreadAndServeDoesNotGrow) {
    TempDir dir;
    Serve serve(dir);
    const std::string secret = demo_receiver_secret();
    const std::size_t huge = std::size_t{200} << 20;
    const std::string head = signed_head(secret, "msg_huge", rl::test::now_text(), "", huge);

    // The head alone: the answer comes without a byte of the body.
    {
        RawClient client(serve.port());
        ASSERT_TRUE(client.send(head));
        std::string text;
        EXPECT_EQ(client.read_response(kAnswerWithinMs, &text), 413) << text;
    }

    // The whole 200 MB pushed at it: the receiver stops taking it, and the
    // process's peak memory stays where it was.
    const long before_kib = serve.peak_rss_kib();
    std::size_t sent = 0;
    {
        RawClient client(serve.port());
        ASSERT_TRUE(client.send(head));
        const std::string chunk(1 << 20, 'x');
        while (sent < huge && client.send(chunk)) {
            sent += chunk.size();
        }
    }
    const long after_kib = serve.peak_rss_kib();
    EXPECT_LT(sent, huge) << "the receiver closed the connection instead of reading the body";
    EXPECT_LT(after_kib - before_kib, 32 * 1024)
        << "peak RSS grew from " << before_kib << " KiB to " << after_kib << " KiB";

    ASSERT_TRUE(serve.running());
    EXPECT_EQ(send_message(serve.port(), secret, "msg_after_huge", kAnswerWithinMs), 200);
}

TEST(ServeReceiver, SilentAndTricklingClientsAreCutOffAndASignedMessageStillArrives) {
    TempDir dir;
    Serve serve(dir);
    const std::string secret = demo_receiver_secret();

    // Eight slow clients, enough to hold every thread of the receiver: four
    // that connect and say nothing, four that send their request head one
    // byte every 500 ms (each byte well inside any per-read timeout).
    std::vector<std::unique_ptr<RawClient>> silent;
    std::vector<std::unique_ptr<RawClient>> trickling;
    for (int i = 0; i < 4; ++i) {
        silent.push_back(std::make_unique<RawClient>(serve.port()));
        trickling.push_back(std::make_unique<RawClient>(serve.port()));
    }
    const std::string slow_head =
        signed_head(secret, "msg_slow", rl::test::now_text(), kBody, kBody.size());
    std::vector<std::atomic<bool>> cut(trickling.size());
    std::atomic<bool> stop{false};
    std::thread trickle([&] {
        // Bounded: 90 s at most, whatever the receiver does.
        for (std::size_t byte = 0; byte < 180 && !stop; ++byte) {
            bool all_cut = true;
            for (std::size_t i = 0; i < trickling.size(); ++i) {
                if (!cut[i]) {
                    cut[i] = !trickling[i]->send(slow_head.substr(byte % slow_head.size(), 1)) ||
                             trickling[i]->closed_by_server(0);
                }
                all_cut = all_cut && cut[i];
            }
            if (all_cut) {
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
    });

    std::string text;
    EXPECT_EQ(send_message(serve.port(), secret, "msg_despite_slow_clients", 45000), 200)
        << serve.output();
    for (auto& client : silent) {
        EXPECT_TRUE(client->closed_by_server(45000)) << "a silent client is closed";
    }
    for (int waited = 0; waited < 45000; waited += 100) {
        bool all_cut = true;
        for (const auto& c : cut) {
            all_cut = all_cut && c;
        }
        if (all_cut) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (std::size_t i = 0; i < cut.size(); ++i) {
        EXPECT_TRUE(cut[i]) << "trickling client " << i << " was cut off at its deadline";
    }
    stop = true;
    trickle.join();

    // serve prints what arrived.
    for (int waited = 0; waited < 10000; waited += 100) {
        if (serve.output().find("received msg_despite_slow_clients") != std::string::npos) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_NE(serve.output().find("received msg_despite_slow_clients"), std::string::npos)
        << serve.output();
}

}  // namespace
