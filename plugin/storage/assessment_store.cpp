#include "storage/assessment_store.h"

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
}  // namespace

std::map<std::int64_t, ReportFacts> AssessmentStore::report_facts(const core::PlanInfo& plan,
                                                                  const std::string& first_month,
                                                                  const std::string& last_month) {
    return database_.read([&](Session& s) {
        Statement st(s);
        Id plan_id = plan.id;
        std::string from = first_month, to = last_month;
        st << "SELECT l.obligation_id,"
              " MIN(CASE WHEN l.action = 'submit' THEN l.at END),"
              " SUM(CASE WHEN l.action = 'return' THEN 1 ELSE 0 END)"
              " FROM audit_log l JOIN obligations o ON o.id = l.obligation_id"
              " WHERE l.plan_id = $1 AND o.period_month >= $2 AND o.period_month <= $3"
              " AND l.action IN ('submit', 'return')"
              " GROUP BY l.obligation_id",
            use(plan_id), use(from), use(to);
        st.execute();
        RecordSet rs(st);
        std::map<std::int64_t, ReportFacts> out;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
            ReportFacts& f = out[integer(rs, 0)];
            f.first_submitted_at = text(rs, 1);
            f.returns = static_cast<int>(integer(rs, 2));
        }
        return out;
    });
}

std::vector<NoticeIssued> AssessmentStore::notices(const core::PlanInfo& plan) {
    return database_.read([&](Session& s) {
        Statement st(s);
        Id plan_id = plan.id;
        st << "SELECT department, task_number, issued_at FROM supervision_notices"
              " WHERE plan_id = $1 ORDER BY id",
            use(plan_id);
        st.execute();
        RecordSet rs(st);
        std::vector<NoticeIssued> out;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
            out.push_back({text(rs, 0), text(rs, 1), text(rs, 2)});
        }
        return out;
    });
}

std::vector<ClosureFiled> AssessmentStore::closures_filed(const core::PlanInfo& plan) {
    return database_.read([&](Session& s) {
        Statement st(s);
        Id plan_id = plan.id;
        st << "SELECT c.department, t.number, c.updated_at,"
              " COALESCE(t.deadline_set, t.deadline_due, '')"
              " FROM task_closures c JOIN tasks t ON t.id = c.task_id"
              " WHERE t.plan_id = $1 AND c.state = 'filed' AND t.stage IN ('closed', 'struck')"
              " AND t.retired_at IS NULL"
              " AND c.round = (SELECT MAX(l.round) FROM task_closures l WHERE l.task_id = t.id)"
              " ORDER BY c.id",
            use(plan_id);
        st.execute();
        RecordSet rs(st);
        std::vector<ClosureFiled> out;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
            out.push_back({text(rs, 0), text(rs, 1), text(rs, 2), text(rs, 3)});
        }
        return out;
    });
}

}  // namespace rl::storage
