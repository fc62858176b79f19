#include "storage/plan_store.h"

#include <Poco/Data/Session.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include "core/reporting.h"
#include "json_util.h"
#include "storage/audit.h"

using Poco::Data::Session;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace rl::storage {

namespace {

using Id = Poco::Int64;

struct ImportContext {
    Session& s;
    std::string now_text;
    ImportOutcome& outcome;
};

Id store_plan(ImportContext& c, const core::Plan& plan, const PlanSource& source) {
    std::vector<Id> ids;
    std::vector<std::string> titles, hashes, preambles, notes, closings;
    std::string key = source.plan_key;
    c.s << "SELECT id, title, content_sha256, preamble, notes, closing FROM plans"
           " WHERE plan_key = $1",
        use(key), into(ids), into(titles), into(hashes), into(preambles), into(notes),
        into(closings), now;
    std::string title = plan.title, preamble = plan.preamble, note = plan.notes;
    std::string closing = plan.closing, format = plan.format.empty() ? "text" : plan.format;
    std::string name = source.name, encoding = source.encoding, hash = source.content_sha256;
    Id id = 0;
    if (ids.empty()) {
        c.s << "INSERT INTO plans (plan_key, title, source_name, source_encoding, content_sha256,"
               " preamble, notes, imported_at, updated_at, source_format, closing)"
               " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            use(key), use(title), use(name), use(encoding), use(hash), use(preamble), use(note),
            use(c.now_text), use(c.now_text), use(format), use(closing), into(id), now;
        c.outcome.plan_created = true;
        return id;
    }
    id = ids[0];
    if (titles[0] != title || hashes[0] != hash || preambles[0] != preamble || notes[0] != note ||
        closings[0] != closing) {
        c.s << "UPDATE plans SET title = $1, source_name = $2, source_encoding = $3,"
               " content_sha256 = $4, preamble = $5, notes = $6, updated_at = $7, source_format = "
               "$8,"
               " closing = $9 WHERE id = $10",
            use(title), use(name), use(encoding), use(hash), use(preamble), use(note),
            use(c.now_text), use(format), use(closing), use(id), now;
        ++c.outcome.rows_updated;
    }
    return id;
}

std::map<std::string, Id> store_departments(ImportContext& c, const core::Resolution& resolution) {
    std::map<std::string, int> wanted;  // name → in org chart
    for (const auto& a : resolution.assignments) {
        wanted[a.department] = a.known ? 1 : 0;
    }
    std::map<std::string, Id> ids;
    for (const auto& [name_ref, known_ref] : wanted) {
        std::string name = name_ref;
        int known = known_ref;
        std::vector<Id> found;
        std::vector<int> flags;
        c.s << "SELECT id, in_org_chart FROM departments WHERE name = $1", use(name), into(found),
            into(flags), now;
        if (found.empty()) {
            Id id = 0;
            c.s << "INSERT INTO departments (name, in_org_chart) VALUES ($1, $2) RETURNING id",
                use(name), use(known), into(id), now;
            ids[name] = id;
            ++c.outcome.rows_added;
        } else {
            ids[name] = found[0];
            if (flags[0] != known) {
                c.s << "UPDATE departments SET in_org_chart = $1 WHERE id = $2", use(known),
                    use(found[0]), now;
                ++c.outcome.rows_updated;
            }
        }
    }
    return ids;
}

// Existing rows of one table for the plan, keyed by their natural key.
struct Existing {
    Id id;
    std::vector<std::string> fields;  // compared to decide on an update
    bool retired;
};

template <typename Key>
void retire_unseen(ImportContext& c, const std::map<Key, Existing>& existing,
                   const std::set<Id>& seen, const std::string& table,
                   const std::function<void(const Key&)>& retired) {
    for (const auto& [key, row] : existing) {
        if (!row.retired && seen.count(row.id) == 0) {
            Id id = row.id;
            c.s << "UPDATE " + table + " SET retired_at = $1 WHERE id = $2", use(c.now_text),
                use(id), now;
            ++c.outcome.rows_retired;
            retired(key);
        }
    }
}

// Task numbers in plan order: "2" before "10", "2.9" before "2.10" before
// "10.1": runs of digits compare by value, the rest byte by byte.
bool task_order(const std::string& a, const std::string& b) {
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (digit(a[i]) && digit(b[j])) {
            std::size_t ie = i, je = j;
            while (ie < a.size() && digit(a[ie]))
                ++ie;
            while (je < b.size() && digit(b[je]))
                ++je;
            const std::string_view x = std::string_view(a).substr(i, ie - i);
            const std::string_view y = std::string_view(b).substr(j, je - j);
            const std::string_view xs = x.substr(std::min(x.find_first_not_of('0'), x.size()));
            const std::string_view ys = y.substr(std::min(y.find_first_not_of('0'), y.size()));
            if (xs.size() != ys.size()) {
                return xs.size() < ys.size();
            }
            if (xs != ys) {
                return xs < ys;
            }
            i = ie;
            j = je;
        } else {
            if (a[i] != b[j]) {
                return a[i] < b[j];
            }
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

// What happened to a row in upsert(). Only its position changed (a row
// before it came or went): not a change to what the plan says.
enum class RowChange { none, moved, added, updated, revived };

class PlanWriter {
public:
    PlanWriter(ImportContext& c, Id plan_id) : c_(c), plan_id_(plan_id) { load(); }

    // A section's key in the ledger: its number, qualified by its part when
    // the plan numbers its sections afresh (一 of part 2 is "2-一"), or its
    // position when the plan gives it no number (a table's heading rows).
    static std::string section_key(const core::Section& section, int ordinal) {
        if (section.number.empty()) {
            return "#" + std::to_string(ordinal);
        }
        return section.part > 1 ? std::to_string(section.part) + "-" + section.number
                                : section.number;
    }

    Id section(const core::Section& section, int ordinal) {
        const std::string key = section_key(section, ordinal);
        std::vector<std::string> fields{std::to_string(ordinal), section.title,
                                        std::to_string(section.part)};
        return upsert(sections_, key, fields, 0, seen_sections_, [&](Id* id) {
            std::string number = key, title = section.title;
            int ord = ordinal, part = section.part;
            if (id == nullptr) {
                c_.s << "INSERT INTO sections (plan_id, number, ordinal, title, part)"
                        " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    use(plan_id_), use(number), use(ord), use(title), use(part), into(inserted_),
                    now;
            } else {
                c_.s << "UPDATE sections SET ordinal = $1, title = $2, part = $3, retired_at = NULL"
                        " WHERE id = $4",
                    use(ord), use(title), use(part), use(*id), now;
            }
        });
    }

    // What the plan says of a task, in the order of the tasks table's columns
    // after body: compared on re-import to tell an updated task.
    static std::vector<std::string> task_details(const core::Task& task) {
        const core::Group group = task.group.value_or(core::Group{});
        return {task.label,
                group.number,
                group.title,
                task.deadline ? "1" + task.deadline->text : "0",
                task.deadline ? task.deadline->due : "",
                task.progress};
    }

    Id task(const core::Task& task, Id section_id, int ordinal) {
        std::vector<std::string> fields{std::to_string(section_id), std::to_string(ordinal),
                                        task.title, task.text};
        for (auto& detail : task_details(task)) {
            fields.push_back(std::move(detail));
        }
        const Id task_id = upsert(tasks_, task.number, fields, 1, seen_tasks_, [&](Id* id) {
            std::string number = task.number, title = task.title, body = task.text;
            std::string label = task.label, progress = task.progress, where = task.where;
            std::string group_number = task.group ? task.group->number : "";
            std::string group_title = task.group ? task.group->title : "";
            Poco::Nullable<std::string> deadline_text, deadline_due;
            if (task.deadline) {
                deadline_text = task.deadline->text;
                if (!task.deadline->due.empty()) {
                    deadline_due = task.deadline->due;
                }
            }
            Id sid = section_id;
            int ord = ordinal;
            if (id == nullptr) {
                c_.s << "INSERT INTO tasks (plan_id, section_id, number, ordinal, title, body,"
                        " label, group_number, group_title, deadline_text, deadline_due, progress,"
                        " source_where) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
                        "$13)"
                        " RETURNING id",
                    use(plan_id_), use(sid), use(number), use(ord), use(title), use(body),
                    use(label), use(group_number), use(group_title), use(deadline_text),
                    use(deadline_due), use(progress), use(where), into(inserted_), now;
            } else {
                c_.s << "UPDATE tasks SET section_id = $1, ordinal = $2, title = $3, body = $4,"
                        " label = $5, group_number = $6, group_title = $7, deadline_text = $8,"
                        " deadline_due = $9, progress = $10, source_where = $11,"
                        " retired_at = NULL WHERE id = $12",
                    use(sid), use(ord), use(title), use(body), use(label), use(group_number),
                    use(group_title), use(deadline_text), use(deadline_due), use(progress),
                    use(where), use(*id), now;
            }
        });
        task_numbers_[task_id] = task.number;
        if (last_ == RowChange::added || last_ == RowChange::revived) {
            tasks_added_.insert(task.number);
        } else if (last_ == RowChange::updated) {
            tasks_touched_.insert(task.number);
        }
        return task_id;
    }

    Id item(const core::Item& item, Id task_id, int ordinal) {
        std::vector<std::string> fields{std::to_string(ordinal), item.text};
        const Id item_id = upsert(
            items_, std::make_pair(task_id, item.number), fields, 0, seen_items_, [&](Id* id) {
                std::string number = item.number, body = item.text;
                Id tid = task_id;
                int ord = ordinal;
                if (id == nullptr) {
                    c_.s << "INSERT INTO task_items (task_id, number, ordinal, body)"
                            " VALUES ($1, $2, $3, $4) RETURNING id",
                        use(tid), use(number), use(ord), use(body), into(inserted_), now;
                } else {
                    c_.s << "UPDATE task_items SET ordinal = $1, body = $2,"
                            " retired_at = NULL WHERE id = $3",
                        use(ord), use(body), use(*id), now;
                }
            });
        touched(task_id);
        return item_id;
    }

    void assignment(const core::Assignment& a, Id task_id, Id item_id, Id department_id) {
        const std::string role = core::to_string(a.role);
        std::vector<std::string> fields{role, std::to_string(a.ordinal), a.written_as, a.via_group};
        upsert(
            assignments_, std::make_tuple(task_id, item_id, department_id), fields, 1,
            seen_assignments_, [&](Id* id) {
                std::string r = role, written = a.written_as, group = a.via_group;
                int ord = a.ordinal;
                Id tid = task_id, did = department_id;
                Poco::Nullable<Id> iid;
                if (item_id != 0) {
                    iid = item_id;
                }
                if (id == nullptr) {
                    c_.s << "INSERT INTO assignments (task_id, item_id, department_id, role,"
                            " ordinal, written_as, via_group) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                            " RETURNING id",
                        use(tid), use(iid), use(did), use(r), use(ord), use(written), use(group),
                        into(inserted_), now;
                } else {
                    c_.s << "UPDATE assignments SET role = $1, ordinal = $2, written_as = $3,"
                            " via_group = $4, retired_at = NULL WHERE id = $5",
                        use(r), use(ord), use(written), use(group), use(*id), now;
                }
            });
        touched(task_id);
    }

    void retire_the_rest() {
        using AssignmentKey = std::tuple<Id, Id, Id>;
        using ItemKey = std::pair<Id, std::string>;
        retire_unseen<AssignmentKey>(
            c_, assignments_, seen_assignments_, "assignments",
            [&](const AssignmentKey& key) { tasks_touched_.insert(number_of(std::get<0>(key))); });
        retire_unseen<ItemKey>(c_, items_, seen_items_, "task_items", [&](const ItemKey& key) {
            tasks_touched_.insert(number_of(key.first));
        });
        retire_unseen<std::string>(
            c_, tasks_, seen_tasks_, "tasks",
            [&](const std::string& number) { tasks_retired_.insert(number); });
        retire_unseen<std::string>(c_, sections_, seen_sections_, "sections",
                                   [](const std::string&) {});
    }

    // Sorts the tasks this import added, changed and retired into the outcome.
    void report_tasks(ImportOutcome& outcome) const {
        const auto sorted = [](const std::set<std::string>& numbers) {
            std::vector<std::string> out(numbers.begin(), numbers.end());
            std::sort(out.begin(), out.end(), task_order);
            return out;
        };
        std::set<std::string> changed;
        for (const auto& number : tasks_touched_) {
            if (tasks_added_.count(number) == 0 && tasks_retired_.count(number) == 0) {
                changed.insert(number);
            }
        }
        outcome.tasks_added = sorted(tasks_added_);
        outcome.tasks_changed = sorted(changed);
        outcome.tasks_retired = sorted(tasks_retired_);
    }

private:
    // Inserts or updates a row; last_ says which happened. fields[position]
    // is the row's ordinal.
    template <typename Key, typename Write>
    Id upsert(std::map<Key, Existing>& existing, const Key& key,
              const std::vector<std::string>& fields, std::size_t position, std::set<Id>& seen,
              Write write) {
        const auto it = existing.find(key);
        if (it == existing.end()) {
            inserted_ = 0;
            write(nullptr);  // inserts, and sets inserted_ to the new row's id
            const Id id = inserted_;
            existing.emplace(key, Existing{id, fields, false});
            seen.insert(id);
            ++c_.outcome.rows_added;
            last_ = RowChange::added;
            return id;
        }
        Existing& row = it->second;
        last_ = RowChange::none;
        if (row.fields != fields || row.retired) {
            std::vector<std::string> unmoved = row.fields;
            unmoved[position] = fields[position];
            last_ = row.retired         ? RowChange::revived
                    : unmoved == fields ? RowChange::moved
                                        : RowChange::updated;
            write(&row.id);
            row.fields = fields;
            row.retired = false;
            ++c_.outcome.rows_updated;
        }
        seen.insert(row.id);
        return row.id;
    }

    // An item or assignment of the task changed (added, updated or revived).
    void touched(Id task_id) {
        if (last_ != RowChange::none && last_ != RowChange::moved) {
            tasks_touched_.insert(number_of(task_id));
        }
    }

    const std::string& number_of(Id task_id) const { return task_numbers_.at(task_id); }

    void load() {
        {
            std::vector<Id> ids;
            std::vector<std::string> numbers, titles;
            std::vector<int> ordinals, parts, retired;
            c_.s << "SELECT id, number, ordinal, title, part, CASE WHEN retired_at IS NULL THEN 0 "
                    "ELSE 1 END FROM sections"
                    " WHERE plan_id = $1",
                use(plan_id_), into(ids), into(numbers), into(ordinals), into(titles), into(parts),
                into(retired), now;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                sections_[numbers[i]] = {
                    ids[i],
                    {std::to_string(ordinals[i]), titles[i], std::to_string(parts[i])},
                    retired[i] != 0};
            }
        }
        {
            std::vector<Id> ids, section_ids;
            std::vector<std::string> numbers, titles, bodies, labels, group_numbers, group_titles,
                deadline_texts, dues, progress;
            std::vector<int> ordinals, has_deadline, retired;
            c_.s << "SELECT id, number, section_id, ordinal, title, body, label, group_number,"
                    " group_title, CASE WHEN deadline_text IS NULL THEN 0 ELSE 1 END, "
                    "COALESCE(deadline_text, ''),"
                    " COALESCE(deadline_due, ''), progress,"
                    // Tasks added during the year (调整) are not the file's to retire.
                    " CASE WHEN retired_at IS NULL AND origin = 'import' THEN 0 ELSE 1 END"
                    " FROM tasks WHERE plan_id = $1",
                use(plan_id_), into(ids), into(numbers), into(section_ids), into(ordinals),
                into(titles), into(bodies), into(labels), into(group_numbers), into(group_titles),
                into(has_deadline), into(deadline_texts), into(dues), into(progress), into(retired),
                now;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                tasks_[numbers[i]] = {
                    ids[i],
                    {std::to_string(section_ids[i]), std::to_string(ordinals[i]), titles[i],
                     bodies[i], labels[i], group_numbers[i], group_titles[i],
                     (has_deadline[i] != 0 ? "1" : "0") + deadline_texts[i], dues[i], progress[i]},
                    retired[i] != 0};
                task_numbers_[ids[i]] = numbers[i];
            }
        }
        {
            std::vector<Id> ids, task_ids;
            std::vector<std::string> numbers, bodies;
            std::vector<int> ordinals, retired;
            c_.s << "SELECT i.id, i.task_id, i.number, i.ordinal, i.body, CASE WHEN i.retired_at "
                    "IS NULL THEN 0 ELSE 1 END"
                    " FROM task_items i JOIN tasks t ON t.id = i.task_id WHERE t.plan_id = $1",
                use(plan_id_), into(ids), into(task_ids), into(numbers), into(ordinals),
                into(bodies), into(retired), now;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                items_[{task_ids[i], numbers[i]}] = {
                    ids[i], {std::to_string(ordinals[i]), bodies[i]}, retired[i] != 0};
            }
        }
        {
            std::vector<Id> ids, task_ids, item_ids, department_ids;
            std::vector<std::string> roles, written, groups;
            std::vector<int> ordinals, retired;
            c_.s << "SELECT a.id, a.task_id, COALESCE(a.item_id, 0), a.department_id, a.role,"
                    " a.ordinal, a.written_as, a.via_group,"
                    // Nor are the assignments made during the year, or those of added tasks.
                    " CASE WHEN a.retired_at IS NULL AND a.reports_from IS NULL"
                    " AND t.origin = 'import' THEN 0 ELSE 1 END"
                    " FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE t.plan_id = $1",
                use(plan_id_), into(ids), into(task_ids), into(item_ids), into(department_ids),
                into(roles), into(ordinals), into(written), into(groups), into(retired), now;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                assignments_[{task_ids[i], item_ids[i], department_ids[i]}] = {
                    ids[i],
                    {roles[i], std::to_string(ordinals[i]), written[i], groups[i]},
                    retired[i] != 0};
            }
        }
    }

    ImportContext& c_;
    Id plan_id_;
    std::map<std::string, Existing> sections_, tasks_;
    std::map<std::pair<Id, std::string>, Existing> items_;
    std::map<std::tuple<Id, Id, Id>, Existing> assignments_;
    std::set<Id> seen_sections_, seen_tasks_, seen_items_, seen_assignments_;
    std::map<Id, std::string> task_numbers_;  // task id → number
    RowChange last_ = RowChange::none;
    Id inserted_ = 0;  // the id of the row upsert() just inserted (INSERT … RETURNING id)
    std::set<std::string> tasks_added_, tasks_touched_, tasks_retired_;
};

