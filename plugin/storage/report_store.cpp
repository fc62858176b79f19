#include "storage/report_store.h"
#include "storage/record_set.h"
#include "storage/step_actors.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "storage/audit.h"
#include "storage/cursor.h"
#include "storage/plan_store.h"
#include "storage/reader_statements.h"
#include "storage/statement_cache.h"

using Poco::Data::RecordSet;
using Poco::Data::Session;
using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace rl::storage {

namespace {

using Id = Poco::Int64;

constexpr const char* kViewColumns =
    "SELECT o.id, t.number, t.title, COALESCE(i.number, ''), d.name, a.role, o.period,"
    " o.period_month, o.due_date, CASE WHEN o.waived_at IS NULL THEN 0 ELSE 1 END,"
    " COALESCE(o.waived_by, ''),"
    " COALESCE(o.waive_reason, ''), COALESCE(r.id, 0), COALESCE(r.state, ''),"
    " COALESCE(r.step, ''), COALESCE(r.resume_step, ''), COALESCE(r.previous_step, ''),"
    " COALESCE(r.entered_by, ''), COALESCE(r.assignee, ''), COALESCE(r.version, 0),"
    " COALESCE(r.content, ''), COALESCE(r.step_since, ''), COALESCE(r.updated_at, ''),"
    " (SELECT COUNT(*) FROM urges u WHERE u.obligation_id = o.id),"
    " (SELECT CASE WHEN SUM(CASE WHEN e.level = 'accountability' THEN 1 ELSE 0 END) > 0"
    "   THEN 'accountability'"
    "   WHEN COUNT(*) > 0 THEN 'escalation' ELSE '' END"
    "  FROM escalations e WHERE e.obligation_id = o.id),"
    " COALESCE(r.step_actors, '')"
    " FROM obligations o"
    " JOIN assignments a ON a.id = o.assignment_id"
    " JOIN tasks t ON t.id = a.task_id"
    " LEFT JOIN task_items i ON i.id = a.item_id"
    " JOIN departments d ON d.id = a.department_id"
    " LEFT JOIN reports r ON r.obligation_id = o.id"
    " WHERE t.plan_id = $1 AND a.retired_at IS NULL";

// Whether the assignment owes a report in the month ($2 or $3, given three
// times): not after its task was closed or cancelled (tasks.reports_until),
// not before it was assigned during the year, not after it was ended
// (assignments.reports_from / reports_until; core/task_lifecycle.h).
constexpr const char* kOwesReportsIn2 =
    " AND (t.reports_until IS NULL OR t.reports_until >= $2)"
    " AND (a.reports_from IS NULL OR a.reports_from <= $3)"
    " AND (a.reports_until IS NULL OR a.reports_until >= $4)";
constexpr const char* kOwesReportsIn3 =
    " AND (t.reports_until IS NULL OR t.reports_until >= $3)"
    " AND (a.reports_from IS NULL OR a.reports_from <= $4)"
    " AND (a.reports_until IS NULL OR a.reports_until >= $5)";

// Open up to a month ($2): not waived, not yet filed, of any period ending
// in the month or before (o and r as in kViewColumns). closed_at is set in
// the transaction that files or waives, so "closed_at IS NULL" says the same
// and lets the index of open obligations (0013) skip the filed history.
constexpr const char* kOpenUpTo2 =
    " AND o.period_month <= $2 AND o.closed_at IS NULL AND o.waived_at IS NULL"
    " AND COALESCE(r.state, '') <> 'filed'";

constexpr const char* kViewOrder =
    " ORDER BY o.period_month, t.ordinal, COALESCE(i.ordinal, 0), a.ordinal";

// A row of kViewColumns, from a RecordSet or a Cursor.
std::int64_t integer(const Cursor& row, std::size_t column) {
    return row.integer(static_cast<int>(column));
}
std::string text(const Cursor& row, std::size_t column) {
    return row.text(static_cast<int>(column));
}
using storage::integer;
using storage::text;

template <typename Row>
ObligationView view_of(Row& row) {
    ObligationView v;
    v.id = integer(row, 0);
    v.task_number = text(row, 1);
    v.task_title = text(row, 2);
    v.item_number = text(row, 3);
    v.department = text(row, 4);
    v.role = text(row, 5);
    v.period = text(row, 6);
    v.period_month = text(row, 7);
    v.due_date = text(row, 8);
    v.waived = integer(row, 9) != 0;
    v.waived_by = text(row, 10);
    v.waive_reason = text(row, 11);
    v.report_id = integer(row, 12);
    if (v.report_id != 0) {
        core::ReportPosition p;
        p.exists = true;
        p.state = core::report_state_from_string(text(row, 13)).value_or(core::ReportState::draft);
        p.step = text(row, 14);
        p.resume_step = text(row, 15);
        p.previous_step = text(row, 16);
        p.entered_by = text(row, 17);
        p.assignee = text(row, 18);
        p.version = static_cast<int>(integer(row, 19));
        v.report = p;
        v.content = text(row, 20);
        v.step_since = text(row, 21);
        v.updated_at = text(row, 22);
        v.report->step_actors = decode_step_actors(text(row, 25));
    }
    v.urges = static_cast<int>(integer(row, 23));
    v.escalation = text(row, 24);
    return v;
}

// A report's state and step in columns at and at + 1 (COALESCE'd to ''):
// none when there is no report.
std::optional<core::ReportPosition> position_at(const Cursor& row, int at) {
    const std::string state = row.text(at);
    if (state.empty()) {
        return std::nullopt;
    }
    core::ReportPosition p;
    p.exists = true;
    p.state = core::report_state_from_string(state).value_or(core::ReportState::draft);
    p.step = row.text(at + 1);
    return p;
}

std::vector<ObligationView> read_views(Statement& statement) {
    statement.execute();
    RecordSet rs(statement);
    std::vector<ObligationView> out;
    for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
        out.push_back(view_of(rs));
    }
    return out;
}

std::vector<ObligationView> read_views(Cursor& rows) {
    std::vector<ObligationView> out;
    while (rows.step()) {
        out.push_back(view_of(rows));
    }
    return out;
}

std::string describe(const ObligationKey& key) {
    return "task " + key.task + (key.item.empty() ? "" : " item (" + key.item + ")") + ", " +
           key.department + ", period " + key.period;
}

const std::string& find_sql() {
    static const std::string sql =
        std::string(kViewColumns) +
        " AND t.number = $2 AND COALESCE(i.number, '') = $3 AND d.name = $4 AND o.period = $5";
    return sql;
}

// cache: where the statement is kept prepared (inside a write), or null.
ObligationView find(Session& s, const core::PlanInfo& plan, const ObligationKey& key,
                    StatementCache* cache = nullptr) {
    Cursor rows = cache != nullptr ? cache->use(s, find_sql()) : Cursor(s, find_sql());
    rows.bind(plan.id).bind(key.task).bind(key.item).bind(key.department).bind(key.period);
    if (!rows.step()) {
        throw ReportStore::no_obligation(plan, key);
    }
    return view_of(rows);
}

const std::string& co_views_sql() {
    static const std::string sql =
        std::string(kViewColumns) +
        " AND t.number = $2 AND COALESCE(i.number, '') = $3 AND o.period = $4 AND a.role = 'co'" +
        kViewOrder;
    return sql;
}

std::vector<std::string> co_reports_missing(Session& s, const core::PlanInfo& plan,
                                            const ObligationView& lead,
                                            StatementCache* cache = nullptr) {
    std::vector<std::string> missing;
    if (lead.role != "lead") {
        return missing;
    }
    Cursor rows = cache != nullptr ? cache->use(s, co_views_sql()) : Cursor(s, co_views_sql());
    rows.bind(plan.id).bind(lead.task_number).bind(lead.item_number).bind(lead.period);
    for (const auto& co : read_views(rows)) {
        const bool reported = co.report && (co.report->state == core::ReportState::in_approval ||
                                            co.report->state == core::ReportState::filed);
        if (!co.waived && !reported) {
            missing.push_back(co.department);
        }
    }
    return missing;
}

// The audit row for an action on an obligation's report.
void audit_action(Session& s, const std::string& at, const core::PlanInfo& plan,
                  const ObligationView& v, const std::string& actor, const std::string& acting_for,
                  const std::string& role, const std::string& action,
                  const std::optional<core::ReportPosition>& before,
                  const std::optional<core::ReportPosition>& after, const std::string& reason,
                  const std::string& version_sha256, StatementCache* cache = nullptr) {
    AuditRecord r = audit_of(at, actor, role, action, plan.id, v.task_number, v.item_number,
                             v.department, v.period, v.id);
    r.acting_for = acting_for;
    r.report_id = v.report_id;
    r.from_state = before && before->exists ? core::to_string(before->state) : "";
    r.to_state = after ? core::to_string(after->state) : r.from_state;
    r.from_step = before && before->exists ? before->step : "";
    r.to_step = after ? after->step : r.from_step;
    r.reason = reason;
    if (after) {
        r.report_version = after->version;
    } else if (before && before->exists) {
        r.report_version = before->version;
    }
    r.version_sha256 = version_sha256;
    cache != nullptr ? append_audit(s, r, *cache) : append_audit(s, r);
}

// INSERT of n obligations in one statement: a month's opening writes a row
// for every assignment (3,000 on a 999-task plan), one round trip each on
// PostgreSQL when inserted one by one.
const std::string& insert_obligations_sql(std::size_t n) {  // n: 1, 2, 4 … 64
    static const std::map<std::size_t, std::string> texts = [] {
        std::map<std::size_t, std::string> out;
        for (std::size_t rows = 1; rows <= 64; rows *= 2) {
            std::string sql =
                "INSERT INTO obligations (assignment_id, period, period_month, due_date) VALUES";
            for (std::size_t row = 0; row < rows; ++row) {
                const std::size_t p = row * 4;
                sql += (row == 0 ? " ($" : ", ($") + std::to_string(p + 1) + ", $" +
                       std::to_string(p + 2) + ", $" + std::to_string(p + 3) + ", $" +
                       std::to_string(p + 4) + ")";
            }
            out.emplace(rows, sql + " ON CONFLICT DO NOTHING");
        }
        return out;
    }();
    return texts.at(n);
}
}  // namespace

