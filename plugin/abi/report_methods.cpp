// The reporting methods of the ABI: obligations, progress reports through the
// approval workflow, the ledger status and each person's inbox. Decode,
// decide, store, encode.
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <functional>
#include <map>

#include "abi/context.h"
#include "abi/errors.h"
#include "abi/families.h"
#include "abi/obligation_views.h"
#include "abi/reading.h"
#include "abi/task_warnings.h"
#include "core/instructions.h"
#include "core/report_form.h"
#include "core/reporting.h"
#include "core/task_lifecycle.h"
#include "core/utf8.h"

namespace rl::abi {

namespace {

// ------------------------------------------------------------ report content

// The report form's bounds from the configuration's limits.
core::ContentLimits content_limits(const Limits& limits) {
    return {static_cast<std::size_t>(limits.text_chars),
            static_cast<std::size_t>(limits.evidence_entries),
            static_cast<std::size_t>(limits.name_chars),
            static_cast<std::size_t>(limits.url_chars)};
}

// Reads the "content" object of a request into the form, collecting field
// errors rather than failing the call. More evidence entries than the limit
// are one error, and not read one by one.
core::ReportContent read_content(const json::Value& v, std::vector<core::FieldError>& errors,
                                 std::size_t max_evidence) {
    core::ReportContent c;
    static const char* const kTexts[] = {"progress_summary", "measures", "problems", "next_steps"};
    std::string* const targets[] = {&c.progress_summary, &c.measures, &c.problems, &c.next_steps};
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
        // A field name is the caller's text: an unknown one is quoted briefly.
        const std::string name =
            core::utf8::printable({it->name.GetString(), it->name.GetStringLength()}, 64);
        const json::Value& field = it->value;
        bool known = false;
        for (std::size_t i = 0; i < 4; ++i) {
            if (name == kTexts[i]) {
                known = true;
                if (field.IsString()) {
                    targets[i]->assign(field.GetString(), field.GetStringLength());
                } else if (!field.IsNull()) {
                    errors.push_back({name, "must be text"});
                }
            }
        }
        if (known) {
            continue;
        }
        if (name == "percent_complete") {
            if (field.IsInt()) {
                c.percent_complete = field.GetInt();
            } else if (!field.IsNull()) {
                errors.push_back({name, "must be a whole number from 0 to 100"});
            }
        } else if (name == "completed") {
            if (field.IsBool()) {
                c.completed = field.GetBool();
            } else {
                errors.push_back({name, "must be true or false"});
            }
        } else if (name == "evidence") {
            if (!field.IsArray()) {
                errors.push_back({name, "must be a list of {\"name\", \"url\"}"});
                continue;
            }
            if (field.Size() > max_evidence) {
                errors.push_back({name, "has " + std::to_string(field.Size()) +
                                            " entries, more than " + std::to_string(max_evidence)});
                continue;
            }
            for (rapidjson::SizeType i = 0; i < field.Size(); ++i) {
                const json::Value& e = field[i];
                const std::string at = "evidence[" + std::to_string(i) + "]";
                if (!e.IsObject() || !e.HasMember("name") || !e["name"].IsString() ||
                    (e.HasMember("url") && !e["url"].IsString())) {
                    errors.push_back({at, "must be {\"name\": text, \"url\": text}"});
                    continue;
                }
                if (e.MemberCount() > (e.HasMember("url") ? 2u : 1u)) {
                    errors.push_back({at, "has keys other than name and url"});
                    continue;
                }
                c.evidence.push_back(
                    {e["name"].GetString(), e.HasMember("url") ? e["url"].GetString() : ""});
            }
        } else {
            errors.push_back({name, "is not a field of the progress report"});
        }
    }
    return c;
}

core::ReportContent parse_stored_content(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    std::vector<core::FieldError> ignored;
    return doc.IsObject() ? read_content(doc, ignored, static_cast<std::size_t>(-1))
                          : core::ReportContent{};
}

std::string content_json(const core::ReportContent& c) {
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("progress_summary");
    json::write_string(w, c.progress_summary);
    w.Key("measures");
    json::write_string(w, c.measures);
    w.Key("problems");
    json::write_string(w, c.problems);
    w.Key("next_steps");
    json::write_string(w, c.next_steps);
    w.Key("percent_complete");
    if (c.percent_complete) {
        w.Int(*c.percent_complete);
    } else {
        w.Null();
    }
    w.Key("evidence");
    w.StartArray();
    for (const auto& e : c.evidence) {
        w.StartObject();
        w.Key("name");
        json::write_string(w, e.name);
        w.Key("url");
        json::write_string(w, e.url);
        w.EndObject();
    }
    w.EndArray();
    w.Key("completed");
    w.Bool(c.completed);
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

core::WaiverSubject waiver_subject(const storage::ObligationView& v) {
    return {v.department, v.task_number, v.role, v.waived, v.waived_by, v.waive_reason};
}

void write_strings(json::Writer& w, const char* key, const std::vector<std::string>& list) {
    w.Key(key);
    w.StartArray();
    for (const auto& s : list) {
        json::write_string(w, s);
    }
    w.EndArray();
}

storage::ObligationKey key_of(const rapidjson::Document& request, const std::string& department,
                              const std::string& period) {
    const auto& r = request_reader();
    return {*r.string(request, "", "task", true), r.string(request, "", "item", false).value_or(""),
            department, period};
}

// ------------------------------------------------------------ obligations

void obligations_list(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "period", "department", "task", "user"});
    const core::Person& person = ctx.reader_of(request);
    const core::PlanInfo plan = ctx.plan_of(request);
    const core::Period month = ctx.month_of(request, plan);
    const auto department = r.string(request, "", "department", false);
    const std::string canonical = department ? ctx.canonical_department(*department) : "";
    const StatusOf status_of{ctx.calendar(), ctx.workflow(), ctx.today()};
    w.StartObject();
    if (!person.active) {
        write_outcome(w, "not_permitted", read_refusal(person, ""));
        w.EndObject();
        return;
    }
    const auto list =
        ctx.month_view(plan, month)
            .obligations(canonical, r.string(request, "", "task", false).value_or(""));
    write_outcome(w, "ok", "");
    w.Key("plan");
    json::write_string(w, plan.key);
    w.Key("month");
    json::write_string(w, month.key());
    w.Key("today");
    json::write_string(w, ctx.today().iso());
    w.Key("obligations");
    w.StartArray();
    for (const auto& v : list) {
        write_obligation(w, v, status_of, false);
    }
    w.EndArray();
    w.EndObject();
}

