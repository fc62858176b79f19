// What the exported documents read about a period beyond its obligations:
// the urges sent on them, the day each was first submitted, and the latest
// progress report on each task. Reads only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/ledger.h"
#include "storage/database.h"

namespace rl::storage {

struct UrgeRecord {
    std::string task_number;
    std::string item_number;
    std::string department;
    std::string period;
    std::int64_t urged_ms = 0;
    std::string urged_by;  // person id
    std::string note;
};

// A task's lead report as the ledger shows it.
struct TaskReport {
    std::string period;
    std::string period_month;
    std::string state;    // draft, in_approval, returned, filed
    std::string content;  // the form's JSON
    std::string updated_at;
};

class PeriodHistory {
public:
    explicit PeriodHistory(Database& database) : database_(database) {}

    // Urges on the obligations whose period ends in month ("2019-05"), oldest first.
    std::vector<UrgeRecord> urges(const core::PlanInfo& plan, const std::string& month);

    // Obligation id → when its report was first submitted (ISO UTC), for the
    // obligations whose period ends in month that were ever submitted.
    std::map<std::int64_t, std::string> first_submitted(const core::PlanInfo& plan,
                                                        const std::string& month);

    // Task number → the report the ledger shows for it as of month: the
    // newest filed lead report of any period up to month, else the newest
    // lead report of month itself in whatever state. Tasks with neither are
    // absent.
    std::map<std::string, TaskReport> latest_reports(const core::PlanInfo& plan,
                                                     const std::string& month);

private:
    Database& database_;
};

}  // namespace rl::storage
