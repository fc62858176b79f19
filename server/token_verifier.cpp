#include "token_verifier.h"

#include <Poco/Crypto/ECKey.h>
#include <Poco/Crypto/RSAKey.h>
#include <Poco/JSON/Array.h>
#include <Poco/JWT/JWTException.h>
#include <Poco/StringTokenizer.h>

#include "http_util.h"

namespace rl_server {

namespace {

HttpError invalid(const std::string& why) {
    return HttpError(401, "invalid_token", "the bearer token is not accepted: " + why);
}

// A numeric date claim in seconds, or -1 when absent; 401 when not a number.
std::int64_t seconds_claim(const Poco::JSON::Object& payload, const std::string& claim) {
    if (!payload.has(claim)) {
        return -1;
    }
    const Poco::Dynamic::Var value = payload.get(claim);
    if (!value.isNumeric()) {
        throw invalid("claim '" + claim + "' is not a number of seconds (RFC 7519 NumericDate)");
    }
    return static_cast<std::int64_t>(value.convert<double>());
}

bool plain_service_name(const std::string& name) {
    return !name.empty() && name.size() <= 64 &&
           name.find_first_not_of(
               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
               "0123456789._-") == std::string::npos;
}

bool has_scope(const Poco::JSON::Object& payload, const std::string& wanted) {
    for (const char* claim : {"scope", "scp"}) {
        if (!payload.has(claim)) {
            continue;
        }
        const Poco::Dynamic::Var value = payload.get(claim);
        if (value.isString()) {  // OAuth 2.0: space-separated (RFC 8693 §4.2)
            Poco::StringTokenizer words(value.toString(), " ",
                                        Poco::StringTokenizer::TOK_IGNORE_EMPTY);
            for (const auto& word : words) {
                if (word == wanted) {
                    return true;
                }
            }
        } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
            const auto list = value.extract<Poco::JSON::Array::Ptr>();
            for (std::size_t i = 0; i < list->size(); ++i) {
                if (list->get(i).isString() && list->get(i).toString() == wanted) {
                    return true;
                }
            }
        }
    }
    return false;
}

}  // namespace

TokenVerifier::TokenVerifier(const AuthSettings& settings)
    : settings_(settings), signer_(std::make_unique<Poco::JWT::Signer>()) {
    std::set<std::string> algorithms;
    if (!settings_.hs256_secret.empty()) {
        signer_->setHMACKey(settings_.hs256_secret);
        algorithms.insert(Poco::JWT::Signer::ALGO_HS256);
    }
    if (!settings_.public_key_file.empty()) {
        try {
            if (settings_.public_key_algorithm == "ES256") {
                signer_->setECKey(new Poco::Crypto::ECKey(settings_.public_key_file, "", ""));
                algorithms.insert(Poco::JWT::Signer::ALGO_ES256);
            } else {
                signer_->setRSAKey(new Poco::Crypto::RSAKey(settings_.public_key_file, "", ""));
                algorithms.insert(Poco::JWT::Signer::ALGO_RS256);
            }
        } catch (const Poco::Exception& e) {
            throw SettingsError("configuration key auth.public_key_file: cannot read the " +
                                settings_.public_key_algorithm + " public key from '" +
                                settings_.public_key_file + "': " + e.displayText());
        }
    }
    // Only what is configured: "none" is never allowed, and neither is an
    // HMAC algorithm when only a public key is configured.
    signer_->setAlgorithms(algorithms);
    configured_ = !algorithms.empty();
}

Principal TokenVerifier::verify(const std::string& token, std::int64_t now_s) const {
    if (!configured_) {
        throw invalid("this server checks no tokens (no auth.* key is configured)");
    }
    Poco::JWT::Token jwt;
    try {
        jwt = signer_->verify(token);
    } catch (const Poco::JWT::UnallowedAlgorithmException& e) {
        throw invalid("its algorithm is not allowed here (" + e.message() + ")");
    } catch (const Poco::JWT::SignatureVerificationException&) {
        throw invalid("its signature does not verify");
    } catch (const Poco::Exception& e) {
        throw invalid("it is not a well-formed JWT (" + e.displayText() + ")");
    }
    const Poco::JSON::Object& payload = jwt.payload();
    const std::int64_t skew = settings_.clock_skew_s;
    const std::int64_t exp = seconds_claim(payload, "exp");
    if (exp < 0) {
        throw invalid("it has no 'exp' claim (tokens must expire)");
    }
    if (now_s > exp + skew) {
        throw invalid("it expired " + std::to_string(now_s - exp) + " s ago (allowed clock skew " +
                      std::to_string(skew) + " s)");
    }
    const std::int64_t nbf = seconds_claim(payload, "nbf");
    if (nbf >= 0 && now_s + skew < nbf) {
        throw invalid("it is not valid before " + std::to_string(nbf) + " ('nbf')");
    }
    const std::int64_t iat = seconds_claim(payload, "iat");
    if (iat >= 0 && now_s + skew < iat) {
        throw invalid("it was issued in the future ('iat')");
    }
    if (!settings_.issuer.empty() && jwt.getIssuer() != settings_.issuer) {
        throw invalid("its issuer ('iss') is not " + settings_.issuer);
    }
    if (!settings_.audience.empty()) {
        bool found = false;
        try {
            for (const auto& a : jwt.getAudience()) {
                found = found || a == settings_.audience;
            }
        } catch (const Poco::Exception&) {
            found = false;
        }
        if (!found) {
            throw invalid("its audience ('aud') does not name " + settings_.audience);
        }
    }
    Principal p;
    p.id = jwt.getSubject();
    p.expires_s = exp;
    if (p.id.empty() || p.id.size() > 200) {
        throw invalid("its subject ('sub') must name a person or a service (1–200 bytes)");
    }
    if (has_scope(payload, settings_.service_scope)) {
        if (!plain_service_name(p.id)) {
            throw invalid(
                "a service token's subject must be 1–64 letters, digits, '.', '_' or '-'");
        }
        p.kind = Principal::Kind::service;
    }
    return p;
}

}  // namespace rl_server
