// The reminder sweep: on each call, with the current time, it works out every
// reminder due from the state of the ledger, keeps those never queued before
// (a dedupe key per rule × obligation × recipient × channel × occurrence),
// records escalations and accountability once, and queues one consolidated
// message per recipient and channel. It writes in slices (storage/write_slices.h):
// a sweep over a big ledger never holds the write lock for much longer than
// settings.sweep_slice_ms at a time. Running it twice, at once, or again after
// a crash, queues nothing twice; after downtime it queues one catch-up per
// recipient, not one per missed sweep.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/org_chart.h"
#include "core/reporting.h"
#include "core/workflow.h"
#include "notify/settings.h"
#include "storage/database.h"
#include "storage/instruction_store.h"
#include "storage/notification_store.h"
#include "storage/plan_store.h"
#include "storage/report_store.h"
#include "storage/task_store.h"

namespace rl::notify {

struct SweepContext {
    storage::Database& database;
    storage::PlanStore& plans;
    storage::ReportStore& reports;
    storage::NotificationStore& notifications;
    const core::WorkingCalendar& calendar;
    const core::Workflow& workflow;
    const core::OrgChart& org_chart;
    const core::ReportingPolicy& policy;
    const Settings& settings;
    // Leaders' instructions (批示): their open parts are reminded and escalated
    // with the obligations, in the same consolidated messages.
    storage::InstructionStore& instructions;
    // Tasks' own deadlines (the one in force: an approved extension moves it):
    // reminded and escalated in the same consolidated messages.
    storage::TaskStore& tasks;
    // The closure (办结) approval workflow: closure applications and extension
    // requests waiting in approval are chased in the same messages.
    const core::Workflow& closure_workflow;
};

struct SweepResult {
    std::string today;
    int obligations_checked = 0;
    int reminders_due = 0;  // including those already sent
    int new_items = 0;      // reminders never queued before
    int messages_queued = 0;
    int deferred = 0;                   // queued, but waiting out quiet hours / a day off
    int escalations = 0;                // newly recorded
    int accountability = 0;             // newly recorded
    int instruction_parts_checked = 0;  // open instruction parts due within the horizon
    int instruction_escalations = 0;    // newly recorded
    int tasks_checked = 0;              // open tasks whose deadline is within the horizon
    int task_escalations = 0;           // task deadlines whose escalation was newly recorded
    int task_approvals_checked = 0;     // closure applications and extension requests in approval
    int write_slices = 0;               // write transactions it took
    double longest_write_ms = 0;        // the longest of them, commit included
    std::vector<std::string> warnings;
};

SweepResult sweep(SweepContext& context, std::int64_t now_ms);

}  // namespace rl::notify
