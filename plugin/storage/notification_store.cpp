#include "storage/notification_store.h"
#include "storage/cursor.h"
#include "storage/record_set.h"
#include "storage/statement_cache.h"
#include "storage/stored_time.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTimeParser.h>

#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <map>

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

constexpr const char* kInterrupted =
    "interrupted: the sender stopped before the outcome was recorded; the message may have "
    "arrived and is sent again with the same id";

constexpr const char* kOpenColumns =
    "SELECT o.id, t.number, t.title, COALESCE(i.number, ''), d.name, a.role, o.period,"
    " o.due_date, o.assignment_id, COALESCE(r.id, 0), COALESCE(r.state, ''),"
    " COALESCE(r.step, ''), COALESCE(r.resume_step, ''), COALESCE(r.previous_step, ''),"
    " COALESCE(r.entered_by, ''), COALESCE(r.assignee, ''), COALESCE(r.version, 0),"
    " COALESCE(r.step_since, ''), t.plan_id"
    " FROM obligations o"
    " JOIN assignments a ON a.id = o.assignment_id"
    " JOIN tasks t ON t.id = a.task_id"
    " LEFT JOIN task_items i ON i.id = a.item_id"
    " JOIN departments d ON d.id = a.department_id"
    " LEFT JOIN reports r ON r.obligation_id = o.id";

void read_open(Statement& st, std::map<Id, core::OpenObligation>& out,
               std::map<Id, Id>& assignment) {
    st.execute();
    RecordSet rs(st);
    for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
        core::OpenObligation o;
        o.id = integer(rs, 0);
        o.task_number = text(rs, 1);
        o.task_title = text(rs, 2);
        o.item_number = text(rs, 3);
        o.department = text(rs, 4);
        o.role = text(rs, 5);
        o.period = text(rs, 6);
        o.due = core::Date::parse(text(rs, 7)).value_or(core::Date{});
        assignment[o.id] = integer(rs, 8);
        if (integer(rs, 9) != 0) {
            core::ReportPosition p;
            p.exists = true;
            p.state =
                core::report_state_from_string(text(rs, 10)).value_or(core::ReportState::draft);
            p.step = text(rs, 11);
            p.resume_step = text(rs, 12);
            p.previous_step = text(rs, 13);
            p.entered_by = text(rs, 14);
            p.assignee = text(rs, 15);
            p.version = static_cast<int>(integer(rs, 16));
            o.report = p;
            o.step_since = court_date_of(text(rs, 17));
        }
        o.plan_id = integer(rs, 18);
        out[o.id] = std::move(o);
    }
}

}  // namespace

std::vector<core::OpenObligation> NotificationStore::open_obligations(
    const core::Date& horizon, const core::Date& today, const std::string& drafting_step) {
    return database_.read([&](Session& s) {
        std::map<Id, core::OpenObligation> found;
        std::map<Id, Id> assignment_of;
        std::string until = horizon.iso();
        {
            Statement st(s);
            st << std::string(kOpenColumns) +
                      " WHERE o.closed_at IS NULL AND o.due_date <= $1 AND a.retired_at IS NULL",
                use(until);
            read_open(st, found, assignment_of);
        }
        // Reports waiting at an approval step, whatever their due date (each
        // state has its own partial index).
        for (const char* state : {"in_approval", "returned"}) {
            // The state is written into the SQL: a partial index is used
            // only for a literal that matches its WHERE clause.
            Statement st(s);
            std::string first = drafting_step;
            st << std::string(kOpenColumns) + " WHERE r.state = '" + state +
                      "' AND r.step <> $1 AND o.closed_at IS NULL AND a.retired_at IS NULL",
                use(first);
            read_open(st, found, assignment_of);
        }
        // Missed periods: past-due obligations of the same assignment that
        // were never submitted, this one included.
        std::map<Id, int> missed;
        for (const auto& [id, o] : found) {
            const bool submitted = o.report && (o.report->state == core::ReportState::in_approval ||
                                                o.report->state == core::ReportState::filed ||
                                                (o.report->state == core::ReportState::returned &&
                                                 o.report->step != drafting_step));
            if (o.due < today && !submitted) {
                ++missed[assignment_of[id]];
            }
        }
        std::vector<core::OpenObligation> out;
        out.reserve(found.size());
        for (auto& [id, o] : found) {
            o.missed_periods = missed[assignment_of[id]];
            out.push_back(std::move(o));
        }
        return out;
    });
}

