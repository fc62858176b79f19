// The task methods of the ABI: a task's state and deadline, its closure
// (办结) through the approval engine, 销号 and reopening, extension requests
// (延期申请) and the plan changes of the year (调整). Decode, decide (core),
// store, encode; a refused action writes nothing (DiscardWrites).
#include <rapidjson/stringbuffer.h>

#include <algorithm>

#include "abi/context.h"
#include "abi/errors.h"
#include "abi/families.h"
#include "abi/reading.h"
#include "abi/task_views.h"
#include "core/task_lifecycle.h"
#include "core/utf8.h"
#include "core/workflow.h"

namespace rl::abi {

// ------------------------------------------------------------ shared views

core::TaskTiming task_timing_of(const Context& ctx, const core::LedgerRow& row) {
    const std::string& effective = row.deadline_set.empty() ? row.deadline_due : row.deadline_set;
    const auto stage = core::task_stage_from_string(row.stage).value_or(core::TaskStage::open);
    return core::task_timing(stage, row.reported,
                             effective.empty() ? std::nullopt : core::Date::parse(effective),
                             ctx.today(), ctx.calendar());
}

core::TaskTiming task_timing_of(const Context& ctx, const storage::TaskRecord& task) {
    return core::task_timing(task.stage, task.reported, task.effective(), ctx.today(),
                             ctx.calendar());
}

void write_task_timing(json::Writer& w, const core::TaskTiming& t) {
    w.Key("state");
    w.String(core::to_string(t.state));
    w.Key("state_label");
    json::write_string(w, core::label_of(t.state));
    w.Key("effective_deadline");
    if (t.effective_deadline) {
        json::write_string(w, t.effective_deadline->iso());
    } else {
        w.Null();
    }
    w.Key("overdue");
    w.Bool(t.overdue);
    w.Key("overdue_working_days");
    w.Int(t.overdue_working_days);
    w.Key("working_days_left");
    w.Int(t.working_days_left);
}

namespace {

// ------------------------------------------------------------ reading requests

std::string required_text(const rapidjson::Document& request, const char* key) {
    return *request_reader().string(request, "", key, true);
}

std::string optional_text(const rapidjson::Document& request, const char* key) {
    return request_reader().string(request, "", key, false).value_or("");
}

core::Date required_date(const rapidjson::Document& request, const char* key) {
    const std::string text = required_text(request, key);
    const auto date = core::Date::parse(text);
    if (!date) {
        request_reader().fail(
            key, "'" + core::utf8::printable(text, 40) + "' is not a date (expected 2020-06-30)");
    }
    return *date;
}

const core::Person* actor_of(const Context& ctx, const std::string& id) {
    return ctx.config().org_chart.person(id);
}

// The month whose reports are being collected today: its obligations stay as
// they are; a change takes effect from the next one.
core::Period current_month(const Context& ctx) {
    return core::reporting_month(ctx.today());
}

// Canonical department names for a list in the request; a name the org
// chart does not know is an error naming it and where it stands.
std::vector<std::string> departments_of(const Context& ctx, const rapidjson::Document& request,
                                        const char* key) {
    std::vector<std::string> out;
    const auto names = request_reader().strings(request, "", key, false);
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto canonical = ctx.config().org_chart.department(names[i]);
        if (!canonical) {
            throw CallError(RL_ERR_NOT_FOUND, std::string(key) + "[" + std::to_string(i) +
                                                  "]: department '" + names[i] +
                                                  "' is not in the org chart");
        }
        if (std::find(out.begin(), out.end(), *canonical) != out.end()) {
            request_reader().fail(std::string(key) + "[" + std::to_string(i) + "]",
                                  "department '" + *canonical + "' is named twice");
        }
        out.push_back(*canonical);
    }
    return out;
}

storage::TaskAudit audit_for(const storage::TaskRecord& task, const std::string& actor,
                             const std::string& role, const std::string& action,
                             const std::string& reason) {
    storage::TaskAudit a;
    a.actor = actor;
    a.role = role;
    a.action = action;
    a.department = task.audit_department();
    a.reason = reason;
    a.from_state = core::to_string(task.stage);
    a.to_state = a.from_state;
    return a;
}

void write_extension(json::Writer& w, const storage::ExtensionRecord& e) {
    w.StartObject();
    w.Key("id");
    w.Int64(e.id);
    w.Key("task");
    json::write_string(w, e.task_number);
    w.Key("department");
    json::write_string(w, e.department);
    w.Key("requested_by");
    json::write_string(w, e.requested_by);
    w.Key("requested_at");
    json::write_string(w, e.requested_at);
    w.Key("from_due");
    json::write_string_or_null(w, e.from_due);
    w.Key("to_due");
    json::write_string(w, e.to_due);
    w.Key("reason");
    json::write_string(w, e.reason);
    w.Key("state");
    w.String(core::to_string(e.state));
    w.Key("leader");
    json::write_string(w, e.leader);
    w.Key("leader_opinion");
    json::write_string(w, e.leader_opinion);
    w.Key("decided_by");
    json::write_string(w, e.decided_by);
    w.Key("decided_at");
    json::write_string_or_null(w, e.decided_at);
    w.Key("decision_reason");
    json::write_string(w, e.decision_reason);
    w.EndObject();
}

// The closure an action works on: the latest application, unless it was
// filed and the task reopened since (then a new round begins).
storage::ClosureRecord current_closure(Context& ctx, const storage::TaskRecord& task,
                                       const std::string& department) {
    auto latest = ctx.tasks().closure(task);
    if (latest && !(latest->position.state == core::ReportState::filed &&
                    task.stage == core::TaskStage::open)) {
        return *latest;
    }
    storage::ClosureRecord fresh;
    fresh.round = latest ? latest->round + 1 : 1;
    fresh.department = department;
    fresh.content = "{\"final_report\":\"\",\"evidence\":[]}";
    return fresh;
}

void write_closure(json::Writer& w, const Context& ctx,
                   const std::optional<storage::ClosureRecord>& closure,
                   const std::vector<core::OfferedAction>& actions) {
    if (!closure) {
        w.Null();
        return;
    }
    const auto& p = closure->position;
    w.StartObject();
    w.Key("round");
    w.Int(closure->round);
    w.Key("department");
    json::write_string(w, closure->department);
    w.Key("state");
    w.String(p.exists ? core::to_string(p.state) : "none");
    w.Key("step");
    json::write_string(w, p.step);
    const core::WorkflowStep* step = ctx.closure_workflow().step(p.step);
    w.Key("step_label");
    json::write_string(w, step != nullptr ? step->label : "");
    w.Key("version");
    w.Int(p.version);
    w.Key("content");
    rapidjson::Document content;
    content.Parse(closure->content.data(), closure->content.size());
    if (content.IsObject()) {
        content.Accept(w);
    } else {
        w.Null();
    }
    w.Key("updated_at");
    json::write_string(w, closure->updated_at);
    w.Key("actions");
    w.StartArray();
    for (const auto& a : actions) {
        w.StartObject();
        w.Key("action");
        json::write_string(w, a.action);
        if (!a.acting_for.empty()) {
            w.Key("acting_for");
            json::write_string(w, a.acting_for);
        }
        if (a.action == "return") {
            w.Key("target_steps");
            json::write_strings(w, a.target_steps);
        }
        if (a.action == "hand_over") {
            w.Key("hand_over_to");
            json::write_strings(w, a.hand_over_to);
        }
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
}

void write_task(json::Writer& w, Context& ctx, const core::PlanInfo& plan,
                const storage::TaskRecord& task, const std::string& user) {
    w.StartObject();
    w.Key("plan");
    json::write_string(w, plan.key);
    w.Key("number");
    json::write_string(w, task.number);
    w.Key("title");
    json::write_string(w, task.title);
    w.Key("section");
    json::write_string(w, task.section_number);
    w.Key("origin");
    json::write_string(w, task.origin);
    w.Key("stage");
    w.String(core::to_string(task.stage));
    w.Key("deadline");
    w.StartObject();
    w.Key("text");
    if (task.has_deadline) {
        json::write_string(w, task.deadline_text);
    } else {
        w.Null();
    }
    w.Key("due");
    json::write_string_or_null(w, task.deadline_due);
    w.Key("set");
    json::write_string_or_null(w, task.deadline_set);
    w.EndObject();
    write_task_timing(w, task_timing_of(ctx, task));
    // When the sweep escalated the deadline in force to the leaders in charge.
    w.Key("escalated_at");
    json::write_string_or_null(w, task.escalated_at);
    w.Key("reports_until");
    json::write_string_or_null(w, task.reports_until);
    w.Key("lead");
    json::write_strings(w, task.lead);
    w.Key("co");
    json::write_strings(w, task.co);
    w.Key("closure");
    const auto closure = ctx.tasks().closure(task);
    std::vector<core::OfferedAction> offered;
    if (!user.empty() && !core::is_finished(task.stage) && !task.lead.empty()) {
        const std::string department = closure ? closure->department : task.lead.front();
        const auto current = current_closure(ctx, task, department);
        const core::WorkflowEngine engine(ctx.closure_workflow(), ctx.config().org_chart,
                                          ctx.config().separation_of_duties.for_plan(plan.key));
        offered = engine.offered_actions(current.position, current.department, user);
    }
    write_closure(w, ctx, closure, offered);
    w.Key("extensions");
    w.StartArray();
    for (const auto& e : ctx.tasks().extensions(plan, task.number)) {
        write_extension(w, e);
    }
    w.EndArray();
    w.EndObject();
}

// Writes {"outcome", "message", "task": …} and, when refused, discards what
// the call wrote.
void finish(json::Writer& w, Context& ctx, const core::PlanInfo& plan, core::Verdict verdict,
            const std::string& message, const std::string& task_number,
            const std::function<void(json::Writer&)>& extra = nullptr) {
    w.StartObject();
    write_outcome(w, core::to_string(verdict), message);
    if (extra) {
        extra(w);
    }
    w.Key("task");
    write_task(w, ctx, plan, ctx.tasks().task(plan, task_number), "");
    w.EndObject();
    if (verdict != core::Verdict::allowed) {
        throw DiscardWrites{};
    }
}

// ------------------------------------------------------------ task.get

void task_get(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {"plan", "task", "user"});
    ctx.check_optional_reader(request);
    const core::PlanInfo plan = ctx.plan_of(request);
    const auto task = ctx.tasks().task(plan, required_text(request, "task"));
    w.StartObject();
    write_outcome(w, "ok", "");
    w.Key("today");
    json::write_string(w, ctx.today().iso());
    w.Key("task");
    write_task(w, ctx, plan, task, optional_text(request, "user"));
    w.EndObject();
}

// ------------------------------------------------------------ reform office changes

void task_deadline_set(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {"plan", "task", "actor", "due", "reason"});
    const core::PlanInfo plan = ctx.plan_of(request);
    const auto task = ctx.tasks().task(plan, required_text(request, "task"));
    const std::string actor = required_text(request, "actor");
    const core::Date due = required_date(request, "due");
    const std::string reason = optional_text(request, "reason");
    const auto decision = core::decide_change(task.stage, core::TaskChange::set_deadline,
                                              actor_of(ctx, actor), task.lead, reason);
    if (decision.verdict == core::Verdict::allowed) {
        auto audit = audit_for(task, actor, "reform_office", "task_deadline_set", reason);
        const auto before = task.effective();
        audit.detail = "{\"from\":" + (before ? "\"" + before->iso() + "\"" : "null") +
                       ",\"to\":\"" + due.iso() + "\"}";
        ctx.tasks().set_deadline(plan, task, due.iso(), audit, ctx.host().now_ms());
    }
    finish(w, ctx, plan, decision.verdict, decision.message, task.number);
}