void report_get(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "period", "task", "item", "department", "user"});
    const core::Person& person = ctx.reader_of(request);
    const core::PlanInfo plan = ctx.plan_of(request);
    const core::Period month = ctx.month_of(request, plan);
    const std::string period = r.string(request, "", "period", false).value_or(month.key());
    const auto key = key_of(
        request, ctx.canonical_department(*r.string(request, "", "department", true)), period);
    const StatusOf status_of{ctx.calendar(), ctx.workflow(), ctx.today()};
    const storage::MonthView obligations = ctx.month_view(plan, month);
    const auto view = obligations.obligation(key);
    w.StartObject();
    if (!core::may_read(person, view.department)) {
        write_outcome(w, "not_permitted", read_refusal(person, view.department));
        w.EndObject();
        return;
    }
    const core::WorkflowEngine engine(ctx.workflow(), ctx.config().org_chart,
                                      ctx.config().separation_of_duties.for_plan(plan.key));
    // What the reader may do now on a report: what report.act and
    // report.waive would accept from them, decided by the same engine.
    const auto write_actions = [&](json::Writer& out, const storage::ObligationView& v) {
        const auto position = v.report.value_or(core::ReportPosition{});
        const auto missing =
            v.role == "lead" && position.exists && position.state != core::ReportState::filed
                ? obligations.missing_co_reports(v)
                : std::vector<std::string>{};
        out.Key("actions");
        out.StartArray();
        for (const auto& a : engine.offered_actions(position, v.department, person.id, missing)) {
            out.StartObject();
            out.Key("action");
            json::write_string(out, a.action);
            if (!a.acting_for.empty()) {
                out.Key("acting_for");
                json::write_string(out, a.acting_for);
            }
            if (a.action == "return") {
                write_strings(out, "target_steps", a.target_steps);
            }
            if (a.action == "hand_over") {
                write_strings(out, "hand_over_to", a.hand_over_to);
            }
            out.EndObject();
        }
        // Any reason stands for the one the reform office gives.
        if (engine.decide_waiver(person.id, waiver_subject(v), "—").verdict ==
            core::Verdict::allowed) {
            out.StartObject();
            out.Key("action");
            out.String("waive");
            out.EndObject();
        }
        out.EndArray();
    };
    write_outcome(w, "ok", "");
    w.Key("obligation");
    write_obligation(w, view, status_of, true);
    write_actions(w, view);
    w.Key("versions");
    w.StartArray();
    if (view.report_id != 0) {
        for (const auto& v : ctx.reports().versions(view.report_id)) {
            w.StartObject();
            w.Key("version");
            w.Int(v.version);
            w.Key("state");
            json::write_string(w, v.state);
            w.Key("step");
            json::write_string(w, v.step);
            w.Key("recorded_at");
            json::write_string(w, v.recorded_at);
            w.Key("content");
            write_raw(w, v.content);
            w.EndObject();
        }
    }
    w.EndArray();
    // The lead department sees its co-operating departments' reports.
    w.Key("co_reports");
    w.StartArray();
    if (view.role == "lead") {
        for (const auto& co : obligations.co_obligations(view)) {
            write_obligation(w, co, status_of, true,
                             [&](json::Writer& out) { write_actions(out, co); });
        }
    }
    w.EndArray();
    w.EndObject();
}