std::vector<std::string> NotificationStore::unseen(const std::vector<std::string>& keys) {
    return database_.read([&](Session& s) {
        std::vector<std::string> out;
        Statement st(s);
        std::string key;
        int found = 0;
        st << "SELECT COUNT(*) FROM notification_items WHERE dedupe_key = $1", use(key),
            into(found);
        for (const auto& k : keys) {
            key = k;
            found = 0;
            st.execute();
            if (found == 0) {
                out.push_back(k);
            }
        }
        return out;
    });
}

std::int64_t NotificationStore::enqueue(const OutboxMessage& m, std::int64_t now_ms) {
    return database_.write([&](Session& s) -> std::int64_t {
        // Another instance sweeping the same ledger may have queued one of
        // these keys since this one looked (unseen() is a transaction of its
        // own). Then nothing is queued: the key is not sent twice, and what
        // else the message covered is still unseen, for the next sweep. Write
        // transactions are serialised (SQLite's one writer; on PostgreSQL the
        // ledger's lock), so no other instance queues a key between this check
        // and the inserts; were one to, the dedupe key's primary key fails the
        // transaction rather than send the key twice.
        {
            Statement queued(s);
            std::string key;
            int found = 0;
            queued << "SELECT COUNT(*) FROM notification_items WHERE dedupe_key = $1", use(key),
                into(found);
            for (const auto& item : m.items) {
                key = item.dedupe_key;
                found = 0;
                queued.execute();
                if (found != 0) {
                    return 0;
                }
            }
        }
        Id created = now_ms;
        Id after = m.deliver_after_ms;
        int urgent = m.urgent ? 1 : 0;
        Id id = 0;
        s << "INSERT INTO notifications (message_id, channel, recipient, kind, urgent, status,"
             " created_ms, deliver_after, next_attempt_at)"
             " VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8) RETURNING id",
            bind(m.message_id), bind(m.channel), bind(m.recipient), bind(m.kind), use(urgent),
            use(created), use(after), use(after), into(id), now;
        s << "INSERT INTO notification_contents (notification_id, title, body, payload)"
             " VALUES ($1, $2, $3, $4)",
            use(id), bind(m.title), bind(m.body), bind(m.payload), now;
        Statement insert(s);
        std::string key, rule;
        Poco::Nullable<Id> obligation;
        insert
            << "INSERT INTO notification_items (dedupe_key, notification_id, rule, obligation_id)"
               " VALUES ($1, $2, $3, $4)",
            use(key), use(id), use(rule), use(obligation);
        for (const auto& item : m.items) {
            key = item.dedupe_key;
            rule = item.rule;
            obligation = Poco::Nullable<Id>();
            if (item.obligation_id != 0) {
                obligation = item.obligation_id;
            }
            insert.execute();
        }
        return static_cast<std::int64_t>(id);
    });
}

bool NotificationStore::record_escalation(std::int64_t obligation_id, const std::string& level,
                                          int overdue_working_days, int missed_periods,
                                          std::int64_t now_ms) {
    return database_.write([&](Session& s) {
        Id id = obligation_id;
        std::string lvl = level, at = iso_utc(now_ms);
        int late = overdue_working_days, missed = missed_periods;
        Statement insert(s);
        insert << "INSERT INTO escalations (obligation_id, level, recorded_at,"
                  " overdue_working_days, missed_periods) VALUES ($1, $2, $3, $4, $5)"
                  " ON CONFLICT DO NOTHING",
            use(id), use(lvl), use(at), use(late), use(missed);
        return insert.execute() == 1;
    });
}

NotificationStore::NotificationStore(Database& database)
    : database_(database), prepared_(std::make_unique<StatementCache>()) {}

NotificationStore::~NotificationStore() = default;

