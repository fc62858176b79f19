// Helpers shared by the ABI suites that drive the real plugin through
// oa_stub::PluginHost: checked JSON accessors, a request builder, court
// times, the webhook secret, and loading the plugin with the seed imported.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <ctime>
#include <functional>
#include <stdexcept>
#include <string>

#include "plugin_host.h"

namespace rl::test::abi {

// ------------------------------------------------------------ JSON access
// Checked accessors: a missing member or a wrong type throws (GoogleTest
// reports the throw) instead of tripping rapidjson's assert and aborting.

using Doc = rapidjson::Document;
using Val = rapidjson::Value;

inline Doc parse_json(const std::string& text) {
    Doc doc;
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError()) {
        throw std::runtime_error("not JSON: " + text.substr(0, 300));
    }
    return doc;
}

inline std::string dump(const Val& v) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    v.Accept(w);
    return buffer.GetString();
}

inline const Val& at(const Val& v, const char* key) {
    if (!v.IsObject() || !v.HasMember(key)) {
        throw std::runtime_error(std::string("no member '") + key + "' in " +
                                 dump(v).substr(0, 400));
    }
    return v[key];
}

inline std::string str(const Val& v, const char* key) {
    const Val& x = at(v, key);
    if (!x.IsString()) {
        throw std::runtime_error(std::string("member '") + key + "' is not a string");
    }
    return std::string(x.GetString(), x.GetStringLength());
}

inline int num(const Val& v, const char* key) {
    const Val& x = at(v, key);
    if (!x.IsInt()) {
        throw std::runtime_error(std::string("member '") + key + "' is not an integer");
    }
    return x.GetInt();
}

inline const Val& arr(const Val& v, const char* key) {
    const Val& x = at(v, key);
    if (!x.IsArray()) {
        throw std::runtime_error(std::string("member '") + key + "' is not an array");
    }
    return x;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// A JSON string literal (UTF-8 passes through).
inline std::string q(const std::string& s) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return buffer.GetString();
}

// Builds a request object member by member.
class Req {
public:
    Req& s(const std::string& key, const std::string& value) { return raw(key, q(value)); }
    Req& i(const std::string& key, int value) { return raw(key, std::to_string(value)); }
    Req& raw(const std::string& key, const std::string& json) {
        body_ += (body_.empty() ? "" : ",") + q(key) + ":" + json;
        return *this;
    }
    std::string str() const { return "{" + body_ + "}"; }

private:
    std::string body_;
};

// ------------------------------------------------------------ status

// The status a plugin call inside body failed with (RL_OK if none), and its
// message.
inline rl_status status_of(const std::function<void()>& body, std::string* message = nullptr) {
    try {
        body();
    } catch (const oa_stub::PluginError& e) {
        if (message != nullptr) {
            *message = e.what();
        }
        return e.status();
    }
    return RL_OK;
}

// ------------------------------------------------------------ clock

// Milliseconds since the epoch for a court time (UTC+8).
inline std::int64_t court_ms(int year, int month, int day, int hour = 9, int minute = 0) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    return (static_cast<std::int64_t>(timegm(&tm)) - 8 * 3600) * 1000;
}

// Friday 2019-11-08 09:00, one working day after the 2019-10 reports were due.
inline const std::int64_t kNov8 = court_ms(2019, 11, 8, 9, 0);

// ------------------------------------------------------------ plugin

// The same whsec_ secret in the plugin's webhook channel and in the receiver.
inline const std::string kSecret =
    "whsec_cmVmb3JtLWxlZGdlciBub3RpZnkgdGVzdHM6IGEgMzIrIGJ5dGUgc2VjcmV0";

// Who imports the plan in the tests: the demo's reform-office contact.
inline const std::string kImporter = "u-sigaiban-contact";

// The plan.import request for the seed plan.
inline std::string seed_import_request() {
    return Req().s("path", RL_SEED_PLAN).s("actor", kImporter).str();
}

// Loads the real plugin into host at this court time with this
// configuration, and imports the seed plan.
inline void open_plugin(oa_stub::PluginHost& host, std::int64_t clock,
                        const std::string& config_json) {
    host.set_clock(clock);
    host.load(RL_PLUGIN_PATH);
    host.create(config_json);
    host.call("plan.import", seed_import_request());
}

// Takes 刑庭's report on task 33 for 2019-10 one step on as its contact, at the
// version the reform office reads, with content (a JSON object) when given.
// Throws when the plugin does not accept it.
inline void act_as_xingting_contact(oa_stub::PluginHost& host, const std::string& action,
                                    const std::string& content = "") {
    Req r;
    r.s("task", "33")
        .s("department", "刑庭")
        .s("period", "2019-10")
        .s("action", action)
        .s("actor", "u-xingting-contact");
    const Doc g = parse_json(host.call("report.get", Req()
                                                         .s("user", "u-sigaiban-head")
                                                         .s("task", "33")
                                                         .s("department", "刑庭")
                                                         .s("period", "2019-10")
                                                         .str()));
    const Val& report = at(at(g, "obligation"), "report");
    if (report.IsObject()) {
        r.i("version", num(report, "version"));
    }
    if (!content.empty()) {
        r.raw("content", content);
    }
    const Doc d = parse_json(host.call("report.act", r.str()));
    if (str(d, "outcome") != "ok") {
        throw std::runtime_error("report.act " + action + " was not accepted: " + dump(d));
    }
}

}  // namespace rl::test::abi