// ------------------------------------------------------------ actions

void report_act(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "",
                {"plan", "period", "task", "item", "department", "action", "actor", "acting_for",
                 "version", "content", "reason", "opinion", "target_step", "hand_over_to"});
    const core::PlanInfo plan = ctx.plan_of(request);
    const auto period_text = r.string(request, "", "period", true);
    ctx.open_month(plan, ctx.month_of(request, plan));
    const auto key =
        key_of(request, ctx.canonical_department(*r.string(request, "", "department", true)),
               *period_text);

    core::ActionInput input;
    input.action = *r.string(request, "", "action", true);
    input.actor = *r.string(request, "", "actor", true);
    input.acting_for = r.string(request, "", "acting_for", false).value_or("");
    input.target_step = r.string(request, "", "target_step", false).value_or("");
    input.hand_over_to = r.string(request, "", "hand_over_to", false).value_or("");
    input.reason = r.string(request, "", "reason", false)
                       .value_or(r.string(request, "", "opinion", false).value_or(""));
    if (request.HasMember("version") && !request["version"].IsNull()) {
        if (!request["version"].IsInt() || request["version"].GetInt() < 0) {
            r.fail("version", "expected the report's version number (0 or more)");
        }
        input.expected_version = request["version"].GetInt();
    }

    std::vector<core::FieldError> field_errors;
    std::optional<core::ReportContent> content;
    if (const json::Value* given = r.object(request, "", "content", false)) {
        if (input.action != "save_draft" && input.action != "submit") {
            r.fail("content", "only save_draft and submit carry report content");
        }
        content = read_content(*given, field_errors,
                               static_cast<std::size_t>(ctx.config().limits.evidence_entries));
        const auto draft_errors = core::check_draft(*content, content_limits(ctx.config().limits));
        field_errors.insert(field_errors.end(), draft_errors.begin(), draft_errors.end());
    }

    const core::WorkflowEngine engine(ctx.workflow(), ctx.config().org_chart,
                                      ctx.config().separation_of_duties.for_plan(plan.key));
    const StatusOf status_of{ctx.calendar(), ctx.workflow(), ctx.today()};
    storage::ActOutcome outcome;
    if (field_errors.empty()) {
        outcome = ctx.reports().act(
            plan, key,
            [&](const storage::ObligationView& current,
                const storage::ReportStore::MissingCoReports& missing) {
                storage::Change change;
                change.decision = engine.decide(
                    current.report.value_or(core::ReportPosition{}), current.department, input,
                    input.action == "file" ? missing() : std::vector<std::string>{});
                change.audit_action = input.action;
                change.actor = input.actor;
                change.acting_for = input.acting_for;
                change.reason = input.reason;
                if (change.decision.verdict != core::Verdict::allowed) {
                    return change;
                }
                const core::ReportContent effective =
                    content ? *content : parse_stored_content(current.content);
                if (input.action == "submit") {
                    field_errors =
                        core::check_for_submit(effective, content_limits(ctx.config().limits));
                    if (!field_errors.empty()) {
                        change.decision.verdict = core::Verdict::invalid;
                        change.decision.message = "the report is not complete";
                        return change;
                    }
                }
                if (content) {
                    change.content = content_json(*content);
                }
                return change;
            },
            ctx.host().now_ms());
    } else {
        outcome.decision.verdict = core::Verdict::invalid;
        outcome.decision.message = "the report content has errors";
        outcome.after = ctx.reports().obligation(plan, key);
    }

    w.StartObject();
    write_outcome(w, core::to_string(outcome.decision.verdict), outcome.decision.message);
    if (!outcome.decision.rule.empty()) {
        w.Key("rule");
        json::write_string(w, outcome.decision.rule);
    }
    w.Key("field_errors");
    w.StartArray();
    for (const auto& e : field_errors) {
        w.StartObject();
        w.Key("field");
        json::write_string(w, e.field);
        w.Key("message");
        json::write_string(w, e.message);
        w.EndObject();
    }
    w.EndArray();
    w.Key("obligation");
    write_obligation(w, outcome.after, status_of, true);
    w.EndObject();
    if (outcome.decision.verdict != core::Verdict::allowed) {
        throw DiscardWrites{};
    }
    // A filed report is sent for reading (抄送), in this transaction.
    const auto& filed = outcome.after;
    if (filed.report && filed.report->state == core::ReportState::filed) {
        send_for_reading(
            ctx, {"report",
                  "report:" + std::to_string(filed.report_id) + "@v" +
                      std::to_string(filed.report->version),
                  plan.id,
                  filed.task_number,
                  filed.item_number,
                  filed.department,
                  filed.period,
                  filed.department + " 任务" + filed.task_number +
                      (filed.item_number.empty() ? "" : "（" + filed.item_number + "）") + " " +
                      filed.period + "工作进展报告（已归档）",
                  {filed.department},
                  "",
                  input.actor});
    }
}

