#include "core/reminders.h"

#include <algorithm>

namespace rl::core {

namespace {

// A reminder built member by member: g++ 12 at -O3 warns (-Wmaybe-uninitialized,
// a false positive) on the braced temporaries of an aggregate Reminder.
Reminder reminder(ReminderRule rule, std::int64_t id, Recipient recipient, std::string occurrence,
                  std::string line, int overdue_working_days) {
    Reminder r;
    r.rule = rule;
    r.obligation_id = id;
    r.recipient = std::move(recipient);
    r.occurrence = std::move(occurrence);
    r.line = std::move(line);
    r.overdue_working_days = overdue_working_days;
    return r;
}

std::string describe(const OpenObligation& o) {
    std::string text = "任务" + o.task_number;
    if (!o.item_number.empty()) {
        text += "（" + o.item_number + "）";
    }
    return text + " " + o.task_title + "（" + o.period + "，" +
           (o.role == "lead" ? "牵头" : "配合") + "）";
}

std::vector<std::string> holders_of(const OrgChart& chart, PersonRole role,
                                    const std::string& department) {
    std::vector<std::string> ids;
    for (const auto& p : chart.people()) {
        if (holds_role_for(p, role, department)) {
            ids.push_back(p.id);
        }
    }
    return ids;
}

}  // namespace

const char* to_string(ReminderRule rule) {
    switch (rule) {
        case ReminderRule::before_due:
            return "before_due";
        case ReminderRule::due_today:
            return "due_today";
        case ReminderRule::overdue:
            return "overdue";
        case ReminderRule::approval_waiting:
            return "approval_waiting";
        case ReminderRule::escalation:
            return "escalation";
        case ReminderRule::accountability:
            return "accountability";
        case ReminderRule::instruction_before_due:
            return "instruction_before_due";
        case ReminderRule::instruction_due_today:
            return "instruction_due_today";
        case ReminderRule::instruction_overdue:
            return "instruction_overdue";
        case ReminderRule::instruction_escalation:
            return "instruction_escalation";
        case ReminderRule::task_before_due:
            return "task_before_due";
        case ReminderRule::task_due_today:
            return "task_due_today";
        case ReminderRule::task_overdue:
            return "task_overdue";
        case ReminderRule::task_escalation:
            return "task_escalation";
        case ReminderRule::closure_waiting:
            return "closure_waiting";
        case ReminderRule::closure_escalation:
            return "closure_escalation";
        case ReminderRule::extension_waiting:
            return "extension_waiting";
        case ReminderRule::extension_escalation:
            return "extension_escalation";
    }
    return "?";
}

std::string rule_id(ReminderRule rule) {
    return std::string("reform_ledger.rule.") + to_string(rule);
}

bool is_urgent(ReminderRule rule) {
    return rule == ReminderRule::overdue || rule == ReminderRule::escalation ||
           rule == ReminderRule::accountability || rule == ReminderRule::instruction_overdue ||
           rule == ReminderRule::instruction_escalation || rule == ReminderRule::task_overdue ||
           rule == ReminderRule::task_escalation || rule == ReminderRule::closure_escalation ||
           rule == ReminderRule::extension_escalation;
}

bool is_instruction_rule(ReminderRule rule) {
    return rule == ReminderRule::instruction_before_due ||
           rule == ReminderRule::instruction_due_today ||
           rule == ReminderRule::instruction_overdue ||
           rule == ReminderRule::instruction_escalation;
}

bool is_task_rule(ReminderRule rule) {
    return rule == ReminderRule::task_before_due || rule == ReminderRule::task_due_today ||
           rule == ReminderRule::task_overdue || rule == ReminderRule::task_escalation;
}

bool is_task_approval_rule(ReminderRule rule) {
    return rule == ReminderRule::closure_waiting || rule == ReminderRule::closure_escalation ||
           rule == ReminderRule::extension_waiting || rule == ReminderRule::extension_escalation;
}

std::string Reminder::key() const {
    return std::string(to_string(rule)) + "|" + std::to_string(obligation_id) + "|" +
           recipient.key() + "|" + occurrence;
}

bool awaiting_submission(const OpenObligation& o, const Workflow& workflow) {
    if (!o.report || !o.report->exists) {
        return true;
    }
    switch (o.report->state) {
        case ReportState::draft:
            return true;
        case ReportState::returned:
            return o.report->step == workflow.first().id;
        case ReportState::in_approval:
        case ReportState::filed:
            return false;
    }
    return false;
}

bool waiting_for_approval(const OpenObligation& o, const Workflow& workflow) {
    return o.report && o.report->exists &&
           (o.report->state == ReportState::in_approval ||
            (o.report->state == ReportState::returned && o.report->step != workflow.first().id));
}

std::vector<std::string> ReminderPlanner::approvers(const OpenObligation& o) const {
    if (!waiting_for_approval(o, workflow_)) {
        return {};
    }
    if (!o.report->assignee.empty()) {
        return {o.report->assignee};
    }
    const WorkflowStep* step = workflow_.step(o.report->step);
    if (step == nullptr) {
        return {};
    }
    return holders_of(org_chart_, step->actor_role, o.department);
}

std::vector<Reminder> ReminderPlanner::plan(const std::vector<OpenObligation>& open,
                                            const Date& today) const {
    std::vector<Reminder> out;
    const auto add = [&](ReminderRule rule, const OpenObligation& o, Recipient who,
                         std::string occurrence, std::string line, int overdue_days) {
        out.push_back(reminder(rule, o.id, std::move(who), std::move(occurrence), std::move(line),
                               overdue_days));
    };
    const Recipient::Kind dept = Recipient::Kind::department;
    const Recipient::Kind person = Recipient::Kind::person;
    for (const auto& o : open) {
        const std::string what = describe(o);
        if (awaiting_submission(o, workflow_)) {
            if (today < o.due) {
                const int left = calendar_.count_working_days(today.plus_days(1), o.due);
                if (left <= settings_.before_due_working_days) {
                    add(ReminderRule::before_due, o, {dept, o.department}, o.due.iso(),
                        what + "，" + o.due.iso() + "到期，剩余" + std::to_string(left) +
                            "个工作日",
                        0);
                }
            } else if (today == o.due) {
                add(ReminderRule::due_today, o, {dept, o.department}, o.due.iso(),
                    what + "，今日（" + o.due.iso() + "）到期", 0);
            } else {
                const int late = calendar_.count_working_days(o.due.plus_days(1), today);
                if (late > 0) {
                    const int every = std::max(1, settings_.overdue_repeat_working_days);
                    add(ReminderRule::overdue, o, {dept, o.department},
                        o.due.iso() + "#" + std::to_string((late - 1) / every),
                        what + "，" + o.due.iso() + "到期，已逾期" + std::to_string(late) +
                            "个工作日",
                        late);
                }
                const bool escalate = late >= settings_.escalation_overdue_working_days ||
                                      o.missed_periods >= settings_.escalation_missed_periods;
                if (escalate) {
                    for (const auto& leader :
                         holders_of(org_chart_, PersonRole::leader_in_charge, o.department)) {
                        add(ReminderRule::escalation, o, {person, leader}, o.period,
                            o.department + " " + what + "，已逾期" + std::to_string(late) +
                                "个工作日（累计未报" + std::to_string(o.missed_periods) + "期）",
                            late);
                    }
                }
                const bool account =
                    late >= settings_.escalation_overdue_working_days +
                                settings_.accountability_after_escalation_working_days ||
                    o.missed_periods >= settings_.accountability_missed_periods;
                if (account) {
                    std::vector<std::string> to =
                        holders_of(org_chart_, PersonRole::supervision_office, o.department);
                    const auto presidents =
                        holders_of(org_chart_, PersonRole::president, o.department);
                    to.insert(to.end(), presidents.begin(), presidents.end());
                    for (const auto& id : to) {
                        add(ReminderRule::accountability, o, {person, id}, o.period,
                            o.department + " " + what + "，已逾期" + std::to_string(late) +
                                "个工作日（累计未报" + std::to_string(o.missed_periods) +
                                "期），建议约谈问责",
                            late);
                    }
                }
            }
        } else if (waiting_for_approval(o, workflow_) && o.step_since) {
            const int waiting = calendar_.count_working_days(o.step_since->plus_days(1), today);
            const int limit = std::max(1, settings_.approval_waiting_working_days);
            if (waiting >= limit) {
                const WorkflowStep* step = workflow_.step(o.report->step);
                for (const auto& id : approvers(o)) {
                    add(ReminderRule::approval_waiting, o, {person, id},
                        o.report->step + "@" + o.step_since->iso() + "#" +
                            std::to_string(waiting / limit),
                        o.department + " " + what + "，在" + (step ? step->label : o.report->step) +
                            "等待" + std::to_string(waiting) + "个工作日",
                        0);
                }
            }
        }
    }
    return out;
}

std::vector<Reminder> ReminderPlanner::plan_instructions(
    const std::vector<OpenInstructionPart>& open, const Date& today) const {
    std::vector<Reminder> out;
    const Recipient::Kind dept = Recipient::Kind::department;
    const Recipient::Kind person = Recipient::Kind::person;
    for (const auto& p : open) {
        const std::string what = p.number + "（任务" + p.task_number + "）";
        if (today < p.due) {
            const int left = calendar_.count_working_days(today.plus_days(1), p.due);
            if (left <= settings_.instruction_before_due_working_days) {
                out.push_back(reminder(
                    ReminderRule::instruction_before_due, p.part_id, {dept, p.department},
                    p.due.iso(),
                    what + "，" + p.due.iso() + "前反馈，剩余" + std::to_string(left) + "个工作日",
                    0));
            }
            continue;
        }
        if (today == p.due) {
            out.push_back(reminder(ReminderRule::instruction_due_today, p.part_id,
                                   {dept, p.department}, p.due.iso(),
                                   what + "，今日（" + p.due.iso() + "）反馈到期", 0));
            continue;
        }
        const int late = calendar_.count_working_days(p.due.plus_days(1), today);
        if (late <= 0) {
            continue;  // past the due date, but no working day yet
        }
        const int every = std::max(1, settings_.instruction_overdue_repeat_working_days);
        out.push_back(reminder(
            ReminderRule::instruction_overdue, p.part_id, {dept, p.department},
            p.due.iso() + "#" + std::to_string((late - 1) / every),
            what + "，" + p.due.iso() + "到期，已逾期" + std::to_string(late) + "个工作日未反馈",
            late));
        if (late >= settings_.instruction_escalation_overdue_working_days) {
            std::vector<std::string> to{p.written_by};
            for (const auto& id :
                 holders_of(org_chart_, PersonRole::leader_in_charge, p.department)) {
                if (std::find(to.begin(), to.end(), id) == to.end()) {
                    to.push_back(id);
                }
            }
            for (const auto& id : to) {
                out.push_back(reminder(ReminderRule::instruction_escalation, p.part_id,
                                       {person, id}, p.due.iso(),
                                       p.department + " " + what + "，已逾期" +
                                           std::to_string(late) + "个工作日未反馈",
                                       late));
            }
        }
    }
    return out;
}

std::vector<Reminder> ReminderPlanner::plan_tasks(const std::vector<OpenTaskDeadline>& open,
                                                  const Date& today) const {
    std::vector<Reminder> out;
    const Recipient::Kind dept = Recipient::Kind::department;
    const Recipient::Kind person = Recipient::Kind::person;
    for (const auto& t : open) {
        const std::string what = "任务" + t.number + " " + t.title + "（完成时限" + t.due.iso() +
                                 (t.extended ? "，已调整" : "") + "）";
        const std::string due = t.due.iso();
        if (today < t.due) {
            const int left = calendar_.count_working_days(today.plus_days(1), t.due);
            if (left <= settings_.task_before_due_working_days) {
                for (const auto& d : t.lead) {
                    out.push_back(reminder(ReminderRule::task_before_due, t.task_id, {dept, d}, due,
                                           what + "，剩余" + std::to_string(left) + "个工作日", 0));
                }
            }
            continue;
        }
        if (today == t.due) {
            for (const auto& d : t.lead) {
                out.push_back(reminder(ReminderRule::task_due_today, t.task_id, {dept, d}, due,
                                       what + "，今日到期", 0));
            }
            continue;
        }
        const int late = calendar_.count_working_days(t.due.plus_days(1), today);
        if (late <= 0) {
            continue;  // past the deadline, but no working day yet
        }
        const int every = std::max(1, settings_.task_overdue_repeat_working_days);
        for (const auto& d : t.lead) {
            out.push_back(reminder(ReminderRule::task_overdue, t.task_id, {dept, d},
                                   due + "#" + std::to_string((late - 1) / every),
                                   what + "，已逾期" + std::to_string(late) + "个工作日", late));
        }
        if (late >= settings_.task_escalation_overdue_working_days) {
            std::vector<std::string> to;
            for (const auto& d : t.lead) {
                for (const auto& id : holders_of(org_chart_, PersonRole::leader_in_charge, d)) {
                    if (std::find(to.begin(), to.end(), id) == to.end()) {
                        to.push_back(id);
                    }
                }
            }
            std::string lead;
            for (const auto& d : t.lead) {
                lead += (lead.empty() ? "" : "、") + d;
            }
            for (const auto& id : to) {
                out.push_back(reminder(
                    ReminderRule::task_escalation, t.task_id, {person, id}, due,
                    lead + " " + what + "，已逾期" + std::to_string(late) + "个工作日", late));
            }
        }
    }
    return out;
}

std::vector<Reminder> ReminderPlanner::plan_task_approvals(
    const std::vector<PendingTaskApproval>& pending, const Workflow& closure_workflow,
    const Date& today) const {
    std::vector<Reminder> out;
    const Recipient::Kind person = Recipient::Kind::person;
    for (const auto& p : pending) {
        const bool closure = p.kind == PendingTaskApproval::Kind::closure;
        std::vector<std::string> turn;  // whose turn it is
        std::string where;              // the step, as the line names it
        if (closure) {
            if (p.step == closure_workflow.first().id) {
                continue;  // back with the department: not waiting for an approver
            }
            const WorkflowStep* step = closure_workflow.step(p.step);
            where = step != nullptr ? step->label : p.step;
            if (!p.assignee.empty()) {
                turn.push_back(p.assignee);
            } else if (step != nullptr) {
                turn = holders_of(org_chart_, step->actor_role, p.department);
            }
        } else if (p.step == "requested") {
            where = "分管院领导审核";
            turn = holders_of(org_chart_, PersonRole::leader_in_charge, p.department);
        } else if (p.step == "endorsed") {
            where = "司改办审批";
            turn = holders_of(org_chart_, PersonRole::reform_office, p.department);
        } else {
            continue;  // decided: nobody's turn
        }
        const int waiting = calendar_.count_working_days(p.since.plus_days(1), today);
        const int remind_after = std::max(1, closure ? settings_.closure_waiting_working_days
                                                     : settings_.extension_waiting_working_days);
        const int escalate_after =
            std::max(1, closure ? settings_.closure_escalation_working_days
                                : settings_.extension_escalation_working_days);
        const std::string occurrence = p.step + "@" + p.since.iso();
        const std::string what = "任务" + p.task_number + " " + p.task_title + "的" +
                                 (closure ? "办结申请" : "延期申请") + "（" + p.department +
                                 "），在" + where + "等待" + std::to_string(waiting) + "个工作日";
        if (waiting >= remind_after) {
            for (const auto& id : turn) {
                out.push_back(reminder(
                    closure ? ReminderRule::closure_waiting : ReminderRule::extension_waiting, p.id,
                    {person, id}, occurrence, what, waiting));
            }
        }
        if (waiting >= escalate_after) {
            for (const auto& id : holders_of(org_chart_, PersonRole::reform_office, p.department)) {
                out.push_back(reminder(
                    closure ? ReminderRule::closure_escalation : ReminderRule::extension_escalation,
                    p.id, {person, id}, occurrence, what + "，请督促审批", waiting));
            }
        }
    }
    return out;
}

std::int64_t deliver_after_ms(std::int64_t now_ms, bool urgent, const QuietHours& quiet,
                              const WorkingCalendar& calendar) {
    if (urgent) {
        return now_ms;
    }
    const Date today = Date::in_court_time(now_ms);
    const std::int64_t minute = (now_ms - start_of_day_ms(today)) / 60000;
    const bool quiet_now = quiet.start_minute > quiet.end_minute
                               ? (minute >= quiet.start_minute || minute < quiet.end_minute)
                               : (minute >= quiet.start_minute && minute < quiet.end_minute);
    if (calendar.is_working_day(today) && !quiet_now) {
        return now_ms;
    }
    // The next working morning: today if it is a working day and still before
    // the end of the quiet hours, otherwise the next working day.
    Date day = today;
    if (!(calendar.is_working_day(today) && minute < quiet.end_minute)) {
        day = calendar.add_working_days(today, 1);
    }
    return start_of_day_ms(day) + static_cast<std::int64_t>(quiet.end_minute) * 60000;
}

}  // namespace rl::core
