// One JSON line per request: request id, person, method, status, duration.
// Never a token, a cookie, a query string or a body: only what is listed here.
#pragma once

#include <Poco/Logger.h>

#include <string>

namespace rl_server {

struct AccessRecord {
    std::string request_id;
    std::string remote;
    std::string http_method;
    std::string path;        // without the query string (/sso carries a token there)
    std::string api_method;  // the plugin method, or ""
    std::string person;      // who was signed in, or ""
    int status = 0;
    double duration_ms = 0;
    std::string error_id;  // for a 500
};

std::string access_line(const AccessRecord& r);
void log_access(Poco::Logger& logger, const AccessRecord& r);

}  // namespace rl_server
