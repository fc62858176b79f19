// Sending for reading (抄送/待阅) from any family's write: one call, in the
// write transaction of the action that causes it, resolves the configured
// readers of the kind (config "reading.readers", core/reading.h) through the
// org chart and stores one unread item per reader (storage/reading_store.h).
//
//     abi::send_for_reading(ctx, {"closure", "closure:" + task, plan.id, task, "", lead, "",
//                                 "任务" + task + "申请办结", {lead}, "", actor});
//
// Readers find their items with reading.list and record 已阅 with
// reading.mark (reading_methods.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "abi/context.h"

namespace rl::abi {

struct ReadingSubject {
    std::string kind;     // report, instruction, instruction_answer, closure
    std::string subject;  // unique per kind: report:<id>@v<version>, the instruction's number, …
    std::int64_t plan_id = 0;
    std::string task_number;
    std::string item_number;
    std::string department;  // the report's or answering department; empty for a task
    std::string period;
    std::string title;                     // one line, shown in the reader's list
    std::vector<std::string> departments;  // whose leaders in charge read it
    std::string writer;                    // the instruction's writer (instruction_answer)
    std::string sent_by;                   // whose action sends it; never sent to them
};

// Sends it to its readers; returns who they are (already-sent readers
// included, nothing stored twice). Must run inside a write method.
std::vector<std::string> send_for_reading(Context& ctx, const ReadingSubject& subject);

}  // namespace rl::abi
