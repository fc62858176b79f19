// Checks the OA's signed tokens (JWT): the signature (HS256 with the shared
// secret, RS256/ES256 with the OA's public key; never "none"), exp/nbf/iat
// with a bounded clock skew, iss and aud when configured. Whoever the token
// names ("sub") is who acts; a token whose scope holds the service scope is
// the OA itself.
#pragma once

#include <Poco/JWT/Signer.h>

#include <cstdint>
#include <memory>
#include <string>

#include "server_settings.h"

namespace rl_server {

struct Principal {
    enum class Kind { person, service };
    Kind kind = Kind::person;
    std::string id;              // a person id, or the service's name ("sub")
    std::int64_t expires_s = 0;  // the token's exp, seconds since the epoch

    bool is_service() const { return kind == Kind::service; }
    // What the plugin records as actor: the person, or service:NAME.
    std::string actor() const { return is_service() ? "service:" + id : id; }
};

class TokenVerifier {
public:
    explicit TokenVerifier(const AuthSettings& settings);

    // The principal of a valid token; HttpError 401 (code "invalid_token")
    // saying what is wrong otherwise. now_s: seconds since the epoch.
    Principal verify(const std::string& token, std::int64_t now_s) const;

    bool configured() const { return configured_; }

private:
    AuthSettings settings_;
    std::unique_ptr<Poco::JWT::Signer> signer_;
    bool configured_ = false;
};

}  // namespace rl_server
