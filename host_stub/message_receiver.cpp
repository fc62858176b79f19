#include "message_receiver.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/String.h>
#include <Poco/ThreadPool.h>
#include <openssl/crypto.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <map>
#include <stdexcept>
#include <thread>

#include "transport/signing.h"

namespace oa_stub {

namespace {

using Clock = std::chrono::steady_clock;
using Poco::Net::HTTPResponse;

constexpr std::size_t kMaxWebhookIdChars = 256;
// "v1," and the base64 of an HMAC-SHA256 (32 bytes: 43 characters and one '=').
constexpr std::size_t kV1SignatureChars = 3 + 44;

bool is_base64_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

// A candidate the receiver could have produced: "v1," + 43 base64 characters + "=".
bool well_formed_v1(const std::string& candidate) {
    if (candidate.size() != kV1SignatureChars || candidate.compare(0, 3, "v1,") != 0 ||
        candidate.back() != '=') {
        return false;
    }
    for (std::size_t i = 3; i + 1 < candidate.size(); ++i) {
        if (!is_base64_char(candidate[i])) {
            return false;
        }
    }
    return true;
}

// The space-separated candidates of a webhook-signature header (key rotation
// sends several). Other versions ("v1a,…") are skipped, as the standard says.
std::vector<std::string> v1_candidates(const std::string& header) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= header.size()) {
        const std::size_t end = std::min(header.find(' ', start), header.size());
        std::string candidate = header.substr(start, end - start);
        if (well_formed_v1(candidate)) {
            out.push_back(std::move(candidate));
        }
        start = end + 1;
    }
    return out;
}

// Cuts off connections that take too long. Poco's timeouts bound each read,
// so a client that trickles a byte just inside them would hold a server
// thread for as long as it likes; this thread shuts such a connection down
// when its request's deadline passes, which wakes the blocked read.
//
// It holds a duplicate of each connection's descriptor, so the number it
// shuts down is never one that was closed and reused meanwhile.
class Deadlines {
public:
    explicit Deadlines(MessageReceiver& receiver)
        : receiver_(receiver), thread_([this] { watch(); }) {}
    ~Deadlines() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        changed_.notify_all();
        thread_.join();
        for (const auto& [id, entry] : entries_) {
            ::close(entry.fd);
        }
    }
    Deadlines(const Deadlines&) = delete;
    Deadlines& operator=(const Deadlines&) = delete;

    std::uint64_t enter(const Poco::Net::StreamSocket& socket, Clock::time_point deadline) {
        const int fd = ::dup(socket.impl()->sockfd());
        std::lock_guard<std::mutex> lock(mutex_);
        const std::uint64_t id = ++next_id_;
        if (fd >= 0) {
            entries_[id] = Entry{fd, deadline, false};
            if (closing_) {
                cut(entries_[id]);
            }
        }
        changed_.notify_all();
        return id;
    }

    void extend(std::uint64_t id, Clock::time_point deadline) {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = entries_.find(id);
        if (it != entries_.end()) {
            it->second.deadline = deadline;
        }
        changed_.notify_all();
    }

    void leave(std::uint64_t id) {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = entries_.find(id);
        if (it != entries_.end()) {
            ::close(it->second.fd);
            entries_.erase(it);
        }
    }

    // On stop: every open connection, and any that starts from now on.
    void cut_all() {
        std::lock_guard<std::mutex> lock(mutex_);
        closing_ = true;
        for (auto& [id, entry] : entries_) {
            cut(entry);
        }
    }

private:
    struct Entry {
        int fd;
        Clock::time_point deadline;
        bool cut;
    };

    static void cut(Entry& entry) {
        if (!entry.cut) {
            ::shutdown(entry.fd, SHUT_RDWR);
            entry.cut = true;
        }
    }

    void watch() {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!stopping_) {
            const auto now = Clock::now();
            auto next = Clock::time_point::max();
            for (auto& [id, entry] : entries_) {
                if (entry.cut) {
                    continue;
                }
                if (entry.deadline <= now) {
                    cut(entry);
                    receiver_.count_timeout();
                } else if (entry.deadline < next) {
                    next = entry.deadline;
                }
            }
            if (next == Clock::time_point::max()) {
                changed_.wait(lock);
            } else {
                changed_.wait_until(lock, next);
            }
        }
    }

    MessageReceiver& receiver_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::uint64_t, Entry> entries_;
    std::uint64_t next_id_ = 0;
    bool stopping_ = false;
    bool closing_ = false;
    std::thread thread_;  // last: it starts watching in the constructor
};

