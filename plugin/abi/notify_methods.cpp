// The notification methods of the ABI: the reminder sweep, delivery and its
// operations (status, dead letters, requeue), urges (催办) and supervision
// notices (督办单). Decode, decide, store, encode.
#include <algorithm>

#include "abi/context.h"
#include "abi/errors.h"
#include "abi/families.h"
#include "core/report_form.h"
#include "notify/composer.h"
#include "notify/sweep.h"

namespace rl::abi {

namespace {

// A supervision notice is due within a year: at most this many calendar days
// after it is issued (due_date), or working days (due_working_days).
constexpr std::int64_t kMaxNoticeDays = 366;
constexpr int kMaxNoticeWorkingDays = 250;

void write_notice(json::Writer& w, const storage::SupervisionNotice& n, const core::Date& today) {
    w.StartObject();
    w.Key("number");
    json::write_string(w, n.number);
    w.Key("task");
    json::write_string(w, n.task_number);
    w.Key("department");
    json::write_string(w, n.department);
    w.Key("issued_by");
    json::write_string(w, n.issued_by);
    w.Key("issued_at");
    json::write_string(w, n.issued_at);
    w.Key("due_date");
    json::write_string(w, n.due_date);
    w.Key("content");
    json::write_string(w, n.content);
    w.Key("status");
    json::write_string(w, n.status);
    w.Key("overdue");
    const auto due = core::Date::parse(n.due_date);
    w.Bool(n.status == "open" && due && *due < today);
    w.Key("answer");
    json::write_string(w, n.answer);
    w.Key("answered_by");
    json::write_string(w, n.answered_by);
    w.Key("answered_at");
    json::write_string(w, n.answered_at);
    w.EndObject();
}

std::string describe(const storage::ObligationView& v) {
    std::string text = "任务" + v.task_number;
    if (!v.item_number.empty()) {
        text += "（" + v.item_number + "）";
    }
    return text + " " + v.task_title + "（" + v.period + "，" + v.due_date + "到期）";
}

notify::ReportRef report_of(const storage::ObligationView& v) {
    return {v.task_number, v.item_number, v.department, v.period};
}

// ------------------------------------------------------------ sweep and delivery

void notify_sweep(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {});
    notify::SweepContext context{ctx.database(),
                                 ctx.plans(),
                                 ctx.reports(),
                                 ctx.notifications(),
                                 ctx.calendar(),
                                 ctx.workflow(),
                                 ctx.config().org_chart,
                                 ctx.config().reporting,
                                 ctx.config().notifications,
                                 ctx.instructions(),
                                 ctx.tasks(),
                                 ctx.closure_workflow()};
    const notify::SweepResult r = notify::sweep(context, ctx.host().now_ms());
    if (ctx.worker() && r.messages_queued > 0) {
        ctx.worker()->wake();
    }
    w.StartObject();
    w.Key("today");
    json::write_string(w, r.today);
    w.Key("obligations_checked");
    w.Int(r.obligations_checked);
    w.Key("reminders_due");
    w.Int(r.reminders_due);
    w.Key("new_items");
    w.Int(r.new_items);
    w.Key("messages_queued");
    w.Int(r.messages_queued);
    w.Key("deferred");
    w.Int(r.deferred);
    w.Key("escalations");
    w.Int(r.escalations);
    w.Key("accountability");
    w.Int(r.accountability);
    w.Key("instruction_parts_checked");
    w.Int(r.instruction_parts_checked);
    w.Key("instruction_escalations");
    w.Int(r.instruction_escalations);
    w.Key("tasks_checked");
    w.Int(r.tasks_checked);
    w.Key("task_escalations");
    w.Int(r.task_escalations);
    w.Key("task_approvals_checked");
    w.Int(r.task_approvals_checked);
    w.Key("write_slices");
    w.Int(r.write_slices);
    w.Key("longest_write_ms");
    w.Double(r.longest_write_ms);
    w.Key("warnings");
    json::write_strings(w, r.warnings);
    w.EndObject();
}

void notify_deliver(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {});
    const notify::DeliveryCounts c = ctx.deliverer().deliver_due();
    w.StartObject();
    w.Key("delivered");
    w.Int(c.delivered);
    w.Key("retried");
    w.Int(c.retried);
    w.Key("dead");
    w.Int(c.dead);
    w.Key("paced");
    w.Int(c.paced);
    w.Key("lost");
    w.Int(c.lost);
    w.EndObject();
}

