#include "storage/sqlite_database.h"

#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/SessionImpl.h>
#include <Poco/Data/SQLite/Utility.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <sstream>

#include "storage/reader_statements.h"
#include "text/file_reader.h"

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace rl::storage {

namespace {

std::string parent_directory(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? "/" : path.substr(0, slash);
}

// Fails early, with the reason, where SQLite would say only "unable to open"
// or would wait forever (a named pipe). Creates a missing file, readable and
// writable by its owner only, and returns true; SQLite would create it 0644
// less the umask, and it gives the -wal and -shm files the database file's
// mode.
bool prepare_file(const std::string& path) {
    if (path.empty()) {
        throw StorageError("the database path is empty; set database.path in the configuration");
    }
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) {
        if (S_ISDIR(info.st_mode)) {
            throw StorageError("cannot open database '" + path + "': it is a directory");
        }
        if (!S_ISREG(info.st_mode)) {
            throw StorageError("cannot open database '" + path + "': it is " +
                               text::file_kind(info.st_mode) +
                               ", not a database file; set database.path to a file");
        }
        if (info.st_size == 0) {
            throw StorageError(
                "database '" + path +
                "' is an empty file (0 bytes), not a ledger: it may be a ledger cut short by "
                "a crash or a full disk. Restore the ledger from its latest backup; or, to "
                "start a new, empty ledger, remove the file");
        }
        if (::access(path.c_str(), R_OK | W_OK) != 0) {
            throw StorageError("cannot open database '" + path +
                               "' for writing: " + std::strerror(errno));
        }
        return false;
    }
    const std::string dir = parent_directory(path);
    if (::stat(dir.c_str(), &info) != 0) {
        throw StorageError("cannot create database '" + path + "': directory '" + dir +
                           "': " + std::strerror(errno));
    }
    if (!S_ISDIR(info.st_mode)) {
        throw StorageError("cannot create database '" + path + "': '" + dir +
                           "' is not a directory");
    }
    if (::access(dir.c_str(), W_OK) != 0) {
        throw StorageError("cannot create database '" + path + "': directory '" + dir +
                           "' is not writable: " + std::strerror(errno));
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw StorageError("cannot create database '" + path + "': " + std::strerror(errno));
    }
    ::close(fd);
    return true;
}

// A file this instance created and could not make a ledger of goes again, so
// that the next attempt does not meet an empty file.
void remove_if_empty(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && info.st_size == 0) {
        ::unlink(path.c_str());
    }
}

// A statement without parameters or rows (BEGIN, COMMIT, ROLLBACK) straight
// through SQLite: a Poco statement costs several times what SQLite does with
// it, twice in every transaction. It fails as a Poco statement does (a
// SQLiteException, the connection's codes set), so busy() and
// sqlite_failure() read either alike.
void exec_plain(Poco::Data::Session& session, const char* sql) {
    sqlite3* handle = Poco::Data::SQLite::Utility::dbHandle(session);
    const int rc = sqlite3_exec(handle, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        Poco::Data::SQLite::Utility::throwException(handle, rc);
    }
}

Poco::Data::Session open_session(const std::string& path, bool& created) {
    created = path == kInMemory || prepare_file(path);
    try {
        return Poco::Data::Session(new Poco::Data::SQLite::SessionImpl(path));
    } catch (const std::exception& e) {
        if (created && path != kInMemory) {
            remove_if_empty(path);
        }
        throw StorageError("cannot open database '" + path + "': " + e.what());
    }
}

}  // namespace