// strike, reopen, cancel: a change of stage by the reform office with a reason.
void change_stage(Context& ctx, const rapidjson::Document& request, json::Writer& w,
                  core::TaskChange change, const char* action) {
    request_reader().only_keys(request, "", {"plan", "task", "actor", "reason"});
    const core::PlanInfo plan = ctx.plan_of(request);
    const auto task = ctx.tasks().task(plan, required_text(request, "task"));
    const std::string actor = required_text(request, "actor");
    const std::string reason = optional_text(request, "reason");
    const auto decision =
        core::decide_change(task.stage, change, actor_of(ctx, actor), task.lead, reason);
    if (decision.verdict == core::Verdict::allowed) {
        auto audit = audit_for(task, actor, "reform_office", action, reason);
        audit.to_state = core::to_string(decision.next);
        audit.period = current_month(ctx).key();
        // Cancelled: no reports after this month. Reopened: owed again from
        // the next month (the months in between were not owed).
        std::optional<std::string> until;
        if (change == core::TaskChange::cancel) {
            until = current_month(ctx).key();
        } else if (change == core::TaskChange::reopen) {
            until = std::string();
        }
        ctx.tasks().set_stage(plan, task, decision.next, until, audit, ctx.host().now_ms());
    }
    finish(w, ctx, plan, decision.verdict, decision.message, task.number);
}