// The connection this server thread is serving, so that a finished request
// can give the next one on the connection a fresh deadline.
struct ConnectionDeadline {
    Deadlines& deadlines;
    std::uint64_t id;
};
thread_local ConnectionDeadline* t_connection = nullptr;

void reply(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
           const std::string& error) {
    std::string body = "{\"ok\":true}";
    if (!error.empty()) {
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
        w.StartObject();
        w.Key("ok");
        w.Bool(false);
        w.Key("error");
        w.String(error.data(), static_cast<rapidjson::SizeType>(error.size()));
        w.EndObject();
        body.assign(buffer.GetString(), buffer.GetSize());
    }
    response.setStatus(status);
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
}

// Every handler: when its request is answered, the next request on the
// connection gets the idle time to start and then its own deadline.
class GuardedHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit GuardedHandler(const ReceiverLimits& limits) : limits_(limits) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) final {
        handle(request, response);
        if (t_connection != nullptr) {
            t_connection->deadlines.extend(
                t_connection->id, Clock::now() +
                                      std::chrono::milliseconds(limits_.idle_timeout_ms) +
                                      std::chrono::milliseconds(limits_.request_deadline_ms));
        }
    }

protected:
    virtual void handle(Poco::Net::HTTPServerRequest& request,
                        Poco::Net::HTTPServerResponse& response) = 0;
    const ReceiverLimits& limits_;
};

// A request refused on its headers: answered and closed, its body unread.
class RefusalHandler : public GuardedHandler {
public:
    RefusalHandler(const ReceiverLimits& limits, MessageReceiver& receiver,
                   HTTPResponse::HTTPStatus status, std::string why)
        : GuardedHandler(limits), receiver_(receiver), status_(status), why_(std::move(why)) {}

private:
    void handle(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override {
        receiver_.count_rejection();
        response.setKeepAlive(false);
        reply(response, status_, why_);
    }

    MessageReceiver& receiver_;
    HTTPResponse::HTTPStatus status_;
    std::string why_;
};

// A request whose headers passed: read exactly its announced body, then
// check the signature over it.
class MessageHandler : public GuardedHandler {
public:
    MessageHandler(const ReceiverLimits& limits, MessageReceiver& receiver, std::size_t length)
        : GuardedHandler(limits), receiver_(receiver), length_(length) {}

private:
    void handle(Poco::Net::HTTPServerRequest& request,
                Poco::Net::HTTPServerResponse& response) override {
        std::string body(length_, '\0');
        std::istream& in = request.stream();
        in.read(body.data(), static_cast<std::streamsize>(length_));
        if (static_cast<std::size_t>(in.gcount()) != length_) {
            receiver_.count_rejection();
            response.setKeepAlive(false);
            reply(response, HTTPResponse::HTTP_BAD_REQUEST,
                  "the body ended after " + std::to_string(in.gcount()) + " of its " +
                      std::to_string(length_) + " bytes (Content-Length)");
            return;
        }
        const std::string id = request.get("webhook-id", "");
        const std::string timestamp = request.get("webhook-timestamp", "");
        const std::string why =
            receiver_.verify(id, timestamp, request.get("webhook-signature", ""), body);
        if (!why.empty()) {
            receiver_.count_rejection();
            reply(response, HTTPResponse::HTTP_UNAUTHORIZED, why);
            return;
        }
        Arrival a{id, timestamp, body, "", ""};
        rapidjson::Document doc;
        // Iterative: the body is signed, but its nesting is still no reason to
        // use this thread's stack.
        doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
        if (doc.IsObject()) {
            if (doc.HasMember("title") && doc["title"].IsString()) {
                a.title = doc["title"].GetString();
            }
            if (doc.HasMember("recipient") && doc["recipient"].IsObject() &&
                doc["recipient"].HasMember("id") && doc["recipient"]["id"].IsString()) {
                a.recipient = doc["recipient"]["id"].GetString();
            }
        }
        receiver_.accept(std::move(a));  // a duplicate is answered 200 too: it arrived
        reply(response, HTTPResponse::HTTP_OK, "");
    }

