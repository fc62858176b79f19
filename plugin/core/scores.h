// Department scores (考评) for a period: how each department reported, and a
// ranked table.
//
// A department's record for a period (a month, or a year) counts its report
// obligations whose period ends in it:
//   reports_due           obligations not waived that are due by today or
//                         already submitted (one not yet due and not yet
//                         submitted is not counted yet);
//   reports_on_time       of those, first submitted on or before the due date;
//   overdue_working_days  working days from the due date to the first
//                         submission, or to today while not submitted;
//   urges                 催办 received on them;
//   returns               times they were returned (退回);
// and, separately, the supervision notices (督办单) issued to it while the
// period was being reported on, and the tasks it leads closed (办结) on time — when the ledger
// records closure at all (nullopt otherwise: never a made-up figure).
//
// Its score (weights: scores.weights in the configuration):
//   100 − on_time_rate × (1 − reports_on_time / reports_due)
//       − overdue_working_day × overdue_working_days
//       − urge × urges − supervision_notice × notices − return × returns
//       + closed_on_time × tasks_closed_on_time
// rounded to two decimals; no reports due means no deduction for the rate.
// The score is not clamped: below zero stays below zero.
// Departments are ranked by score, highest first; equal scores share a rank
// (1, 1, 3 …) and are listed by name.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"

namespace rl::core {

struct ScoreWeights {
    double on_time_rate = 40;
    double overdue_working_day = 1;
    double urge = 2;
    double supervision_notice = 5;
    double returned = 2;  // "return" in the configuration
    double closed_on_time = 5;
};

// One report obligation, as the scores see it.
struct ReportRecord {
    std::string department;
    Date due;
    bool waived = false;
    std::optional<Date> first_submitted;  // court date
    int urges = 0;
    int returns = 0;
};

struct DepartmentRecord {
    std::string department;
    int reports_due = 0;
    int reports_on_time = 0;
    int overdue_working_days = 0;
    int urges = 0;
    int supervision_notices = 0;
    int returns = 0;
    std::optional<int> tasks_closed_on_time;
};

// Adds one obligation to its department's record.
void tally(DepartmentRecord& record, const ReportRecord& report, const Date& today,
           const WorkingCalendar& calendar);

// What each part of the score added or took away.
struct ScorePoints {
    double on_time_rate = 0;
    double overdue_working_days = 0;
    double urges = 0;
    double supervision_notices = 0;
    double returns = 0;
    double closed_on_time = 0;
};

struct DepartmentScore {
    DepartmentRecord record;
    std::optional<double> on_time_rate;  // 0–1; none when no report was due
    ScorePoints points;
    double score = 0;
    int rank = 0;
    std::vector<std::string> tied_with;  // the others of the same score
};

// The ranked table (see the top of this file).
std::vector<DepartmentScore> rank_departments(const std::vector<DepartmentRecord>& records,
                                              const ScoreWeights& weights);

}  // namespace rl::core
