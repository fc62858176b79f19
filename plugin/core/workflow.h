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

struct Decision {
    Verdict verdict = Verdict::invalid;
    std::string message;  // why, when not allowed
    ReportPosition next;  // when allowed
    std::string role;     // the role the action was taken in (contact, head …)
};

class WorkflowEngine {
public:
    WorkflowEngine(const Workflow& workflow, const OrgChart& org_chart)
        : workflow_(workflow), org_chart_(org_chart) {}

    // department: the department the report belongs to. missing_co_reports:
    // co-operating departments that have not reported (filing needs none).
    Decision decide(const ReportPosition& current, const std::string& department,
                    const ActionInput& input,
                    const std::vector<std::string>& missing_co_reports = {}) const;

    // Whether person may act at step for department (handing over narrows it
    // to the assignee).
    bool may_act(const Person& person, const WorkflowStep& step, const std::string& department,
                 const std::string& assignee) const;

    // Whether actor may act for (代办) the other person.
    static bool may_act_for(const Person& actor, const Person& other);

    const Workflow& workflow() const { return workflow_; }

private:
    const Workflow& workflow_;
    const OrgChart& org_chart_;
};

// True if the person has the role for that department (contact/head of it,
// leader in charge of it, reform office, …).
bool holds_role_for(const Person& person, PersonRole role, const std::string& department);

// True if id names a person of the reform office (司改办): who files, urges,
// waives and issues supervision notices.
bool is_reform_office(const OrgChart& org_chart, const std::string& id);

}  // namespace rl::core