// What the audit entry of an import records beyond its reason: the source,
// its hashes, and the tasks the import added, changed and retired.
std::string import_detail(const PlanSource& source, const ImportOutcome& outcome) {
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("plan_key");
    json::write_string(w, outcome.plan_key);
    w.Key("source");
    json::write_string(w, source.name);
    w.Key("encoding");
    json::write_string(w, source.encoding);
    w.Key("file_sha256");
    json::write_string(w, source.file_sha256);
    w.Key("content_sha256");
    json::write_string(w, source.content_sha256);
    w.Key("created");
    w.Bool(outcome.plan_created);
    w.Key("rows");
    w.StartObject();
    w.Key("added");
    w.Int(outcome.rows_added);
    w.Key("updated");
    w.Int(outcome.rows_updated);
    w.Key("retired");
    w.Int(outcome.rows_retired);
    w.EndObject();
    w.Key("tasks");
    w.StartObject();
    w.Key("added");
    json::write_strings(w, outcome.tasks_added);
    w.Key("changed");
    json::write_strings(w, outcome.tasks_changed);
    w.Key("retired");
    json::write_strings(w, outcome.tasks_retired);
    w.EndObject();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

void audit_import(ImportContext& c, const PlanSource& source, const Importer& importer) {
    const ImportOutcome& o = c.outcome;
    AuditRecord a;
    a.at = c.now_text;
    a.actor = importer.actor;
    a.role = importer.role;
    a.action = o.plan_created ? "plan_import" : "plan_reimport";
    a.plan_id = o.plan_id;
    a.reason = "tasks: " + std::to_string(o.tasks_added.size()) + " added, " +
               std::to_string(o.tasks_changed.size()) + " changed, " +
               std::to_string(o.tasks_retired.size()) +
               " retired (rows: " + std::to_string(o.rows_added) + " added, " +
               std::to_string(o.rows_updated) + " updated, " + std::to_string(o.rows_retired) +
               " retired)";
    a.detail = import_detail(source, o);
    append_audit(c.s, a);
}

core::PlanInfo read_plan(Session& s, const std::string& key) {
    std::vector<Id> ids;
    std::vector<std::string> keys, titles, names, encodings, imported, updated, preambles;
    if (key.empty()) {
        s << "SELECT id, plan_key, title, source_name, source_encoding, imported_at, updated_at,"
             " preamble FROM plans ORDER BY imported_at DESC, id DESC LIMIT 1",
            into(ids), into(keys), into(titles), into(names), into(encodings), into(imported),
            into(updated), into(preambles), now;
        if (ids.empty()) {
            throw NotFound("no plan has been imported yet; run 'plan import FILE' first");
        }
    } else {
        std::string k = key;
        s << "SELECT id, plan_key, title, source_name, source_encoding, imported_at, updated_at,"
             " preamble FROM plans WHERE plan_key = $1",
            use(k), into(ids), into(keys), into(titles), into(names), into(encodings),
            into(imported), into(updated), into(preambles), now;
        if (ids.empty()) {
            throw NotFound("no plan with key '" + key + "' has been imported");
        }
    }
    core::PlanInfo info{ids[0],       keys[0],     titles[0], names[0],
                        encodings[0], imported[0], updated[0]};
    // imported_at is ISO 8601: its first four characters are the year.
    const int imported_year =
        imported[0].size() >= 4 ? std::atoi(imported[0].substr(0, 4).c_str()) : core::kFirstYear;
    const core::YearSpan years = core::plan_years(titles[0], preambles[0], imported_year);
    info.first_year = years.first;
    info.last_year = years.last;
    return info;
}

void add_unique(std::vector<std::string>& list, const std::string& name) {
    if (std::find(list.begin(), list.end(), name) == list.end()) {
        list.push_back(name);
    }
}

}  // namespace

