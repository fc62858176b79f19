#include "core/instructions.h"

#include "core/workflow.h"

namespace rl::core {

std::optional<std::string> instruction_writer_role(
    const Person& person, const std::vector<std::string>& task_departments) {
    if (holds_role_for(person, PersonRole::president, "")) {
        return std::string("president");
    }
    for (const auto& d : task_departments) {
        if (holds_role_for(person, PersonRole::leader_in_charge, d)) {
            return std::string("leader_in_charge");
        }
    }
    return std::nullopt;
}

std::optional<std::string> instruction_answer_role(const Person& person,
                                                   const std::string& department) {
    if (holds_role_for(person, PersonRole::head, department)) {
        return std::string("head");
    }
    if (holds_role_for(person, PersonRole::contact, department)) {
        return std::string("contact");
    }
    return std::nullopt;
}

}  // namespace rl::core
