// Reminder rules: given where every open obligation stands on a day, which
// reminders are due — before the due date, on it, when overdue (repeating),
// when a report waits too long at an approval step, escalation to the leader
// in charge, and accountability (约谈问责). Pure decisions; the sweep stores
// them, de-duplicated, consolidated per recipient.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/workflow.h"

namespace rl::core {

struct ReminderSettings {
    int before_due_working_days = 3;        // remind when the due date is this close
    int overdue_repeat_working_days = 2;    // chase again every N working days
    int approval_waiting_working_days = 3;  // an approver sitting on a report this long
    int escalation_overdue_working_days = 5;
    int escalation_missed_periods = 2;
    int accountability_after_escalation_working_days = 10;
    int accountability_missed_periods = 3;
    // Leaders' instructions (批示): each addressed department's open part is
    // reminded this close to its due date and on it, chased every N working
    // days once overdue, and escalated (to the writer and the department's
    // leader in charge) this many working days after it.
    int instruction_before_due_working_days = 2;
    int instruction_overdue_repeat_working_days = 2;
    int instruction_escalation_overdue_working_days = 3;
    // A task's own deadline (the reform office's date or an approved
    // extension's, else the plan's): its lead departments are reminded this
    // close to it and on it, chased every N working days once overdue, and
    // the lead departments' leaders in charge are told this many working days
    // after it.
    int task_before_due_working_days = 5;
    int task_overdue_repeat_working_days = 3;
    int task_escalation_overdue_working_days = 5;
    // A closure application (办结申请) or an extension request (延期申请)
    // waiting at an approval step: whoever's turn it is is reminded after
    // this many working days there, and the reform office (司改办) is told
    // after that many; once each per step.
    int closure_waiting_working_days = 3;
    int closure_escalation_working_days = 5;
    int extension_waiting_working_days = 3;
    int extension_escalation_working_days = 5;
};

enum class ReminderRule {
    before_due,
    due_today,
    overdue,
    approval_waiting,
    escalation,
    accountability,
    instruction_before_due,
    instruction_due_today,
    instruction_overdue,
    instruction_escalation,
    task_before_due,
    task_due_today,
    task_overdue,
    task_escalation,
    closure_waiting,
    closure_escalation,
    extension_waiting,
    extension_escalation
};
const char* to_string(ReminderRule rule);
// The registered notification rule id ("reform_ledger.rule.overdue").
std::string rule_id(ReminderRule rule);
bool is_urgent(ReminderRule rule);
// The rules about a leader's instruction (批示) rather than an obligation.
bool is_instruction_rule(ReminderRule rule);
// The rules about a task's own deadline rather than an obligation.
bool is_task_rule(ReminderRule rule);
// The rules about a closure application or an extension request waiting in
// approval (the reminder's obligation_id is the application's or request's id).
bool is_task_approval_rule(ReminderRule rule);

// Who receives a reminder: a department (its contact and head), a person,
// or a role-holder group.
struct Recipient {
    enum class Kind { department, person } kind = Kind::department;
    std::string id;  // department name or person id
    std::string key() const { return (kind == Kind::department ? "department:" : "person:") + id; }
};

// An open obligation as the sweep sees it.
struct OpenObligation {
    std::int64_t id = 0;
    std::int64_t plan_id = 0;
    std::string task_number;
    std::string task_title;
    std::string item_number;
    std::string department;
    std::string role;  // lead / co
    std::string period;
    Date due;
    std::optional<ReportPosition> report;
    std::optional<Date> step_since;  // court date the report reached its step
    int missed_periods = 0;          // past-due, unsubmitted obligations of the same assignment
};

// An addressed department's part of an instruction (批示) that has no final
// answer yet, as the sweep sees it.
struct OpenInstructionPart {
    std::int64_t part_id = 0;
    std::int64_t plan_id = 0;
    std::string number;  // 批示〔2019〕1号
    std::string task_number;
    std::string department;
    std::string written_by;  // person id
    Date due;
    int answers = 0;         // interim answers given so far
    bool escalated = false;  // the escalation is recorded already
};

// A task that is still open (not closed, struck or cancelled, and no closure
// application in approval) with its effective deadline, as the sweep sees it.
struct OpenTaskDeadline {
    std::int64_t task_id = 0;
    std::int64_t plan_id = 0;
    std::string number;
    std::string title;
    std::vector<std::string> lead;  // the task's and its items' lead departments
    Date due;                       // the deadline in force
    bool extended = false;          // set by the reform office or an extension
};

// A closure application (办结申请) or an extension request (延期申请) that
// waits at an approval step, as the sweep sees it.
struct PendingTaskApproval {
    enum class Kind { closure, extension } kind = Kind::closure;
    std::int64_t id = 0;  // the application's or the request's id
    std::int64_t plan_id = 0;
    std::string task_number;
    std::string task_title;
    std::string department;  // the lead department that applied or asked
    // closure: the closure workflow's step id; extension: "requested" (the
    // leader in charge's turn) or "endorsed" (the reform office's).
    std::string step;
    std::string assignee;  // closure: the person it was handed over to, or empty
    Date since;            // court date it reached the step
};

struct Reminder {
    ReminderRule rule = ReminderRule::before_due;
    // The obligation; for the instruction rules, the instruction part; for
    // the task rules, the task.
    std::int64_t obligation_id = 0;
    Recipient recipient;
    std::string occurrence;  // what makes a repeat a new reminder (a date, a count, a period)
    std::string line;        // one line for the consolidated message
    int overdue_working_days = 0;
    // The dedupe key without the channel: rule|obligation|recipient|occurrence.
    std::string key() const;
};

// Whether the obligation still waits for its department (not yet submitted).
bool awaiting_submission(const OpenObligation& o, const Workflow& workflow);
// Whether its report waits at an approval step (sent on, or returned to one).
bool waiting_for_approval(const OpenObligation& o, const Workflow& workflow);

class ReminderPlanner {
public:
    ReminderPlanner(const ReminderSettings& settings, const WorkingCalendar& calendar,
                    const Workflow& workflow, const OrgChart& org_chart)
        : settings_(settings), calendar_(calendar), workflow_(workflow), org_chart_(org_chart) {}

