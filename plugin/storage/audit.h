// The audit trail (全程留痕): one append-only row per action, written by
// whichever store makes the change, inside the same transaction.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>

namespace rl::storage {

struct AuditRecord {
    std::string at;  // ISO 8601 UTC
    std::string actor;
    std::string acting_for;
    std::string role;
    std::string action;
    std::int64_t plan_id = 0;
    std::string task_number;
    std::string item_number;
    std::string department;
    std::string period;
    std::int64_t obligation_id = 0;  // 0: none
    std::int64_t report_id = 0;      // 0: none
    std::string from_state, to_state, from_step, to_step;
    std::string reason;
    std::optional<int> report_version;
};

// The fields every action on an obligation records; the caller adds the rest
// (acting_for, report, states and steps, reason, version).
AuditRecord audit_of(const std::string& at, const std::string& actor, const std::string& role,
                     const std::string& action, std::int64_t plan_id,
                     const std::string& task_number, const std::string& item_number,
                     const std::string& department, const std::string& period,
                     std::int64_t obligation_id);

void append_audit(Poco::Data::Session& session, const AuditRecord& record);

}  // namespace rl::storage
