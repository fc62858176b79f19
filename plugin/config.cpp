#include "config.h"

#include "json_util.h"
#include "registrations.h"
#include "transport/http_sender.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace rl {

namespace {

const json::Reader& reader() {
    static const json::Reader r("configuration",
                                [](const std::string& message) { throw ConfigError(message); });
    return r;
}

std::vector<core::PersonRole> roles_of(const json::Value& parent, const std::string& where,
                                       bool required) {
    const auto& r = reader();
    std::vector<core::PersonRole> out;
    const auto roles = r.strings(parent, where, "roles", required);
    for (std::size_t k = 0; k < roles.size(); ++k) {
        const auto role = core::person_role_from_string(roles[k]);
        if (!role) {
            r.fail(json::index_path(where + ".roles", k),
                   "unknown role '" + roles[k] +
                       "' (expected contact, head, leader_in_charge, reform_office, "
                       "president or supervision_office)");
        }
        out.push_back(*role);
    }
    return out;
}

core::OrgChart parse_org_chart(const json::Value& value) {
    const auto& r = reader();
    const std::string path = "org_chart";
    r.only_keys(value, path, {"demo", "court", "note", "departments", "groups", "people"});
    core::OrgChart chart;
    chart.demo = r.boolean(value, path, "demo").value_or(false);
    const auto guarded = [&](const std::string& where, auto&& add) {
        try {
            add();
        } catch (const std::invalid_argument& e) {
            r.fail(where, e.what());
        }
    };
    const json::Value& departments = *r.array(value, path, "departments", true);
    for (rapidjson::SizeType i = 0; i < departments.Size(); ++i) {
        const std::string where = json::index_path(path + ".departments", i);
        if (!departments[i].IsObject()) {
            r.fail(where, "expected an object with \"name\"");
        }
        r.only_keys(departments[i], where, {"name", "aliases"});
        core::Department d{*r.string(departments[i], where, "name", true),
                           r.strings(departments[i], where, "aliases", false)};
        guarded(where, [&] { chart.add_department(std::move(d)); });
    }
    if (const json::Value* groups = r.array(value, path, "groups", false)) {
        for (rapidjson::SizeType i = 0; i < groups->Size(); ++i) {
            const std::string where = json::index_path(path + ".groups", i);
            if (!(*groups)[i].IsObject()) {
                r.fail(where, "expected an object with \"name\" and \"members\"");
            }
            r.only_keys((*groups)[i], where, {"name", "members"});
            core::DepartmentGroup g{*r.string((*groups)[i], where, "name", true),
                                    r.strings((*groups)[i], where, "members", true)};
            guarded(where, [&] { chart.add_group(std::move(g)); });
        }
    }
    if (const json::Value* people = r.array(value, path, "people", false)) {
        for (rapidjson::SizeType i = 0; i < people->Size(); ++i) {
            const std::string where = json::index_path(path + ".people", i);
            const json::Value& p = (*people)[i];
            if (!p.IsObject()) {
                r.fail(where,
                       "expected an object with \"id\", \"name\", \"department\", \"roles\"");
            }
            r.only_keys(p, where,
                        {"id", "name", "department", "roles", "in_charge_of", "positions", "active",
                         "dingtalk_userid", "wecom_userid"});
            core::Person person;
            person.id = *r.string(p, where, "id", true);
            person.name = *r.string(p, where, "name", true);
            person.department = *r.string(p, where, "department", true);
            person.roles = roles_of(p, where, true);
            person.in_charge_of = r.strings(p, where, "in_charge_of", false);
            person.active = r.boolean(p, where, "active").value_or(true);
            for (const char* key : {"dingtalk_userid", "wecom_userid"}) {
                const std::string id = r.string(p, where, key, false).value_or("");
                // The platforms' user ids are short ASCII; a separator would address others.
                const bool plain = !id.empty() && id.size() <= 64 &&
                                   std::all_of(id.begin(), id.end(), [](unsigned char c) {
                                       return c > 0x20 && c < 0x7F && c != ',' && c != '|';
                                   });
                if (p.HasMember(key) && !plain) {
                    r.fail(where + "." + key,
                           "expected the person's user id on that platform: 1 to 64 printable "
                           "ASCII characters without spaces, commas or |");
                }
                (std::string(key) == "dingtalk_userid" ? person.dingtalk_userid
                                                       : person.wecom_userid) = id;
            }
            if (const json::Value* positions = r.array(p, where, "positions", false)) {
                for (rapidjson::SizeType k = 0; k < positions->Size(); ++k) {
                    const std::string at = json::index_path(where + ".positions", k);
                    const json::Value& position = (*positions)[k];
                    if (!position.IsObject()) {
                        r.fail(at, "expected {\"department\", \"roles\"}");
                    }
                    r.only_keys(position, at, {"department", "roles"});
                    person.positions.push_back({*r.string(position, at, "department", true),
                                                roles_of(position, at, true)});
                }
            }
            guarded(where, [&] { chart.add_person(std::move(person)); });
        }
    }
    return chart;
}

core::Cycle parse_cycle(const json::Value& value, const std::string& path) {
    const auto cycle = value.IsString() ? core::cycle_from_string(value.GetString()) : std::nullopt;
    if (!cycle) {
        reader().fail(path, "expected \"monthly\" or \"quarterly\"");
    }
    return *cycle;
}

core::ReportingPolicy parse_reporting(const json::Value& value) {
    const auto& r = reader();
    const std::string path = "options.reporting";
    r.only_keys(value, path, {"cycle", "due_working_day", "tasks", "plans"});
    core::ReportingPolicy policy;
    if (value.HasMember("cycle")) {
        policy.default_cycle = parse_cycle(value["cycle"], path + ".cycle");
    }
    if (value.HasMember("due_working_day")) {
        const auto& day = value["due_working_day"];
        if (!day.IsInt() || day.GetInt() < 1 || day.GetInt() > 15) {
            r.fail(path + ".due_working_day",
                   "expected a whole number from 1 to 15 (the n-th working day of the month "
                   "after the period)");
        }
        policy.due_working_day = day.GetInt();
    }
    for (const char* key : {"tasks", "plans"}) {
        if (const json::Value* map = r.object(value, path, key, false)) {
            auto& target = std::string(key) == "tasks" ? policy.task_cycles : policy.plan_cycles;
            for (auto it = map->MemberBegin(); it != map->MemberEnd(); ++it) {
                target[it->name.GetString()] =
                    parse_cycle(it->value, path + "." + key + "." + it->name.GetString());
            }
        }
    }
    return policy;
}

int int_in(const json::Value& parent, const std::string& path, const char* key, int low, int high,
           int fallback) {
    const auto it = parent.FindMember(key);
    if (it == parent.MemberEnd()) {
        return fallback;
    }
    if (!it->value.IsInt() || it->value.GetInt() < low || it->value.GetInt() > high) {
        reader().fail(
            json::join_path(path, key),
            "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high));
    }
    return it->value.GetInt();
}

int minute_of(const std::string& path, const std::string& text) {
    if (text.size() != 5 || text[2] != ':' || !std::isdigit(static_cast<unsigned char>(text[0])) ||
        !std::isdigit(static_cast<unsigned char>(text[1])) ||
        !std::isdigit(static_cast<unsigned char>(text[3])) ||
        !std::isdigit(static_cast<unsigned char>(text[4]))) {
        reader().fail(path, "expected a time of day HH:MM, not '" + text + "'");
    }
    const int h = std::stoi(text.substr(0, 2));
    const int m = std::stoi(text.substr(3, 2));
    if (h > 23 || m > 59) {
        reader().fail(path, "expected a time of day HH:MM, not '" + text + "'");
    }
    return h * 60 + m;
}

void parse_rules(const json::Value& rules_value, const std::string& where,
                 core::ReminderSettings& s);

// A URL a person or the plugin follows: http(s)://host[:port][/path], nothing invisible, no
// credentials, no query or fragment (the plugin adds its own). Trailing slashes dropped.
std::string plain_base_url(const std::string& where, std::string url) {
    const auto& r = reader();
    const bool scheme = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
    const std::size_t host_at = url.find("://") + 3;
    const bool printable = std::all_of(url.begin(), url.end(), [](unsigned char c) {
        return c > 0x20 && c < 0x7F && c != '"' && c != '<' && c != '>' && c != '\\';
    });
    if (!scheme || !printable || host_at >= url.size() || url[host_at] == '/' ||
        url.find_first_of("?#@", host_at) != std::string::npos) {
        r.fail(where,
               "expected an http:// or https:// URL with a host and no query, fragment, "
               "credentials or spaces (got \"" +
                   url.substr(0, 200) + "\")");
    }
    while (url.size() > host_at + 1 && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

// A DingTalk 工作通知 or WeCom 应用消息 channel: the app's credentials, its agent id, the API
// root (default: the platform's) and its caps.
void parse_app_channel(const json::Value& c, const std::string& where, transport::Endpoint& e) {
    const auto& r = reader();
    const bool dingtalk = e.kind == transport::ChannelKind::dingtalk_work_notice;
    const char* key_name = dingtalk ? "app_key" : "corp_id";
    const char* secret_name = dingtalk ? "app_secret" : "corp_secret";
    r.only_keys(c, where,
                {"name", "kind", "url", key_name, secret_name, "agent_id", "per_minute", "per_day",
                 "ca_file", "timeouts"});
    const std::string what =
        dingtalk ? "a dingtalk_work_notice channel needs " : "a wecom_app_message channel needs ";
    for (const char* name : {key_name, secret_name}) {
        const auto value = r.string(c, where, name, false);
        if (!value || value->empty()) {
            r.fail(where + "." + name,
                   what + "\"" + name + "\" (the app's " +
                       (dingtalk ? (name == key_name ? "AppKey" : "AppSecret")
                                 : (name == key_name ? "CorpID" : "Secret")) +
                       " from the " +
                       (dingtalk ? "DingTalk developer console" : "WeCom admin console") + ")");
        }
    }
    e.app_key = *r.string(c, where, key_name, true);
    e.secret = *r.string(c, where, secret_name, true);
    const auto agent = c.FindMember("agent_id");
    if (agent == c.MemberEnd()) {
        r.fail(where + ".agent_id", what + "\"agent_id\" (the app's AgentId, a number)");
    }
    if (agent->value.IsInt64() && agent->value.GetInt64() > 0) {
        e.agent_id = std::to_string(agent->value.GetInt64());
    } else if (agent->value.IsString()) {
        e.agent_id = agent->value.GetString();
    }
    if (e.agent_id.empty() || e.agent_id.size() > 18 ||
        !std::all_of(e.agent_id.begin(), e.agent_id.end(),
                     [](unsigned char ch) { return std::isdigit(ch) != 0; })) {
        r.fail(where + ".agent_id", "expected the app's AgentId: a positive whole number");
    }
    e.url = plain_base_url(where + ".url", r.string(c, where, "url", false)
                                               .value_or(dingtalk ? transport::kDingtalkApiBase
                                                                  : transport::kWecomApiBase));
    // DingTalk lets an internal app call asyncsend_v2 some 1500 times a minute and WeCom
    // throttles an app per member (30 a minute); a court sends a few a day. The caps keep a
    // runaway sweep (or a requeue of thousands) within them.
    e.per_minute = int_in(c, where, "per_minute", 0, 100000, 60);
    e.per_day = int_in(c, where, "per_day", 0, 10000000, 0);
}

void parse_notifications(const json::Value& v, const core::OrgChart& chart, notify::Settings& out) {
    const auto& r = reader();
    const std::string path = "notifications";
    r.only_keys(v, path,
                {"channels", "routes", "quiet_hours", "retry", "robot_per_minute",
                 "urge_min_interval_hours", "sweep_slice_ms", "worker", "rules", "plan_rules",
                 "console_base_url"});
    if (const auto base = r.string(v, path, "console_base_url", false)) {
        out.console_base_url = plain_base_url(path + ".console_base_url", *base);
    }
    if (const json::Value* channels = r.array(v, path, "channels", false)) {
        for (rapidjson::SizeType i = 0; i < channels->Size(); ++i) {
            const std::string where = json::index_path(path + ".channels", i);
            const json::Value& c = (*channels)[i];
            if (!c.IsObject()) {
                r.fail(where, "expected {\"name\", \"kind\", \"url\", \"secret\"}");
            }
            transport::Endpoint e;
            e.name = *r.string(c, where, "name", true);
            const std::string kind = *r.string(c, where, "kind", true);
            const auto k = transport::channel_kind_from_string(kind);
            if (!k) {
                r.fail(where + ".kind", "unknown channel kind '" + kind +
                                            "' (expected webhook, dingtalk, wecom, "
                                            "dingtalk_work_notice or wecom_app_message)");
            }
            e.kind = *k;
            if (transport::is_person_channel(e.kind)) {
                parse_app_channel(c, where, e);
            } else {
                r.only_keys(c, where, {"name", "kind", "url", "secret", "ca_file", "timeouts"});
                e.url = *r.string(c, where, "url", true);
                e.secret = r.string(c, where, "secret", false).value_or("");
            }
            if (e.url.rfind("http://", 0) != 0 && e.url.rfind("https://", 0) != 0) {
                r.fail(where + ".url", "expected an http:// or https:// URL");
            }
            e.ca_file = r.string(c, where, "ca_file", false).value_or("");
            if (e.kind == transport::ChannelKind::webhook && e.secret.rfind("whsec_", 0) != 0) {
                r.fail(where + ".secret", "a webhook channel needs a secret starting with whsec_");
            }
            if (const json::Value* t = r.object(c, where, "timeouts", false)) {
                r.only_keys(*t, where + ".timeouts", {"connect_ms", "send_ms", "receive_ms"});
                e.timeouts.connect_ms =
                    int_in(*t, where + ".timeouts", "connect_ms", 1, 600000, e.timeouts.connect_ms);
                e.timeouts.send_ms =
                    int_in(*t, where + ".timeouts", "send_ms", 1, 600000, e.timeouts.send_ms);
                e.timeouts.receive_ms =
                    int_in(*t, where + ".timeouts", "receive_ms", 1, 600000, e.timeouts.receive_ms);
            }
            if (transport::is_person_channel(e.kind)) {
                // Checked now (the URL, the credentials, TLS with ca_file), not at the first
                // send: a mistake here would otherwise turn every message into a dead letter.
                try {
                    transport::HttpSender probe(e);
                } catch (const std::invalid_argument& problem) {
                    r.fail(where, problem.what());
                }
            }
            for (const auto& other : out.channels) {
                if (other.name == e.name) {
                    r.fail(where + ".name", "channel '" + e.name + "' is named twice");
                }
            }
            out.channels.push_back(std::move(e));
        }
    }
    const auto check_routes = [&](const std::string& where, const std::vector<std::string>& names) {
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (out.channel(names[i]) == nullptr) {
                r.fail(json::index_path(where, i), "no channel is named '" + names[i] + "'");
            }
        }
    };
    out.default_route.clear();
    for (const auto& c : out.channels) {
        out.default_route.push_back(c.name);
    }
    if (const json::Value* routes = r.object(v, path, "routes", false)) {
        r.only_keys(*routes, path + ".routes", {"default", "departments", "people"});
        if (routes->HasMember("default")) {
            out.default_route = r.strings(*routes, path + ".routes", "default", true);
            check_routes(path + ".routes.default", out.default_route);
        }
        for (const char* key : {"departments", "people"}) {
            if (const json::Value* map = r.object(*routes, path + ".routes", key, false)) {
                for (auto it = map->MemberBegin(); it != map->MemberEnd(); ++it) {
                    const std::string where = path + ".routes." + key + "." + it->name.GetString();
                    std::string name = it->name.GetString();
                    if (std::string(key) == "departments") {
                        const auto canonical = chart.department(name);
                        if (!canonical) {
                            r.fail(where, "'" + name + "' is not a department");
                        }
                        name = *canonical;
                    } else if (chart.person(name) == nullptr) {
                        r.fail(where, "'" + name + "' is not a person in the org chart");
                    }
                    std::vector<std::string> names;
                    if (!it->value.IsArray()) {
                        r.fail(where, "expected a list of channel names");
                    }
                    for (const auto& n : it->value.GetArray()) {
                        if (!n.IsString()) {
                            r.fail(where, "expected a list of channel names");
                        }
                        names.emplace_back(n.GetString());
                    }
                    check_routes(where, names);
                    (std::string(key) == "departments" ? out.department_routes
                                                       : out.person_routes)[name] = names;
                }
            }
        }
    }
    if (const json::Value* quiet = r.object(v, path, "quiet_hours", false)) {
        r.only_keys(*quiet, path + ".quiet_hours", {"start", "end"});
        out.quiet.start_minute = minute_of(path + ".quiet_hours.start",
                                           *r.string(*quiet, path + ".quiet_hours", "start", true));
        out.quiet.end_minute = minute_of(path + ".quiet_hours.end",
                                         *r.string(*quiet, path + ".quiet_hours", "end", true));
    }
    if (const json::Value* retry = r.object(v, path, "retry", false)) {
        r.only_keys(*retry, path + ".retry", {"max_attempts", "base_ms", "max_ms"});
        out.max_attempts =
            int_in(*retry, path + ".retry", "max_attempts", 1, 100, out.max_attempts);
        out.retry_base_ms = int_in(*retry, path + ".retry", "base_ms", 1, 86400000,
                                   static_cast<int>(out.retry_base_ms));
        out.retry_max_ms = int_in(*retry, path + ".retry", "max_ms", 1, 86400000,
                                  static_cast<int>(out.retry_max_ms));
    }
    out.robot_per_minute = int_in(v, path, "robot_per_minute", 0, 600, out.robot_per_minute);
    out.urge_min_interval_hours =
        int_in(v, path, "urge_min_interval_hours", 0, 24 * 30, out.urge_min_interval_hours);
    // 0: one write transaction per step (the tests watch the slices that way).
    out.sweep_slice_ms = int_in(v, path, "sweep_slice_ms", 0, 10000, out.sweep_slice_ms);
    if (const json::Value* worker = r.object(v, path, "worker", false)) {
        r.only_keys(*worker, path + ".worker", {"enabled", "poll_ms", "batch", "lease_ms"});
        out.worker = r.boolean(*worker, path + ".worker", "enabled").value_or(out.worker);
        out.worker_poll_ms =
            int_in(*worker, path + ".worker", "poll_ms", 10, 600000, out.worker_poll_ms);
        out.batch = int_in(*worker, path + ".worker", "batch", 1, 1000, out.batch);
        out.lease_ms = int_in(*worker, path + ".worker", "lease_ms", 1000, 3600000,
                              static_cast<int>(out.lease_ms));
    }
    for (const auto& channel : out.channels) {
        const auto& t = channel.timeouts;
        const std::int64_t longest = std::int64_t{t.connect_ms} + t.send_ms + t.receive_ms;
        if (out.lease_ms <= longest) {
            r.fail(path + ".worker.lease_ms",
                   "must be longer than the slowest send (channel '" + channel.name +
                       "': connect + send + receive = " + std::to_string(longest) +
                       " ms), or a message could be sent twice");
        }
    }
    if (const json::Value* rules = r.object(v, path, "rules", false)) {
        parse_rules(*rules, path + ".rules", out.reminders);
    }
    if (const json::Value* plans = r.object(v, path, "plan_rules", false)) {
        for (auto it = plans->MemberBegin(); it != plans->MemberEnd(); ++it) {
            const std::string where = path + ".plan_rules." + it->name.GetString();
            if (!it->value.IsObject()) {
                r.fail(where, "expected the rule thresholds for that plan");
            }
            core::ReminderSettings plan = out.reminders;
            parse_rules(it->value, where, plan);
            out.plan_reminders[it->name.GetString()] = plan;
        }
    }
}

void parse_rules(const json::Value& rules_value, const std::string& where,
                 core::ReminderSettings& s) {
    const auto& r = reader();
    const json::Value* rules = &rules_value;  // the thresholds, each optional
    r.only_keys(
        *rules, where,
        {"before_due_working_days", "overdue_repeat_working_days", "approval_waiting_working_days",
         "escalation_overdue_working_days", "escalation_missed_periods",
         "accountability_after_escalation_working_days", "accountability_missed_periods",
         "instruction_before_due_working_days", "instruction_overdue_repeat_working_days",
         "instruction_escalation_overdue_working_days", "task_before_due_working_days",
         "task_overdue_repeat_working_days", "task_escalation_overdue_working_days",
         "closure_waiting_working_days", "closure_escalation_working_days",
         "extension_waiting_working_days", "extension_escalation_working_days"});
    s.before_due_working_days =
        int_in(*rules, where, "before_due_working_days", 0, 60, s.before_due_working_days);
    s.overdue_repeat_working_days =
        int_in(*rules, where, "overdue_repeat_working_days", 1, 60, s.overdue_repeat_working_days);
    s.approval_waiting_working_days = int_in(*rules, where, "approval_waiting_working_days", 1, 60,
                                             s.approval_waiting_working_days);
    s.escalation_overdue_working_days = int_in(*rules, where, "escalation_overdue_working_days", 1,
                                               250, s.escalation_overdue_working_days);
    s.escalation_missed_periods =
        int_in(*rules, where, "escalation_missed_periods", 1, 60, s.escalation_missed_periods);
    s.accountability_after_escalation_working_days =
        int_in(*rules, where, "accountability_after_escalation_working_days", 0, 250,
               s.accountability_after_escalation_working_days);
    s.accountability_missed_periods = int_in(*rules, where, "accountability_missed_periods", 1, 60,
                                             s.accountability_missed_periods);
    s.instruction_before_due_working_days =
        int_in(*rules, where, "instruction_before_due_working_days", 0, 60,
               s.instruction_before_due_working_days);
    s.instruction_overdue_repeat_working_days =
        int_in(*rules, where, "instruction_overdue_repeat_working_days", 1, 60,
               s.instruction_overdue_repeat_working_days);
    s.instruction_escalation_overdue_working_days =
        int_in(*rules, where, "instruction_escalation_overdue_working_days", 1, 250,
               s.instruction_escalation_overdue_working_days);
    s.task_before_due_working_days = int_in(*rules, where, "task_before_due_working_days", 0, 60,
                                            s.task_before_due_working_days);
    s.task_overdue_repeat_working_days = int_in(*rules, where, "task_overdue_repeat_working_days",
                                                1, 60, s.task_overdue_repeat_working_days);
    s.task_escalation_overdue_working_days =
        int_in(*rules, where, "task_escalation_overdue_working_days", 1, 250,
               s.task_escalation_overdue_working_days);
    s.closure_waiting_working_days = int_in(*rules, where, "closure_waiting_working_days", 1, 60,
                                            s.closure_waiting_working_days);
    s.closure_escalation_working_days = int_in(*rules, where, "closure_escalation_working_days", 1,
                                               250, s.closure_escalation_working_days);
    s.extension_waiting_working_days = int_in(*rules, where, "extension_waiting_working_days", 1,
                                              60, s.extension_waiting_working_days);
    s.extension_escalation_working_days = int_in(*rules, where, "extension_escalation_working_days",
                                                 1, 250, s.extension_escalation_working_days);
}

// true | false | {"default": true, "plans": {"<plan key>": false}}
SeparationOfDuties parse_separation(const json::Value& v) {
    const auto& r = reader();
    const std::string path = "options.separation_of_duties";
    SeparationOfDuties out;
    if (v.IsBool()) {
        out.enabled = v.GetBool();
        return out;
    }
    if (!v.IsObject()) {
        r.fail(path,
               "expected true, false or {\"default\": true, \"plans\": {\"<plan key>\": "
               "false}}");
    }
    r.only_keys(v, path, {"default", "plans"});
    out.enabled = r.boolean(v, path, "default").value_or(true);
    if (const json::Value* plans = r.object(v, path, "plans", false)) {
        for (auto it = plans->MemberBegin(); it != plans->MemberEnd(); ++it) {
            if (!it->value.IsBool()) {
                r.fail(path + ".plans." + it->name.GetString(), "expected true or false");
            }
            out.plans[it->name.GetString()] = it->value.GetBool();
        }
    }
    return out;
}

Limits parse_limits(const json::Value& v) {
    const auto& r = reader();
    const std::string path = "limits";
    r.only_keys(
        v, path,
        {"request_bytes", "json_depth", "plan_file_bytes", "plan_unpacked_bytes", "plan_tasks",
         "text_chars", "note_chars", "name_chars", "evidence_entries", "url_chars"});
    Limits l;
    constexpr int kMaxInt = 1 << 30;
    l.request_bytes = static_cast<std::size_t>(
        int_in(v, path, "request_bytes", 1024, kMaxInt, static_cast<int>(l.request_bytes)));
    l.json_depth = int_in(v, path, "json_depth", 8, 512, l.json_depth);
    l.plan_file_bytes = static_cast<std::size_t>(
        int_in(v, path, "plan_file_bytes", 1024, kMaxInt, static_cast<int>(l.plan_file_bytes)));
    l.plan_unpacked_bytes = static_cast<std::size_t>(int_in(
        v, path, "plan_unpacked_bytes", 1024, kMaxInt, static_cast<int>(l.plan_unpacked_bytes)));
    l.plan_tasks = int_in(v, path, "plan_tasks", 1, 10000000, l.plan_tasks);
    l.text_chars = int_in(v, path, "text_chars", 100, 10000000, l.text_chars);
    l.note_chars = int_in(v, path, "note_chars", 100, 10000000, l.note_chars);
    l.name_chars = int_in(v, path, "name_chars", 20, 100000, l.name_chars);
    l.evidence_entries = int_in(v, path, "evidence_entries", 0, 100000, l.evidence_entries);
    l.url_chars = int_in(v, path, "url_chars", 64, 1000000, l.url_chars);
    return l;
}

// The password in database.password_file: its first line (a secret kept out
// of the configuration, e.g. a file only the OA's service user may read).
std::string read_password_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    if (!in || !std::getline(in, line)) {
        reader().fail("database.password_file",
                      "cannot read '" + path + "': " + std::strerror(errno));
    }
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

storage::DatabaseSettings parse_database(const json::Value& v) {
    const auto& r = reader();
    const std::string where = "database";
    r.only_keys(v, where,
                {"path", "readers", "busy_timeout_ms", "busy_retries", "url", "host", "port",
                 "name", "user", "password", "password_file", "sslmode", "schema", "pool_size",
                 "import_slice_ms", "answer_cache_mb"});
    storage::DatabaseSettings d;
    d.import_slice_ms = int_in(v, where, "import_slice_ms", 0, 10000, d.import_slice_ms);
    d.answer_cache_mb = int_in(v, where, "answer_cache_mb", 0, 4096, d.answer_cache_mb);
    d.readers = int_in(v, where, "readers", 0, 64, d.readers);
    d.busy_timeout_ms = int_in(v, where, "busy_timeout_ms", 1, 600000, d.busy_timeout_ms);
    d.busy_retries = int_in(v, where, "busy_retries", 0, 100, d.busy_retries);
    d.pool_size = int_in(v, where, "pool_size", 1, 256, d.pool_size);
    const auto path = r.string(v, where, "path", false);
    const auto url = r.string(v, where, "url", false);
    const auto host = r.string(v, where, "host", false);
    if (int{path.has_value()} + int{url.has_value()} + int{host.has_value()} != 1) {
        r.fail(where,
               "expected exactly one of \"path\" (SQLite), \"url\" (PostgreSQL: "
               "postgresql://user:password@host:port/name) or \"host\" (PostgreSQL, with "
               "port, name, user, password or password_file)");
    }
    if (path) {
        for (const char* key : {"port", "name", "user", "password", "password_file", "sslmode",
                                "schema", "pool_size"}) {
            if (v.HasMember(key)) {
                r.fail(json::join_path(where, key), "is for PostgreSQL; database.path is SQLite's");
            }
        }
        d.path = *path;
        if (d.path.empty()) {
            r.fail("database.path", "must not be empty");
        }
        return d;
    }
    for (const char* key : {"readers", "busy_timeout_ms", "busy_retries"}) {
        if (v.HasMember(key)) {
            r.fail(json::join_path(where, key), "is for SQLite (database.path), not PostgreSQL");
        }
    }
    if (url) {
        for (const char* key : {"host", "port", "name", "user", "password", "sslmode"}) {
            if (v.HasMember(key)) {
                r.fail(json::join_path(where, key),
                       "is given by database.url already; set one or the other");
            }
        }
        try {
            d = storage::with_postgresql_url(d, *url);
        } catch (const storage::DatabaseUrlError& e) {
            r.fail("database.url", e.what());
        }
    } else {
        d.host = *host;
        if (d.host.empty()) {
            r.fail("database.host", "must not be empty");
        }
        d.port = int_in(v, where, "port", 1, 65535, d.port);
        d.name = r.string(v, where, "name", true).value_or("");
        d.user = r.string(v, where, "user", true).value_or("");
        if (d.name.empty() || d.user.empty()) {
            r.fail(json::join_path(where, d.name.empty() ? "name" : "user"), "must not be empty");
        }
        d.password = r.string(v, where, "password", false).value_or("");
        d.sslmode = r.string(v, where, "sslmode", false).value_or("");
    }
    if (const auto file = r.string(v, where, "password_file", false)) {
        if (v.HasMember("password") || !d.password.empty()) {
            r.fail("database.password_file", "the password is given already; set one or the other");
        }
        d.password = read_password_file(*file);
    }
    static const char* const kSslModes[] = {"",        "disable",   "allow",      "prefer",
                                            "require", "verify-ca", "verify-full"};
    if (std::find(std::begin(kSslModes), std::end(kSslModes), d.sslmode) == std::end(kSslModes)) {
        r.fail("database.sslmode",
               "unknown mode '" + d.sslmode +
                   "' (expected disable, allow, prefer, require, verify-ca or verify-full)");
    }
    d.schema = r.string(v, where, "schema", false).value_or(d.schema);
    if (!storage::valid_schema_name(d.schema)) {
        r.fail("database.schema",
               "expected lower-case letters, digits and _ (at most 63), not '" + d.schema + "'");
    }
    return d;
}

core::WarningThresholds parse_warnings(const json::Value& v) {
    const auto& r = reader();
    const std::string path = "warnings";
    r.only_keys(v, path, {"yellow_within_working_days", "report_yellow_within_working_days"});
    core::WarningThresholds t;
    t.deadline_yellow_within =
        int_in(v, path, "yellow_within_working_days", 0, 250, t.deadline_yellow_within);
    t.report_yellow_within =
        int_in(v, path, "report_yellow_within_working_days", 0, 250, t.report_yellow_within);
    return t;
}

double weight_in(const json::Value& weights, const std::string& path, const char* key,
                 double fallback) {
    const auto it = weights.FindMember(key);
    if (it == weights.MemberEnd()) {
        return fallback;
    }
    if (!it->value.IsNumber() || it->value.GetDouble() < 0 || it->value.GetDouble() > 1000) {
        reader().fail(json::join_path(path, key),
                      "expected a number from 0 to 1000 (points; see docs/abi.md, scores)");
    }
    return it->value.GetDouble();
}

core::ScoreWeights parse_scores(const json::Value& v) {
    const auto& r = reader();
    r.only_keys(v, "scores", {"weights"});
    core::ScoreWeights w;
    if (const json::Value* weights = r.object(v, "scores", "weights", false)) {
        const std::string path = "scores.weights";
        r.only_keys(*weights, path,
                    {"on_time_rate", "overdue_working_day", "urge", "supervision_notice", "return",
                     "closed_on_time"});
        w.on_time_rate = weight_in(*weights, path, "on_time_rate", w.on_time_rate);
        w.overdue_working_day =
            weight_in(*weights, path, "overdue_working_day", w.overdue_working_day);
        w.urge = weight_in(*weights, path, "urge", w.urge);
        w.supervision_notice =
            weight_in(*weights, path, "supervision_notice", w.supervision_notice);
        w.returned = weight_in(*weights, path, "return", w.returned);
        w.closed_on_time = weight_in(*weights, path, "closed_on_time", w.closed_on_time);
    }
    return w;
}

// "reading": {"readers": {"<kind>": ["president", "leader_in_charge", "person:u-…", …]}}:
// a kind given replaces its default readers; [] sends that kind to nobody.
core::ReadingReaders parse_reading(const json::Value& v, const core::OrgChart& org_chart) {
    const auto& r = reader();
    r.only_keys(v, "reading", {"readers"});
    core::ReadingReaders out = core::ReadingReaders::defaults();
    const json::Value* readers = r.object(v, "reading", "readers", false);
    if (readers == nullptr) {
        return out;
    }
    const auto& kinds = core::reading_kinds();
    for (auto it = readers->MemberBegin(); it != readers->MemberEnd(); ++it) {
        const std::string kind = it->name.GetString();
        const std::string where = "reading.readers." + kind;
        if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
            r.fail(where, "unknown kind '" + kind +
                              "' (expected report, instruction, instruction_answer or closure)");
        }
        if (!it->value.IsArray()) {
            r.fail(where, "expected a list of readers");
        }
        std::vector<std::string> names;
        for (rapidjson::SizeType i = 0; i < it->value.Size(); ++i) {
            const std::string at = where + "[" + std::to_string(i) + "]";
            if (!it->value[i].IsString()) {
                r.fail(at, "expected a reader's name");
            }
            const std::string name = it->value[i].GetString();
            const std::string problem = core::reading_reader_problem(name, org_chart);
            if (!problem.empty()) {
                r.fail(at, problem);
            }
            names.push_back(name);
        }
        out.by_kind[kind] = names;
    }
    return out;
}

}  // namespace

Config parse_config(std::string_view text) {
    const auto& r = reader();
    if (text.size() > kMaxConfigBytes) {
        r.fail("", "the configuration is " + std::to_string(text.size()) +
                       " bytes, more than the limit of " + std::to_string(kMaxConfigBytes));
    }
    const rapidjson::Document doc = r.parse_object(text);
    r.only_keys(doc, "",
                {"database", "org_chart", "options", "calendar", "notifications", "limits",
                 "warnings", "scores", "reading"});
    Config config;
    config.database = parse_database(*r.object(doc, "", "database", true));
    config.org_chart = parse_org_chart(*r.object(doc, "", "org_chart", true));
    if (const json::Value* calendar = r.object(doc, "", "calendar", false)) {
        r.only_keys(*calendar, "calendar", {"path"});
        config.calendar_path = r.string(*calendar, "calendar", "path", false).value_or("");
    }
    if (const json::Value* options = r.object(doc, "", "options", false)) {
        r.only_keys(*options, "options",
                    {"lead_rule", "lead_overrides", "reporting", "separation_of_duties"});
        if (options->HasMember("separation_of_duties")) {
            config.separation_of_duties = parse_separation((*options)["separation_of_duties"]);
        }
        if (const json::Value* reporting = r.object(*options, "options", "reporting", false)) {
            config.reporting = parse_reporting(*reporting);
        }
        const auto rule =
            r.string(*options, "options", "lead_rule", false).value_or("first_listed");
        if (rule == "first_listed") {
            config.parse.lead_rule = core::LeadRule::first_listed;
        } else if (rule == "explicit_only") {
            config.parse.lead_rule = core::LeadRule::explicit_only;
        } else {
            r.fail("options.lead_rule",
                   "unknown rule '" + rule + "' (expected first_listed or explicit_only)");
        }
        if (const json::Value* overrides = r.object(*options, "options", "lead_overrides", false)) {
            for (auto it = overrides->MemberBegin(); it != overrides->MemberEnd(); ++it) {
                const std::string key = it->name.GetString();
                if (!it->value.IsString()) {
                    r.fail("options.lead_overrides." + key, "expected a department name");
                }
                config.parse.lead_overrides[key] = it->value.GetString();
            }
        }
    }
    if (const json::Value* limits = r.object(doc, "", "limits", false)) {
        config.limits = parse_limits(*limits);
    }
    config.parse.max_tasks = config.limits.plan_tasks;
    if (const json::Value* warnings = r.object(doc, "", "warnings", false)) {
        config.warnings = parse_warnings(*warnings);
    }
    if (const json::Value* scores = r.object(doc, "", "scores", false)) {
        config.scores = parse_scores(*scores);
    }
    config.notifications.reminders = reminder_settings_from_definitions();
    if (const json::Value* notifications = r.object(doc, "", "notifications", false)) {
        parse_notifications(*notifications, config.org_chart, config.notifications);
    }
    if (const json::Value* reading = r.object(doc, "", "reading", false)) {
        config.reading = parse_reading(*reading, config.org_chart);
    }
    return config;
}

}  // namespace rl
