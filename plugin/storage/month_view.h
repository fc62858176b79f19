// One month's obligations as the reads see them, without writing anything.
//
// Obligations are stored when a month opens: by the sweep (today's month), by
// a plan import (today's month, and months already open get the obligations of
// new assignments) or by the first write that needs them (an action, a waiver,
// an urge). A read never opens a month; for a month nobody has opened yet it
// shows what opening it would store — the same obligations, not yet reported
// on — so a department sees what it owes before the first sweep has run.
#pragma once

#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/ledger.h"
#include "core/reporting.h"
#include "storage/report_store.h"

namespace rl::storage {

class MonthView {
public:
    // month: a monthly period ("2019-10"); obligations of quarters ending in
    // it ("2019-Q4" in 2019-12) are part of it.
    MonthView(ReportStore& store, const core::PlanInfo& plan, const core::Period& month,
              const core::ReportingPolicy& policy, const core::WorkingCalendar& calendar);

    // Whether the month's obligations are stored (anything else is derived).
    bool opened() const { return opened_; }

    // Obligations whose period ends in the month, in ledger order; department
    // and task narrow them when not empty.
    std::vector<ObligationView> obligations(const std::string& department = "",
                                            const std::string& task = "") const;
    // The lead obligations of the month, for their status.
    std::vector<LeadPosition> lead_positions() const;
    // Not yet filed, any period up to and including the month.
    std::vector<ObligationView> open_obligations() const;
    // The same, narrowed to what a report's warning needs.
    std::vector<OpenReport> open_reports() const;
    // Throws NotFound naming the key.
    ObligationView obligation(const ObligationKey& key) const;
    // The co-operating obligations beside a lead obligation.
    std::vector<ObligationView> co_obligations(const ObligationView& lead) const;
    // The co-operating departments that have not reported beside a lead obligation.
    std::vector<std::string> missing_co_reports(const ObligationView& lead) const;

private:
    ReportStore& store_;
    core::PlanInfo plan_;
    std::string month_;
    bool opened_ = false;
    std::vector<ObligationView> unopened_;  // the month's obligations, when not opened
};

}  // namespace rl::storage