void task_strike(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    change_stage(ctx, request, w, core::TaskChange::strike, "task_strike");
}

void task_reopen(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    change_stage(ctx, request, w, core::TaskChange::reopen, "task_reopen");
}

void task_cancel(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    change_stage(ctx, request, w, core::TaskChange::cancel, "task_cancel");
}

void task_assign(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {"plan", "task", "actor", "lead", "co", "reason"});
    const core::PlanInfo plan = ctx.plan_of(request);
    const auto task = ctx.tasks().task(plan, required_text(request, "task"));
    const std::string actor = required_text(request, "actor");
    const auto lead = departments_of(ctx, request, "lead");
    const auto co = departments_of(ctx, request, "co");
    if (lead.empty()) {
        request_reader().fail("lead", "a task needs at least one lead department");
    }
    for (const auto& d : co) {
        if (std::find(lead.begin(), lead.end(), d) != lead.end()) {
            request_reader().fail("co", "department '" + d + "' is already named to lead");
        }
    }
    const std::string reason = optional_text(request, "reason");
    const auto decision = core::decide_change(task.stage, core::TaskChange::assign,
                                              actor_of(ctx, actor), task.lead, reason);
    storage::TaskStore::AssignOutcome outcome;
    if (decision.verdict == core::Verdict::allowed) {
        auto audit = audit_for(task, actor, "reform_office", "task_assign", reason);
        audit.department = lead.front();
        const core::Period month = current_month(ctx);
        audit.period = month.key();
        outcome = ctx.tasks().assign(plan, task, lead, co, month.key(), month.next().key(), audit,
                                     ctx.host().now_ms());
    }
    finish(w, ctx, plan, decision.verdict, decision.message, task.number, [&](json::Writer& out) {
        out.Key("reports_from");
        json::write_string(out, current_month(ctx).next().key());
        out.Key("added");
        json::write_strings(out, outcome.added);
        out.Key("ended");
        json::write_strings(out, outcome.ended);
        out.Key("role_changed");
        json::write_strings(out, outcome.changed);
    });
}

