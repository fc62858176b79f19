// The database file itself: an integrity check the host (or oa-stub db
// check) runs on demand.
#include "abi/context.h"
#include "abi/errors.h"
#include "abi/families.h"

namespace rl::abi {

namespace {

void db_check(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"full"});
    const bool full = r.boolean(request, "", "full").value_or(false);
    const storage::IntegrityCheck check = ctx.database().check(full);
    const auto damage = ctx.database().damage();
    w.StartObject();
    w.Key("path");
    json::write_string(w, ctx.database().path());
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
}  // namespace

void add_database_methods(MethodTable& table) {
    table.add("db.check", Tx::none, db_check);  // one statement of its own
}

}  // namespace rl::abi