namespace {
// Dialect: where several plugin instances claim from one PostgreSQL database
// at once, a claim locks the rows it selects and skips the rows another
// claim holds, instead of waiting for them and then finding them taken.
// SQLite has no FOR UPDATE; its single writer already serialises claims.
std::string locked_for_claim(const Session& s) {
    return is_postgresql(s) ? " FOR UPDATE SKIP LOCKED" : "";
}

// Runs an UPDATE of a claimed message that applies only while the caller
// still holds its lease; false when it was lost. sql_set's parameters are
// $1 … $n (bound by bind_values); the message's id and token follow them.
bool settle(Database& database, StatementCache& prepared, const std::string& sql_set,
            const ClaimedMessage& m, const std::function<void(Cursor&)>& bind_values) {
    const auto n = std::count(sql_set.begin(), sql_set.end(), '$');
    return database.write([&](Session& s) {
        auto q = prepared.use(
            s, "UPDATE notifications SET " + sql_set + " WHERE id = $" + std::to_string(n + 1) +
                   " AND status = 'in_flight' AND claim_token = $" + std::to_string(n + 2));
        bind_values(q);
        q.bind(m.id).bind(m.token);
        return q.run() == 1;
    });
}
}  // namespace

int NotificationStore::reclaim_expired(std::int64_t now_ms) {
    return database_.write([&](Session& s) {
        std::vector<std::int64_t> expired;
        {
            auto q = prepared_->use(
                s, std::string("SELECT id FROM notifications"
                               " WHERE status = 'in_flight' AND claimed_until < $1") +
                       locked_for_claim(s));
            q.bind(now_ms);
            while (q.step()) {
                expired.push_back(q.integer(0));
            }
        }
        for (const std::int64_t id : expired) {
            // The attempt a stopped worker had begun: it may or may not have arrived.
            prepared_
                ->use(s,
                      "UPDATE delivery_attempts SET verdict = 'interrupted', error = $1"
                      " WHERE notification_id = $2 AND verdict = 'sending'")
                .bind(std::string(kInterrupted))
                .bind(id)
                .run();
            prepared_
                ->use(s,
                      "UPDATE notifications SET status = 'pending', claimed_until = NULL,"
                      " claim_token = NULL WHERE id = $1 AND status = 'in_flight'")
                .bind(id)
                .run();
        }
        return static_cast<int>(expired.size());
    });
}

std::vector<ClaimedMessage> NotificationStore::take(std::int64_t due_by_ms, std::int64_t until_ms,
                                                    int limit, const std::string& token) {
    return database_.write([&](Session& s) {
        // Due messages are found in (status, next_attempt_at) index order,
        // then taken one by one. (One UPDATE … WHERE id IN (SELECT … LIMIT ?)
        // built a temporary table with its own page cache on every call: 0.8 ms.)
        std::vector<std::int64_t> ids;
        {
            auto q = prepared_->use(
                s, std::string("SELECT id FROM notifications"
                               " WHERE status = 'pending' AND next_attempt_at <= $1"
                               " AND deliver_after <= $2 ORDER BY next_attempt_at, id"
                               " LIMIT $3") +
                       locked_for_claim(s));
            q.bind(due_by_ms).bind(due_by_ms).bind(limit);
            while (q.step()) {
                ids.push_back(q.integer(0));
            }
        }
        std::vector<ClaimedMessage> out;
        for (const std::int64_t id : ids) {
            auto q = prepared_->use(
                s,
                "UPDATE notifications SET status = 'in_flight', claimed_until = $1, claim_token = "
                "$2"
                " WHERE id = $3 AND status = 'pending' RETURNING message_id, channel, attempts");
            q.bind(until_ms).bind(token).bind(id);
            if (!q.step()) {
                continue;
            }
            ClaimedMessage m{id, token, q.text(0), q.text(1),
                             "", "",    "",        static_cast<int>(q.integer(2))};
            q.run();
            // The words, which claims and outcomes never rewrite (migration 0012).
            auto words = prepared_->use(s,
                                        "SELECT title, body, payload FROM notification_contents "
                                        "WHERE notification_id = $1");
            words.bind(id);
            if (!words.step()) {
                throw StorageError("notification " + m.message_id + " (row " + std::to_string(id) +
                                   ") has no title, body or payload in notification_contents");
            }
            m.title = words.text(0);
            m.body = words.text(1);
            m.payload = words.text(2);
            out.push_back(std::move(m));
        }
        return out;
    });
}