int ReportStore::ensure_obligations(const core::PlanInfo& plan, int year, int month,
                                    const core::ReportingPolicy& policy,
                                    const core::WorkingCalendar& calendar) {
    return database_.write([&](Session& s) {
        const std::string month_key = core::Period{core::Cycle::monthly, year, month}.key();
        // What each assignment owes in the month: a period ending in it, and its due date
        // (the same for every assignment of a task).
        struct Period {
            std::string key, due;
        };
        struct Owed {
            std::int64_t assignment;
            const Period* period;
        };
        std::map<std::string, std::optional<Period>> by_task;
        std::vector<Owed> owed;
        {
            Cursor q(s,
                     "SELECT a.id, t.number FROM assignments a JOIN tasks t ON t.id = a.task_id"
                     " WHERE t.plan_id = $1 AND a.retired_at IS NULL AND t.retired_at IS NULL" +
                         std::string(kOwesReportsIn2) + " ORDER BY a.id");
            q.bind(plan.id).bind(month_key).bind(month_key).bind(month_key);
            while (q.step()) {
                const std::string task = q.text(1);
                auto found = by_task.find(task);
                if (found == by_task.end()) {
                    std::optional<Period> period;
                    if (const auto p =
                            policy.period_in_month(policy.cycle_for(plan.key, task), year, month)) {
                        period = Period{p->key(), policy.due_date(*p, calendar).iso()};
                    }
                    found = by_task.emplace(task, std::move(period)).first;
                }
                if (found->second) {
                    owed.push_back({q.integer(0), &*found->second});
                }
            }
        }
        // Inserted in statements of 64, 32, … 1 rows: few round trips, and few
        // statement texts to keep prepared.
        int created = 0;
        std::size_t at = 0;
        for (std::size_t rows = 64; rows > 0; rows /= 2) {
            for (; owed.size() - at >= rows; at += rows) {
                Cursor insert = hot_->use(s, insert_obligations_sql(rows));
                for (std::size_t k = at; k < at + rows; ++k) {
                    insert.bind(owed[k].assignment)
                        .bind(owed[k].period->key)
                        .bind(month_key)
                        .bind(owed[k].period->due);
                }
                created += insert.run();
            }
        }
        if (created >= kBulkRows) {
            refresh_statistics(s, "obligations, assignments, tasks, reports");
        }
        return created;
    });
}

