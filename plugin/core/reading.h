// Sending for reading (抄送/待阅): which people a filed report, an
// instruction (批示), an instruction's final answer or a task's closure is
// sent to, from the configuration's readers by kind (reading.readers). A
// reader is named by what they are — "president", "leader_in_charge" (of the
// departments the thing is about), "supervision_office", "reform_office",
// "writer" (of the instruction an answer is to) — or as one person,
// "person:<id>"; the org chart resolves them. Pure decisions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/org_chart.h"

namespace rl::core {

// The kinds of things sent for reading.
inline const std::vector<std::string>& reading_kinds() {
    static const std::vector<std::string> kinds = {"report", "instruction", "instruction_answer",
                                                   "closure"};
    return kinds;
}

struct ReadingReaders {
    // kind → reader names, in order.
    std::map<std::string, std::vector<std::string>> by_kind;

    // Without configuration: reports to the leader in charge; instructions
    // and closures to the president, the leader in charge and the
    // supervision office; final answers to the instruction's writer.
    static ReadingReaders defaults();
};

// Empty when name is a reader name this understands (checking that a
// "person:<id>" is in org_chart), else why not.
std::string reading_reader_problem(const std::string& name, const OrgChart& org_chart);

// What a thing sent for reading is about, for resolving its readers.
struct ReadingAbout {
    std::string kind;                      // report, instruction, …
    std::vector<std::string> departments;  // whose leaders in charge read it
    std::string writer;                    // the instruction's writer (instruction_answer)
    std::string sent_by;                   // whose action sends it: never their own reader
};

// The active people who are to read it, each once, in the configured order;
// the sender is left out.
std::vector<std::string> readers_for(const ReadingReaders& readers, const OrgChart& org_chart,
                                     const ReadingAbout& about);

}  // namespace rl::core
