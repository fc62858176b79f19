// One plugin instance: configuration, database and the methods call() runs.
// The C entry points in entry.cpp are thin wrappers around this class.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "abi/host.h"
#include "config.h"
#include "core/calendar.h"
#include "core/workflow.h"
#include "json_util.h"
#include "notify/deliverer.h"
#include "storage/database.h"
#include "storage/notification_store.h"
#include "storage/plan_store.h"
#include "storage/report_store.h"

struct rl_instance {
    virtual ~rl_instance() = default;
};

namespace rl::abi {

class Instance : public rl_instance {
public:
    // Opens and migrates the database, then registers the definitions.
    Instance(const rl_host_services& host, Config config);
    ~Instance() override;

    // Runs a method as one database transaction and hands its JSON result to
    // emit before committing; if emit throws, the transaction rolls back.
    // Throws on failure.
    void call(std::string_view method, std::string_view request,
              const std::function<void(const std::string&)>& emit);
    void shutdown();

    const Host& host() const { return host_; }

private:
    using HandlerFn = void (Instance::*)(const rapidjson::Document&, json::Writer&);
    enum class Tx {
        read,   // one read transaction
        write,  // one write transaction (BEGIN IMMEDIATE)
        none,   // manages its own (delivery: never hold the database while sending)
    };
    struct Handler {
        HandlerFn fn;
        Tx tx;
    };

    void plugin_info(const rapidjson::Document& request, json::Writer& out);
    // The method catalogue: each method's access, request and result shapes.
    void plugin_describe(const rapidjson::Document& request, json::Writer& out);
    void plan_parse(const rapidjson::Document& request, json::Writer& out);
    void plan_import(const rapidjson::Document& request, json::Writer& out);
    void plan_list(const rapidjson::Document& request, json::Writer& out);
    void ledger_tasks(const rapidjson::Document& request, json::Writer& out);
    void ledger_summary(const rapidjson::Document& request, json::Writer& out);
    void org_chart(const rapidjson::Document& request, json::Writer& out);
    // Reporting and approval (report_methods.cpp).
    void calendar_workdays(const rapidjson::Document& request, json::Writer& out);
    void calendar_day(const rapidjson::Document& request, json::Writer& out);
    void obligations_list(const rapidjson::Document& request, json::Writer& out);
    void report_get(const rapidjson::Document& request, json::Writer& out);
    void report_act(const rapidjson::Document& request, json::Writer& out);
    void report_waive(const rapidjson::Document& request, json::Writer& out);
    void ledger_status(const rapidjson::Document& request, json::Writer& out);
    void inbox(const rapidjson::Document& request, json::Writer& out);
    void audit_list(const rapidjson::Document& request, json::Writer& out);
    void audit_verify(const rapidjson::Document& request, json::Writer& out);
    // Reminders, urges, supervision and delivery (notify_methods.cpp).
    void notify_sweep(const rapidjson::Document& request, json::Writer& out);
    void notify_deliver(const rapidjson::Document& request, json::Writer& out);
    void notify_status(const rapidjson::Document& request, json::Writer& out);
    void notify_dead(const rapidjson::Document& request, json::Writer& out);
    void notify_requeue(const rapidjson::Document& request, json::Writer& out);
    void urge(const rapidjson::Document& request, json::Writer& out);
    void urge_bulk(const rapidjson::Document& request, json::Writer& out);
    void supervision_issue(const rapidjson::Document& request, json::Writer& out);
    void supervision_answer(const rapidjson::Document& request, json::Writer& out);
    void supervision_list(const rapidjson::Document& request, json::Writer& out);
    // The database file (db_methods.cpp).
    void db_check(const rapidjson::Document& request, json::Writer& out);

    // The plan a request names ("plan": KEY), or the latest one imported.
    core::PlanInfo plan_of(const rapidjson::Document& request);
    // Who a plan import names as its actor: a person of the org chart or
    // service:NAME. Throws RL_ERR_INVALID_ARGUMENT otherwise.
    storage::Importer importer_of(const rapidjson::Document& request) const;
    // Today in court time, by the host's clock.
    core::Date today() const;
    // The month a request names ("period": "2019-10" or "2019-Q4"), or the
    // month being reported on today; its obligations exist afterwards.
    core::Period month_of(const rapidjson::Document& request, const core::PlanInfo& plan);
    std::string canonical_department(const std::string& name) const;
    // The person a read is for ("user", required); RL_ERR_NOT_FOUND when the
    // org chart does not know them.
    const core::Person& reader_of(const rapidjson::Document& request) const;
    // The ledger is open to all staff: a "user", when a host names one, must
    // be an active person of the org chart (RL_ERR_NOT_FOUND, or
    // RL_ERR_INVALID_ARGUMENT when inactive).
    void check_optional_reader(const rapidjson::Document& request) const;
    // Why person may not read department's reports (or anything, if inactive).
    static std::string read_refusal(const core::Person& person, const std::string& department);
    // Hand-overs (转交) to someone who left, became inactive or lost the
    // step's role go back to the step's role holders, in the audit trail.
    void release_lapsed_hand_overs();
    void write_status_rows(const core::PlanInfo& plan, const core::Period& month, json::Writer& w);
    // Task number → status of its lead report(s) for the month.
    std::map<std::string, std::string> task_statuses(const core::PlanInfo& plan,
                                                     const core::Period& month);

    static const std::map<std::string, Handler, std::less<>>& handlers();
    void register_definitions();
    storage::PlanStore& plans();
    storage::ReportStore& reports();
    storage::NotificationStore& notifications();

    Host host_;
    Config config_;
    core::WorkingCalendar calendar_;
    core::Workflow workflow_;
    std::unique_ptr<storage::Database> database_;
    std::unique_ptr<storage::PlanStore> plans_;
    std::unique_ptr<storage::ReportStore> reports_;
    std::unique_ptr<storage::NotificationStore> notifications_;
    std::unique_ptr<notify::Deliverer> deliverer_;
    std::unique_ptr<notify::DeliveryWorker> worker_;
    std::atomic<bool> shut_down_{false};
    std::shared_mutex lifecycle_;  // calls share it; shutdown takes it alone
};

}  // namespace rl::abi
