// Test helpers for HTTP at the byte level: a plain TCP client on 127.0.0.1
// that sends exactly what it is given (a head without its body, a body a byte
// at a time) and reads responses with a deadline; and Standard Webhooks
// signatures computed with OpenSSL directly, independent of the code under
// test. Targets including this link OpenSSL::Crypto.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace rl::test {

inline std::string base64(const unsigned char* bytes, std::size_t n) {
    std::string out(4 * ((n + 2) / 3) + 1, '\0');
    const int len =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, static_cast<int>(n));
    out.resize(static_cast<std::size_t>(len));
    return out;
}

inline std::string unbase64(const std::string& text) {
    std::string out(3 * text.size() / 4 + 1, '\0');
    const int len = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                    reinterpret_cast<const unsigned char*>(text.data()),
                                    static_cast<int>(text.size()));
    if (len < 0) {
        throw std::runtime_error("bad base64 in a test secret");
    }
    std::size_t pad = 0;
    for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) {
        ++pad;
    }
    out.resize(static_cast<std::size_t>(len) - pad);
    return out;
}

// Standard Webhooks: v1,base64(HMAC-SHA256(key, id.timestamp.body)).
// secret is "whsec_" + base64 of the key.
inline std::string sign_webhook(const std::string& secret, const std::string& id,
                                const std::string& timestamp, const std::string& body) {
    const std::string key = unbase64(secret.substr(6));
    const std::string content = id + "." + timestamp + "." + body;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &mac_len);
    return "v1," + base64(mac, mac_len);
}

inline std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline std::string now_text() {
    return std::to_string(now_s());
}

// A plain TCP client on 127.0.0.1 that writes exactly the bytes it is given.
class RawClient {
public:
    using Clock = std::chrono::steady_clock;

    explicit RawClient(int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            if (fd_ >= 0) {
                ::close(fd_);
            }
            throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
        }
    }
    ~RawClient() { ::close(fd_); }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    // false once the server has closed or reset the connection.
    bool send(const std::string& bytes) {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) {
                return false;
            }
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    // One response (head and Content-Length body) within timeout_ms; its
    // status, or 0 when none came in time or the server closed first.
    int read_response(int timeout_ms, std::string* text = nullptr) {
        const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
        while (true) {
            const auto head_end = buffer_.find("\r\n\r\n");
            if (head_end != std::string::npos) {
                std::size_t length = 0;
                const auto cl = buffer_.find("Content-Length: ");
                if (cl != std::string::npos && cl < head_end) {
                    length = std::stoul(buffer_.substr(cl + 16));
                }
                if (buffer_.size() >= head_end + 4 + length) {
                    const std::string response = buffer_.substr(0, head_end + 4 + length);
                    buffer_.erase(0, head_end + 4 + length);
                    if (text != nullptr) {
                        *text = response;
                    }
                    return response.compare(0, 9, "HTTP/1.1 ") == 0 ||
                                   response.compare(0, 9, "HTTP/1.0 ") == 0
                               ? std::stoi(response.substr(9, 3))
                               : -1;
                }
            }
            if (!receive_some(deadline)) {
                return 0;
            }
        }
    }

    // True when the server closes (or resets) the connection within timeout_ms
    // (0: only what has arrived already); anything it sends first is skipped.
    bool closed_by_server(int timeout_ms) {
        const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
        while (true) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())
                    .count();
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 0))) > 0) {
                char chunk[4096];
                if (::recv(fd_, chunk, sizeof chunk, 0) <= 0) {
                    return true;
                }
                continue;
            }
            if (left <= 0) {
                return false;
            }
        }
    }

    void shutdown_sending() { ::shutdown(fd_, SHUT_WR); }

private:
    bool receive_some(Clock::time_point deadline) {
        while (Clock::now() < deadline) {
            pollfd p{fd_, POLLIN, 0};
            const int left = static_cast<int>(
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())
                    .count());
            if (::poll(&p, 1, std::max(left, 1)) <= 0) {
                continue;
            }
            char chunk[4096];
            const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n <= 0) {
                return false;
            }
            buffer_.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
        return false;
    }

    int fd_ = -1;
    std::string buffer_;
};

}  // namespace rl::test
