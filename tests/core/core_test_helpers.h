// Helpers shared by the core suites: the parsed seed plan, readable department
// lists, finding a task by number, the demo org chart (host_stub/demo/org-chart.json)
// read with rapidjson, independently of the plugin's own config reader, and the
// progress-report approval workflow built by hand.
#pragma once

#include <rapidjson/document.h>

#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/org_chart.h"
#include "core/plan.h"
#include "core/plan_parser.h"
#include "core/workflow.h"
#include "support/test_support.h"

namespace rl::core {

// So that failing expectations print "lead"/"co" instead of 0/1.
inline void PrintTo(Role role, std::ostream* os) {
    *os << to_string(role);
}

}  // namespace rl::core

namespace rl::test {

// The seed plan parsed with the default options, once per test binary.
inline const core::Plan& seed_plan() {
    static const core::Plan plan = core::parse_plan(seed_plan_text());
    return plan;
}

using Dept = std::pair<std::string, core::Role>;
constexpr core::Role kLead = core::Role::lead;
constexpr core::Role kCo = core::Role::co;

inline std::vector<Dept> departments_of(const std::vector<core::DepartmentRef>& refs) {
    std::vector<Dept> out;
    for (const auto& ref : refs) {
        out.emplace_back(ref.name, ref.role);
    }
    return out;
}

// The task numbered `number`; throws (and so fails the test) if there is none.
inline const core::Task& task_of(const core::Plan& plan, const std::string& number) {
    const core::Task* task = plan.find_task(number);
    if (task == nullptr) {
        throw std::runtime_error("the plan has no task " + number);
    }
    return *task;
}

inline std::vector<std::string> strings_of(const rapidjson::Value& array) {
    std::vector<std::string> out;
    for (const auto& v : array.GetArray()) {
        out.emplace_back(v.GetString());
    }
    return out;
}

// Builds an OrgChart from JSON shaped like host_stub/demo/org-chart.json.
inline core::OrgChart org_chart_from_json(const std::string& json) {
    rapidjson::Document doc;
    doc.Parse(json.c_str(), json.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        throw std::runtime_error("org chart JSON does not parse");
    }
    core::OrgChart chart;
    if (doc.HasMember("demo")) {
        chart.demo = doc["demo"].GetBool();
    }
    for (const auto& d : doc["departments"].GetArray()) {
        core::Department department;
        department.name = d["name"].GetString();
        if (d.HasMember("aliases")) {
            department.aliases = strings_of(d["aliases"]);
        }
        chart.add_department(std::move(department));
    }
    if (doc.HasMember("groups")) {
        for (const auto& g : doc["groups"].GetArray()) {
            chart.add_group({g["name"].GetString(), strings_of(g["members"])});
        }
    }
    if (doc.HasMember("people")) {
        for (const auto& p : doc["people"].GetArray()) {
            core::Person person;
            person.id = p["id"].GetString();
            person.name = p["name"].GetString();
            person.department = p["department"].GetString();
            for (const auto& role : strings_of(p["roles"])) {
                const auto parsed = core::person_role_from_string(role);
                if (!parsed) {
                    throw std::runtime_error("unknown person role " + role);
                }
                person.roles.push_back(*parsed);
            }
            if (p.HasMember("in_charge_of")) {
                person.in_charge_of = strings_of(p["in_charge_of"]);
            }
            chart.add_person(std::move(person));
        }
    }
    return chart;
}

inline core::OrgChart demo_org_chart() {
    return org_chart_from_json(demo_org_chart_json());
}

// Mirrors plugin/definitions/workflows/progress_report_approval.json.
inline core::Workflow progress_report_approval() {
    core::Workflow w;
    w.id = "reform_ledger.workflow.progress_report_approval";
    w.version = 1;
    w.return_requires_reason = true;
    w.steps = {
        core::WorkflowStep{"draft",
                           "起草",
                           core::PersonRole::contact,
                           {"save_draft", "submit", "withdraw", "hand_over", "act_for"},
                           {}},
        core::WorkflowStep{"department_head",
                           "部门负责人审核",
                           core::PersonRole::head,
                           {"approve", "return", "withdraw", "hand_over", "act_for"},
                           {"draft"}},
        core::WorkflowStep{"leader_in_charge",
                           "分管院领导审核",
                           core::PersonRole::leader_in_charge,
                           {"approve", "return", "withdraw", "hand_over", "act_for"},
                           {"draft", "department_head"}},
        core::WorkflowStep{"reform_office",
                           "司改办归档",
                           core::PersonRole::reform_office,
                           {"file", "return", "hand_over", "act_for", "waive_co_report"},
                           {"draft", "department_head", "leader_in_charge"}},
    };
    return w;
}

// The plan's task numbers in document order.
inline std::vector<std::string> task_numbers(const rl::core::Plan& plan) {
    std::vector<std::string> numbers;
    for (const auto& section : plan.sections) {
        for (const auto& task : section.tasks) {
            numbers.push_back(task.number);
        }
    }
    return numbers;
}

// A task's deadline as "text=due" ("(none)" without one), for comparisons.
inline std::string deadline_of(const rl::core::Task& task) {
    return task.deadline ? task.deadline->text + "=" + task.deadline->due : "(none)";
}

}  // namespace rl::test
