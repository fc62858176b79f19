#include "notify/sweep.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "notify/composer.h"
#include "storage/database.h"
#include "storage/write_slices.h"

namespace rl::notify {

SweepResult sweep(SweepContext& c, std::int64_t now_ms) {
    SweepResult result;
    const core::Date today = core::Date::in_court_time(now_ms);
    result.today = today.iso();
    if (!c.calendar.covers(today.year)) {
        result.warnings.push_back("the calendar has no holiday data for " +
                                  std::to_string(today.year) + ": plain weekends are used");
    }

    // The month being reported on now has its obligations — and so does any
    // month the ledger skipped while nobody swept (downtime).
    const core::Period month = core::reporting_month(today);
    const auto plans = c.plans.plans();
    storage::WriteSlices slices(c.database, std::chrono::milliseconds(c.settings.sweep_slice_ms));
    std::vector<std::pair<const core::PlanInfo*, core::Period>> openings;
    for (const auto& plan : plans) {
        core::Period from = month;
        if (const auto latest = c.reports.latest_month(plan)) {
            if (const auto p = core::Period::parse(*latest)) {
                from = p->next();
            }
        }
        for (core::Period m = from;
             m.year < month.year || (m.year == month.year && m.index <= month.index);
             m = m.next()) {
            openings.emplace_back(&plan, m);
        }
        if (from.year > month.year || (from.year == month.year && from.index > month.index)) {
            openings.emplace_back(&plan, month);  // new assignments of a month already open
        }
    }
    slices.run(openings.size(), [&](std::size_t i) {
        const auto& [plan, m] = openings[i];
        c.reports.ensure_obligations(*plan, m.year, m.index, c.policy, c.calendar);
    });

    // Look far enough ahead for the before-due reminder.
    int look_ahead = c.settings.reminders.before_due_working_days;
    for (const auto& [key, rules] : c.settings.plan_reminders) {
        look_ahead = std::max(look_ahead, rules.before_due_working_days);
    }
    const core::Date horizon = c.calendar.add_working_days(today, std::max(1, look_ahead));
    const auto open = c.notifications.open_obligations(horizon, today, c.workflow.first().id);
    result.obligations_checked = static_cast<int>(open.size());
    std::map<std::int64_t, const core::OpenObligation*> by_id;
    for (const auto& o : open) {
        by_id[o.id] = &o;
    }

    // Each plan's obligations under that plan's rule thresholds.
    std::map<std::int64_t, std::vector<core::OpenObligation>> by_plan;
    for (const auto& o : open) {
        by_plan[o.plan_id].push_back(o);
    }
    std::map<std::int64_t, std::string> plan_keys;
    for (const auto& plan : plans) {
        plan_keys[plan.id] = plan.key;
    }
    std::vector<core::Reminder> reminders;
    for (const auto& [plan_id, obligations] : by_plan) {
        const core::ReminderPlanner planner(c.settings.reminders_for(plan_keys[plan_id]),
                                            c.calendar, c.workflow, c.org_chart);
        const auto planned = planner.plan(obligations, today);
        reminders.insert(reminders.end(), planned.begin(), planned.end());
    }

    // Leaders' instructions: each open part, under the plan's thresholds.
    int instruction_look_ahead = c.settings.reminders.instruction_before_due_working_days;
    for (const auto& [key, rules] : c.settings.plan_reminders) {
        instruction_look_ahead =
            std::max(instruction_look_ahead, rules.instruction_before_due_working_days);
    }
    const auto parts = c.instructions.open_parts(
        c.calendar.add_working_days(today, std::max(1, instruction_look_ahead)));
    result.instruction_parts_checked = static_cast<int>(parts.size());
    std::map<std::int64_t, const core::OpenInstructionPart*> part_by_id;
    std::map<std::int64_t, std::vector<core::OpenInstructionPart>> parts_by_plan;
    for (const auto& p : parts) {
        part_by_id[p.part_id] = &p;
        parts_by_plan[p.plan_id].push_back(p);
    }
    for (const auto& [plan_id, list] : parts_by_plan) {
        const core::ReminderPlanner planner(c.settings.reminders_for(plan_keys[plan_id]),
                                            c.calendar, c.workflow, c.org_chart);
        const auto planned = planner.plan_instructions(list, today);
        reminders.insert(reminders.end(), planned.begin(), planned.end());
    }

    // Tasks' own deadlines, under the plan's thresholds; only plans the ledger
    // runs now.
    int task_look_ahead = c.settings.reminders.task_before_due_working_days;
    for (const auto& [key, rules] : c.settings.plan_reminders) {
        task_look_ahead = std::max(task_look_ahead, rules.task_before_due_working_days);
    }
    const auto tasks =
        c.tasks.open_deadlines(c.calendar.add_working_days(today, std::max(1, task_look_ahead)));
    std::map<std::int64_t, const core::OpenTaskDeadline*> task_by_id;
    std::map<std::int64_t, std::vector<core::OpenTaskDeadline>> tasks_by_plan;
    for (const auto& t : tasks) {
        if (plan_keys.count(t.plan_id) != 0) {
            task_by_id[t.task_id] = &t;
            tasks_by_plan[t.plan_id].push_back(t);
            ++result.tasks_checked;
        }
    }
    for (const auto& [plan_id, list] : tasks_by_plan) {
        const core::ReminderPlanner planner(c.settings.reminders_for(plan_keys[plan_id]),
                                            c.calendar, c.workflow, c.org_chart);
        const auto planned = planner.plan_tasks(list, today);
        reminders.insert(reminders.end(), planned.begin(), planned.end());
    }
    // Closure applications (办结申请) and extension requests (延期申请) waiting
    // in approval, under the plan's thresholds; only plans the ledger runs now.
    const auto pending = c.tasks.pending_approvals(c.closure_workflow.first().id);
    std::map<std::pair<bool, std::int64_t>, const core::PendingTaskApproval*> pending_by_id;
    std::map<std::int64_t, std::vector<core::PendingTaskApproval>> pending_by_plan;
    for (const auto& p : pending) {
        if (plan_keys.count(p.plan_id) != 0) {
            pending_by_id[{p.kind == core::PendingTaskApproval::Kind::closure, p.id}] = &p;
            pending_by_plan[p.plan_id].push_back(p);
            ++result.task_approvals_checked;
        }
    }
    for (const auto& [plan_id, list] : pending_by_plan) {
        const core::ReminderPlanner planner(c.settings.reminders_for(plan_keys[plan_id]),
                                            c.calendar, c.workflow, c.org_chart);
        const auto planned = planner.plan_task_approvals(list, c.closure_workflow, today);
        reminders.insert(reminders.end(), planned.begin(), planned.end());
    }
    result.reminders_due = static_cast<int>(reminders.size());

    // A task deadline's escalation is recorded once per task and deadline in
    // force (and audited): a new deadline — an approved extension's or the
    // reform office's — may be escalated again.
    std::vector<const core::Reminder*> escalating_tasks;
    for (const auto& r : reminders) {
        if (r.rule == core::ReminderRule::task_escalation &&
            std::none_of(
                escalating_tasks.begin(), escalating_tasks.end(),
                [&](const core::Reminder* e) { return e->obligation_id == r.obligation_id; })) {
            escalating_tasks.push_back(&r);
        }
    }
    slices.run(escalating_tasks.size(), [&](std::size_t i) {
        const core::Reminder& r = *escalating_tasks[i];
        const core::OpenTaskDeadline& t = *task_by_id.at(r.obligation_id);
        if (c.tasks.record_escalation(t.task_id, t.due.iso(), r.overdue_working_days, now_ms)) {
            ++result.task_escalations;
            std::string lead;
            for (const auto& d : t.lead) {
                lead += (lead.empty() ? "" : "、") + d;
            }
            storage::AuditRecord a;
            a.at = storage::iso_utc(now_ms);
            a.actor = "system";
            a.role = "reminder_sweep";
            a.action = "task_escalation";
            a.plan_id = t.plan_id;
            a.task_number = t.number;
            a.department = t.lead.empty() ? "" : t.lead.front();
            a.reason = "完成时限" + t.due.iso() + "已逾期" +
                       std::to_string(r.overdue_working_days) + "个工作日，已提请" +
                       (lead.empty() ? std::string("牵头部门") : lead) + "的分管领导督促";
            a.detail = "{\"due\":\"" + t.due.iso() + "\"}";
            c.notifications.audit(a);
        }
    });

    // An instruction part's escalation is recorded once (and audited), like a
    // report's.
    std::vector<const core::OpenInstructionPart*> escalating_parts;
    for (const auto& r : reminders) {
        if (r.rule == core::ReminderRule::instruction_escalation) {
            const auto* p = part_by_id.at(r.obligation_id);
            if (!p->escalated && std::find(escalating_parts.begin(), escalating_parts.end(), p) ==
                                     escalating_parts.end()) {
                escalating_parts.push_back(p);
            }
        }
    }
    slices.run(escalating_parts.size(), [&](std::size_t i) {
        const core::OpenInstructionPart& p = *escalating_parts[i];
        const std::string at = storage::iso_utc(now_ms);
        if (c.instructions.record_escalation(p.part_id, at)) {
            ++result.instruction_escalations;
            storage::AuditRecord a;
            a.at = at;
            a.actor = "system";
            a.role = "reminder_sweep";
            a.action = "instruction_escalation";
            a.plan_id = p.plan_id;
            a.task_number = p.task_number;
            a.department = p.department;
            a.reason = p.number + "：" + p.due.iso() + "到期未反馈，已提请批示人及分管领导督促";
            c.notifications.audit(a);
        }
    });

    // Escalation and accountability are records, not only messages.
    std::vector<const core::Reminder*> escalating;
    for (const auto& r : reminders) {
        if (r.rule == core::ReminderRule::escalation ||
            r.rule == core::ReminderRule::accountability) {
            escalating.push_back(&r);
        }
    }
    slices.run(escalating.size(), [&](std::size_t i) {
        const core::Reminder& r = *escalating[i];
        const auto& o = *by_id.at(r.obligation_id);
        const std::string level = core::to_string(r.rule);
        if (c.notifications.record_escalation(o.id, level, r.overdue_working_days, o.missed_periods,
                                              now_ms)) {
            ++(r.rule == core::ReminderRule::escalation ? result.escalations
                                                        : result.accountability);
            storage::AuditRecord a = storage::audit_of(
                storage::iso_utc(now_ms), "system", "reminder_sweep", level, o.plan_id,
                o.task_number, o.item_number, o.department, o.period, o.id);
            a.reason = "逾期" + std::to_string(r.overdue_working_days) + "个工作日，累计未报" +
                       std::to_string(o.missed_periods) + "期";
            c.notifications.audit(a);
        }
    });

    if (c.settings.channels.empty()) {
        result.write_slices = slices.count();
        result.longest_write_ms = slices.longest_ms();
        if (!reminders.empty()) {
            result.warnings.push_back(
                "no notification channel is configured (notifications.channels): " +
                std::to_string(reminders.size()) + " reminders were worked out but not queued");
        }
        return result;
    }

    // One message per recipient and channel, with only what is new: which
    // reminders are new is decided in the transaction that queues them, so
    // two sweeps at once queue each reminder once.
    struct Group {
        core::Recipient recipient;
        std::string channel;
        std::vector<std::pair<std::string, const core::Reminder*>> reminders;  // by dedupe key
    };
    std::map<std::string, Group> groups;
    for (const auto& r : reminders) {
        for (const auto& channel : c.settings.routes_for(r.recipient)) {
            Group& g = groups[r.recipient.key() + "|" + channel];
            g.recipient = r.recipient;
            g.channel = channel;
            g.reminders.emplace_back(r.key() + "|" + channel, &r);
        }
    }
    std::vector<const Group*> queue;
    for (const auto& [name, g] : groups) {
        queue.push_back(&g);
    }
    slices.run(queue.size(), [&](std::size_t i) {
        const Group& g = *queue[i];
        std::vector<std::string> keys;
        std::map<std::string, const core::Reminder*> reminder_of_key;
        for (const auto& [key, r] : g.reminders) {
            keys.push_back(key);
            reminder_of_key[key] = r;
        }
        bool urgent = false;
        std::vector<Entry> entries;
        // An entry about a task as a whole (no period): an instruction part,
        // a closure or extension in approval, the task's own deadline.
        const auto add_task_entry = [&entries](const core::Reminder& r, const std::string& key,
                                               const std::string& task_number,
                                               const std::string& department) {
            entries.push_back({core::to_string(r.rule),
                               0,
                               r.line,
                               key,
                               {task_number, "", department, ""},
                               action_for_rule(core::to_string(r.rule))});
        };
        for (const auto& key : c.notifications.unseen(keys)) {
            const core::Reminder& r = *reminder_of_key.at(key);
            urgent = urgent || core::is_urgent(r.rule);
            if (core::is_instruction_rule(r.rule)) {
                // Not an obligation: the item names the task, and the part is in the key.
                const core::OpenInstructionPart& p = *part_by_id.at(r.obligation_id);
                add_task_entry(r, key, p.task_number, p.department);
                continue;
            }
            if (core::is_task_approval_rule(r.rule)) {
                // A closure application or an extension request: the item names its task.
                const bool closure = r.rule == core::ReminderRule::closure_waiting ||
                                     r.rule == core::ReminderRule::closure_escalation;
                const core::PendingTaskApproval& p = *pending_by_id.at({closure, r.obligation_id});
                add_task_entry(r, key, p.task_number, p.department);
                continue;
            }
            if (core::is_task_rule(r.rule)) {
                // The task itself: the item names it (no period), the task is in the key.
                const core::OpenTaskDeadline& t = *task_by_id.at(r.obligation_id);
                add_task_entry(r, key, t.number,
                               r.recipient.kind == core::Recipient::Kind::department
                                   ? r.recipient.id
                                   : (t.lead.empty() ? "" : t.lead.front()));
                continue;
            }
            const core::OpenObligation& o = *by_id.at(r.obligation_id);
            std::string action;
            switch (r.rule) {
                case core::ReminderRule::before_due:
                case core::ReminderRule::due_today:
                case core::ReminderRule::overdue:
                    action = action_at_step(c.workflow, c.workflow.first().id);
                    break;
                case core::ReminderRule::approval_waiting:
                    action = action_at_step(c.workflow, o.report ? o.report->step : "");
                    break;
                default:
                    action = action_for_rule(core::to_string(r.rule));
                    break;
            }
            entries.push_back({core::to_string(r.rule),
                               r.obligation_id,
                               r.line,
                               key,
                               {o.task_number, o.item_number, o.department, o.period},
                               action});
        }
        if (entries.empty()) {
            return;
        }
        const std::int64_t after =
            core::deliver_after_ms(now_ms, urgent, c.settings.quiet, c.calendar);
        // 0: another instance queued one of these keys first; nothing is queued.
        if (c.notifications.enqueue(
                compose(g.recipient, g.channel, "reminder", urgent, entries, c.org_chart, now_ms,
                        after, c.settings.console_base_url),
                now_ms) == 0) {
            return;
        }
        result.new_items += static_cast<int>(entries.size());
        ++result.messages_queued;
        if (after > now_ms) {
            ++result.deferred;
        }
    });
    result.write_slices = slices.count();
    result.longest_write_ms = slices.longest_ms();
    return result;
}

}  // namespace rl::notify
