// The files the plugin reads and writes, through the ABI: a plan or calendar
// path must name a regular file under its limit, and nothing waits on a pipe;
// the database file is checked, not assumed — an empty file, a pipe or a
// device is refused, a new file is its owner's alone, a damaged file is a
// storage error and is never written to again, a full disk says so, and
// db.check runs SQLite's integrity check.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>

#include "abi/abi_test_helpers.h"
#include "plugin_host.h"
#include "support/test_support.h"

namespace {

using rl::test::damage_table;
using rl::test::mode_of;

using namespace rl::test::abi;
using oa_stub::PluginError;
using oa_stub::PluginHost;
using rl::test::TempDir;

// Generous: these calls take milliseconds; the deadline only turns a hang
// into a failure.
constexpr int kDeadlineSeconds = 60;

// The test configuration with more members: `extra` is `"key": value, …`.
std::string config_with(const std::string& db, const std::string& extra) {
    std::string config = rl::test::plugin_config(db);
    config.pop_back();  // the closing brace
    return config + "," + extra + "}";
}

// The seed plan with task 10's department changed: importing it writes.
std::string changed_seed_plan(const TempDir& dir) {
    std::string text = rl::test::seed_plan_text();
    const std::string from = "责任部门：监察室\n";
    const auto at = text.find(from, text.find("\n10."));
    if (at == std::string::npos) {
        throw std::runtime_error("task 10 has no '责任部门：监察室' line");
    }
    text.replace(at, from.size(), "责任部门：干部科\n");
    const std::string path = dir.file("changed-plan.txt");
    rl::test::write_file(path, text);
    return path;
}

// A ledger holding the seed plan and its 2019-10 obligations, closed.
void make_ledger(const std::string& db) {
    PluginHost host(RL_LOG_ERROR);
    open_plugin(host, court_ms(2019, 11, 4), rl::test::plugin_config(db));
    host.call("notify.sweep");  // opens 2019-10: its obligations are stored
    host.shutdown();
}

// A 2 MiB tmpfs mounted on a temporary folder, which the test can fill to
// the last block: a full disk without touching the machine's own disks.
// Mounting needs root (CAP_SYS_ADMIN); where that is missing the test skips.
class TinyDisk {
public:
    TinyDisk() {
        if (::mount("tmpfs", dir_.path().c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
                    "size=2m,mode=0700") != 0) {
            why_not_ = std::string("cannot mount a 2 MiB tmpfs for a full disk (needs root): ") +
                       std::strerror(errno);
        }
    }
    ~TinyDisk() {
        if (why_not_.empty()) {
            ::umount2(dir_.path().c_str(), MNT_DETACH);
        }
    }
    TinyDisk(const TinyDisk&) = delete;
    TinyDisk& operator=(const TinyDisk&) = delete;

    const std::string& why_not() const { return why_not_; }
    std::string file(const std::string& name) const { return dir_.file(name); }

