// The calendar methods of the ABI: the working days between two dates and
// what one day is (calendar.workdays, calendar.day), by the working-day
// calendar the plugin counts due dates with.
#include "abi/context.h"
#include "abi/errors.h"
#include "abi/families.h"

namespace rl::abi {

namespace {

core::Date date_field(const rapidjson::Document& request, const char* key) {
    const std::string text = *request_reader().string(request, "", key, true);
    const auto date = core::Date::parse(text);
    if (!date) {
        request_reader().fail(key, "'" + text + "' is not a date (expected YYYY-MM-DD)");
    }
    if (date->year < core::kFirstYear || date->year > core::kLastYear) {
        request_reader().fail(key, text + " is outside the years " +
                                       std::to_string(core::kFirstYear) + "–" +
                                       std::to_string(core::kLastYear));
    }
    return *date;
}

void calendar_workdays(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {"from", "to"});
    const core::Date from = date_field(request, "from");
    const core::Date to = date_field(request, "to");
    if (to < from) {
        request_reader().fail("to", to.iso() + " is before from (" + from.iso() + ")");
    }
    if (to.days() - from.days() > 3660) {
        request_reader().fail("to", "the range is longer than ten years");
    }
    const auto days = ctx.calendar().working_days(from, to);
    w.StartObject();
    w.Key("from");
    json::write_string(w, from.iso());
    w.Key("to");
    json::write_string(w, to.iso());
    w.Key("count");
    w.Uint64(days.size());
    w.Key("days");
    w.StartArray();
    for (const auto& d : days) {
        json::write_string(w, d.iso());
    }
    w.EndArray();
    w.Key("warnings");
    w.StartArray();
    for (int year : ctx.calendar().uncovered_years(from, to)) {
        json::write_string(w, "the calendar has no holiday data for " + std::to_string(year) +
                                  ": plain weekends are used for that year");
    }
    w.EndArray();
    w.EndObject();
}

void calendar_day(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {"date"});
    const core::Date date = date_field(request, "date");
    w.StartObject();
    w.Key("date");
    json::write_string(w, date.iso());
    w.Key("weekday");
    w.Int(date.weekday());
    w.Key("working_day");
    w.Bool(ctx.calendar().is_working_day(date));
    w.Key("note");
    const auto note = ctx.calendar().note(date);
    if (note) {
        json::write_string(w, *note);
    } else {
        w.Null();
    }
    w.Key("covered");
    w.Bool(ctx.calendar().covers(date.year));
    w.EndObject();
}

}  // namespace

void add_calendar_methods(MethodTable& table) {
    table.add("calendar.workdays", Tx::read, calendar_workdays);
    table.add("calendar.day", Tx::read, calendar_day);
}

}  // namespace rl::abi