std::vector<ClaimedMessage> NotificationStore::claim(std::int64_t now_ms, std::int64_t lease_ms,
                                                     int limit, const std::string& token) {
    std::vector<ClaimedMessage> out;
    database_.outbox_transaction([&] {
        reclaim_expired(now_ms);
        out = take(now_ms, now_ms + lease_ms, limit, token);
    });
    return out;
}

void NotificationStore::together(const std::function<void()>& fn) {
    database_.outbox_transaction(fn);
}

std::int64_t NotificationStore::begin_attempt(const ClaimedMessage& m, int attempt,
                                              std::int64_t at_ms, std::int64_t until_ms) {
    std::int64_t row = 0;
    database_.outbox_transaction([&] {
        const bool held = settle(database_, *prepared_, "attempts = $1, claimed_until = $2", m,
                                 [&](Cursor& q) { q.bind(attempt).bind(until_ms); });
        if (!held) {
            return;
        }
        database_.write([&](Session& s) {
            auto q = prepared_->use(s,
                                    "INSERT INTO delivery_attempts (notification_id, attempt,"
                                    " at_ms, http_status, verdict, error, duration_ms)"
                                    " VALUES ($1, $2, $3, 0, 'sending', '', 0) RETURNING id");
            q.bind(m.id).bind(attempt).bind(at_ms);
            if (q.step()) {
                row = q.integer(0);
            }
            q.run();
        });
    });
    return row;
}

void NotificationStore::end_attempt(std::int64_t attempt_row, int http_status,
                                    const std::string& verdict, const std::string& error,
                                    std::int64_t duration_ms) {
    database_.write([&](Session& s) {
        prepared_
            ->use(s,
                  "UPDATE delivery_attempts SET http_status = $1, verdict = $2, error = $3,"
                  " duration_ms = $4 WHERE id = $5")
            .bind(http_status)
            .bind(verdict)
            .bind(error)
            .bind(duration_ms)
            .bind(attempt_row)
            .run();
    });
}

void NotificationStore::record_attempt(std::int64_t id, int attempt, std::int64_t at_ms,
                                       int http_status, const std::string& verdict,
                                       const std::string& error, std::int64_t duration_ms) {
    database_.write([&](Session& s) {
        s << "INSERT INTO delivery_attempts (notification_id, attempt, at_ms, http_status, verdict,"
             " error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            bind(static_cast<Id>(id)), bind(attempt), bind(static_cast<Id>(at_ms)),
            bind(http_status), bind(verdict), bind(error), bind(static_cast<Id>(duration_ms)), now;
    });
}

bool NotificationStore::mark_delivered(const ClaimedMessage& m, int attempts, std::int64_t now_ms) {
    return settle(database_, *prepared_,
                  "status = 'delivered', attempts = $1, delivered_ms = $2, claimed_until = NULL,"
                  " claim_token = NULL, last_error = ''",
                  m, [&](Cursor& q) { q.bind(attempts).bind(now_ms); });
}

bool NotificationStore::schedule_retry(const ClaimedMessage& m, int attempts,
                                       std::int64_t next_attempt_ms, const std::string& error) {
    return settle(database_, *prepared_,
                  "status = 'pending', attempts = $1, next_attempt_at = $2, claimed_until = NULL,"
                  " claim_token = NULL, last_error = $3",
                  m, [&](Cursor& q) { q.bind(attempts).bind(next_attempt_ms).bind(error); });
}

bool NotificationStore::mark_dead(const ClaimedMessage& m, int attempts, const std::string& error) {
    return settle(database_, *prepared_,
                  "status = 'dead', attempts = $1, claimed_until = NULL, claim_token = NULL,"
                  " last_error = $2",
                  m, [&](Cursor& q) { q.bind(attempts).bind(error); });
}

bool NotificationStore::release(const ClaimedMessage& m, std::int64_t next_attempt_ms) {
    return settle(
        database_, *prepared_,
        "status = 'pending', next_attempt_at = $1, claimed_until = NULL, claim_token = NULL", m,
        [&](Cursor& q) { q.bind(next_attempt_ms); });
}

