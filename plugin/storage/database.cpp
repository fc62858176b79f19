#include "storage/database.h"

#include <Poco/Data/SQLite/SessionImpl.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <Poco/Timestamp.h>
#include <sqlite3.h>

#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "resources/embedded.h"

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace rl::storage {

namespace {

constexpr int kBusyTimeoutMs = 5000;

std::string sha256_hex(const std::string& text) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(text);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string parent_directory(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? "/" : path.substr(0, slash);
}

// Fails early, with the reason, where SQLite would say only "unable to open".
void check_location(const std::string& path) {
    if (path.empty()) {
        throw StorageError("the database path is empty; set database.path in the configuration");
    }
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) {
        if (S_ISDIR(info.st_mode)) {
            throw StorageError("cannot open database '" + path + "': it is a directory");
        }
        if (::access(path.c_str(), R_OK | W_OK) != 0) {
            throw StorageError("cannot open database '" + path +
                               "' for writing: " + std::strerror(errno));
        }
        return;
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
}

Poco::Data::Session open_session(const std::string& path) {
    check_location(path);
    try {
        return Poco::Data::Session(new Poco::Data::SQLite::SessionImpl(path));
    } catch (const std::exception& e) {
        throw StorageError("cannot open database '" + path + "': " + e.what());
    }
}

}  // namespace

std::vector<Migration> sqlite_migrations() {
    std::vector<Migration> migrations;
    for (const auto& file : resources::sqlite_migrations()) {
        Migration m;
        m.name = file.path;
        m.version = std::stoi(m.name);
        m.sql = file.text();
        m.checksum = sha256_hex(m.sql);
        migrations.push_back(std::move(m));
    }
    return migrations;
}

std::string iso_utc(std::int64_t epoch_ms) {
    const Poco::Timestamp ts(static_cast<Poco::Timestamp::TimeVal>(epoch_ms) * 1000);
    return Poco::DateTimeFormatter::format(ts, "%Y-%m-%dT%H:%M:%S.%iZ");
}

Database::Database(std::string path, const std::vector<Migration>& migrations)
    : path_(std::move(path)), session_(open_session(path_)) {
    try {
        sqlite3* handle = Poco::Data::SQLite::Utility::dbHandle(session_);
        sqlite3_busy_timeout(handle, kBusyTimeoutMs);
        std::string mode;
        session_ << "PRAGMA journal_mode=WAL", into(mode), now;
        if (mode != "wal") {
            throw StorageError("cannot switch database '" + path_ + "' to WAL mode (it reports '" +
                               mode + "')");
        }
        session_ << "PRAGMA synchronous=NORMAL", now;
        session_ << "PRAGMA foreign_keys=ON", now;
    } catch (const StorageError&) {
        throw;
    } catch (const std::exception& e) {
        fail("cannot open database '" + path_ + "'", e);
    }
    migrate(migrations);
}

Database::~Database() {
    try {
        session_.close();
    } catch (...) {
        // Closing cannot usefully fail here; the process goes on.
    }
}

void Database::fail(const std::string& what, const std::exception& cause) const {
    const auto* poco = dynamic_cast<const Poco::Exception*>(&cause);
    throw StorageError(what + ": " + (poco != nullptr ? poco->displayText() : cause.what()));
}

void Database::begin(const char* statement) {
    try {
        session_ << statement, now;
    } catch (const std::exception& e) {
        fail(std::string("database '") + path_ + "': " + statement + " failed", e);
    }
}

void Database::commit() {
    try {
        session_ << "COMMIT", now;
    } catch (const std::exception& e) {
        rollback();
        fail("database '" + path_ + "': COMMIT failed", e);
    }
}

void Database::rollback() noexcept {
    try {
        session_ << "ROLLBACK", now;
    } catch (...) {
        // No transaction left to roll back (SQLite may have rolled back itself).
    }
}

void Database::migrate(const std::vector<Migration>& migrations) {
    const int known = migrations.empty() ? 0 : migrations.back().version;
    try {
        session_ << "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                    " checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
            now;
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
        sqlite3* handle = Poco::Data::SQLite::Utility::dbHandle(session_);
        for (const auto& m : migrations) {
            if (m.version <= schema_version_) {
                continue;
            }
            session_ << "BEGIN IMMEDIATE", now;
            char* error = nullptr;
            if (sqlite3_exec(handle, m.sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
                const std::string message = error != nullptr ? error : "unknown error";
                sqlite3_free(error);
                rollback();
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
            commit();
            schema_version_ = m.version;
        }
    } catch (const StorageError&) {
        throw;
    } catch (const std::exception& e) {
        rollback();
        fail("cannot migrate database '" + path_ + "'", e);
    }
}

}  // namespace rl::storage