void report_waive(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "period", "task", "item", "department", "actor", "reason"});
    const core::PlanInfo plan = ctx.plan_of(request);
    const auto period_text = r.string(request, "", "period", true);
    ctx.open_month(plan, ctx.month_of(request, plan));
    const auto key =
        key_of(request, ctx.canonical_department(*r.string(request, "", "department", true)),
               *period_text);
    const std::string actor_id = *r.string(request, "", "actor", true);
    const std::string reason = r.string(request, "", "reason", false).value_or("");
    const StatusOf status_of{ctx.calendar(), ctx.workflow(), ctx.today()};

    const core::WorkflowEngine engine(ctx.workflow(), ctx.config().org_chart,
                                      ctx.config().separation_of_duties.for_plan(plan.key));
    auto view = ctx.reports().obligation(plan, key);
    const core::Decision decision = engine.decide_waiver(actor_id, waiver_subject(view), reason);
    if (decision.verdict == core::Verdict::allowed) {
        view = ctx.reports().waive(plan, key, actor_id, reason, ctx.host().now_ms());
    }
    w.StartObject();
    write_outcome(w, core::to_string(decision.verdict), decision.message);
    w.Key("obligation");
    write_obligation(w, view, status_of, false);
    w.EndObject();
    if (decision.verdict != core::Verdict::allowed) {
        throw DiscardWrites{};
    }
}