// Each write first opens its month if nobody has (Context::open_month):
// inside a write the check's statement is kept prepared (hot_).
bool ReportStore::has_obligations(const core::PlanInfo& plan, const std::string& month) {
    static const std::string sql =
        "SELECT COUNT(*) FROM (SELECT 1 FROM obligations o"
        " JOIN assignments a ON a.id = o.assignment_id JOIN tasks t ON t.id = a.task_id"
        " WHERE o.period_month = $1 AND t.plan_id = $2 LIMIT 1) AS found";
    StatementCache* cache = database_.writing() ? hot_.get() : nullptr;
    return database_.read([&](Session& s) {
        Cursor found = cache != nullptr ? cache->use(s, sql) : ReaderStatements::cursor(s, sql);
        found.bind(month).bind(plan.id);
        return found.step() && found.integer(0) != 0;
    });
}

std::vector<ObligationView> ReportStore::unopened_obligations(
    const core::PlanInfo& plan, int year, int month, const core::ReportingPolicy& policy,
    const core::WorkingCalendar& calendar) {
    return database_.read([&](Session& s) {
        const std::string month_key = core::Period{core::Cycle::monthly, year, month}.key();
        Statement st(s);
        Id plan_id = plan.id;
        std::string m = month_key;
        // The assignments ensure_obligations would give an obligation, less
        // those that have one this month already.
        st << "SELECT a.id, t.number, t.title, COALESCE(i.number, ''), d.name, a.role"
              " FROM assignments a JOIN tasks t ON t.id = a.task_id"
              " LEFT JOIN task_items i ON i.id = a.item_id"
              " JOIN departments d ON d.id = a.department_id"
              " WHERE t.plan_id = $1 AND a.retired_at IS NULL AND t.retired_at IS NULL"
              " AND NOT EXISTS (SELECT 1 FROM obligations o WHERE o.assignment_id = a.id"
              "  AND o.period_month = $2)" +
                  std::string(kOwesReportsIn3) +
                  " ORDER BY t.ordinal, COALESCE(i.ordinal, 0), a.ordinal",
            use(plan_id), use(m), use(m), use(m), use(m);
        st.execute();
        RecordSet rs(st);
        std::vector<ObligationView> out;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
            ObligationView v;
            v.task_number = text(rs, 1);
            const auto p =
                policy.period_in_month(policy.cycle_for(plan.key, v.task_number), year, month);
            if (!p) {
                continue;
            }
            v.task_title = text(rs, 2);
            v.item_number = text(rs, 3);
            v.department = text(rs, 4);
            v.role = text(rs, 5);
            v.period = p->key();
            v.period_month = month_key;
            v.due_date = policy.due_date(*p, calendar).iso();
            out.push_back(std::move(v));
        }
        return out;
    });
}

