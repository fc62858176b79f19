// The court's dates of the instants the stores keep. Times are stored as ISO
// 8601 UTC text ("2019-11-08T01:00:00.000Z"); the court reckons its days in
// its own time (UTC+8), so an instant after 16:00 UTC falls on the next court
// day.
#pragma once

#include <optional>
#include <string>

#include "core/calendar.h"

namespace rl::storage {

// The court date of a stored instant, or nullopt when the text is not one.
std::optional<core::Date> court_date_of(const std::string& iso_utc);

// The same as text ("2019-11-08"); the text's first ten characters when it is
// not an instant (a bare date stays as it is).
std::string court_day_text(const std::string& iso_utc);

}  // namespace rl::storage
