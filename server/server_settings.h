// The sidecar's settings, read from its configuration (a Poco properties or
// INI file given with --config, overridden by command-line options). Each key
// is documented in docs/server.md.
#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <cstddef>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>

namespace rl_server {

class SettingsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct AuthSettings {
    std::string hs256_secret;          // auth.hs256_secret (or auth.hs256_secret_file)
    std::string public_key_file;       // auth.public_key_file: the OA's RS256/ES256 key (PEM)
    std::string public_key_algorithm;  // auth.public_key_algorithm: RS256 or ES256
    std::string issuer;                // auth.issuer: when set, "iss" must equal it
    std::string audience;              // auth.audience: when set, "aud" must contain it
    int clock_skew_s = 60;             // auth.clock_skew_s, 0–300
    std::string service_scope = "rl.service";  // auth.service_scope
};

struct ServerSettings {
    // server.*
    std::string bind = "127.0.0.1";
    int port = 8080;  // 0: any free port
    int max_threads = 16;
    int max_queued = 64;
    int max_in_flight = 32;  // API calls served at once; more get 503
    int receive_timeout_s = 15;
    int keep_alive_timeout_s = 10;
    int shutdown_grace_s = 30;
    std::size_t max_body_bytes = 32u << 20;
    std::string tls_certificate;  // server.tls.certificate_file
    std::string tls_private_key;  // server.tls.private_key_file
    // plugin.*
    std::string plugin_library;
    std::string plugin_config;  // the host configuration file (as oa-stub's --config)
    std::string database;       // plugin.database: overrides database.path
    // session.*
    int session_ttl_s = 8 * 3600;
    std::size_t max_sessions = 10000;
    // work.*: the reminder sweep and the delivery worker; 0 turns one off.
    int sweep_interval_s = 3600;
    int deliver_interval_ms = 2000;
    bool demo = false;  // --demo: the demo sign-in endpoints
    // plugin.now (--now): the host clock starts at this court time and runs
    // on from there — a demo of a past plan; empty: the system clock.
    std::string now;
    AuthSettings auth;

    bool tls() const { return !tls_certificate.empty(); }
};

// Reads and checks the settings; SettingsError names the key and what is wrong.
ServerSettings read_settings(const Poco::Util::AbstractConfiguration& config);

}  // namespace rl_server
