#include "history.h"

#include <cstdio>
#include <string>

namespace rl::bench {

const char* const kReformOffice = "u-sigaiban-head";

namespace {

std::string act_request(const rapidjson::Value& ob, const std::string& period,
                        const std::string& action, const std::string& actor, int version) {
    std::string r = "{\"action\":\"" + action + "\",\"actor\":" + json_string(actor) +
                    ",\"task\":" + json_string(ob["task"].GetString()) +
                    ",\"item\":" + json_string(ob["item"].GetString()) +
                    ",\"department\":" + json_string(ob["department"].GetString()) +
                    ",\"period\":\"" + period + "\"";
    if (version > 0) {
        r += ",\"version\":" + std::to_string(version);
    }
    if (action == "save_draft") {
        r += ",\"content\":{\"progress_summary\":\"本月已完成流程梳理，形成制度初稿。\","
             "\"percent_complete\":60}";
    }
    return r + "}";
}

}  // namespace

std::string period_of(int year, int month) {
    char p[16];
    std::snprintf(p, sizeof p, "%04d-%02d", year, month);
    return p;
}

void file_month(oa_stub::PluginHost& host, const std::map<std::string, Chain>& people,
                const std::string& period, History& h) {
    host.call("notify.sweep", "{}");
    const auto list =
        parse_json(host.call("obligations.list", "{\"user\":\"" + std::string(kReformOffice) +
                                                     "\",\"period\":\"" + period + "\"}"));
    for (const bool co : {true, false}) {
        for (const auto& ob : list["obligations"].GetArray()) {
            if ((std::string(ob["role"].GetString()) == "co") != co) {
                continue;
            }
            const auto chain = people.find(ob["department"].GetString());
            if (chain == people.end()) {
                ++h.refused;
                continue;
            }
            const Chain& c = chain->second;
            const std::pair<const char*, std::string> steps[] = {{"save_draft", c.contact},
                                                                 {"submit", c.contact},
                                                                 {"approve", c.head},
                                                                 {"approve", c.leader},
                                                                 {"file", kReformOffice}};
            int version = 0;
            for (const auto& step : steps) {
                const std::string result = host.call(
                    "report.act", act_request(ob, period, step.first, step.second, version));
                if (result.find("\"outcome\":\"ok\"") == std::string::npos) {
                    ++h.refused;
                    break;
                }
                ++h.actions;
                ++version;
            }
        }
    }
    ++h.months;
}

void file_months(oa_stub::PluginHost& host, const std::map<std::string, Chain>& people, int year,
                 int month, const std::string& until, History& h) {
    for (int y = year, m = month; period_of(y, m) < until;) {
        const int next_year = m == 12 ? y + 1 : y;
        const int next_month = m == 12 ? 1 : m + 1;
        host.set_clock(court_ms(next_year, next_month, 3, 10));
        file_month(host, people, period_of(y, m), h);
        y = next_year;
        m = next_month;
    }
}

}  // namespace rl::bench