    MessageReceiver& receiver_;
    std::size_t length_;
};

// Decides from the headers alone, before anything of the body is read (and
// before Poco answers "Expect: 100-continue", which it skips for a refusal).
class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    HandlerFactory(MessageReceiver& receiver, const ReceiverLimits& limits)
        : receiver_(receiver), limits_(limits) {}

    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest& request) override {
        if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_POST) {
            return refuse(request, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "POST only");
        }
        const std::string why = receiver_.verify_headers(request.get("webhook-id", ""),
                                                         request.get("webhook-timestamp", ""),
                                                         request.get("webhook-signature", ""));
        if (!why.empty()) {
            return refuse(request, HTTPResponse::HTTP_UNAUTHORIZED, why);
        }
        if (request.has("Transfer-Encoding")) {
            return refuse(request, HTTPResponse::HTTP_LENGTH_REQUIRED,
                          "send the body with Content-Length, not Transfer-Encoding");
        }
        int lengths = 0;
        for (const auto& [name, value] : request) {
            lengths += Poco::icompare(name, "Content-Length") == 0 ? 1 : 0;
        }
        std::int64_t length = 0;
        if (lengths != 1 || !parse_decimal(request.get("Content-Length"), length)) {
            return refuse(request, HTTPResponse::HTTP_LENGTH_REQUIRED,
                          "Content-Length must be given once, as a plain number of bytes");
        }
        if (static_cast<std::uint64_t>(length) > limits_.max_body_bytes) {
            return refuse(request, HTTPResponse::HTTP_REQUESTENTITYTOOLARGE,
                          "the body of " + std::to_string(length) + " bytes is over the " +
                              std::to_string(limits_.max_body_bytes) + "-byte limit");
        }
        return new MessageHandler(limits_, receiver_, static_cast<std::size_t>(length));
    }

private:
    Poco::Net::HTTPRequestHandler* refuse(const Poco::Net::HTTPServerRequest& request,
                                          HTTPResponse::HTTPStatus status, std::string why) {
        request.response().setStatus(status);  // no "100 Continue" for a refused body
        return new RefusalHandler(limits_, receiver_, status, std::move(why));
    }

    MessageReceiver& receiver_;
    const ReceiverLimits& limits_;
};

// One connection: Poco's HTTP server loop, under a deadline.
class GuardedConnection : public Poco::Net::TCPServerConnection {
public:
    GuardedConnection(const Poco::Net::StreamSocket& socket, Deadlines& deadlines,
                      const ReceiverLimits& limits, Poco::Net::HTTPServerParams::Ptr params,
                      Poco::Net::HTTPRequestHandlerFactory::Ptr factory)
        : TCPServerConnection(socket),
          deadlines_(deadlines),
          limits_(limits),
          params_(std::move(params)),
          factory_(std::move(factory)) {}

    void run() override {
        ConnectionDeadline connection{
            deadlines_,
            deadlines_.enter(
                socket(), Clock::now() + std::chrono::milliseconds(limits_.request_deadline_ms))};
        t_connection = &connection;
        try {
            Poco::Net::HTTPServerConnection http(socket(), params_, factory_);
            http.run();
        } catch (const Poco::Exception&) {
            // The client went away, or was cut off at its deadline.
        } catch (const std::exception&) {
        }
        t_connection = nullptr;
        deadlines_.leave(connection.id);
    }

private:
    Deadlines& deadlines_;
    const ReceiverLimits& limits_;
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
};

class ConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
public:
    ConnectionFactory(Deadlines& deadlines, const ReceiverLimits& limits,
                      Poco::Net::HTTPServerParams::Ptr params,
                      Poco::Net::HTTPRequestHandlerFactory::Ptr factory)
        : deadlines_(deadlines),
          limits_(limits),
          params_(std::move(params)),
          factory_(std::move(factory)) {}

    Poco::Net::TCPServerConnection* createConnection(
        const Poco::Net::StreamSocket& socket) override {
        return new GuardedConnection(socket, deadlines_, limits_, params_, factory_);
    }

private:
    Deadlines& deadlines_;
    const ReceiverLimits& limits_;
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
};

}  // namespace

bool parse_decimal(const std::string& text, std::int64_t& value) {
    if (text.empty() || text.size() > 18 || (text.size() > 1 && text[0] == '0')) {
        return false;
    }
    std::int64_t v = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
        v = v * 10 + (c - '0');
    }
    value = v;
    return true;
}

bool signature_matches(const std::string& signature_header, const std::string& expected) {
    // Every candidate is compared in full and the results are combined
    // without branching on them.
    int matched = 0;
    for (const std::string& candidate : v1_candidates(signature_header)) {
        if (candidate.size() == expected.size()) {
            matched |= static_cast<int>(
                CRYPTO_memcmp(candidate.data(), expected.data(), expected.size()) == 0);
        }
    }
    return matched != 0;
}

struct MessageReceiver::Impl {
    std::unique_ptr<Deadlines> deadlines;
    std::unique_ptr<Poco::ThreadPool> pool;
    std::unique_ptr<Poco::Net::TCPServer> server;
    int port = 0;
};

