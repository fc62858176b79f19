#include "notify/settings.h"

namespace rl::notify {

std::vector<std::string> Settings::routes_for(const core::Recipient& recipient) const {
    const auto& table =
        recipient.kind == core::Recipient::Kind::department ? department_routes : person_routes;
    const auto it = table.find(recipient.id);
    return it != table.end() ? it->second : default_route;
}

const transport::Endpoint* Settings::channel(const std::string& name) const {
    for (const auto& c : channels) {
        if (c.name == name) {
            return &c;
        }
    }
    return nullptr;
}

const core::ReminderSettings& Settings::reminders_for(const std::string& plan_key) const {
    const auto it = plan_reminders.find(plan_key);
    return it != plan_reminders.end() ? it->second : reminders;
}

}  // namespace rl::notify
