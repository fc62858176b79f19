#include "assessment_commands.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <ostream>
#include <string>

#include "cli_options.h"
#include "stub_config.h"
#include "text_table.h"

namespace oa_stub {

namespace {

constexpr const char* kUsage = "scores --period 2019-05 | --year 2019 [--plan KEY] [--json]";

std::string quoted(const std::string& s) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return buffer.GetString();
}

std::string fixed(double x, const char* format = "%.2f") {
    char text[64];
    std::snprintf(text, sizeof text, format, x);
    return text;
}

}  // namespace

int scores_command(CliContext& c) {
    const auto& o = c.options;
    if (o.words.size() != 1) {
        throw UsageError(std::string("usage: oa-stub ") + kUsage);
    }
    if (o.period && o.year) {
        throw UsageError(std::string("give --period or --year, not both (usage: oa-stub ") +
                         kUsage + ")");
    }
    if (!o.period && !o.year) {
        throw UsageError(std::string("missing --period or --year (usage: oa-stub ") + kUsage + ")");
    }
    std::string request = "{";
    std::string method;
    if (o.period) {
        method = "scores.period";
        request += "\"period\":" + quoted(*o.period);
    } else {
        method = "scores.year";
        request += "\"year\":" + std::to_string(parse_whole(*o.year, "--year"));
    }
    if (o.plan) {
        request += ",\"plan\":" + quoted(*o.plan);
    }
    if (o.user) {
        request += ",\"user\":" + quoted(*o.user);
    }
    request += "}";
    const std::string result = c.host.call(method, request);
    if (o.json) {
        c.out << result << "\n";
        return 0;
    }
    rapidjson::Document doc;
    doc.Parse(result.data(), result.size());
    c.out << "考评 Department scores, "
          << (doc.HasMember("period") ? std::string(doc["period"].GetString())
                                      : std::to_string(doc["year"].GetInt()))
          << " (today " << doc["today"].GetString() << "; months scored: ";
    std::string months;
    for (const auto& m : doc["months_scored"].GetArray()) {
        months += (months.empty() ? "" : " ") + std::string(m.GetString());
    }
    c.out << (months.empty() ? "none" : months) << ")\n";
    TextTable table({"名次 rank", "部门 department", "得分 score", "按时报送 on time",
                     "逾期工作日 overdue days", "催办 urges", "督办 notices", "退回 returns",
                     "按期办结 closed on time"});
    for (const auto& d : doc["departments"].GetArray()) {
        std::string rank = std::to_string(d["rank"].GetInt());
        if (d["tied_with"].Size() > 0) {
            rank += "=";
        }
        const std::string on_time =
            std::to_string(d["reports_on_time"].GetInt()) + "/" +
            std::to_string(d["reports_due"].GetInt()) +
            (d["on_time_rate"].IsNumber()
                 ? " (" + fixed(d["on_time_rate"].GetDouble() * 100, "%.0f") + "%)"
                 : "");
        table.add(
            {rank, d["department"].GetString(), fixed(d["score"].GetDouble()), on_time,
             std::to_string(d["overdue_working_days"].GetInt()),
             std::to_string(d["urges"].GetInt()), std::to_string(d["supervision_notices"].GetInt()),
             std::to_string(d["returns"].GetInt()),
             d["tasks_closed_on_time"].IsInt() ? std::to_string(d["tasks_closed_on_time"].GetInt())
                                               : "-"});
    }
    table.print(c.out);
    c.out << "Weights:";
    for (auto it = doc["weights"].MemberBegin(); it != doc["weights"].MemberEnd(); ++it) {
        c.out << " " << it->name.GetString() << "=" << fixed(it->value.GetDouble(), "%g");
    }
    c.out << "\n";
    for (const auto& note : doc["notes"].GetArray()) {
        c.out << "Note: " << note.GetString() << "\n";
    }
    return 0;
}

}  // namespace oa_stub