void write_status_rows(Context& ctx, const core::PlanInfo& plan, const core::Period& month,
                       json::Writer& w) {
    const StatusOf status_of{ctx.calendar(), ctx.workflow(), ctx.today()};
    const storage::MonthView view = ctx.month_view(plan, month);
    const auto list = view.obligations();
    std::map<std::string, std::vector<const storage::ObligationView*>> by_task;
    std::vector<std::string> order;
    std::map<std::string, std::map<std::string, int>> by_department;
    std::vector<std::string> department_order;
    for (const auto& v : list) {
        if (by_task.count(v.task_number) == 0) {
            order.push_back(v.task_number);
        }
        by_task[v.task_number].push_back(&v);
        if (by_department.count(v.department) == 0) {
            department_order.push_back(v.department);
        }
        ++by_department[v.department][core::to_string(status_of(v))];
    }
    // A task stands where its lead report(s) stand; co reports feed them.
    const auto statuses = task_statuses(ctx, view);
    const LedgerWarnings warnings =
        ledger_warnings(ctx, plan, view, ctx.plans().ledger(plan, std::nullopt));
    const auto write_warning_of = [&](const std::map<std::string, core::Warning>& by,
                                      const std::string& key) {
        const auto it = by.find(key);
        write_warning(w, it == by.end() ? core::Warning{} : it->second);
    };
    w.Key("tasks");
    w.StartArray();
    for (const auto& task : order) {
        const auto status = statuses.find(task);
        w.StartObject();
        w.Key("number");
        json::write_string(w, task);
        w.Key("title");
        json::write_string(w, by_task[task].front()->task_title);
        w.Key("status");
        json::write_string(w, status == statuses.end() ? "no_lead" : status->second);
        w.Key("warning");
        write_warning_of(warnings.tasks, task);
        w.Key("departments");
        w.StartArray();
        for (const auto* v : by_task[task]) {
            w.StartObject();
            w.Key("name");
            json::write_string(w, v->department);
            w.Key("item");
            json::write_string(w, v->item_number);
            w.Key("role");
            json::write_string(w, v->role);
            w.Key("status");
            w.String(core::to_string(status_of(*v)));
            w.Key("urges");
            w.Int(v->urges);
            w.Key("escalation");
            json::write_string(w, v->escalation);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();
    w.Key("departments");
    w.StartArray();
    for (const auto& name : department_order) {
        w.StartObject();
        w.Key("name");
        json::write_string(w, name);
        w.Key("warning");
        write_warning_of(warnings.departments, name);
        w.Key("counts");
        w.StartObject();
        for (auto s : {core::ObligationStatus::not_started, core::ObligationStatus::draft,
                       core::ObligationStatus::in_approval, core::ObligationStatus::returned,
                       core::ObligationStatus::filed, core::ObligationStatus::overdue,
                       core::ObligationStatus::waived}) {
            w.Key(core::to_string(s));
            w.Int(by_department[name][core::to_string(s)]);
        }
        w.EndObject();
        w.EndObject();
    }
    w.EndArray();
}

void ledger_status(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "period", "user"});
    const core::Person& person = ctx.reader_of(request);
    const core::PlanInfo plan = ctx.plan_of(request);
    const core::Period month = ctx.month_of(request, plan);
    w.StartObject();
    if (!person.active) {
        write_outcome(w, "not_permitted", read_refusal(person, ""));
        w.EndObject();
        return;
    }
    write_outcome(w, "ok", "");
    w.Key("plan");
    json::write_string(w, plan.key);
    w.Key("month");
    json::write_string(w, month.key());
    w.Key("today");
    json::write_string(w, ctx.today().iso());
    write_status_rows(ctx, plan, month, w);
    w.EndObject();
}

// ------------------------------------------------------------ inbox