NotFound ReportStore::no_obligation(const core::PlanInfo& plan, const ObligationKey& key) {
    return NotFound("no reporting obligation for " + describe(key) + " in plan '" + plan.key +
                    "' (is the department assigned to the task, and is the period one it "
                    "reports for?)");
}

std::optional<std::string> ReportStore::latest_month(const core::PlanInfo& plan) {
    return database_.read([&](Session& s) -> std::optional<std::string> {
        Id plan_id = plan.id;
        Poco::Nullable<std::string> month;
        // Per assignment, through the (assignment, month) index: the cost
        // follows the plan's size, not the ledger's history.
        s << "SELECT MAX(m) FROM (SELECT (SELECT MAX(o.period_month) FROM obligations o"
             " WHERE o.assignment_id = a.id) AS m FROM assignments a"
             " JOIN tasks t ON t.id = a.task_id WHERE t.plan_id = $1) AS latest",
            use(plan_id), into(month), now;
        if (month.isNull()) {
            return std::nullopt;
        }
        return month.value();
    });
}

std::vector<ObligationView> ReportStore::obligations(const core::PlanInfo& plan,
                                                     const std::string& month,
                                                     const std::string& department,
                                                     const std::string& task) {
    return database_.read([&](Session& s) {
        Statement st(s);
        Id plan_id = plan.id;
        std::string m = month, d = department, t = task;
        st << std::string(kViewColumns) +
                  " AND o.period_month = $2 AND ($3 = '' OR d.name = $4) AND ($5 = '' OR t.number "
                  "= "
                  "$6)" +
                  kViewOrder,
            use(plan_id), use(m), use(d), use(d), use(t), use(t);
        return read_views(st);
    });
}

