// A real HTTP server on 127.0.0.1 (Poco HTTPServer, port chosen by the kernel)
// for the transport tests: it records every request and answers with what the
// test's responder says. Header-only; one per test.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace rl::transport::testing {

struct Received {
    int index = 0;  // 0 for the first request
    std::string method;
    std::string version;                         // "HTTP/1.1"
    std::string uri;                             // as sent: path?query
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::uint16_t client_port = 0;  // tells connections apart

    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct Reply {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string content_type = "application/json";
    int delay_ms = 0;    // before answering (cut short when the server stops)
    bool close = false;  // answer with "Connection: close"
};

using Responder = std::function<Reply(const Received&)>;

struct ServerOptions {
    bool keep_alive = true;
    int keep_alive_timeout_ms = 10000;  // server side: idle kept-alive connections closed after
    int max_threads = 4;
    std::uint16_t port = 0;  // 0: any free port
};

class LoopbackServer {
public:
    explicit LoopbackServer(Responder responder, ServerOptions options = {})
        : state_(std::make_shared<State>()), pool_(1, options.max_threads + 1) {
        state_->responder = std::move(responder);
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", options.port));
        port_ = socket.address().port();
        Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
        params->setKeepAlive(options.keep_alive);
        params->setKeepAliveTimeout(
            Poco::Timespan(Poco::Timespan::TimeDiff(options.keep_alive_timeout_ms) * 1000));
        params->setMaxKeepAliveRequests(0);  // unlimited
        params->setMaxThreads(options.max_threads);
        params->setTimeout(Poco::Timespan(5, 0));
        server_ =
            std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), pool_, socket, params);
        server_->start();
    }

    ~LoopbackServer() {
        {
            std::lock_guard<std::mutex> lock(state_->mutex);
            state_->stopping = true;
        }
        state_->wake.notify_all();
        server_->stopAll(true);
        pool_.joinAll();
        server_.reset();
    }

    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    std::uint16_t port() const { return port_; }
    std::string url(const std::string& path_and_query = "/hook") const {
        return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
    }
    std::vector<Received> received() const {
        std::lock_guard<std::mutex> lock(state_->mutex);
        return state_->received;
    }
    int connections_accepted() const { return server_->totalConnections(); }

private:
    struct State {
        mutable std::mutex mutex;
        std::condition_variable wake;
        bool stopping = false;
        int next_index = 0;
        std::vector<Received> received;
        Responder responder;
    };

    class Handler : public Poco::Net::HTTPRequestHandler {
    public:
        explicit Handler(std::shared_ptr<State> state) : state_(std::move(state)) {}

        void handleRequest(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) override {
            Received r;
            r.method = request.getMethod();
            r.version = request.getVersion();
            r.uri = request.getURI();
            for (const auto& [name, value] : request) {
                std::string lower = name;
                std::transform(lower.begin(), lower.end(), lower.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                r.headers[lower] = value;
            }
            Poco::StreamCopier::copyToString(request.stream(), r.body);
            r.client_port = request.clientAddress().port();
            {
                std::lock_guard<std::mutex> lock(state_->mutex);
                r.index = state_->next_index++;
                state_->received.push_back(r);
            }
            Reply reply = state_->responder(r);
            if (reply.delay_ms > 0) {
                std::unique_lock<std::mutex> lock(state_->mutex);
                state_->wake.wait_for(lock, std::chrono::milliseconds(reply.delay_ms),
                                      [this] { return state_->stopping; });
                if (state_->stopping) {
                    return;
                }
            }
            response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
            for (const auto& [name, value] : reply.headers) {
                response.set(name, value);
            }
            if (reply.close) {
                response.setKeepAlive(false);
            }
            response.setContentType(reply.content_type);
            response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
            response.send() << reply.body;
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

// A bare-socket HTTP server on 127.0.0.1 that answers each request with 200 and a kept-alive
// connection, then resets the connection (SO_LINGER 0: RST, not FIN) — the harshest way a
// server or middlebox can drop a kept-alive connection. Serves up to max_connections.
class ResettingServer {
public:
    explicit ResettingServer(int max_connections)
        : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)), thread_([this, max_connections] {
              for (int i = 0; i < max_connections && !stopping_; ++i) {
                  serve_one();
              }
          }) {}
    ~ResettingServer() {
        stopping_ = true;
        thread_.join();
    }
    std::uint16_t port() const { return socket_.address().port(); }
    int requests() const { return requests_; }

private:
    void serve_one() {
        // Poll so the destructor never waits more than ~100 ms for the thread.
        while (!stopping_ &&
               !socket_.poll(Poco::Timespan(0, 100000), Poco::Net::Socket::SELECT_READ)) {
        }
        if (stopping_) {
            return;
        }
        Poco::Net::StreamSocket client = socket_.acceptConnection();
        client.setReceiveTimeout(Poco::Timespan(2, 0));
        std::string data;
        char buffer[4096];
        try {
            while (true) {
                const auto end = data.find("\r\n\r\n");
                if (end != std::string::npos) {
                    const auto cl = data.find("Content-Length: ");
                    const std::size_t length =
                        cl == std::string::npos ? 0 : std::stoul(data.substr(cl + 16));
                    if (data.size() >= end + 4 + length) {
                        break;
                    }
                }
                const int n = client.receiveBytes(buffer, sizeof buffer);
                if (n <= 0) {
                    return;
                }
                data.append(buffer, static_cast<std::size_t>(n));
            }
            ++requests_;
            const std::string reply =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                "Connection: Keep-Alive\r\n\r\n{}";
            client.sendBytes(reply.data(), static_cast<int>(reply.size()));
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            client.setLinger(true, 0);
            client.close();
        } catch (const Poco::Exception&) {
        }
    }

    Poco::Net::ServerSocket socket_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> requests_{0};
    std::thread thread_;
};

// A port on 127.0.0.1 nothing listens on (bound, then closed).
inline std::uint16_t closed_port() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    const std::uint16_t port = socket.address().port();
    socket.close();
    return port;
}

}  // namespace rl::transport::testing