void inbox(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "period", "user"});
    const std::string user = *r.string(request, "", "user", true);
    const core::Person* person = ctx.config().org_chart.person(user);
    if (person == nullptr) {
        throw CallError(RL_ERR_NOT_FOUND, "user '" + user + "' is not in the org chart");
    }
    const core::PlanInfo plan = ctx.plan_of(request);
    const core::Period month = ctx.month_of(request, plan);
    const core::WorkflowEngine engine(ctx.workflow(), ctx.config().org_chart,
                                      ctx.config().separation_of_duties.for_plan(plan.key));
    const StatusOf status_of{ctx.calendar(), ctx.workflow(), ctx.today()};
    const auto& first = ctx.workflow().first();
    w.StartObject();
    w.Key("user");
    json::write_string(w, person->id);
    w.Key("name");
    json::write_string(w, person->name);
    w.Key("month");
    json::write_string(w, month.key());
    w.Key("items");
    w.StartArray();
    for (const auto& v : ctx.month_view(plan, month).open_obligations()) {
        const core::WorkflowStep* step =
            v.report ? ctx.workflow().step(v.report->step) : &ctx.workflow().first();
        if (step == nullptr) {
            continue;
        }
        const std::string assignee = v.report ? v.report->assignee : "";
        if (!engine.may_act(*person, *step, v.department, assignee)) {
            continue;
        }
        if (v.report && engine.separation_conflict(*v.report, person->id, step->id)) {
            continue;  // waits for someone else: they acted at another step of it
        }
        w.StartObject();
        w.Key("waiting_for");
        w.String(step->id == first.id                   ? (v.report ? "submit" : "draft")
                 : step->id == ctx.workflow().last().id ? "file"
                                                        : "approve");
        w.Key("step");
        json::write_string(w, step->label);
        w.Key("obligation");
        write_obligation(w, v, status_of, false);
        w.EndObject();
    }
    w.EndArray();
    // Leaders' instructions waiting for this person's department to answer,
    // and what was sent to them for reading (reading.list has the items).
    w.Key("instructions");
    w.StartArray();
    for (const auto& i : ctx.instructions().list(plan.id, "", "", "open")) {
        for (const auto& part : i.parts) {
            if (part.status != "open" || !core::instruction_answer_role(*person, part.department)) {
                continue;
            }
            const auto due = core::Date::parse(i.due_date);
            w.StartObject();
            w.Key("number");
            json::write_string(w, i.number);
            w.Key("task");
            json::write_string(w, i.task_number);
            w.Key("department");
            json::write_string(w, part.department);
            w.Key("due_date");
            json::write_string(w, i.due_date);
            w.Key("overdue");
            w.Bool(due && *due < ctx.today());
            w.Key("content");
            json::write_string(w, i.content);
            w.EndObject();
        }
    }
    w.EndArray();
    const storage::ReadingCounts reading = ctx.reading().counts(person->id, plan.id);
    w.Key("to_read");
    w.StartObject();
    w.Key("unread");
    w.Int(reading.unread);
    w.Key("total");
    w.Int(reading.total);
    w.EndObject();
    // Closure applications (办结申请) at a step the person may act on, as
    // task.get with the user offers them.
    const core::WorkflowEngine closure_engine(ctx.closure_workflow(), ctx.config().org_chart,
                                              ctx.config().separation_of_duties.for_plan(plan.key));
    w.Key("closures");
    w.StartArray();
    for (const auto& number : ctx.tasks().tasks_with_open_closures(plan)) {
        const storage::TaskRecord task = ctx.tasks().task(plan, number);
        const auto closure = ctx.tasks().closure(task);
        if (!closure) {
            continue;
        }
        // Waiting at its step for the person, as for a report: not at a step
        // they may take, or they acted at another step of it (separation of
        // duties), it waits for someone else.
        const core::WorkflowStep* step = ctx.closure_workflow().step(closure->position.step);
        if (step == nullptr ||
            !closure_engine.may_act(*person, *step, closure->department,
                                    closure->position.assignee) ||
            closure_engine.separation_conflict(closure->position, person->id, step->id)) {
            continue;
        }
        const auto offered =
            closure_engine.offered_actions(closure->position, closure->department, person->id);
        if (offered.empty()) {
            continue;
        }
        w.StartObject();
        w.Key("task");
        json::write_string(w, task.number);
        w.Key("title");
        json::write_string(w, task.title);
        w.Key("department");
        json::write_string(w, closure->department);
        w.Key("round");
        w.Int(closure->round);
        w.Key("state");
        w.String(core::to_string(closure->position.state));
        w.Key("step");
        json::write_string(w, closure->position.step);
        w.Key("step_label");
        json::write_string(w, step->label);
        w.Key("version");
        w.Int(closure->position.version);
        w.Key("actions");
        w.StartArray();
        for (const auto& a : offered) {
            json::write_string(w, a.action);
        }
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();
    // Extension requests (延期申请) waiting for the person: the leader in
    // charge of the department that asked (requested), then the reform
    // office (endorsed) — whom task.extension.act would let approve.
    w.Key("extensions");
    w.StartArray();
    for (const auto& e : ctx.tasks().extensions(plan, "")) {
        if (e.state != core::ExtensionState::requested &&
            e.state != core::ExtensionState::endorsed) {
            continue;
        }
        if (core::decide_extension(e.state, "approve", person, e.department, "").verdict !=
            core::Verdict::allowed) {
            continue;
        }
        w.StartObject();
        w.Key("id");
        w.Int64(e.id);
        w.Key("task");
        json::write_string(w, e.task_number);
        w.Key("department");
        json::write_string(w, e.department);
        w.Key("state");
        w.String(core::to_string(e.state));
        w.Key("waiting_for");
        w.String(e.state == core::ExtensionState::requested ? "leader_in_charge" : "reform_office");
        w.Key("from_due");
        json::write_string(w, e.from_due);
        w.Key("to_due");
        json::write_string(w, e.to_due);
        w.Key("reason");
        json::write_string(w, e.reason);
        w.Key("requested_by");
        json::write_string(w, e.requested_by);
        w.Key("requested_at");
        json::write_string(w, e.requested_at);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
}

}  // namespace

