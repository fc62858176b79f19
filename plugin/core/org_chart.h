// The court's organisation as the integrator configures it: departments,
// the group names plans use as shorthand, people and their roles, and which
// leader is in charge of which departments.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rl::core {

struct Department {
    std::string name;
    std::vector<std::string> aliases;
};

// A shorthand such as 各审判执行部门 that stands for several departments.
struct DepartmentGroup {
    std::string name;
    std::vector<std::string> members;  // department names
};

enum class PersonRole {
    contact,
    head,
    leader_in_charge,
    reform_office,
    president,
    supervision_office
};

const char* to_string(PersonRole role);
std::optional<PersonRole> person_role_from_string(std::string_view text);

// A department role a person holds besides those of their own department:
// a head of one department who is also the contact of another.
struct Position {
    std::string department;
    std::vector<PersonRole> roles;  // contact and/or head
};

struct Person {
    std::string id;
    std::string name;
    std::string department;  // their own department; contact and head apply to it
    std::vector<PersonRole> roles;
    std::vector<std::string> in_charge_of;  // departments, for leaders in charge
    std::vector<Position> positions;        // department roles elsewhere
    // An inactive person (left, retired, long absence) holds no role: they can
    // no longer act, receive hand-overs or read, but stay in the records.
    bool active = true;
    // Who they are to the messaging platforms, for the person channels (DingTalk 工作通知,
    // WeCom 应用消息); empty: that channel cannot reach them. (Initialised here so that a
    // Person built member by member need not name them.)
    std::string dingtalk_userid{};
    std::string wecom_userid{};

    bool has_role(PersonRole role) const;
    // Their own department, or one where they hold a position.
    bool belongs_to(const std::string& department) const;
};

class OrgChart {
public:
    // Adds in order; throws std::invalid_argument naming the problem when a
    // name collides or a reference does not resolve.
    void add_department(Department department);
    void add_group(DepartmentGroup group);
    void add_person(Person person);

    // The canonical department name for a name as written (exact, alias, or
    // equal after folding full-width/ASCII punctuation and dropping spaces).
    std::optional<std::string> department(std::string_view written) const;
    // The group's members, if written names a group.
    const DepartmentGroup* group(std::string_view written) const;
    const Person* person(std::string_view id) const;

    const std::vector<Department>& departments() const { return departments_; }
    const std::vector<DepartmentGroup>& groups() const { return groups_; }
    const std::vector<Person>& people() const { return people_; }
    bool demo = false;

    // The key names are compared by: width-folded, spaces removed.
    static std::string match_key(std::string_view name);

private:
    std::vector<Department> departments_;
    std::vector<DepartmentGroup> groups_;
    std::vector<Person> people_;
    std::map<std::string, std::string> department_keys_;  // match key → canonical name
    std::map<std::string, std::size_t> group_keys_;       // match key → index in groups_
};

}  // namespace rl::core
