// The approval workflow, interpreted from the definition the plugin registers
// (plugin/definitions/workflows/…): steps, who acts at each, which actions
// each allows and where each may return a report. The engine decides one
// action at a time — allowed (with the report's next position), not
// permitted, invalid, or a version conflict — and changes nothing itself.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/org_chart.h"

namespace rl::core {

struct WorkflowStep {
    std::string id;     // "department_head"
    std::string label;  // 部门负责人审核
    PersonRole actor_role = PersonRole::contact;
    std::vector<std::string> actions;         // approve, return, withdraw, hand_over, act_for …
    std::vector<std::string> return_targets;  // earlier step ids
    bool allows(const std::string& action) const;
};

struct Workflow {
    std::string id;
    int version = 0;
    std::vector<WorkflowStep> steps;  // first: drafting; last: filing
    bool return_requires_reason = true;

    // Throws std::invalid_argument when the definition cannot be run: fewer
    // than two steps, duplicate ids, a return target that is not an earlier step.
    void validate() const;
    const WorkflowStep* step(const std::string& id) const;
    int index_of(const std::string& id) const;  // -1 if unknown
    const WorkflowStep& first() const { return steps.front(); }
    const WorkflowStep& last() const { return steps.back(); }
};

enum class ReportState { draft, in_approval, returned, filed };
const char* to_string(ReportState state);
std::optional<ReportState> report_state_from_string(const std::string& text);

// Someone who acted on a report at one of its steps.
struct StepActor {
    std::string step;
    std::string person;
    bool operator==(const StepActor& other) const {
        return step == other.step && person == other.person;
    }
};

// Where a report stands. exists == false: nothing drafted yet.
struct ReportPosition {
    bool exists = false;
    ReportState state = ReportState::draft;
    std::string step;
    std::string resume_step;    // after a return: the step that returned it
    std::string previous_step;  // where a withdraw goes back to
    std::string entered_by;     // person who moved it into step (may withdraw)
    std::string assignee;       // person it was handed over to at this step
    int version = 0;
    // Who has acted at which step since the report was first drafted: the
    // separation of duties (四眼原则) is decided on it. A return does not
    // clear it: the steps that approved before a return are skipped on
    // resubmission, so their approvals still count.
    std::vector<StepActor> step_actors;
};

struct ActionInput {
    std::string action;       // save_draft, submit, approve, return, withdraw, hand_over, file
    std::string actor;        // person id, authenticated by the host
    std::string acting_for;   // 代办: person id the actor acts for, or empty
    std::string target_step;  // return: where to (default: the drafting step)
    std::string reason;       // return: required; approve: the opinion
    std::string hand_over_to;
    std::optional<int> expected_version;
};

enum class Verdict { allowed, not_permitted, invalid, conflict };
const char* to_string(Verdict verdict);

// The stable name of the rule behind a refusal, for hosts that explain it.
inline constexpr const char* kSeparationOfDuties = "separation_of_duties";

struct Decision {
    Verdict verdict = Verdict::invalid;
    std::string message;  // why, when not allowed
    std::string rule;     // when refused by a named rule (kSeparationOfDuties), else empty
    ReportPosition next;  // when allowed
    std::string role;     // the role the action was taken in (contact, head …)
};

// One thing a person may do now on a report, as a host offers it: the action,
// for whom (代办) if not in their own name, and the choices it takes.
struct OfferedAction {
    std::string action;                     // submit, approve, return, … waive
    std::string acting_for;                 // empty: in their own name
    std::vector<std::string> target_steps;  // return: the steps it may go back to
    std::vector<std::string> hand_over_to;  // hand_over: who may receive it
};

// A co-operating department's obligation as a waiver (免报) sees it.
struct WaiverSubject {
    std::string department;
    std::string task;
    std::string role;  // "lead" or "co"
    bool waived = false;
    std::string waived_by;
    std::string waive_reason;
};

class WorkflowEngine {
public:
    // separation_of_duties: nobody may act at two different steps of one
    // report (so nobody approves or files what they drafted or submitted),
    // acting for someone (代办) or by hand-over (转交) included.
    WorkflowEngine(const Workflow& workflow, const OrgChart& org_chart,
                   bool separation_of_duties = true)
        : workflow_(workflow), org_chart_(org_chart), separation_(separation_of_duties) {}

    // department: the department the report belongs to. missing_co_reports:
    // co-operating departments that have not reported (filing needs none).
    Decision decide(const ReportPosition& current, const std::string& department,
                    const ActionInput& input,
                    const std::vector<std::string>& missing_co_reports = {}) const;

    // What person may do now on the report at `current`: each action that
    // decide() allows them with the report's current version — in their own
    // name, or else for (代办) someone who could take it (the step's role
    // holders, or for withdraw the one who sent it on) — with the return
    // targets and hand-over receivers it allows. Nothing when the report is
    // filed or the person is unknown or inactive. The same decide() as the
    // action itself: what is offered is what report.act would accept.
    std::vector<OfferedAction> offered_actions(
        const ReportPosition& current, const std::string& department, const std::string& person,
        const std::vector<std::string>& missing_co_reports = {}) const;

    // Whether actor may waive (免报) the report of a co-operating department
    // with this reason: only the reform office, only a co-operating
    // department, once, with a reason.
    Decision decide_waiver(const std::string& actor, const WaiverSubject& subject,
                           const std::string& reason) const;

    // Whether person may act at step for department, by the org chart of now:
    // they hold the step's role, and if the step was handed over (assignee)
    // to someone who still holds it, they are that person.
    bool may_act(const Person& person, const WorkflowStep& step, const std::string& department,
                 const std::string& assignee) const;

    // Why a hand-over at the report's step no longer binds (the assignee left
    // the org chart, is inactive, or no longer holds the step's role), or
    // nullopt when there is none or it still stands.
    std::optional<std::string> lapsed_hand_over(const ReportPosition& position,
                                                const std::string& department) const;

    // The step other than `step` at which person already acted on the report,
    // when the separation of duties forbids them to act at `step`.
    std::optional<std::string> separation_conflict(const ReportPosition& position,
                                                   const std::string& person,
                                                   const std::string& step) const;

    // Whether actor may act for (代办) the other person on a report of
    // department: the reform office for anyone, a head of the department for
    // its members. Inactive people do neither.
    static bool may_act_for(const Person& actor, const Person& other,
                            const std::string& department);

    const Workflow& workflow() const { return workflow_; }
    bool separation_of_duties() const { return separation_; }

private:
    Decision refuse_separation(const Person& person, const std::string& acted_at,
                               const std::string& step, const std::string& how) const;

    const Workflow& workflow_;
    const OrgChart& org_chart_;
    bool separation_;
};

// True if the person is active and has the role for that department
// (contact/head of it — their own department or a position in it —, leader
// in charge of it, reform office, …).
bool holds_role_for(const Person& person, PersonRole role, const std::string& department);

// Whether person may read the reports and audit entries of department: its
// members (their own department or a position in it), the leader in charge
// of it, and, for every department, the reform office, the president and the
// supervision office. Inactive people read nothing.
bool may_read(const Person& person, const std::string& department);

// True if id names a person of the reform office (司改办): who files, urges,
// waives and issues supervision notices.
bool is_reform_office(const OrgChart& org_chart, const std::string& id);

}  // namespace rl::core
