// Leaders' instructions (批示) and their answers (反馈): written here in the
// transaction that decides them (the ABI's), read by the ledger and by the
// reminder sweep, which finds the open parts through their index.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/reminders.h"
#include "storage/database.h"

namespace rl::storage {

struct InstructionAnswer {
    std::string answered_by;
    std::string answered_at;
    std::string content;
    bool final = false;
};

// An addressed department's part: open until its final answer.
struct InstructionPart {
    std::int64_t id = 0;
    std::string department;
    std::string status;  // open, answered
    std::string closed_at;
    std::string escalated_at;
    std::vector<InstructionAnswer> answers;  // oldest first
};

struct Instruction {
    std::int64_t id = 0;
    std::string number;  // 批示〔2019〕1号
    std::int64_t plan_id = 0;
    std::string task_number;
    std::int64_t obligation_id = 0;               // the report's obligation; 0: on the task
    std::string item_number, department, period;  // of that report
    std::string written_by;
    std::string written_role;  // president, leader_in_charge
    std::string written_at;
    std::string due_date;
    std::string content;
    std::vector<InstructionPart> parts;  // in the order addressed

    bool open() const;  // some part still open
};

class InstructionStore {
public:
    // REQUIRES: destroyed before database.
    explicit InstructionStore(Database& database) : database_(database) {}

    // Stores the instruction with one open part per department (given
    // canonical, without repeats); returns its number, 批示〔<year written>〕<n>号.
    std::string write(const Instruction& instruction, const std::vector<std::string>& departments);
    std::optional<Instruction> get(const std::string& number);
    // A plan's instructions, oldest first: of one task and/or addressed to
    // one department when given; status "open" or "closed" when given.
    std::vector<Instruction> list(std::int64_t plan_id, const std::string& task,
                                  const std::string& department, const std::string& status);
    // Records an answer to a part; a final one closes the part.
    void answer(std::int64_t part_id, const InstructionAnswer& answer);
    // Task number → its open instructions (with some part open), for the ledger.
    std::map<std::string, int> open_counts(std::int64_t plan_id);

    // The sweep's side: every open part due by horizon (court date).
    std::vector<core::OpenInstructionPart> open_parts(const core::Date& horizon);
    // Records the part's escalation once; true when it is new.
    bool record_escalation(std::int64_t part_id, const std::string& at);

private:
    Database& database_;
};

}  // namespace rl::storage