void task_add(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "",
                {"plan", "section", "number", "title", "text", "deadline", "due", "lead", "co",
                 "actor", "reason"});
    const core::PlanInfo plan = ctx.plan_of(request);
    const std::string actor = required_text(request, "actor");
    storage::NewTask t;
    t.section = required_text(request, "section");
    t.number = optional_text(request, "number");
    t.title = required_text(request, "title");
    t.body = optional_text(request, "text");
    if (t.body.empty()) {
        t.body = t.title;
    }
    t.deadline_text = optional_text(request, "deadline");
    if (r.string(request, "", "due", false)) {
        t.deadline_due = required_date(request, "due").iso();
    }
    const auto lead = departments_of(ctx, request, "lead");
    const auto co = departments_of(ctx, request, "co");
    for (const auto& d : co) {
        if (std::find(lead.begin(), lead.end(), d) != lead.end()) {
            r.fail("co", "department '" + d + "' is already named to lead");
        }
    }
    const std::string reason = optional_text(request, "reason");
    const core::Person* person = actor_of(ctx, actor);
    // Adding is a plan change: the reform office's, as for an open task.
    const auto decision =
        core::decide_change(core::TaskStage::open, core::TaskChange::assign, person, lead, reason);
    if (decision.verdict != core::Verdict::allowed) {
        w.StartObject();
        write_outcome(w, core::to_string(decision.verdict), decision.message);
        w.EndObject();
        throw DiscardWrites{};
    }
    const core::Period month = current_month(ctx);
    storage::TaskAudit audit;
    audit.actor = actor;
    audit.role = "reform_office";
    audit.action = "task_add";
    audit.reason = reason;
    audit.period = month.key();
    audit.department = lead.empty() ? "" : lead.front();
    audit.to_state = "open";
    std::string number;
    try {
        number = ctx.tasks().add_task(plan, t, audit, ctx.host().now_ms());
    } catch (const std::invalid_argument& e) {
        throw CallError(RL_ERR_INVALID_ARGUMENT, e.what());
    }
    if (!lead.empty() || !co.empty()) {
        const auto task = ctx.tasks().task(plan, number);
        auto assign = audit_for(task, actor, "reform_office", "task_assign", reason);
        assign.department = audit.department;
        assign.period = month.key();
        ctx.tasks().assign(plan, task, lead, co, month.key(), month.next().key(), assign,
                           ctx.host().now_ms());
    }
    finish(w, ctx, plan, core::Verdict::allowed, "", number, [&](json::Writer& out) {
        out.Key("reports_from");
        json::write_string(out, month.next().key());
    });
}