SqliteDatabase::SqliteDatabase(const DatabaseSettings& settings,
                               const std::vector<Migration>& migrations,
                               std::int64_t quick_check_bytes)
    : path_(settings.path), settings_(settings), session_(open_session(path_, created_)) {
    try {
        sqlite3* handle = Poco::Data::SQLite::Utility::dbHandle(session_);
        sqlite3_busy_timeout(handle, settings_.busy_timeout_ms);
        std::string mode;
        session_ << "PRAGMA journal_mode=WAL", into(mode), now;
        if (mode != "wal" && !(path_ == kInMemory && mode == "memory")) {
            throw StorageError("cannot switch database '" + path_ + "' to WAL mode (it reports '" +
                               mode + "')");
        }
        session_ << "PRAGMA synchronous=NORMAL", now;
        session_ << "PRAGMA foreign_keys=ON", now;
        Poco::Int64 pages = 0;
        Poco::Int64 page_size = 0;
        session_ << "PRAGMA page_count", into(pages), now;
        session_ << "PRAGMA page_size", into(page_size), now;
        if (pages * page_size <= quick_check_bytes) {
            run_check(session_, false);  // a damaged file is still opened, for check() and reads
        }
    } catch (const StorageError&) {
        close_after_failure();
        throw;
    } catch (const std::exception& e) {
        const StorageError error =
            storage_error(session_, "cannot open database '" + path_ + "'", e);
        close_after_failure();
        throw error;
    }
    try {
        migrate(migrations);
        prepare_change_counter();
    } catch (...) {
        close_after_failure();
        throw;
    }
}

void SqliteDatabase::prepare_change_counter() {
    int tables = 0;
    session_ << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                "'ledger_changes'",
        into(tables), now;
    if (tables == 0) {
        return;  // a schema from other migrations (the storage tests')
    }
    sqlite3* handle = Poco::Data::SQLite::Utility::dbHandle(session_);
    const char* const sql = "UPDATE ledger_changes SET version = version + 1 WHERE id = 1";
    if (sqlite3_prepare_v3(handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &count_change_, nullptr) !=
        SQLITE_OK) {
        const std::string what = sqlite3_errmsg(handle);
        count_change_ = nullptr;
        if (!damage()) {
            throw StorageError("cannot open database '" + path_ + "': " + what + " (in " + sql +
                               ")");
        }
    }
}

std::int64_t SqliteDatabase::changes() {
    return sqlite3_total_changes64(Poco::Data::SQLite::Utility::dbHandle(session_));
}

void SqliteDatabase::count_change(std::int64_t changes_before) {
    if (count_change_ == nullptr || changes() == changes_before) {
        return;  // no ledger_changes, or a write transaction that changed no row
    }
    const int rc = sqlite3_step(count_change_);
    sqlite3_reset(count_change_);
    if (rc != SQLITE_DONE) {
        // As Poco reports a failed statement, so that the transaction's end
        // tells a damaged file, a full disk or an I/O error as it does for
        // the stores' statements.
        Poco::Data::SQLite::Utility::throwException(Poco::Data::SQLite::Utility::dbHandle(session_),
                                                    rc, "counting the change in ledger_changes");
    }
}

SqliteDatabase::~SqliteDatabase() {
    try {
        for (auto& reader : readers_) {
            reader->statements.reset();
            reader->session.close();
        }
        sqlite3_finalize(count_change_);
        session_.close();
    } catch (...) {
        // Closing cannot usefully fail here; the process goes on.
    }
}

void SqliteDatabase::close_after_failure() noexcept {
    try {
        session_.close();
    } catch (...) {
        // Nothing more can be done with this session.
    }
    if (created_ && path_ != kInMemory) {
        remove_if_empty(path_);
    }
}

std::optional<std::string> SqliteDatabase::damage() const {
    std::lock_guard<std::mutex> lock(damage_mutex_);
    return damage_;
}

void SqliteDatabase::mark_damaged(const std::string& message) {
    std::lock_guard<std::mutex> lock(damage_mutex_);
    if (!damage_) {
        damage_ = message;
    }
}

void SqliteDatabase::refuse_if_damaged() const {
    if (auto message = damage()) {
        throw StorageError(*message);
    }
}

std::string SqliteDatabase::damaged_message(const std::string& sqlite_says,
                                            std::size_t more) const {
    return "database '" + path_ + "' is damaged: SQLite reports \"" + sqlite_says + "\"" +
           (more > 0 ? " and " + std::to_string(more) + " more problem(s)" : "") +
           ". Nothing more is written to it. Keep a copy of the file as it is, run an "
           "integrity check (oa-stub db check --full, or the db.check method) and restore the "
           "ledger from its latest backup";
}