void notify_status(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {});
    const storage::OutboxStatus s = ctx.notifications().status(ctx.host().now_ms());
    w.StartObject();
    w.Key("pending");
    w.Int(s.pending);
    w.Key("deferred");
    w.Int(s.deferred);
    w.Key("in_flight");
    w.Int(s.in_flight);
    w.Key("delivered");
    w.Int(s.delivered);
    w.Key("dead");
    w.Int(s.dead);
    w.Key("oldest_pending_age_ms");
    w.Int64(s.oldest_pending_age_ms);
    w.Key("channels");
    w.StartArray();
    for (const auto& c : ctx.config().notifications.channels) {
        w.StartObject();
        w.Key("name");
        json::write_string(w, c.name);
        w.Key("kind");
        w.String(transport::to_string(c.kind));
        w.EndObject();
    }
    w.EndArray();
    w.Key("worker");
    w.Bool(ctx.worker() != nullptr);
    w.EndObject();
}

void notify_dead(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {});
    w.StartObject();
    w.Key("dead");
    w.StartArray();
    for (const auto& d : ctx.notifications().dead_letters()) {
        w.StartObject();
        w.Key("id");
        w.Int64(d.id);
        w.Key("message_id");
        json::write_string(w, d.message_id);
        w.Key("channel");
        json::write_string(w, d.channel);
        w.Key("recipient");
        json::write_string(w, d.recipient);
        w.Key("title");
        json::write_string(w, d.title);
        w.Key("attempts");
        w.Int(d.attempts);
        w.Key("last_error");
        json::write_string(w, d.last_error);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
}

void notify_requeue(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"id", "all"});
    const bool all = r.boolean(request, "", "all").value_or(false);
    std::int64_t id = 0;
    if (request.HasMember("id")) {
        if (!request["id"].IsInt64() || request["id"].GetInt64() <= 0) {
            r.fail("id", "expected a dead letter's id (a positive number)");
        }
        id = request["id"].GetInt64();
    }
    if (all == (id != 0)) {
        r.fail("", "give exactly one of \"id\" or \"all\": true");
    }
    const int n = ctx.notifications().requeue(id, ctx.host().now_ms());
    if (id != 0 && n == 0) {
        throw CallError(RL_ERR_NOT_FOUND, "no dead letter has id " + std::to_string(id));
    }
    if (ctx.worker() && n > 0) {
        ctx.worker()->wake();
    }
    w.StartObject();
    w.Key("requeued");
    w.Int(n);
    w.EndObject();
}

// ------------------------------------------------------------ urges