// ------------------------------------------------------------ 办结 (closure)

struct ClosureContent {
    std::string final_report;
    std::vector<std::pair<std::string, std::string>> evidence;
};

// {"final_report": text, "evidence": [{"name", "url"}]}, bounded by the
// configuration's limits; problems name the field.
ClosureContent read_closure_content(const Context& ctx, const json::Value& v) {
    const auto& r = request_reader();
    r.only_keys(v, "content", {"final_report", "evidence"});
    ClosureContent c;
    c.final_report = r.string(v, "content", "final_report", false).value_or("");
    if (core::utf8::length(c.final_report) >
        static_cast<std::size_t>(ctx.config().limits.text_chars)) {
        r.fail("content.final_report",
               "is longer than " + std::to_string(ctx.config().limits.text_chars) + " characters");
    }
    if (const json::Value* list = r.array(v, "content", "evidence", false)) {
        if (list->Size() > static_cast<rapidjson::SizeType>(ctx.config().limits.evidence_entries)) {
            r.fail("content.evidence", "has " + std::to_string(list->Size()) +
                                           " entries, more than " +
                                           std::to_string(ctx.config().limits.evidence_entries));
        }
        for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
            const std::string at = "content.evidence[" + std::to_string(i) + "]";
            const json::Value& e = (*list)[i];
            if (!e.IsObject()) {
                r.fail(at, "must be {\"name\": text, \"url\": text}");
            }
            r.only_keys(e, at, {"name", "url"});
            const std::string name = *r.string(e, at, "name", true);
            const std::string url = r.string(e, at, "url", false).value_or("");
            if (core::utf8::length(name) >
                    static_cast<std::size_t>(ctx.config().limits.name_chars) ||
                core::utf8::length(url) > static_cast<std::size_t>(ctx.config().limits.url_chars)) {
                r.fail(at, "name or url is longer than the configured limits");
            }
            c.evidence.emplace_back(name, url);
        }
    }
    return c;
}

