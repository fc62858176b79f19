#include "storage/database.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <Poco/Timestamp.h>

#include "resources/embedded.h"
#include "storage/postgres_database.h"
#include "storage/sqlite_database.h"

namespace rl::storage {

namespace {

std::string sha256_hex(const std::string& text) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(text);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::vector<Migration> migrations_of(const std::vector<resources::EmbeddedFile>& files) {
    std::vector<Migration> migrations;
    for (const auto& file : files) {
        Migration m;
        m.name = file.path;
        m.version = std::stoi(m.name);
        m.sql = file.text();
        m.checksum = sha256_hex(m.sql);
        migrations.push_back(std::move(m));
    }
    return migrations;
}

DatabaseSettings sqlite_file(std::string path) {
    DatabaseSettings settings;
    settings.path = std::move(path);
    return settings;
}

}  // namespace

std::vector<Migration> sqlite_migrations() {
    return migrations_of(resources::sqlite_migrations());
}

std::vector<Migration> postgresql_migrations() {
    return migrations_of(resources::postgresql_migrations());
}

std::int64_t ledger_changes(Database& database) {
    // Through integer_now: inside the calling thread's transaction it joins
    // it; outside one it is a statement of its own (on PostgreSQL one round
    // trip, straight through libpq: every kept answer pays it).
    const auto count = database.integer_now("SELECT version FROM ledger_changes WHERE id = 1");
    if (!count) {
        throw StorageError("database '" + database.path() +
                           "': ledger_changes has no row (migration 0011)");
    }
    return *count;
}

std::string iso_utc(std::int64_t epoch_ms) {
    const Poco::Timestamp ts(static_cast<Poco::Timestamp::TimeVal>(epoch_ms) * 1000);
    return Poco::DateTimeFormatter::format(ts, "%Y-%m-%dT%H:%M:%S.%iZ");
}

Database::Database(std::string path, const std::vector<Migration>& migrations,
                   std::int64_t quick_check_bytes)
    : Database(sqlite_file(std::move(path)), migrations, quick_check_bytes) {}

Database::Database(const DatabaseSettings& settings)
    : Database(settings, settings.postgresql() ? postgresql_migrations() : sqlite_migrations()) {}

Database::Database(const DatabaseSettings& settings, const std::vector<Migration>& migrations,
                   std::int64_t quick_check_bytes) {
    if (settings.postgresql()) {
        backend_ = std::make_unique<PostgresDatabase>(settings, migrations);
    } else {
        backend_ = std::make_unique<SqliteDatabase>(settings, migrations, quick_check_bytes);
    }
}

Database::~Database() = default;

}  // namespace rl::storage
