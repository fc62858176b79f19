// How obligations appear in the ABI's results, for every family that shows
// them: each one's status as of today, its JSON object, and a task's status
// for a month (where its lead reports stand).
#pragma once

#include <functional>
#include <map>
#include <string>

#include "abi/context.h"
#include "core/calendar.h"
#include "core/report_form.h"
#include "core/reporting.h"
#include "core/workflow.h"
#include "json_util.h"
#include "storage/report_store.h"

namespace rl::abi {

// An obligation's status as of today (court time, by the host's clock), and
// how many working days it is late.
struct StatusOf {
    const core::WorkingCalendar& calendar;
    const core::Workflow& workflow;
    core::Date today;

    core::ObligationStatus operator()(const storage::ObligationView& v) const {
        return core::obligation_status(v.waived, v.report, workflow.first().id,
                                       *core::Date::parse(v.due_date), today);
    }
    int overdue_working_days(const storage::ObligationView& v) const {
        const core::Date due = *core::Date::parse(v.due_date);
        return due < today ? calendar.count_working_days(due.plus_days(1), today) : 0;
    }
};

// Raw JSON text already known to be valid (stored report content).
void write_raw(json::Writer& w, const std::string& text);

// extra writes further members of the obligation's object (report.get's actions).
void write_obligation(json::Writer& w, const storage::ObligationView& v, const StatusOf& status_of,
                      bool with_content, const std::function<void(json::Writer&)>& extra = nullptr);

// Task number → status of its lead report(s) for the month.
std::map<std::string, std::string> task_statuses(Context& context, const storage::MonthView& month);

}  // namespace rl::abi