ImportOutcome PlanStore::import(const core::Plan& plan, const core::Resolution& resolution,
                                const PlanSource& source, const Importer& importer,
                                std::int64_t now_ms) {
    if (importer.actor.empty()) {
        throw std::invalid_argument("a plan import needs its actor for the audit trail");
    }
    PlanSource keyed = source;
    if (keyed.plan_key.empty()) {
        keyed.plan_key = plan.title;
    }
    return database_.write([&](Session& s) {
        ImportOutcome outcome;
        outcome.plan_key = keyed.plan_key;
        ImportContext c{s, iso_utc(now_ms), outcome};
        outcome.plan_id = store_plan(c, plan, keyed);
        const auto departments = store_departments(c, resolution);
        PlanWriter writer(c, outcome.plan_id);
        std::map<std::string, Id> task_ids;
        std::map<std::pair<std::string, std::string>, Id> item_ids;
        int section_ordinal = 0;
        int task_ordinal = 0;
        for (const auto& section : plan.sections) {
            const Id section_id = writer.section(section, ++section_ordinal);
            for (const auto& task : section.tasks) {
                const Id task_id = writer.task(task, section_id, ++task_ordinal);
                task_ids[task.number] = task_id;
                int item_ordinal = 0;
                for (const auto& item : task.items) {
                    item_ids[{task.number, item.number}] =
                        writer.item(item, task_id, ++item_ordinal);
                }
            }
        }
        for (const auto& a : resolution.assignments) {
            const Id item_id =
                a.item_number.empty() ? 0 : item_ids.at({a.task_number, a.item_number});
            writer.assignment(a, task_ids.at(a.task_number), item_id, departments.at(a.department));
        }
        writer.retire_the_rest();
        writer.report_tasks(outcome);
        if (outcome.changed()) {
            audit_import(c, keyed, importer);
        }
        return outcome;
    });
}

