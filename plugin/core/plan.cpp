#include "core/plan.h"

namespace rl::core {

const char* to_string(Role role) {
    return role == Role::lead ? "lead" : "co";
}

std::size_t Plan::task_count() const {
    std::size_t n = 0;
    for (const auto& section : sections) {
        n += section.tasks.size();
    }
    return n;
}

std::size_t Plan::item_count() const {
    std::size_t n = 0;
    for (const auto& section : sections) {
        for (const auto& task : section.tasks) {
            n += task.items.size();
        }
    }
    return n;
}

const Task* Plan::find_task(const std::string& number) const {
    for (const auto& section : sections) {
        for (const auto& task : section.tasks) {
            if (task.number == number) {
                return &task;
            }
        }
    }
    return nullptr;
}

}  // namespace rl::core
