#include "core/scores.h"

#include <algorithm>
#include <cmath>

namespace rl::core {

namespace {

double two_decimals(double x) {
    const double r = std::round(x * 100) / 100;
    return r == 0 ? 0 : r;  // no -0
}

}  // namespace

void tally(DepartmentRecord& record, const ReportRecord& report, const Date& today,
           const WorkingCalendar& calendar) {
    record.urges += report.urges;
    record.returns += report.returns;
    if (report.waived) {
        return;
    }
    if (report.first_submitted) {
        ++record.reports_due;
        if (*report.first_submitted <= report.due) {
            ++record.reports_on_time;
        } else {
            record.overdue_working_days +=
                calendar.count_working_days(report.due.plus_days(1), *report.first_submitted);
        }
    } else if (report.due < today) {
        ++record.reports_due;
        record.overdue_working_days += calendar.count_working_days(report.due.plus_days(1), today);
    }
}

std::vector<DepartmentScore> rank_departments(const std::vector<DepartmentRecord>& records,
                                              const ScoreWeights& weights) {
    std::vector<DepartmentScore> out;
    for (const auto& record : records) {
        DepartmentScore s;
        s.record = record;
        if (record.reports_due > 0) {
            s.on_time_rate = static_cast<double>(record.reports_on_time) / record.reports_due;
            s.points.on_time_rate = two_decimals(-weights.on_time_rate * (1 - *s.on_time_rate));
        }
        s.points.overdue_working_days =
            two_decimals(-weights.overdue_working_day * record.overdue_working_days);
        s.points.urges = two_decimals(-weights.urge * record.urges);
        s.points.supervision_notices =
            two_decimals(-weights.supervision_notice * record.supervision_notices);
        s.points.returns = two_decimals(-weights.returned * record.returns);
        if (record.tasks_closed_on_time) {
            s.points.closed_on_time =
                two_decimals(weights.closed_on_time * *record.tasks_closed_on_time);
        }
        s.score = two_decimals(100 + s.points.on_time_rate + s.points.overdue_working_days +
                               s.points.urges + s.points.supervision_notices + s.points.returns +
                               s.points.closed_on_time);
        out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end(), [](const DepartmentScore& a, const DepartmentScore& b) {
        if (a.score != b.score) {
            return a.score > b.score;
        }
        return a.record.department < b.record.department;
    });
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i].rank =
            i > 0 && out[i].score == out[i - 1].score ? out[i - 1].rank : static_cast<int>(i) + 1;
    }
    for (auto& s : out) {
        for (const auto& other : out) {
            if (&other != &s && other.score == s.score) {
                s.tied_with.push_back(other.record.department);
            }
        }
    }
    return out;
}

}  // namespace rl::core
