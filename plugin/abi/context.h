// What the ABI's methods work with: the host, the configuration, the
// working-day calendar, the approval workflow, the database and its stores,
// the deliverer — and the reading of request members that several families
// of methods share (the plan, the month, the reader, a department's name).
// The Instance owns one Context and hands it to every handler; a handler
// depends on this, never on the Instance.
#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "abi/answer_cache.h"
#include "abi/host.h"
#include "abi/method_table.h"
#include "config.h"
#include "core/calendar.h"
#include "core/org_chart.h"
#include "core/reporting.h"
#include "core/workflow.h"
#include "notify/deliverer.h"
#include "storage/database.h"
#include "storage/instruction_store.h"
#include "storage/month_view.h"
#include "storage/notification_store.h"
#include "storage/plan_store.h"
#include "storage/reading_store.h"
#include "storage/report_store.h"
#include "storage/task_store.h"

namespace rl::abi {

class Context {
public:
    // Reads the calendar the configuration names, opens and migrates the
    // database (a ledger from before the audit chain is chained now) and the
    // stores on it, and makes the delivery worker if the configuration asks
    // for one — without starting it. methods is the table the instance
    // dispatches from (plugin.info and plugin.describe list it); it must
    // outlive the context.
    Context(const rl_host_services& host, Config config, const MethodTable& methods);
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    // Stops the delivery worker (joining its thread before the database
    // closes), then closes the stores and the database. Afterwards the
    // accessors below that need them throw CallError(RL_ERR_STATE).
    void close();

    const Host& host() const { return host_; }
    const Config& config() const { return config_; }
    // The answers of the reads that keep them (Keep::answers), with the
    // ledger's change count they were computed at.
    AnswerCache& answers() { return answers_; }
    const core::WorkingCalendar& calendar() const { return calendar_; }
    const core::Workflow& workflow() const { return workflow_; }
    // The closure (办结) approval workflow (task_methods.cpp).
    const core::Workflow& closure_workflow() const { return closure_workflow_; }
    const MethodTable& methods() const { return methods_; }

    storage::Database& database();
    storage::PlanStore& plans();
    storage::ReportStore& reports();
    storage::TaskStore& tasks();
    storage::NotificationStore& notifications();
    storage::InstructionStore& instructions();
    storage::ReadingStore& reading();
    notify::Deliverer& deliverer();
    // nullptr when the configuration runs no delivery thread.
    notify::DeliveryWorker* worker() { return worker_.get(); }

    // A Tx::slices handler's last write: what call() runs, with the result
    // written to its writer, in one write transaction once the handler has
    // returned. Kept for the calling thread only.
    using LastWrite = std::function<void(json::Writer&)>;
    void in_last_write(LastWrite fn);
    // The calling thread's last write, taken (empty when none was given).
    LastWrite take_last_write();

    // Today in court time, by the host's clock.
    core::Date today() const;
    // The plan a request names ("plan": KEY), or the latest one imported.
    core::PlanInfo plan_of(const rapidjson::Document& request);
    // The month a request names ("period": "2019-10" or "2019-Q4"), or the
    // month being reported on today. Reads see it through month_view();
    // writes open it first.
    core::Period month_of(const rapidjson::Document& request, const core::PlanInfo& plan);
    // The month's obligations as reads see them (nothing is stored).
    storage::MonthView month_view(const core::PlanInfo& plan, const core::Period& month);
    // Stores the month's obligations if nobody has yet (writes only).
    void open_month(const core::PlanInfo& plan, const core::Period& month);
    // The org chart's name of a department; RL_ERR_NOT_FOUND if it has none.
    std::string canonical_department(const std::string& name) const;
    // The person a read is for ("user", required); RL_ERR_NOT_FOUND when the
    // org chart does not know them.
    const core::Person& reader_of(const rapidjson::Document& request) const;
    // The ledger is open to all staff: a "user", when a host names one, must
    // be an active person of the org chart (RL_ERR_NOT_FOUND, or
    // RL_ERR_INVALID_ARGUMENT when inactive).
    void check_optional_reader(const rapidjson::Document& request) const;

private:
    Host host_;
    Config config_;
    core::WorkingCalendar calendar_;
    core::Workflow workflow_;
    core::Workflow closure_workflow_;
    const MethodTable& methods_;
    AnswerCache answers_;
    // Declared in the order they are opened; closed in reverse.
    std::unique_ptr<storage::Database> database_;
    std::unique_ptr<storage::PlanStore> plans_;
    std::unique_ptr<storage::ReportStore> reports_;
    std::unique_ptr<storage::TaskStore> tasks_;
    std::unique_ptr<storage::NotificationStore> notifications_;
    std::unique_ptr<storage::InstructionStore> instructions_;
    std::unique_ptr<storage::ReadingStore> reading_;
    std::unique_ptr<notify::Deliverer> deliverer_;
    std::unique_ptr<notify::DeliveryWorker> worker_;
    // Tx::slices handlers' last writes, by the thread that gave them.
    std::mutex last_writes_mutex_;
    std::map<std::thread::id, LastWrite> last_writes_;
};

// Why person may not read department's reports (or anything, if inactive).
std::string read_refusal(const core::Person& person, const std::string& department);

}  // namespace rl::abi
