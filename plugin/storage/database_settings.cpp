#include "storage/database_settings.h"

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/URI.h>

namespace rl::storage {

DatabaseSettings with_postgresql_url(DatabaseSettings base, const std::string& url) {
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception& e) {
        throw DatabaseUrlError("not a URL (" + e.message() + ")");
    }
    if (uri.getScheme() != "postgresql" && uri.getScheme() != "postgres") {
        throw DatabaseUrlError("expected a postgresql://user:password@host:port/name URL, not '" +
                               uri.getScheme() + ":'");
    }
    if (uri.getHost().empty()) {
        throw DatabaseUrlError("the URL names no host");
    }
    base.host = uri.getHost();
    base.port = uri.getPort() != 0 ? uri.getPort() : 5432;
    // Poco keeps the user info as written: each part is decoded on its own,
    // so that an encoded ':' belongs to the password.
    const std::string user_info = uri.getUserInfo();
    const auto colon = user_info.find(':');
    base.user.clear();
    Poco::URI::decode(user_info.substr(0, colon), base.user);
    base.password.clear();
    if (colon != std::string::npos) {
        Poco::URI::decode(user_info.substr(colon + 1), base.password);
    }
    std::string name = uri.getPath();
    if (!name.empty() && name.front() == '/') {
        name.erase(0, 1);
    }
    if (name.empty() || name.find('/') != std::string::npos) {
        throw DatabaseUrlError("the URL names no database (…@host:port/name)");
    }
    base.name = name;
    if (base.user.empty()) {
        throw DatabaseUrlError("the URL names no user (postgresql://user:password@…)");
    }
    for (const auto& [key, value] : uri.getQueryParameters()) {
        if (key == "sslmode") {
            base.sslmode = value;
        } else if (key == "connect_timeout") {
            int seconds = 0;
            if (!Poco::NumberParser::tryParse(value, seconds) || seconds < 1) {
                throw DatabaseUrlError("connect_timeout must be a number of seconds, not '" +
                                       value + "'");
            }
            base.connect_timeout_s = seconds;
        } else {
            throw DatabaseUrlError("unknown URL parameter '" + key +
                                   "' (known: sslmode, connect_timeout)");
        }
    }
    return base;
}

bool valid_schema_name(const std::string& name) {
    if (name.empty() || name.size() > 63 || (name[0] >= '0' && name[0] <= '9')) {
        return false;
    }
    for (const char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return true;
}

}  // namespace rl::storage
