// HttpSender over https:// against a TLS server on 127.0.0.1 whose self-signed
// certificate is generated at test time (openssl CLI): trust through ca_file,
// rejection without it, host name checks, kept-alive reuse, bounded handshakes.
#include <gtest/gtest.h>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "transport/http_sender.h"
#include "transport/signing.h"

namespace {

using namespace rl::transport;

const std::string kWhsec = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// A temporary directory with a self-signed cert.pem / key.pem (by default for CN=localhost,
// SAN IP:127.0.0.1 and DNS:localhost); ok() false when openssl is unavailable or fails.
class Certificate {
public:
    explicit Certificate(const std::string& name = "localhost",
                         const std::string& san = "IP:127.0.0.1,DNS:localhost") {
        if (::access("/usr/bin/openssl", X_OK) != 0) {
            return;
        }
        std::string pattern = (std::filesystem::temp_directory_path() / "rl-https-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            return;
        }
        dir_ = pattern;
        const std::string command =
            "cd '" + dir_ +
            "' && /usr/bin/openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=" + name +
            " -addext 'subjectAltName=" + san +
            "' -days 1 -keyout key.pem -out cert.pem >openssl.log 2>&1";
        if (std::system(command.c_str()) == 0 && std::filesystem::exists(dir_ + "/cert.pem") &&
            std::filesystem::exists(dir_ + "/key.pem")) {
            ok_ = true;
        }
    }
    ~Certificate() {
        if (!dir_.empty()) {
            std::error_code ignored;
            std::filesystem::remove_all(dir_, ignored);
        }
    }
    Certificate(const Certificate&) = delete;
    Certificate& operator=(const Certificate&) = delete;

    bool ok() const { return ok_; }
    std::string cert() const { return dir_ + "/cert.pem"; }
    std::string key() const { return dir_ + "/key.pem"; }
    std::string dir() const { return dir_; }

private:
    std::string dir_;
    bool ok_ = false;
};

struct Seen {
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
};

// Poco HTTPServer over a SecureServerSocket on 127.0.0.1 (test-only server context).
class TlsServer {
public:
    TlsServer(const Certificate& certificate, int keep_alive_timeout_ms = 10000)
        : state_(std::make_shared<State>()), pool_(1, 5) {
        Poco::Net::Context::Ptr context =
            new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, certificate.key(),
                                   certificate.cert(), "", Poco::Net::Context::VERIFY_NONE);
        Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context);
        port_ = socket.address().port();
        Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
        params->setKeepAlive(true);
        params->setKeepAliveTimeout(
            Poco::Timespan(Poco::Timespan::TimeDiff(keep_alive_timeout_ms) * 1000));
        params->setMaxKeepAliveRequests(0);
        params->setMaxThreads(4);
        params->setTimeout(Poco::Timespan(5, 0));
        server_ =
            std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), pool_, socket, params);
        server_->start();
    }
    ~TlsServer() {
        server_->stopAll(true);
        pool_.joinAll();
        server_.reset();
    }
    TlsServer(const TlsServer&) = delete;
    TlsServer& operator=(const TlsServer&) = delete;

    std::string url(const std::string& host = "127.0.0.1") const {
        return "https://" + host + ":" + std::to_string(port_) + "/hook";
    }
    std::vector<Seen> seen() const {
        std::lock_guard<std::mutex> lock(state_->mutex);
        return state_->seen;
    }
    int connections_accepted() const { return server_->totalConnections(); }

