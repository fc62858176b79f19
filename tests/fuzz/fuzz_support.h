// Shared by the fuzz targets: the demo configuration as a JSON string, with
// the org chart inlined as a host passes it, and a scratch folder.
#pragma once

#include <stdlib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace rl::fuzz {

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("fuzz setup: cannot read " + path);
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

// The plugin's configuration for a database at db_path: the demo org chart
// and options; more_members ("\"notifications\":{…}") is added as it is.
inline std::string demo_config_json(const std::string& db_path,
                                    const std::string& more_members = "") {
    return "{\"database\":{\"path\":" + json_string(db_path) +
           "},\"org_chart\":" + read_file(std::string(RL_DEMO_DIR) + "/org-chart.json") +
           ",\"options\":{\"lead_rule\":\"first_listed\",\"reporting\":{\"cycle\":\"monthly\","
           "\"due_working_day\":5}}" +
           (more_members.empty() ? "" : "," + more_members) + "}";
}

// A fresh folder under $TMPDIR (or /tmp), left for the fuzz run's lifetime.
inline std::string scratch_dir(const char* name) {
    const char* base = ::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/" + name + ".XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("fuzz setup: cannot create " + pattern);
    }
    return pattern;
}

}  // namespace rl::fuzz
