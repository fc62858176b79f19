// The plan methods of the ABI: reading a plan file (plan.parse), storing it
// (plan.import), the plans stored, the ledger of a plan (ledger.tasks,
// ledger.summary) and the org chart. Decode, decide, store, encode.
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <optional>

#include "abi/context.h"
#include "abi/errors.h"
#include "abi/families.h"
#include "abi/obligation_views.h"
#include "abi/task_views.h"
#include "abi/task_warnings.h"
#include "core/assignment_resolver.h"
#include "core/plan_parser.h"
#include "text/base64.h"
#include "text/document_decoder.h"
#include "text/docx_reader.h"
#include "text/file_reader.h"
#include "text/plan_formats.h"
#include "text/xlsx_reader.h"

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
    json::write_string_or_null(w, due);
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

// Who a plan import names as its actor: a person of the org chart or
// service:NAME. Throws RL_ERR_INVALID_ARGUMENT otherwise.
storage::Importer importer_of(const Context& ctx, const rapidjson::Document& request) {
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
    const core::Person* person = ctx.config().org_chart.person(actor);
    if (person == nullptr) {
        r.fail("actor", "'" + actor +
                            "' is not a person in the org chart (name who imports the plan, or "
                            "service:NAME for the OA's own call)");
    }
    if (core::is_reform_office(ctx.config().org_chart, actor)) {
        return {actor, "reform_office"};
    }
    return {actor, person->roles.empty() ? "staff" : core::to_string(person->roles.front())};
}

void plan_parse(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {"path", "content_base64", "source_name", "encoding"});
    const PlanInput input = read_plan_input(request, ctx.config().limits);
    const core::Plan plan = parse(input, ctx.config().parse);
    const core::Resolution resolution = core::resolve_assignments(plan, ctx.config().org_chart);
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

// The warnings of an import: the parser's, the resolver's, and a converted
// encoding.
std::vector<std::string> import_warnings(const core::Plan& plan, const core::Resolution& resolution,
                                         const PlanInput& input) {
    std::vector<std::string> warnings = plan.warnings;
    warnings.insert(warnings.end(), resolution.warnings.begin(), resolution.warnings.end());
    if (input.encoding != "UTF-8") {
        warnings.push_back("plan file '" + input.source + "' was converted from " + input.encoding +
                           " to UTF-8");
    }
    return warnings;
}

void write_import_result(json::Writer& w, const storage::ImportOutcome& outcome,
                         const core::PlanInfo& info, const core::LedgerSummary& summary,
                         std::size_t responsibility_lines,
                         const std::vector<std::string>& warnings) {
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
    w.Key("write_slices");
    w.Int(outcome.write_slices);
    w.Key("longest_write_ms");
    w.Double(outcome.longest_write_ms);
    w.Key("responsibility_lines");
    w.Uint64(responsibility_lines);
    w.Key("warnings");
    json::write_strings(w, warnings);
    w.EndObject();
}

void plan_import(Context& ctx, const rapidjson::Document& request,
                 json::Writer& /*result: written in the last write*/) {
    const auto& r = request_reader();
    r.only_keys(request, "",
                {"path", "content_base64", "source_name", "encoding", "plan_key",
                 "accept_unknown_departments", "actor"});
    const storage::Importer importer = importer_of(ctx, request);
    const PlanInput input = read_plan_input(request, ctx.config().limits);
    const core::Plan plan = parse(input, ctx.config().parse);
    const core::Resolution resolution = core::resolve_assignments(plan, ctx.config().org_chart);
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
    std::shared_ptr<storage::PreparedImport> prepared;
    try {
        prepared =
            ctx.plans().prepare_import(plan, resolution, source, importer, ctx.host().now_ms());
    } catch (const storage::ImportInProgress& e) {
        throw CallError(RL_ERR_STATE, e.what());
    }
    // The rest of the import, the obligations it adds to months already open
    // (a re-import), and the result: one write transaction, in which call()
    // hands the result out (Tx::slices).
    ctx.in_last_write([&ctx, prepared, lines = plan.responsibility_lines, from = input.source,
                       warnings = import_warnings(plan, resolution, input)](json::Writer& w) {
        storage::ImportOutcome outcome;
        try {
            outcome = ctx.plans().finish_import(*prepared);
        } catch (const storage::ImportInProgress& e) {
            throw CallError(RL_ERR_STATE, e.what());
        }
        const core::PlanInfo info = ctx.plans().plan(outcome.plan_key);
        if (outcome.changed() && !outcome.plan_created) {
            if (const auto latest = ctx.reports().latest_month(info)) {
                if (const auto month = core::Period::parse(*latest)) {
                    ctx.reports().ensure_obligations(info, month->year, month->index,
                                                     ctx.config().reporting, ctx.calendar());
                }
            }
        }
        ctx.host().log(RL_LOG_INFO, "imported plan '" + outcome.plan_key + "' from '" + from +
                                        "': " + std::to_string(outcome.rows_added) +
                                        " rows added, " + std::to_string(outcome.rows_updated) +
                                        " updated, " + std::to_string(outcome.rows_retired) +
                                        " retired");
        write_import_result(w, outcome, info, ctx.plans().summary(info), lines, warnings);
    });
}

