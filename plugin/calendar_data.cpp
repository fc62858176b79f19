#include "calendar_data.h"

#include "config.h"
#include "json_util.h"
#include "resources/embedded.h"

namespace rl {

core::WorkingCalendar load_calendar(std::string_view text, const std::string& source) {
    const json::Reader r("calendar " + source,
                         [](const std::string& message) { throw ConfigError(message); });
    const rapidjson::Document doc = r.parse_object(text);
    r.only_keys(doc, "", {"about", "time_zone", "years"});
    const auto zone = r.string(doc, "", "time_zone", false).value_or("+08:00");
    if (zone != "+08:00") {
        r.fail("time_zone", "court time is UTC+8; expected \"+08:00\"");
    }
    const json::Value& years = *r.object(doc, "", "years", true);
    core::WorkingCalendar calendar;
    for (auto it = years.MemberBegin(); it != years.MemberEnd(); ++it) {
        const std::string year_key = it->name.GetString();
        const std::string path = "years." + year_key;
        const auto date = [&](const std::string& where, const std::string& value) {
            const auto d = core::Date::parse(value);
            if (!d) {
                r.fail(where, "'" + value + "' is not a date (expected YYYY-MM-DD)");
            }
            return *d;
        };
        const auto year_date = core::Date::parse(year_key + "-01-01");
        if (!year_date || !it->value.IsObject()) {
            r.fail(path, "expected a four-digit year holding an object");
        }
        r.only_keys(it->value, path, {"notice", "holidays", "working_days"});
        std::vector<core::Holiday> holidays;
        if (const json::Value* list = r.array(it->value, path, "holidays", true)) {
            for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
                const std::string where = json::index_path(path + ".holidays", i);
                if (!(*list)[i].IsObject()) {
                    r.fail(where, "expected {\"name\", \"from\", \"to\"}");
                }
                r.only_keys((*list)[i], where, {"name", "from", "to"});
                holidays.push_back(
                    {*r.string((*list)[i], where, "name", true),
                     date(where + ".from", *r.string((*list)[i], where, "from", true)),
                     date(where + ".to", *r.string((*list)[i], where, "to", true))});
            }
        }
        std::vector<core::Date> working;
        const auto days = r.strings(it->value, path, "working_days", false);
        for (std::size_t i = 0; i < days.size(); ++i) {
            working.push_back(date(json::index_path(path + ".working_days", i), days[i]));
        }
        try {
            calendar.add_year(year_date->year, holidays, working);
        } catch (const std::invalid_argument& e) {
            r.fail(path, e.what());
        }
    }
    return calendar;
}

core::WorkingCalendar builtin_calendar() {
    for (const auto& file : resources::calendar_data()) {
        return load_calendar(file.text(), "(built in) " + std::string(file.path));
    }
    throw std::logic_error("the built-in working-day calendar is missing");
}

}  // namespace rl