MessageReceiver::MessageReceiver(std::string secret, int port, ReceiverLimits limits)
    : impl_(std::make_unique<Impl>()),
      secret_(std::move(secret)),
      requested_port_(port),
      limits_(limits) {
    rl::transport::validate_webhook_secret(secret_);
    if (limits_.threads < 1 || limits_.request_deadline_ms < 1 || limits_.idle_timeout_ms < 1 ||
        limits_.timestamp_tolerance_s < 0) {
        throw std::invalid_argument(
            "the message receiver needs at least one thread, positive timeouts and a "
            "non-negative timestamp tolerance");
    }
}

MessageReceiver::~MessageReceiver() {
    stop();
}

void MessageReceiver::start() {
    if (impl_->server) {
        return;
    }
    try {
        Poco::Net::ServerSocket socket(
            Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(requested_port_)));
        impl_->port = socket.address().port();
        Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
        params->setKeepAlive(true);
        params->setTimeout(
            Poco::Timespan(Poco::Timespan::TimeDiff(limits_.idle_timeout_ms) * 1000));
        params->setKeepAliveTimeout(
            Poco::Timespan(Poco::Timespan::TimeDiff(limits_.idle_timeout_ms) * 1000));
        params->setMaxThreads(limits_.threads);
        impl_->deadlines = std::make_unique<Deadlines>(*this);
        impl_->pool = std::make_unique<Poco::ThreadPool>(1, limits_.threads);
        Poco::Net::HTTPRequestHandlerFactory::Ptr handlers = new HandlerFactory(*this, limits_);
        impl_->server = std::make_unique<Poco::Net::TCPServer>(
            new ConnectionFactory(*impl_->deadlines, limits_, params, handlers), *impl_->pool,
            socket, params);
        impl_->server->start();
    } catch (const Poco::Exception& e) {
        impl_->server.reset();
        throw std::runtime_error("the message receiver cannot listen on 127.0.0.1:" +
                                 std::to_string(requested_port_) + ": " + e.displayText());
    }
}

void MessageReceiver::stop() {
    if (impl_ && impl_->server) {
        impl_->server->stop();        // accepts no more connections
        impl_->deadlines->cut_all();  // wakes every connection still open
        impl_->pool->joinAll();
        impl_->server.reset();
        impl_->pool.reset();
        impl_->deadlines.reset();
    }
}

int MessageReceiver::port() const {
    return impl_->port;
}

std::string MessageReceiver::url() const {
    return "http://127.0.0.1:" + std::to_string(impl_->port) + "/messages";
}

std::string MessageReceiver::verify_headers(const std::string& id, const std::string& timestamp,
                                            const std::string& signature_header) const {
    if (id.empty() || timestamp.empty() || signature_header.empty()) {
        return "missing webhook-id, webhook-timestamp or webhook-signature";
    }
    if (id.size() > kMaxWebhookIdChars) {
        return "webhook-id is longer than " + std::to_string(kMaxWebhookIdChars) + " characters";
    }
    std::int64_t ts = 0;
    if (!parse_decimal(timestamp, ts)) {
        return "webhook-timestamp must be whole seconds since 1970 in plain digits";
    }
    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    if (ts < now - limits_.timestamp_tolerance_s || ts > now + limits_.timestamp_tolerance_s) {
        return "webhook-timestamp is too far from now";
    }
    if (v1_candidates(signature_header).empty()) {
        return "webhook-signature holds no v1 signature (\"v1,\" and a base64 HMAC-SHA256)";
    }
    return "";
}

std::string MessageReceiver::verify(const std::string& id, const std::string& timestamp,
                                    const std::string& signature_header,
                                    const std::string& body) const {
    const std::string why = verify_headers(id, timestamp, signature_header);
    if (!why.empty()) {
        return why;
    }
    std::int64_t ts = 0;
    parse_decimal(timestamp, ts);
    const std::string expected = rl::transport::standard_webhooks_signature(secret_, id, ts, body);
    return signature_matches(signature_header, expected) ? "" : "no valid signature";
}

bool MessageReceiver::accept(Arrival arrival) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!seen_.insert(arrival.id).second) {
        ++duplicates_;
        return false;
    }
    arrivals_.push_back(std::move(arrival));
    return true;
}

void MessageReceiver::count_rejection() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++rejected_;
}

void MessageReceiver::count_timeout() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++timed_out_;
}

std::vector<Arrival> MessageReceiver::arrivals() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return arrivals_;
}

int MessageReceiver::duplicates() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return duplicates_;
}

int MessageReceiver::rejected() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return rejected_;
}

int MessageReceiver::timed_out() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return timed_out_;
}

}  // namespace oa_stub
