// A task's life in the database: its stage and deadline, its closure
// applications (办结申请) and extension requests (延期申请), and the plan
// changes of the year (调整). Every change is written with its audit entry in
// the caller's write transaction; the rules that allow it are in
// core/task_lifecycle.h and core/workflow.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/ledger.h"
#include "core/reminders.h"
#include "core/task_lifecycle.h"
#include "core/workflow.h"
#include "storage/database.h"
#include "storage/plan_store.h"

namespace rl::storage {

struct TaskRecord {
    std::int64_t id = 0;
    std::string number;
    std::string title;
    std::string section_number;
    core::TaskStage stage = core::TaskStage::open;
    std::string origin;  // import or adjustment
    bool has_deadline = false;
    std::string deadline_text;  // as written
    std::string deadline_due;   // ISO date from the plan, or empty
    std::string deadline_set;   // ISO date set by the reform office or an extension, or empty
    std::string reports_until;  // last month owing reports, or empty
    bool reported = false;      // a report of it has been submitted
    std::string escalated_at;   // when the sweep escalated the deadline in force (UTC), or empty
    std::vector<std::string> lead;  // task and item lead departments, as assigned now
    std::vector<std::string> co;

    std::optional<core::Date> planned() const;
    std::optional<core::Date> effective() const;
    // The department audit entries about the task are filed under (its first
    // lead), or empty.
    std::string audit_department() const;
};

struct ClosureRecord {
    std::int64_t id = 0;  // 0: not stored yet
    int round = 1;
    std::string department;
    core::ReportPosition position;
    std::string content;  // JSON
    std::string created_at;
    std::string updated_at;
};

struct ExtensionRecord {
    std::int64_t id = 0;
    std::string task_number;
    std::string department;
    std::string requested_by;
    std::string requested_at;
    std::string from_due;  // empty: none
    std::string to_due;
    std::string reason;
    core::ExtensionState state = core::ExtensionState::requested;
    std::string leader;
    std::string leader_opinion;
    std::string decided_by;
    std::string decided_at;
    std::string decision_reason;
};

// What an audit entry about a task says besides the plan and task.
struct TaskAudit {
    std::string actor;
    std::string acting_for;
    std::string role;
    std::string action;
    std::string department;
    std::string period;
    std::string from_state, to_state, from_step, to_step;
    std::string reason;
    std::string detail;  // JSON object or empty
};

// A task added during the year (调整).
struct NewTask {
    std::string section;  // number of an existing section: 一, 二 …
    std::string number;   // empty: one after the plan's last
    std::string title;
    std::string body;
    std::string deadline_text;  // empty: none
    std::string deadline_due;   // ISO date or empty
};

class TaskStore {
public:
    explicit TaskStore(Database& database) : database_(database) {}

    // Throws NotFound naming the task and plan.
    TaskRecord task(const core::PlanInfo& plan, const std::string& number);

    // Moves the task to stage; reports_until: nullopt leaves it, "" clears it.
    void set_stage(const core::PlanInfo& plan, const TaskRecord& task, core::TaskStage stage,
                   const std::optional<std::string>& reports_until, const TaskAudit& audit,
                   std::int64_t now_ms);
    // The reform office's deadline (ISO date) over the plan's.
    void set_deadline(const core::PlanInfo& plan, const TaskRecord& task, const std::string& due,
                      const TaskAudit& audit, std::int64_t now_ms);

    // The latest closure application of the task, if any.
    std::optional<ClosureRecord> closure(const TaskRecord& task);
    // Inserts (id 0) or updates the application, with its audit entry.
    ClosureRecord save_closure(const core::PlanInfo& plan, const TaskRecord& task,
                               ClosureRecord closure, const TaskAudit& audit, std::int64_t now_ms);

    std::int64_t add_extension(const core::PlanInfo& plan, const TaskRecord& task,
                               const ExtensionRecord& request, const TaskAudit& audit,
                               std::int64_t now_ms);
    // Throws NotFound.
    ExtensionRecord extension(const core::PlanInfo& plan, std::int64_t id);
    void update_extension(const core::PlanInfo& plan, const TaskRecord& task,
                          const ExtensionRecord& request, const TaskAudit& audit,
                          std::int64_t now_ms);
    // Every request of the plan (or of one task), oldest first.
    std::vector<ExtensionRecord> extensions(const core::PlanInfo& plan,
                                            const std::string& task_number);

    // 调整: adds a task to a section of the plan; returns its number. Throws
    // NotFound for an unknown section, std::invalid_argument for a number
    // already in the plan.
    std::string add_task(const core::PlanInfo& plan, const NewTask& task, const TaskAudit& audit,
                         std::int64_t now_ms);
    // Makes lead and co the task's own (task-level) departments: those no
    // longer named owe no reports after until_month, those newly named owe
    // them from from_month. Departments must be in the departments table or
    // the org chart's canonical names (added when missing). Returns the
    // departments added and ended.
    struct AssignOutcome {
        std::vector<std::string> added, ended, changed;
    };
    AssignOutcome assign(const core::PlanInfo& plan, const TaskRecord& task,
                         const std::vector<std::string>& lead, const std::vector<std::string>& co,
                         const std::string& until_month, const std::string& from_month,
                         const TaskAudit& audit, std::int64_t now_ms);

    // Every task of every plan that is still open (stage open: not closed,
    // struck or cancelled, and no closure application in approval) whose
    // deadline in force — the reform office's or an extension's, else the
    // plan's — falls on or before horizon, with its current lead
    // departments; for the reminder sweep.
    std::vector<core::OpenTaskDeadline> open_deadlines(const core::Date& horizon);
    // The numbers of the plan's tasks whose latest closure application is not
    // filed (a draft, in approval or returned) and that are not closed, struck
    // or cancelled; for the inbox.
    std::vector<std::string> tasks_with_open_closures(const core::PlanInfo& plan);

    // Every closure application (the latest round) waiting at an approval
    // step — in approval, or returned to a step other than first_step — and
    // every extension request not yet decided, of tasks neither closed,
    // struck nor cancelled, with the court date each reached its step; for
    // the reminder sweep.
    std::vector<core::PendingTaskApproval> pending_approvals(const std::string& first_step);
    // Records the escalation of the task's deadline due (ISO date) once:
    // false if it is recorded already (another sweep was first).
    bool record_escalation(std::int64_t task_id, const std::string& due, int overdue_working_days,
                           std::int64_t now_ms);

private:
    Database& database_;
};

}  // namespace rl::storage
