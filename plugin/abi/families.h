// The families of ABI methods, each registered from its own file into the
// dispatch table (method_table.h says how to add one).
#pragma once

#include "abi/context.h"
#include "abi/method_table.h"

namespace rl::abi {

// Every method of every family. Throws std::logic_error if two families
// claim one method.
MethodTable all_methods();

void add_plugin_methods(MethodTable& table);        // instance.cpp: plugin.info, plugin.describe
void add_plan_methods(MethodTable& table);          // plan_methods.cpp: plan.*, ledger.summary,
                                                    // ledger.tasks, org.chart
void add_calendar_methods(MethodTable& table);      // calendar_methods.cpp: calendar.*
void add_report_methods(MethodTable& table);        // report_methods.cpp: obligations.list,
                                                    // report.*, ledger.status, inbox
void add_audit_methods(MethodTable& table);         // audit_methods.cpp: audit.*
void add_notification_methods(MethodTable& table);  // notify_methods.cpp: notify.*, urge*,
                                                    // supervision.*
void add_database_methods(MethodTable& table);      // db_methods.cpp: db.check
void add_task_methods(MethodTable& table);          // task_methods.cpp: task.*
void add_assessment_methods(MethodTable& table);    // assessment_methods.cpp: scores.*
void add_instruction_methods(MethodTable& table);   // instruction_methods.cpp: instruction.*
void add_reading_methods(MethodTable& table);       // reading_methods.cpp: reading.*
void add_export_methods(MethodTable& table);        // export_methods.cpp: export.ledger,
                                                    // export.bulletin

// Hand-overs (转交) to someone who left, became inactive or lost the step's
// role go back to the step's role holders, in the audit trail
// (report_methods.cpp). The instance runs it at start, in a write
// transaction.
void release_lapsed_hand_overs(Context& context);

}  // namespace rl::abi
