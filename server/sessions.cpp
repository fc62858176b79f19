#include "sessions.h"

#include <Poco/Base64Encoder.h>
#include <Poco/RandomStream.h>

#include <sstream>

namespace rl_server {

std::string SessionStore::random_token() {
    char bytes[32];
    Poco::RandomInputStream random;
    random.read(bytes, sizeof(bytes));
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder.write(bytes, sizeof(bytes));
    encoder.close();
    return out.str();
}

std::string SessionStore::open(const std::string& person, std::optional<std::chrono::seconds> ttl) {
    const auto now = std::chrono::steady_clock::now();
    Session s;
    s.person = person;
    s.csrf_token = random_token();
    s.expires = now + (ttl && *ttl < ttl_ ? *ttl : ttl_);
    std::string id = random_token();
    std::lock_guard<std::mutex> lock(mutex_);
    drop_expired(now);
    while (sessions_.size() >= max_sessions_) {
        // Full: the session closest to its end makes room.
        auto oldest = sessions_.begin();
        for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
            if (it->second.expires < oldest->second.expires) {
                oldest = it;
            }
        }
        sessions_.erase(oldest);
    }
    sessions_[id] = std::move(s);
    return id;
}

std::optional<Session> SessionStore::find(const std::string& id) {
    if (id.empty()) {
        return std::nullopt;
    }
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = sessions_.find(id);
    if (it == sessions_.end()) {
        return std::nullopt;
    }
    if (it->second.expires <= now) {
        sessions_.erase(it);
        return std::nullopt;
    }
    return it->second;
}

void SessionStore::close(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_.erase(id);
}

std::size_t SessionStore::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sessions_.size();
}

void SessionStore::drop_expired(std::chrono::steady_clock::time_point now) {
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        it = it->second.expires <= now ? sessions_.erase(it) : std::next(it);
    }
}

bool same_secret(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) {
        return false;
    }
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return diff == 0;
}

}  // namespace rl_server