std::optional<StorageError> SqliteDatabase::sqlite_failure(Poco::Data::Session& session,
                                                           const std::exception& cause) {
    namespace sql = Poco::Data::SQLite;
    if (dynamic_cast<const sql::SQLiteException*>(&cause) == nullptr) {
        return std::nullopt;
    }
    sqlite3* handle = Poco::Data::SQLite::Utility::dbHandle(session);
    // SQLite's own words (Poco's message repeats them).
    const std::string detail = sqlite3_errmsg(handle);
    // Poco's exception class is SQLite's primary result code; the connection
    // still holds the failed call's extended code and errno.
    const int code = sqlite3_extended_errcode(handle);
    if (dynamic_cast<const sql::CorruptImageException*>(&cause) != nullptr) {
        std::string message;
        if ((code & 0xFF) == SQLITE_NOTADB) {
            message =
                "database '" + path_ +
                "' is not a SQLite database, or its first page is damaged (SQLite: " + detail +
                "); nothing is written to it. If it should be the ledger, restore it "
                "from its latest backup; otherwise set database.path to the ledger's file";
        } else {
            message = damaged_message(detail);
        }
        mark_damaged(message);
        return StorageError(message);
    }
    const bool io = dynamic_cast<const sql::IOErrorException*>(&cause) != nullptr ||
                    dynamic_cast<const sql::CantOpenDBFileException*>(&cause) != nullptr;
    const int system_errno = io ? sqlite3_system_errno(handle) : 0;
    const std::string os = system_errno != 0 ? std::string(", ") + std::strerror(system_errno) : "";
    if (dynamic_cast<const sql::DatabaseFullException*>(&cause) != nullptr ||
        system_errno == ENOSPC || system_errno == EDQUOT) {
        return StorageError("the disk holding database '" + path_ + "' is full (SQLite: " + detail +
                            os + "); nothing was written. Free space on that disk, then try again");
    }
    if (io) {
        return StorageError("I/O error on database '" + path_ + "' (SQLite: " + detail +
                            ", extended code " + std::to_string(code) + os +
                            "); nothing was written. Check the disk and file system holding "
                            "it (the system log says more), then try again");
    }
    return std::nullopt;
}

StorageError SqliteDatabase::storage_error(Poco::Data::Session& session, const std::string& what,
                                           const std::exception& cause) {
    if (auto specific = sqlite_failure(session, cause)) {
        return *specific;
    }
    const auto* poco = dynamic_cast<const Poco::Exception*>(&cause);
    return StorageError(what + ": " + (poco != nullptr ? poco->displayText() : cause.what()));
}

void SqliteDatabase::fail(Poco::Data::Session& session, const std::string& what,
                          const std::exception& cause) {
    throw storage_error(session, what, cause);
}

void SqliteDatabase::abandon_transaction(Poco::Data::Session& session) {
    std::optional<StorageError> error;
    try {
        throw;
    } catch (const Poco::Data::SQLite::SQLiteException& e) {
        error = sqlite_failure(session, e);  // before ROLLBACK replaces the connection's codes
    } catch (...) {
        // Not SQLite's: rethrown as it is.
    }
    rollback(session);
    if (error) {
        throw *error;
    }
    throw;
}

IntegrityCheck SqliteDatabase::check(bool full) {
    if (const auto pin = pins_.pinned()) {
        return run_check(*pin->session, full);
    }
    // One statement in autocommit mode: a consistent snapshot, and no COMMIT
    // to fail after the check has met a damaged page.
    std::lock_guard<std::mutex> lock(mutex_);
    return run_check(session_, full);
}

