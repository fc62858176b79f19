// ABI call overhead: the same read-only methods through the C ABI (the plugin
// dlopen'd by oa_stub::PluginHost, result through an rl_sink) and called in
// C++ directly (rl::abi::Instance linked in from reform_ledger_impl), on the
// same database file. Google Benchmark does the timing.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <stdexcept>

#include "abi/instance.h"
#include "common.h"
#include "config.h"
#include "plugin_host.h"
#include "storage/database.h"
#include "storage/plan_store.h"

namespace rl::bench {

namespace {

// Keeps each benchmark's median real time per iteration, in ns.
class Capture : public benchmark::BenchmarkReporter {
public:
    bool ReportContext(const Context&) override { return true; }
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const auto& r : runs) {
            if (r.error_occurred) {
                errors[r.run_name.function_name] = r.error_message;
                continue;
            }
            // The median of the repetitions (unit: ns, set below).
            if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") {
                ns[r.run_name.function_name] = r.GetAdjustedRealTime();
            }
        }
    }
    std::map<std::string, double> ns;
    std::map<std::string, std::string> errors;
};

void host_log(void*, int32_t, const char*, size_t) {}
std::int64_t fixed_now(void*) {
    return court_ms(2019, 11, 4);
}
rl_status accept_definition(void*, int32_t, const char*, size_t, rl_error*) {
    return RL_OK;
}

}  // namespace

void bench_abi(const Options& o, Table& t) {
    progress("ABI call overhead");
    const std::string db = o.file("abi.db");
    remove_database(db);
    const std::string config = plugin_config(o, db);

    oa_stub::PluginHost host(RL_LOG_ERROR);
    host.set_clock(court_ms(2019, 11, 4));
    host.load(o.plugin);
    host.create(config);
    host.call("plan.import",
              "{\"path\":" + json_string(o.seed_plan()) + ",\"actor\":\"service:rl-bench\"}");

    rl_host_services services{};
    services.struct_size = sizeof services;
    services.host_context = nullptr;
    services.log = &host_log;
    services.now_ms = &fixed_now;
    services.register_definition = &accept_definition;
    rl::abi::Instance direct(services, rl::parse_config(config));

    // The storage layer alone, without JSON or the ABI: PlanStore::summary in
    // one read transaction on its own connection.
    storage::Database database(db, storage::sqlite_migrations());
    storage::PlanStore store(database);

    struct Query {
        std::string label, method, request;
    };
    const std::vector<Query> queries = {
        {"ledger.summary", "ledger.summary", "{}"},
        {"calendar.day", "calendar.day", "{\"date\":\"2019-10-12\"}"},
    };
    // Same result either way (sanity check, outside timing).
    for (const auto& q : queries) {
        std::string direct_result;
        direct.call(q.method, q.request,
                    [&](std::string_view json) { direct_result.append(json); });
        if (direct_result != host.call(q.method, q.request)) {
            throw std::runtime_error(q.method + ": the ABI and the direct call disagree");
        }
    }

    for (const auto& q : queries) {
        benchmark::RegisterBenchmark(("abi/" + q.label).c_str(), [&host, q](benchmark::State& s) {
            for (auto _ : s) {
                std::string r = host.call(q.method, q.request);
                benchmark::DoNotOptimize(r);
            }
        })->Unit(benchmark::kNanosecond);
        benchmark::RegisterBenchmark(("direct/" + q.label).c_str(), [&direct,
                                                                     q](benchmark::State& s) {
            for (auto _ : s) {
                std::string r;
                direct.call(q.method, q.request, [&](std::string_view json) { r.append(json); });
                benchmark::DoNotOptimize(r);
            }
        })->Unit(benchmark::kNanosecond);
    }
    benchmark::RegisterBenchmark("store/PlanStore::summary", [&](benchmark::State& s) {
        for (auto _ : s) {
            database.transaction(false, [&] {
                const auto plan = store.plan("");
                auto summary = store.summary(plan);
                benchmark::DoNotOptimize(summary);
            });
        }
    })->Unit(benchmark::kNanosecond);

    // Interleaved repetitions so drift (frequency, cache) hits both sides alike.
    const std::string min_time = o.tiny ? "--benchmark_min_time=0.02" : "--benchmark_min_time=0.3";
    const std::string reps = o.tiny ? "--benchmark_repetitions=2" : "--benchmark_repetitions=5";
    std::vector<std::string> args = {"rl_bench", min_time, reps,
                                     "--benchmark_enable_random_interleaving=true"};
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    int argc = static_cast<int>(argv.size());
    benchmark::Initialize(&argc, argv.data());
    Capture capture;
    benchmark::RunSpecifiedBenchmarks(&capture);
    benchmark::ClearRegisteredBenchmarks();
    for (const auto& [name, why] : capture.errors) {
        throw std::runtime_error("benchmark " + name + " failed: " + why);
    }

    for (const auto& q : queries) {
        const double abi = capture.ns.at("abi/" + q.label);
        const double cxx = capture.ns.at("direct/" + q.label);
        t.add(
            {"ABI call " + q.label + " (dlopen, rl_sink)", fixed(abi, 0) + " ns/call",
             fixed(cxx, 0) + " ns/call direct C++ (Instance::call)",
             ratio_text(abi / cxx) + " (" + (abi >= cxx ? "+" : "") + fixed(abi - cxx, 0) + " ns)",
             "-"});
    }
    t.add({"  store only: PlanStore::summary (no JSON, no ABI)",
           fixed(capture.ns.at("store/PlanStore::summary"), 0) + " ns/call", "", "", "-"});
    host.shutdown();
}

}  // namespace rl::bench
