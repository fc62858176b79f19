#include "method_catalogue.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <stdexcept>

namespace rl_server {

namespace {

Access parse_access(const std::string& method, const std::string& text) {
    if (text == "any") {
        return Access::any;
    }
    if (text == "person") {
        return Access::person;
    }
    if (text == "service") {
        return Access::service;
    }
    if (text == "office") {
        return Access::office;
    }
    throw std::runtime_error("plugin.describe: method '" + method + "' has unknown access '" +
                             text + "'");
}

std::string to_json(const rapidjson::Value& v) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    v.Accept(w);
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

const char* MethodCatalogue::access_name(Access access) {
    switch (access) {
        case Access::any:
            return "any";
        case Access::person:
            return "person";
        case Access::service:
            return "service";
        case Access::office:
            return "office";
    }
    return "any";
}

MethodCatalogue::MethodCatalogue(const std::string& describe_json) {
    document_.Parse(describe_json.data(), describe_json.size());
    if (document_.HasParseError() || !document_.IsObject() || !document_.HasMember("methods") ||
        !document_["methods"].IsObject()) {
        throw std::runtime_error("plugin.describe did not answer a catalogue with \"methods\"");
    }
    for (const auto& m : document_["methods"].GetObject()) {
        MethodInfo info;
        info.name = m.name.GetString();
        const auto& body = m.value;
        if (!body.IsObject() || !body.HasMember("access") || !body["access"].IsString() ||
            !body.HasMember("request") || !body["request"].IsObject()) {
            throw std::runtime_error("plugin.describe: method '" + info.name +
                                     "' lacks \"access\" or \"request\"");
        }
        info.access = parse_access(info.name, body["access"].GetString());
        const auto& request = body["request"];
        if (request.HasMember("properties") && request["properties"].IsObject()) {
            info.takes_user = request["properties"].HasMember("user");
            info.takes_actor = request["properties"].HasMember("actor");
        }
        methods_[info.name] = info;
    }
}

const MethodInfo* MethodCatalogue::find(const std::string& method) const {
    const auto it = methods_.find(method);
    return it == methods_.end() ? nullptr : &it->second;
}

std::vector<std::string> MethodCatalogue::names() const {
    std::vector<std::string> out;
    for (const auto& [name, info] : methods_) {
        out.push_back(name);
    }
    return out;
}

People::People(const std::string& org_chart_json) {
    rapidjson::Document doc;
    doc.Parse(org_chart_json.data(), org_chart_json.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("people") ||
        !doc["people"].IsArray()) {
        throw std::runtime_error("org.chart did not answer a \"people\" list");
    }
    const auto add_roles = [](Person& p, const rapidjson::Value& roles) {
        if (!roles.IsArray()) {
            return;
        }
        for (const auto& r : roles.GetArray()) {
            if (r.IsString() &&
                std::find(p.roles.begin(), p.roles.end(), r.GetString()) == p.roles.end()) {
                p.roles.emplace_back(r.GetString());
            }
        }
    };
    for (const auto& entry : doc["people"].GetArray()) {
        if (!entry.IsObject() || !entry.HasMember("id") || !entry["id"].IsString()) {
            continue;
        }
        Person p;
        p.id = entry["id"].GetString();
        p.name =
            entry.HasMember("name") && entry["name"].IsString() ? entry["name"].GetString() : p.id;
        p.department = entry.HasMember("department") && entry["department"].IsString()
                           ? entry["department"].GetString()
                           : "";
        if (entry.HasMember("roles")) {
            add_roles(p, entry["roles"]);
        }
        if (entry.HasMember("positions") && entry["positions"].IsArray()) {
            for (const auto& position : entry["positions"].GetArray()) {
                if (position.IsObject() && position.HasMember("roles")) {
                    add_roles(p, position["roles"]);
                }
            }
        }
        p.active =
            !(entry.HasMember("active") && entry["active"].IsBool() && !entry["active"].GetBool());
        p.reform_office =
            p.active && std::find(p.roles.begin(), p.roles.end(), "reform_office") != p.roles.end();
        p.json = to_json(entry);
        by_id_[p.id] = people_.size();
        people_.push_back(std::move(p));
    }
}

const Person* People::find(const std::string& id) const {
    const auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &people_[it->second];
}

}  // namespace rl_server
