#include "core/assignment_resolver.h"

namespace rl::core {

namespace {

class Resolver {
public:
    Resolver(const OrgChart& org_chart, Resolution& out) : org_chart_(org_chart), out_(out) {}

    void resolve(const std::string& task, const std::string& item,
                 const std::vector<DepartmentRef>& refs) {
        const std::size_t first = out_.assignments.size();
        int ordinal = 0;
        const auto add = [&](const std::string& department, const DepartmentRef& ref,
                             const std::string& group, bool known) {
            for (std::size_t i = first; i < out_.assignments.size(); ++i) {
                auto& existing = out_.assignments[i];
                if (existing.department == department) {
                    if (ref.role == Role::lead) {
                        existing.role = Role::lead;
                    }
                    return;
                }
            }
            out_.assignments.push_back(
                {task, item, department, ref.role, ++ordinal, ref.name, group, known});
        };
        const std::string place =
            item.empty() ? "task " + task : "task " + task + " item (" + item + ")";
        for (const auto& ref : refs) {
            if (const auto* group = org_chart_.group(ref.name)) {
                for (const auto& member : group->members) {
                    add(member, ref, group->name, true);
                }
            } else if (const auto department = org_chart_.department(ref.name)) {
                add(*department, ref, "", true);
            } else {
                add(ref.name, ref, "", false);
                out_.unknown.push_back(place + ": " + ref.name);
                out_.warnings.push_back(place + ": department '" + ref.name +
                                        "' is not in the org chart");
            }
        }
    }

private:
    const OrgChart& org_chart_;
    Resolution& out_;
};

}  // namespace

Resolution resolve_assignments(const Plan& plan, const OrgChart& org_chart) {
    Resolution resolution;
    Resolver resolver(org_chart, resolution);
    for (const auto& section : plan.sections) {
        for (const auto& task : section.tasks) {
            resolver.resolve(task.number, "", task.departments);
            for (const auto& item : task.items) {
                resolver.resolve(task.number, item.number, item.departments);
            }
        }
    }
    return resolution;
}

}  // namespace rl::core
