#include "core/task_lifecycle.h"

#include <algorithm>

namespace rl::core {

namespace {

bool blank(const std::string& text) {
    return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

TaskDecision refuse(Verdict verdict, std::string message) {
    TaskDecision d;
    d.verdict = verdict;
    d.message = std::move(message);
    return d;
}

TaskDecision allow(TaskStage next) {
    TaskDecision d;
    d.verdict = Verdict::allowed;
    d.next = next;
    return d;
}

// "closed (已办结)": the stored name, then what it means to people.
std::string stage_phrase(TaskStage stage) {
    const char* meaning = "";
    switch (stage) {
        case TaskStage::open:
            meaning = "not closed";
            break;
        case TaskStage::closure_requested:
            meaning = "its closure waits for approval, 申请办结";
            break;
        case TaskStage::closed:
            meaning = "已办结";
            break;
        case TaskStage::struck:
            meaning = "struck from the ledger, 已销号";
            break;
        case TaskStage::cancelled:
            meaning = "已撤消";
            break;
    }
    return std::string(to_string(stage)) + " (" + meaning + ")";
}

}  // namespace

const char* to_string(TaskStage stage) {
    switch (stage) {
        case TaskStage::open:
            return "open";
        case TaskStage::closure_requested:
            return "closure_requested";
        case TaskStage::closed:
            return "closed";
        case TaskStage::struck:
            return "struck";
        case TaskStage::cancelled:
            return "cancelled";
    }
    return "open";
}

std::optional<TaskStage> task_stage_from_string(const std::string& text) {
    for (auto s : {TaskStage::open, TaskStage::closure_requested, TaskStage::closed,
                   TaskStage::struck, TaskStage::cancelled}) {
        if (text == to_string(s)) {
            return s;
        }
    }
    return std::nullopt;
}

const char* to_string(TaskState state) {
    switch (state) {
        case TaskState::not_started:
            return "not_started";
        case TaskState::in_progress:
            return "in_progress";
        case TaskState::closure_requested:
            return "closure_requested";
        case TaskState::closed:
            return "closed";
        case TaskState::struck:
            return "struck";
        case TaskState::cancelled:
            return "cancelled";
    }
    return "not_started";
}

const char* label_of(TaskState state) {
    switch (state) {
        case TaskState::not_started:
            return "未启动";
        case TaskState::in_progress:
            return "推进中";
        case TaskState::closure_requested:
            return "申请办结";
        case TaskState::closed:
            return "已办结";
        case TaskState::struck:
            return "已销号";
        case TaskState::cancelled:
            return "已撤消";
    }
    return "";
}

TaskState task_state(TaskStage stage, bool reported) {
    switch (stage) {
        case TaskStage::open:
            return reported ? TaskState::in_progress : TaskState::not_started;
        case TaskStage::closure_requested:
            return TaskState::closure_requested;
        case TaskStage::closed:
            return TaskState::closed;
        case TaskStage::struck:
            return TaskState::struck;
        case TaskStage::cancelled:
            return TaskState::cancelled;
    }
    return TaskState::not_started;
}

bool is_finished(TaskStage stage) {
    return stage == TaskStage::closed || stage == TaskStage::struck ||
           stage == TaskStage::cancelled;
}

TaskTiming task_timing(TaskStage stage, bool reported, const std::optional<Date>& effective,
                       const Date& today, const WorkingCalendar& calendar) {
    TaskTiming t;
    t.state = task_state(stage, reported);
    t.effective_deadline = effective;
    if (!effective || is_finished(stage)) {
        return t;
    }
    if (*effective < today) {
        t.overdue = true;
        t.overdue_working_days = calendar.count_working_days(effective->plus_days(1), today);
    } else {
        t.working_days_left = calendar.count_working_days(today.plus_days(1), *effective);
    }
    return t;
}

const char* to_string(TaskChange change) {
    switch (change) {
        case TaskChange::submit_closure:
            return "submit_closure";
        case TaskChange::recall_closure:
            return "recall_closure";
        case TaskChange::close:
            return "close";
        case TaskChange::strike:
            return "strike";
        case TaskChange::reopen:
            return "reopen";
        case TaskChange::cancel:
            return "cancel";
        case TaskChange::set_deadline:
            return "set_deadline";
        case TaskChange::request_extension:
            return "request_extension";
        case TaskChange::assign:
            return "assign";
    }
    return "";
}

TaskDecision decide_stage(TaskStage current, TaskChange change) {
    const auto refused = [&](const std::string& what) {
        return refuse(Verdict::invalid,
                      "the task is " + stage_phrase(current) + ": it cannot " + what);
    };
    switch (change) {
        case TaskChange::submit_closure:
            return current == TaskStage::open ? allow(TaskStage::closure_requested)
                                              : refused("apply to be closed");
        case TaskChange::recall_closure:
            return current == TaskStage::closure_requested ? allow(TaskStage::open)
                                                           : refused("have a closure recalled");
        case TaskChange::close:
            return current == TaskStage::closure_requested ? allow(TaskStage::closed)
                                                           : refused("be closed");
        case TaskChange::strike:
            return current == TaskStage::closed
                       ? allow(TaskStage::struck)
                       : refused("be struck (销号); only a closed task can");
        case TaskChange::reopen:
            return current == TaskStage::closed || current == TaskStage::struck
                       ? allow(TaskStage::open)
                       : refused("be reopened; only a closed or struck task can");
        case TaskChange::cancel:
            return current == TaskStage::open ? allow(TaskStage::cancelled)
                                              : refused("be cancelled (撤消)");
        case TaskChange::set_deadline:
        case TaskChange::assign:
            return current == TaskStage::open || current == TaskStage::closure_requested
                       ? allow(current)
                       : refused(change == TaskChange::assign ? "have its departments changed"
                                                              : "have its deadline changed");
        case TaskChange::request_extension:
            return current == TaskStage::open ? allow(current) : refused("be given more time");
    }
    return refused("change");
}

TaskDecision decide_change(TaskStage current, TaskChange change, const Person* actor,
                           const std::vector<std::string>& lead, const std::string& reason) {
    if (actor == nullptr) {
        return refuse(Verdict::not_permitted, "the actor is not in the org chart");
    }
    if (!actor->active) {
        return refuse(Verdict::not_permitted, actor->id + " is inactive");
    }
    switch (change) {
        case TaskChange::set_deadline:
        case TaskChange::strike:
        case TaskChange::reopen:
        case TaskChange::cancel:
        case TaskChange::assign:
            if (!holds_role_for(*actor, PersonRole::reform_office, "")) {
                return refuse(Verdict::not_permitted,
                              std::string("only the reform office (司改办) may ") +
                                  to_string(change) + " a task; " + actor->id + " is not in it");
            }
            if (change != TaskChange::assign && blank(reason)) {
                return refuse(Verdict::invalid, std::string(to_string(change)) + " needs a reason");
            }
            break;
        case TaskChange::request_extension: {
            const bool leads = std::any_of(lead.begin(), lead.end(), [&](const std::string& d) {
                return holds_role_for(*actor, PersonRole::contact, d) ||
                       holds_role_for(*actor, PersonRole::head, d);
            });
            if (!leads) {
                return refuse(Verdict::not_permitted,
                              "only the contact or head of a lead department may ask for a new "
                              "deadline; " +
                                  actor->id + " is neither");
            }
            if (blank(reason)) {
                return refuse(Verdict::invalid, "an extension request needs a reason");
            }
            break;
        }
        default:
            return refuse(Verdict::invalid,
                          std::string(to_string(change)) + " goes through the closure workflow");
    }
    return decide_stage(current, change);
}

// ------------------------------------------------------------ 延期申请

const char* to_string(ExtensionState state) {
    switch (state) {
        case ExtensionState::requested:
            return "requested";
        case ExtensionState::endorsed:
            return "endorsed";
        case ExtensionState::approved:
            return "approved";
        case ExtensionState::refused:
            return "refused";
    }
    return "requested";
}

std::optional<ExtensionState> extension_state_from_string(const std::string& text) {
    for (auto s : {ExtensionState::requested, ExtensionState::endorsed, ExtensionState::approved,
                   ExtensionState::refused}) {
        if (text == to_string(s)) {
            return s;
        }
    }
    return std::nullopt;
}

ExtensionDecision decide_extension(ExtensionState current, const std::string& action,
                                   const Person* actor, const std::string& department,
                                   const std::string& reason) {
    ExtensionDecision d;
    const auto refuse_with = [&](Verdict v, std::string message) {
        d.verdict = v;
        d.message = std::move(message);
        return d;
    };
    if (action != "approve" && action != "refuse") {
        return refuse_with(Verdict::invalid, "action '" + action + "' is not approve or refuse");
    }
    if (current == ExtensionState::approved || current == ExtensionState::refused) {
        return refuse_with(Verdict::invalid,
                           std::string("the request is already ") + to_string(current));
    }
    if (actor == nullptr || !actor->active) {
        return refuse_with(Verdict::not_permitted,
                           "the actor is not an active person of the org chart");
    }
    const PersonRole role = current == ExtensionState::requested ? PersonRole::leader_in_charge
                                                                 : PersonRole::reform_office;
    if (!holds_role_for(*actor, role, department)) {
        return refuse_with(Verdict::not_permitted,
                           current == ExtensionState::requested
                               ? "the request waits for the leader in charge of " + department +
                                     "; " + actor->id + " is not"
                               : "the request waits for the reform office (司改办); " + actor->id +
                                     " is not in it");
    }
    if (action == "refuse" && blank(reason)) {
        return refuse_with(Verdict::invalid, "a refusal needs a reason");
    }
    d.verdict = Verdict::allowed;
    d.role = to_string(role);
    d.next = action == "refuse"                     ? ExtensionState::refused
             : current == ExtensionState::requested ? ExtensionState::endorsed
                                                    : ExtensionState::approved;
    return d;
}

std::string check_new_deadline(const Date& asked, const std::optional<Date>& effective,
                               const Date& today) {
    if (asked <= today) {
        return "the new deadline " + asked.iso() + " is not after today (" + today.iso() + ")";
    }
    if (effective && asked <= *effective) {
        return "the new deadline " + asked.iso() + " is not after the current one (" +
               effective->iso() + ")";
    }
    return "";
}

}  // namespace rl::core
