#include "workflow_loader.h"

#include <rapidjson/document.h>

#include <stdexcept>

#include "registrations.h"

namespace rl {

namespace {
constexpr const char* kWorkflowId = "reform_ledger.workflow.progress_report_approval";
constexpr const char* kClosureWorkflowId = "reform_ledger.workflow.task_closure_approval";

std::vector<std::string> strings(const rapidjson::Value& v, const char* key) {
    std::vector<std::string> out;
    if (v.HasMember(key) && v[key].IsArray()) {
        for (const auto& s : v[key].GetArray()) {
            if (s.IsString()) {
                out.emplace_back(s.GetString());
            }
        }
    }
    return out;
}
}  // namespace

core::Workflow load_workflow(std::string_view definition_json) {
    rapidjson::Document doc;
    doc.Parse(definition_json.data(), definition_json.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("steps") ||
        !doc["steps"].IsArray()) {
        throw std::logic_error("workflow definition has no steps");
    }
    core::Workflow w;
    w.id = doc["id"].GetString();
    w.version = doc["version"].GetInt();
    if (doc.HasMember("rules") && doc["rules"].IsObject() &&
        doc["rules"].HasMember("return_requires_reason") &&
        doc["rules"]["return_requires_reason"].IsBool()) {
        w.return_requires_reason = doc["rules"]["return_requires_reason"].GetBool();
    }
    for (const auto& s : doc["steps"].GetArray()) {
        core::WorkflowStep step;
        step.id = s["id"].GetString();
        step.label = s["label"].GetString();
        const auto role = core::person_role_from_string(s["actor_role"].GetString());
        if (!role) {
            throw std::logic_error("workflow step " + step.id + " has an unknown actor_role");
        }
        step.actor_role = *role;
        step.actions = strings(s, "actions");
        step.return_targets = strings(s, "return_targets");
        w.steps.push_back(std::move(step));
    }
    try {
        w.validate();
    } catch (const std::invalid_argument& e) {
        throw std::logic_error(e.what());
    }
    return w;
}

namespace {
core::Workflow compiled_in(const char* id) {
    for (const auto& d : definitions()) {
        if (d.id == id) {
            return load_workflow(d.json);
        }
    }
    throw std::logic_error(std::string("the compiled-in definitions lack ") + id);
}
}  // namespace

core::Workflow progress_report_workflow() {
    return compiled_in(kWorkflowId);
}

core::Workflow task_closure_workflow() {
    return compiled_in(kClosureWorkflowId);
}

}  // namespace rl
