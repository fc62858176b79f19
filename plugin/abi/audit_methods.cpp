// audit.verify: whether the audit trail is as the plugin wrote it — the hash
// chain from the first entry, every report version against the entry that
// recorded it, every report against its latest version, and the triggers in
// place — and, if not, the first broken link.
#include "abi/errors.h"
#include "abi/instance.h"
#include "storage/audit.h"

namespace rl::abi {

void Instance::audit_verify(const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {});
    const storage::AuditVerification v =
        database_->read([](Poco::Data::Session& s) { return storage::verify_audit(s); });
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

}  // namespace rl::abi
