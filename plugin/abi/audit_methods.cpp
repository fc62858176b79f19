// The audit methods of the ABI: the audit trail (全程留痕) as far as a person
// may read it (audit.list), and audit.verify: whether the trail is as the
// plugin wrote it — the hash chain from the first entry, every report version
// against the entry that recorded it, every report against its latest
// version, and the triggers in place — and, if not, the first broken link.
#include "abi/context.h"
#include "abi/errors.h"
#include "abi/families.h"
#include "storage/audit.h"

namespace rl::abi {

namespace {

void audit_list(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "task", "user"});
    const core::Person& person = ctx.reader_of(request);
    const core::PlanInfo plan = ctx.plan_of(request);
    w.StartObject();
    if (!person.active) {
        write_outcome(w, "not_permitted", read_refusal(person, ""));
        w.EndObject();
        return;
    }
    const auto entries =
        ctx.reports().audit(plan, r.string(request, "", "task", false).value_or(""));
    write_outcome(w, "ok", "");
    w.Key("plan");
    json::write_string(w, plan.key);
    w.Key("entries");
    w.StartArray();
    for (const auto& e : entries) {
        // Entries about a department's report: for those who may read its
        // reports. Entries about the plan itself: for all staff.
        if (!e.department.empty() && !core::may_read(person, e.department)) {
            continue;
        }
        w.StartObject();
        w.Key("id");
        w.Int64(e.id);
        w.Key("at");
        json::write_string(w, e.at);
        w.Key("actor");
        json::write_string(w, e.actor);
        w.Key("acting_for");
        json::write_string(w, e.acting_for);
        w.Key("role");
        json::write_string(w, e.role);
        w.Key("action");
        json::write_string(w, e.action);
        w.Key("task");
        json::write_string(w, e.task_number);
        w.Key("item");
        json::write_string(w, e.item_number);
        w.Key("department");
        json::write_string(w, e.department);
        w.Key("period");
        json::write_string(w, e.period);
        w.Key("from_state");
        json::write_string(w, e.from_state);
        w.Key("to_state");
        json::write_string(w, e.to_state);
        w.Key("from_step");
        json::write_string(w, e.from_step);
        w.Key("to_step");
        json::write_string(w, e.to_step);
        w.Key("reason");
        json::write_string(w, e.reason);
        w.Key("report_version");
        w.Int(e.report_version);
        // What a plan import changed (an object), or null.
        w.Key("detail");
        rapidjson::Document detail;
        detail.Parse(e.detail.data(), e.detail.size());
        if (!detail.HasParseError() && detail.IsObject()) {
            detail.Accept(w);
        } else {
            w.Null();
        }
        w.Key("hash");
        json::write_string(w, e.hash);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
}

void audit_verify(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {});
    const storage::AuditVerification v =
        ctx.database().read([](Poco::Data::Session& s) { return storage::verify_audit(s); });
    w.StartObject();
    w.Key("ok");
    w.Bool(v.ok());
    w.Key("entries_checked");
    w.Int64(v.entries_checked);
    w.Key("reports_checked");
    w.Int64(v.reports_checked);
    w.Key("first_problem");
    if (v.first_problem) {
        const storage::AuditProblem& p = *v.first_problem;
        w.StartObject();
        if (p.audit_id != 0) {
            w.Key("audit_id");
            w.Int64(p.audit_id);
        }
        if (p.report_id != 0) {
            w.Key("report_id");
            w.Int64(p.report_id);
        }
        w.Key("what");
        json::write_string(w, p.what);
        w.EndObject();
    } else {
        w.Null();
    }
    w.Key("head");
    if (v.head_id != 0) {
        w.StartObject();
        w.Key("audit_id");
        w.Int64(v.head_id);
        w.Key("hash");
        json::write_string(w, v.head_hash);
        w.EndObject();
    } else {
        w.Null();
    }
    w.EndObject();
}

}  // namespace

void add_audit_methods(MethodTable& table) {
    table.add("audit.list", Tx::read, audit_list);
    table.add("audit.verify", Tx::read, audit_verify);
}

}  // namespace rl::abi
