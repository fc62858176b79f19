#include "server_settings.h"

#include <fstream>
#include <sstream>

#include "install_layout.h"
#include "plugin_host.h"

namespace rl_server {

namespace {

int bounded(const Poco::Util::AbstractConfiguration& c, const std::string& key, int fallback,
            int low, int high) {
    int value = fallback;
    try {
        value = c.getInt(key, fallback);
    } catch (const Poco::Exception& e) {
        throw SettingsError("configuration key " + key + ": not a whole number (" +
                            e.displayText() + ")");
    }
    if (value < low || value > high) {
        throw SettingsError("configuration key " + key + " = " + std::to_string(value) +
                            " is outside " + std::to_string(low) + "–" + std::to_string(high));
    }
    return value;
}

std::string read_secret_file(const std::string& key, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw SettingsError("configuration key " + key + ": cannot read '" + path + "'");
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::string secret = text.str();
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) {
        secret.pop_back();
    }
    return secret;
}

}  // namespace

ServerSettings read_settings(const Poco::Util::AbstractConfiguration& c) {
    ServerSettings s;
    s.bind = c.getString("server.bind", s.bind);
    s.port = bounded(c, "server.port", s.port, 0, 65535);
    s.max_threads = bounded(c, "server.max_threads", s.max_threads, 1, 1024);
    s.max_queued = bounded(c, "server.max_queued", s.max_queued, 1, 100000);
    s.max_in_flight = bounded(c, "server.max_in_flight", s.max_in_flight, 1, 100000);
    s.receive_timeout_s = bounded(c, "server.receive_timeout_s", s.receive_timeout_s, 1, 3600);
    s.keep_alive_timeout_s =
        bounded(c, "server.keep_alive_timeout_s", s.keep_alive_timeout_s, 1, 3600);
    s.shutdown_grace_s = bounded(c, "server.shutdown_grace_s", s.shutdown_grace_s, 0, 3600);
    s.max_body_bytes = static_cast<std::size_t>(
        bounded(c, "server.max_body_bytes", static_cast<int>(s.max_body_bytes), 1024, 1 << 30));
    s.tls_certificate = c.getString("server.tls.certificate_file", "");
    s.tls_private_key = c.getString("server.tls.private_key_file", "");
    if (s.tls_certificate.empty() != s.tls_private_key.empty()) {
        throw SettingsError(
            "configuration: TLS needs both server.tls.certificate_file and "
            "server.tls.private_key_file");
    }

    s.plugin_library = c.getString("plugin.library", oa_stub::default_plugin_path());
    s.plugin_config = c.getString("plugin.config", oa_stub::default_demo_dir() + "/config.json");
    s.database = c.getString("plugin.database", "");

    s.session_ttl_s = bounded(c, "session.ttl_s", s.session_ttl_s, 60, 7 * 24 * 3600);
    s.max_sessions = static_cast<std::size_t>(
        bounded(c, "session.max_sessions", static_cast<int>(s.max_sessions), 1, 10000000));
    s.sweep_interval_s = bounded(c, "work.sweep_interval_s", s.sweep_interval_s, 0, 7 * 24 * 3600);
    s.deliver_interval_ms =
        bounded(c, "work.deliver_interval_ms", s.deliver_interval_ms, 0, 24 * 3600 * 1000);
    s.demo = c.getBool("demo", false);
    s.now = c.getString("plugin.now", "");
    if (!s.now.empty() && !oa_stub::court_time_ms(s.now)) {
        throw SettingsError(
            "plugin.now (--now): expected YYYY-MM-DD or YYYY-MM-DDTHH:MM (court "
            "time, UTC+8), not '" +
            s.now + "'");
    }

    AuthSettings& a = s.auth;
    a.hs256_secret = c.getString("auth.hs256_secret", "");
    const std::string secret_file = c.getString("auth.hs256_secret_file", "");
    if (!secret_file.empty()) {
        if (!a.hs256_secret.empty()) {
            throw SettingsError(
                "configuration: give auth.hs256_secret or auth.hs256_secret_file, not both");
        }
        a.hs256_secret = read_secret_file("auth.hs256_secret_file", secret_file);
    }
    if (!a.hs256_secret.empty() && a.hs256_secret.size() < 32) {
        throw SettingsError(
            "configuration key auth.hs256_secret: at least 32 bytes are needed for HS256 "
            "(RFC 7518 §3.2)");
    }
    a.public_key_file = c.getString("auth.public_key_file", "");
    a.public_key_algorithm = c.getString("auth.public_key_algorithm", "RS256");
    if (a.public_key_algorithm != "RS256" && a.public_key_algorithm != "ES256") {
        throw SettingsError("configuration key auth.public_key_algorithm: '" +
                            a.public_key_algorithm + "' (expected RS256 or ES256)");
    }
    if (a.hs256_secret.empty() && a.public_key_file.empty() && !s.demo) {
        throw SettingsError(
            "configuration: no way to check tokens — set auth.hs256_secret (or "
            "auth.hs256_secret_file) or auth.public_key_file, or start with --demo");
    }
    a.issuer = c.getString("auth.issuer", "");
    a.audience = c.getString("auth.audience", "");
    a.clock_skew_s = bounded(c, "auth.clock_skew_s", a.clock_skew_s, 0, 300);
    a.service_scope = c.getString("auth.service_scope", a.service_scope);
    return s;
}

}  // namespace rl_server
