#include "access_log.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <cstdio>

#include "http_util.h"

namespace rl_server {

std::string access_line(const AccessRecord& r) {
    char duration[32];
    std::snprintf(duration, sizeof(duration), "%.3f", r.duration_ms);
    std::string line =
        "{\"ts\":" +
        json_string(Poco::DateTimeFormatter::format(Poco::Timestamp(),
                                                    Poco::DateTimeFormat::ISO8601_FRAC_FORMAT)) +
        ",\"request_id\":" + json_string(r.request_id) + ",\"remote\":" + json_string(r.remote) +
        ",\"http_method\":" + json_string(r.http_method) + ",\"path\":" + json_string(r.path) +
        ",\"method\":" + json_string(r.api_method) + ",\"person\":" + json_string(r.person) +
        ",\"status\":" + std::to_string(r.status) + ",\"duration_ms\":" + duration;
    if (!r.error_id.empty()) {
        line += ",\"error_id\":" + json_string(r.error_id);
    }
    return line + "}";
}

void log_access(Poco::Logger& logger, const AccessRecord& r) {
    logger.information(access_line(r));
}

}  // namespace rl_server