    // Every reminder due on `today` for these obligations. Calling it again
    // the same day gives the same reminders (the same keys).
    std::vector<Reminder> plan(const std::vector<OpenObligation>& open, const Date& today) const;
    // Every reminder due on `today` for these open instruction parts: before
    // the due date and on it (to the department), repeating once overdue (to
    // the department, urgent), and the escalation (to the instruction's
    // writer and the department's leaders in charge, once per part).
    std::vector<Reminder> plan_instructions(const std::vector<OpenInstructionPart>& open,
                                            const Date& today) const;
    // Every reminder due on `today` for these tasks' own deadlines: before it
    // and on it (to each lead department), repeating once overdue (to each
    // lead department, urgent), and the escalation (to the lead departments'
    // leaders in charge, once per deadline). The deadline is in every key, so
    // a new deadline (an approved extension) starts the reminders afresh.
    std::vector<Reminder> plan_tasks(const std::vector<OpenTaskDeadline>& open,
                                     const Date& today) const;
    // Every reminder due on `today` for closure applications and extension
    // requests waiting in approval: after closure_/extension_waiting_working_days
    // at a step, to the person whose turn it is (the assignee it was handed
    // over to, else the holders of the step's role for the department; for an
    // extension the department's leader in charge, then the reform office);
    // after closure_/extension_escalation_working_days, to the reform office
    // (urgent). Once each per step: the step and the date it got there are the
    // occurrence, so a return or a new step starts afresh. closure_workflow:
    // the closure approval workflow (its steps' roles and labels).
    std::vector<Reminder> plan_task_approvals(const std::vector<PendingTaskApproval>& pending,
                                              const Workflow& closure_workflow,
                                              const Date& today) const;

    // The people who may act on a report at its step (or its assignee).
    std::vector<std::string> approvers(const OpenObligation& o) const;

private:
    const ReminderSettings& settings_;
    const WorkingCalendar& calendar_;
    const Workflow& workflow_;
    const OrgChart& org_chart_;
};

// When a message may go out: urgent ones now; others wait out quiet hours
// (from quiet_start to quiet_end, minutes after midnight, court time) and
// non-working days, to the start of the next working morning.
struct QuietHours {
    int start_minute = 20 * 60;  // 20:00
    int end_minute = 8 * 60;     // 08:00
};
std::int64_t deliver_after_ms(std::int64_t now_ms, bool urgent, const QuietHours& quiet,
                              const WorkingCalendar& calendar);

}  // namespace rl::core
