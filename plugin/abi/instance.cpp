#include "abi/instance.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "abi/errors.h"
#include "abi/request_limits.h"
#include "calendar_data.h"
#include "core/assignment_resolver.h"
#include "core/plan_parser.h"
#include "core/utf8.h"
#include "registrations.h"
#include "resources/embedded.h"
#include "storage/audit.h"
#include "text/base64.h"
#include "text/document_decoder.h"
#include "text/docx_reader.h"
#include "text/plan_formats.h"
#include "text/xlsx_reader.h"
#include "workflow_loader.h"

#ifndef RL_PLUGIN_VERSION
#define RL_PLUGIN_VERSION "0.0.0"
#endif

namespace rl::abi {

namespace {

// A plan document named by a request: {"path": …} or {"content_base64": …},
// read by the reader its bytes call for (text, Word or Excel).
struct PlanInput {
    std::string source;
    std::string format;       // "text", "docx" or "xlsx"
    std::string encoding;     // of a text file: UTF-8, UTF-16LE, UTF-16BE or GBK; "UTF-8" for OOXML
    std::string text;         // a text plan, decoded
    core::Document document;  // a Word or Excel plan, read
    std::string sha256;       // of the decoded text (text), of the bytes (Word, Excel)
    std::string file_sha256;  // of the bytes as given
};

std::string sha256_hex(const std::string& bytes) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(bytes);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

PlanInput read_plan_input(const rapidjson::Document& request, const Limits& limits) {
    const auto& r = request_reader();
    const auto path = r.string(request, "", "path", false);
    const auto content = r.string(request, "", "content_base64", false);
    if (path.has_value() == content.has_value()) {
        r.fail("", "give exactly one of \"path\" (a plan file) or \"content_base64\"");
    }
    PlanInput input;
    std::string bytes;
    if (path) {
        input.source = *path;
        bytes = text::read_file(
            *path, {limits.plan_file_bytes, "limits.plan_file_bytes in the configuration"});
    } else {
        input.source = r.string(request, "", "source_name", false).value_or("request content");
        try {
            bytes = text::decode_base64(*content, limits.plan_file_bytes);
        } catch (const text::Base64Error& e) {
            const bool too_big = text::decoded_size(*content) > limits.plan_file_bytes;
            r.fail("content_base64", std::string(e.what()) +
                                         (too_big ? " (limits.plan_file_bytes)" : "") +
                                         "; nothing was read");
        }
    }
    const std::string encoding = r.string(request, "", "encoding", false).value_or("utf-8");
    text::Declared declared = text::Declared::utf8;
    if (encoding == "gbk" || encoding == "GBK") {
        declared = text::Declared::gbk;
    } else if (encoding != "utf-8" && encoding != "UTF-8") {
        r.fail("encoding", "unknown encoding '" + encoding + "' (expected utf-8 or gbk)");
    }
    input.file_sha256 = sha256_hex(bytes);
    const text::FileFormat format = text::sniff_format(bytes, input.source);
    switch (format) {
        case text::FileFormat::docx:
            input.format = "docx";
            input.encoding = "UTF-8";
            input.document = text::read_docx(bytes, input.source, limits.plan_unpacked_bytes);
            input.sha256 = input.file_sha256;
            return input;
        case text::FileFormat::xlsx:
            input.format = "xlsx";
            input.encoding = "UTF-8";
            input.document = text::read_xlsx(bytes, input.source, limits.plan_unpacked_bytes);
            input.sha256 = input.file_sha256;
            return input;
        case text::FileFormat::text: {
            text::DecodedDocument decoded = text::decode_document(bytes, input.source, declared);
            input.format = "text";
            input.encoding = decoded.encoding;
            input.text = std::move(decoded.text);
            input.sha256 = sha256_hex(input.text);
            return input;
        }
        default:
            throw text::DocumentError(text::refusal_for(format, input.source));
    }
}

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

core::Plan parse(const PlanInput& input, const core::ParseOptions& options) {
    try {
        if (input.format == "text") {
            core::TextSource source(input.text);
            return core::parse_plan(source, options);
        }
        core::DocumentBlocks source(input.document);
        return core::parse_plan(source, options);
    } catch (const core::PlanError& e) {
        throw core::PlanError("plan file '" + input.source + "': " + e.what());
    }
}

// Each department with its role and the text it was read from.
void write_departments(json::Writer& w, const std::vector<core::DepartmentRef>& refs) {
    w.StartArray();
    for (const auto& ref : refs) {
        w.StartObject();
        w.Key("name");
        json::write_string(w, ref.name);
        w.Key("role");
        w.String(core::to_string(ref.role));
        w.Key("source");
        json::write_string(w, ref.source);
        w.EndObject();
    }
    w.EndArray();
}

// {"text": "2020年6月底前完成", "due": "2020-06-30"}; due null for 长期坚持;
// null when the plan gives no deadline.
void write_deadline(json::Writer& w, bool has_deadline, const std::string& text,
                    const std::string& due) {
    if (!has_deadline) {
        w.Null();
        return;
    }
    w.StartObject();
    w.Key("text");
    json::write_string(w, text);
    w.Key("due");
    if (due.empty()) {
        w.Null();
    } else {
        json::write_string(w, due);
    }
    w.EndObject();
}

// {"number": "一", "title": "…"} of the subsection (（一）) a task stands in; null if none.
void write_group(json::Writer& w, const std::string& number, const std::string& title) {
    if (number.empty() && title.empty()) {
        w.Null();
        return;
    }
    w.StartObject();
    w.Key("number");
    json::write_string(w, number);
    w.Key("title");
    json::write_string(w, title);
    w.EndObject();
}

void write_plan_info(json::Writer& w, const core::PlanInfo& plan) {
    w.StartObject();
    w.Key("key");
    json::write_string(w, plan.key);
    w.Key("title");
    json::write_string(w, plan.title);
    w.Key("source_name");
    json::write_string(w, plan.source_name);
    w.Key("source_encoding");
    json::write_string(w, plan.source_encoding);
    w.Key("imported_at");
    json::write_string(w, plan.imported_at);
    w.Key("updated_at");
    json::write_string(w, plan.updated_at);
    w.EndObject();
}

}  // namespace

const std::map<std::string, Instance::Handler, std::less<>>& Instance::handlers() {
    static const std::map<std::string, Handler, std::less<>> table = {
        {"plugin.info", {&Instance::plugin_info, Tx::read}},
        {"plugin.describe", {&Instance::plugin_describe, Tx::none}},
        {"plan.parse", {&Instance::plan_parse, Tx::read}},
        {"plan.import", {&Instance::plan_import, Tx::write}},
        {"plan.list", {&Instance::plan_list, Tx::read}},
        {"ledger.summary", {&Instance::ledger_summary, Tx::read}},
        {"org.chart", {&Instance::org_chart, Tx::read}},
        {"calendar.workdays", {&Instance::calendar_workdays, Tx::read}},
        {"calendar.day", {&Instance::calendar_day, Tx::read}},
        {"obligations.list", {&Instance::obligations_list, Tx::write}},
        {"report.get", {&Instance::report_get, Tx::write}},
        {"report.act", {&Instance::report_act, Tx::write}},
        {"report.waive", {&Instance::report_waive, Tx::write}},
        {"ledger.status", {&Instance::ledger_status, Tx::write}},
        {"ledger.tasks", {&Instance::ledger_tasks, Tx::write}},
        {"inbox", {&Instance::inbox, Tx::write}},
        {"audit.list", {&Instance::audit_list, Tx::read}},
        {"audit.verify", {&Instance::audit_verify, Tx::read}},
        {"notify.sweep", {&Instance::notify_sweep, Tx::write}},
        {"notify.deliver", {&Instance::notify_deliver, Tx::none}},
        {"notify.status", {&Instance::notify_status, Tx::read}},
        {"notify.dead", {&Instance::notify_dead, Tx::read}},
        {"notify.requeue", {&Instance::notify_requeue, Tx::write}},
        {"urge", {&Instance::urge, Tx::write}},
        {"urge.bulk", {&Instance::urge_bulk, Tx::write}},
        {"supervision.issue", {&Instance::supervision_issue, Tx::write}},
        {"supervision.answer", {&Instance::supervision_answer, Tx::write}},
        {"supervision.list", {&Instance::supervision_list, Tx::read}},
        {"db.check", {&Instance::db_check, Tx::none}},  // one statement of its own
    };
    return table;
}

Instance::Instance(const rl_host_services& host, Config config)
    : host_(host),
      config_(std::move(config)),
      calendar_(config_.calendar_path.empty()
                    ? builtin_calendar()
                    : load_calendar(read_calendar_file(config_.calendar_path),
                                    "'" + config_.calendar_path + "'")),
      workflow_(progress_report_workflow()) {
    database_ = std::make_unique<storage::Database>(config_.database);
    if (const auto damage = database_->damage()) {
        host_.log(RL_LOG_ERROR, *damage);  // reads still work where they can; writes are refused
    } else {
        // A ledger from before the audit chain is chained at its first open.
        storage::seal_legacy_audit(*database_);
    }
    plans_ = std::make_unique<storage::PlanStore>(*database_);
    reports_ = std::make_unique<storage::ReportStore>(*database_);
    notifications_ = std::make_unique<storage::NotificationStore>(*database_);
    deliverer_ = std::make_unique<notify::Deliverer>(
        *notifications_, config_.notifications, config_.org_chart,
        [this] { return host_.now_ms(); },
        [this](int level, const std::string& message) { host_.log(level, message); });
    if (config_.notifications.worker && !config_.notifications.channels.empty()) {
        worker_ = std::make_unique<notify::DeliveryWorker>(*deliverer_,
                                                           config_.notifications.worker_poll_ms);
    }
    register_definitions();
    // The org chart of now decides: what was handed over to someone who has
    // since left their role waits for the role's holders again (not on a
    // damaged file, which takes no writes).
    if (!database_->damage()) {
        database_->transaction(true, [this] { release_lapsed_hand_overs(); });
    }
    if (worker_) {
        worker_->start();
    }
    host_.log(RL_LOG_INFO, std::string("reform-ledger ") + RL_PLUGIN_VERSION + ": database '" +
                               database_->path() + "' at schema version " +
                               std::to_string(database_->schema_version()));
}

Instance::~Instance() {
    shutdown();
}

void Instance::register_definitions() {
    int counts[4] = {0, 0, 0, 0};
    for (const auto& d : definitions()) {
        // Forms carry the configured limits of their fields.
        host_.register_definition(
            d.kind, d.id, d.version,
            d.kind == RL_REGISTRATION_FORM ? with_limits(d.json, config_.limits) : d.json);
        ++counts[d.kind];
    }
    host_.log(RL_LOG_INFO, "registered " + std::to_string(counts[RL_REGISTRATION_FORM]) +
                               " forms, " + std::to_string(counts[RL_REGISTRATION_WORKFLOW]) +
                               " workflow(s), " +
                               std::to_string(counts[RL_REGISTRATION_NOTIFICATION_RULE]) +
                               " notification rules");
}

void Instance::shutdown() {
    std::unique_lock<std::shared_mutex> lock(lifecycle_);
    if (shut_down_.exchange(true)) {
        return;
    }
    if (worker_) {
        worker_->stop();  // joins the delivery thread before the database closes
    }
    worker_.reset();
    deliverer_.reset();
    notifications_.reset();
    reports_.reset();
    plans_.reset();
    database_.reset();
}

storage::ReportStore& Instance::reports() {
    if (shut_down_ || !reports_) {
        throw CallError(RL_ERR_STATE, "the plugin instance has been shut down");
    }
    return *reports_;
}

storage::Importer Instance::importer_of(const rapidjson::Document& request) const {
    const auto& r = request_reader();
    const std::string actor = *r.string(request, "", "actor", true);
    constexpr std::string_view kService = "service:";
    if (actor.compare(0, kService.size(), kService) == 0) {
        const std::string name = actor.substr(kService.size());
        const bool plain = !name.empty() && name.size() <= 64 &&
                           name.find_first_not_of(
                               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789._-") == std::string::npos;
        if (!plain) {
            r.fail("actor",
                   "a service is written service:NAME, NAME being 1 to 64 letters, "
                   "digits, '.', '_' or '-'");
        }
        return {actor, "service"};
    }
    const core::Person* person = config_.org_chart.person(actor);
    if (person == nullptr) {
        r.fail("actor", "'" + actor +
                            "' is not a person in the org chart (name who imports the plan, or "
                            "service:NAME for the OA's own call)");
    }
    if (core::is_reform_office(config_.org_chart, actor)) {
        return {actor, "reform_office"};
    }
    return {actor, person->roles.empty() ? "staff" : core::to_string(person->roles.front())};
}

core::PlanInfo Instance::plan_of(const rapidjson::Document& request) {
    return plans().plan(request_reader().string(request, "", "plan", false).value_or(""));
}

storage::NotificationStore& Instance::notifications() {
    if (shut_down_ || !notifications_) {
        throw CallError(RL_ERR_STATE, "the plugin instance has been shut down");
    }
    return *notifications_;
}

storage::PlanStore& Instance::plans() {
    if (shut_down_ || !plans_) {
        throw CallError(RL_ERR_STATE, "the plugin instance has been shut down");
    }
    return *plans_;
}

void Instance::call(std::string_view method, std::string_view request,
                    const std::function<void(const std::string&)>& emit) {
    std::shared_lock<std::shared_mutex> lock(lifecycle_);
    if (shut_down_) {
        throw CallError(RL_ERR_STATE, "the plugin instance has been shut down");
    }
    const auto it = handlers().find(method);
    if (it == handlers().end()) {
        std::string known;
        for (const auto& [name, handler] : handlers()) {
            known += known.empty() ? "" : ", ";
            known += name;
        }
        throw CallError(
            RL_ERR_UNKNOWN_METHOD,
            "unknown method '" + core::utf8::printable(method, 64) + "' (known: " + known + ")");
    }
    check_request_size(request, config_.limits);
    const rapidjson::Document doc =
        request_reader().parse_object(request, config_.limits.json_depth, "limits.json_depth");
    check_text_fields(doc, config_.limits);
    const Handler handler = it->second;
    const auto run = [&] {
        rapidjson::StringBuffer buffer;
        json::Writer writer(buffer);
        (this->*(handler.fn))(doc, writer);
        emit(std::string(buffer.GetString(), buffer.GetSize()));
    };
    if (handler.tx == Tx::none) {
        run();
    } else {
        database_->transaction(handler.tx == Tx::write, run);
    }
}

void Instance::plugin_info(const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {});
    w.StartObject();
    w.Key("name");
    w.String("reform-ledger");
    w.Key("version");
    w.String(RL_PLUGIN_VERSION);
    w.Key("abi");
    w.StartObject();
    w.Key("major");
    w.Uint(RL_ABI_VERSION_MAJOR);
    w.Key("minor");
    w.Uint(RL_ABI_VERSION_MINOR);
    w.EndObject();
    w.Key("database");
    w.StartObject();
    w.Key("path");
    json::write_string(w, database_->path());
    w.Key("schema_version");
    w.Int(database_->schema_version());
    w.EndObject();
    w.Key("methods");
    w.StartArray();
    for (const auto& entry : handlers()) {
        json::write_string(w, entry.first);
    }
    w.EndArray();
    w.EndObject();
}

void Instance::plugin_describe(const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {});
    // The catalogue is data compiled in (plugin/catalogue/methods.json); it
    // must name exactly the methods call() runs, or hosts that generate their
    // interfaces from it (reform-ledger-server's OpenAPI) would lie.
    const auto files = resources::method_catalogue();
    if (files.size() != 1) {
        throw CallError(RL_ERR_INTERNAL,
                        "plugin.describe: the method catalogue is not compiled in");
    }
    const std::string text = files.front().text();
    rapidjson::Document catalogue;
    catalogue.Parse(text.data(), text.size());
    if (catalogue.HasParseError() || !catalogue.IsObject() || !catalogue.HasMember("methods") ||
        !catalogue["methods"].IsObject()) {
        throw CallError(RL_ERR_INTERNAL,
                        "plugin.describe: plugin/catalogue/methods.json has no \"methods\" object");
    }
    const auto& methods = catalogue["methods"];
    std::string missing;
    for (const auto& entry : handlers()) {
        if (!methods.HasMember(entry.first.c_str())) {
            missing += (missing.empty() ? "" : ", ") + entry.first;
        }
    }
    std::string unknown;
    for (const auto& m : methods.GetObject()) {
        if (handlers().find(std::string_view(m.name.GetString())) == handlers().end()) {
            unknown += (unknown.empty() ? "" : ", ") + std::string(m.name.GetString());
        }
    }
    if (!missing.empty() || !unknown.empty()) {
        throw CallError(RL_ERR_INTERNAL,
                        "plugin.describe: plugin/catalogue/methods.json does not match the methods "
                        "call() runs (not described: " +
                            (missing.empty() ? "none" : missing) + "; described but absent: " +
                            (unknown.empty() ? "none" : unknown) + ")");
    }
    w.RawValue(text.data(), text.size(), rapidjson::kObjectType);
}

