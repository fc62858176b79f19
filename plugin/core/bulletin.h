// The monthly bulletin (月度通报) as a Word document: how the departments
// reported for a period — due, on time, late, missing, urges and supervision
// notices per department — then the overdue obligations, the urges and the
// supervision notices. Which obligation counts as on time, late or missing
// is decided here (tally_departments); the data comes in plain.
//
// Department scores (考评, core/scores.h) close it as a ranked table.
#pragma once

#include <string>
#include <vector>

#include "core/reporting.h"
#include "core/scores.h"
#include "core/word_document.h"

namespace rl::core {

struct BulletinObligation {
    std::string department;
    std::string task_number;
    std::string task_title;
    std::string item_number;   // empty: the task itself
    std::string role;          // lead / co
    std::string due_date;      // ISO court date
    std::string submitted_on;  // court date it was first submitted; empty: never
    std::string status;        // as of today: not_started … overdue, waived
    int overdue_working_days = 0;
};

struct BulletinUrge {
    std::string department;
    std::string task_number;
    std::string period;
    std::string urged_on;  // court date
    std::string by;        // the person's name
    std::string note;
};

struct BulletinNotice {
    std::string number;  // 督办〔2019〕1号
    std::string department;
    std::string task_number;
    std::string issued_on;  // court date
    std::string due_date;
    std::string status;  // open, answered
    std::string content;
};

struct BulletinInput {
    std::string plan_title;
    std::string period;                           // "2019-05"
    std::string today;                            // court date the bulletin is made
    std::vector<BulletinObligation> obligations;  // of the period
    std::vector<BulletinUrge> urges;              // on the period's obligations
    std::vector<BulletinNotice> notices;          // issued in notice_window(period)
    std::vector<DepartmentScore> scores;          // the period's ranked table (考评)
};

// The supervision notices a period's bulletin lists: those issued in the
// month its reports are collected in (the month after the period), when
// lateness is chased — the 2019-05 bulletin lists those of June 2019. Every
// notice is in exactly one bulletin. First and last court date, ISO.
struct DateSpan {
    std::string first;
    std::string last;
};
DateSpan notice_window(const Period& period);

// Each obligation of the period (waived ones aside) lands in one column:
// missing when it is overdue now (past due, not submitted or returned to be
// redrafted); else on time or late by the day it was first submitted against
// its due date; else pending (not yet due).
struct DepartmentTally {
    std::string department;
    int due = 0;
    int on_time = 0;
    int late = 0;
    int missing = 0;
    int pending = 0;
    int urges = 0;
    int notices = 0;
};

// Per department, in the order departments first appear in the
// obligations (ledger order), then departments only urged or supervised.
std::vector<DepartmentTally> tally_departments(const BulletinInput& input);
DepartmentTally total_of(const std::vector<DepartmentTally>& tallies);

WordDocument bulletin_document(const BulletinInput& input);

}  // namespace rl::core
