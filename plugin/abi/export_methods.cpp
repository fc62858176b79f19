// The export methods of the ABI: the ledger (台账) as an Excel file and the
// monthly bulletin (月度通报) as a Word file, written to a path or returned
// inline. Reads only: gather the period's data, build the document's plain
// model (core/ledger_workbook.h, core/bulletin.h), render it
// (office/xlsx_writer.h, office/docx_writer.h), put it in place
// (office/output_file.h). Nothing is written to the ledger, so nothing is
// audited there; the host's log gets one line per file written.
#include <rapidjson/document.h>

#include <set>

#include "abi/context.h"
#include "abi/department_scores.h"
#include "abi/errors.h"
#include "abi/families.h"
#include "abi/obligation_views.h"
#include "abi/task_views.h"
#include "abi/task_warnings.h"
#include "core/bulletin.h"
#include "core/ledger_workbook.h"
#include "office/docx_writer.h"
#include "office/output_file.h"
#include "office/xlsx_writer.h"
#include "storage/period_history.h"
#include "storage/stored_time.h"
#include "text/base64.h"

namespace rl::abi {

namespace {

// A document returned inline (no "path") may be at most this big; its base64
// is a third larger and must fit the host's response (the sidecar's
// responses have no cap of their own; its requests stop at 32 MiB).
constexpr std::uint64_t kMaxInlineDocumentBytes = std::uint64_t{16} << 20;

// The members every export takes.
struct ExportRequest {
    const core::Person* person = nullptr;  // nullptr: the host's own call (no "user")
    core::PlanInfo plan;
    core::Period month;
    std::optional<std::string> path;
    bool force = false;
};

ExportRequest read_export_request(Context& ctx, const rapidjson::Document& request,
                                  const char* format, bool period_required) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "period", "path", "force", "format", "user"});
    if (const auto f = r.string(request, "", "format", false); f && *f != format) {
        r.fail("format", "'" + *f + "' is not offered here (this export writes " + format + ")");
    }
    ExportRequest e;
    if (request.HasMember("user")) {
        e.person = &ctx.reader_of(request);
    }
    e.plan = ctx.plan_of(request);
    r.string(request, "", "period", period_required);
    e.month = ctx.month_of(request, e.plan);
    e.path = r.string(request, "", "path", false);
    if (e.path && e.path->empty()) {
        r.fail("path", "is empty: name the file to write, or leave path out to get the bytes");
    }
    e.force = r.boolean(request, "", "force").value_or(false);
    return e;
}

// Who may export: a person who may read the reports of every department the
// document shows, or the host itself (no "user": an OA service, oa-stub). The
// refusal, or empty.
std::string export_refusal(const core::Person* who, const std::set<std::string>& departments) {
    if (who == nullptr) {
        return "";
    }
    const core::Person& person = *who;
    if (!person.active) {
        return read_refusal(person, "");
    }
    for (const auto& d : departments) {
        if (!core::may_read(person, d)) {
            return read_refusal(person, d) + " (the document shows every department's reports)";
        }
    }
    return "";
}

// Writes the document with write(path) to the request's path, or returns it
// inline; then the result's members.
void deliver(Context& ctx, const ExportRequest& e, const std::string& what,
             const std::string& format, const std::string& file_name,
             const std::function<void(const std::string&)>& write, json::Writer& w) {
    office::WrittenFile file;
    std::string inline_bytes;
    try {
        if (e.path) {
            file = office::put_in_place(*e.path, e.force, write);
        } else {
            inline_bytes = office::produce_bytes(file_name, kMaxInlineDocumentBytes, write);
            file = {"", inline_bytes.size(), office::sha256_hex(inline_bytes)};
        }
    } catch (const office::WriteError& error) {
        throw CallError(RL_ERR_INVALID_ARGUMENT, std::string(e.path ? "path" : "the document") +
                                                     ": " + error.what() + "; nothing was written");
    }
    if (e.path) {
        ctx.host().log(RL_LOG_INFO, "exported the " + what + " of plan '" + e.plan.key + "' for " +
                                        e.month.key() + " for " +
                                        (e.person != nullptr ? e.person->id : "the host") +
                                        " to '" + *e.path + "' (" + std::to_string(file.size) +
                                        " bytes, sha256 " + file.sha256 + ")");
    }
    write_outcome(w, "ok", "");
    w.Key("format");
    w.String(format.c_str());
    w.Key("plan");
    json::write_string(w, e.plan.key);
    w.Key("period");
    json::write_string(w, e.month.key());
    w.Key("path");
    if (e.path) {
        json::write_string(w, *e.path);
    } else {
        w.Null();
    }
    w.Key("file_name");
    json::write_string(w, file_name);
    w.Key("size");
    w.Uint64(file.size);
    w.Key("sha256");
    json::write_string(w, file.sha256);
    if (!e.path) {
        w.Key("content_base64");
        json::write_string(w, text::encode_base64(inline_bytes));
    }
}

