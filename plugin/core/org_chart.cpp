#include "core/org_chart.h"

#include <stdexcept>

#include "core/utf8.h"

namespace rl::core {

namespace {
constexpr std::pair<PersonRole, const char*> kRoleNames[] = {
    {PersonRole::contact, "contact"},
    {PersonRole::head, "head"},
    {PersonRole::leader_in_charge, "leader_in_charge"},
    {PersonRole::reform_office, "reform_office"},
    {PersonRole::president, "president"},
    {PersonRole::supervision_office, "supervision_office"},
};
}  // namespace

const char* to_string(PersonRole role) {
    for (const auto& [value, name] : kRoleNames) {
        if (value == role) {
            return name;
        }
    }
    return "unknown";
}

std::optional<PersonRole> person_role_from_string(std::string_view text) {
    for (const auto& [value, name] : kRoleNames) {
        if (text == name) {
            return value;
        }
    }
    return std::nullopt;
}

bool Person::has_role(PersonRole role) const {
    for (const PersonRole r : roles) {
        if (r == role) {
            return true;
        }
    }
    return false;
}

bool Person::belongs_to(const std::string& dept) const {
    if (department == dept) {
        return true;
    }
    for (const auto& p : positions) {
        if (p.department == dept) {
            return true;
        }
    }
    return false;
}

std::string OrgChart::match_key(std::string_view name) {
    std::string key;
    std::size_t pos = 0;
    while (pos < name.size()) {
        const char32_t c = utf8::fold_width(utf8::next(name, pos));
        if (!utf8::is_space(c)) {
            utf8::append(key, c);
        }
    }
    return key;
}

void OrgChart::add_department(Department department) {
    if (utf8::trim(department.name).empty()) {
        throw std::invalid_argument("a department has an empty name");
    }
    std::vector<std::string> names{department.name};
    names.insert(names.end(), department.aliases.begin(), department.aliases.end());
    for (const auto& name : names) {
        const std::string key = match_key(name);
        if (group_keys_.count(key) != 0) {
            throw std::invalid_argument("department name or alias '" + name +
                                        "' is already the name of a department group");
        }
        const auto it = department_keys_.find(key);
        if (it != department_keys_.end()) {
            throw std::invalid_argument("department name or alias '" + name +
                                        "' is already used by department '" + it->second + "'");
        }
        department_keys_.emplace(key, department.name);
    }
    departments_.push_back(std::move(department));
}

void OrgChart::add_group(DepartmentGroup group) {
    const std::string key = match_key(group.name);
    if (department_keys_.count(key) != 0 || group_keys_.count(key) != 0) {
        throw std::invalid_argument("group name '" + group.name +
                                    "' is already used by a department or another group");
    }
    if (group.members.empty()) {
        throw std::invalid_argument("group '" + group.name + "' has no members");
    }
    for (auto& member : group.members) {
        const auto canonical = department(member);
        if (!canonical) {
            throw std::invalid_argument("group '" + group.name + "' lists '" + member +
                                        "', which is not a department");
        }
        member = *canonical;
    }
    group_keys_.emplace(key, groups_.size());
    groups_.push_back(std::move(group));
}

void OrgChart::add_person(Person person) {
    if (person.id.empty()) {
        throw std::invalid_argument("a person has an empty id");
    }
    for (const auto& other : people_) {
        if (other.id == person.id) {
            throw std::invalid_argument("person id '" + person.id + "' is used twice");
        }
    }
    const auto canonical = department(person.department);
    if (!canonical) {
        throw std::invalid_argument("person '" + person.id + "' belongs to '" + person.department +
                                    "', which is not a department");
    }
    person.department = *canonical;
    for (auto& name : person.in_charge_of) {
        const auto charge = department(name);
        if (!charge) {
            throw std::invalid_argument("person '" + person.id + "' is in charge of '" + name +
                                        "', which is not a department");
        }
        name = *charge;
    }
    if (!person.in_charge_of.empty() && !person.has_role(PersonRole::leader_in_charge)) {
        throw std::invalid_argument("person '" + person.id +
                                    "' is in charge of departments but does not have the role "
                                    "leader_in_charge");
    }
    for (auto& position : person.positions) {
        const auto where = department(position.department);
        if (!where) {
            throw std::invalid_argument("person '" + person.id + "' has a position in '" +
                                        position.department + "', which is not a department");
        }
        position.department = *where;
        if (position.roles.empty()) {
            throw std::invalid_argument("person '" + person.id + "' has a position in '" +
                                        position.department + "' without roles");
        }
        for (const PersonRole role : position.roles) {
            if (role != PersonRole::contact && role != PersonRole::head) {
                throw std::invalid_argument(
                    "person '" + person.id + "' has the role " + to_string(role) +
                    " in a position in '" + position.department +
                    "': a position holds only department roles (contact, head); give "
                    "court-wide roles in \"roles\" and leaders' departments in \"in_charge_of\"");
            }
        }
    }
    people_.push_back(std::move(person));
}

std::optional<std::string> OrgChart::department(std::string_view written) const {
    const auto it = department_keys_.find(match_key(written));
    if (it == department_keys_.end()) {
        return std::nullopt;
    }
    return it->second;
}

const Person* OrgChart::person(std::string_view id) const {
    for (const auto& p : people_) {
        if (p.id == id) {
            return &p;
        }
    }
    return nullptr;
}

const DepartmentGroup* OrgChart::group(std::string_view written) const {
    const auto it = group_keys_.find(match_key(written));
    return it == group_keys_.end() ? nullptr : &groups_[it->second];
}

}  // namespace rl::core
