// A task's life from assignment to 办结 and 销号: its state, its deadline and
// whether it is overdue, and which changes to it are allowed to whom. Plain
// rules over plain data; the storage keeps the stage, the ABI asks here.
//
// The ledger stores a task's stage (open, closure_requested, closed, struck,
// cancelled). The state people see splits the open stage in two by the task's
// reports: 未启动 until a report of it has been submitted (a lead's or a
// co-operating department's, for any period), 推进中 from then on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/org_chart.h"
#include "core/workflow.h"

namespace rl::core {

// What the ledger stores.
enum class TaskStage { open, closure_requested, closed, struck, cancelled };
const char* to_string(TaskStage stage);
std::optional<TaskStage> task_stage_from_string(const std::string& text);

// What people see.
enum class TaskState { not_started, in_progress, closure_requested, closed, struck, cancelled };
const char* to_string(TaskState state);
const char* label_of(TaskState state);  // 未启动, 推进中, 申请办结, 已办结, 已销号, 已撤消

// reported: a report of the task has been submitted at least once.
TaskState task_state(TaskStage stage, bool reported);

// Closed, struck and cancelled tasks owe nothing more and are never overdue.
bool is_finished(TaskStage stage);

// A task's deadline: the plan's (deadline.due as imported), unless the reform
// office set one or approved an extension — the latest of those wins.
struct TaskDeadline {
    std::optional<Date> planned;    // as imported; none for 长期坚持 or no deadline
    std::optional<Date> effective;  // what reminders and colours follow
};

// The one answer the colours (and anyone else) ask of a task's time.
struct TaskTiming {
    TaskState state = TaskState::not_started;
    std::optional<Date> effective_deadline;
    bool overdue = false;          // the deadline has passed and the task is not finished
    int overdue_working_days = 0;  // working days after the deadline up to today
    int working_days_left = 0;     // working days from tomorrow to the deadline; 0 if none
};

TaskTiming task_timing(TaskStage stage, bool reported, const std::optional<Date>& effective,
                       const Date& today, const WorkingCalendar& calendar);

// The changes a task's stage goes through.
enum class TaskChange {
    submit_closure,     // the closure application enters approval: open → closure_requested
    recall_closure,     // returned to its drafter or withdrawn: closure_requested → open
    close,              // the reform office files the closure: closure_requested → closed
    strike,             // 销号: closed → struck
    reopen,             // closed or struck → open
    cancel,             // 撤消: open → cancelled
    set_deadline,       // open or closure_requested
    request_extension,  // open
    assign,             // open or closure_requested: lead and co-operating departments
};
const char* to_string(TaskChange change);

struct TaskDecision {
    Verdict verdict = Verdict::invalid;
    std::string message;               // why, when refused
    TaskStage next = TaskStage::open;  // when allowed
};

// Whether the stage allows the change (the closure workflow decides who acts
// on a closure; this decides what the task's stage may go through).
TaskDecision decide_stage(TaskStage current, TaskChange change);

// Who may make a change and whether it is allowed now: set_deadline, strike,
// reopen, cancel and assign only the reform office (司改办), with a reason for
// all but assign; request_extension the contact or head of a lead department,
// with a reason. lead: the task's lead departments.
TaskDecision decide_change(TaskStage current, TaskChange change, const Person* actor,
                           const std::vector<std::string>& lead, const std::string& reason);

// ------------------------------------------------------------ 延期申请

// An extension request: asked by a lead department, endorsed or refused by
// the leader in charge of it, then approved or refused by the reform office.
enum class ExtensionState { requested, endorsed, approved, refused };
const char* to_string(ExtensionState state);
std::optional<ExtensionState> extension_state_from_string(const std::string& text);

struct ExtensionDecision {
    Verdict verdict = Verdict::invalid;
    std::string message;
    ExtensionState next = ExtensionState::requested;
    std::string role;  // leader_in_charge or reform_office
};

// action: "approve" or "refuse"; a refusal needs a reason. department: the
// lead department that asked.
ExtensionDecision decide_extension(ExtensionState current, const std::string& action,
                                   const Person* actor, const std::string& department,
                                   const std::string& reason);

// A new deadline asked for must be a date after today and after the current
// effective deadline, if any. Empty when acceptable, else why not.
std::string check_new_deadline(const Date& asked, const std::optional<Date>& effective,
                               const Date& today);

}  // namespace rl::core
