#include "registrations.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <stdexcept>

#include "reform_ledger.h"
#include "resources/embedded.h"

namespace rl {

namespace {

std::int32_t kind_of(const std::string& kind) {
    if (kind == "form") {
        return RL_REGISTRATION_FORM;
    }
    if (kind == "workflow") {
        return RL_REGISTRATION_WORKFLOW;
    }
    if (kind == "notification_rule") {
        return RL_REGISTRATION_NOTIFICATION_RULE;
    }
    return 0;
}

}  // namespace

std::vector<Definition> definitions() {
    std::vector<Definition> out;
    for (const auto& file : resources::definitions()) {
        Definition d;
        d.source = file.path;
        d.json = file.text();
        rapidjson::Document doc;
        doc.Parse(d.json.data(), d.json.size());
        if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("id") ||
            !doc["id"].IsString() || !doc.HasMember("version") || !doc["version"].IsInt() ||
            !doc.HasMember("kind") || !doc["kind"].IsString()) {
            throw std::logic_error("definition " + d.source +
                                   " is not an object with string id, integer version and kind");
        }
        d.id = doc["id"].GetString();
        d.version = doc["version"].GetInt();
        d.kind = kind_of(doc["kind"].GetString());
        if (d.kind == 0) {
            throw std::logic_error("definition " + d.source + " has unknown kind");
        }
        out.push_back(std::move(d));
    }
    std::stable_sort(out.begin(), out.end(), [](const Definition& a, const Definition& b) {
        return a.kind != b.kind ? a.kind < b.kind : a.id < b.id;
    });
    return out;
}

}  // namespace rl