    // Takes every free block.
    void fill() {
        const int fd = ::open(file("filler").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        ASSERT_GE(fd, 0) << std::strerror(errno);
        const std::string block(4096, 'f');
        while (::write(fd, block.data(), block.size()) > 0) {
        }
        const int error = errno;
        ::close(fd);
        ASSERT_EQ(error, ENOSPC) << std::strerror(error);
    }
    void free_space() { ::unlink(file("filler").c_str()); }

private:
    TempDir dir_;
    std::string why_not_;
};

}  // namespace

// ------------------------------------------------------------ plan and calendar files

TEST(AbiPlanFile, NamedPipeAsPlanIsRefusedAtOnceNamingIt) {
    TempDir dir;
    const std::string fifo = dir.file("plan.txt");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    PluginHost host;
    host.load(RL_PLUGIN_PATH);
    host.create(rl::test::plugin_config(dir.file("ledger.db")));
    for (const char* method : {"plan.parse", "plan.import"}) {
        std::string message;
        rl_status status = RL_OK;
        rl::test::within_deadline(kDeadlineSeconds, std::string(method) + " of a FIFO", [&] {
            Req request;
            request.s("path", fifo);
            if (std::string(method) == "plan.import") {
                request.s("actor", "u-sigaiban-head");
            }
            status = status_of([&] { host.call(method, request.str()); }, &message);
        });
        EXPECT_EQ(status, RL_ERR_INPUT) << method << ": " << message;
        EXPECT_TRUE(contains(message, fifo)) << message;
        EXPECT_TRUE(contains(message, "named pipe")) << message;
    }
    EXPECT_EQ(arr(parse_json(host.call("plan.list")), "plans").Size(), 0u);
}

TEST(AbiPlanFile, DevZeroAsPlanIsRefusedBeforeAnythingIsRead) {
    TempDir dir;
    PluginHost host;
    host.load(RL_PLUGIN_PATH);
    host.create(rl::test::plugin_config(dir.file("ledger.db")));
    std::string message;
    rl_status status = RL_OK;
    rl::test::within_deadline(kDeadlineSeconds, "plan.parse of /dev/zero", [&] {
        status = status_of([&] { host.call("plan.parse", Req().s("path", "/dev/zero").str()); },
                           &message);
    });
    EXPECT_EQ(status, RL_ERR_INPUT) << message;
    EXPECT_TRUE(contains(message, "/dev/zero")) << message;
    EXPECT_TRUE(contains(message, "not a regular file")) << message;
}

TEST(AbiPlanFile, PlanOverTheConfiguredLimitIsRefusedNamingItAndNothingIsImported) {
    TempDir dir;
    PluginHost host;
    host.load(RL_PLUGIN_PATH);
    host.create(config_with(dir.file("ledger.db"), "\"limits\":{\"plan_file_bytes\":2048}"));
    std::string message;
    EXPECT_EQ(status_of([&] { host.call("plan.import", seed_import_request()); }, &message),
              RL_ERR_INPUT);
    EXPECT_TRUE(contains(message, RL_SEED_PLAN)) << message;
    EXPECT_TRUE(contains(message, "larger than 2048 bytes")) << message;
    EXPECT_TRUE(contains(message, "limits.plan_file_bytes")) << message;
    EXPECT_EQ(arr(parse_json(host.call("plan.list")), "plans").Size(), 0u);
}

TEST(AbiPlanFile, PlanOfExactlyTheConfiguredLimitIsRead) {
    TempDir dir;
    const std::string seed = rl::test::seed_plan_text();
    PluginHost host;
    host.load(RL_PLUGIN_PATH);
    host.create(config_with(dir.file("ledger.db"), "\"limits\":{\"plan_file_bytes\":" +
                                                       std::to_string(seed.size()) + "}"));
    const auto result = parse_json(host.call("plan.parse", Req().s("path", RL_SEED_PLAN).str()));
    EXPECT_EQ(arr(result, "sections").Size(), 6u);
}

TEST(AbiCalendarFile, NamedPipeAsCalendarIsAConfigErrorAtOnce) {
    TempDir dir;
    const std::string fifo = dir.file("calendar.json");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    PluginHost host;
    host.load(RL_PLUGIN_PATH);
    std::string message;
    rl_status status = RL_OK;
    rl::test::within_deadline(kDeadlineSeconds, "create() with a FIFO as calendar.path", [&] {
        status = status_of(
            [&] {
                host.create(
                    config_with(dir.file("ledger.db"), "\"calendar\":{\"path\":" + q(fifo) + "}"));
            },
            &message);
    });
    EXPECT_EQ(status, RL_ERR_CONFIG) << message;
    EXPECT_TRUE(contains(message, "calendar.path")) << message;
    EXPECT_TRUE(contains(message, "named pipe")) << message;
}

// ------------------------------------------------------------ the database file

TEST(AbiDatabaseFile, NamedPipeAsDatabaseIsAStorageErrorAtOnce) {
    RL_SKIP_ON_POSTGRESQL("a FIFO as the SQLite file: PostgreSQL has no file");
    TempDir dir;
    const std::string fifo = dir.file("ledger.db");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    PluginHost host;
    host.load(RL_PLUGIN_PATH);
    std::string message;
    rl_status status = RL_OK;
    rl::test::within_deadline(kDeadlineSeconds, "create() with a FIFO as database", [&] {
        status = status_of([&] { host.create(rl::test::plugin_config(fifo)); }, &message);
    });
    EXPECT_EQ(status, RL_ERR_STORAGE) << message;
    EXPECT_TRUE(contains(message, fifo)) << message;
    EXPECT_TRUE(contains(message, "named pipe")) << message;
}

TEST(AbiDatabaseFile, EmptyFileIsRefusedWithAdviceAndLeftEmpty) {
    RL_SKIP_ON_POSTGRESQL("an empty SQLite file: PostgreSQL has no file");
    TempDir dir;
    const std::string db = dir.file("ledger.db");
    rl::test::write_file(db, "");
    PluginHost host;
    host.load(RL_PLUGIN_PATH);
    std::string message;
    EXPECT_EQ(status_of([&] { host.create(rl::test::plugin_config(db)); }, &message),
              RL_ERR_STORAGE);
    EXPECT_TRUE(contains(message, db)) << message;
    EXPECT_TRUE(contains(message, "empty")) << message;
    EXPECT_TRUE(contains(message, "backup")) << message;
    EXPECT_TRUE(contains(message, "remove the file")) << message;
    EXPECT_EQ(rl::test::read_file(db), "");
}

TEST(AbiDatabaseFile, NewDatabaseIsReadableByItsOwnerOnly) {
    RL_SKIP_ON_POSTGRESQL("SQLite file modes: PostgreSQL has no file");
    TempDir dir;
    const std::string db = dir.file("ledger.db");
    const mode_t old_umask = ::umask(022);
    {
        PluginHost host(RL_LOG_ERROR);
        open_plugin(host, kNov8, rl::test::plugin_config(db));
        EXPECT_EQ(mode_of(db), 0600u);
        EXPECT_EQ(mode_of(db + "-wal"), 0600u);
        EXPECT_EQ(mode_of(db + "-shm"), 0600u);
        host.shutdown();
    }
    ::umask(old_umask);
    EXPECT_EQ(mode_of(db), 0600u);
}

// The reproduction: a damaged page that imports and sweeps do not read. They
// used to succeed and write into the damaged file.
TEST(AbiDatabaseFile, DamagedLedgerRefusesImportsAndSweepsAndIsNotWritten) {
    RL_SKIP_ON_POSTGRESQL("SQLite file damage: PostgreSQL has no file");
    TempDir dir;
    const std::string db = dir.file("ledger.db");
    make_ledger(db);
    damage_table(db, "delivery_attempts");
    const std::string before = rl::test::file_digest(db);
    const std::string changed = changed_seed_plan(dir);
    {
        PluginHost host(RL_LOG_ERROR + 1);  // the damage is logged at open: keep it quiet
        host.set_clock(kNov8);
        host.load(RL_PLUGIN_PATH);
        host.create(rl::test::plugin_config(db));
        for (const auto& [method, request] :
             {std::pair<std::string, std::string>{
                  "plan.import", Req().s("path", changed).s("actor", "u-sigaiban-head").str()},
              {"notify.sweep", "{}"},
              {"urge", Req()
                           .s("task", "10")
                           .s("department", "监察室")
                           .s("period", "2019-10")
                           .s("actor", "u-sigaiban-head")
                           .str()}}) {
            std::string message;
            EXPECT_EQ(status_of([&] { host.call(method, request); }, &message), RL_ERR_STORAGE)
                << method << ": " << message;
            EXPECT_TRUE(contains(message, db)) << message;
            EXPECT_TRUE(contains(message, "damaged")) << message;
            EXPECT_TRUE(contains(message, "backup")) << message;
        }
        // Reads of what is intact still work, so what is there can be seen.
        EXPECT_EQ(arr(parse_json(host.call("plan.list")), "plans").Size(), 1u);
        host.shutdown();
    }
    EXPECT_EQ(rl::test::file_digest(db), before) << "the damaged file was written to";
}

// The reproduction: the ledger of a damaged file was "internal error: Corrupt
// image".
TEST(AbiDatabaseFile, LedgerOfADamagedFileIsAStorageErrorNamingTheFile) {
    RL_SKIP_ON_POSTGRESQL("SQLite file damage: PostgreSQL has no file");
    TempDir dir;
    const std::string db = dir.file("ledger.db");
    make_ledger(db);
    damage_table(db, "obligations");
    const std::string before = rl::test::file_digest(db);
    {
        PluginHost host(RL_LOG_ERROR + 1);
        host.set_clock(kNov8);
        host.load(RL_PLUGIN_PATH);
        host.create(rl::test::plugin_config(db));
        for (const char* method : {"ledger.tasks", "obligations.list", "ledger.status"}) {
            std::string message;
            EXPECT_EQ(status_of(
                          [&] {
                              host.call(
                                  method,
                                  Req().s("user", "u-sigaiban-head").s("period", "2019-10").str());
                          },
                          &message),
                      RL_ERR_STORAGE)
                << method << ": " << message;
            EXPECT_TRUE(contains(message, db)) << message;
            EXPECT_FALSE(contains(message, "internal error")) << message;
        }
        host.shutdown();
    }
    EXPECT_EQ(rl::test::file_digest(db), before) << "the damaged file was written to";
}

TEST(AbiDbCheck, SoundLedgerPassesTheQuickAndTheFullCheck) {
    TempDir dir;
    const std::string db = dir.file("ledger.db");
    PluginHost host(RL_LOG_ERROR);
    open_plugin(host, kNov8, rl::test::plugin_config(db));
    const auto quick = parse_json(host.call("db.check"));
    if (rl::test::on_postgresql()) {  // the server and the ledger's schema, never the password
        EXPECT_TRUE(contains(str(quick, "path"), "(schema " + rl::test::postgres_schema(db) + ")"))
            << dump(quick);
        EXPECT_FALSE(contains(str(quick, "path"), "reform-test")) << dump(quick);
    } else {
        EXPECT_EQ(str(quick, "path"), db);
    }
    EXPECT_EQ(str(quick, "check"), "quick_check");
    EXPECT_TRUE(at(quick, "ok").GetBool()) << dump(quick);
    EXPECT_EQ(arr(quick, "problems").Size(), 0u);
    EXPECT_TRUE(at(quick, "writes_refused").IsNull());
    const auto full = parse_json(host.call("db.check", "{\"full\":true}"));
    EXPECT_EQ(str(full, "check"), "integrity_check");
    EXPECT_TRUE(at(full, "ok").GetBool()) << dump(full);
    std::string message;
    EXPECT_EQ(status_of([&] { host.call("db.check", "{\"ful\":true}"); }, &message),
              RL_ERR_INVALID_ARGUMENT)
        << message;
}

TEST(AbiDbCheck, DamagedLedgerReportsWhatSQLiteFoundAndThatWritesAreRefused) {
    RL_SKIP_ON_POSTGRESQL("SQLite file damage: PostgreSQL has no file");
    TempDir dir;
    const std::string db = dir.file("ledger.db");
    make_ledger(db);
    damage_table(db, "delivery_attempts");
    PluginHost host(RL_LOG_ERROR + 1);
    host.load(RL_PLUGIN_PATH);
    host.create(rl::test::plugin_config(db));
    for (const char* request : {"{}", "{\"full\":true}"}) {
        const auto result = parse_json(host.call("db.check", request));
        EXPECT_FALSE(at(result, "ok").GetBool()) << dump(result);
        ASSERT_GT(arr(result, "problems").Size(), 0u) << dump(result);
        EXPECT_TRUE(contains(arr(result, "problems")[0].GetString(), "Page ")) << dump(result);
        EXPECT_TRUE(contains(str(result, "writes_refused"), "damaged")) << dump(result);
    }
}

TEST(AbiDatabaseFile, FullDiskIsAStorageErrorThatSaysSoAndNothingIsWritten) {
    RL_SKIP_ON_POSTGRESQL("a full disk under the SQLite file: the PostgreSQL server owns its disk");
    TinyDisk disk;
    if (!disk.why_not().empty()) {
        GTEST_SKIP() << disk.why_not();
    }
    const std::string db = disk.file("ledger.db");
    TempDir dir;
    const std::string changed = changed_seed_plan(dir);
    make_ledger(db);
    {
        PluginHost host(RL_LOG_ERROR + 1);
        host.set_clock(kNov8);
        host.load(RL_PLUGIN_PATH);
        host.create(rl::test::plugin_config(db));
        disk.fill();
        std::string message;
        EXPECT_EQ(status_of(
                      [&] {
                          host.call("plan.import",
                                    Req().s("path", changed).s("actor", "u-sigaiban-head").str());
                      },
                      &message),
                  RL_ERR_STORAGE);
        EXPECT_TRUE(contains(message, "the disk holding database '" + db + "' is full")) << message;
        // What is written can still be read.
        EXPECT_EQ(arr(parse_json(host.call("plan.list")), "plans").Size(), 1u);
        host.shutdown();
    }
    {
        // Opening needs room for SQLite's WAL index: on the full disk that
        // says so too, where it used to say only "disk I/O error". (Closing
        // the first instance removed its WAL: take that room too.)
        disk.fill();
        PluginHost host(RL_LOG_ERROR + 1);
        host.load(RL_PLUGIN_PATH);
        std::string message;
        EXPECT_EQ(status_of([&] { host.create(rl::test::plugin_config(db)); }, &message),
                  RL_ERR_STORAGE);
        EXPECT_TRUE(contains(message, "the disk holding database '" + db + "' is full")) << message;
    }
    disk.free_space();
    const auto department =
        rl::test::sql_rows(db,
                           "SELECT d.name FROM assignments a JOIN tasks t ON t.id = a.task_id"
                           " JOIN departments d ON d.id = a.department_id"
                           " WHERE t.number = '10' AND a.retired_at IS NULL");
    ASSERT_EQ(department.size(), 1u);
    EXPECT_EQ(department[0][0], "监察室") << "the refused import was written";
}