void plan_list(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {});
    w.StartObject();
    w.Key("plans");
    w.StartArray();
    for (const auto& plan : ctx.plans().plans()) {
        write_plan_info(w, plan);
    }
    w.EndArray();
    w.EndObject();
}

void ledger_tasks(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "department", "period", "user", "include_struck"});
    ctx.check_optional_reader(request);
    const core::PlanInfo plan = ctx.plan_of(request);
    const bool include_struck = r.boolean(request, "", "include_struck").value_or(false);
    std::optional<std::string> department = r.string(request, "", "department", false);
    if (department) {
        if (const auto canonical = ctx.config().org_chart.department(*department)) {
            department = canonical;
        } else {
            bool in_plan = false;
            for (const auto& load : ctx.plans().summary(plan).departments) {
                in_plan = in_plan || load.department == *department;
            }
            if (!in_plan) {
                throw CallError(RL_ERR_NOT_FOUND,
                                "department '" + *department +
                                    "' is neither in the org chart nor in plan '" + plan.key + "'");
            }
        }
    }
    const auto rows = ctx.plans().ledger(plan, department);
    const core::Period month = ctx.month_of(request, plan);
    const storage::MonthView view = ctx.month_view(plan, month);
    const auto statuses = task_statuses(ctx, view);
    const LedgerWarnings warnings = ledger_warnings(ctx, plan, view, rows);
    const auto open_instructions = ctx.instructions().open_counts(plan.id);
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
        // 销号: a struck task leaves the active ledger unless asked for.
        if (row.stage == "struck" && !include_struck) {
            continue;
        }
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
        w.Key("stage");
        json::write_string(w, row.stage);
        write_task_timing(w, task_timing_of(ctx, row));
        // When the sweep escalated the deadline in force, as task.get says.
        w.Key("escalated_at");
        json::write_string_or_null(w, row.escalated_at);
        w.Key("status");
        const auto status = statuses.find(row.number);
        json::write_string(w, status == statuses.end() ? "not_due" : status->second);
        w.Key("warning");
        write_warning(w, warnings.tasks.at(row.number));
        w.Key("lead");
        json::write_strings(w, row.lead);
        w.Key("co");
        json::write_strings(w, row.co);
        w.Key("open_instructions");
        const auto instructed = open_instructions.find(row.number);
        w.Int(instructed == open_instructions.end() ? 0 : instructed->second);
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
    w.Key("department_warnings");
    w.StartArray();
    for (const auto& [name, warning] : warnings.departments) {
        if (department && name != *department) {
            continue;  // the rows hold only this department's tasks
        }
        w.StartObject();
        w.Key("name");
        json::write_string(w, name);
        w.Key("warning");
        write_warning(w, warning);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
}

void ledger_summary(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "user"});
    ctx.check_optional_reader(request);
    const core::PlanInfo plan = ctx.plan_of(request);
    const core::LedgerSummary s = ctx.plans().summary(plan);
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

void org_chart(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {});
    const auto& chart = ctx.config().org_chart;
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

}  // namespace

void add_plan_methods(MethodTable& table) {
    table.add("plan.parse", Tx::read, plan_parse);
    table.add("plan.import", Tx::slices, plan_import);
    table.add("plan.list", Tx::read, plan_list);
    table.add("ledger.summary", Tx::read, ledger_summary, Keep::answers);
    table.add("ledger.tasks", Tx::read, ledger_tasks, Keep::answers);
    table.add("org.chart", Tx::read, org_chart);
}

}  // namespace rl::abi
