// The database file itself: an integrity check the host (or oa-stub db
// check) runs on demand.
#include "abi/errors.h"
#include "abi/instance.h"

namespace rl::abi {

void Instance::db_check(const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"full"});
    const bool full = r.boolean(request, "", "full").value_or(false);
    const storage::IntegrityCheck check = database_->check(full);
    const auto damage = database_->damage();
    w.StartObject();
    w.Key("path");
    json::write_string(w, database_->path());
    w.Key("check");
    w.String(full ? "integrity_check" : "quick_check");
    w.Key("ok");
    w.Bool(check.problems.empty() && !damage);
    w.Key("problems");
    json::write_strings(w, check.problems);
    w.Key("writes_refused");
    if (damage) {
        json::write_string(w, *damage);
    } else {
        w.Null();
    }
    w.EndObject();
}

}  // namespace rl::abi
