#include "core/workflow.h"

#include <algorithm>
#include <stdexcept>

namespace rl::core {

namespace {

std::string role_description(PersonRole role, const std::string& department) {
    switch (role) {
        case PersonRole::contact:
            return "the contact of " + department;
        case PersonRole::head:
            return "the head of " + department;
        case PersonRole::leader_in_charge:
            return "the leader in charge of " + department;
        case PersonRole::reform_office:
            return "the reform office";
        case PersonRole::president:
            return "the president";
        case PersonRole::supervision_office:
            return "the supervision office";
    }
    return "?";
}

Decision refuse(Verdict verdict, std::string message) {
    Decision d;
    d.verdict = verdict;
    d.message = std::move(message);
    return d;
}

}  // namespace

bool WorkflowStep::allows(const std::string& action) const {
    return std::find(actions.begin(), actions.end(), action) != actions.end();
}

void Workflow::validate() const {
    if (steps.size() < 2) {
        throw std::invalid_argument("workflow " + id +
                                    " needs at least a drafting and a filing step");
    }
    for (std::size_t i = 0; i < steps.size(); ++i) {
        for (std::size_t k = 0; k < i; ++k) {
            if (steps[k].id == steps[i].id) {
                throw std::invalid_argument("workflow " + id + " has step '" + steps[i].id +
                                            "' twice");
            }
        }
        for (const auto& target : steps[i].return_targets) {
            const int at = index_of(target);
            if (at < 0 || at >= static_cast<int>(i)) {
                throw std::invalid_argument("workflow " + id + ": step '" + steps[i].id +
                                            "' returns to '" + target +
                                            "', which is not an earlier step");
            }
        }
    }
}

const WorkflowStep* Workflow::step(const std::string& step_id) const {
    const int i = index_of(step_id);
    return i < 0 ? nullptr : &steps[static_cast<std::size_t>(i)];
}

int Workflow::index_of(const std::string& step_id) const {
    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (steps[i].id == step_id) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

const char* to_string(ReportState state) {
    switch (state) {
        case ReportState::draft:
            return "draft";
        case ReportState::in_approval:
            return "in_approval";
        case ReportState::returned:
            return "returned";
        case ReportState::filed:
            return "filed";
    }
    return "?";
}

std::optional<ReportState> report_state_from_string(const std::string& text) {
    for (auto s : {ReportState::draft, ReportState::in_approval, ReportState::returned,
                   ReportState::filed}) {
        if (text == to_string(s)) {
            return s;
        }
    }
    return std::nullopt;
}

const char* to_string(Verdict verdict) {
    switch (verdict) {
        case Verdict::allowed:
            return "ok";
        case Verdict::not_permitted:
            return "not_permitted";
        case Verdict::invalid:
            return "invalid";
        case Verdict::conflict:
            return "conflict";
    }
    return "?";
}

bool holds_role_for(const Person& person, PersonRole role, const std::string& department) {
    if (!person.active) {
        return false;
    }
    switch (role) {
        case PersonRole::contact:
        case PersonRole::head:
            if (person.has_role(role) && person.department == department) {
                return true;
            }
            for (const auto& position : person.positions) {
                if (position.department == department &&
                    std::find(position.roles.begin(), position.roles.end(), role) !=
                        position.roles.end()) {
                    return true;
                }
            }
            return false;
        case PersonRole::leader_in_charge:
            return person.has_role(role) &&
                   std::find(person.in_charge_of.begin(), person.in_charge_of.end(), department) !=
                       person.in_charge_of.end();
        case PersonRole::reform_office:
        case PersonRole::president:
        case PersonRole::supervision_office:
            return person.has_role(role);
    }
    return false;
}

bool may_read(const Person& person, const std::string& department) {
    if (!person.active) {
        return false;
    }
    for (const PersonRole court_wide :
         {PersonRole::reform_office, PersonRole::president, PersonRole::supervision_office}) {
        if (person.has_role(court_wide)) {
            return true;
        }
    }
    return person.belongs_to(department) ||
           holds_role_for(person, PersonRole::leader_in_charge, department);
}

bool is_reform_office(const OrgChart& org_chart, const std::string& id) {
    const Person* p = org_chart.person(id);
    return p != nullptr && holds_role_for(*p, PersonRole::reform_office, "");
}

bool WorkflowEngine::may_act(const Person& person, const WorkflowStep& step,
                             const std::string& department, const std::string& assignee) const {
    if (!holds_role_for(person, step.actor_role, department)) {
        return false;
    }
    const Person* handed = assignee.empty() ? nullptr : org_chart_.person(assignee);
    if (handed != nullptr && holds_role_for(*handed, step.actor_role, department)) {
        return person.id == handed->id;
    }
    return true;  // not handed over, or the hand-over lapsed: the step's role holders
}

std::optional<std::string> WorkflowEngine::lapsed_hand_over(const ReportPosition& position,
                                                            const std::string& department) const {
    if (!position.exists || position.assignee.empty() || position.state == ReportState::filed) {
        return std::nullopt;
    }
    const WorkflowStep* step = workflow_.step(position.step);
    if (step == nullptr) {
        return std::nullopt;
    }
    const Person* handed = org_chart_.person(position.assignee);
    if (handed == nullptr) {
        return position.assignee + " is no longer in the org chart";
    }
    if (!handed->active) {
        return handed->name + " (" + handed->id + ") is inactive";
    }
    if (!holds_role_for(*handed, step->actor_role, department)) {
        return handed->name + " (" + handed->id + ") is no longer " +
               role_description(step->actor_role, department);
    }
    return std::nullopt;
}

std::optional<std::string> WorkflowEngine::separation_conflict(const ReportPosition& position,
                                                               const std::string& person,
                                                               const std::string& step) const {
    if (!separation_) {
        return std::nullopt;
    }
    for (const auto& acted : position.step_actors) {
        if (acted.person == person && acted.step != step) {
            return acted.step;
        }
    }
    return std::nullopt;
}

Decision WorkflowEngine::refuse_separation(const Person& person, const std::string& acted_at,
                                           const std::string& step, const std::string& how) const {
    const WorkflowStep* earlier = workflow_.step(acted_at);
    const WorkflowStep* now = workflow_.step(step);
    Decision d = refuse(
        Verdict::not_permitted,
        "separation of duties (四眼原则): " + person.name + " (" + person.id + ")" + how +
            " already acted on this report at step " +
            (earlier != nullptr ? earlier->label : acted_at) + " and may not also act at step " +
            (now != nullptr ? now->label : step) +
            "; nobody acts at two steps of one report, nor approves or files what they drafted "
            "or submitted (options.separation_of_duties)");
    d.rule = kSeparationOfDuties;
    return d;
}

bool WorkflowEngine::may_act_for(const Person& actor, const Person& other,
                                 const std::string& department) {
    if (actor.id == other.id || !actor.active) {
        return false;
    }
    if (holds_role_for(actor, PersonRole::reform_office, department)) {
        return true;  // 司改办 may act for anyone, and it is recorded as such
    }
    return holds_role_for(actor, PersonRole::head, department) && other.belongs_to(department);
}

Decision WorkflowEngine::decide(const ReportPosition& current, const std::string& department,
                                const ActionInput& in,
                                const std::vector<std::string>& missing_co_reports) const {
    const Person* actor = org_chart_.person(in.actor);
    if (actor == nullptr) {
        return refuse(Verdict::not_permitted,
                      "'" + in.actor + "' is not a person in the org chart");
    }
    if (!actor->active) {
        return refuse(Verdict::not_permitted, actor->name + " (" + actor->id +
                                                  ") is inactive in the org chart and may no "
                                                  "longer act");
    }
    const Person* effective = actor;
    if (!in.acting_for.empty()) {
        effective = org_chart_.person(in.acting_for);
        if (effective == nullptr) {
            return refuse(Verdict::invalid,
                          "acting for '" + in.acting_for + "', who is not in the org chart");
        }
        if (!may_act_for(*actor, *effective, department)) {
            return refuse(Verdict::not_permitted,
                          actor->name + " (" + actor->id + ") may not act for " + effective->name +
                              " (" + effective->id + ") on a report of " + department +
                              ": only the reform office, or a head of " + department +
                              " for its members, may");
        }
    }

    if (current.exists && current.state == ReportState::filed) {
        return refuse(Verdict::invalid, "the report is filed; nothing more can be done with it");
    }
    if (current.exists) {
        if (!in.expected_version) {
            return refuse(Verdict::invalid, "the report's version is required (it is at version " +
                                                std::to_string(current.version) + ")");
        }
        if (*in.expected_version != current.version) {
            return refuse(Verdict::conflict,
                          "the report changed meanwhile: it is at version " +
                              std::to_string(current.version) + ", the action was for version " +
                              std::to_string(*in.expected_version) + "; reload and try again");
        }
    }

    const WorkflowStep& first = workflow_.first();
    const std::string step_id = current.exists ? current.step : first.id;
    const WorkflowStep* step = workflow_.step(step_id);
    if (step == nullptr) {
        return refuse(Verdict::invalid, "the report is at unknown step '" + step_id + "'");
    }
    const int index = workflow_.index_of(step_id);

    // The step whose rules govern this action: withdraw belongs to the step
    // the report came from.
    const WorkflowStep* governing = step;
    if (in.action == "withdraw") {
        governing = workflow_.step(current.previous_step);
        if (!current.exists || current.state != ReportState::in_approval || governing == nullptr) {
            return refuse(Verdict::invalid,
                          "there is nothing to withdraw: the report is not waiting "
                          "at a step it was sent to");
        }
    }
    const bool known_action = in.action == "save_draft" || in.action == "submit" ||
                              in.action == "approve" || in.action == "return" ||
                              in.action == "withdraw" || in.action == "hand_over" ||
                              in.action == "file";
    if (!known_action) {
        return refuse(Verdict::invalid, "unknown action '" + in.action + "'");
    }
    if (!governing->allows(in.action)) {
        return refuse(Verdict::invalid, "'" + in.action + "' is not possible at step " +
                                            governing->label + " (" + governing->id + ")");
    }
    if (!in.acting_for.empty() && !governing->allows("act_for")) {
        return refuse(Verdict::invalid,
                      "acting for someone is not possible at step " + governing->label);
    }

    // Authorisation.
    if (in.action == "withdraw") {
        if (!current.assignee.empty()) {
            return refuse(Verdict::not_permitted,
                          "the report was handed over at its step, which counts as that step "
                          "acting; it can no longer be withdrawn");
        }
        if (effective->id != current.entered_by) {
            return refuse(Verdict::not_permitted,
                          effective->name + " (" + effective->id +
                              ") may not withdraw: only the person who sent it on may, until the "
                              "next step acts");
        }
    } else if (!may_act(*effective, *step, department, current.exists ? current.assignee : "")) {
        const std::string who = current.exists && !current.assignee.empty()
                                    ? "the person it was handed over to (" + current.assignee + ")"
                                    : role_description(step->actor_role, department);
        return refuse(Verdict::not_permitted, effective->name + " (" + effective->id +
                                                  ") may not " + in.action + " at step " +
                                                  step->label + ": only " + who + " may");
    }

    // Separation of duties: the one who acts, and the one acted for, may not
    // have acted at another step of this report.
    if (const auto other = separation_conflict(current, actor->id, governing->id)) {
        return refuse_separation(*actor, *other, governing->id,
                                 effective != actor ? " (acting for " + effective->id + ")" : "");
    }
    if (effective != actor) {
        if (const auto other = separation_conflict(current, effective->id, governing->id)) {
            return refuse_separation(*effective, *other, governing->id,
                                     ", for whom " + actor->id + " acts,");
        }
    }

    Decision d;
    d.verdict = Verdict::allowed;
    d.role = in.action == "withdraw" ? "sender" : to_string(step->actor_role);
    if (!in.acting_for.empty()) {
        d.role += " (acted for by " + actor->id + ")";
    }
    ReportPosition next = current;
    next.exists = true;
    next.version = current.exists ? current.version + 1 : 1;
    const StepActor acted{governing->id, actor->id};
    if (std::find(next.step_actors.begin(), next.step_actors.end(), acted) ==
        next.step_actors.end()) {
        next.step_actors.push_back(acted);
    }

    const auto move_to = [&](const std::string& target) {
        next.previous_step = step_id;
        next.step = target;
        next.entered_by = effective->id;
        next.assignee.clear();
    };

    if (in.action == "save_draft") {
        if (current.exists && step_id != first.id) {
            return refuse(Verdict::invalid,
                          "the report is in approval; withdraw it before editing");
        }
        next.step = first.id;
        if (!current.exists) {
            next.state = ReportState::draft;
        }
    } else if (in.action == "submit") {
        if (!current.exists) {
            return refuse(Verdict::invalid, "save a draft before submitting");
        }
        move_to(current.resume_step.empty() ? workflow_.steps[1].id : current.resume_step);
        next.resume_step.clear();
        next.state = ReportState::in_approval;
    } else if (in.action == "approve") {
        if (index + 1 >= static_cast<int>(workflow_.steps.size())) {
            return refuse(Verdict::invalid, "the last step files the report; use file");
        }
        move_to(current.resume_step.empty()
                    ? workflow_.steps[static_cast<std::size_t>(index) + 1].id
                    : current.resume_step);
        next.resume_step.clear();
        next.state = ReportState::in_approval;
    } else if (in.action == "file") {
        if (!missing_co_reports.empty()) {
            std::string list;
            for (const auto& m : missing_co_reports) {
                list += list.empty() ? "" : "、";
                list += m;
            }
            return refuse(Verdict::invalid,
                          "co-operating departments have not reported for this period: " + list +
                              "; wait for them, or waive them with a reason");
        }
        next.state = ReportState::filed;
        next.previous_step = step_id;
        next.entered_by = effective->id;
        next.assignee.clear();
    } else if (in.action == "return") {
        if (workflow_.return_requires_reason &&
            in.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
            return refuse(Verdict::invalid, "a return needs a reason");
        }
        const std::string target = in.target_step.empty() ? first.id : in.target_step;
        if (std::find(step->return_targets.begin(), step->return_targets.end(), target) ==
            step->return_targets.end()) {
            std::string allowed;
            for (const auto& t : step->return_targets) {
                allowed += allowed.empty() ? "" : ", ";
                allowed += t;
            }
            return refuse(Verdict::invalid, "step " + step->label + " cannot return to '" + target +
                                                "' (it can return to: " + allowed + ")");
        }
        move_to(target);
        next.resume_step = step_id;
        next.state = ReportState::returned;
    } else if (in.action == "withdraw") {
        const int from = workflow_.index_of(current.previous_step);
        const bool skipped = workflow_.index_of(step_id) != from + 1;
        next.step = current.previous_step;
        next.resume_step = skipped ? step_id : "";
        next.previous_step.clear();
        next.entered_by.clear();
        next.assignee.clear();
        next.state =
            current.previous_step == first.id ? ReportState::draft : ReportState::in_approval;
    } else if (in.action == "hand_over") {
        if (!current.exists) {
            return refuse(Verdict::invalid, "save a draft before handing the report over");
        }
        const Person* to = org_chart_.person(in.hand_over_to);
        if (to == nullptr) {
            return refuse(Verdict::invalid,
                          "hand over to '" + in.hand_over_to + "', who is not in the org chart");
        }
        if (to->id == effective->id) {
            return refuse(Verdict::invalid, "handing over to oneself changes nothing");
        }
        // 转交 goes to someone who could hold the step: its role for this
        // department, by the org chart of now, and not someone who acted at
        // another step of this report.
        if (!to->active) {
            return refuse(Verdict::invalid, "hand over to " + to->name + " (" + to->id +
                                                "), who is inactive in the org chart");
        }
        if (!holds_role_for(*to, step->actor_role, department)) {
            return refuse(Verdict::invalid, "hand over to " + to->name + " (" + to->id +
                                                "), who is not " +
                                                role_description(step->actor_role, department));
        }
        if (const auto other = separation_conflict(current, to->id, step->id)) {
            return refuse_separation(*to, *other, step->id, ", to whom it would go,");
        }
        next.assignee = to->id;
    }
    d.next = next;
    return d;
}

std::vector<OfferedAction> WorkflowEngine::offered_actions(
    const ReportPosition& current, const std::string& department, const std::string& person,
    const std::vector<std::string>& missing_co_reports) const {
    std::vector<OfferedAction> offered;
    const Person* user = org_chart_.person(person);
    if (user == nullptr || !user->active ||
        (current.exists && current.state == ReportState::filed)) {
        return offered;
    }
    const WorkflowStep* step = workflow_.step(current.exists ? current.step : workflow_.first().id);
    if (step == nullptr) {
        return offered;
    }
    // A return needs a reason, which the person gives when they return it:
    // any text stands for it here.
    static const std::string kSomeReason = "—";

    // The action as decide() judges it, with each choice it takes; nullopt
    // when it allows none.
    const auto judge = [&](const std::string& action,
                           const std::string& acting_for) -> std::optional<OfferedAction> {
        ActionInput in;
        in.action = action;
        in.actor = person;
        in.acting_for = acting_for;
        if (current.exists) {
            in.expected_version = current.version;
        }
        const auto allowed = [&] {
            return decide(current, department, in, missing_co_reports).verdict == Verdict::allowed;
        };
        OfferedAction offer{action, acting_for, {}, {}};
        if (action == "return") {
            in.reason = kSomeReason;
            for (const auto& target : step->return_targets) {
                in.target_step = target;
                if (allowed()) {
                    offer.target_steps.push_back(target);
                }
            }
            return offer.target_steps.empty() ? std::nullopt : std::optional(offer);
        }
        if (action == "hand_over") {
            for (const auto& other : org_chart_.people()) {
                in.hand_over_to = other.id;
                if (allowed()) {
                    offer.hand_over_to.push_back(other.id);
                }
            }
            return offer.hand_over_to.empty() ? std::nullopt : std::optional(offer);
        }
        return allowed() ? std::optional(offer) : std::nullopt;
    };

    // Whom acting for could help: who may take the action themselves.
    const std::string assignee = current.exists ? current.assignee : "";
    const auto could_take = [&](const Person& other, const std::string& action) {
        if (other.id == person) {
            return false;
        }
        if (action == "withdraw") {
            return other.id == current.entered_by;
        }
        return may_act(other, *step, department, assignee);
    };

    for (const char* action :
         {"save_draft", "submit", "approve", "return", "withdraw", "hand_over", "file"}) {
        if (auto own = judge(action, "")) {
            offered.push_back(std::move(*own));
            continue;
        }
        for (const auto& other : org_chart_.people()) {
            if (!could_take(other, action)) {
                continue;
            }
            if (auto for_other = judge(action, other.id)) {
                offered.push_back(std::move(*for_other));
            }
        }
    }
    return offered;
}

Decision WorkflowEngine::decide_waiver(const std::string& actor, const WaiverSubject& subject,
                                       const std::string& reason) const {
    if (!is_reform_office(org_chart_, actor)) {
        return refuse(Verdict::not_permitted,
                      "only the reform office may waive a co-operating department's report");
    }
    if (subject.role != "co") {
        return refuse(Verdict::invalid, "only a co-operating department's report can be waived; " +
                                            subject.department + " leads task " + subject.task);
    }
    if (subject.waived) {
        return refuse(Verdict::invalid,
                      "already waived by " + subject.waived_by + ": " + subject.waive_reason);
    }
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
        return refuse(Verdict::invalid, "a waiver needs a reason");
    }
    Decision d;
    d.verdict = Verdict::allowed;
    d.role = to_string(PersonRole::reform_office);
    return d;
}

}  // namespace rl::core
