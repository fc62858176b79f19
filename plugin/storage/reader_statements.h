// Statements of the read paths (ledger.tasks and the reads beside it),
// prepared once per SQLite reader connection and reused by every read
// transaction on it, as storage/statement_cache.h does for the writer: Poco
// Data prepares a statement anew on every use, and in ledger.tasks' profile
// preparing cost more than running the statements.
//
// SqliteDatabase keeps one StatementCache beside each reader connection and,
// while a read runs on that reader, names the pair to this thread (a Scope).
// ReaderStatements::cursor() uses the reader's cache when the session it is
// given is that reader, else prepares for this use only (the writer session,
// PostgreSQL, ":memory:", a read outside any reader) — the same Cursor either
// way. A reader is leased to one thread at a time, so its cache is too; the
// cache is finalized before its connection closes. A statement is not used
// twice at once: read one cursor to its end before the next of the same SQL.
#pragma once

#include <Poco/Data/Session.h>

#include <string>

#include "storage/cursor.h"
#include "storage/statement_cache.h"

namespace rl::storage {

class ReaderStatements {
    struct Current {
        Poco::Data::Session* session = nullptr;
        StatementCache* cache = nullptr;
    };
    static Current& current() {
        thread_local Current c;
        return c;
    }

public:
    // While it lives, cursor() on session uses cache (on this thread).
    class Scope {
    public:
        Scope(Poco::Data::Session& session, StatementCache& cache) : previous_(current()) {
            current() = Current{&session, &cache};
        }
        ~Scope() { current() = previous_; }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        Current previous_;
    };

    // A cursor for sql on session: its reader's prepared statement when a
    // Scope names session on this thread, else a statement for this use.
    static Cursor cursor(Poco::Data::Session& session, const std::string& sql) {
        const Current& c = current();
        if (c.session == &session && c.cache != nullptr) {
            return c.cache->use(session, sql);
        }
        return Cursor(session, sql);
    }
};

}  // namespace rl::storage
