// How the plugin notifies: channels (endpoints with their secrets), which
// recipients go to which channels, quiet hours, retries, pacing, urges and
// the reminder thresholds. Read from the configuration's "notifications".
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/reminders.h"
#include "transport/endpoint.h"

namespace rl::notify {

struct Settings {
    std::vector<transport::Endpoint> channels;
    std::vector<std::string> default_route;  // channel names for every recipient
    std::map<std::string, std::vector<std::string>> department_routes;
    std::map<std::string, std::vector<std::string>> person_routes;
    core::QuietHours quiet;
    core::ReminderSettings reminders;
    std::map<std::string, core::ReminderSettings> plan_reminders;  // plan key → its own rules
    int max_attempts = 8;
    std::int64_t retry_base_ms = 1000;
    std::int64_t retry_max_ms = 3600000;
    int robot_per_minute = 20;  // DingTalk and WeCom throttle at about 20 a minute
    int urge_min_interval_hours = 24;
    bool worker = true;  // deliver on the plugin's own thread
    int worker_poll_ms = 500;
    int batch = 20;
    // The longest a sweep holds the write lock at a time (it writes in slices).
    int sweep_slice_ms = 100;
    std::int64_t lease_ms = 60000;  // a claimed message returns to the queue after this
    // Where the console is (reform-ledger-server), e.g. "https://oa.court.local/ledger"; each
    // message item then links to its report there. Empty: no links.
    std::string console_base_url;

    // The channel names a recipient's messages go to.
    std::vector<std::string> routes_for(const core::Recipient& recipient) const;
    const transport::Endpoint* channel(const std::string& name) const;
    const core::ReminderSettings& reminders_for(const std::string& plan_key) const;
};

}  // namespace rl::notify
