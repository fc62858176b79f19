#include "storage/period_history.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "storage/record_set.h"

using Poco::Data::RecordSet;
using Poco::Data::Session;
using Poco::Data::Statement;
using Poco::Data::Keywords::use;

namespace rl::storage {

namespace {

using Id = Poco::Int64;

constexpr const char* kObligationJoins =
    " FROM obligations o"
    " JOIN assignments a ON a.id = o.assignment_id"
    " JOIN tasks t ON t.id = a.task_id"
    " LEFT JOIN task_items i ON i.id = a.item_id"
    " JOIN departments d ON d.id = a.department_id";

}  // namespace

std::vector<UrgeRecord> PeriodHistory::urges(const core::PlanInfo& plan, const std::string& month) {
    return database_.read([&](Session& s) {
        Statement st(s);
        Id plan_id = plan.id;
        std::string m = month;
        st << std::string(
                  "SELECT t.number, COALESCE(i.number, ''), d.name, o.period,"
                  " u.urged_ms, u.urged_by, u.note") +
                  kObligationJoins +
                  " JOIN urges u ON u.obligation_id = o.id"
                  " WHERE t.plan_id = $1 AND a.retired_at IS NULL AND o.period_month = $2"
                  " ORDER BY u.urged_ms, u.id",
            use(plan_id), use(m);
        st.execute();
        RecordSet rs(st);
        std::vector<UrgeRecord> out;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
            out.push_back({text(rs, 0), text(rs, 1), text(rs, 2), text(rs, 3), integer(rs, 4),
                           text(rs, 5), text(rs, 6)});
        }
        return out;
    });
}

std::map<std::int64_t, std::string> PeriodHistory::first_submitted(const core::PlanInfo& plan,
                                                                   const std::string& month) {
    return database_.read([&](Session& s) {
        Statement st(s);
        Id plan_id = plan.id;
        std::string m = month;
        st << std::string("SELECT o.id, MIN(v.recorded_at)") + kObligationJoins +
                  " JOIN reports r ON r.obligation_id = o.id"
                  " JOIN report_versions v ON v.report_id = r.id"
                  " WHERE t.plan_id = $1 AND a.retired_at IS NULL AND o.period_month = $2"
                  " AND v.state IN ('in_approval', 'filed')"
                  " GROUP BY o.id",
            use(plan_id), use(m);
        st.execute();
        RecordSet rs(st);
        std::map<std::int64_t, std::string> out;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
            out[integer(rs, 0)] = text(rs, 1);
        }
        return out;
    });
}

std::map<std::string, TaskReport> PeriodHistory::latest_reports(const core::PlanInfo& plan,
                                                                const std::string& month) {
    return database_.read([&](Session& s) {
        Statement st(s);
        Id plan_id = plan.id;
        std::string m = month;
        // Oldest first: a later row replaces an earlier one.
        st << std::string(
                  "SELECT t.number, o.period, o.period_month, r.state, r.content,"
                  " r.updated_at") +
                  kObligationJoins +
                  " JOIN reports r ON r.obligation_id = o.id"
                  " WHERE t.plan_id = $1 AND a.retired_at IS NULL AND a.role = 'lead'"
                  " AND o.period_month <= $2"
                  " AND (r.state = 'filed' OR o.period_month = $3)"
                  " ORDER BY o.period_month, r.updated_at, r.id",
            use(plan_id), use(m), use(m);
        st.execute();
        RecordSet rs(st);
        std::map<std::string, TaskReport> out;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
            TaskReport report{text(rs, 1), text(rs, 2), text(rs, 3), text(rs, 4), text(rs, 5)};
            const auto it = out.find(text(rs, 0));
            if (it == out.end()) {
                out.emplace(text(rs, 0), std::move(report));
                continue;
            }
            // A filed report is never replaced by one not filed.
            if (report.state == "filed" || it->second.state != "filed") {
                it->second = std::move(report);
            }
        }
        return out;
    });
}

}  // namespace rl::storage