void Instance::plan_parse(const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {"path", "content_base64", "source_name", "encoding"});
    const PlanInput input = read_plan_input(request, config_.limits);
    const core::Plan plan = parse(input, config_.parse);
    const core::Resolution resolution = core::resolve_assignments(plan, config_.org_chart);
    w.StartObject();
    w.Key("title");
    json::write_string(w, plan.title);
    w.Key("format");
    json::write_string(w, plan.format);
    w.Key("encoding");
    json::write_string(w, input.encoding);
    w.Key("year");
    if (plan.year) {
        w.Int(*plan.year);
    } else {
        w.Null();
    }
    w.Key("tasks_count");
    w.Uint64(plan.task_count());
    w.Key("items_count");
    w.Uint64(plan.item_count());
    w.Key("sections");
    w.StartArray();
    for (const auto& section : plan.sections) {
        w.StartObject();
        w.Key("number");
        json::write_string(w, section.number);
        w.Key("title");
        json::write_string(w, section.title);
        w.Key("part");
        w.Int(section.part);
        w.Key("tasks");
        w.StartArray();
        for (const auto& task : section.tasks) {
            w.StartObject();
            w.Key("number");
            json::write_string(w, task.number);
            w.Key("label");
            json::write_string(w, task.label);
            w.Key("group");
            write_group(w, task.group ? task.group->number : "",
                        task.group ? task.group->title : "");
            w.Key("title");
            json::write_string(w, task.title);
            w.Key("text");
            json::write_string(w, task.text);
            w.Key("where");
            json::write_string(w, task.where);
            w.Key("departments");
            write_departments(w, task.departments);
            w.Key("deadline");
            write_deadline(w, task.deadline.has_value(), task.deadline ? task.deadline->text : "",
                           task.deadline ? task.deadline->due : "");
            w.Key("progress");
            json::write_string(w, task.progress);
            w.Key("items");
            w.StartArray();
            for (const auto& item : task.items) {
                w.StartObject();
                w.Key("number");
                json::write_string(w, item.number);
                w.Key("text");
                json::write_string(w, item.text);
                w.Key("where");
                json::write_string(w, item.where);
                w.Key("departments");
                write_departments(w, item.departments);
                w.EndObject();
            }
            w.EndArray();
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();
    w.Key("closing");
    json::write_string(w, plan.closing);
    w.Key("unknown_departments");
    json::write_strings(w, resolution.unknown);
    w.Key("warnings");
    std::vector<std::string> warnings = plan.warnings;
    warnings.insert(warnings.end(), resolution.warnings.begin(), resolution.warnings.end());
    json::write_strings(w, warnings);
    w.EndObject();
}

void Instance::plan_import(const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "",
                {"path", "content_base64", "source_name", "encoding", "plan_key",
                 "accept_unknown_departments", "actor"});
    const storage::Importer importer = importer_of(request);
    const PlanInput input = read_plan_input(request, config_.limits);
    const core::Plan plan = parse(input, config_.parse);
    const core::Resolution resolution = core::resolve_assignments(plan, config_.org_chart);
    const bool accept_unknown =
        r.boolean(request, "", "accept_unknown_departments").value_or(false);
    if (!resolution.unknown.empty() && !accept_unknown) {
        std::string list;
        for (const auto& u : resolution.unknown) {
            list += list.empty() ? "" : "; ";
            list += u;
        }
        throw CallError(RL_ERR_INPUT,
                        "plan file '" + input.source +
                            "' names departments the org chart does not know (" + list +
                            "); add them to org_chart.departments or as aliases, or import with "
                            "accept_unknown_departments (oa-stub: --accept-unknown)");
    }
    storage::PlanSource source{r.string(request, "", "plan_key", false).value_or(""), input.source,
                               input.encoding, input.sha256, input.file_sha256};
    const storage::ImportOutcome outcome =
        plans().import(plan, resolution, source, importer, host_.now_ms());
    const core::PlanInfo info = plans().plan(outcome.plan_key);
    // Months already set up get the obligations of assignments the import added.
    if (outcome.changed()) {
        if (const auto latest = reports().latest_month(info)) {
            if (const auto month = core::Period::parse(*latest)) {
                reports().ensure_obligations(info, month->year, month->index, config_.reporting,
                                             calendar_);
            }
        }
    }
    const core::LedgerSummary summary = plans().summary(info);
    host_.log(RL_LOG_INFO, "imported plan '" + outcome.plan_key + "' from '" + input.source +
                               "': " + std::to_string(outcome.rows_added) + " rows added, " +
                               std::to_string(outcome.rows_updated) + " updated, " +
                               std::to_string(outcome.rows_retired) + " retired");
    w.StartObject();
    w.Key("plan");
    write_plan_info(w, info);
    w.Key("created");
    w.Bool(outcome.plan_created);
    w.Key("changed");
    w.Bool(outcome.changed());
    w.Key("rows_added");
    w.Int(outcome.rows_added);
    w.Key("rows_updated");
    w.Int(outcome.rows_updated);
    w.Key("rows_retired");
    w.Int(outcome.rows_retired);
    w.Key("tasks_added");
    json::write_strings(w, outcome.tasks_added);
    w.Key("tasks_changed");
    json::write_strings(w, outcome.tasks_changed);
    w.Key("tasks_retired");
    json::write_strings(w, outcome.tasks_retired);
    w.Key("sections");
    w.Int(summary.sections);
    w.Key("tasks");
    w.Int(summary.tasks);
    w.Key("items");
    w.Int(summary.items);
    w.Key("assignments");
    w.Int(summary.assignments);
    w.Key("responsibility_lines");
    w.Uint64(plan.responsibility_lines);
    w.Key("warnings");
    std::vector<std::string> warnings = plan.warnings;
    warnings.insert(warnings.end(), resolution.warnings.begin(), resolution.warnings.end());
    if (input.encoding != "UTF-8") {
        warnings.push_back("plan file '" + input.source + "' was converted from " + input.encoding +
                           " to UTF-8");
    }
    json::write_strings(w, warnings);
    w.EndObject();
}