private:
    struct State {
        mutable std::mutex mutex;
        std::vector<Seen> seen;
    };

    class Handler : public Poco::Net::HTTPRequestHandler {
    public:
        explicit Handler(std::shared_ptr<State> state) : state_(std::move(state)) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) override {
            Seen s;
            for (const auto& [name, value] : request) {
                std::string lower = name;
                for (char& c : lower) {
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                }
                s.headers[lower] = value;
            }
            Poco::StreamCopier::copyToString(request.stream(), s.body);
            {
                std::lock_guard<std::mutex> lock(state_->mutex);
                state_->seen.push_back(std::move(s));
            }
            response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
            response.setContentType("application/json");
            response.setContentLength(2);
            response.send() << "{}";
        }

    private:
        std::shared_ptr<State> state_;
    };

    class Factory : public Poco::Net::HTTPRequestHandlerFactory {
    public:
        explicit Factory(std::shared_ptr<State> state) : state_(std::move(state)) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(
            const Poco::Net::HTTPServerRequest&) override {
            return new Handler(state_);
        }

    private:
        std::shared_ptr<State> state_;
    };

    std::shared_ptr<State> state_;
    Poco::ThreadPool pool_;
    std::uint16_t port_ = 0;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

Endpoint https_endpoint(const std::string& url, const std::string& ca_file) {
    Endpoint e;
    e.name = "oa";
    e.kind = ChannelKind::webhook;
    e.url = url;
    e.secret = kWhsec;
    e.ca_file = ca_file;
    e.timeouts = {1000, 1000, 2000};
    return e;
}

OutgoingMessage message(const std::string& id = "msg_2f9a") {
    OutgoingMessage m;
    m.id = id;
    m.title = "逾期提醒";
    m.markdown = "### 逾期提醒";
    m.payload_json = R"({"type":"reminder","items":3})";
    m.timestamp_s = 1614265330;
    m.timestamp_ms = 1577262236757;
    return m;
}

class HttpsSender : public ::testing::Test {
protected:
    static void SetUpTestSuite() { certificate_ = new Certificate; }
    static void TearDownTestSuite() {
        delete certificate_;
        certificate_ = nullptr;
    }
    void SetUp() override {
        if (!certificate_->ok()) {
            GTEST_SKIP() << "/usr/bin/openssl missing or failed: no test certificate";
        }
    }
    static const Certificate& certificate() { return *certificate_; }

private:
    static Certificate* certificate_;
};

Certificate* HttpsSender::certificate_ = nullptr;

using Clock = std::chrono::steady_clock;

TEST_F(HttpsSender, TrustedThroughCaFileDeliversWithSignatureHeaders) {
    TlsServer server(certificate());
    HttpSender sender(https_endpoint(server.url(), certificate().cert()));
    const SendOutcome outcome = sender.send(message());
    EXPECT_EQ(outcome.verdict, Verdict::delivered) << outcome.error;
    EXPECT_EQ(outcome.http_status, 200);
    const auto seen = server.seen();
    ASSERT_EQ(seen.size(), 1u);
    const Seen& s = seen[0];
    EXPECT_EQ(s.headers.at("webhook-id"), "msg_2f9a");
    EXPECT_EQ(s.headers.at("webhook-timestamp"), "1614265330");
    EXPECT_EQ(s.headers.at("webhook-signature"),
              standard_webhooks_signature(kWhsec, "msg_2f9a", 1614265330, s.body));
    EXPECT_EQ(s.body, message().payload_json);
}

TEST_F(HttpsSender, HostNameLocalhostAlsoVerifies) {
    TlsServer server(certificate());
    HttpSender sender(https_endpoint(server.url("localhost"), certificate().cert()));
    const SendOutcome outcome = sender.send(message());
    EXPECT_EQ(outcome.verdict, Verdict::delivered) << outcome.error;
}

TEST_F(HttpsSender, UntrustedCertificateIsPermanentAndNamesTheCertificate) {
    TlsServer server(certificate());
    HttpSender sender(https_endpoint(server.url(), ""));
    const auto started = Clock::now();
    const SendOutcome outcome = sender.send(message());
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(5));
    EXPECT_EQ(outcome.verdict, Verdict::permanent) << outcome.error;
    EXPECT_EQ(outcome.http_status, 0);
    EXPECT_NE(outcome.error.find("certificate"), std::string::npos) << outcome.error;
    EXPECT_TRUE(server.seen().empty());
    // Still no crash, still rejected on the next attempt.
    EXPECT_EQ(sender.send(message()).verdict, Verdict::permanent);
}

