// The SQLite backend of Database (database.h): one writer session behind a
// mutex and a pool of query_only reader connections, WAL.
#pragma once

#include <Poco/Data/Session.h>
#include <sqlite3.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "storage/database.h"
#include "storage/statement_cache.h"
#include "storage/transaction_pins.h"

namespace rl::storage {

class SqliteDatabase final : public DatabaseBackend {
public:
    SqliteDatabase(const DatabaseSettings& settings, const std::vector<Migration>& migrations,
                   std::int64_t quick_check_bytes);
    ~SqliteDatabase() override;

    Dialect dialect() const override { return Dialect::sqlite; }
    const std::string& path() const override { return path_; }
    int schema_version() const override { return schema_version_; }
    IntegrityCheck check(bool full) override;
    std::optional<std::string> damage() const override;
    void run(bool writes, const std::function<void(Poco::Data::Session&)>& fn) override;
    void transaction(bool writes, const std::function<void()>& fn, Counted counted) override;
    std::optional<std::int64_t> integer_now(const char* select) override;
    bool writing() const override {
        const auto pin = pins_.pinned();
        return pin && pin->writes;
    }

private:
    using Pin = TransactionPins::Pin;
    class ReaderLease;
    // A reader connection and the read paths' statements prepared on it
    // (storage/reader_statements.h), finalized before it closes.
    struct Reader {
        explicit Reader(Poco::Data::Session s)
            : session(std::move(s)), statements(std::make_unique<StatementCache>()) {}
        Poco::Data::Session session;
        std::unique_ptr<StatementCache> statements;
    };

    // An idle reader, opening one while fewer than settings.readers are
    // open; waits while all are busy. nullptr when there are no readers
    // (":memory:" has one connection, or database.readers is 0).
    Reader* lease_reader();
    void return_reader(Reader* reader) noexcept;
    Poco::Data::Session open_reader();
    // Runs fn in its own transaction on session, begun with statement.
    void run_on(Poco::Data::Session& session, const char* statement,
                const std::function<void()>& fn);

    // Runs fn in its own transaction on the writer session, behind its
    // mutex; a write that changed a row counts the change (count_change),
    // unless it is the outbox's own (Counted::outbox_only).
    void run_on_writer(bool writes, const std::function<void()>& fn,
                       Counted counted = Counted::yes);
    void begin(Poco::Data::Session& session, const char* statement);
    // Rows the writer session has changed since it opened (inserted, updated
    // or deleted).
    std::int64_t changes();
    // At the end of a write transaction on the writer session that changed
    // a row since changes() was changes_before: adds one to
    // ledger_changes.version (migration 0011) in it. Nothing on a schema
    // without that table.
    void count_change(std::int64_t changes_before);
    void prepare_change_counter();
    void commit(Poco::Data::Session& session);
    void rollback(Poco::Data::Session& session) noexcept;
    // SQLITE_BUSY (or SQLITE_LOCKED) on session, as the failed call left it.
    static bool busy(Poco::Data::Session& session, const std::exception& cause);
    StorageError busy_error(const char* statement) const;
    void migrate(const std::vector<Migration>& migrations);
    IntegrityCheck run_check(Poco::Data::Session& session, bool full);
    void mark_damaged(const std::string& message);
    // Throws the StorageError of damage(), if any: called before any write.
    void refuse_if_damaged() const;
    // A damaged file (which marks it so), a full disk or an I/O error, from
    // the exception Poco made of SQLite's result and the connection's codes;
    // nothing for other failures.
    std::optional<StorageError> sqlite_failure(Poco::Data::Session& session,
                                               const std::exception& cause);
    // The StorageError for cause: sqlite_failure()'s, or "what: cause".
    StorageError storage_error(Poco::Data::Session& session, const std::string& what,
                               const std::exception& cause);
    [[noreturn]] void fail(Poco::Data::Session& session, const std::string& what,
                           const std::exception& cause);
    std::string damaged_message(const std::string& sqlite_says, std::size_t more = 0) const;
    // Closes the session after a failed open; removes the file if this
    // instance created it and it is still empty, so the next attempt does not
    // meet an empty file.
    void close_after_failure() noexcept;
    // Inside a catch block: rolls back and rethrows the current exception, as
    // a StorageError when SQLite found the file damaged, the disk full or an
    // I/O error.
    [[noreturn]] void abandon_transaction(Poco::Data::Session& session);

    std::string path_;
    DatabaseSettings settings_;
    std::mutex mutex_;      // the writer session
    bool created_ = false;  // this instance created the file
    Poco::Data::Session session_;
    sqlite3_stmt* count_change_ = nullptr;  // on session_, finalized before it closes
    int schema_version_ = 0;
    mutable std::mutex damage_mutex_;
    std::optional<std::string> damage_;

    std::mutex readers_mutex_;
    std::condition_variable reader_returned_;
    std::vector<std::unique_ptr<Reader>> readers_;  // every reader opened
    std::vector<Reader*> idle_readers_;

    TransactionPins pins_;
};

}  // namespace rl::storage