std::string closure_json(const ClosureContent& c) {
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("final_report");
    json::write_string(w, c.final_report);
    w.Key("evidence");
    w.StartArray();
    for (const auto& [name, url] : c.evidence) {
        w.StartObject();
        w.Key("name");
        json::write_string(w, name);
        w.Key("url");
        json::write_string(w, url);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

bool has_final_report(const std::string& content_json) {
    rapidjson::Document doc;
    doc.Parse(content_json.data(), content_json.size());
    if (!doc.IsObject() || !doc.HasMember("final_report") || !doc["final_report"].IsString()) {
        return false;
    }
    const std::string text = doc["final_report"].GetString();
    return text.find_first_not_of(" \t\r\n") != std::string::npos;
}

// Where the task's stage goes when its closure stands at `position`: back at
// the drafting step it is open, in approval it is closure_requested, filed
// it is closed.
core::TaskStage stage_for(const core::Workflow& workflow, const core::ReportPosition& position) {
    if (position.state == core::ReportState::filed) {
        return core::TaskStage::closed;
    }
    return position.step == workflow.first().id ? core::TaskStage::open
                                                : core::TaskStage::closure_requested;
}

void task_close(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "",
                {"plan", "task", "department", "action", "actor", "acting_for", "version",
                 "content", "reason", "opinion", "target_step", "hand_over_to"});
    const core::PlanInfo plan = ctx.plan_of(request);
    const auto task = ctx.tasks().task(plan, required_text(request, "task"));

    core::ActionInput input;
    input.action = required_text(request, "action");
    input.actor = required_text(request, "actor");
    input.acting_for = optional_text(request, "acting_for");
    input.target_step = optional_text(request, "target_step");
    input.hand_over_to = optional_text(request, "hand_over_to");
    input.reason =
        r.string(request, "", "reason", false).value_or(optional_text(request, "opinion"));
    if (request.HasMember("version") && !request["version"].IsNull()) {
        if (!request["version"].IsInt() || request["version"].GetInt() < 0) {
            r.fail("version", "expected the closure's version number (0 or more)");
        }
        input.expected_version = request["version"].GetInt();
    }
    std::optional<ClosureContent> content;
    if (const json::Value* given = r.object(request, "", "content", false)) {
        if (input.action != "save_draft" && input.action != "submit") {
            r.fail("content", "only save_draft and submit carry the closure's content");
        }
        content = read_closure_content(ctx, *given);
    }

    core::Decision decision;
    const auto refuse = [&](core::Verdict v, const std::string& message) {
        decision.verdict = v;
        decision.message = message;
    };
    std::string department;
    if (const auto named = r.string(request, "", "department", false)) {
        department = ctx.canonical_department(*named);
    }
    if (task.lead.empty()) {
        refuse(core::Verdict::invalid, "task " + task.number +
                                           " has no lead department; the reform office assigns "
                                           "one first (task.assign)");
    } else if (department.empty()) {
        department = task.lead.front();
    } else if (std::find(task.lead.begin(), task.lead.end(), department) == task.lead.end()) {
        refuse(core::Verdict::invalid, department + " does not lead task " + task.number +
                                           "; only a lead department " + "applies to close it");
    }
    if (!decision.message.empty()) {
        finish(w, ctx, plan, decision.verdict, decision.message, task.number);
        return;
    }
    auto closure = current_closure(ctx, task, department);
    if (closure.position.exists && closure.department != department) {
        department = closure.department;  // the application belongs to the department that began it
    }
    if (core::is_finished(task.stage)) {
        refuse(core::Verdict::invalid,
               std::string("the task is ") + core::label_of(core::task_state(task.stage, true)) +
                   " (" + core::to_string(task.stage) + "): there is no closure to act on");
        finish(w, ctx, plan, decision.verdict, decision.message, task.number);
        return;
    }
    const core::WorkflowEngine engine(ctx.closure_workflow(), ctx.config().org_chart,
                                      ctx.config().separation_of_duties.for_plan(plan.key));
    decision = engine.decide(closure.position, department, input);
    const std::string effective = content ? closure_json(*content) : closure.content;
    if (decision.verdict == core::Verdict::allowed && input.action == "submit" &&
        !has_final_report(effective)) {
        refuse(core::Verdict::invalid,
               "the closure needs its final report (content.final_report) before it is submitted");
    }
    core::TaskDecision stage_change;
    stage_change.verdict = core::Verdict::allowed;
    stage_change.next = task.stage;
    if (decision.verdict == core::Verdict::allowed) {
        const core::TaskStage target = stage_for(ctx.closure_workflow(), decision.next);
        if (target != task.stage) {
            const core::TaskChange change =
                target == core::TaskStage::closed              ? core::TaskChange::close
                : target == core::TaskStage::closure_requested ? core::TaskChange::submit_closure
                                                               : core::TaskChange::recall_closure;
            stage_change = core::decide_stage(task.stage, change);
            if (stage_change.verdict != core::Verdict::allowed) {
                refuse(stage_change.verdict, stage_change.message);
            }
        }
    }
    if (decision.verdict == core::Verdict::allowed) {
        const auto before = closure.position;
        const auto now = ctx.host().now_ms();
        const std::string period = current_month(ctx).key();
        storage::TaskAudit audit =
            audit_for(task, input.actor, decision.role, "closure_" + input.action, input.reason);
        audit.acting_for = input.acting_for;
        audit.department = department;
        audit.period = period;
        audit.from_state = before.exists ? core::to_string(before.state) : "";
        audit.to_state = core::to_string(decision.next.state);
        audit.from_step = before.exists ? before.step : "";
        audit.to_step = decision.next.step;
        audit.detail =
            "{\"round\":" + std::to_string(closure.round) + ",\"content\":" + effective + "}";
        closure.position = decision.next;
        closure.position.exists = true;
        closure.content = effective;
        closure.department = department;
        ctx.tasks().save_closure(plan, task, closure, audit, now);
        if (stage_change.next != task.stage) {
            storage::TaskAudit moved =
                audit_for(task, input.actor, decision.role,
                          stage_change.next == core::TaskStage::closed ? "task_closed"
                          : stage_change.next == core::TaskStage::open ? "task_closure_recalled"
                                                                       : "task_closure_requested",
                          input.reason);
            moved.department = department;
            moved.period = period;
            moved.to_state = core::to_string(stage_change.next);
            // Closed: no reports after this month.
            std::optional<std::string> until;
            if (stage_change.next == core::TaskStage::closed) {
                until = period;
            }
            ctx.tasks().set_stage(plan, task, stage_change.next, until, moved, now);
            if (stage_change.next == core::TaskStage::closed) {
                // 抄送: the closure goes to its readers in this transaction.
                ReadingSubject read;
                read.kind = "closure";
                read.subject = "closure:" + task.number + "#" + std::to_string(closure.round);
                read.plan_id = plan.id;
                read.task_number = task.number;
                read.department = department;
                read.period = period;
                read.title = "任务" + task.number + "已办结：" + task.title;
                read.departments = task.lead;
                read.sent_by = input.actor;
                send_for_reading(ctx, read);
            }
        }
    }
    w.StartObject();
    write_outcome(w, core::to_string(decision.verdict), decision.message);
    if (!decision.rule.empty()) {
        w.Key("rule");
        json::write_string(w, decision.rule);
    }
    w.Key("task");
    write_task(w, ctx, plan, ctx.tasks().task(plan, task.number), "");
    w.EndObject();
    if (decision.verdict != core::Verdict::allowed) {
        throw DiscardWrites{};
    }
}

// ------------------------------------------------------------ 延期申请

void task_extension_request(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "",
                               {"plan", "task", "department", "actor", "due", "reason"});
    const core::PlanInfo plan = ctx.plan_of(request);
    const auto task = ctx.tasks().task(plan, required_text(request, "task"));
    const std::string actor = required_text(request, "actor");
    const core::Date due = required_date(request, "due");
    const std::string reason = optional_text(request, "reason");
    std::string department = task.lead.empty() ? "" : task.lead.front();
    if (const auto named = request_reader().string(request, "", "department", false)) {
        department = ctx.canonical_department(*named);
    }
    const core::Person* person = actor_of(ctx, actor);
    // The request is the department's: the actor must lead through it.
    auto decision = core::decide_change(
        task.stage, core::TaskChange::request_extension, person,
        std::find(task.lead.begin(), task.lead.end(), department) != task.lead.end()
            ? std::vector<std::string>{department}
            : std::vector<std::string>{},
        reason);
    if (decision.verdict == core::Verdict::allowed) {
        const std::string problem = core::check_new_deadline(due, task.effective(), ctx.today());
        if (!problem.empty()) {
            decision.verdict = core::Verdict::invalid;
            decision.message = problem;
        }
    }
    if (decision.verdict == core::Verdict::allowed) {
        for (const auto& e : ctx.tasks().extensions(plan, task.number)) {
            if (e.state == core::ExtensionState::requested ||
                e.state == core::ExtensionState::endorsed) {
                decision.verdict = core::Verdict::invalid;
                decision.message = "request " + std::to_string(e.id) + " for task " + task.number +
                                   " is still waiting for a decision";
            }
        }
    }
    std::int64_t id = 0;
    if (decision.verdict == core::Verdict::allowed) {
        storage::ExtensionRecord e;
        e.department = department;
        e.requested_by = actor;
        const auto before = task.effective();
        e.from_due = before ? before->iso() : "";
        e.to_due = due.iso();
        e.reason = reason;
        auto audit = audit_for(task, actor,
                               core::holds_role_for(*person, core::PersonRole::contact, department)
                                   ? "contact"
                                   : "head",
                               "extension_request", reason);
        audit.department = department;
        audit.period = current_month(ctx).key();
        audit.to_step = "leader_in_charge";
        id = ctx.tasks().add_extension(plan, task, e, audit, ctx.host().now_ms());
    }
    finish(w, ctx, plan, decision.verdict, decision.message, task.number, [&](json::Writer& out) {
        out.Key("extension");
        if (id != 0) {
            write_extension(out, ctx.tasks().extension(plan, id));
        } else {
            out.Null();
        }
    });
}