TEST_F(HttpsSender, TrustedCertificateForAnotherHostIsRejected) {
    // The chain verifies (the certificate itself is trusted through ca_file), the name does not.
    const Certificate other("other.example", "DNS:other.example");
    ASSERT_TRUE(other.ok());
    TlsServer server(other);
    HttpSender sender(https_endpoint(server.url(), other.cert()));
    const SendOutcome outcome = sender.send(message());
    EXPECT_EQ(outcome.verdict, Verdict::permanent) << outcome.error;
    EXPECT_NE(outcome.error.find("certificate"), std::string::npos) << outcome.error;
    EXPECT_TRUE(server.seen().empty());
}

TEST_F(HttpsSender, KeptAliveConnectionIsReused) {
    TlsServer server(certificate());
    HttpSender sender(https_endpoint(server.url(), certificate().cert()));
    for (int i = 0; i < 3; ++i) {
        const SendOutcome outcome = sender.send(message("msg_" + std::to_string(i)));
        EXPECT_EQ(outcome.verdict, Verdict::delivered) << outcome.error;
    }
    EXPECT_EQ(sender.connections_opened(), 1);
    EXPECT_EQ(server.connections_accepted(), 1);
    EXPECT_EQ(server.seen().size(), 3u);
}

TEST_F(HttpsSender, ServerDroppingIdleConnectionStillDelivers) {
    TlsServer server(certificate(), 300);  // closes idle connections after 0.3 s
    HttpSender sender(https_endpoint(server.url(), certificate().cert()));
    EXPECT_EQ(sender.send(message("a")).verdict, Verdict::delivered);
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    const SendOutcome outcome = sender.send(message("b"));
    EXPECT_EQ(outcome.verdict, Verdict::delivered) << outcome.error;
    EXPECT_EQ(sender.connections_opened(), 2);
    EXPECT_EQ(server.seen().size(), 2u);
}

TEST_F(HttpsSender, SilentServerTimesOutDuringTheHandshake) {
    // Listens (the kernel completes the TCP handshake) but never speaks TLS.
    Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
    Endpoint e = https_endpoint(
        "https://127.0.0.1:" + std::to_string(silent.address().port()) + "/hook", "");
    e.timeouts = {500, 500, 500};
    HttpSender sender(e);
    const auto started = Clock::now();
    const SendOutcome outcome = sender.send(message());
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(3));
    EXPECT_EQ(outcome.verdict, Verdict::retry) << outcome.error;
    EXPECT_FALSE(outcome.error.empty());
}

TEST_F(HttpsSender, RefusedConnectionIsRetried) {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    const auto port = socket.address().port();
    socket.close();
    HttpSender sender(https_endpoint("https://127.0.0.1:" + std::to_string(port) + "/hook", ""));
    const SendOutcome outcome = sender.send(message());
    EXPECT_EQ(outcome.verdict, Verdict::retry);
    EXPECT_EQ(outcome.error, "connection refused");
}

TEST_F(HttpsSender, ValidationNamesTheEndpointAndHidesSecrets) {
    Endpoint e = https_endpoint("https://127.0.0.1:1/hook?key=supersecretkey",
                                certificate().dir() + "/missing.pem");
    try {
        HttpSender sender(e);
        ADD_FAILURE() << "accepted a missing ca_file";
    } catch (const std::invalid_argument& error) {
        const std::string what = error.what();
        EXPECT_NE(what.find("'oa'"), std::string::npos) << what;
        EXPECT_NE(what.find("ca_file"), std::string::npos) << what;
        EXPECT_EQ(what.find("supersecretkey"), std::string::npos) << what;
    }
    e = https_endpoint("http://127.0.0.1:1/hook", certificate().cert());
    EXPECT_THROW(HttpSender{e}, std::invalid_argument);  // ca_file on plain http
    e = https_endpoint("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", "");
    EXPECT_NO_THROW(HttpSender{e});
}

}  // namespace