std::vector<core::PlanInfo> PlanStore::plans() {
    return database_.read([&](Session& s) {
        std::vector<std::string> keys;
        s << "SELECT plan_key FROM plans ORDER BY imported_at, id", into(keys), now;
        std::vector<core::PlanInfo> out;
        for (const auto& key : keys) {
            out.push_back(read_plan(s, key));
        }
        return out;
    });
}

core::PlanInfo PlanStore::plan(const std::string& key) {
    return database_.read([&](Session& s) { return read_plan(s, key); });
}

std::vector<core::LedgerRow> PlanStore::ledger(const core::PlanInfo& plan,
                                               const std::optional<std::string>& department) {
    return database_.read([&](Session& s) {
        Id plan_id = plan.id;
        std::vector<Id> task_ids;
        std::vector<std::string> section_numbers, section_titles, numbers, titles, labels,
            group_numbers, group_titles, deadline_texts, dues, progress, wheres;
        std::vector<int> has_deadline, reported;
        std::vector<std::string> stages, deadlines_set;
        s << "SELECT t.id, s.number, s.title, t.number, t.title, t.label, t.group_number,"
             " t.group_title, CASE WHEN t.deadline_text IS NULL THEN 0 ELSE 1 END, "
             "COALESCE(t.deadline_text, ''),"
             " COALESCE(t.deadline_due, ''), t.progress, t.source_where,"
             " t.stage, COALESCE(t.deadline_set, ''),"
             " CASE WHEN EXISTS (SELECT 1 FROM obligations o"
             "  JOIN assignments a ON a.id = o.assignment_id"
             "  JOIN reports r ON r.obligation_id = o.id"
             "  WHERE a.task_id = t.id AND r.state <> 'draft') THEN 1 ELSE 0 END"
             " FROM tasks t"
             " JOIN sections s ON s.id = t.section_id"
             " WHERE t.plan_id = $1 AND t.retired_at IS NULL ORDER BY t.ordinal",
            use(plan_id), into(task_ids), into(section_numbers), into(section_titles),
            into(numbers), into(titles), into(labels), into(group_numbers), into(group_titles),
            into(has_deadline), into(deadline_texts), into(dues), into(progress), into(wheres),
            into(stages), into(deadlines_set), into(reported), now;
        std::vector<core::LedgerRow> rows(task_ids.size());
        std::map<Id, std::size_t> row_of;
        for (std::size_t i = 0; i < task_ids.size(); ++i) {
            core::LedgerRow& row = rows[i];
            row.section_number = section_numbers[i];
            row.section_title = section_titles[i];
            row.number = numbers[i];
            row.title = titles[i];
            row.label = labels[i];
            row.group_number = group_numbers[i];
            row.group_title = group_titles[i];
            row.has_deadline = has_deadline[i] != 0;
            row.deadline_text = deadline_texts[i];
            row.deadline_due = dues[i];
            row.progress = progress[i];
            row.where = wheres[i];
            row.stage = stages[i];
            row.deadline_set = deadlines_set[i];
            row.reported = reported[i] != 0;
            row_of[task_ids[i]] = i;
        }

        std::vector<Id> item_ids, item_tasks;
        std::vector<std::string> item_numbers, item_bodies;
        s << "SELECT i.id, i.task_id, i.number, i.body FROM task_items i"
             " JOIN tasks t ON t.id = i.task_id"
             " WHERE t.plan_id = $1 AND i.retired_at IS NULL ORDER BY i.task_id, i.ordinal",
            use(plan_id), into(item_ids), into(item_tasks), into(item_numbers), into(item_bodies),
            now;
        std::map<Id, std::pair<std::size_t, std::size_t>> item_of;
        for (std::size_t i = 0; i < item_ids.size(); ++i) {
            const auto row = row_of.find(item_tasks[i]);
            if (row == row_of.end()) {
                continue;
            }
            rows[row->second].items.push_back({item_numbers[i], item_bodies[i], {}, {}});
            item_of[item_ids[i]] = {row->second, rows[row->second].items.size() - 1};
        }

        std::vector<Id> a_tasks, a_items;
        std::vector<std::string> a_departments, a_roles;
        s << "SELECT a.task_id, COALESCE(a.item_id, 0), d.name, a.role FROM assignments a"
             " JOIN tasks t ON t.id = a.task_id JOIN departments d ON d.id = a.department_id"
             " LEFT JOIN task_items i ON i.id = a.item_id"
             " WHERE t.plan_id = $1 AND a.retired_at IS NULL AND a.reports_until IS NULL"
             " ORDER BY t.ordinal, COALESCE(i.ordinal, 0), a.ordinal",
            use(plan_id), into(a_tasks), into(a_items), into(a_departments), into(a_roles), now;
        std::set<std::size_t> matching;
        for (std::size_t i = 0; i < a_tasks.size(); ++i) {
            const auto row = row_of.find(a_tasks[i]);
            if (row == row_of.end()) {
                continue;
            }
            auto& task_row = rows[row->second];
            const bool lead = a_roles[i] == "lead";
            add_unique(lead ? task_row.lead : task_row.co, a_departments[i]);
            if (a_items[i] != 0) {
                const auto where = item_of.find(a_items[i]);
                if (where != item_of.end()) {
                    auto& item = rows[where->second.first].items[where->second.second];
                    add_unique(lead ? item.lead : item.co, a_departments[i]);
                }
            }
            if (department && *department == a_departments[i]) {
                matching.insert(row->second);
            }
        }
        for (auto& row : rows) {
            // A department leading one item and co-operating on another is shown once, as lead.
            row.co.erase(std::remove_if(row.co.begin(), row.co.end(),
                                        [&](const std::string& d) {
                                            return std::find(row.lead.begin(), row.lead.end(), d) !=
                                                   row.lead.end();
                                        }),
                         row.co.end());
        }
        if (!department) {
            return rows;
        }
        std::vector<core::LedgerRow> filtered;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (matching.count(i) != 0) {
                filtered.push_back(std::move(rows[i]));
            }
        }
        return filtered;
    });
}

