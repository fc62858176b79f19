// One SQL statement on a session's own connection (so inside its
// transaction), its parameters bound in order ($1, $2 …) and its rows read one
// at a time, on either engine.
//
// On SQLite straight through the SQLite API: a fraction of Poco Data's cost
// for the one-row statements of the hot paths (every audit append, every step
// of the delivery loop), and every value exactly as SQLite holds it. On
// PostgreSQL straight through libpq (storage/pg_query.h): one round trip per
// statement where Poco's connector takes four; the statement runs at the
// first step() or run(), and its rows are read from the result.
#pragma once

#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/pg_query.h"

namespace rl::storage {

// Whether the session speaks PostgreSQL (Poco's connector name), else SQLite.
// For the few statements that cannot be written once for both.
inline bool is_postgresql(const Poco::Data::Session& session) {
    return session.connector() == "postgresql";
}

// After a write that added or changed many rows at once (a plan's import, a
// month's obligations): PostgreSQL plans its queries from table statistics,
// which autovacuum gathers only a while later. Until then it takes the new
// rows' tables for nearly empty and may pick plans that scan one whole for
// each row of another (ledger.tasks on a 999-task plan: 91 ms, 27 ms with
// statistics). ANALYZE gathers them in the writing transaction. SQLite
// plans without statistics (none are gathered); nothing is done there.
inline constexpr int kBulkRows = 100;  // rows a write changed that call for it
inline void refresh_statistics(Poco::Data::Session& session, const std::string& tables) {
    if (is_postgresql(session)) {
        session << "ANALYZE " + tables, Poco::Data::Keywords::now;
    }
}

class Cursor {
public:
    // A statement prepared for this use only.
    Cursor(Poco::Data::Session& session, const std::string& sql) : Cursor(session, sql, nullptr) {}

    // On SQLite, a statement prepared once and kept by the caller (prepared
    // from sql); it is reset, not finalized, when this use ends. On
    // PostgreSQL kept is ignored.
    Cursor(Poco::Data::Session& session, const std::string& sql, sqlite3_stmt* kept)
        : sql_(sql), kept_(kept != nullptr) {
        if (is_postgresql(session)) {
            pg_ = std::make_unique<PgQuery>(session, sql_);
            return;
        }
        db_ = Poco::Data::SQLite::Utility::dbHandle(session);
        stmt_ = kept;
        if (stmt_ == nullptr && sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()),
                                                   &stmt_, nullptr) != SQLITE_OK) {
            fail(sqlite3_errmsg(db_));
        }
    }

    ~Cursor() {
        if (stmt_ != nullptr) {
            kept_ ? static_cast<void>(sqlite3_reset(stmt_))
                  : static_cast<void>(sqlite3_finalize(stmt_));
        }
    }
    Cursor(const Cursor&) = delete;
    Cursor& operator=(const Cursor&) = delete;
    Cursor(Cursor&& other) noexcept
        : sql_(std::move(other.sql_)),
          kept_(other.kept_),
          db_(other.db_),
          stmt_(other.stmt_),
          bound_(other.bound_),
          pg_(std::move(other.pg_)),
          changed_(other.changed_) {
        other.stmt_ = nullptr;
    }

    // Binds the next parameter.
    Cursor& bind(std::int64_t value) {
        if (pg_) {
            pg_->bind(value);
        } else {
            check(sqlite3_bind_int64(stmt_, ++bound_, value));
        }
        return *this;
    }
    Cursor& bind(const std::string& value) {
        if (pg_) {
            pg_->bind(value);
        } else {
            check(sqlite3_bind_text(stmt_, ++bound_, value.data(), static_cast<int>(value.size()),
                                    SQLITE_TRANSIENT));
        }
        return *this;
    }

    // Binds text, or NULL when there is none (typed as text on PostgreSQL,
    // whose server refuses a NULL bigint for a text column).
    Cursor& bind(const std::optional<std::string>& value) {
        if (value) {
            return bind(*value);
        }
        if (pg_) {
            pg_->bind_null_text();
        } else {
            check(sqlite3_bind_null(stmt_, ++bound_));
        }
        return *this;
    }

    // Binds NULL to the next parameter.
    Cursor& bind_null() {
        if (pg_) {
            pg_->bind_null_integer();
        } else {
            check(sqlite3_bind_null(stmt_, ++bound_));
        }
        return *this;
    }

    // Moves to the next row: true while there is one.
    bool step() {
        if (pg_) {
            if (!pg_->executed()) {
                changed_ = pg_->execute();
            }
            return pg_->next();
        }
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) {
            return true;
        }
        if (rc != SQLITE_DONE) {
            check(rc);
        }
        return false;
    }

    // Runs the statement to its end; returns the rows it changed.
    int run() {
        if (pg_) {
            if (!pg_->executed()) {
                changed_ = pg_->execute();
            }
            return changed_;
        }
        while (step()) {
        }
        return sqlite3_changes(db_);
    }

    bool null(int column) const {
        if (pg_) {
            return pg_->null(column);
        }
        return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
    }
    std::int64_t integer(int column) const {
        if (pg_) {
            return pg_->integer(column);
        }
        return sqlite3_column_int64(stmt_, column);
    }
    // The value as text (an integer in decimal); NULL reads as empty.
    std::string text(int column) const {
        if (pg_) {
            return pg_->text(column);
        }
        const auto* bytes = sqlite3_column_text(stmt_, column);
        return bytes == nullptr
                   ? std::string()
                   : std::string(reinterpret_cast<const char*>(bytes),
                                 static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
    }

private:
    void check(int rc) const {
        if (rc != SQLITE_OK) {
            fail(sqlite3_errmsg(db_));
        }
    }
    [[noreturn]] void fail(const std::string& what) const {
        std::string where = "the PostgreSQL database";
        if (db_ != nullptr) {
            const char* file = sqlite3_db_filename(db_, "main");
            where = "database '" + std::string(file != nullptr ? file : "") + "'";
        }
        throw StorageError(where + ": " + what + " (in " + sql_.substr(0, 60) + "…)");
    }

    std::string sql_;
    bool kept_ = false;
    // SQLite
    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
    int bound_ = 0;
    // PostgreSQL
    std::unique_ptr<PgQuery> pg_;
    int changed_ = 0;
};

}  // namespace rl::storage