int NotificationStore::attempts_since(const std::string& channel, std::int64_t since_ms) {
    return database_.read([&](Session& s) {
        int count = 0;
        std::string name = channel;
        Poco::Int64 since = since_ms;
        s << "SELECT COUNT(*) FROM delivery_attempts a JOIN notifications n"
             " ON n.id = a.notification_id WHERE n.channel = $1 AND a.at_ms >= $2",
            use(name), use(since), into(count), now;
        return count;
    });
}

std::vector<std::int64_t> NotificationStore::attempt_times_since(const std::string& channel,
                                                                 std::int64_t since_ms) {
    return database_.read([&](Session& s) {
        std::vector<Poco::Int64> times;
        std::string name = channel;
        Poco::Int64 since = since_ms;
        s << "SELECT a.at_ms FROM delivery_attempts a JOIN notifications n"
             " ON n.id = a.notification_id WHERE n.channel = $1 AND a.at_ms >= $2"
             " ORDER BY a.at_ms, a.id",
            use(name), use(since), into(times), now;
        return std::vector<std::int64_t>(times.begin(), times.end());
    });
}

OutboxStatus NotificationStore::status(std::int64_t now_ms) {
    return database_.read([&](Session& s) {
        OutboxStatus out;
        std::vector<std::string> statuses;
        std::vector<int> counts;
        s << "SELECT status, COUNT(*) FROM notifications GROUP BY status", into(statuses),
            into(counts), now;
        for (std::size_t i = 0; i < statuses.size(); ++i) {
            if (statuses[i] == "pending") {
                out.pending = counts[i];
            } else if (statuses[i] == "in_flight") {
                out.in_flight = counts[i];
            } else if (statuses[i] == "delivered") {
                out.delivered = counts[i];
            } else if (statuses[i] == "dead") {
                out.dead = counts[i];
            }
        }
        Id now_value = now_ms;
        s << "SELECT COUNT(*) FROM notifications WHERE status = 'pending'"
             " AND (deliver_after > $1 OR next_attempt_at > $2)",
            use(now_value), use(now_value), into(out.deferred), now;
        Poco::Nullable<Id> oldest;
        s << "SELECT MIN(created_ms) FROM notifications WHERE status IN ('pending', 'in_flight')",
            into(oldest), now;
        if (!oldest.isNull()) {
            out.oldest_pending_age_ms = std::max<std::int64_t>(0, now_ms - oldest.value());
        }
        return out;
    });
}

std::vector<DeadLetter> NotificationStore::dead_letters() {
    return database_.read([&](Session& s) {
        Statement st(s);
        st << "SELECT n.id, n.message_id, n.channel, n.recipient, c.title, n.attempts, n.last_error"
              " FROM notifications n JOIN notification_contents c ON c.notification_id = n.id"
              " WHERE n.status = 'dead' ORDER BY n.id",
            now;
        RecordSet rs(st);
        std::vector<DeadLetter> out;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
            out.push_back({integer(rs, 0), text(rs, 1), text(rs, 2), text(rs, 3), text(rs, 4),
                           static_cast<int>(integer(rs, 5)), text(rs, 6)});
        }
        return out;
    });
}

int NotificationStore::requeue(std::int64_t id, std::int64_t now_ms) {
    return database_.write([&](Session& s) {
        Id when = now_ms;
        Id which = id;
        Statement st(s);
        st << "UPDATE notifications SET status = 'pending', attempts = 0, next_attempt_at = $1,"
              " claimed_until = NULL, claim_token = NULL"
              " WHERE status = 'dead' AND (CAST($2 AS BIGINT) = 0 OR id = $3)",
            use(when), use(which), use(which);
        return static_cast<int>(st.execute());
    });
}

std::optional<std::int64_t> NotificationStore::last_urge_ms(std::int64_t obligation_id) {
    return database_.read([&](Session& s) -> std::optional<std::int64_t> {
        Poco::Nullable<Id> last;
        s << "SELECT MAX(urged_ms) FROM urges WHERE obligation_id = $1",
            bind(static_cast<Id>(obligation_id)), into(last), now;
        if (last.isNull()) {
            return std::nullopt;
        }
        return static_cast<std::int64_t>(last.value());
    });
}