IntegrityCheck SqliteDatabase::run_check(Poco::Data::Session& session, bool full) {
    IntegrityCheck result;
    result.full = full;
    // Straight through SQLite, row by row: on a damaged file the check may
    // report problems and then stop with an error of its own, and both are
    // what the caller needs to see. At most 100 problems (SQLite's default):
    // the first few tell what happened.
    sqlite3* handle = Poco::Data::SQLite::Utility::dbHandle(session);
    const char* sql = full ? "PRAGMA integrity_check(100)" : "PRAGMA quick_check(100)";
    sqlite3_stmt* statement = nullptr;
    int rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nullptr);
    std::vector<std::string> rows;
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        rc = sqlite3_step(statement);
        if (rc == SQLITE_ROW) {
            // A row may hold several lines under a "*** in database main ***"
            // heading; one problem per line.
            const auto* text = sqlite3_column_text(statement, 0);
            std::istringstream lines(text != nullptr ? reinterpret_cast<const char*>(text) : "");
            for (std::string line; std::getline(lines, line);) {
                if (!line.empty() && line != "*** in database main ***") {
                    rows.push_back(line);
                }
            }
        }
    }
    const int code = rc;
    const std::string stopped = sqlite3_errmsg(handle);
    sqlite3_finalize(statement);
    if (code != SQLITE_DONE) {
        if ((code & 0xFF) != SQLITE_CORRUPT && (code & 0xFF) != SQLITE_NOTADB) {
            // Not a verdict on the file (busy, out of memory, I/O): fail as
            // any statement would.
            try {
                Poco::Data::SQLite::Utility::throwException(handle, code);
            } catch (const std::exception& e) {
                fail(session, "database '" + path_ + "': " + sql, e);
            }
        }
        rows.push_back("the check stopped: " + stopped);
    }
    if (rows.size() != 1 || rows[0] != "ok") {
        result.problems = rows;
    }
    if (!result.problems.empty()) {
        mark_damaged(damaged_message(result.problems.front(), result.problems.size() - 1));
    }
    return result;
}

bool SqliteDatabase::busy(Poco::Data::Session& session, const std::exception& cause) {
    if (dynamic_cast<const Poco::Data::SQLite::SQLiteException*>(&cause) == nullptr) {
        return false;
    }
    const int code = sqlite3_errcode(Poco::Data::SQLite::Utility::dbHandle(session)) & 0xFF;
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
}

StorageError SqliteDatabase::busy_error(const char* statement) const {
    return StorageError(
        "database '" + path_ + "' was busy: another connection held its write lock through " +
        std::to_string(settings_.busy_retries + 1) + " attempt(s) of " + statement +
        ", each waiting " + std::to_string(settings_.busy_timeout_ms) +
        " ms (database.busy_timeout_ms, database.busy_retries); nothing was written. Try "
        "again; if it stays busy, look for another process holding the ledger's file");
}

void SqliteDatabase::begin(Poco::Data::Session& session, const char* statement) {
    // SQLite waits busy_timeout_ms for the write lock; a writer that holds
    // it longer (a big import) gets that long again, a bounded number of
    // times.
    for (int attempt = 0;; ++attempt) {
        try {
            exec_plain(session, statement);
            return;
        } catch (const std::exception& e) {
            if (!busy(session, e)) {
                fail(session, std::string("database '") + path_ + "': " + statement + " failed", e);
            }
            if (attempt >= settings_.busy_retries) {
                throw busy_error(statement);
            }
        }
    }
}

void SqliteDatabase::commit(Poco::Data::Session& session) {
    for (int attempt = 0;; ++attempt) {
        try {
            exec_plain(session, "COMMIT");
            return;
        } catch (const std::exception& e) {
            // SQLITE_BUSY leaves the transaction open: COMMIT may be tried
            // again.
            if (busy(session, e) && attempt < settings_.busy_retries) {
                continue;
            }
            // In WAL mode most writes reach the disk here: read SQLite's
            // codes before ROLLBACK replaces them.
            const StorageError error =
                busy(session, e)
                    ? busy_error("COMMIT")
                    : storage_error(session, "database '" + path_ + "': COMMIT failed", e);
            rollback(session);
            throw error;
        }
    }
}