std::vector<LeadPosition> ReportStore::lead_positions(const core::PlanInfo& plan,
                                                      const std::string& month) {
    return database_.read([&](Session& s) {
        static const std::string sql =
            "SELECT t.number, CASE WHEN o.waived_at IS NULL THEN 0 ELSE 1 END, o.due_date,"
            " COALESCE(r.state, ''), COALESCE(r.step, '')"
            " FROM obligations o JOIN assignments a ON a.id = o.assignment_id"
            " JOIN tasks t ON t.id = a.task_id LEFT JOIN reports r ON r.obligation_id = o.id"
            " WHERE t.plan_id = $1 AND o.period_month = $2 AND a.retired_at IS NULL"
            " AND a.role = 'lead'";
        Cursor c = ReaderStatements::cursor(s, sql);
        c.bind(plan.id).bind(month);
        std::vector<LeadPosition> out;
        while (c.step()) {
            LeadPosition position;
            position.task_number = c.text(0);
            position.waived = c.integer(1) != 0;
            position.due_date = c.text(2);
            position.report = position_at(c, 3);
            out.push_back(std::move(position));
        }
        return out;
    });
}

const std::string& ReportStore::open_obligations_sql() {
    static const std::string sql = std::string(kViewColumns) + kOpenUpTo2 + kViewOrder;
    return sql;
}

const std::string& ReportStore::open_reports_sql() {
    static const std::string sql =
        "SELECT t.number, d.name, a.role, o.period, o.due_date, COALESCE(r.state, ''),"
        " COALESCE(r.step, '')"
        " FROM obligations o JOIN assignments a ON a.id = o.assignment_id"
        " JOIN tasks t ON t.id = a.task_id JOIN departments d ON d.id = a.department_id"
        " LEFT JOIN task_items i ON i.id = a.item_id"
        " LEFT JOIN reports r ON r.obligation_id = o.id"
        " WHERE t.plan_id = $1 AND a.retired_at IS NULL" +
        std::string(kOpenUpTo2) + kViewOrder;
    return sql;
}

std::vector<ObligationView> ReportStore::open_obligations(const core::PlanInfo& plan,
                                                          const std::string& up_to_month) {
    return database_.read([&](Session& s) {
        Cursor rows = ReaderStatements::cursor(s, open_obligations_sql());
        rows.bind(plan.id).bind(up_to_month);
        return read_views(rows);
    });
}

std::vector<OpenReport> ReportStore::open_reports(const core::PlanInfo& plan,
                                                  const std::string& up_to_month) {
    return database_.read([&](Session& s) {
        Cursor c = ReaderStatements::cursor(s, open_reports_sql());
        c.bind(plan.id).bind(up_to_month);
        std::vector<OpenReport> out;
        while (c.step()) {
            OpenReport open;
            open.task_number = c.text(0);
            open.department = c.text(1);
            open.lead = c.text(2) == "lead";
            open.period = c.text(3);
            open.due_date = c.text(4);
            open.report = position_at(c, 5);
            out.push_back(std::move(open));
        }
        return out;
    });
}

