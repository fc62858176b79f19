#include "abi/task_warnings.h"

#include <set>

#include "abi/obligation_views.h"
#include "abi/task_views.h"

namespace rl::abi {

core::TaskStanding task_standing(Context& context, const core::PlanInfo& /*plan*/,
                                 const core::LedgerRow& row) {
    const core::TaskTiming timing = task_timing_of(context, row);
    core::TaskStanding standing;
    standing.task = row.number;
    standing.deadline = timing.effective_deadline;
    standing.settled = timing.state == core::TaskState::closed ||
                       timing.state == core::TaskState::struck ||
                       timing.state == core::TaskState::cancelled;
    if (standing.settled) {
        standing.state = core::label_of(timing.state);
    }
    return standing;
}

LedgerWarnings ledger_warnings(Context& ctx, const core::PlanInfo& plan,
                               const storage::MonthView& month,
                               const std::vector<core::LedgerRow>& rows) {
    const std::string& drafting_step = ctx.workflow().first().id;
    const core::Date today = ctx.today();
    std::map<std::string, std::vector<core::ReportDue>> reports;
    for (auto& v : month.open_reports()) {
        core::ReportDue r;
        r.due = *core::Date::parse(v.due_date);
        r.status = core::obligation_status(false, v.report, drafting_step, r.due, today);
        r.department = std::move(v.department);
        r.lead = v.lead;
        r.period = std::move(v.period);
        reports[v.task_number].push_back(std::move(r));
    }
    LedgerWarnings out;
    std::vector<core::TaskWarning> tasks;
    std::vector<std::string> departments;
    std::set<std::string> seen;
    const auto named = [&](const std::vector<std::string>& list) {
        for (const auto& d : list) {
            if (seen.insert(d).second) {
                departments.push_back(d);
            }
        }
    };
    for (const auto& row : rows) {
        core::TaskWarning t;
        t.task = row.number;
        t.leads = row.lead;
        t.warning = core::task_warning(task_standing(ctx, plan, row), reports[row.number],
                                       ctx.today(), ctx.calendar(), ctx.config().warnings);
        tasks.push_back(std::move(t));
        named(row.lead);
        named(row.co);
        for (const auto& item : row.items) {
            named(item.lead);
            named(item.co);
        }
    }
    out.departments = core::department_warnings(tasks, departments);
    for (auto& t : tasks) {
        out.tasks[t.task] = std::move(t.warning);  // moved once the departments' are made
    }
    return out;
}

void write_warning(json::Writer& w, const core::Warning& warning) {
    w.StartObject();
    w.Key("colour");
    w.String(core::to_string(warning.colour));
    w.Key("label");
    w.String(core::label(warning.colour));
    w.Key("reasons");
    w.StartArray();
    for (const auto& r : warning.reasons) {
        w.StartObject();
        w.Key("rule");
        json::write_string(w, r.rule);
        w.Key("colour");
        w.String(core::to_string(r.colour));
        w.Key("task");
        json::write_string(w, r.task);
        w.Key("department");
        json::write_string(w, r.department);
        w.Key("period");
        json::write_string(w, r.period);
        w.Key("due_date");
        if (r.due) {
            json::write_string(w, r.due->iso());
        } else {
            w.Null();
        }
        w.Key("working_days");
        w.Int(r.working_days);
        w.Key("text");
        json::write_string(w, r.text);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
}

}  // namespace rl::abi