void urge(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "task", "item", "department", "period", "actor", "note"});
    const core::PlanInfo plan = ctx.plan_of(request);
    const std::string period = *r.string(request, "", "period", true);
    ctx.open_month(plan, ctx.month_of(request, plan));
    const std::string actor = *r.string(request, "", "actor", true);
    const std::string note = r.string(request, "", "note", false).value_or("");
    const storage::ObligationKey key{
        *r.string(request, "", "task", true), r.string(request, "", "item", false).value_or(""),
        ctx.canonical_department(*r.string(request, "", "department", true)), period};
    const auto view = ctx.reports().obligation(plan, key);
    const std::int64_t now = ctx.host().now_ms();
    std::string outcome = "ok";
    std::string message;
    const std::int64_t interval =
        std::int64_t{ctx.config().notifications.urge_min_interval_hours} * 3600000;
    const auto last = ctx.notifications().last_urge_ms(view.id);
    if (!core::is_reform_office(ctx.config().org_chart, actor)) {
        outcome = "not_permitted";
        message = "only the reform office may urge (催办)";
    } else if (view.waived || (view.report && view.report->state == core::ReportState::filed)) {
        outcome = "invalid";
        message = "the report is " + std::string(view.waived ? "waived" : "filed") +
                  "; there is nothing to urge";
    } else if (last && now - *last < interval) {
        outcome = "too_soon";
        message = "this obligation was urged at " + storage::iso_utc(*last) +
                  "; urge again after " + storage::iso_utc(*last + interval);
    } else {
        std::int64_t notification_id = 0;
        const core::Recipient to{core::Recipient::Kind::department, view.department};
        for (const auto& channel : ctx.config().notifications.routes_for(to)) {
            notify::Entry entry{"urge",
                                view.id,
                                describe(view) + (note.empty() ? "" : "：" + note),
                                "urge|" + std::to_string(view.id) + "|" + to.key() + "|" +
                                    std::to_string(now) + "|" + channel,
                                report_of(view),
                                notify::action_at_step(ctx.workflow(), ctx.workflow().first().id)};
            notification_id = ctx.notifications().enqueue(
                notify::compose(to, channel, "urge", true, {entry}, ctx.config().org_chart, now,
                                now, ctx.config().notifications.console_base_url),
                now);
        }
        ctx.notifications().record_urge(view.id, actor, now, note, notification_id);
        storage::AuditRecord a = storage::audit_of(
            storage::iso_utc(now), actor, "reform_office", "urge", plan.id, view.task_number,
            view.item_number, view.department, view.period, view.id);
        a.report_id = view.report_id;
        a.reason = note;
        ctx.notifications().audit(a);
        if (ctx.worker()) {
            ctx.worker()->wake();
        }
        if (ctx.config().notifications.channels.empty()) {
            message = "recorded; no notification channel is configured, so nothing was sent";
        }
    }
    w.StartObject();
    write_outcome(w, outcome, message);
    w.Key("urges");
    w.Int(ctx.notifications().urge_count(view.id));
    w.EndObject();
    if (outcome != "ok") {
        throw DiscardWrites{};
    }
}

void urge_bulk(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "department", "actor", "note"});
    const core::PlanInfo plan = ctx.plan_of(request);
    const std::string department =
        ctx.canonical_department(*r.string(request, "", "department", true));
    const std::string actor = *r.string(request, "", "actor", true);
    const std::string note = r.string(request, "", "note", false).value_or("");
    const std::int64_t now = ctx.host().now_ms();
    const core::Date day = ctx.today();
    w.StartObject();
    if (!core::is_reform_office(ctx.config().org_chart, actor)) {
        write_outcome(w, "not_permitted", "only the reform office may urge (催办)");
        w.EndObject();
        return;
    }
    const std::int64_t interval =
        std::int64_t{ctx.config().notifications.urge_min_interval_hours} * 3600000;
    std::vector<notify::Entry> entries;
    std::vector<std::pair<storage::ObligationView, std::string>> skipped;
    std::vector<storage::ObligationView> urged;
    const auto month = core::reporting_month(day);
    ctx.reports().ensure_obligations(plan, month.year, month.index, ctx.config().reporting,
                                     ctx.calendar());
    for (const auto& v : ctx.reports().open_obligations(plan, month.key())) {
        const bool overdue = core::obligation_status(v.waived, v.report, ctx.workflow().first().id,
                                                     *core::Date::parse(v.due_date),
                                                     day) == core::ObligationStatus::overdue;
        if (v.department != department || !overdue) {
            continue;
        }
        const auto last = ctx.notifications().last_urge_ms(v.id);
        if (last && now - *last < interval) {
            skipped.emplace_back(v, "urged at " + storage::iso_utc(*last) + "; again after " +
                                        storage::iso_utc(*last + interval));
            continue;
        }
        urged.push_back(v);
    }
    const core::Recipient to{core::Recipient::Kind::department, department};
    std::int64_t notification_id = 0;
    if (!urged.empty()) {
        for (const auto& channel : ctx.config().notifications.routes_for(to)) {
            std::vector<notify::Entry> lines;
            for (const auto& v : urged) {
                lines.push_back(
                    {"urge", v.id, describe(v) + (note.empty() ? "" : "：" + note),
                     "urge|" + std::to_string(v.id) + "|" + to.key() + "|" + std::to_string(now) +
                         "|" + channel,
                     report_of(v),
                     notify::action_at_step(ctx.workflow(), ctx.workflow().first().id)});
            }
            notification_id = ctx.notifications().enqueue(
                notify::compose(to, channel, "urge", true, lines, ctx.config().org_chart, now, now,
                                ctx.config().notifications.console_base_url),
                now);
        }
    }
    for (const auto& v : urged) {
        ctx.notifications().record_urge(v.id, actor, now, note, notification_id);
        storage::AuditRecord a =
            storage::audit_of(storage::iso_utc(now), actor, "reform_office", "urge", plan.id,
                              v.task_number, v.item_number, v.department, v.period, v.id);
        a.report_id = v.report_id;
        a.reason = note.empty() ? "批量催办" : note;
        ctx.notifications().audit(a);
    }
    if (ctx.worker() && !urged.empty()) {
        ctx.worker()->wake();
    }
    write_outcome(w, "ok", urged.empty() ? "nothing overdue to urge" : "");
    w.Key("urged");
    w.StartArray();
    for (const auto& v : urged) {
        w.StartObject();
        w.Key("task");
        json::write_string(w, v.task_number);
        w.Key("item");
        json::write_string(w, v.item_number);
        w.Key("period");
        json::write_string(w, v.period);
        w.EndObject();
    }
    w.EndArray();
    w.Key("skipped");
    w.StartArray();
    for (const auto& [v, why] : skipped) {
        w.StartObject();
        w.Key("task");
        json::write_string(w, v.task_number);
        w.Key("item");
        json::write_string(w, v.item_number);
        w.Key("period");
        json::write_string(w, v.period);
        w.Key("reason");
        json::write_string(w, why);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
}

