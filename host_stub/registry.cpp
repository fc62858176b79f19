#include "registry.h"

#include <rapidjson/document.h>

#include "reform_ledger.h"

namespace oa_stub {

const char* Registry::kind_name(std::int32_t kind) {
    switch (kind) {
        case RL_REGISTRATION_FORM:
            return "form";
        case RL_REGISTRATION_WORKFLOW:
            return "workflow";
        case RL_REGISTRATION_NOTIFICATION_RULE:
            return "notification rule";
        default:
            return "unknown";
    }
}

std::string Registry::add(std::int32_t kind, const std::string& json) {
    if (kind != RL_REGISTRATION_FORM && kind != RL_REGISTRATION_WORKFLOW &&
        kind != RL_REGISTRATION_NOTIFICATION_RULE) {
        return "unknown registration kind " + std::to_string(kind);
    }
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        return "the definition is not a JSON object";
    }
    if (!doc.HasMember("id") || !doc["id"].IsString() || doc["id"].GetStringLength() == 0) {
        return "the definition has no string \"id\"";
    }
    if (!doc.HasMember("version") || !doc["version"].IsInt()) {
        return "the definition has no integer \"version\"";
    }
    Registration r;
    r.kind = kind;
    r.id = doc["id"].GetString();
    r.version = doc["version"].GetInt();
    r.title = doc.HasMember("title") && doc["title"].IsString() ? doc["title"].GetString() : "";
    r.json = json;
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = by_id_.find(r.id);
    if (it != by_id_.end()) {
        const auto& existing = entries_[it->second];
        return "id '" + r.id + "' is already registered (" + kind_name(existing.kind) +
               ", version " + std::to_string(existing.version) + ")";
    }
    by_id_.emplace(r.id, entries_.size());
    entries_.push_back(std::move(r));
    return "";
}

std::vector<Registration> Registry::of_kind(std::int32_t kind) const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Registration> out;
    for (const auto& r : entries_) {
        if (r.kind == kind) {
            out.push_back(r);
        }
    }
    return out;
}

std::size_t Registry::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
}

}  // namespace oa_stub
