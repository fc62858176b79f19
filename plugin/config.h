// The instance configuration the host passes to create(): where the database
// lives, the org chart, and importer options. Parsed and validated up front so
// a mistake is reported with its JSON path before anything is opened.
#pragma once

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/org_chart.h"
#include "core/plan_parser.h"
#include "core/reading.h"
#include "core/reporting.h"
#include "core/scores.h"
#include "core/warnings.h"
#include "notify/settings.h"
#include "storage/database_settings.h"

namespace rl {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Bounds on what the plugin accepts, so that no input can exhaust the host.
// The defaults are far above anything a court produces; each can be raised
// in the configuration ("limits": {…}, docs/abi.md). Every limit, when
// exceeded, is a clear error that names it, and nothing is written.
struct Limits {
    std::size_t request_bytes = std::size_t{32} << 20;    // one call()'s request JSON
    int json_depth = 64;                                  // nesting of a request's JSON
    std::size_t plan_file_bytes = std::size_t{16} << 20;  // a plan document, read or decoded
    // What a Word or Excel plan may unpack to (its XML parts together): a
    // zip bomb stops here.
    std::size_t plan_unpacked_bytes = std::size_t{64} << 20;
    int plan_tasks = 100000;    // tasks (and items) in one plan
    int text_chars = 20000;     // one text field of a report (progress_summary, …)
    int note_chars = 2000;      // a reason, opinion, urge note, notice text or answer
    int name_chars = 200;       // ids, names, task numbers, plan keys, evidence names
    int evidence_entries = 50;  // evidence links on one report
    int url_chars = 2048;       // one evidence URL
};

// The configuration itself (and any file it names) may be at most this big;
// it is read before any limit it could set.
constexpr std::size_t kMaxConfigBytes = std::size_t{16} << 20;

// The separation of duties (四眼原则) in the approval chain: on unless the
// configuration turns it off, for every plan or for one plan by its key.
struct SeparationOfDuties {
    bool enabled = true;
    std::map<std::string, bool> plans;  // plan key → on/off
    bool for_plan(const std::string& plan_key) const {
        const auto it = plans.find(plan_key);
        return it == plans.end() ? enabled : it->second;
    }
};

struct Config {
    storage::DatabaseSettings database;  // SQLite (database.path) or PostgreSQL
    std::string calendar_path;           // empty: the calendar compiled into the plugin
    core::OrgChart org_chart;
    core::ParseOptions parse;
    core::ReportingPolicy reporting;
    notify::Settings notifications;  // reminder thresholds start from the registered rules
    Limits limits;
    SeparationOfDuties separation_of_duties;
    core::WarningThresholds warnings;  // "warnings": the three colours
    core::ScoreWeights scores;         // "scores": {"weights": …}, department scores
    // Who reads what is filed, instructed, answered or closed (抄送/待阅).
    core::ReadingReaders reading = core::ReadingReaders::defaults();
};

// Throws ConfigError naming the JSON path of the first problem.
Config parse_config(std::string_view json);

}  // namespace rl
