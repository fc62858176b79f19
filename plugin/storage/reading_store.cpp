#include "storage/reading_store.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include "storage/cursor.h"
#include "storage/record_set.h"
#include "storage/statement_cache.h"

using Poco::Data::RecordSet;
using Poco::Data::Session;
using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace rl::storage {

namespace {

using Id = Poco::Int64;

constexpr const char* kColumns =
    "SELECT id, plan_id, reader, kind, subject, task_number, item_number, department, period,"
    " title, sent_by, sent_at, COALESCE(read_at, '') FROM reading_items";

std::vector<ReadingItem> read_items(Statement& st) {
    st.execute();
    RecordSet rs(st);
    std::vector<ReadingItem> out;
    for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
        out.push_back({integer(rs, 0), integer(rs, 1), text(rs, 2), text(rs, 3), text(rs, 4),
                       text(rs, 5), text(rs, 6), text(rs, 7), text(rs, 8), text(rs, 9),
                       text(rs, 10), text(rs, 11), text(rs, 12)});
    }
    return out;
}

}  // namespace

ReadingStore::ReadingStore(Database& database)
    : database_(database), hot_(std::make_unique<StatementCache>()) {}

ReadingStore::~ReadingStore() = default;

// Sent in the write of the action that sends it (every filed report): the
// statement is kept prepared (hot_).
int ReadingStore::send(const ReadingItem& item, const std::vector<std::string>& readers) {
    if (readers.empty()) {
        return 0;
    }
    return database_.write([&](Session& s) {
        int sent = 0;
        for (const auto& reader : readers) {
            Cursor insert =
                hot_->use(s,
                          "INSERT INTO reading_items (plan_id, reader, kind, subject, task_number,"
                          " item_number, department, period, title, sent_by, sent_at)"
                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                          " ON CONFLICT (reader, kind, subject) DO NOTHING RETURNING id");
            insert.bind(item.plan_id).bind(reader).bind(item.kind).bind(item.subject);
            insert.bind(item.task_number).bind(item.item_number).bind(item.department);
            insert.bind(item.period).bind(item.title).bind(item.sent_by).bind(item.sent_at);
            while (insert.step()) {
                ++sent;
            }
        }
        return sent;
    });
}

std::vector<ReadingItem> ReadingStore::list(const std::string& reader, bool unread_only,
                                            std::int64_t plan_id) {
    return database_.read([&](Session& s) {
        Statement st(s);
        std::string who = reader;
        Id plan = plan_id;
        int unread = unread_only ? 1 : 0;
        st << kColumns
           << " WHERE reader = $1 AND ($2 = 0 OR read_at IS NULL) AND ($3 = 0 OR plan_id = $4)"
              " ORDER BY id DESC",
            use(who), use(unread), use(plan), use(plan);
        return read_items(st);
    });
}

ReadingCounts ReadingStore::counts(const std::string& reader, std::int64_t plan_id) {
    return database_.read([&](Session& s) {
        std::string who = reader;
        Id plan = plan_id;
        int total = 0, unread = 0;
        s << "SELECT COUNT(*), COUNT(*) - COUNT(read_at) FROM reading_items"
             " WHERE reader = $1 AND ($2 = 0 OR plan_id = $3)",
            use(who), use(plan), use(plan), into(total), into(unread), now;
        return ReadingCounts{unread, total};
    });
}

std::optional<ReadingItem> ReadingStore::item(std::int64_t id) {
    return database_.read([&](Session& s) -> std::optional<ReadingItem> {
        Statement st(s);
        Id key = id;
        st << kColumns << " WHERE id = $1", use(key);
        auto items = read_items(st);
        if (items.empty()) {
            return std::nullopt;
        }
        return items.front();
    });
}

void ReadingStore::mark_read(std::int64_t id, const std::string& at) {
    database_.write([&](Session& s) {
        Id key = id;
        std::string when = at;
        s << "UPDATE reading_items SET read_at = $1 WHERE id = $2 AND read_at IS NULL", use(when),
            use(key), now;
    });
}

}  // namespace rl::storage