// ------------------------------------------------------------ supervision notices

void supervision_issue(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "",
                {"plan", "task", "department", "actor", "content", "due_date", "due_working_days"});
    const core::PlanInfo plan = ctx.plan_of(request);
    const std::string task = *r.string(request, "", "task", true);
    const std::string department =
        ctx.canonical_department(*r.string(request, "", "department", true));
    const std::string actor = *r.string(request, "", "actor", true);
    const std::string content = r.string(request, "", "content", false).value_or("");
    const std::int64_t now = ctx.host().now_ms();
    const core::Date day = ctx.today();
    core::Date due = ctx.calendar().add_working_days(day, 5);
    if (const auto text = r.string(request, "", "due_date", false)) {
        const auto parsed = core::Date::parse(*text);
        if (!parsed) {
            r.fail("due_date", "'" + *text + "' is not a date (expected YYYY-MM-DD)");
        }
        if (parsed->days() - day.days() > kMaxNoticeDays) {
            r.fail("due_date", *text + " is more than a year after today (" + day.iso() +
                                   "); a supervision notice is due within a year");
        }
        due = *parsed;
    } else if (request.HasMember("due_working_days")) {
        const json::Value& n = request["due_working_days"];
        if (!n.IsInt() || n.GetInt() < 1 || n.GetInt() > kMaxNoticeWorkingDays) {
            r.fail("due_working_days", "expected a whole number of working days from 1 to " +
                                           std::to_string(kMaxNoticeWorkingDays));
        }
        due = ctx.calendar().add_working_days(day, n.GetInt());
    }
    w.StartObject();
    bool assigned = false;
    for (const auto& row : ctx.plans().ledger(plan, department)) {
        assigned = assigned || row.number == task;
    }
    if (!core::is_reform_office(ctx.config().org_chart, actor)) {
        write_outcome(w, "not_permitted", "only the reform office may issue a supervision notice");
    } else if (!assigned) {
        write_outcome(w, "invalid", department + " has no part in task " + task);
    } else if (content.find_first_not_of(" \t\r\n") == std::string::npos) {
        write_outcome(w, "invalid", "a supervision notice needs its content (what is to be done)");
    } else if (due < day) {
        write_outcome(w, "invalid", "the due date " + due.iso() + " is already past");
    } else {
        storage::SupervisionNotice n;
        n.task_number = task;
        n.department = department;
        n.issued_by = actor;
        n.issued_at = storage::iso_utc(now);
        n.due_date = due.iso();
        n.content = content;
        n.number = ctx.notifications().issue_notice(plan.id, n);
        const core::Recipient to{core::Recipient::Kind::department, department};
        for (const auto& channel : ctx.config().notifications.routes_for(to)) {
            notify::Entry entry{
                "supervision_notice",
                0,
                n.number + " 任务" + task + "：" + content + "（" + due.iso() + "前回复）",
                "supervision_notice|" + n.number + "|" + to.key() + "|" + channel,
                {task, "", department, ""},
                notify::action_for_rule("supervision_notice")};
            ctx.notifications().enqueue(
                notify::compose(to, channel, "supervision_notice", true, {entry},
                                ctx.config().org_chart, now, now,
                                ctx.config().notifications.console_base_url),
                now);
        }
        storage::AuditRecord a;
        a.at = n.issued_at;
        a.actor = actor;
        a.role = "reform_office";
        a.action = "supervision_notice";
        a.plan_id = plan.id;
        a.task_number = task;
        a.department = department;
        a.reason = n.number + "：" + content + "（" + due.iso() + "前回复）";
        ctx.notifications().audit(a);
        if (ctx.worker()) {
            ctx.worker()->wake();
        }
        write_outcome(w, "ok", "");
        w.Key("notice");
        write_notice(w, *ctx.notifications().notice(n.number), day);
    }
    w.EndObject();
}

