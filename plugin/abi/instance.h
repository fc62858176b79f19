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
#include "json_util.h"
#include "storage/database.h"
#include "storage/plan_store.h"

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
    struct Handler {
        HandlerFn fn;
        bool writes;  // runs in a write transaction (BEGIN IMMEDIATE)
    };

    void plugin_info(const rapidjson::Document& request, json::Writer& out);
    void plan_parse(const rapidjson::Document& request, json::Writer& out);
    void plan_import(const rapidjson::Document& request, json::Writer& out);
    void plan_list(const rapidjson::Document& request, json::Writer& out);
    void ledger_tasks(const rapidjson::Document& request, json::Writer& out);
    void ledger_summary(const rapidjson::Document& request, json::Writer& out);
    void org_chart(const rapidjson::Document& request, json::Writer& out);

    static const std::map<std::string, Handler, std::less<>>& handlers();
    void register_definitions();
    storage::PlanStore& plans();

    Host host_;
    Config config_;
    std::unique_ptr<storage::Database> database_;
    std::unique_ptr<storage::PlanStore> plans_;
    std::atomic<bool> shut_down_{false};
    std::shared_mutex lifecycle_;  // calls share it; shutdown takes it alone
};

}  // namespace rl::abi
