#include "abi/context.h"

#include <chrono>
#include <mutex>
#include <thread>

#include "abi/errors.h"
#include "calendar_data.h"
#include "storage/audit.h"
#include "text/file_reader.h"
#include "workflow_loader.h"

namespace rl::abi {

namespace {

std::string read_calendar_file(const std::string& path) {
    try {
        return text::read_file(
            path,
            {kMaxConfigBytes, "the plugin for the configuration and the files it names (fixed)"},
            "calendar file");
    } catch (const text::DocumentError& e) {
        throw ConfigError(std::string("configuration at calendar.path: ") + e.what());
    }
}

[[noreturn]] void shut_down() {
    throw CallError(RL_ERR_STATE, "the plugin instance has been shut down");
}

}  // namespace

Context::Context(const rl_host_services& host, Config config, const MethodTable& methods)
    : host_(host),
      config_(std::move(config)),
      calendar_(config_.calendar_path.empty()
                    ? builtin_calendar()
                    : load_calendar(read_calendar_file(config_.calendar_path),
                                    "'" + config_.calendar_path + "'")),
      workflow_(progress_report_workflow()),
      closure_workflow_(task_closure_workflow()),
      methods_(methods),
      answers_(static_cast<std::size_t>(config_.database.answer_cache_mb) << 20) {
    database_ = std::make_unique<storage::Database>(config_.database);
    if (const auto damage = database_->damage()) {
        host_.log(RL_LOG_ERROR, *damage);  // reads still work where they can; writes are refused
    } else {
        // A ledger from before the audit chain is chained at its first open.
        storage::seal_legacy_audit(*database_);
    }
    plans_ = std::make_unique<storage::PlanStore>(
        *database_, std::chrono::milliseconds(config_.database.import_slice_ms));
    if (!database_->damage()) {
        // An import that failed, or whose process died, left its plan hidden.
        const int removed = plans_->remove_abandoned_imports(storage::wall_clock_ms());
        if (removed > 0) {
            host_.log(RL_LOG_WARNING, "removed " + std::to_string(removed) +
                                          " plan(s) an unfinished import left hidden");
        }
    }
    reports_ = std::make_unique<storage::ReportStore>(*database_);
    tasks_ = std::make_unique<storage::TaskStore>(*database_);
    notifications_ = std::make_unique<storage::NotificationStore>(*database_);
    instructions_ = std::make_unique<storage::InstructionStore>(*database_);
    reading_ = std::make_unique<storage::ReadingStore>(*database_);
    deliverer_ = std::make_unique<notify::Deliverer>(
        *notifications_, config_.notifications, config_.org_chart,
        [this] { return host_.now_ms(); },
        [this](int level, const std::string& message) { host_.log(level, message); });
    if (config_.notifications.worker && !config_.notifications.channels.empty()) {
        worker_ = std::make_unique<notify::DeliveryWorker>(*deliverer_,
                                                           config_.notifications.worker_poll_ms);
    }
}

// Not a thread_local: one with a destructor would keep the plugin loaded
// after the host's dlclose().
void Context::in_last_write(LastWrite fn) {
    const std::lock_guard<std::mutex> lock(last_writes_mutex_);
    last_writes_[std::this_thread::get_id()] = std::move(fn);
}

Context::LastWrite Context::take_last_write() {
    const std::lock_guard<std::mutex> lock(last_writes_mutex_);
    const auto it = last_writes_.find(std::this_thread::get_id());
    if (it == last_writes_.end()) {
        return nullptr;
    }
    LastWrite fn = std::move(it->second);
    last_writes_.erase(it);
    return fn;
}

Context::~Context() {
    close();
}

void Context::close() {
    if (worker_) {
        worker_->stop();  // joins the delivery thread before the database closes
    }
    worker_.reset();
    deliverer_.reset();
    reading_.reset();
    instructions_.reset();
    notifications_.reset();
    tasks_.reset();
    reports_.reset();
    plans_.reset();
    database_.reset();
}

storage::Database& Context::database() {
    if (!database_) {
        shut_down();
    }
    return *database_;
}

storage::PlanStore& Context::plans() {
    if (!plans_) {
        shut_down();
    }
    return *plans_;
}

storage::ReportStore& Context::reports() {
    if (!reports_) {
        shut_down();
    }
    return *reports_;
}

storage::TaskStore& Context::tasks() {
    if (!tasks_) {
        shut_down();
    }
    return *tasks_;
}

storage::NotificationStore& Context::notifications() {
    if (!notifications_) {
        shut_down();
    }
    return *notifications_;
}

storage::InstructionStore& Context::instructions() {
    if (!instructions_) {
        shut_down();
    }
    return *instructions_;
}

storage::ReadingStore& Context::reading() {
    if (!reading_) {
        shut_down();
    }
    return *reading_;
}

notify::Deliverer& Context::deliverer() {
    if (!deliverer_) {
        shut_down();
    }
    return *deliverer_;
}

// ------------------------------------------------------------ shared request members

core::Date Context::today() const {
    return core::Date::in_court_time(host_.now_ms());
}

core::PlanInfo Context::plan_of(const rapidjson::Document& request) {
    return plans().plan(request_reader().string(request, "", "plan", false).value_or(""));
}

core::Period Context::month_of(const rapidjson::Document& request, const core::PlanInfo& plan) {
    core::Period month = core::reporting_month(today());
    if (const auto text = request_reader().string(request, "", "period", false)) {
        const auto period = core::Period::parse(*text);
        if (!period) {
            request_reader().fail("period",
                                  "'" + *text + "' is not a period (expected 2019-10 or 2019-Q4)");
        }
        // A period far from the plan would set up obligations that every
        // sweep then counts late for centuries: periods keep near the plan.
        const core::YearSpan years{plan.first_year, plan.last_year};
        if (!core::within_plan_years(*period, years)) {
            request_reader().fail(
                "period", *text + " is outside the years of plan '" + plan.key + "' (" +
                              std::to_string(years.first) +
                              (years.last != years.first ? "–" + std::to_string(years.last) : "") +
                              "): periods from " +
                              std::to_string(years.first - core::kPlanYearMargin) + "-01 to " +
                              std::to_string(years.last + core::kPlanYearMargin) + "-12 are taken");
        }
        month = core::Period{core::Cycle::monthly, period->year, period->last_month()};
    }
    return month;
}

storage::MonthView Context::month_view(const core::PlanInfo& plan, const core::Period& month) {
    return storage::MonthView(reports(), plan, month, config_.reporting, calendar_);
}

void Context::open_month(const core::PlanInfo& plan, const core::Period& month) {
    // A month is set up once; a re-import sets up its new assignments.
    if (!reports().has_obligations(plan, month.key())) {
        reports().ensure_obligations(plan, month.year, month.index, config_.reporting, calendar_);
    }
}

std::string Context::canonical_department(const std::string& name) const {
    const auto canonical = config_.org_chart.department(name);
    if (!canonical) {
        throw CallError(RL_ERR_NOT_FOUND, "department '" + name + "' is not in the org chart");
    }
    return *canonical;
}

const core::Person& Context::reader_of(const rapidjson::Document& request) const {
    const std::string user = *request_reader().string(request, "", "user", true);
    const core::Person* person = config_.org_chart.person(user);
    if (person == nullptr) {
        throw CallError(RL_ERR_NOT_FOUND, "user '" + user + "' is not in the org chart");
    }
    return *person;
}

void Context::check_optional_reader(const rapidjson::Document& request) const {
    if (!request.HasMember("user")) {
        return;
    }
    const core::Person& person = reader_of(request);
    if (!person.active) {
        throw CallError(RL_ERR_INVALID_ARGUMENT, read_refusal(person, ""));
    }
}

std::string read_refusal(const core::Person& person, const std::string& department) {
    if (!person.active) {
        return person.name + " (" + person.id +
               ") is inactive in the org chart and may no longer "
               "read the ledger";
    }
    return person.name + " (" + person.id + ") may not read the reports of " + department +
           ": only its members, its leader in charge, the reform office, the president and the "
           "supervision office may";
}

}  // namespace rl::abi
