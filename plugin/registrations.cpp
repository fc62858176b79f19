#include "registrations.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

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

namespace {

// The configured value of a limit named in a form field, or -1 if unknown.
std::int64_t limit_value(const std::string& name, const Limits& limits) {
    if (name == "text_chars") {
        return limits.text_chars;
    }
    if (name == "note_chars") {
        return limits.note_chars;
    }
    if (name == "name_chars") {
        return limits.name_chars;
    }
    if (name == "url_chars") {
        return limits.url_chars;
    }
    if (name == "evidence_entries") {
        return limits.evidence_entries;
    }
    return -1;
}

// Adds max_length / max_items to each field of the array that names a limit;
// true if any did.
bool bound_fields(rapidjson::Value& fields, const Limits& limits,
                  rapidjson::Document::AllocatorType& allocator) {
    bool changed = false;
    if (!fields.IsArray()) {
        return changed;
    }
    for (auto& field : fields.GetArray()) {
        if (!field.IsObject()) {
            continue;
        }
        if (field.HasMember("item_fields")) {
            changed = bound_fields(field["item_fields"], limits, allocator) || changed;
        }
        if (!field.HasMember("limit") || !field["limit"].IsString()) {
            continue;
        }
        const std::string name = field["limit"].GetString();
        const std::int64_t value = limit_value(name, limits);
        if (value < 0) {
            throw std::logic_error("a form field names limit '" + name +
                                   "', which is not a limit of the configuration");
        }
        const char* key = name == "evidence_entries" ? "max_items" : "max_length";
        field.RemoveMember(key);
        field.AddMember(rapidjson::Value(key, allocator), rapidjson::Value(value), allocator);
        changed = true;
    }
    return changed;
}

}  // namespace

std::string with_limits(const std::string& definition_json, const Limits& limits) {
    rapidjson::Document doc;
    doc.Parse(definition_json.data(), definition_json.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("fields") ||
        !bound_fields(doc["fields"], limits, doc.GetAllocator())) {
        return definition_json;
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    doc.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

core::ReminderSettings reminder_settings_from_definitions() {
    core::ReminderSettings s;
    const auto value = [](const rapidjson::Document& doc, const char* key, int fallback) {
        if (doc.HasMember("trigger") && doc["trigger"].IsObject() &&
            doc["trigger"].HasMember(key) && doc["trigger"][key].IsInt()) {
            return doc["trigger"][key].GetInt();
        }
        return fallback;
    };
    for (const auto& d : definitions()) {
        if (d.kind != RL_REGISTRATION_NOTIFICATION_RULE) {
            continue;
        }
        rapidjson::Document doc;
        doc.Parse(d.json.data(), d.json.size());
        if (d.id == "reform_ledger.rule.before_due") {
            s.before_due_working_days = value(doc, "working_days", s.before_due_working_days);
        } else if (d.id == "reform_ledger.rule.overdue") {
            s.overdue_repeat_working_days =
                value(doc, "repeat_every_working_days", s.overdue_repeat_working_days);
        } else if (d.id == "reform_ledger.rule.approval_waiting") {
            s.approval_waiting_working_days =
                value(doc, "working_days", s.approval_waiting_working_days);
        } else if (d.id == "reform_ledger.rule.escalation") {
            s.escalation_overdue_working_days =
                value(doc, "overdue_working_days", s.escalation_overdue_working_days);
            s.escalation_missed_periods = value(doc, "missed_periods", s.escalation_missed_periods);
        } else if (d.id == "reform_ledger.rule.accountability") {
            s.accountability_after_escalation_working_days =
                value(doc, "after_escalation_working_days",
                      s.accountability_after_escalation_working_days);
            s.accountability_missed_periods =
                value(doc, "missed_periods", s.accountability_missed_periods);
        } else if (d.id == "reform_ledger.rule.instruction_before_due") {
            s.instruction_before_due_working_days =
                value(doc, "working_days", s.instruction_before_due_working_days);
        } else if (d.id == "reform_ledger.rule.instruction_overdue") {
            s.instruction_overdue_repeat_working_days =
                value(doc, "repeat_every_working_days", s.instruction_overdue_repeat_working_days);
        } else if (d.id == "reform_ledger.rule.instruction_escalation") {
            s.instruction_escalation_overdue_working_days =
                value(doc, "overdue_working_days", s.instruction_escalation_overdue_working_days);
        } else if (d.id == "reform_ledger.rule.task_before_due") {
            s.task_before_due_working_days =
                value(doc, "working_days", s.task_before_due_working_days);
        } else if (d.id == "reform_ledger.rule.task_overdue") {
            s.task_overdue_repeat_working_days =
                value(doc, "repeat_every_working_days", s.task_overdue_repeat_working_days);
        } else if (d.id == "reform_ledger.rule.task_escalation") {
            s.task_escalation_overdue_working_days =
                value(doc, "overdue_working_days", s.task_escalation_overdue_working_days);
        } else if (d.id == "reform_ledger.rule.closure_waiting") {
            s.closure_waiting_working_days =
                value(doc, "working_days", s.closure_waiting_working_days);
        } else if (d.id == "reform_ledger.rule.closure_escalation") {
            s.closure_escalation_working_days =
                value(doc, "working_days", s.closure_escalation_working_days);
        } else if (d.id == "reform_ledger.rule.extension_waiting") {
            s.extension_waiting_working_days =
                value(doc, "working_days", s.extension_waiting_working_days);
        } else if (d.id == "reform_ledger.rule.extension_escalation") {
            s.extension_escalation_working_days =
                value(doc, "working_days", s.extension_escalation_working_days);
        }
    }
    return s;
}

}  // namespace rl