std::vector<ObligationView> ReportStore::handed_over(const core::PlanInfo& plan) {
    return database_.read([&](Session& s) {
        Statement st(s);
        Id plan_id = plan.id;
        st << std::string(kViewColumns) + " AND r.assignee <> '' AND r.state <> 'filed'" +
                  kViewOrder,
            use(plan_id);
        return read_views(st);
    });
}

ObligationView ReportStore::obligation(const core::PlanInfo& plan, const ObligationKey& key) {
    return database_.read([&](Session& s) { return find(s, plan, key); });
}

std::vector<ObligationView> ReportStore::co_obligations(const core::PlanInfo& plan,
                                                        const ObligationView& lead) {
    return database_.read([&](Session& s) {
        Statement st(s);
        Id plan_id = plan.id;
        std::string task = lead.task_number, item = lead.item_number, period = lead.period;
        st << std::string(kViewColumns) +
                  " AND t.number = $2 AND COALESCE(i.number, '') = $3 AND o.period = $4"
                  " AND a.role = 'co'" +
                  kViewOrder,
            use(plan_id), use(task), use(item), use(period);
        return read_views(st);
    });
}

std::vector<std::string> ReportStore::missing_co_reports(const core::PlanInfo& plan,
                                                         const ObligationView& lead) {
    return database_.read([&](Session& s) { return co_reports_missing(s, plan, lead); });
}

ReportStore::ReportStore(Database& database)
    : database_(database), hot_(std::make_unique<StatementCache>()) {}

ReportStore::~ReportStore() = default;

// Every statement of an action is kept prepared (hot_): an action is a few
// one-row writes, and preparing them cost more than running them.
ActOutcome ReportStore::act(
    const core::PlanInfo& plan, const ObligationKey& key,
    const std::function<Change(const ObligationView&, const MissingCoReports&)>& decide,
    std::int64_t now_ms) {
    return database_.write([&](Session& s) {
        ActOutcome outcome;
        ObligationView current = find(s, plan, key, hot_.get());
        const Change change =
            decide(current, [&] { return co_reports_missing(s, plan, current, hot_.get()); });
        outcome.decision = change.decision;
        if (change.decision.verdict != core::Verdict::allowed) {
            outcome.after = current;
            return outcome;
        }
        const core::ReportPosition& next = change.decision.next;
        const std::string at = iso_utc(now_ms);
        std::string content = change.content.empty() ? current.content : change.content;
        if (content.empty()) {
            content = "{}";
        }
        const std::string state = core::to_string(next.state);
        const std::string step_actors = encode_step_actors(next.step_actors);
        const std::int64_t version = next.version;
        const bool step_changed = !current.report || current.report->step != next.step ||
                                  current.report->state != next.state;
        const std::string step_since = step_changed ? at : current.step_since;
        if (current.report_id == 0) {
            Cursor insert = hot_->use(
                s,
                "INSERT INTO reports (obligation_id, state, step, resume_step, previous_step,"
                " entered_by, assignee, version, content, created_at, updated_at, step_since,"
                " step_actors) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
                " RETURNING id");
            insert.bind(current.id).bind(state).bind(next.step).bind(next.resume_step);
            insert.bind(next.previous_step).bind(next.entered_by).bind(next.assignee);
            insert.bind(version).bind(content).bind(at).bind(at).bind(step_since);
            insert.bind(step_actors);
            if (!insert.step()) {
                throw StorageError("no report id returned for obligation " +
                                   std::to_string(current.id));
            }
            current.report_id = insert.integer(0);
            insert.run();
        } else {
            Cursor update = hot_->use(
                s,
                "UPDATE reports SET state = $1, step = $2, resume_step = $3, previous_step = $4,"
                " entered_by = $5, assignee = $6, version = $7, content = $8, updated_at = $9,"
                " step_since = $10, step_actors = $11 WHERE id = $12 AND version = $13");
            update.bind(state).bind(next.step).bind(next.resume_step).bind(next.previous_step);
            update.bind(next.entered_by).bind(next.assignee).bind(version).bind(content).bind(at);
            update.bind(step_since).bind(step_actors).bind(current.report_id);
            update.bind(std::int64_t{current.report->version});
            if (update.run() != 1) {
                throw StorageError("report " + std::to_string(current.report_id) +
                                   " changed during the transaction");
            }
        }
        const std::int64_t report_id = current.report_id;
        {
            Cursor insert =
                hot_->use(s,
                          "INSERT INTO report_versions (report_id, version, state,"
                          " step, content, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)");
            insert.bind(report_id).bind(version).bind(state).bind(next.step).bind(content).bind(at);
            insert.run();
        }
        if (next.state == core::ReportState::filed) {
            Cursor close = hot_->use(s, "UPDATE obligations SET closed_at = $1 WHERE id = $2");
            close.bind(at).bind(current.id);
            close.run();
        }
        // The entry binds the version it records: verify checks one against the other.
        audit_action(s, at, plan, current, change.actor, change.acting_for, change.decision.role,
                     change.audit_action, current.report, next, change.reason,
                     report_version_sha256(report_id, next.version, state, next.step, content, at),
                     hot_.get());
        // What was just written, without reading it back.
        outcome.after = current;
        outcome.after.report = next;
        outcome.after.content = content;
        outcome.after.updated_at = at;
        outcome.after.step_since = step_since;
        return outcome;
    });
}