void SqliteDatabase::rollback(Poco::Data::Session& session) noexcept {
    try {
        exec_plain(session, "ROLLBACK");
    } catch (...) {
        // No transaction left to roll back (SQLite may have rolled back itself).
    }
}

Poco::Data::Session SqliteDatabase::open_reader() {
    Poco::Data::Session reader(new Poco::Data::SQLite::SessionImpl(path_));
    try {
        sqlite3_busy_timeout(Poco::Data::SQLite::Utility::dbHandle(reader),
                             settings_.busy_timeout_ms);
        reader << "PRAGMA query_only=ON", now;
    } catch (const std::exception& e) {
        fail(reader, "cannot open a reader on database '" + path_ + "'", e);
    }
    return reader;
}

SqliteDatabase::Reader* SqliteDatabase::lease_reader() {
    if (path_ == kInMemory || settings_.readers <= 0) {
        return nullptr;
    }
    std::unique_lock<std::mutex> lock(readers_mutex_);
    if (idle_readers_.empty() && readers_.size() < static_cast<std::size_t>(settings_.readers)) {
        readers_.push_back(std::make_unique<Reader>(open_reader()));
        return readers_.back().get();
    }
    reader_returned_.wait(lock, [this] { return !idle_readers_.empty(); });
    Reader* reader = idle_readers_.back();
    idle_readers_.pop_back();
    return reader;
}

void SqliteDatabase::return_reader(Reader* reader) noexcept {
    {
        std::lock_guard<std::mutex> lock(readers_mutex_);
        idle_readers_.push_back(reader);
    }
    reader_returned_.notify_one();
}

class SqliteDatabase::ReaderLease {
public:
    explicit ReaderLease(SqliteDatabase& database)
        : database_(database), reader_(database.lease_reader()) {}
    ~ReaderLease() {
        if (reader_ != nullptr) {
            database_.return_reader(reader_);
        }
    }
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    Reader* reader() const { return reader_; }

private:
    SqliteDatabase& database_;
    Reader* reader_;
};

void SqliteDatabase::run_on(Poco::Data::Session& session, const char* statement,
                            const std::function<void()>& fn) {
    begin(session, statement);
    try {
        fn();
        commit(session);
    } catch (...) {
        abandon_transaction(session);
    }
}

void SqliteDatabase::run(bool writes, const std::function<void(Poco::Data::Session&)>& fn) {
    if (writes) {
        refuse_if_damaged();
    }
    if (const auto pin = pins_.join(writes, [this] { return "database '" + path_ + "'"; })) {
        fn(*pin->session);
        return;
    }
    if (!writes) {
        const ReaderLease lease(*this);
        if (Reader* const reader = lease.reader()) {
            const ReaderStatements::Scope prepared(reader->session, *reader->statements);
            run_on(reader->session, "BEGIN DEFERRED", [&] { fn(reader->session); });
            return;
        }
    }
    run_on_writer(writes, [&] { fn(session_); });
}

void SqliteDatabase::transaction(bool writes, const std::function<void()>& fn, Counted counted) {
    if (writes) {
        refuse_if_damaged();
    }
    if (const auto pin = pins_.join(writes, [this] { return "database '" + path_ + "'"; })) {
        fn();
        return;
    }
    const auto pinned_run = [&](Poco::Data::Session& session) {
        pins_.run_pinned(Pin{&session, writes}, fn);
    };
    if (!writes) {
        const ReaderLease lease(*this);
        if (Reader* const reader = lease.reader()) {
            const ReaderStatements::Scope prepared(reader->session, *reader->statements);
            run_on(reader->session, "BEGIN DEFERRED", [&] { pinned_run(reader->session); });
            return;
        }
    }
    run_on_writer(
        writes, [&] { pinned_run(session_); }, counted);
}

