// The instance configuration the host passes to create(): where the database
// lives, the org chart, and importer options. Parsed and validated up front so
// a mistake is reported with its JSON path before anything is opened.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "core/org_chart.h"
#include "core/plan_parser.h"
#include "core/reporting.h"
#include "notify/settings.h"

namespace rl {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Config {
    std::string database_path;
    std::string calendar_path;  // empty: the calendar compiled into the plugin
    core::OrgChart org_chart;
    core::ParseOptions parse;
    core::ReportingPolicy reporting;
    notify::Settings notifications;  // reminder thresholds start from the registered rules
};

// Throws ConfigError naming the JSON path of the first problem.
Config parse_config(std::string_view json);

}  // namespace rl