void supervision_answer(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "notice", "actor", "answer"});
    const core::PlanInfo plan = ctx.plan_of(request);
    const std::string number = *r.string(request, "", "notice", true);
    const std::string actor = *r.string(request, "", "actor", true);
    const std::string answer = r.string(request, "", "answer", false).value_or("");
    const auto notice = ctx.notifications().notice(number);
    if (!notice) {
        throw CallError(RL_ERR_NOT_FOUND, "no supervision notice numbered '" + number + "'");
    }
    const core::Person* person = ctx.config().org_chart.person(actor);
    const bool may =
        person != nullptr &&
        (core::holds_role_for(*person, core::PersonRole::contact, notice->department) ||
         core::holds_role_for(*person, core::PersonRole::head, notice->department));
    w.StartObject();
    if (!may) {
        write_outcome(
            w, "not_permitted",
            "only the contact or head of " + notice->department + " may answer " + number);
    } else if (notice->status != "open") {
        write_outcome(w, "invalid", number + " was answered already");
    } else if (answer.find_first_not_of(" \t\r\n") == std::string::npos) {
        write_outcome(w, "invalid", "the answer is empty");
    } else {
        const std::string at = storage::iso_utc(ctx.host().now_ms());
        ctx.notifications().answer_notice(number, answer, actor, at);
        storage::AuditRecord a;
        a.at = at;
        a.actor = actor;
        a.role = core::holds_role_for(*person, core::PersonRole::head, notice->department)
                     ? "head"
                     : "contact";
        a.action = "supervision_answer";
        a.plan_id = plan.id;
        a.task_number = notice->task_number;
        a.department = notice->department;
        a.reason = number + "：" + answer;
        ctx.notifications().audit(a);
        write_outcome(w, "ok", "");
    }
    w.Key("notice");
    write_notice(w, *ctx.notifications().notice(number), ctx.today());
    w.EndObject();
}

void supervision_list(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "department", "status"});
    const core::PlanInfo plan = ctx.plan_of(request);
    const auto department = r.string(request, "", "department", false);
    const std::string status = r.string(request, "", "status", false).value_or("");
    if (!status.empty() && status != "open" && status != "answered") {
        r.fail("status", "expected open or answered");
    }
    const auto list = ctx.notifications().notices(
        plan.id, department ? ctx.canonical_department(*department) : "", status);
    w.StartObject();
    w.Key("notices");
    w.StartArray();
    for (const auto& n : list) {
        write_notice(w, n, ctx.today());
    }
    w.EndArray();
    w.EndObject();
}

}  // namespace

void add_notification_methods(MethodTable& table) {
    table.add("notify.sweep", Tx::none, notify_sweep);  // writes in slices
    table.add("notify.deliver", Tx::none, notify_deliver);
    table.add("notify.status", Tx::read, notify_status);
    table.add("notify.dead", Tx::read, notify_dead);
    table.add("notify.requeue", Tx::write, notify_requeue);
    table.add("urge", Tx::write, urge);
    table.add("urge.bulk", Tx::write, urge_bulk);
    table.add("supervision.issue", Tx::write, supervision_issue);
    table.add("supervision.answer", Tx::write, supervision_answer);
    table.add("supervision.list", Tx::read, supervision_list);
}

}  // namespace rl::abi
