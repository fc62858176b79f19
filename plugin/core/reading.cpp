#include "core/reading.h"

#include <algorithm>

#include "core/workflow.h"

namespace rl::core {

ReadingReaders ReadingReaders::defaults() {
    ReadingReaders r;
    r.by_kind["report"] = {"leader_in_charge"};
    r.by_kind["instruction"] = {"president", "leader_in_charge", "supervision_office"};
    r.by_kind["instruction_answer"] = {"writer"};
    r.by_kind["closure"] = {"president", "leader_in_charge", "supervision_office"};
    return r;
}

std::string reading_reader_problem(const std::string& name, const OrgChart& org_chart) {
    if (name == "president" || name == "leader_in_charge" || name == "supervision_office" ||
        name == "reform_office" || name == "writer") {
        return {};
    }
    if (name.rfind("person:", 0) == 0) {
        const std::string id = name.substr(7);
        return org_chart.person(id) != nullptr ? std::string()
                                               : "'" + id + "' is not a person of the org chart";
    }
    return "unknown reader '" + name +
           "' (expected president, leader_in_charge, supervision_office, reform_office, writer "
           "or person:<id>)";
}

std::vector<std::string> readers_for(const ReadingReaders& readers, const OrgChart& org_chart,
                                     const ReadingAbout& about) {
    std::vector<std::string> out;
    const auto add = [&](const Person& p) {
        if (p.active && p.id != about.sent_by &&
            std::find(out.begin(), out.end(), p.id) == out.end()) {
            out.push_back(p.id);
        }
    };
    const auto it = readers.by_kind.find(about.kind);
    if (it == readers.by_kind.end()) {
        return out;
    }
    for (const auto& name : it->second) {
        if (name.rfind("person:", 0) == 0 || name == "writer") {
            const Person* p = org_chart.person(name == "writer" ? about.writer : name.substr(7));
            if (p != nullptr) {
                add(*p);
            }
            continue;
        }
        for (const auto& p : org_chart.people()) {
            if (name == "leader_in_charge") {
                for (const auto& d : about.departments) {
                    if (holds_role_for(p, PersonRole::leader_in_charge, d)) {
                        add(p);
                        break;
                    }
                }
            } else if (const auto role = person_role_from_string(name);
                       role && holds_role_for(p, *role, "")) {
                add(p);
            }
        }
    }
    return out;
}

}  // namespace rl::core