std::string progress_summary(const std::string& content) {
    rapidjson::Document doc;
    doc.Parse(content.data(), content.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("progress_summary") ||
        !doc["progress_summary"].IsString()) {
        return "";
    }
    return {doc["progress_summary"].GetString(), doc["progress_summary"].GetStringLength()};
}

void export_ledger(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const ExportRequest e = read_export_request(ctx, request, "xlsx", false);
    const auto rows = ctx.plans().ledger(e.plan, std::nullopt);
    std::set<std::string> departments;
    for (const auto& row : rows) {
        departments.insert(row.lead.begin(), row.lead.end());
        departments.insert(row.co.begin(), row.co.end());
    }
    w.StartObject();
    if (const std::string refusal = export_refusal(e.person, departments); !refusal.empty()) {
        write_outcome(w, "not_permitted", refusal);
        w.EndObject();
        return;
    }
    const storage::MonthView view = ctx.month_view(e.plan, e.month);
    const auto statuses = task_statuses(ctx, view);
    std::map<std::string, int> urges;
    for (const auto& o : view.obligations()) {
        urges[o.task_number] += o.urges;
    }
    const auto reports =
        storage::PeriodHistory(ctx.database()).latest_reports(e.plan, e.month.key());
    const LedgerWarnings warnings = ledger_warnings(ctx, e.plan, view, rows);

    core::LedgerExport ledger;
    ledger.plan_title = e.plan.title;
    ledger.plan_key = e.plan.key;
    ledger.period = e.month.key();
    ledger.as_of = ctx.today().iso();
    for (const auto& row : rows) {
        core::LedgerEntry entry;
        entry.section_number = row.section_number;
        entry.section_title = row.section_title;
        entry.number = row.number;
        entry.label = row.label;
        entry.title = row.title;
        entry.lead = row.lead;
        entry.co = row.co;
        entry.deadline_text = row.has_deadline ? row.deadline_text : "";
        entry.deadline_due = row.deadline_due;
        entry.progress = row.progress;
        const core::TaskTiming timing = task_timing_of(ctx, row);
        entry.effective_deadline =
            timing.effective_deadline ? timing.effective_deadline->iso() : "";
        entry.state = core::to_string(timing.state);
        entry.state_label = core::label_of(timing.state);
        entry.overdue_working_days = timing.overdue_working_days;
        if (timing.overdue_working_days > 0 && !row.escalated_at.empty()) {
            entry.escalated_on = storage::court_day_text(row.escalated_at);
        }
        if (const auto warning = warnings.tasks.find(row.number); warning != warnings.tasks.end()) {
            entry.warning = core::to_string(warning->second.colour);
            for (const auto& reason : warning->second.reasons) {
                if (reason.colour != core::Colour::green) {
                    entry.warning_reasons +=
                        (entry.warning_reasons.empty() ? "" : "\n") + reason.text;
                }
            }
        }
        const auto status = statuses.find(row.number);
        entry.status = status == statuses.end() ? "not_due" : status->second;
        if (const auto report = reports.find(row.number); report != reports.end()) {
            entry.report_summary = progress_summary(report->second.content);
            entry.report_period = report->second.period;
            entry.report_state = report->second.state;
        }
        entry.urges = urges[row.number];
        ledger.entries.push_back(std::move(entry));
    }
    const core::Workbook book = core::ledger_workbook(ledger);
    deliver(
        ctx, e, "ledger", "xlsx", "台账-" + e.plan.key + "-" + e.month.key() + ".xlsx",
        [&book](const std::string& path) { office::write_xlsx(book, path); }, w);
    w.Key("sheets");
    w.StartArray();
    for (const auto& sheet : book.sheets) {
        json::write_string(w, sheet.name);
    }
    w.EndArray();
    w.Key("tasks");
    w.Uint64(ledger.entries.size());
    w.EndObject();
}