ObligationView ReportStore::waive(const core::PlanInfo& plan, const ObligationKey& key,
                                  const std::string& actor, const std::string& reason,
                                  std::int64_t now_ms) {
    return database_.write([&](Session& s) {
        ObligationView v = find(s, plan, key);
        const std::string at = iso_utc(now_ms);
        Id id = v.id;
        std::string who = actor, why = reason, when = at;
        s << "UPDATE obligations SET waived_at = $1, waived_by = $2, waive_reason = $3,"
             " closed_at = $4 WHERE id = $5",
            use(when), use(who), use(why), use(when), use(id), now;
        audit_action(s, at, plan, v, actor, "", "reform_office", "waive", v.report, std::nullopt,
                     reason, "");
        return find(s, plan, key);
    });
}

std::vector<ReportVersion> ReportStore::versions(std::int64_t report_id) {
    return database_.read([&](Session& s) {
        Id id = report_id;
        std::vector<int> numbers;
        std::vector<std::string> states, steps, contents, recorded;
        s << "SELECT version, state, step, content, recorded_at FROM report_versions"
             " WHERE report_id = $1 ORDER BY version",
            use(id), into(numbers), into(states), into(steps), into(contents), into(recorded), now;
        std::vector<ReportVersion> out;
        for (std::size_t i = 0; i < numbers.size(); ++i) {
            out.push_back({numbers[i], states[i], steps[i], contents[i], recorded[i]});
        }
        return out;
    });
}

std::vector<AuditEntry> ReportStore::audit(const core::PlanInfo& plan, const std::string& task) {
    return database_.read([&](Session& s) {
        Statement st(s);
        Id plan_id = plan.id;
        std::string t = task;
        st << "SELECT id, at, actor, acting_for, role, action, task_number, item_number,"
              " department, period, from_state, to_state, from_step, to_step, reason,"
              " COALESCE(report_version, 0), detail, hash FROM audit_log"
              " WHERE plan_id = $1 AND ($2 = '' OR task_number = $3) ORDER BY id",
            use(plan_id), use(t), use(t);
        st.execute();
        RecordSet rs(st);
        std::vector<AuditEntry> out;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
            AuditEntry e;
            e.id = integer(rs, 0);
            e.at = text(rs, 1);
            e.actor = text(rs, 2);
            e.acting_for = text(rs, 3);
            e.role = text(rs, 4);
            e.action = text(rs, 5);
            e.task_number = text(rs, 6);
            e.item_number = text(rs, 7);
            e.department = text(rs, 8);
            e.period = text(rs, 9);
            e.from_state = text(rs, 10);
            e.to_state = text(rs, 11);
            e.from_step = text(rs, 12);
            e.to_step = text(rs, 13);
            e.reason = text(rs, 14);
            e.report_version = static_cast<int>(integer(rs, 15));
            e.detail = text(rs, 16);
            e.hash = text(rs, 17);
            out.push_back(std::move(e));
        }
        return out;
    });
}

}  // namespace rl::storage
