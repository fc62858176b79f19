#include "abi/obligation_views.h"

namespace rl::abi {

namespace {

int severity(core::ObligationStatus s) {
    switch (s) {
        case core::ObligationStatus::overdue:
            return 6;
        case core::ObligationStatus::returned:
            return 5;
        case core::ObligationStatus::not_started:
            return 4;
        case core::ObligationStatus::draft:
            return 3;
        case core::ObligationStatus::in_approval:
            return 2;
        case core::ObligationStatus::filed:
            return 1;
        case core::ObligationStatus::waived:
            return 0;
    }
    return 0;
}

}  // namespace

void write_raw(json::Writer& w, const std::string& text) {
    w.RawValue(text.data(), text.size(), rapidjson::kObjectType);
}

void write_obligation(json::Writer& w, const storage::ObligationView& v, const StatusOf& status_of,
                      bool with_content, const std::function<void(json::Writer&)>& extra) {
    w.StartObject();
    w.Key("task");
    json::write_string(w, v.task_number);
    w.Key("task_title");
    json::write_string(w, v.task_title);
    w.Key("item");
    json::write_string(w, v.item_number);
    w.Key("department");
    json::write_string(w, v.department);
    w.Key("role");
    json::write_string(w, v.role);
    w.Key("period");
    json::write_string(w, v.period);
    w.Key("due_date");
    json::write_string(w, v.due_date);
    w.Key("status");
    w.String(core::to_string(status_of(v)));
    w.Key("overdue_working_days");
    w.Int(status_of.overdue_working_days(v));
    w.Key("urges");
    w.Int(v.urges);
    w.Key("escalation");
    json::write_string_or_null(w, v.escalation);
    if (v.waived) {
        w.Key("waived");
        w.StartObject();
        w.Key("by");
        json::write_string(w, v.waived_by);
        w.Key("reason");
        json::write_string(w, v.waive_reason);
        w.EndObject();
    }
    w.Key("report");
    if (!v.report) {
        w.Null();
    } else {
        const auto& r = *v.report;
        w.StartObject();
        w.Key("state");
        w.String(core::to_string(r.state));
        w.Key("step");
        json::write_string(w, r.step);
        w.Key("version");
        w.Int(r.version);
        w.Key("resume_step");
        json::write_string(w, r.resume_step);
        w.Key("assignee");
        json::write_string(w, r.assignee);
        w.Key("step_since");
        json::write_string(w, v.step_since);
        w.Key("updated_at");
        json::write_string(w, v.updated_at);
        if (with_content) {
            w.Key("content");
            write_raw(w, v.content.empty() ? "{}" : v.content);
        }
        w.EndObject();
    }
    if (extra) {
        extra(w);
    }
    w.EndObject();
}

std::map<std::string, std::string> task_statuses(Context& context,
                                                 const storage::MonthView& month) {
    const core::Date today = context.today();
    const std::string& drafting_step = context.workflow().first().id;
    std::map<std::string, core::ObligationStatus> worst;
    for (const auto& v : month.lead_positions()) {
        const auto s = core::obligation_status(v.waived, v.report, drafting_step,
                                               *core::Date::parse(v.due_date), today);
        const auto it = worst.find(v.task_number);
        if (it == worst.end() || severity(s) > severity(it->second)) {
            worst[v.task_number] = s;
        }
    }
    std::map<std::string, std::string> out;
    for (const auto& [task, status] : worst) {
        out[task] = core::to_string(status);
    }
    return out;
}

}  // namespace rl::abi
