// The instruction methods of the ABI: leaders' instructions (批示) written on
// a task or a report and addressed to departments (instruction.write), their
// answers (反馈, instruction.answer), and reading them back with the full text
// (instruction.get, instruction.list). Reminders and escalations of the
// unanswered ones are the sweep's (notify/sweep.cpp).
//
// Why not a supervision notice (督办单, notify_methods.cpp)? A notice is the
// reform office's, to one department, answered once. An instruction is a
// leader's (the president or a leader in charge), on a task or one of its
// reports, to several departments at once, each answering as often as it
// needs until its final answer; it is reminded and escalated by the sweep,
// and sent for reading. The pattern (decide, store, notify, audit; refusals
// discard) is the same; the records are not.
#include <algorithm>

#include "abi/context.h"
#include "abi/errors.h"
#include "abi/families.h"
#include "abi/reading.h"
#include "core/instructions.h"
#include "notify/composer.h"

namespace rl::abi {

namespace {

// An answer is due within a year: at most this many calendar days after the
// instruction is written (due_date), or working days (due_working_days).
constexpr std::int64_t kMaxDueDays = 366;
constexpr int kMaxDueWorkingDays = 250;
constexpr int kDefaultDueWorkingDays = 5;

bool blank(const std::string& text) {
    return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

void write_instruction(json::Writer& w, const storage::Instruction& i, const core::Date& today) {
    const auto due = core::Date::parse(i.due_date);
    w.StartObject();
    w.Key("number");
    json::write_string(w, i.number);
    w.Key("task");
    json::write_string(w, i.task_number);
    w.Key("on");
    if (i.obligation_id == 0) {
        w.String("task");
    } else {
        w.String("report");
    }
    w.Key("report");
    if (i.obligation_id == 0) {
        w.Null();
    } else {
        w.StartObject();
        w.Key("item");
        json::write_string(w, i.item_number);
        w.Key("department");
        json::write_string(w, i.department);
        w.Key("period");
        json::write_string(w, i.period);
        w.EndObject();
    }
    w.Key("written_by");
    json::write_string(w, i.written_by);
    w.Key("written_role");
    json::write_string(w, i.written_role);
    w.Key("written_at");
    json::write_string(w, i.written_at);
    w.Key("due_date");
    json::write_string(w, i.due_date);
    w.Key("content");
    json::write_string(w, i.content);
    w.Key("status");
    w.String(i.open() ? "open" : "closed");
    w.Key("departments");
    w.StartArray();
    for (const auto& p : i.parts) {
        w.StartObject();
        w.Key("department");
        json::write_string(w, p.department);
        w.Key("status");
        json::write_string(w, p.status);
        w.Key("overdue");
        w.Bool(p.status == "open" && due && *due < today);
        w.Key("closed_at");
        json::write_string(w, p.closed_at);
        w.Key("escalated_at");
        json::write_string(w, p.escalated_at);
        w.Key("answers");
        w.StartArray();
        for (const auto& a : p.answers) {
            w.StartObject();
            w.Key("answered_by");
            json::write_string(w, a.answered_by);
            w.Key("answered_at");
            json::write_string(w, a.answered_at);
            w.Key("content");
            json::write_string(w, a.content);
            w.Key("final");
            w.Bool(a.final);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
}

// The departments of a task (lead and co-operating, its items' too); throws
// RL_ERR_NOT_FOUND when the plan has no such task.
std::vector<std::string> task_departments(Context& ctx, const core::PlanInfo& plan,
                                          const std::string& task) {
    for (const auto& row : ctx.plans().ledger(plan, std::nullopt)) {
        if (row.number != task) {
            continue;
        }
        std::vector<std::string> out;
        const auto add = [&out](const std::vector<std::string>& list) {
            for (const auto& d : list) {
                if (std::find(out.begin(), out.end(), d) == out.end()) {
                    out.push_back(d);
                }
            }
        };
        add(row.lead);
        add(row.co);
        for (const auto& item : row.items) {
            add(item.lead);
            add(item.co);
        }
        return out;
    }
    throw CallError(RL_ERR_NOT_FOUND, "plan '" + plan.key + "' has no task " + task);
}

core::Date due_of(Context& ctx, const rapidjson::Document& request) {
    const auto& r = request_reader();
    const core::Date day = ctx.today();
    const bool by_date = request.HasMember("due_date");
    if (by_date && request.HasMember("due_working_days")) {
        r.fail("", "give one of \"due_date\" or \"due_working_days\", not both");
    }
    if (by_date) {
        const std::string text = *r.string(request, "", "due_date", true);
        const auto parsed = core::Date::parse(text);
        if (!parsed) {
            r.fail("due_date", "'" + text + "' is not a date (expected YYYY-MM-DD)");
        }
        if (parsed->days() - day.days() > kMaxDueDays) {
            r.fail("due_date", text + " is more than a year after today (" + day.iso() +
                                   "); an instruction's answer is due within a year");
        }
        return *parsed;
    }
    int days = kDefaultDueWorkingDays;
    if (request.HasMember("due_working_days")) {
        const json::Value& n = request["due_working_days"];
        if (!n.IsInt() || n.GetInt() < 1 || n.GetInt() > kMaxDueWorkingDays) {
            r.fail("due_working_days", "expected a whole number of working days from 1 to " +
                                           std::to_string(kMaxDueWorkingDays));
        }
        days = n.GetInt();
    }
    return ctx.calendar().add_working_days(day, days);
}

void instruction_write(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "",
                {"plan", "task", "report", "departments", "actor", "content", "due_date",
                 "due_working_days"});
    const core::PlanInfo plan = ctx.plan_of(request);
    const std::string task = *r.string(request, "", "task", true);
    const std::string actor = *r.string(request, "", "actor", true);
    const std::string content = r.string(request, "", "content", false).value_or("");
    std::vector<std::string> departments;
    for (const auto& name : r.strings(request, "", "departments", true)) {
        const std::string d = ctx.canonical_department(name);
        if (std::find(departments.begin(), departments.end(), d) != departments.end()) {
            r.fail("departments", d + " is named twice");
        }
        departments.push_back(d);
    }
    const core::Date due = due_of(ctx, request);
    const std::vector<std::string> of_task = task_departments(ctx, plan, task);

    // On a report: the task's report of one department for one period.
    storage::Instruction in;
    in.plan_id = plan.id;
    in.task_number = task;
    std::string refusal;
    if (const json::Value* on = r.object(request, "", "report", false)) {
        r.only_keys(*on, "report", {"item", "department", "period"});
        const std::string period_text = *r.string(*on, "report", "period", true);
        const auto period = core::Period::parse(period_text);
        if (!period || !core::within_plan_years(*period, {plan.first_year, plan.last_year})) {
            r.fail("report.period", "'" + period_text + "' is not a period of plan '" + plan.key +
                                        "' (expected 2019-10 or 2019-Q4 within its years)");
        }
        ctx.open_month(plan,
                       core::Period{core::Cycle::monthly, period->year, period->last_month()});
        const storage::ObligationKey key{
            task, r.string(*on, "report", "item", false).value_or(""),
            ctx.canonical_department(*r.string(*on, "report", "department", true)), period_text};
        const storage::ObligationView view = ctx.reports().obligation(plan, key);
        if (view.report_id == 0) {
            refusal = key.department + " has no report on task " + task + " for " + period_text +
                      " to instruct on";
        }
        in.obligation_id = view.id;
        in.item_number = view.item_number;
        in.department = view.department;
        in.period = view.period;
    }

    const core::Person* person = ctx.config().org_chart.person(actor);
    const auto role =
        person != nullptr ? core::instruction_writer_role(*person, of_task) : std::nullopt;
    w.StartObject();
    std::string outcome = "ok";
    if (!role) {
        outcome = "not_permitted";
        refusal = "only the president, or a leader in charge of a department of task " + task +
                  ", may write an instruction (批示) on it";
    } else if (!refusal.empty()) {
        outcome = "invalid";
    } else if (blank(content)) {
        outcome = "invalid";
        refusal = "an instruction needs its content (what is to be done)";
    } else if (departments.empty()) {
        outcome = "invalid";
        refusal = "an instruction is addressed to at least one department";
    } else if (due < ctx.today()) {
        outcome = "invalid";
        refusal = "the due date " + due.iso() + " is already past";
    }
    if (outcome != "ok") {
        write_outcome(w, outcome, refusal);
        w.EndObject();
        throw DiscardWrites{};
    }

    const std::int64_t now = ctx.host().now_ms();
    in.written_by = actor;
    in.written_role = *role;
    in.written_at = storage::iso_utc(now);
    in.due_date = due.iso();
    in.content = content;
    const std::string number = ctx.instructions().write(in, departments);
    const std::string on_what =
        in.obligation_id == 0
            ? "任务" + task
            : "任务" + task + (in.item_number.empty() ? "" : "（" + in.item_number + "）") + " " +
                  in.department + in.period + "工作进展报告";
    for (const auto& d : departments) {
        const core::Recipient to{core::Recipient::Kind::department, d};
        for (const auto& channel : ctx.config().notifications.routes_for(to)) {
            notify::Entry entry{"instruction",
                                0,
                                number + " " + person->name + "对" + on_what + "批示：" + content +
                                    "（" + due.iso() + "前反馈）",
                                "instruction|" + number + "|" + to.key() + "|" + channel,
                                {task, in.item_number, d, in.period},
                                notify::action_for_rule("instruction")};
            ctx.notifications().enqueue(
                notify::compose(to, channel, "instruction", true, {entry}, ctx.config().org_chart,
                                now, now, ctx.config().notifications.console_base_url),
                now);
        }
        storage::AuditRecord a;
        a.at = in.written_at;
        a.actor = actor;
        a.role = *role;
        a.action = "instruction";
        a.plan_id = plan.id;
        a.task_number = task;
        a.item_number = in.item_number;
        a.department = d;
        a.period = in.period;
        a.obligation_id = in.obligation_id;
        a.reason = number + "：" + content + "（" + due.iso() + "前反馈）";
        ctx.notifications().audit(a);
    }
    send_for_reading(
        ctx, {"instruction", number, plan.id, task, in.item_number, in.department, in.period,
              number + " " + person->name + "对" + on_what + "的批示", departments, actor, actor});
    if (ctx.worker()) {
        ctx.worker()->wake();
    }
    write_outcome(w, "ok", "");
    w.Key("instruction");
    write_instruction(w, *ctx.instructions().get(number), ctx.today());
    w.EndObject();
}

void instruction_answer(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "instruction", "department", "actor", "answer", "final"});
    const std::string number = *r.string(request, "", "instruction", true);
    const std::string actor = *r.string(request, "", "actor", true);
    const std::string answer = r.string(request, "", "answer", false).value_or("");
    const bool final = r.boolean(request, "", "final").value_or(true);
    const auto instruction = ctx.instructions().get(number);
    if (!instruction) {
        throw CallError(RL_ERR_NOT_FOUND, "no instruction numbered '" + number + "'");
    }
    const core::Person* person = ctx.config().org_chart.person(actor);
    // The part answered: the department named, or the one addressed part the
    // actor may answer.
    const storage::InstructionPart* part = nullptr;
    std::string outcome = "ok";
    std::string message;
    if (const auto named = r.string(request, "", "department", false)) {
        const std::string d = ctx.canonical_department(*named);
        for (const auto& p : instruction->parts) {
            part = p.department == d ? &p : part;
        }
        if (part == nullptr) {
            outcome = "invalid";
            message = number + " is not addressed to " + d;
        }
    } else {
        std::vector<const storage::InstructionPart*> mine;
        for (const auto& p : instruction->parts) {
            if (person != nullptr && core::instruction_answer_role(*person, p.department)) {
                mine.push_back(&p);
            }
        }
        if (mine.size() == 1) {
            part = mine.front();
        } else if (mine.size() > 1) {
            r.fail("department", actor + " may answer " + number + " for more than one " +
                                     "department; name the department answering");
        }
    }
    const auto role = part != nullptr && person != nullptr
                          ? core::instruction_answer_role(*person, part->department)
                          : std::nullopt;
    if (outcome != "ok") {
        // named a department the instruction is not addressed to
    } else if (!role) {
        outcome = "not_permitted";
        message =
            "only the contact or head of a department " + number + " is addressed to may answer it";
    } else if (part->status != "open") {
        outcome = "invalid";
        message = part->department + " gave its final answer to " + number + " at " +
                  part->closed_at + "; its part is closed";
    } else if (blank(answer)) {
        outcome = "invalid";
        message = "the answer is empty";
    }
    w.StartObject();
    write_outcome(w, outcome, message);
    if (outcome != "ok") {
        w.Key("instruction");
        write_instruction(w, *instruction, ctx.today());
        w.EndObject();
        throw DiscardWrites{};
    }
    const std::string at = storage::iso_utc(ctx.host().now_ms());
    ctx.instructions().answer(part->id, {actor, at, answer, final});
    storage::AuditRecord a;
    a.at = at;
    a.actor = actor;
    a.role = *role;
    a.action = final ? "instruction_answer" : "instruction_interim_answer";
    a.plan_id = instruction->plan_id;
    a.task_number = instruction->task_number;
    a.item_number = instruction->item_number;
    a.department = part->department;
    a.period = instruction->period;
    a.obligation_id = instruction->obligation_id;
    a.reason = number + "：" + answer;
    ctx.notifications().audit(a);
    if (final) {
        send_for_reading(ctx, {"instruction_answer",
                               number + "|" + part->department,
                               instruction->plan_id,
                               instruction->task_number,
                               instruction->item_number,
                               part->department,
                               instruction->period,
                               part->department + "对" + number + "的反馈",
                               {part->department},
                               instruction->written_by,
                               actor});
    }
    w.Key("instruction");
    write_instruction(w, *ctx.instructions().get(number), ctx.today());
    w.EndObject();
}

void instruction_get(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"instruction", "user"});
    ctx.check_optional_reader(request);
    const std::string number = *r.string(request, "", "instruction", true);
    const auto instruction = ctx.instructions().get(number);
    if (!instruction) {
        throw CallError(RL_ERR_NOT_FOUND, "no instruction numbered '" + number + "'");
    }
    w.StartObject();
    w.Key("instruction");
    write_instruction(w, *instruction, ctx.today());
    w.EndObject();
}