void task_extension_act(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "id", "action", "actor", "reason", "opinion"});
    const core::PlanInfo plan = ctx.plan_of(request);
    if (!request.HasMember("id") || !request["id"].IsInt64() || request["id"].GetInt64() <= 0) {
        r.fail("id", "expected the extension request's id (a whole number)");
    }
    auto e = ctx.tasks().extension(plan, request["id"].GetInt64());
    const auto task = ctx.tasks().task(plan, e.task_number);
    const std::string action = required_text(request, "action");
    const std::string actor = required_text(request, "actor");
    const std::string reason =
        r.string(request, "", "reason", false).value_or(optional_text(request, "opinion"));
    auto decision =
        core::decide_extension(e.state, action, actor_of(ctx, actor), e.department, reason);
    core::Verdict verdict = decision.verdict;
    std::string message = decision.message;
    if (verdict == core::Verdict::allowed && decision.next == core::ExtensionState::approved) {
        const auto stage = core::decide_stage(task.stage, core::TaskChange::set_deadline);
        if (stage.verdict != core::Verdict::allowed) {
            verdict = stage.verdict;
            message = stage.message;
        }
    }
    if (verdict == core::Verdict::allowed) {
        const auto now = ctx.host().now_ms();
        const auto from = e.state;
        e.state = decision.next;
        if (decision.role == "leader_in_charge") {
            e.leader = actor;
            e.leader_opinion = reason;
        }
        if (decision.next == core::ExtensionState::approved ||
            decision.next == core::ExtensionState::refused) {
            e.decided_by = actor;
            e.decided_at = storage::iso_utc(now);
            e.decision_reason = reason;
        }
        auto audit = audit_for(task, actor, decision.role, "extension_" + action, reason);
        audit.department = e.department;
        audit.period = current_month(ctx).key();
        audit.from_step = core::to_string(from);
        audit.to_step = core::to_string(e.state);
        ctx.tasks().update_extension(plan, task, e, audit, now);
        if (e.state == core::ExtensionState::approved) {
            auto extended =
                audit_for(task, actor, "reform_office", "task_deadline_extended", e.reason);
            extended.department = e.department;
            extended.period = audit.period;
            extended.detail = "{\"extension\":" + std::to_string(e.id) + ",\"from\":" +
                              (e.from_due.empty() ? "null" : "\"" + e.from_due + "\"") +
                              ",\"to\":\"" + e.to_due + "\"}";
            ctx.tasks().set_deadline(plan, task, e.to_due, extended, now);
        }
    }
    finish(w, ctx, plan, verdict, message, task.number, [&](json::Writer& out) {
        out.Key("extension");
        write_extension(out, ctx.tasks().extension(plan, e.id));
    });
}