void export_bulletin(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const ExportRequest e = read_export_request(ctx, request, "docx", true);
    const storage::MonthView view = ctx.month_view(e.plan, e.month);
    const auto obligations = view.obligations();
    std::set<std::string> departments;
    for (const auto& o : obligations) {
        departments.insert(o.department);
    }
    w.StartObject();
    if (const std::string refusal = export_refusal(e.person, departments); !refusal.empty()) {
        write_outcome(w, "not_permitted", refusal);
        w.EndObject();
        return;
    }
    storage::PeriodHistory history(ctx.database());
    const auto submitted = history.first_submitted(e.plan, e.month.key());
    const StatusOf status_of{ctx.calendar(), ctx.workflow(), ctx.today()};

    core::BulletinInput input;
    input.plan_title = e.plan.title;
    input.period = e.month.key();
    input.today = ctx.today().iso();
    for (const auto& o : obligations) {
        core::BulletinObligation b;
        b.department = o.department;
        b.task_number = o.task_number;
        b.task_title = o.task_title;
        b.item_number = o.item_number;
        b.role = o.role;
        b.due_date = o.due_date;
        if (const auto it = submitted.find(o.id); o.id != 0 && it != submitted.end()) {
            b.submitted_on = storage::court_day_text(it->second);
        }
        b.status = core::to_string(status_of(o));
        b.overdue_working_days = status_of.overdue_working_days(o);
        input.obligations.push_back(std::move(b));
    }
    const auto& chart = ctx.config().org_chart;
    for (const auto& u : history.urges(e.plan, e.month.key())) {
        const core::Person* by = chart.person(u.urged_by);
        input.urges.push_back({u.department, u.task_number, u.period,
                               core::Date::in_court_time(u.urged_ms).iso(),
                               by != nullptr ? by->name : u.urged_by, u.note});
    }
    const core::DateSpan window = core::notice_window(e.month);
    for (const auto& n : ctx.notifications().notices(e.plan.id, "", "")) {
        const std::string issued = storage::court_day_text(n.issued_at);
        if (window.first <= issued && issued <= window.last) {
            input.notices.push_back(
                {n.number, n.department, n.task_number, issued, n.due_date, n.status, n.content});
        }
    }
    input.scores = department_scores(ctx, e.plan, e.month.year, e.month.index, e.month.index).table;
    const core::WordDocument doc = core::bulletin_document(input);
    const std::string today = input.today;
    deliver(
        ctx, e, "bulletin", "docx", "通报-" + e.plan.key + "-" + e.month.key() + ".docx",
        [&doc, &today](const std::string& path) { office::write_docx(doc, today, path); }, w);
    const auto tallies = core::tally_departments(input);
    const core::DepartmentTally total = core::total_of(tallies);
    w.Key("totals");
    w.StartObject();
    w.Key("due");
    w.Int(total.due);
    w.Key("on_time");
    w.Int(total.on_time);
    w.Key("late");
    w.Int(total.late);
    w.Key("missing");
    w.Int(total.missing);
    w.Key("pending");
    w.Int(total.pending);
    w.Key("urges");
    w.Int(total.urges);
    w.Key("notices");
    w.Int(total.notices);
    w.EndObject();
    w.Key("departments");
    w.Uint64(tallies.size());
    w.EndObject();
}

}  // namespace

void add_export_methods(MethodTable& table) {
    table.add("export.ledger", Tx::read, export_ledger);
    table.add("export.bulletin", Tx::read, export_bulletin);
}

}  // namespace rl::abi
