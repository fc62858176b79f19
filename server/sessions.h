// Browser sessions: after the OA's token (or the demo sign-in) is checked, a
// random session id in an HttpOnly cookie stands for the person, and a second
// random value, the CSRF token, must accompany every state-changing request.
// Kept in memory: a restart signs everyone out, and the OA signs them in again.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace rl_server {

struct Session {
    std::string person;
    std::string csrf_token;
    std::chrono::steady_clock::time_point expires;
};

class SessionStore {
public:
    SessionStore(std::chrono::seconds ttl, std::size_t max_sessions)
        : ttl_(ttl), max_sessions_(max_sessions) {}

    // A new session for person; returns its id. ttl caps its life (a token's
    // remaining validity, say) below the store's.
    std::string open(const std::string& person,
                     std::optional<std::chrono::seconds> ttl = std::nullopt);
    std::optional<Session> find(const std::string& id);
    void close(const std::string& id);
    std::size_t size() const;

    // 32 random bytes, base64url without padding.
    static std::string random_token();

private:
    void drop_expired(std::chrono::steady_clock::time_point now);

    std::chrono::seconds ttl_;
    std::size_t max_sessions_;
    mutable std::mutex mutex_;
    std::map<std::string, Session> sessions_;
};

// Compares two secrets in time independent of where they differ.
bool same_secret(const std::string& a, const std::string& b);

}  // namespace rl_server
