#include "message_receiver.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <rapidjson/document.h>

#include <chrono>
#include <sstream>
#include <stdexcept>

#include "transport/signing.h"

namespace oa_stub {

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(MessageReceiver& receiver) : receiver_(receiver) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        std::string body;
        Poco::StreamCopier::copyToString(request.stream(), body);
        if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_POST) {
            reply(response, Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "POST only");
            return;
        }
        const std::string id = request.get("webhook-id", "");
        const std::string timestamp = request.get("webhook-timestamp", "");
        const std::string why =
            receiver_.verify(id, timestamp, request.get("webhook-signature", ""), body);
        if (!why.empty()) {
            receiver_.count_rejection();
            reply(response, Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED, why);
            return;
        }
        Arrival a{id, timestamp, body, "", ""};
        rapidjson::Document doc;
        doc.Parse(body.data(), body.size());
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
        reply(response, Poco::Net::HTTPResponse::HTTP_OK, "");
    }

private:
    static void reply(Poco::Net::HTTPServerResponse& response,
                      Poco::Net::HTTPResponse::HTTPStatus status, const std::string& error) {
        response.setStatus(status);
        response.setContentType("application/json");
        const std::string body = error.empty() ? std::string("{\"ok\":true}")
                                               : "{\"ok\":false,\"error\":\"" + error + "\"}";
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        response.send() << body;
    }

    MessageReceiver& receiver_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(MessageReceiver& receiver) : receiver_(receiver) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new Handler(receiver_);
    }

private:
    MessageReceiver& receiver_;
};

}  // namespace

struct MessageReceiver::Impl {
    std::unique_ptr<Poco::Net::HTTPServer> server;
    int port = 0;
};

MessageReceiver::MessageReceiver(std::string secret, int port, int tolerance_s)
    : impl_(std::make_unique<Impl>()),
      secret_(std::move(secret)),
      requested_port_(port),
      tolerance_s_(tolerance_s) {
    rl::transport::validate_webhook_secret(secret_);
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
        auto* params = new Poco::Net::HTTPServerParams;
        params->setKeepAlive(true);
        params->setMaxThreads(4);
        impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
        impl_->server->start();
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("the message receiver cannot listen on 127.0.0.1:" +
                                 std::to_string(requested_port_) + ": " + e.displayText());
    }
}

void MessageReceiver::stop() {
    if (impl_ && impl_->server) {
        impl_->server->stopAll(true);
        impl_->server.reset();
    }
}

int MessageReceiver::port() const {
    return impl_->port;
}

std::string MessageReceiver::url() const {
    return "http://127.0.0.1:" + std::to_string(impl_->port) + "/messages";
}

std::string MessageReceiver::verify(const std::string& id, const std::string& timestamp,
                                    const std::string& signature_header,
                                    const std::string& body) const {
    if (id.empty() || timestamp.empty() || signature_header.empty()) {
        return "missing webhook-id, webhook-timestamp or webhook-signature";
    }
    std::int64_t ts = 0;
    try {
        ts = std::stoll(timestamp);
    } catch (const std::exception&) {
        return "webhook-timestamp is not a number";
    }
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    if (ts < now - tolerance_s_ || ts > now + tolerance_s_) {
        return "webhook-timestamp is too far from now";
    }
    const std::string expected = rl::transport::standard_webhooks_signature(secret_, id, ts, body);
    // The header may carry several space-separated signatures (key rotation).
    std::istringstream signatures(signature_header);
    std::string candidate;
    while (signatures >> candidate) {
        if (candidate == expected) {
            return "";
        }
    }
    return "no valid signature";
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

}  // namespace oa_stub
