#include "core/warnings.h"

#include <algorithm>
#include <set>

namespace rl::core {

const char* to_string(Colour colour) {
    switch (colour) {
        case Colour::green:
            return "green";
        case Colour::yellow:
            return "yellow";
        case Colour::red:
            return "red";
    }
    return "?";
}

const char* label(Colour colour) {
    switch (colour) {
        case Colour::green:
            return "绿灯";
        case Colour::yellow:
            return "黄灯";
        case Colour::red:
            return "红灯";
    }
    return "?";
}

namespace {

// Working days late (due before today) or left (due today or later).
int working_days_late(const Date& due, const Date& today, const WorkingCalendar& calendar) {
    return calendar.count_working_days(due.plus_days(1), today);
}
int working_days_left(const Date& due, const Date& today, const WorkingCalendar& calendar) {
    return calendar.count_working_days(today.plus_days(1), due);
}

std::string whose(const ReportDue& r) {
    return r.department + (r.lead ? "（牵头）" : "（配合）") + r.period + "报告";
}

void add(Warning& w, WarningReason reason) {
    w.colour = std::max(w.colour, reason.colour);
    w.reasons.push_back(std::move(reason));
}

// Red first, then yellow, then green, each colour in the order its reasons
// came (a stable sort by colour, done as one pass per colour).
void order_reasons(Warning& w) {
    const auto red_first = [](const WarningReason& a, const WarningReason& b) {
        return static_cast<int>(a.colour) > static_cast<int>(b.colour);
    };
    if (std::is_sorted(w.reasons.begin(), w.reasons.end(), red_first)) {
        return;
    }
    std::vector<WarningReason> ordered;
    ordered.reserve(w.reasons.size());
    for (const Colour colour : {Colour::red, Colour::yellow, Colour::green}) {
        for (auto& reason : w.reasons) {
            if (reason.colour == colour) {
                ordered.push_back(std::move(reason));
            }
        }
    }
    w.reasons = std::move(ordered);
}

}  // namespace

Warning task_warning(const TaskStanding& task, const std::vector<ReportDue>& reports,
                     const Date& today, const WorkingCalendar& calendar,
                     const WarningThresholds& thresholds) {
    Warning w;
    if (task.settled) {
        WarningReason r;
        r.rule = "settled";
        r.task = task.task;
        r.text = "任务" + (task.state.empty() ? std::string("已办结") : task.state) + "，不再预警";
        w.reasons.push_back(r);
        return w;
    }
    if (task.deadline) {
        WarningReason r;
        r.task = task.task;
        r.due = task.deadline;
        if (*task.deadline < today) {
            r.rule = "deadline_passed";
            r.colour = Colour::red;
            r.working_days = working_days_late(*task.deadline, today, calendar);
            r.text = "任务时限" + task.deadline->iso() + "已过，逾期" +
                     std::to_string(r.working_days) + "个工作日";
            add(w, r);
        } else {
            r.working_days = working_days_left(*task.deadline, today, calendar);
            if (r.working_days <= thresholds.deadline_yellow_within) {
                r.rule = "deadline_near";
                r.colour = Colour::yellow;
                r.text = "任务时限" + task.deadline->iso() + "，还剩" +
                         std::to_string(r.working_days) + "个工作日";
                add(w, r);
            }
        }
    }
    for (const auto& report : reports) {
        WarningReason r;
        r.task = task.task;
        r.department = report.department;
        r.period = report.period;
        r.due = report.due;
        switch (report.status) {
            case ObligationStatus::overdue:
                r.rule = "report_overdue";
                r.colour = Colour::red;
                r.working_days = working_days_late(report.due, today, calendar);
                r.text = whose(report) + "应于" + report.due.iso() + "报送，已逾期" +
                         std::to_string(r.working_days) + "个工作日";
                add(w, r);
                break;
            case ObligationStatus::returned:
                r.rule = "report_returned";
                r.colour = Colour::yellow;
                r.text = whose(report) + "被退回，尚未重新报送";
                add(w, r);
                break;
            case ObligationStatus::not_started:
            case ObligationStatus::draft:
                r.working_days = working_days_left(report.due, today, calendar);
                if (r.working_days <= thresholds.report_yellow_within) {
                    r.rule = "report_due_soon";
                    r.colour = Colour::yellow;
                    r.text = whose(report) + "尚未报送，距" + report.due.iso() + "截止还剩" +
                             std::to_string(r.working_days) + "个工作日";
                    add(w, r);
                }
                break;
            case ObligationStatus::in_approval:
            case ObligationStatus::filed:
            case ObligationStatus::waived:
                break;
        }
    }
    order_reasons(w);
    return w;
}

std::map<std::string, Warning> department_warnings(const std::vector<TaskWarning>& tasks,
                                                   const std::vector<std::string>& departments) {
    std::map<std::string, Warning> out;
    for (const auto& d : departments) {
        out[d];
    }
    for (const auto& t : tasks) {
        const std::set<std::string> leads(t.leads.begin(), t.leads.end());
        for (const auto& reason : t.warning.reasons) {
            if (reason.colour == Colour::green) {
                continue;  // settled
            }
            if (reason.department.empty()) {
                for (const auto& lead : leads) {
                    add(out[lead], reason);
                }
                continue;
            }
            add(out[reason.department], reason);
            for (const auto& lead : leads) {
                if (lead != reason.department) {
                    add(out[lead], reason);
                }
            }
        }
    }
    for (auto& [name, warning] : out) {
        order_reasons(warning);
    }
    return out;
}

}  // namespace rl::core
