// Three-colour warnings (红黄绿灯) for tasks and departments, as of a day.
//
// A task is
//   red    when its deadline has passed and it is not settled, or one of its
//          report obligations is overdue (past due and not yet submitted);
//   yellow when its deadline falls within deadline_yellow_within working days,
//          or progress lags: a report not yet submitted (none, or a draft)
//          with report_yellow_within working days or fewer left, or a report
//          returned to the department and not yet resubmitted;
//   green  otherwise — and always once settled (办结, 销号, 撤消).
// Working days are counted with the court calendar: "within n" means at most n
// working days after today up to and including the due date (due today: 0).
//
// A department's colour is the worst of the tasks it leads (every reason of
// the task counts against the lead) and of its own reports on the tasks it
// co-operates on (a co-operating department answers for its own reports, not
// for the lead's or the task's deadline). Lead and co-operating reasons are
// not weighted: one red reason makes a department red.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/reporting.h"

namespace rl::core {

enum class Colour { green, yellow, red };
const char* to_string(Colour colour);  // green, yellow, red
const char* label(Colour colour);      // 绿灯, 黄灯, 红灯

// warnings.* in the configuration.
struct WarningThresholds {
    int deadline_yellow_within = 10;  // warnings.yellow_within_working_days
    int report_yellow_within = 3;     // warnings.report_yellow_within_working_days
};

// A task as the colours see it: the deadline it must meet and whether it is
// still in hand.
struct TaskStanding {
    std::string task;
    std::optional<Date> deadline;  // none: 长期坚持, 全年持续推进 and the like
    bool settled = false;          // 已办结, 已销号 or 已撤消: never yellow or red
    std::string state;             // the state's name, shown when settled
};

// One report obligation of the task, as of today.
struct ReportDue {
    std::string department;
    bool lead = true;
    std::string period;
    Date due;
    ObligationStatus status = ObligationStatus::not_started;
};

struct WarningReason {
    // deadline_passed, deadline_near, report_overdue, report_due_soon,
    // report_returned, settled
    std::string rule;
    Colour colour = Colour::green;
    std::string task;
    std::string department;  // empty for the task's own deadline
    std::string period;      // empty for the task's own deadline
    std::optional<Date> due;
    // *_passed, report_overdue: working days late; *_near, report_due_soon:
    // working days left; otherwise 0.
    int working_days = 0;
    std::string text;  // the reason in words, for people
};

struct Warning {
    Colour colour = Colour::green;
    std::vector<WarningReason> reasons;  // red first, then yellow
};

Warning task_warning(const TaskStanding& task, const std::vector<ReportDue>& reports,
                     const Date& today, const WorkingCalendar& calendar,
                     const WarningThresholds& thresholds);

// A task's warning and who leads it, for the departments' colours.
struct TaskWarning {
    std::string task;
    std::vector<std::string> leads;
    Warning warning;
};

// Each department's colour (see the top of this file), with the reasons
// that make it. Departments named in departments and in no reason are green.
std::map<std::string, Warning> department_warnings(const std::vector<TaskWarning>& tasks,
                                                   const std::vector<std::string>& departments);

}  // namespace rl::core