void task_extension_list(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {"plan", "task", "user"});
    ctx.check_optional_reader(request);
    const core::PlanInfo plan = ctx.plan_of(request);
    const std::string task = optional_text(request, "task");
    if (!task.empty()) {
        ctx.tasks().task(plan, task);  // NotFound for an unknown task
    }
    w.StartObject();
    write_outcome(w, "ok", "");
    w.Key("plan");
    json::write_string(w, plan.key);
    w.Key("extensions");
    w.StartArray();
    for (const auto& e : ctx.tasks().extensions(plan, task)) {
        write_extension(w, e);
    }
    w.EndArray();
    w.EndObject();
}

}  // namespace

void add_task_methods(MethodTable& table) {
    table.add("task.get", Tx::read, task_get);
    table.add("task.deadline.set", Tx::write, task_deadline_set);
    table.add("task.close", Tx::write, task_close);
    table.add("task.strike", Tx::write, task_strike);
    table.add("task.reopen", Tx::write, task_reopen);
    table.add("task.cancel", Tx::write, task_cancel);
    table.add("task.add", Tx::write, task_add);
    table.add("task.assign", Tx::write, task_assign);
    table.add("task.extension.request", Tx::write, task_extension_request);
    table.add("task.extension.act", Tx::write, task_extension_act);
    table.add("task.extension.list", Tx::read, task_extension_list);
}

}  // namespace rl::abi
