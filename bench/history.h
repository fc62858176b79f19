// A court's months of reporting made through the C ABI, as in production:
// the clock moved month by month, each month opened by a sweep and its
// reports drafted, submitted, approved twice and filed through report.act.
// Used by the reads (a ledger with a year behind it) and the province.
#pragma once

#include <map>
#include <string>

#include "common.h"
#include "plugin_host.h"

namespace rl::bench {

// The reform office's head, who files.
extern const char* const kReformOffice;

struct History {
    long actions = 0;  // report.act calls that succeeded
    long refused = 0;  // sequences stopped by a refusal (left where they stood)
    int months = 0;
};

// "2019-10".
std::string period_of(int year, int month);

// Opens period with a sweep and files its reports: co-operating ones first,
// then the leads (whose filing needs them). A sequence the plugin refuses
// (separation of duties, a department without a contact …) stops there.
void file_month(oa_stub::PluginHost& host, const std::map<std::string, Chain>& people,
                const std::string& period, History& h);

// Files every month from (year, month) up to, not including, `until`
// ("2019-10"), each on the 3rd of the month after it; the host's plan
// imported and its clock anywhere before.
void file_months(oa_stub::PluginHost& host, const std::map<std::string, Chain>& people, int year,
                 int month, const std::string& until, History& h);

}  // namespace rl::bench
