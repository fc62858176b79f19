#include "storage/plan_store.h"

#include <Poco/Data/Session.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include "core/reporting.h"
#include "json_util.h"
#include "storage/audit.h"
#include "storage/cursor.h"
#include "storage/reader_statements.h"
#include "storage/statement_cache.h"
#include "storage/write_slices.h"

using Poco::Data::Session;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace rl::storage {

// The years of each plan (core::plan_years of its title and preamble) as last
// worked out, for the plan read at the start of every write: kept with the
// text they were worked out from, and worked out again when a plan row read
// differs from it (a re-import, or another process's), so they are never
// stale. Writes on PostgreSQL may run on several threads: a mutex.
class PlanYearsMemo {
public:
    core::YearSpan of(std::int64_t plan_id, const std::string& title, const std::string& preamble,
                      int imported_year) {
        const std::lock_guard<std::mutex> lock(mutex_);
        Entry& e = by_plan_[plan_id];
        if (!e.known || e.title != title || e.preamble != preamble ||
            e.imported_year != imported_year) {
            e = {true, title, preamble, imported_year,
                 core::plan_years(title, preamble, imported_year)};
        }
        return e.span;
    }

private:
    struct Entry {
        bool known = false;
        std::string title, preamble;
        int imported_year = 0;
        core::YearSpan span;
    };
    std::mutex mutex_;
    std::map<std::int64_t, Entry> by_plan_;
};

namespace {

using Id = Poco::Int64;

struct ImportContext {
    Session* session;  // of the write transaction (the slice) running now
    std::string now_text;
    ImportOutcome& outcome;
    // The import's row-by-row statements, prepared once for all its slices
    // (on SQLite's writer connection; on PostgreSQL per use, as before).
    StatementCache* statements = nullptr;
    Session& s() const { return *session; }
    Cursor cursor(const std::string& sql) const {
        return statements != nullptr ? statements->use(*session, sql) : Cursor(*session, sql);
    }
};

// The plan row with this key, a hidden one (an import under way or
// abandoned) included.
struct StoredPlan {
    Id id = 0;
    std::string title, hash, preamble, notes, closing;
    std::optional<std::int64_t> importing_until;
};

std::optional<StoredPlan> find_plan(Session& s, const std::string& plan_key) {
    std::vector<Id> ids;
    std::vector<std::string> titles, hashes, preambles, notes, closings;
    std::vector<Poco::Nullable<Poco::Int64>> leases;
    std::string key = plan_key;
    s << "SELECT id, title, content_sha256, preamble, notes, closing, importing_until FROM plans"
         " WHERE plan_key = $1",
        use(key), into(ids), into(titles), into(hashes), into(preambles), into(notes),
        into(closings), into(leases), now;
    if (ids.empty()) {
        return std::nullopt;
    }
    StoredPlan p{ids[0], titles[0], hashes[0], preambles[0], notes[0], closings[0], std::nullopt};
    if (!leases[0].isNull()) {
        p.importing_until = leases[0].value();
    }
    return p;
}

// Stores the plan's row: a new one (hidden while lease is set: the import's
// last slice shows it), or the existing one updated.
Id store_plan(ImportContext& c, const core::Plan& plan, const PlanSource& source,
              const std::optional<StoredPlan>& existing, std::optional<std::int64_t> lease) {
    std::string key = source.plan_key;
    std::string title = plan.title, preamble = plan.preamble, note = plan.notes;
    std::string closing = plan.closing, format = plan.format.empty() ? "text" : plan.format;
    std::string name = source.name, encoding = source.encoding, hash = source.content_sha256;
    Id id = 0;
    if (!existing) {
        Poco::Nullable<Poco::Int64> until;
        if (lease) {
            until = *lease;
        }
        c.s()
            << "INSERT INTO plans (plan_key, title, source_name, source_encoding, content_sha256,"
               " preamble, notes, imported_at, updated_at, source_format, closing, importing_until)"
               " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            use(key), use(title), use(name), use(encoding), use(hash), use(preamble), use(note),
            use(c.now_text), use(c.now_text), use(format), use(closing), use(until), into(id), now;
        c.outcome.plan_created = true;
        return id;
    }
    id = existing->id;
    if (existing->title != title || existing->hash != hash || existing->preamble != preamble ||
        existing->notes != note || existing->closing != closing) {
        c.s()
            << "UPDATE plans SET title = $1, source_name = $2, source_encoding = $3,"
               " content_sha256 = $4, preamble = $5, notes = $6, updated_at = $7, source_format = "
               "$8,"
               " closing = $9 WHERE id = $10",
            use(title), use(name), use(encoding), use(hash), use(preamble), use(note),
            use(c.now_text), use(format), use(closing), use(id), now;
        ++c.outcome.rows_updated;
    }
    return id;
}

// A department already stored whose in_org_chart flag the import changes.
struct DepartmentFlag {
    Id id;
    int known;
};

void update_department_flags(ImportContext& c, const std::vector<DepartmentFlag>& flags) {
    for (const auto& flag : flags) {
        Id id = flag.id;
        int known = flag.known;
        c.s() << "UPDATE departments SET in_org_chart = $1 WHERE id = $2", use(known), use(id), now;
    }
}

// The departments the plan assigns, by name: new ones inserted (their ids
// put in created), changed flags updated now or, with deferred, left in it
// for the import's last write (a department is shared by every plan).
std::map<std::string, Id> store_departments(ImportContext& c, const core::Resolution& resolution,
                                            std::vector<Id>& created,
                                            std::vector<DepartmentFlag>* deferred) {
    std::map<std::string, int> wanted;  // name → in org chart
    for (const auto& a : resolution.assignments) {
        wanted[a.department] = a.known ? 1 : 0;
    }
    std::map<std::string, Id> ids;
    std::vector<DepartmentFlag> flags;
    for (const auto& [name_ref, known_ref] : wanted) {
        std::string name = name_ref;
        int known = known_ref;
        std::vector<Id> found;
        std::vector<int> stored;
        c.s() << "SELECT id, in_org_chart FROM departments WHERE name = $1", use(name), into(found),
            into(stored), now;
        if (found.empty()) {
            Id id = 0;
            c.s() << "INSERT INTO departments (name, in_org_chart) VALUES ($1, $2) RETURNING id",
                use(name), use(known), into(id), now;
            ids[name] = id;
            created.push_back(id);
            ++c.outcome.rows_added;
        } else {
            ids[name] = found[0];
            if (stored[0] != known) {
                flags.push_back({found[0], known});
                ++c.outcome.rows_updated;
            }
        }
    }
    if (deferred != nullptr) {
        *deferred = std::move(flags);
    } else {
        update_department_flags(c, flags);
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
            c.cursor("UPDATE " + table + " SET retired_at = $1 WHERE id = $2")
                .bind(c.now_text)
                .bind(row.id)
                .run();
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
            if (id == nullptr) {
                Cursor insert = c_.cursor(
                    "INSERT INTO sections (plan_id, number, ordinal, title, part)"
                    " VALUES ($1, $2, $3, $4, $5) RETURNING id");
                insert.bind(plan_id_)
                    .bind(key)
                    .bind(ordinal)
                    .bind(section.title)
                    .bind(section.part);
                inserted(insert);
            } else {
                c_.cursor(
                      "UPDATE sections SET ordinal = $1, title = $2, part = $3,"
                      " retired_at = NULL WHERE id = $4")
                    .bind(ordinal)
                    .bind(section.title)
                    .bind(section.part)
                    .bind(*id)
                    .run();
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
            const std::string group_number = task.group ? task.group->number : "";
            const std::string group_title = task.group ? task.group->title : "";
            std::optional<std::string> deadline_text, deadline_due;
            if (task.deadline) {
                deadline_text = task.deadline->text;
                if (!task.deadline->due.empty()) {
                    deadline_due = task.deadline->due;
                }
            }
            // The columns both statements set, from section_id on.
            const auto bind_task = [&](Cursor& cursor) {
                cursor.bind(section_id)
                    .bind(ordinal)
                    .bind(task.title)
                    .bind(task.text)
                    .bind(task.label)
                    .bind(group_number)
                    .bind(group_title)
                    .bind(deadline_text)
                    .bind(deadline_due)
                    .bind(task.progress)
                    .bind(task.where);
            };
            if (id == nullptr) {
                Cursor insert = c_.cursor(
                    "INSERT INTO tasks (plan_id, number, section_id, ordinal, title, body, label,"
                    " group_number, group_title, deadline_text, deadline_due, progress,"
                    " source_where) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
                    " $13) RETURNING id");
                insert.bind(plan_id_).bind(task.number);
                bind_task(insert);
                inserted(insert);
            } else {
                Cursor update = c_.cursor(
                    "UPDATE tasks SET section_id = $1, ordinal = $2, title = $3, body = $4,"
                    " label = $5, group_number = $6, group_title = $7, deadline_text = $8,"
                    " deadline_due = $9, progress = $10, source_where = $11,"
                    " retired_at = NULL WHERE id = $12");
                bind_task(update);
                update.bind(*id).run();
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
                if (id == nullptr) {
                    Cursor insert = c_.cursor(
                        "INSERT INTO task_items (task_id, number, ordinal, body)"
                        " VALUES ($1, $2, $3, $4) RETURNING id");
                    insert.bind(task_id).bind(item.number).bind(ordinal).bind(item.text);
                    inserted(insert);
                } else {
                    c_.cursor(
                          "UPDATE task_items SET ordinal = $1, body = $2,"
                          " retired_at = NULL WHERE id = $3")
                        .bind(ordinal)
                        .bind(item.text)
                        .bind(*id)
                        .run();
                }
            });
        touched(task_id);
        return item_id;
    }

    void assignment(const core::Assignment& a, Id task_id, Id item_id, Id department_id) {
        const std::string role = core::to_string(a.role);
        std::vector<std::string> fields{role, std::to_string(a.ordinal), a.written_as, a.via_group};
        upsert(assignments_, std::make_tuple(task_id, item_id, department_id), fields, 1,
               seen_assignments_, [&](Id* id) {
                   if (id == nullptr) {
                       Cursor insert = c_.cursor(
                           "INSERT INTO assignments (task_id, item_id, department_id, role,"
                           " ordinal, written_as, via_group) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                           " RETURNING id");
                       insert.bind(task_id);
                       if (item_id != 0) {
                           insert.bind(item_id);
                       } else {
                           insert.bind_null();
                       }
                       insert.bind(department_id)
                           .bind(role)
                           .bind(a.ordinal)
                           .bind(a.written_as)
                           .bind(a.via_group);
                       inserted(insert);
                   } else {
                       c_.cursor(
                             "UPDATE assignments SET role = $1, ordinal = $2, written_as = $3,"
                             " via_group = $4, retired_at = NULL WHERE id = $5")
                           .bind(role)
                           .bind(a.ordinal)
                           .bind(a.written_as)
                           .bind(a.via_group)
                           .bind(*id)
                           .run();
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

    // Runs an INSERT … RETURNING id; inserted_ is the new row's id.
    void inserted(Cursor& insert) {
        if (!insert.step()) {
            throw StorageError("an INSERT of the plan's import gave no id back");
        }
        inserted_ = insert.integer(0);
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
            c_.s()
                << "SELECT id, number, ordinal, title, part, CASE WHEN retired_at IS NULL THEN 0 "
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
            c_.s() << "SELECT id, number, section_id, ordinal, title, body, label, group_number,"
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
            c_.s() << "SELECT i.id, i.task_id, i.number, i.ordinal, i.body, CASE WHEN i.retired_at "
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
            c_.s() << "SELECT a.id, a.task_id, COALESCE(a.item_id, 0), a.department_id, a.role,"
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
    append_audit(c.s(), a);
}

constexpr const char* kPlanColumns =
    "SELECT id, plan_key, title, source_name, source_encoding, imported_at, updated_at,"
    " preamble FROM plans WHERE importing_until IS NULL";

// cache, years: where the statement is kept prepared and the years worked
// out (inside a write), or null.
core::PlanInfo read_plan(Session& s, const std::string& key, StatementCache* cache = nullptr,
                         PlanYearsMemo* years = nullptr) {
    // The latest plan: the newest imported_at, then the highest id. Not
    // ORDER BY imported_at DESC, id DESC LIMIT 1: SQLite sorted whole rows
    // for it (each plan's preamble is kilobytes, on overflow pages) in a
    // temporary b-tree opened and closed on every call.
    static const std::string latest =
        std::string(kPlanColumns) +
        " AND imported_at = (SELECT MAX(imported_at) FROM plans WHERE importing_until IS NULL)"
        " ORDER BY id DESC LIMIT 1";
    static const std::string by_key = std::string(kPlanColumns) + " AND plan_key = $1";
    const std::string& sql = key.empty() ? latest : by_key;
    // Inside a write, the writer keeps it prepared (cache); in a read, the
    // reader does (storage/reader_statements.h).
    Cursor row = cache != nullptr ? cache->use(s, sql) : ReaderStatements::cursor(s, sql);
    if (!key.empty()) {
        row.bind(key);
    }
    if (!row.step()) {
        throw NotFound(key.empty() ? "no plan has been imported yet; run 'plan import FILE' first"
                                   : "no plan with key '" + key + "' has been imported");
    }
    core::PlanInfo info{row.integer(0), row.text(1), row.text(2), row.text(3),
                        row.text(4),    row.text(5), row.text(6)};
    // imported_at is ISO 8601: its first four characters are the year.
    const int imported_year = info.imported_at.size() >= 4
                                  ? std::atoi(info.imported_at.substr(0, 4).c_str())
                                  : core::kFirstYear;
    const std::string preamble = row.text(7);
    const core::YearSpan span = years != nullptr
                                    ? years->of(info.id, info.title, preamble, imported_year)
                                    : core::plan_years(info.title, preamble, imported_year);
    info.first_year = span.first;
    info.last_year = span.last;
    return info;
}

// Deletes a plan's row and every row under it (its sections, tasks, items
// and assignments). Only for a plan no read has seen: one that never
// finished importing has no obligations, reports or messages.
void remove_plan_rows(Session& s, Id plan_id) {
    Id id = plan_id;
    s << "DELETE FROM assignments WHERE task_id IN (SELECT id FROM tasks WHERE plan_id = $1)",
        use(id), now;
    s << "DELETE FROM task_items WHERE task_id IN (SELECT id FROM tasks WHERE plan_id = $1)",
        use(id), now;
    s << "DELETE FROM tasks WHERE plan_id = $1", use(id), now;
    s << "DELETE FROM sections WHERE plan_id = $1", use(id), now;
    s << "DELETE FROM plans WHERE id = $1", use(id), now;
}

// Removes the plan if it is still hidden; whether it was.
bool remove_hidden_plan(Session& s, Id plan_id) {
    Id id = plan_id;
    std::vector<Id> hidden;
    s << "SELECT id FROM plans WHERE id = $1 AND importing_until IS NOT NULL", use(id),
        into(hidden), now;
    if (hidden.empty()) {
        return false;
    }
    remove_plan_rows(s, plan_id);
    return true;
}

// Departments no assignment names (only an unfinished import leaves them):
// those among ids, or all of them.
void remove_unassigned_departments(Session& s, const std::vector<Id>& ids) {
    for (const Id department : ids) {
        Id id = department;
        s << "DELETE FROM departments WHERE id = $1"
             " AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.department_id = $1)",
            use(id), now;
    }
}

void remove_unassigned_departments(Session& s) {
    s << "DELETE FROM departments"
         " WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.department_id = departments.id)",
        now;
}

void add_unique(std::vector<std::string>& list, const std::string& name) {
    if (std::find(list.begin(), list.end(), name) == list.end()) {
        list.push_back(name);
    }
}

}  // namespace

std::int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// One import between prepare_import() and finish_import(): the plan and its
// resolution (copied: the caller's may be gone by the last write), the steps
// that write it, and what they have stored so far.
class PreparedImport {
public:
    PreparedImport(Database& database, std::chrono::milliseconds slice, const core::Plan& plan,
                   const core::Resolution& resolution, PlanSource source, Importer importer,
                   std::int64_t now_ms)
        : database_(database),
          slice_(slice),
          plan_(plan),
          resolution_(resolution),
          source_(std::move(source)),
          importer_(std::move(importer)),
          c_{nullptr, iso_utc(now_ms), outcome_, &statements_} {
        outcome_.plan_key = source_.plan_key;
        make_steps();
    }

    // A new plan not shown — the import failed, or the transaction of its
    // last write rolled back: what the slices stored is removed (or, that
    // failing too, left to its lease). The import's statements, if its last
    // write did not finish, are finalized there too, under the writer's lock
    // as they were used.
    ~PreparedImport() {
        if (lease_ == 0 && statements_.empty()) {
            return;
        }
        try {
            database_.write([&](Session& s) {
                statements_.clear();
                if (lease_ != 0 && remove_hidden_plan(s, outcome_.plan_id)) {
                    remove_unassigned_departments(s, created_departments_);
                }
            });
        } catch (...) {
            // Left to the lease: the next start or import removes it.
        }
    }
    PreparedImport(const PreparedImport&) = delete;
    PreparedImport& operator=(const PreparedImport&) = delete;

    // A new plan: its hidden row and departments, then every step but the
    // last, in slices. A plan readers see: nothing yet.
    void prepare() {
        database_.write([&](Session& s) {
            const auto start = Clock::now();
            const auto existing = find_plan(s, source_.plan_key);
            if (existing && !existing->importing_until) {
                return;  // a re-import: all of it in the last write
            }
            begin(s);
            held(start);
        });
        if (lease_ == 0) {
            return;
        }
        renew_at_ = wall_clock_ms() + kImportLeaseMs / 4;
        WriteSlices slices(database_, slice_);
        slices.run(steps_.size() - 1, [&](std::size_t i) {
            database_.write([&](Session& s) {
                c_.session = &s;
                renew_lease(s);
                steps_[i]();
                next_ = i + 1;
            });
        });
        outcome_.write_slices += slices.count();
        outcome_.longest_write_ms = std::max(outcome_.longest_write_ms, slices.longest_ms());
    }

    // The rest — for a re-import, all of it — in the caller's write
    // transaction; the plan is shown when it commits.
    ImportOutcome finish() {
        database_.write([&](Session& s) {
            const auto start = Clock::now();
            if (!begun_) {
                begin(s);
            }
            c_.session = &s;
            renew_lease(s);
            for (; next_ < steps_.size(); ++next_) {
                steps_[next_]();
            }
            statements_.clear();
            held(start);
        });
        return outcome_;
    }

private:
    using Clock = std::chrono::steady_clock;

    void held(Clock::time_point start) {
        ++outcome_.write_slices;
        outcome_.longest_write_ms =
            std::max(outcome_.longest_write_ms,
                     std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }

    // The plan's row and departments: a new plan's hidden (its lease set), a
    // re-import's updated.
    void begin(Session& s) {
        c_.session = &s;
        const std::int64_t wall = wall_clock_ms();
        std::optional<StoredPlan> existing = find_plan(s, source_.plan_key);
        if (existing && existing->importing_until) {
            if (*existing->importing_until >= wall) {
                throw ImportInProgress("plan '" + source_.plan_key +
                                       "' is being imported by another call; try again once it "
                                       "has finished");
            }
            remove_plan_rows(s, existing->id);
            int live = 0;
            s << "SELECT COUNT(*) FROM plans WHERE importing_until IS NOT NULL", into(live), now;
            if (live == 0) {
                remove_unassigned_departments(s);
            }
            existing.reset();
        }
        lease_ = existing ? 0 : wall + kImportLeaseMs;
        outcome_.plan_id = store_plan(c_, plan_, source_, existing,
                                      lease_ != 0 ? std::optional(lease_) : std::nullopt);
        departments_ = store_departments(c_, resolution_, created_departments_,
                                         lease_ != 0 ? &deferred_flags_ : nullptr);
        writer_ = std::make_unique<PlanWriter>(c_, outcome_.plan_id);
        begun_ = true;
    }

    // Each slice renews the hidden row's lease once a quarter of it has passed.
    void renew_lease(Session& s) {
        if (lease_ == 0) {
            return;
        }
        const std::int64_t wall = wall_clock_ms();
        if (wall < renew_at_) {
            return;
        }
        Id id = outcome_.plan_id;
        Poco::Int64 until = wall + kImportLeaseMs;
        std::vector<Id> renewed;
        s << "UPDATE plans SET importing_until = $1"
             " WHERE id = $2 AND importing_until IS NOT NULL RETURNING id",
            use(until), use(id), into(renewed), now;
        if (renewed.empty()) {
            throw StorageError("the import of plan '" + outcome_.plan_key +
                               "' lost its lease (a start took it for abandoned and removed "
                               "it); nothing of it is stored, import it again");
        }
        renew_at_ = wall + kImportLeaseMs / 4;
    }

    // Sections, tasks (with their items) and assignments, one step each, and
    // the last step: what is retired, the audit entry, the plan shown.
    void make_steps() {
        int section_ordinal = 0, task_ordinal = 0;
        for (const auto& section : plan_.sections) {
            const core::Section* sp = &section;
            const int ordinal = ++section_ordinal;
            auto section_id = std::make_shared<Id>(0);
            steps_.emplace_back(
                [this, sp, ordinal, section_id] { *section_id = writer_->section(*sp, ordinal); });
            for (const auto& task : section.tasks) {
                const core::Task* tp = &task;
                const int task_ordinal_now = ++task_ordinal;
                steps_.emplace_back([this, tp, task_ordinal_now, section_id] {
                    const Id task_id = writer_->task(*tp, *section_id, task_ordinal_now);
                    task_ids_[tp->number] = task_id;
                    int item_ordinal = 0;
                    for (const auto& item : tp->items) {
                        item_ids_[{tp->number, item.number}] =
                            writer_->item(item, task_id, ++item_ordinal);
                    }
                });
            }
        }
        for (const auto& assignment : resolution_.assignments) {
            const core::Assignment* a = &assignment;
            steps_.emplace_back([this, a] {
                const Id item_id =
                    a->item_number.empty() ? 0 : item_ids_.at({a->task_number, a->item_number});
                writer_->assignment(*a, task_ids_.at(a->task_number), item_id,
                                    departments_.at(a->department));
            });
        }
        steps_.emplace_back([this] {
            writer_->retire_the_rest();
            writer_->report_tasks(outcome_);
            update_department_flags(c_, deferred_flags_);
            if (outcome_.changed()) {
                audit_import(c_, source_, importer_);
            }
            if (lease_ != 0) {
                Id id = outcome_.plan_id;
                std::vector<Id> shown;
                c_.s() << "UPDATE plans SET importing_until = NULL"
                          " WHERE id = $1 AND importing_until IS NOT NULL RETURNING id",
                    use(id), into(shown), now;
                if (shown.empty()) {
                    throw StorageError("the import of plan '" + outcome_.plan_key +
                                       "' lost its lease (a start took it for abandoned and "
                                       "removed it); nothing of it is stored, import it again");
                }
            }
        });
    }

    Database& database_;
    std::chrono::milliseconds slice_;
    const core::Plan plan_;
    const core::Resolution resolution_;
    const PlanSource source_;
    const Importer importer_;
    ImportOutcome outcome_;
    StatementCache statements_;  // the import's, finalized with its last write
    ImportContext c_;
    std::unique_ptr<PlanWriter> writer_;
    std::map<std::string, Id> departments_;
    std::vector<Id> created_departments_;
    std::vector<DepartmentFlag> deferred_flags_;
    std::map<std::string, Id> task_ids_;
    std::map<std::pair<std::string, std::string>, Id> item_ids_;
    std::vector<std::function<void()>> steps_;
    std::size_t next_ = 0;  // the first step not yet committed
    bool begun_ = false;
    std::int64_t lease_ = 0;  // a new plan's hidden row's; 0: a re-import
    std::int64_t renew_at_ = 0;
};

std::shared_ptr<PreparedImport> PlanStore::prepare_import(const core::Plan& plan,
                                                          const core::Resolution& resolution,
                                                          const PlanSource& source,
                                                          const Importer& importer,
                                                          std::int64_t now_ms) {
    if (importer.actor.empty()) {
        throw std::invalid_argument("a plan import needs its actor for the audit trail");
    }
    PlanSource keyed = source;
    if (keyed.plan_key.empty()) {
        keyed.plan_key = plan.title;
    }
    auto prepared = std::make_shared<PreparedImport>(database_, slice_, plan, resolution, keyed,
                                                     importer, now_ms);
    prepared->prepare();
    return prepared;
}

ImportOutcome PlanStore::finish_import(PreparedImport& prepared) {
    ImportOutcome outcome = prepared.finish();
    if (outcome.rows_added + outcome.rows_updated + outcome.rows_retired >= kBulkRows) {
        database_.write([](Session& s) {
            refresh_statistics(s, "plans, sections, tasks, task_items, assignments, departments");
        });
    }
    return outcome;
}

ImportOutcome PlanStore::import(const core::Plan& plan, const core::Resolution& resolution,
                                const PlanSource& source, const Importer& importer,
                                std::int64_t now_ms) {
    const auto prepared = prepare_import(plan, resolution, source, importer, now_ms);
    return finish_import(*prepared);
}

int PlanStore::remove_abandoned_imports(std::int64_t wall_now_ms) {
    // Reads first: a start that finds nothing to remove writes nothing.
    const int hidden = database_.read([&](Session& s) {
        int count = 0;
        s << "SELECT COUNT(*) FROM plans WHERE importing_until IS NOT NULL", into(count), now;
        return count;
    });
    if (hidden == 0) {
        return 0;
    }
    return database_.write([&](Session& s) {
        std::vector<Id> ids;
        Poco::Int64 wall = wall_now_ms;
        s << "SELECT id FROM plans WHERE importing_until IS NOT NULL AND importing_until < $1",
            use(wall), into(ids), now;
        for (const Id id : ids) {
            remove_plan_rows(s, id);
        }
        int live = 0;
        s << "SELECT COUNT(*) FROM plans WHERE importing_until IS NOT NULL", into(live), now;
        if (!ids.empty() && live == 0) {
            // No import runs: a department no assignment names was left by one that did.
            remove_unassigned_departments(s);
        }
        return static_cast<int>(ids.size());
    });
}

std::vector<core::PlanInfo> PlanStore::plans() {
    return database_.read([&](Session& s) {
        std::vector<std::string> keys;
        s << "SELECT plan_key FROM plans WHERE importing_until IS NULL ORDER BY imported_at, id",
            into(keys), now;
        std::vector<core::PlanInfo> out;
        for (const auto& key : keys) {
            out.push_back(read_plan(s, key));
        }
        return out;
    });
}

PlanStore::PlanStore(Database& database, std::chrono::milliseconds import_slice)
    : database_(database),
      slice_(import_slice),
      hot_(std::make_unique<StatementCache>()),
      years_(std::make_unique<PlanYearsMemo>()) {}

PlanStore::~PlanStore() = default;

// Every write names its plan first (report.act: one read of the plan per
// action): inside a write its statement is kept prepared on the writer's
// connection and its years are not worked out again from the same text.
core::PlanInfo PlanStore::plan(const std::string& key) {
    const bool writing = database_.writing();
    StatementCache* cache = writing ? hot_.get() : nullptr;
    PlanYearsMemo* years = writing ? years_.get() : nullptr;
    return database_.read([&](Session& s) { return read_plan(s, key, cache, years); });
}

std::vector<core::LedgerRow> PlanStore::ledger(const core::PlanInfo& plan,
                                               const std::optional<std::string>& department) {
    return database_.read([&](Session& s) {
        // Four statements for the whole plan, through the reader's prepared
        // statements (storage/reader_statements.h).
        static const std::string tasks_sql =
            "SELECT t.id, s.number, s.title, t.number, t.title, t.label, t.group_number,"
            " t.group_title, CASE WHEN t.deadline_text IS NULL THEN 0 ELSE 1 END, "
            "COALESCE(t.deadline_text, ''),"
            " COALESCE(t.deadline_due, ''), t.progress, t.source_where,"
            " t.stage, COALESCE(t.deadline_set, ''), COALESCE(e.escalated_at, '')"
            " FROM tasks t"
            " JOIN sections s ON s.id = t.section_id"
            // The escalation of the deadline in force, if the sweep made one
            // (one per task and deadline: UNIQUE (task_id, due)), as task.get.
            " LEFT JOIN task_escalations e ON e.task_id = t.id"
            " AND e.due = COALESCE(NULLIF(t.deadline_set, ''), t.deadline_due)"
            " WHERE t.plan_id = $1 AND t.retired_at IS NULL ORDER BY t.ordinal";
        // The tasks with a report past its draft: for each assignment, its
        // obligations by assignment_id (obligations_by_assignment_month), oldest
        // first, until one has such a report — one or two lookups once a
        // department has reported, where a join from the reports read every
        // report of the year (0.56 ms of SQLite's time on the seed plan with
        // nine months filed, 0.12 ms this way). Not a correlated EXISTS per
        // task: that had PostgreSQL scan every obligation of the plan for each
        // task while the tables had no statistics yet (200 ms on a 999-task
        // plan).
        static const std::string reported_sql =
            "SELECT DISTINCT a.task_id FROM assignments a JOIN tasks t ON t.id = a.task_id"
            " WHERE t.plan_id = $1 AND EXISTS (SELECT 1 FROM obligations o"
            " JOIN reports r ON r.obligation_id = o.id"
            " WHERE o.assignment_id = a.id AND r.state <> 'draft')";
        static const std::string items_sql =
            "SELECT i.id, i.task_id, i.number, i.body FROM task_items i"
            " JOIN tasks t ON t.id = i.task_id"
            " WHERE t.plan_id = $1 AND i.retired_at IS NULL ORDER BY i.task_id, i.ordinal";
        static const std::string assignments_sql =
            "SELECT a.task_id, COALESCE(a.item_id, 0), d.name, a.role FROM assignments a"
            " JOIN tasks t ON t.id = a.task_id JOIN departments d ON d.id = a.department_id"
            " LEFT JOIN task_items i ON i.id = a.item_id"
            " WHERE t.plan_id = $1 AND a.retired_at IS NULL AND a.reports_until IS NULL"
            " ORDER BY t.ordinal, COALESCE(i.ordinal, 0), a.ordinal";
        std::vector<core::LedgerRow> rows;
        std::map<Id, std::size_t> row_of;
        {
            Cursor c = ReaderStatements::cursor(s, tasks_sql);
            c.bind(plan.id);
            while (c.step()) {
                core::LedgerRow row;
                row.section_number = c.text(1);
                row.section_title = c.text(2);
                row.number = c.text(3);
                row.title = c.text(4);
                row.label = c.text(5);
                row.group_number = c.text(6);
                row.group_title = c.text(7);
                row.has_deadline = c.integer(8) != 0;
                row.deadline_text = c.text(9);
                row.deadline_due = c.text(10);
                row.progress = c.text(11);
                row.where = c.text(12);
                row.stage = c.text(13);
                row.deadline_set = c.text(14);
                row.escalated_at = c.text(15);
                row_of[c.integer(0)] = rows.size();
                rows.push_back(std::move(row));
            }
        }
        {
            Cursor c = ReaderStatements::cursor(s, reported_sql);
            c.bind(plan.id);
            while (c.step()) {
                const auto row = row_of.find(c.integer(0));
                if (row != row_of.end()) {
                    rows[row->second].reported = true;
                }
            }
        }

        std::map<Id, std::pair<std::size_t, std::size_t>> item_of;
        {
            Cursor c = ReaderStatements::cursor(s, items_sql);
            c.bind(plan.id);
            while (c.step()) {
                const auto row = row_of.find(c.integer(1));
                if (row == row_of.end()) {
                    continue;
                }
                rows[row->second].items.push_back({c.text(2), c.text(3), {}, {}});
                item_of[c.integer(0)] = {row->second, rows[row->second].items.size() - 1};
            }
        }

        std::vector<Id> a_tasks, a_items;
        std::vector<std::string> a_departments, a_roles;
        {
            Cursor c = ReaderStatements::cursor(s, assignments_sql);
            c.bind(plan.id);
            while (c.step()) {
                a_tasks.push_back(c.integer(0));
                a_items.push_back(c.integer(1));
                a_departments.push_back(c.text(2));
                a_roles.push_back(c.text(3));
            }
        }
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