void instruction_list(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "task", "department", "status", "user"});
    ctx.check_optional_reader(request);
    const core::PlanInfo plan = ctx.plan_of(request);
    const std::string task = r.string(request, "", "task", false).value_or("");
    const auto department = r.string(request, "", "department", false);
    const std::string status = r.string(request, "", "status", false).value_or("");
    if (!status.empty() && status != "open" && status != "closed") {
        r.fail("status", "expected open or closed");
    }
    if (!task.empty()) {
        task_departments(ctx, plan, task);  // RL_ERR_NOT_FOUND for a task not in the plan
    }
    const auto list = ctx.instructions().list(
        plan.id, task, department ? ctx.canonical_department(*department) : "", status);
    int open = 0;
    for (const auto& i : list) {
        open += i.open() ? 1 : 0;
    }
    w.StartObject();
    w.Key("open");
    w.Int(open);
    w.Key("instructions");
    w.StartArray();
    for (const auto& i : list) {
        write_instruction(w, i, ctx.today());
    }
    w.EndArray();
    w.EndObject();
}

}  // namespace

void add_instruction_methods(MethodTable& table) {
    table.add("instruction.write", Tx::write, instruction_write);
    table.add("instruction.answer", Tx::write, instruction_answer);
    table.add("instruction.get", Tx::read, instruction_get);
    table.add("instruction.list", Tx::read, instruction_list);
}

}  // namespace rl::abi