void Instance::plan_list(const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {});
    w.StartObject();
    w.Key("plans");
    w.StartArray();
    for (const auto& plan : plans().plans()) {
        write_plan_info(w, plan);
    }
    w.EndArray();
    w.EndObject();
}

void Instance::ledger_tasks(const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "department", "period", "user"});
    check_optional_reader(request);
    const core::PlanInfo plan = plan_of(request);
    std::optional<std::string> department = r.string(request, "", "department", false);
    if (department) {
        if (const auto canonical = config_.org_chart.department(*department)) {
            department = canonical;
        } else {
            bool in_plan = false;
            for (const auto& load : plans().summary(plan).departments) {
                in_plan = in_plan || load.department == *department;
            }
            if (!in_plan) {
                throw CallError(RL_ERR_NOT_FOUND,
                                "department '" + *department +
                                    "' is neither in the org chart nor in plan '" + plan.key + "'");
            }
        }
    }
    const auto rows = plans().ledger(plan, department);
    const core::Period month = month_of(request, plan);
    const auto statuses = task_statuses(plan, month);
    w.StartObject();
    w.Key("plan");
    write_plan_info(w, plan);
    w.Key("period");
    json::write_string(w, month.key());
    w.Key("department");
    if (department) {
        json::write_string(w, *department);
    } else {
        w.Null();
    }
    w.Key("tasks");
    w.StartArray();
    for (const auto& row : rows) {
        w.StartObject();
        w.Key("section");
        json::write_string(w, row.section_number);
        w.Key("section_title");
        json::write_string(w, row.section_title);
        w.Key("number");
        json::write_string(w, row.number);
        w.Key("title");
        json::write_string(w, row.title);
        w.Key("label");
        json::write_string(w, row.label);
        w.Key("group");
        write_group(w, row.group_number, row.group_title);
        w.Key("deadline");
        write_deadline(w, row.has_deadline, row.deadline_text, row.deadline_due);
        w.Key("progress");
        json::write_string(w, row.progress);
        w.Key("where");
        json::write_string(w, row.where);
        w.Key("status");
        const auto status = statuses.find(row.number);
        json::write_string(w, status == statuses.end() ? "not_due" : status->second);
        w.Key("lead");
        json::write_strings(w, row.lead);
        w.Key("co");
        json::write_strings(w, row.co);
        w.Key("items");
        w.StartArray();
        for (const auto& item : row.items) {
            w.StartObject();
            w.Key("number");
            json::write_string(w, item.number);
            w.Key("lead");
            json::write_strings(w, item.lead);
            w.Key("co");
            json::write_strings(w, item.co);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
}

void Instance::ledger_summary(const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "user"});
    check_optional_reader(request);
    const core::PlanInfo plan = plan_of(request);
    const core::LedgerSummary s = plans().summary(plan);
    w.StartObject();
    w.Key("plan");
    write_plan_info(w, plan);
    w.Key("sections");
    w.Int(s.sections);
    w.Key("tasks");
    w.Int(s.tasks);
    w.Key("items");
    w.Int(s.items);
    w.Key("assignments");
    w.Int(s.assignments);
    w.Key("lead_assignments");
    w.Int(s.lead_assignments);
    w.Key("co_assignments");
    w.Int(s.co_assignments);
    w.Key("departments");
    w.StartArray();
    for (const auto& d : s.departments) {
        w.StartObject();
        w.Key("name");
        json::write_string(w, d.department);
        w.Key("in_org_chart");
        w.Bool(d.in_org_chart);
        w.Key("lead");
        w.Int(d.lead);
        w.Key("co");
        w.Int(d.co);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
}

