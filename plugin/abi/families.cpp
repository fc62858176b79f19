#include "abi/families.h"

namespace rl::abi {

MethodTable all_methods() {
    MethodTable table;
    add_plugin_methods(table);
    add_plan_methods(table);
    add_calendar_methods(table);
    add_report_methods(table);
    add_audit_methods(table);
    add_notification_methods(table);
    add_database_methods(table);
    add_task_methods(table);
    add_assessment_methods(table);
    add_instruction_methods(table);
    add_reading_methods(table);
    add_export_methods(table);
    return table;
}

}  // namespace rl::abi