void add_report_methods(MethodTable& table) {
    table.add("obligations.list", Tx::read, obligations_list);
    table.add("report.get", Tx::read, report_get);
    table.add("report.act", Tx::write, report_act);
    table.add("report.waive", Tx::write, report_waive);
    table.add("ledger.status", Tx::read, ledger_status, Keep::answers);
    table.add("inbox", Tx::read, inbox);
}

void release_lapsed_hand_overs(Context& ctx) {
    const core::WorkflowEngine engine(ctx.workflow(), ctx.config().org_chart);
    for (const auto& plan : ctx.plans().plans()) {
        for (const auto& v : ctx.reports().handed_over(plan)) {
            if (!engine.lapsed_hand_over(*v.report, v.department)) {
                continue;
            }
            const storage::ObligationKey key{v.task_number, v.item_number, v.department, v.period};
            const auto outcome = ctx.reports().act(
                plan, key,
                [&](const storage::ObligationView& current,
                    const storage::ReportStore::MissingCoReports&) {
                    storage::Change change;
                    const auto why = current.report
                                         ? engine.lapsed_hand_over(*current.report, v.department)
                                         : std::nullopt;
                    if (!why) {
                        change.decision.verdict = core::Verdict::invalid;  // changed meanwhile
                        return change;
                    }
                    change.decision.verdict = core::Verdict::allowed;
                    change.decision.role = "system";
                    change.decision.next = *current.report;
                    change.decision.next.assignee.clear();
                    change.decision.next.version = current.report->version + 1;
                    change.audit_action = "hand_over_released";
                    change.actor = "system";
                    change.reason = *why + "; the hand-over to " + current.report->assignee +
                                    " lapsed and the step goes back to its role holders";
                    return change;
                },
                ctx.host().now_ms());
            if (outcome.decision.verdict == core::Verdict::allowed) {
                ctx.host().log(RL_LOG_WARNING, "task " + v.task_number + " (" + v.department +
                                                   ", " + v.period +
                                                   "): " + outcome.after.report->step +
                                                   " no longer waits for " + v.report->assignee);
            }
        }
    }
}

}  // namespace rl::abi
