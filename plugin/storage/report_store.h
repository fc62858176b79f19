// Obligations, progress reports and the audit trail in the database. Each
// action on a report is one transaction: the decision is taken on the row as
// it is inside that transaction, and the new state, its version snapshot and
// the audit record are written together — or nothing is.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/ledger.h"
#include "core/reporting.h"
#include "core/workflow.h"
#include "storage/database.h"
#include "storage/plan_store.h"

namespace rl::storage {

// Names one obligation: a task (or item) × department × period.
struct ObligationKey {
    std::string task;
    std::string item;        // empty: the task itself
    std::string department;  // canonical name
    std::string period;      // "2019-10" or "2019-Q4"
};

struct ObligationView {
    std::int64_t id = 0;
    std::string task_number;
    std::string task_title;
    std::string item_number;
    std::string department;
    std::string role;  // lead / co
    std::string period;
    std::string period_month;
    std::string due_date;
    bool waived = false;
    std::string waived_by;
    std::string waive_reason;
    std::int64_t report_id = 0;  // 0: no report yet
    std::optional<core::ReportPosition> report;
    std::string content;  // JSON, when there is a report
    std::string step_since;
    std::string updated_at;
    int urges = 0;           // 催办 so far
    std::string escalation;  // "", "escalation" or "accountability"
};

// What a lead obligation's status needs, and nothing else (ledger.tasks reads
// one per lead assignment of the month).
struct LeadPosition {
    std::string task_number;
    bool waived = false;
    std::string due_date;
    std::optional<core::ReportPosition> report;  // state and step only
};

// What a report's warning needs of an open obligation (not waived, not yet
// filed), and nothing else: ledger.tasks reads one per open obligation of
// the plan, every month up to the one shown.
struct OpenReport {
    std::string task_number;
    std::string department;
    bool lead = false;
    std::string period;
    std::string due_date;
    std::optional<core::ReportPosition> report;  // state and step only
};

struct ReportVersion {
    int version = 0;
    std::string state;
    std::string step;
    std::string content;
    std::string recorded_at;
};

struct AuditEntry {
    std::int64_t id = 0;
    std::string at, actor, acting_for, role, action, task_number, item_number, department, period;
    std::string from_state, to_state, from_step, to_step, reason;
    int report_version = 0;
    std::string detail;  // JSON object, or empty
    std::string hash;    // its link in the chain
};

// What an action changes, decided by the caller on the current view.
struct Change {
    core::Decision decision;
    std::string content;  // new content JSON; empty keeps the current content
    std::string audit_action;
    std::string actor;
    std::string acting_for;
    std::string reason;
};

struct ActOutcome {
    core::Decision decision;
    ObligationView after;  // as stored after the action (or as it was, if refused)
};

class StatementCache;

class ReportStore {
public:
    explicit ReportStore(Database& database);
    ~ReportStore();
    ReportStore(const ReportStore&) = delete;
    ReportStore& operator=(const ReportStore&) = delete;

    // Creates the obligations that the month brings for every active
    // assignment of the plan (idempotent). Returns how many were new.
    int ensure_obligations(const core::PlanInfo& plan, int year, int month,
                           const core::ReportingPolicy& policy,
                           const core::WorkingCalendar& calendar);

    // Whether the month ("2019-10") has any obligations of the plan yet: it
    // has been opened. Inside a write transaction() its statement is kept
    // prepared on the writer's connection.
    bool has_obligations(const core::PlanInfo& plan, const std::string& month);

    // What ensure_obligations would store for the month, read without storing
    // it: one view per obligation the month brings that has no row yet (id 0,
    // no report, not waived), in ledger order. Reads of a month nobody has
    // opened show these (see MonthView).
    std::vector<ObligationView> unopened_obligations(const core::PlanInfo& plan, int year,
                                                     int month, const core::ReportingPolicy& policy,
                                                     const core::WorkingCalendar& calendar);

    // The error obligation() throws for a key the plan does not owe.
    static NotFound no_obligation(const core::PlanInfo& plan, const ObligationKey& key);

    // The latest month ("2019-10") any obligation of the plan ends in, if any.
    std::optional<std::string> latest_month(const core::PlanInfo& plan);

    // Obligations whose period ends in the month ("2019-10"), in ledger order.
    std::vector<ObligationView> obligations(const core::PlanInfo& plan, const std::string& month,
                                            const std::string& department = "",
                                            const std::string& task = "");
    // The lead obligations whose period ends in the month, for their status:
    // one narrow query, not the whole view.
    std::vector<LeadPosition> lead_positions(const core::PlanInfo& plan, const std::string& month);
    // Not yet filed, any period up to and including the month.
    std::vector<ObligationView> open_obligations(const core::PlanInfo& plan,
                                                 const std::string& up_to_month);
    // The same, narrowed to what a warning needs: one lean query.
    std::vector<OpenReport> open_reports(const core::PlanInfo& plan,
                                         const std::string& up_to_month);
    // The statements of the two above ($1 the plan's id, $2 the month): the
    // storage tests check that they find open obligations by the index of
    // open ones (migration 0013), not through the filed history.
    static const std::string& open_obligations_sql();
    static const std::string& open_reports_sql();
    // Reports not yet filed that wait for the person their step was handed
    // over (转交) to.
    std::vector<ObligationView> handed_over(const core::PlanInfo& plan);
    // Throws NotFound naming the key.
    ObligationView obligation(const core::PlanInfo& plan, const ObligationKey& key);
    // The co-operating obligations beside a lead obligation (same task, item, period).
    std::vector<ObligationView> co_obligations(const core::PlanInfo& plan,
                                               const ObligationView& lead);

    // The co-operating departments that have not reported beside a lead
    // obligation; worked out only when asked (only filing needs it).
    using MissingCoReports = std::function<std::vector<std::string>()>;
    // The same list read on its own, for offering the actions (report.get).
    std::vector<std::string> missing_co_reports(const core::PlanInfo& plan,
                                                const ObligationView& lead);

    ActOutcome act(const core::PlanInfo& plan, const ObligationKey& key,
                   const std::function<Change(const ObligationView& current,
                                              const MissingCoReports& missing)>& decide,
                   std::int64_t now_ms);

    // Marks a co-operating obligation waived, with the reason, in the audit trail.
    ObligationView waive(const core::PlanInfo& plan, const ObligationKey& key,
                         const std::string& actor, const std::string& reason, std::int64_t now_ms);

    std::vector<ReportVersion> versions(std::int64_t report_id);
    std::vector<AuditEntry> audit(const core::PlanInfo& plan, const std::string& task = "");

private:
    Database& database_;
    // act()'s statements, prepared once on the writer connection.
    std::unique_ptr<StatementCache> hot_;
};

}  // namespace rl::storage
