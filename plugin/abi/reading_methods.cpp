// The reading methods of the ABI (抄送/待阅): a person's items sent for
// reading with their counts (reading.list), and recording 已阅
// (reading.mark). The sending itself is send_for_reading (reading.h), called
// by the writes that cause it.
#include "abi/context.h"
#include "abi/errors.h"
#include "abi/families.h"
#include "abi/reading.h"
#include "core/reading.h"

namespace rl::abi {

std::vector<std::string> send_for_reading(Context& ctx, const ReadingSubject& s) {
    const std::vector<std::string> readers = core::readers_for(
        ctx.config().reading, ctx.config().org_chart, {s.kind, s.departments, s.writer, s.sent_by});
    storage::ReadingItem item;
    item.plan_id = s.plan_id;
    item.kind = s.kind;
    item.subject = s.subject;
    item.task_number = s.task_number;
    item.item_number = s.item_number;
    item.department = s.department;
    item.period = s.period;
    item.title = s.title;
    item.sent_by = s.sent_by;
    item.sent_at = storage::iso_utc(ctx.host().now_ms());
    ctx.reading().send(item, readers);
    return readers;
}

namespace {

void write_item(json::Writer& w, const storage::ReadingItem& i) {
    w.StartObject();
    w.Key("id");
    w.Int64(i.id);
    w.Key("kind");
    json::write_string(w, i.kind);
    w.Key("subject");
    json::write_string(w, i.subject);
    w.Key("title");
    json::write_string(w, i.title);
    w.Key("task");
    json::write_string(w, i.task_number);
    w.Key("item");
    json::write_string(w, i.item_number);
    w.Key("department");
    json::write_string(w, i.department);
    w.Key("period");
    json::write_string(w, i.period);
    w.Key("sent_by");
    json::write_string(w, i.sent_by);
    w.Key("sent_at");
    json::write_string(w, i.sent_at);
    w.Key("read");
    w.Bool(!i.read_at.empty());
    w.Key("read_at");
    json::write_string_or_null(w, i.read_at);
    w.EndObject();
}

std::int64_t plan_filter(Context& ctx, const rapidjson::Document& request) {
    return request.HasMember("plan") ? ctx.plan_of(request).id : 0;
}

void reading_list(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"user", "plan", "unread_only"});
    const core::Person& person = ctx.reader_of(request);
    const bool unread_only = r.boolean(request, "", "unread_only").value_or(true);
    const std::int64_t plan = plan_filter(ctx, request);
    const storage::ReadingCounts counts = ctx.reading().counts(person.id, plan);
    w.StartObject();
    w.Key("user");
    json::write_string(w, person.id);
    w.Key("unread");
    w.Int(counts.unread);
    w.Key("total");
    w.Int(counts.total);
    w.Key("items");
    w.StartArray();
    for (const auto& i : ctx.reading().list(person.id, unread_only, plan)) {
        write_item(w, i);
    }
    w.EndArray();
    w.EndObject();
}

// Records 已阅 for one item ("id") or for every unread item of the reader
// ("all": true), each in the audit trail. Reading someone else's item is
// refused and writes nothing; an item read already is reported, not read again.
void reading_mark(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"actor", "id", "all", "plan"});
    const std::string actor = *r.string(request, "", "actor", true);
    const bool all = r.boolean(request, "", "all").value_or(false);
    std::int64_t id = 0;
    if (request.HasMember("id")) {
        if (!request["id"].IsInt64() || request["id"].GetInt64() <= 0) {
            r.fail("id", "expected an item's id (a positive number) from reading.list");
        }
        id = request["id"].GetInt64();
    }
    if (all == (id != 0)) {
        r.fail("", "give exactly one of \"id\" or \"all\": true");
    }
    const core::Person* person = ctx.config().org_chart.person(actor);
    if (person == nullptr) {
        throw CallError(RL_ERR_NOT_FOUND, "actor '" + actor + "' is not in the org chart");
    }
    std::vector<storage::ReadingItem> items;
    std::string outcome = "ok";
    std::string message;
    if (id != 0) {
        const auto item = ctx.reading().item(id);
        if (!item) {
            throw CallError(RL_ERR_NOT_FOUND, "no item to read has id " + std::to_string(id));
        }
        if (item->reader != actor) {
            outcome = "not_permitted";
            message =
                "item " + std::to_string(id) + " was sent to " + item->reader + ", not to " + actor;
        } else if (!item->read_at.empty()) {
            outcome = "invalid";
            message = "item " + std::to_string(id) + " was read already at " + item->read_at;
        } else {
            items.push_back(*item);
        }
    } else {
        items = ctx.reading().list(actor, true, plan_filter(ctx, request));
    }
    if (outcome == "ok" && !person->active) {
        outcome = "not_permitted";
        message = read_refusal(*person, "");
        items.clear();
    }
    const std::string at = storage::iso_utc(ctx.host().now_ms());
    for (const auto& i : items) {
        ctx.reading().mark_read(i.id, at);
        storage::AuditRecord a;
        a.at = at;
        a.actor = actor;
        a.role = "reader";
        a.action = "read";
        a.plan_id = i.plan_id;
        a.task_number = i.task_number;
        a.item_number = i.item_number;
        a.department = i.department;
        a.period = i.period;
        a.reason = "已阅：" + i.title;
        a.detail = "{\"kind\":\"" + i.kind + "\",\"item\":" + std::to_string(i.id) + "}";
        ctx.notifications().audit(a);
    }
    w.StartObject();
    write_outcome(w, outcome, message);
    w.Key("read");
    w.StartArray();
    for (const auto& i : items) {
        w.Int64(i.id);
    }
    w.EndArray();
    w.Key("read_at");
    json::write_string(w, at);
    w.Key("unread");
    w.Int(ctx.reading().counts(actor, 0).unread);
    w.EndObject();
    if (outcome != "ok") {
        throw DiscardWrites{};
    }
}

}  // namespace

void add_reading_methods(MethodTable& table) {
    table.add("reading.list", Tx::read, reading_list);
    table.add("reading.mark", Tx::write, reading_mark);
}

}  // namespace rl::abi
