#include "storage/task_store.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Nullable.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <stdexcept>

#include "json_util.h"
#include "storage/audit.h"
#include "storage/record_set.h"
#include "storage/step_actors.h"
#include "storage/stored_time.h"

using Poco::Data::RecordSet;
using Poco::Data::Session;
using Poco::Data::Statement;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace rl::storage {

namespace {

using Id = Poco::Int64;

void append_task_audit(Session& s, const core::PlanInfo& plan, const std::string& task_number,
                       const TaskAudit& audit, std::int64_t now_ms) {
    AuditRecord r = audit_of(iso_utc(now_ms), audit.actor, audit.role, audit.action, plan.id,
                             task_number, "", audit.department, audit.period, 0);
    r.acting_for = audit.acting_for;
    r.from_state = audit.from_state;
    r.to_state = audit.to_state;
    r.from_step = audit.from_step;
    r.to_step = audit.to_step;
    r.reason = audit.reason;
    r.detail = audit.detail;
    append_audit(s, r);
}

Poco::Nullable<std::string> nullable(const std::string& text) {
    return text.empty() ? Poco::Nullable<std::string>() : Poco::Nullable<std::string>(text);
}

Id department_id(Session& s, const std::string& name) {
    std::vector<Id> found;
    std::string n = name;
    s << "SELECT id FROM departments WHERE name = $1", use(n), into(found), now;
    if (!found.empty()) {
        return found[0];
    }
    Id id = 0;
    int known = 1;
    s << "INSERT INTO departments (name, in_org_chart) VALUES ($1, $2) RETURNING id", use(n),
        use(known), into(id), now;
    return id;
}

}  // namespace

std::optional<core::Date> TaskRecord::planned() const {
    return deadline_due.empty() ? std::nullopt : core::Date::parse(deadline_due);
}

std::optional<core::Date> TaskRecord::effective() const {
    return deadline_set.empty() ? planned() : core::Date::parse(deadline_set);
}

std::string TaskRecord::audit_department() const {
    return lead.empty() ? "" : lead.front();
}

TaskRecord TaskStore::task(const core::PlanInfo& plan, const std::string& number) {
    return database_.read([&](Session& s) {
        Statement st(s);
        Id plan_id = plan.id;
        std::string n = number;
        st << "SELECT t.id, t.number, t.title, sec.number, t.stage, t.origin,"
              " CASE WHEN t.deadline_text IS NULL THEN 0 ELSE 1 END,"
              " COALESCE(t.deadline_text, ''), COALESCE(t.deadline_due, ''),"
              " COALESCE(t.deadline_set, ''), COALESCE(t.reports_until, ''),"
              " CASE WHEN EXISTS (SELECT 1 FROM obligations o"
              "  JOIN assignments a ON a.id = o.assignment_id"
              "  JOIN reports r ON r.obligation_id = o.id"
              "  WHERE a.task_id = t.id AND r.state <> 'draft') THEN 1 ELSE 0 END,"
              " COALESCE((SELECT e.escalated_at FROM task_escalations e WHERE e.task_id = t.id"
              "  AND e.due = COALESCE(NULLIF(t.deadline_set, ''), t.deadline_due)), '')"
              " FROM tasks t JOIN sections sec ON sec.id = t.section_id"
              " WHERE t.plan_id = $1 AND t.number = $2 AND t.retired_at IS NULL",
            use(plan_id), use(n);
        st.execute();
        RecordSet rs(st);
        if (!rs.moveFirst()) {
            throw NotFound("task '" + number + "' is not in plan '" + plan.key + "'");
        }
        TaskRecord t;
        t.id = integer(rs, 0);
        t.number = text(rs, 1);
        t.title = text(rs, 2);
        t.section_number = text(rs, 3);
        t.stage = core::task_stage_from_string(text(rs, 4)).value_or(core::TaskStage::open);
        t.origin = text(rs, 5);
        t.has_deadline = integer(rs, 6) != 0;
        t.deadline_text = text(rs, 7);
        t.deadline_due = text(rs, 8);
        t.deadline_set = text(rs, 9);
        t.reports_until = text(rs, 10);
        t.reported = integer(rs, 11) != 0;
        t.escalated_at = text(rs, 12);
        std::vector<std::string> names, roles;
        Id task_id = t.id;
        s << "SELECT d.name, a.role FROM assignments a JOIN departments d ON d.id ="
             " a.department_id LEFT JOIN task_items i ON i.id = a.item_id"
             " WHERE a.task_id = $1 AND a.retired_at IS NULL AND a.reports_until IS NULL"
             " ORDER BY COALESCE(i.ordinal, 0), a.ordinal",
            use(task_id), into(names), into(roles), now;
        for (std::size_t i = 0; i < names.size(); ++i) {
            auto& list = roles[i] == "lead" ? t.lead : t.co;
            if (std::find(list.begin(), list.end(), names[i]) == list.end()) {
                list.push_back(names[i]);
            }
        }
        return t;
    });
}

void TaskStore::set_stage(const core::PlanInfo& plan, const TaskRecord& task, core::TaskStage stage,
                          const std::optional<std::string>& reports_until, const TaskAudit& audit,
                          std::int64_t now_ms) {
    database_.write([&](Session& s) {
        std::string next = core::to_string(stage);
        Id id = task.id;
        if (reports_until) {
            Poco::Nullable<std::string> until = nullable(*reports_until);
            s << "UPDATE tasks SET stage = $1, reports_until = $2 WHERE id = $3", use(next),
                use(until), use(id), now;
        } else {
            s << "UPDATE tasks SET stage = $1 WHERE id = $2", use(next), use(id), now;
        }
        append_task_audit(s, plan, task.number, audit, now_ms);
    });
}

void TaskStore::set_deadline(const core::PlanInfo& plan, const TaskRecord& task,
                             const std::string& due, const TaskAudit& audit, std::int64_t now_ms) {
    database_.write([&](Session& s) {
        std::string d = due;
        Id id = task.id;
        s << "UPDATE tasks SET deadline_set = $1 WHERE id = $2", use(d), use(id), now;
        append_task_audit(s, plan, task.number, audit, now_ms);
    });
}

std::optional<ClosureRecord> TaskStore::closure(const TaskRecord& task) {
    return database_.read([&](Session& s) -> std::optional<ClosureRecord> {
        Statement st(s);
        Id task_id = task.id;
        st << "SELECT id, round, department, state, step, resume_step, previous_step,"
              " entered_by, assignee, step_actors, version, content, created_at, updated_at"
              " FROM task_closures WHERE task_id = $1 ORDER BY round DESC LIMIT 1",
            use(task_id);
        st.execute();
        RecordSet rs(st);
        if (!rs.moveFirst()) {
            return std::nullopt;
        }
        ClosureRecord c;
        c.id = integer(rs, 0);
        c.round = static_cast<int>(integer(rs, 1));
        c.department = text(rs, 2);
        c.position.exists = true;
        c.position.state =
            core::report_state_from_string(text(rs, 3)).value_or(core::ReportState::draft);
        c.position.step = text(rs, 4);
        c.position.resume_step = text(rs, 5);
        c.position.previous_step = text(rs, 6);
        c.position.entered_by = text(rs, 7);
        c.position.assignee = text(rs, 8);
        c.position.step_actors = decode_step_actors(text(rs, 9));
        c.position.version = static_cast<int>(integer(rs, 10));
        c.content = text(rs, 11);
        c.created_at = text(rs, 12);
        c.updated_at = text(rs, 13);
        return c;
    });
}

ClosureRecord TaskStore::save_closure(const core::PlanInfo& plan, const TaskRecord& task,
                                      ClosureRecord c, const TaskAudit& audit,
                                      std::int64_t now_ms) {
    return database_.write([&](Session& s) {
        const std::string at = iso_utc(now_ms);
        std::string state = core::to_string(c.position.state);
        std::string step = c.position.step, resume = c.position.resume_step,
                    previous = c.position.previous_step, entered = c.position.entered_by,
                    assignee = c.position.assignee,
                    actors = encode_step_actors(c.position.step_actors);
        int version = c.position.version;
        std::string updated = at, since = at;
        if (c.id == 0) {
            Id task_id = task.id;
            int round = c.round;
            std::string department = c.department, created = at;
            s << "INSERT INTO task_closures (task_id, round, department, state, step,"
                 " resume_step, previous_step, entered_by, assignee, step_actors, version,"
                 " content, created_at, updated_at, step_since) VALUES ($1, $2, $3, $4, $5, $6,"
                 " $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
                use(task_id), use(round), use(department), use(state), use(step), use(resume),
                use(previous), use(entered), use(assignee), use(actors), use(version),
                use(c.content), use(created), use(updated), use(since), into(c.id), now;
            c.created_at = at;
        } else {
            Id id = c.id;
            // The step's waiting time starts again when the application moves
            // to another step or state, not when it is handed over or saved.
            std::string same_step = step, same_state = state;
            s << "UPDATE task_closures SET step_since = CASE WHEN step = $1 AND state = $2"
                 " THEN COALESCE(step_since, updated_at) ELSE $3 END, state = $4, step = $5,"
                 " resume_step = $6, previous_step = $7, entered_by = $8, assignee = $9,"
                 " step_actors = $10, version = $11, content = $12, updated_at = $13"
                 " WHERE id = $14",
                use(same_step), use(same_state), use(since), use(state), use(step), use(resume),
                use(previous), use(entered), use(assignee), use(actors), use(version),
                use(c.content), use(updated), use(id), now;
        }
        c.updated_at = at;
        append_task_audit(s, plan, task.number, audit, now_ms);
        return c;
    });
}

std::int64_t TaskStore::add_extension(const core::PlanInfo& plan, const TaskRecord& task,
                                      const ExtensionRecord& request, const TaskAudit& audit,
                                      std::int64_t now_ms) {
    return database_.write([&](Session& s) {
        Id task_id = task.id;
        Id id = 0;
        std::string department = request.department, by = request.requested_by,
                    at = iso_utc(now_ms), to = request.to_due, reason = request.reason,
                    state = core::to_string(core::ExtensionState::requested);
        Poco::Nullable<std::string> from = nullable(request.from_due);
        s << "INSERT INTO task_extensions (task_id, department, requested_by, requested_at,"
             " from_due, to_due, reason, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
             " RETURNING id",
            use(task_id), use(department), use(by), use(at), use(from), use(to), use(reason),
            use(state), into(id), now;
        TaskAudit a = audit;
        a.detail = "{\"extension\":" + std::to_string(id) + "}";
        append_task_audit(s, plan, task.number, a, now_ms);
        return static_cast<std::int64_t>(id);
    });
}

namespace {

std::vector<ExtensionRecord> read_extensions(Session& s, Id plan_id, const std::string& task,
                                             Id id) {
    Statement st(s);
    std::string t = task;
    st << "SELECT e.id, tk.number, e.department, e.requested_by, e.requested_at,"
          " COALESCE(e.from_due, ''), e.to_due, e.reason, e.state, e.leader, e.leader_opinion,"
          " e.decided_by, COALESCE(e.decided_at, ''), e.decision_reason"
          " FROM task_extensions e JOIN tasks tk ON tk.id = e.task_id"
          " WHERE tk.plan_id = $1 AND ($2 = '' OR tk.number = $3) AND ($4 = 0 OR e.id = $5)"
          " ORDER BY e.id",
        use(plan_id), use(t), use(t), use(id), use(id);
    st.execute();
    RecordSet rs(st);
    std::vector<ExtensionRecord> out;
    for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
        ExtensionRecord e;
        e.id = integer(rs, 0);
        e.task_number = text(rs, 1);
        e.department = text(rs, 2);
        e.requested_by = text(rs, 3);
        e.requested_at = text(rs, 4);
        e.from_due = text(rs, 5);
        e.to_due = text(rs, 6);
        e.reason = text(rs, 7);
        e.state = core::extension_state_from_string(text(rs, 8))
                      .value_or(core::ExtensionState::requested);
        e.leader = text(rs, 9);
        e.leader_opinion = text(rs, 10);
        e.decided_by = text(rs, 11);
        e.decided_at = text(rs, 12);
        e.decision_reason = text(rs, 13);
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace

ExtensionRecord TaskStore::extension(const core::PlanInfo& plan, std::int64_t id) {
    return database_.read([&](Session& s) {
        auto found = read_extensions(s, plan.id, "", id);
        if (found.empty()) {
            throw NotFound("extension request " + std::to_string(id) + " is not in plan '" +
                           plan.key + "'");
        }
        return found.front();
    });
}

std::vector<ExtensionRecord> TaskStore::extensions(const core::PlanInfo& plan,
                                                   const std::string& task_number) {
    return database_.read([&](Session& s) { return read_extensions(s, plan.id, task_number, 0); });
}

void TaskStore::update_extension(const core::PlanInfo& plan, const TaskRecord& task,
                                 const ExtensionRecord& e, const TaskAudit& audit,
                                 std::int64_t now_ms) {
    database_.write([&](Session& s) {
        Id id = e.id;
        std::string state = core::to_string(e.state), leader = e.leader, opinion = e.leader_opinion,
                    by = e.decided_by, reason = e.decision_reason;
        Poco::Nullable<std::string> at = nullable(e.decided_at);
        // Endorsed by the leader in charge: the reform office's turn from now.
        int endorsing = e.state == core::ExtensionState::endorsed ? 1 : 0;
        std::string now_at = iso_utc(now_ms);
        s << "UPDATE task_extensions SET endorsed_at = CASE WHEN $1 = 1 AND state <> 'endorsed'"
             " THEN $2 ELSE endorsed_at END, state = $3, leader = $4, leader_opinion = $5,"
             " decided_by = $6, decided_at = $7, decision_reason = $8 WHERE id = $9",
            use(endorsing), use(now_at), use(state), use(leader), use(opinion), use(by), use(at),
            use(reason), use(id), now;
        TaskAudit a = audit;
        a.detail = "{\"extension\":" + std::to_string(e.id) + "}";
        append_task_audit(s, plan, task.number, a, now_ms);
    });
}

std::string TaskStore::add_task(const core::PlanInfo& plan, const NewTask& task,
                                const TaskAudit& audit, std::int64_t now_ms) {
    return database_.write([&](Session& s) {
        Id plan_id = plan.id;
        std::string section = task.section;
        std::vector<Id> section_ids;
        s << "SELECT id FROM sections WHERE plan_id = $1 AND number = $2 AND retired_at IS NULL",
            use(plan_id), use(section), into(section_ids), now;
        if (section_ids.empty()) {
            throw NotFound("section '" + task.section + "' is not in plan '" + plan.key + "'");
        }
        std::vector<std::string> numbers;
        std::vector<int> ordinals;
        s << "SELECT number, ordinal FROM tasks WHERE plan_id = $1", use(plan_id), into(numbers),
            into(ordinals), now;
        int max_ordinal = 0;
        long max_number = 0;
        for (std::size_t i = 0; i < numbers.size(); ++i) {
            max_ordinal = std::max(max_ordinal, ordinals[i]);
            if (!numbers[i].empty() &&
                numbers[i].find_first_not_of("0123456789") == std::string::npos &&
                numbers[i].size() < 10) {
                max_number = std::max(max_number, std::stol(numbers[i]));
            }
        }
        std::string number = task.number.empty() ? std::to_string(max_number + 1) : task.number;
        if (std::find(numbers.begin(), numbers.end(), number) != numbers.end()) {
            throw std::invalid_argument("number: task '" + number + "' is already in plan '" +
                                        plan.key + "'");
        }
        // After the last task of its section, before the next section's first.
        std::vector<int> in_section;
        Id sid = section_ids[0];
        s << "SELECT COALESCE(MAX(ordinal), 0) FROM tasks WHERE section_id = $1", use(sid),
            into(in_section), now;
        int ordinal = in_section.empty() || in_section[0] == 0 ? max_ordinal + 1 : in_section[0];
        s << "UPDATE tasks SET ordinal = ordinal + 1 WHERE plan_id = $1 AND ordinal > $2",
            use(plan_id), use(ordinal), now;
        ordinal += 1;
        std::string title = task.title, body = task.body, label = number, origin = "adjustment",
                    where = "";
        Poco::Nullable<std::string> deadline_text, deadline_due;
        if (!task.deadline_text.empty() || !task.deadline_due.empty()) {
            deadline_text = task.deadline_text.empty() ? task.deadline_due : task.deadline_text;
            deadline_due = nullable(task.deadline_due);
        }
        Id id = 0;
        s << "INSERT INTO tasks (plan_id, section_id, number, ordinal, title, body, label,"
             " deadline_text, deadline_due, source_where, origin)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            use(plan_id), use(sid), use(number), use(ordinal), use(title), use(body), use(label),
            use(deadline_text), use(deadline_due), use(where), use(origin), into(id), now;
        append_task_audit(s, plan, number, audit, now_ms);
        return number;
    });
}

TaskStore::AssignOutcome TaskStore::assign(const core::PlanInfo& plan, const TaskRecord& task,
                                           const std::vector<std::string>& lead,
                                           const std::vector<std::string>& co,
                                           const std::string& until_month,
                                           const std::string& from_month, const TaskAudit& audit,
                                           std::int64_t now_ms) {
    return database_.write([&](Session& s) {
        AssignOutcome outcome;
        Id task_id = task.id;
        std::vector<Id> ids;
        std::vector<std::string> names, roles;
        std::vector<int> active;
        s << "SELECT a.id, d.name, a.role, CASE WHEN a.retired_at IS NULL AND"
             " a.reports_until IS NULL THEN 1 ELSE 0 END FROM assignments a"
             " JOIN departments d ON d.id = a.department_id"
             " WHERE a.task_id = $1 AND a.item_id IS NULL ORDER BY a.ordinal, a.id",
            use(task_id), into(ids), into(names), into(roles), into(active), now;
        std::vector<std::pair<std::string, std::string>> wanted;
        for (const auto& d : lead) {
            wanted.emplace_back(d, "lead");
        }
        for (const auto& d : co) {
            wanted.emplace_back(d, "co");
        }
        int ordinal = 0;
        for (const auto& [name, role_ref] : wanted) {
            ++ordinal;
            std::string role = role_ref;
            const auto at = std::find(names.begin(), names.end(), name);
            if (at == names.end()) {
                Id department = department_id(s, name);
                std::string written = name, from = from_month;
                s << "INSERT INTO assignments (task_id, department_id, role, ordinal, written_as,"
                     " reports_from) VALUES ($1, $2, $3, $4, $5, $6)",
                    use(task_id), use(department), use(role), use(ordinal), use(written), use(from),
                    now;
                outcome.added.push_back(name);
                continue;
            }
            const std::size_t i = static_cast<std::size_t>(at - names.begin());
            Id id = ids[i];
            if (active[i] == 0) {
                std::string from = from_month;
                s << "UPDATE assignments SET role = $1, ordinal = $2, retired_at = NULL,"
                     " reports_until = NULL, reports_from = $3 WHERE id = $4",
                    use(role), use(ordinal), use(from), use(id), now;
                outcome.added.push_back(name);
            } else {
                if (roles[i] != role) {
                    outcome.changed.push_back(name);
                }
                s << "UPDATE assignments SET role = $1, ordinal = $2 WHERE id = $3", use(role),
                    use(ordinal), use(id), now;
            }
        }
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const bool kept = std::any_of(wanted.begin(), wanted.end(),
                                          [&](const auto& w) { return w.first == names[i]; });
            if (kept || active[i] == 0) {
                continue;
            }
            Id id = ids[i];
            std::string until = until_month;
            s << "UPDATE assignments SET reports_until = $1 WHERE id = $2", use(until), use(id),
                now;
            outcome.ended.push_back(names[i]);
        }
        TaskAudit a = audit;
        rapidjson::StringBuffer buffer;
        json::Writer w(buffer);
        w.StartObject();
        w.Key("lead");
        json::write_strings(w, lead);
        w.Key("co");
        json::write_strings(w, co);
        w.Key("added");
        json::write_strings(w, outcome.added);
        w.Key("ended");
        json::write_strings(w, outcome.ended);
        w.Key("role_changed");
        json::write_strings(w, outcome.changed);
        w.Key("reports_from");
        json::write_string(w, from_month);
        w.EndObject();
        a.detail.assign(buffer.GetString(), buffer.GetSize());
        append_task_audit(s, plan, task.number, a, now_ms);
        return outcome;
    });
}

std::vector<core::OpenTaskDeadline> TaskStore::open_deadlines(const core::Date& horizon) {
    return database_.read([&](Session& s) {
        Statement st(s);
        std::string by = horizon.iso();
        st << "SELECT t.id, t.plan_id, t.number, t.title,"
              " COALESCE(NULLIF(t.deadline_set, ''), t.deadline_due),"
              " CASE WHEN COALESCE(t.deadline_set, '') = '' THEN 0 ELSE 1 END,"
              " COALESCE(d.name, '')"
              " FROM tasks t"
              " LEFT JOIN assignments a ON a.task_id = t.id AND a.role = 'lead'"
              "  AND a.retired_at IS NULL AND a.reports_until IS NULL"
              " LEFT JOIN departments d ON d.id = a.department_id"
              " LEFT JOIN task_items i ON i.id = a.item_id"
              " WHERE t.retired_at IS NULL AND t.stage = 'open'"
              " AND COALESCE(NULLIF(t.deadline_set, ''), t.deadline_due) IS NOT NULL"
              " AND COALESCE(NULLIF(t.deadline_set, ''), t.deadline_due) <= $1"
              " ORDER BY t.id, COALESCE(i.ordinal, 0), a.ordinal",
            use(by);
        st.execute();
        RecordSet rs(st);
        std::vector<core::OpenTaskDeadline> out;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
            const std::int64_t id = integer(rs, 0);
            if (out.empty() || out.back().task_id != id) {
                const auto due = core::Date::parse(text(rs, 4));
                if (!due) {
                    continue;  // a deadline that is not a date is never reminded
                }
                core::OpenTaskDeadline t;
                t.task_id = id;
                t.plan_id = integer(rs, 1);
                t.number = text(rs, 2);
                t.title = text(rs, 3);
                t.due = *due;
                t.extended = integer(rs, 5) != 0;
                out.push_back(std::move(t));
            }
            const std::string lead = text(rs, 6);
            auto& list = out.back().lead;
            if (!lead.empty() && std::find(list.begin(), list.end(), lead) == list.end()) {
                list.push_back(lead);
            }
        }
        return out;
    });
}

std::vector<std::string> TaskStore::tasks_with_open_closures(const core::PlanInfo& plan) {
    return database_.read([&](Session& s) {
        Id plan_id = plan.id;
        std::vector<std::string> numbers;
        s << "SELECT t.number FROM tasks t JOIN task_closures c ON c.task_id = t.id"
             " WHERE t.plan_id = $1 AND t.retired_at IS NULL"
             " AND t.stage IN ('open', 'closure_requested') AND c.state <> 'filed'"
             " AND c.round = (SELECT MAX(l.round) FROM task_closures l WHERE l.task_id = t.id)"
             " ORDER BY t.id",
            use(plan_id), into(numbers), now;
        return numbers;
    });
}

std::vector<core::PendingTaskApproval> TaskStore::pending_approvals(const std::string& first_step) {
    return database_.read([&](Session& s) {
        std::vector<core::PendingTaskApproval> out;
        {
            Statement st(s);
            std::string first = first_step;
            st << "SELECT c.id, t.plan_id, t.number, t.title, c.department, c.step, c.assignee,"
                  " COALESCE(c.step_since, c.updated_at)"
                  " FROM task_closures c JOIN tasks t ON t.id = c.task_id"
                  " WHERE t.retired_at IS NULL AND t.stage IN ('open', 'closure_requested')"
                  " AND (c.state = 'in_approval' OR (c.state = 'returned' AND c.step <> $1))"
                  " AND c.round = (SELECT MAX(l.round) FROM task_closures l"
                  "  WHERE l.task_id = c.task_id)"
                  " ORDER BY c.id",
                use(first);
            st.execute();
            RecordSet rs(st);
            for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
                const auto since = court_date_of(text(rs, 7));
                if (!since) {
                    continue;
                }
                core::PendingTaskApproval p;
                p.kind = core::PendingTaskApproval::Kind::closure;
                p.id = integer(rs, 0);
                p.plan_id = integer(rs, 1);
                p.task_number = text(rs, 2);
                p.task_title = text(rs, 3);
                p.department = text(rs, 4);
                p.step = text(rs, 5);
                p.assignee = text(rs, 6);
                p.since = *since;
                out.push_back(std::move(p));
            }
        }
        Statement st(s);
        st << "SELECT e.id, t.plan_id, t.number, t.title, e.department, e.state,"
              " CASE WHEN e.state = 'endorsed' THEN COALESCE(e.endorsed_at, e.requested_at)"
              " ELSE e.requested_at END"
              " FROM task_extensions e JOIN tasks t ON t.id = e.task_id"
              " WHERE t.retired_at IS NULL AND t.stage IN ('open', 'closure_requested')"
              " AND e.state IN ('requested', 'endorsed')"
              " ORDER BY e.id";
        st.execute();
        RecordSet rs(st);
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
            const auto since = court_date_of(text(rs, 6));
            if (!since) {
                continue;
            }
            core::PendingTaskApproval p;
            p.kind = core::PendingTaskApproval::Kind::extension;
            p.id = integer(rs, 0);
            p.plan_id = integer(rs, 1);
            p.task_number = text(rs, 2);
            p.task_title = text(rs, 3);
            p.department = text(rs, 4);
            p.step = text(rs, 5);
            p.since = *since;
            out.push_back(std::move(p));
        }
        return out;
    });
}

bool TaskStore::record_escalation(std::int64_t task_id, const std::string& due,
                                  int overdue_working_days, std::int64_t now_ms) {
    return database_.write([&](Session& s) {
        Id task = task_id;
        std::string d = due, at = iso_utc(now_ms);
        int late = overdue_working_days;
        std::vector<Id> inserted;
        s << "INSERT INTO task_escalations (task_id, due, overdue_working_days, escalated_at)"
             " VALUES ($1, $2, $3, $4) ON CONFLICT (task_id, due) DO NOTHING RETURNING id",
            use(task), use(d), use(late), use(at), into(inserted), now;
        return !inserted.empty();
    });
}

}  // namespace rl::storage
