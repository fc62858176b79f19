// The notification outbox and the supervision records: reminders, urges,
// supervision notices and escalations are written here in the transaction
// that decides them; the delivery worker claims due messages, records every
// attempt and settles each as delivered, retried or dead.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/reminders.h"
#include "storage/audit.h"
#include "storage/database.h"

namespace rl::storage {

struct OutboxItem {
    std::string dedupe_key;  // rule|obligation|recipient|occurrence|channel
    std::string rule;
    std::int64_t obligation_id = 0;  // 0: none
};

struct OutboxMessage {
    std::string message_id;
    std::string channel;
    std::string recipient;  // department:刑庭 / person:u-…
    std::string kind;       // reminder, urge, supervision_notice
    bool urgent = false;
    std::string title;
    std::string body;     // markdown
    std::string payload;  // JSON
    std::int64_t deliver_after_ms = 0;
    std::vector<OutboxItem> items;
};

// A message a worker has leased for sending.
struct ClaimedMessage {
    std::int64_t id = 0;
    std::string token;  // the lease; settling needs it
    std::string message_id;
    std::string channel;
    std::string title;
    std::string body;
    std::string payload;
    int attempts = 0;  // before this one
};

struct OutboxStatus {
    int pending = 0;
    int deferred = 0;  // of the pending: waiting out quiet hours, a day off or a backoff
    int in_flight = 0;
    int delivered = 0;
    int dead = 0;
    std::int64_t oldest_pending_age_ms = 0;  // 0 when none pending
};

struct DeadLetter {
    std::int64_t id = 0;
    std::string message_id;
    std::string channel;
    std::string recipient;
    std::string title;
    int attempts = 0;
    std::string last_error;
};

struct SupervisionNotice {
    std::string number;
    std::string task_number;
    std::string department;
    std::string issued_by;
    std::string issued_at;
    std::string due_date;
    std::string content;
    std::string status;  // open, answered
    std::string answer;
    std::string answered_by;
    std::string answered_at;
};

class StatementCache;

class NotificationStore {
public:
    // REQUIRES: destroyed before database.
    explicit NotificationStore(Database& database);
    ~NotificationStore();
    NotificationStore(const NotificationStore&) = delete;
    NotificationStore& operator=(const NotificationStore&) = delete;

    // Open obligations of every plan the sweep must look at: those due by
    // `horizon` (court date) and every report waiting at an approval step.
    // Found through the open-obligation index, so the cost follows what is
    // open, not the size of the ledger.
    // drafting_step: the workflow's first step (a report returned there is
    // not yet submitted; returned to a later step, it waits for approval).
    std::vector<core::OpenObligation> open_obligations(const core::Date& horizon,
                                                       const core::Date& today,
                                                       const std::string& drafting_step);

    // The keys of these that were never queued before.
    std::vector<std::string> unseen(const std::vector<std::string>& dedupe_keys);
    // Queues a message and the keys it covers; returns its row id, or 0 when
    // one of the keys was queued already (by another instance sweeping the
    // same ledger since unseen()): then nothing is queued, and the message's
    // other keys are left for the next sweep.
    std::int64_t enqueue(const OutboxMessage& message, std::int64_t now_ms);
    // Records an escalation or accountability level once per obligation;
    // true when it is new (and then the audit row is written too).
    bool record_escalation(std::int64_t obligation_id, const std::string& level,
                           int overdue_working_days, int missed_periods, std::int64_t now_ms);

    // Worker side. A claim leases messages under a fresh token; the lease can
    // be held longer and the message settled only with that token, so a
    // worker whose lease ran out (and another took over) can neither send
    // again nor undo the other's result. Each returns false (or 0) when the
    // lease was lost.
    //
    // Leases that ran out go back to the queue; the attempts their holders
    // had begun are marked 'interrupted' (sent or not, nobody knows). Returns
    // how many messages came back.
    int reclaim_expired(std::int64_t now_ms);
    // Leases up to `limit` messages due by due_by_ms (their next attempt and
    // their quiet-hours wait), in due order, held until until_ms.
    std::vector<ClaimedMessage> take(std::int64_t due_by_ms, std::int64_t until_ms, int limit,
                                     const std::string& token);
    // reclaim_expired, then take what is due now under a lease of lease_ms.
    std::vector<ClaimedMessage> claim(std::int64_t now_ms, std::int64_t lease_ms, int limit,
                                      const std::string& token);
    // Records attempt number `attempt` as begun ('sending'), before it is
    // sent, and holds the lease until until_ms; returns the attempt's row.
    std::int64_t begin_attempt(const ClaimedMessage& m, int attempt, std::int64_t at_ms,
                               std::int64_t until_ms);
    // Records how a begun attempt ended: delivered, retry or permanent.
    void end_attempt(std::int64_t attempt_row, int http_status, const std::string& verdict,
                     const std::string& error, std::int64_t duration_ms);
    // Records a whole attempt at once (one that never went on the wire).
    void record_attempt(std::int64_t id, int attempt, std::int64_t at_ms, int http_status,
                        const std::string& verdict, const std::string& error,
                        std::int64_t duration_ms);
    bool mark_delivered(const ClaimedMessage& m, int attempts, std::int64_t now_ms);
    bool schedule_retry(const ClaimedMessage& m, int attempts, std::int64_t next_attempt_ms,
                        const std::string& error);
    bool mark_dead(const ClaimedMessage& m, int attempts, const std::string& error);
    // Runs fn as one write transaction (an outcome and the next attempt
    // together), of the outbox's own: it leaves the ledger's change count,
    // and so the kept answers of the ledger's pages, as they were.
    void together(const std::function<void()>& fn);
    // Gives a claimed message back untouched, to try at next_attempt_ms (pacing).
    bool release(const ClaimedMessage& m, std::int64_t next_attempt_ms);
    // Attempts begun on a channel since since_ms (for a channel's daily cap).
    int attempts_since(const std::string& channel, std::int64_t since_ms);
    // When each attempt on a channel since since_ms began, oldest first (for
    // a channel's per-minute cap).
    std::vector<std::int64_t> attempt_times_since(const std::string& channel,
                                                  std::int64_t since_ms);

    // Operations.
    OutboxStatus status(std::int64_t now_ms);
    std::vector<DeadLetter> dead_letters();
    // Requeues one dead letter (id) or all of them (id == 0); returns how many.
    int requeue(std::int64_t id, std::int64_t now_ms);

    // Urges (催办).
    std::optional<std::int64_t> last_urge_ms(std::int64_t obligation_id);
    void record_urge(std::int64_t obligation_id, const std::string& by, std::int64_t now_ms,
                     const std::string& note, std::int64_t notification_id);
    int urge_count(std::int64_t obligation_id);

    // Supervision notices (督办单).
    std::string issue_notice(std::int64_t plan_id, const SupervisionNotice& notice);
    std::optional<SupervisionNotice> notice(const std::string& number);
    void answer_notice(const std::string& number, const std::string& answer, const std::string& by,
                       const std::string& at);
    std::vector<SupervisionNotice> notices(std::int64_t plan_id, const std::string& department,
                                           const std::string& status);

    void audit(const AuditRecord& record);

private:
    Database& database_;
    std::unique_ptr<StatementCache> prepared_;  // the delivery loop's, reused
};

}  // namespace rl::storage