void NotificationStore::record_urge(std::int64_t obligation_id, const std::string& by,
                                    std::int64_t now_ms, const std::string& note,
                                    std::int64_t notification_id) {
    database_.write([&](Session& s) {
        Poco::Nullable<Id> notification;
        if (notification_id != 0) {
            notification = notification_id;
        }
        s << "INSERT INTO urges (obligation_id, urged_by, urged_ms, note, notification_id)"
             " VALUES ($1, $2, $3, $4, $5)",
            bind(static_cast<Id>(obligation_id)), bind(by), bind(static_cast<Id>(now_ms)),
            bind(note), use(notification), now;
    });
}

int NotificationStore::urge_count(std::int64_t obligation_id) {
    return database_.read([&](Session& s) {
        int n = 0;
        s << "SELECT COUNT(*) FROM urges WHERE obligation_id = $1",
            bind(static_cast<Id>(obligation_id)), into(n), now;
        return n;
    });
}

std::string NotificationStore::issue_notice(std::int64_t plan_id, const SupervisionNotice& n) {
    return database_.write([&](Session& s) {
        int count = 0;
        const std::string year = n.issued_at.substr(0, 4);
        std::string pattern = "督办〔" + year + "〕%";
        s << "SELECT COUNT(*) FROM supervision_notices WHERE number LIKE $1", use(pattern),
            into(count), now;
        std::string number = "督办〔" + year + "〕" + std::to_string(count + 1) + "号";
        s << "INSERT INTO supervision_notices (number, plan_id, task_number, department, issued_by,"
             " issued_at, due_date, content, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
             "'open')",
            use(number), bind(static_cast<Id>(plan_id)), bind(n.task_number), bind(n.department),
            bind(n.issued_by), bind(n.issued_at), bind(n.due_date), bind(n.content), now;
        return number;
    });
}

std::optional<SupervisionNotice> NotificationStore::notice(const std::string& number) {
    return database_.read([&](Session& s) -> std::optional<SupervisionNotice> {
        Statement st(s);
        std::string n = number;
        st << "SELECT number, task_number, department, issued_by, issued_at, due_date, content,"
              " status, answer, answered_by, answered_at FROM supervision_notices WHERE number = "
              "$1",
            use(n);
        st.execute();
        RecordSet rs(st);
        if (!rs.moveFirst()) {
            return std::nullopt;
        }
        return SupervisionNotice{text(rs, 0), text(rs, 1), text(rs, 2), text(rs, 3),
                                 text(rs, 4), text(rs, 5), text(rs, 6), text(rs, 7),
                                 text(rs, 8), text(rs, 9), text(rs, 10)};
    });
}

void NotificationStore::answer_notice(const std::string& number, const std::string& answer,
                                      const std::string& by, const std::string& at) {
    database_.write([&](Session& s) {
        s << "UPDATE supervision_notices SET status = 'answered', answer = $1, answered_by = $2,"
             " answered_at = $3 WHERE number = $4",
            bind(answer), bind(by), bind(at), bind(number), now;
    });
}

std::vector<SupervisionNotice> NotificationStore::notices(std::int64_t plan_id,
                                                          const std::string& department,
                                                          const std::string& status) {
    return database_.read([&](Session& s) {
        Statement st(s);
        Id plan = plan_id;
        std::string d = department, st_filter = status;
        st << "SELECT number, task_number, department, issued_by, issued_at, due_date, content,"
              " status, answer, answered_by, answered_at FROM supervision_notices"
              " WHERE plan_id = $1 AND ($2 = '' OR department = $3) AND ($4 = '' OR status = $5)"
              " ORDER BY id",
            use(plan), use(d), use(d), use(st_filter), use(st_filter);
        st.execute();
        RecordSet rs(st);
        std::vector<SupervisionNotice> out;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
            out.push_back({text(rs, 0), text(rs, 1), text(rs, 2), text(rs, 3), text(rs, 4),
                           text(rs, 5), text(rs, 6), text(rs, 7), text(rs, 8), text(rs, 9),
                           text(rs, 10)});
        }
        return out;
    });
}

void NotificationStore::audit(const AuditRecord& record) {
    database_.write([&](Session& s) { append_audit(s, record); });
}

}  // namespace rl::storage