core::LedgerSummary PlanStore::summary(const core::PlanInfo& plan) {
    return database_.read([&](Session& s) {
        core::LedgerSummary out;
        out.plan = plan;
        Id plan_id = plan.id;
        s << "SELECT COUNT(*) FROM sections WHERE plan_id = $1 AND retired_at IS NULL",
            use(plan_id), into(out.sections), now;
        s << "SELECT COUNT(*) FROM tasks WHERE plan_id = $1 AND retired_at IS NULL", use(plan_id),
            into(out.tasks), now;
        s << "SELECT COUNT(*) FROM task_items i JOIN tasks t ON t.id = i.task_id"
             " WHERE t.plan_id = $1 AND i.retired_at IS NULL",
            use(plan_id), into(out.items), now;
        std::vector<std::string> names;
        std::vector<int> known, leads, cos;
        s << "SELECT d.name, d.in_org_chart, SUM(CASE WHEN a.role = 'lead' THEN 1 ELSE 0 END) AS "
             "leads,"
             " SUM(CASE WHEN a.role = 'co' THEN 1 ELSE 0 END) AS cos"
             " FROM assignments a JOIN tasks t ON t.id = a.task_id"
             " JOIN departments d ON d.id = a.department_id"
             " WHERE t.plan_id = $1 AND a.retired_at IS NULL GROUP BY d.id"
             " ORDER BY leads DESC, cos DESC, d.name",
            use(plan_id), into(names), into(known), into(leads), into(cos), now;
        for (std::size_t i = 0; i < names.size(); ++i) {
            out.departments.push_back({names[i], known[i] != 0, leads[i], cos[i]});
            out.lead_assignments += leads[i];
            out.co_assignments += cos[i];
        }
        out.assignments = out.lead_assignments + out.co_assignments;
        return out;
    });
}

}  // namespace rl::storage