std::optional<std::int64_t> SqliteDatabase::integer_now(const char* select) {
    const auto first_integer = [select](Poco::Data::Session& session) {
        std::optional<std::int64_t> value;
        Cursor row = ReaderStatements::cursor(session, select);
        if (row.step()) {
            value = row.integer(0);
        }
        return value;
    };
    if (!pins_.pinned()) {
        const ReaderLease lease(*this);
        if (Reader* const reader = lease.reader()) {
            // Without BEGIN and COMMIT around it: the statement is SQLite's
            // own read transaction, ended when the cursor is reset.
            const ReaderStatements::Scope prepared(reader->session, *reader->statements);
            return first_integer(reader->session);
        }
    }
    std::optional<std::int64_t> value;
    run(false, [&](Poco::Data::Session& session) { value = first_integer(session); });
    return value;
}

void SqliteDatabase::run_on_writer(bool writes, const std::function<void()>& fn, Counted counted) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!writes) {
        run_on(session_, "BEGIN DEFERRED", fn);
        return;
    }
    run_on(session_, "BEGIN IMMEDIATE", [&] {
        const std::int64_t before = changes();
        fn();
        if (counted == Counted::yes) {
            count_change(before);
        }
    });
}

void SqliteDatabase::migrate(const std::vector<Migration>& migrations) {
    const int known = migrations.empty() ? 0 : migrations.back().version;
    const std::optional<std::string> damage = this->damage();
    try {
        if (!damage) {
            session_ << "CREATE TABLE IF NOT EXISTS schema_migrations ("
                        " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                        " checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
                now;
        }
        std::vector<int> versions;
        std::vector<std::string> names;
        std::vector<std::string> checksums;
        session_ << "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
            into(versions), into(names), into(checksums), now;
        for (std::size_t i = 0; i < versions.size(); ++i) {
            if (versions[i] > known) {
                throw StorageError(
                    "database '" + path_ + "' has schema version " +
                    std::to_string(versions.back()) + ", newer than this plugin understands (" +
                    std::to_string(known) + "); use a newer plugin or another database");
            }
            for (const auto& m : migrations) {
                if (m.version == versions[i] && m.checksum != checksums[i]) {
                    throw StorageError("database '" + path_ + "': migration " + names[i] +
                                       " was changed after it was applied; restore it and add "
                                       "the change as a new migration");
                }
            }
        }
        schema_version_ = versions.empty() ? 0 : versions.back();
        if (damage && schema_version_ < known) {
            throw StorageError(*damage + ". Its schema (version " +
                               std::to_string(schema_version_) + ") cannot be upgraded to " +
                               std::to_string(known) + " either");
        }
        sqlite3* handle = Poco::Data::SQLite::Utility::dbHandle(session_);
        for (const auto& m : migrations) {
            if (m.version <= schema_version_) {
                continue;
            }
            begin(session_, "BEGIN IMMEDIATE");
            char* error = nullptr;
            const int rc = sqlite3_exec(handle, m.sql.c_str(), nullptr, nullptr, &error);
            if (rc != SQLITE_OK) {
                const std::string message = error != nullptr ? error : "unknown error";
                sqlite3_free(error);
                // The exception Poco makes of this result, to tell a damaged
                // file or a full disk from a bad migration.
                std::optional<StorageError> specific;
                try {
                    Poco::Data::SQLite::Utility::throwException(handle, rc);
                } catch (const std::exception& e) {
                    specific = sqlite_failure(session_, e);
                }
                rollback(session_);
                if (specific) {
                    throw *specific;
                }
                throw StorageError("database '" + path_ + "': migration " + m.name +
                                   " failed: " + message);
            }
            const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
            std::string applied_at = iso_utc(millis);
            int version = m.version;
            std::string name = m.name;
            std::string checksum = m.checksum;
            session_ << "INSERT INTO schema_migrations (version, name, checksum, applied_at)"
                        " VALUES (?, ?, ?, ?)",
                use(version), use(name), use(checksum), use(applied_at), now;
            commit(session_);
            schema_version_ = m.version;
        }
    } catch (const StorageError&) {
        throw;
    } catch (const std::exception& e) {
        const StorageError error =
            storage_error(session_, "cannot migrate database '" + path_ + "'", e);
        rollback(session_);
        throw error;
    }
}

}  // namespace rl::storage