void Instance::org_chart(const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {});
    const auto& chart = config_.org_chart;
    w.StartObject();
    w.Key("demo");
    w.Bool(chart.demo);
    w.Key("departments");
    w.StartArray();
    for (const auto& d : chart.departments()) {
        w.StartObject();
        w.Key("name");
        json::write_string(w, d.name);
        w.Key("aliases");
        json::write_strings(w, d.aliases);
        w.EndObject();
    }
    w.EndArray();
    w.Key("groups");
    w.StartArray();
    for (const auto& g : chart.groups()) {
        w.StartObject();
        w.Key("name");
        json::write_string(w, g.name);
        w.Key("members");
        json::write_strings(w, g.members);
        w.EndObject();
    }
    w.EndArray();
    w.Key("people");
    w.StartArray();
    for (const auto& p : chart.people()) {
        w.StartObject();
        w.Key("id");
        json::write_string(w, p.id);
        w.Key("name");
        json::write_string(w, p.name);
        w.Key("department");
        json::write_string(w, p.department);
        w.Key("roles");
        w.StartArray();
        for (const auto role : p.roles) {
            w.String(core::to_string(role));
        }
        w.EndArray();
        w.Key("in_charge_of");
        json::write_strings(w, p.in_charge_of);
        w.Key("positions");
        w.StartArray();
        for (const auto& position : p.positions) {
            w.StartObject();
            w.Key("department");
            json::write_string(w, position.department);
            w.Key("roles");
            w.StartArray();
            for (const auto role : position.roles) {
                w.String(core::to_string(role));
            }
            w.EndArray();
            w.EndObject();
        }
        w.EndArray();
        if (!p.dingtalk_userid.empty()) {
            w.Key("dingtalk_userid");
            json::write_string(w, p.dingtalk_userid);
        }
        if (!p.wecom_userid.empty()) {
            w.Key("wecom_userid");
            json::write_string(w, p.wecom_userid);
        }
        w.Key("active");
        w.Bool(p.active);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
}

}  // namespace rl::abi
