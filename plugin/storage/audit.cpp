#include "storage/audit.h"

using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::now;

namespace rl::storage {

AuditRecord audit_of(const std::string& at, const std::string& actor, const std::string& role,
                     const std::string& action, std::int64_t plan_id,
                     const std::string& task_number, const std::string& item_number,
                     const std::string& department, const std::string& period,
                     std::int64_t obligation_id) {
    AuditRecord r;
    r.at = at;
    r.actor = actor;
    r.role = role;
    r.action = action;
    r.plan_id = plan_id;
    r.task_number = task_number;
    r.item_number = item_number;
    r.department = department;
    r.period = period;
    r.obligation_id = obligation_id;
    return r;
}

void append_audit(Poco::Data::Session& s, const AuditRecord& r) {
    Poco::Nullable<Poco::Int64> obligation_id;
    if (r.obligation_id != 0) {
        obligation_id = r.obligation_id;
    }
    Poco::Nullable<Poco::Int64> report_id;
    if (r.report_id != 0) {
        report_id = r.report_id;
    }
    Poco::Nullable<int> version;
    if (r.report_version) {
        version = *r.report_version;
    }
    s << "INSERT INTO audit_log (at, actor, acting_for, role, action, plan_id, task_number,"
         " item_number, department, period, obligation_id, report_id, from_state, to_state,"
         " from_step, to_step, reason, report_version)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        bind(r.at), bind(r.actor), bind(r.acting_for), bind(r.role), bind(r.action),
        bind(static_cast<Poco::Int64>(r.plan_id)), bind(r.task_number), bind(r.item_number),
        bind(r.department), bind(r.period), bind(obligation_id), bind(report_id),
        bind(r.from_state), bind(r.to_state), bind(r.from_step), bind(r.to_step), bind(r.reason),
        bind(version), now;
}

}  // namespace rl::storage
