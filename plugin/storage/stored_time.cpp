#include "storage/stored_time.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeParser.h>

#include <cstdint>

namespace rl::storage {

std::optional<core::Date> court_date_of(const std::string& iso_utc) {
    int tz = 0;
    Poco::DateTime parsed;
    if (iso_utc.size() < 19 || iso_utc[10] != 'T' ||
        !Poco::DateTimeParser::tryParse(iso_utc, parsed, tz)) {
        return std::nullopt;
    }
    const auto ms = static_cast<std::int64_t>(parsed.timestamp().epochMicroseconds() / 1000) -
                    static_cast<std::int64_t>(tz) * 1000;
    return core::Date::in_court_time(ms);
}

std::string court_day_text(const std::string& iso_utc) {
    const auto day = court_date_of(iso_utc);
    return day ? day->iso() : iso_utc.substr(0, 10);
}

}  // namespace rl::storage
