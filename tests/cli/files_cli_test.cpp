// oa-stub and the files it is given: plan, configuration, org chart and
// database paths that name a pipe, a device or something too big are refused
// at once with a message; a damaged ledger is never written to; `db check`
// runs SQLite's integrity check. Every command runs under `timeout`, so a
// hang fails the test instead of blocking the suite.
#include <gtest/gtest.h>

// First: it makes rapidjson throw, and must precede any other rapidjson include.
#include "cli/oa_stub_helpers.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace {

using rl::test::damage_table;
using rl::test::mode_of;

using rl::test::CommandResult;
using rl::test::run_command;
using rl::test::TempDir;
using rl::test::oa_stub::command_line;
using rl::test::oa_stub::describe;

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// oa-stub ARGS… under timeout: exit 124 means it hung.
CommandResult oa_stub(const std::vector<std::string>& args) {
    return run_command("timeout 60 " + command_line(args));
}

// A configuration with the demo org chart and `extra` members.
std::string write_config(const TempDir& dir, const std::string& extra = "") {
    const std::string path = dir.file("config.json");
    rl::test::write_file(path, "{\"org_chart\": \"" + std::string(RL_DEMO_DIR) +
                                   "/org-chart.json\"" + (extra.empty() ? "" : ", " + extra) + "}");
    return path;
}

class OaStubFiles : public ::testing::Test {
protected:
    TempDir dir_;
    const std::string db_ = dir_.file("ledger.db");

    CommandResult run(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db_});
        return oa_stub(args);
    }

    // The seed plan and its 2019-10 obligations.
    void make_ledger() {
        CommandResult r = run(
            {"--now", "2019-11-04", "plan", "import", RL_SEED_PLAN, "--user", "u-sigaiban-head"});
        ASSERT_EQ(r.status, 0) << describe(r);
        // The sweep opens 2019-10: its obligations are stored (reads store nothing).
        r = run({"--now", "2019-11-04", "notify", "sweep"});
        ASSERT_EQ(r.status, 0) << describe(r);
    }

    std::string changed_seed_plan() {
        std::string text = rl::test::seed_plan_text();
        const std::string from = "责任部门：监察室\n";
        const auto at = text.find(from, text.find("\n10."));
        if (at == std::string::npos) {
            throw std::runtime_error("task 10 has no '责任部门：监察室' line");
        }
        text.replace(at, from.size(), "责任部门：干部科\n");
        const std::string path = dir_.file("changed-plan.txt");
        rl::test::write_file(path, text);
        return path;
    }
};

}  // namespace

// ------------------------------------------------------------ plan files

TEST_F(OaStubFiles, PlanThatIsANamedPipeIsRefusedAtOnce) {
    const std::string fifo = dir_.file("plan.txt");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    for (const char* sub : {"parse", "import"}) {
        const CommandResult r = run({"plan", sub, fifo, "--user", "u-sigaiban-head"});
        EXPECT_EQ(r.status, 1) << describe(r);
        EXPECT_TRUE(has(r.err, fifo)) << describe(r);
        EXPECT_TRUE(has(r.err, "named pipe")) << describe(r);
    }
}

TEST_F(OaStubFiles, PlanThatIsDevZeroIsRefusedAtOnce) {
    const CommandResult r = run({"plan", "parse", "/dev/zero"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(has(r.err, "'/dev/zero'")) << describe(r);
    EXPECT_TRUE(has(r.err, "character device")) << describe(r);
}

TEST_F(OaStubFiles, PlanOverTheConfiguredLimitIsRefusedAndNothingIsImported) {
    const std::string config = write_config(dir_, "\"limits\": {\"plan_file_bytes\": 2048}");
    CommandResult r =
        run({"--config", config, "plan", "import", RL_SEED_PLAN, "--user", "u-sigaiban-head"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(has(r.err, "larger than 2048 bytes")) << describe(r);
    EXPECT_TRUE(has(r.err, "limits.plan_file_bytes")) << describe(r);
    r = run({"--config", config, "plan", "list", "--json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(has(r.out, "\"plans\":[]")) << r.out;
}

// ------------------------------------------------------------ configuration files

TEST_F(OaStubFiles, ConfigurationThatIsANamedPipeIsRefusedAtOnce) {
    const std::string fifo = dir_.file("config.json");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const CommandResult r = run({"--config", fifo, "info"});
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(has(r.err, "configuration '" + fifo + "'")) << describe(r);
    EXPECT_TRUE(has(r.err, "named pipe")) << describe(r);
}

TEST_F(OaStubFiles, ConfigurationThatIsDevZeroIsRefusedAtOnce) {
    const CommandResult r = run({"--config", "/dev/zero", "info"});
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(has(r.err, "character device")) << describe(r);
}

TEST_F(OaStubFiles, OrgChartFileThatIsANamedPipeIsRefusedAtOnce) {
    const std::string fifo = dir_.file("org-chart.json");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string config = dir_.file("config.json");
    rl::test::write_file(config, "{\"org_chart\": \"org-chart.json\"}");
    const CommandResult r = run({"--config", config, "info"});
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(has(r.err, "org chart")) << describe(r);
    EXPECT_TRUE(has(r.err, "named pipe")) << describe(r);
}

TEST_F(OaStubFiles, ConfigurationOverSixteenMebibytesIsRefused) {
    const std::string config = dir_.file("config.json");
    const int fd = ::open(config.c_str(), O_WRONLY | O_CREAT, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, off_t{1} << 34), 0);  // 16 GiB that take no disk space
    ::close(fd);
    const CommandResult r = run({"--config", config, "info"});
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(has(r.err, "larger than 16777216 bytes (16 MiB)")) << describe(r);
}

// ------------------------------------------------------------ the database file

TEST_F(OaStubFiles, DatabaseThatIsANamedPipeIsRefusedAtOnce) {
    RL_SKIP_ON_POSTGRESQL("a FIFO as the SQLite file: PostgreSQL has no file");
    ASSERT_EQ(::mkfifo(db_.c_str(), 0600), 0);
    const CommandResult r = run({"info"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(has(r.err, db_)) << describe(r);
    EXPECT_TRUE(has(r.err, "named pipe")) << describe(r);
}

TEST_F(OaStubFiles, EmptyDatabaseFileIsRefusedWithAdviceAndLeftEmpty) {
    RL_SKIP_ON_POSTGRESQL("an empty SQLite file: PostgreSQL has no file");
    rl::test::write_file(db_, "");
    const CommandResult r = run({"plan", "import", RL_SEED_PLAN, "--user", "u-sigaiban-head"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(has(r.err, db_)) << describe(r);
    EXPECT_TRUE(has(r.err, "empty")) << describe(r);
    EXPECT_TRUE(has(r.err, "backup")) << describe(r);
    EXPECT_TRUE(has(r.err, "remove the file")) << describe(r);
    EXPECT_EQ(rl::test::read_file(db_), "");
}

TEST_F(OaStubFiles, NewDatabaseIsReadableByItsOwnerOnly) {
    RL_SKIP_ON_POSTGRESQL("SQLite file modes: PostgreSQL has no file");
    const CommandResult r =
        run_command("umask 022 && timeout 60 " + command_line({"--db", db_, "info"}));
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_EQ(mode_of(db_), 0600u);
}

TEST_F(OaStubFiles, DamagedLedgerRefusesSweepsImportsAndUrgesAndIsNotWritten) {
    RL_SKIP_ON_POSTGRESQL("SQLite file damage: PostgreSQL has no file");
    make_ledger();
    damage_table(db_, "delivery_attempts");  // a page none of these commands reads
    const std::string before = rl::test::file_digest(db_);
    const std::string changed = changed_seed_plan();
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"notify", "sweep"},
          {"plan", "import", changed, "--user", "u-sigaiban-head"},
          {"urge", "--task", "10", "--department", "监察室", "--period", "2019-10", "--user",
           "u-sigaiban-head"}}) {
        std::vector<std::string> args{"--now", "2019-11-08T10:00"};
        args.insert(args.end(), command.begin(), command.end());
        const CommandResult r = run(args);
        EXPECT_EQ(r.status, 1) << describe(r);
        EXPECT_TRUE(has(r.err, "database '" + db_ + "' is damaged")) << describe(r);
        EXPECT_TRUE(has(r.err, "backup")) << describe(r);
    }
    EXPECT_EQ(rl::test::file_digest(db_), before) << "the damaged file was written to";
}

TEST_F(OaStubFiles, LedgerOfADamagedFileIsAStorageErrorNotAnInternalError) {
    RL_SKIP_ON_POSTGRESQL("SQLite file damage: PostgreSQL has no file");
    make_ledger();
    damage_table(db_, "obligations");
    const std::string before = rl::test::file_digest(db_);
    const CommandResult r = run({"--now", "2019-11-08T10:00", "ledger", "--period", "2019-10"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(has(r.err, db_)) << describe(r);
    EXPECT_FALSE(has(r.err, "internal error")) << describe(r);
    EXPECT_FALSE(has(r.err, "Corrupt image")) << describe(r);
    EXPECT_EQ(rl::test::file_digest(db_), before) << "the damaged file was written to";
}

TEST_F(OaStubFiles, DbCheckOfASoundLedgerSaysOk) {
    make_ledger();
    CommandResult r = run({"db", "check"});
    EXPECT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(has(r.out, "quick_check: ok")) << describe(r);
    r = run({"db", "check", "--full", "--json"});
    EXPECT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(has(r.out, "\"check\":\"integrity_check\",\"ok\":true")) << describe(r);
}

TEST_F(OaStubFiles, DbCheckOfADamagedLedgerExitsNonZeroWithWhatSQLiteFound) {
    RL_SKIP_ON_POSTGRESQL("SQLite file damage: PostgreSQL has no file");
    make_ledger();
    damage_table(db_, "delivery_attempts");
    const std::string before = rl::test::file_digest(db_);
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"db", "check"}, {"db", "check", "--full"}}) {
        const CommandResult r = run(args);
        EXPECT_EQ(r.status, 1) << describe(r);
        EXPECT_TRUE(has(r.out, "Page ")) << describe(r);
        EXPECT_TRUE(has(r.err, "damaged")) << describe(r);
    }
    EXPECT_EQ(rl::test::file_digest(db_), before);
}

TEST_F(OaStubFiles, DbWithoutCheckIsAUsageError) {
    const CommandResult r = run({"db", "repair"});
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(has(r.err, "db check")) << describe(r);
}

// A 2 MiB tmpfs on a temporary folder, unmounted when the test ends.
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

private:
    TempDir dir_;
    std::string why_not_;
};

TEST(OaStubFullDisk, CommandsOnAFullDiskSaySo) {
    RL_SKIP_ON_POSTGRESQL("a full disk under the SQLite file: the PostgreSQL server owns its disk");
    TinyDisk disk;
    if (!disk.why_not().empty()) {
        GTEST_SKIP() << disk.why_not();
    }
    const std::string db = disk.file("ledger.db");
    CommandResult r =
        oa_stub({"--db", db, "plan", "import", RL_SEED_PLAN, "--user", "u-sigaiban-head"});
    ASSERT_EQ(r.status, 0) << describe(r);
    {
        std::ofstream filler(disk.file("filler"), std::ios::binary);
        const std::string block(4096, 'f');
        while (filler.write(block.data(), static_cast<std::streamsize>(block.size()))) {
            filler.flush();
        }
    }
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"info"},
          {"plan", "import", RL_SEED_PLAN, "--user", "u-sigaiban-head"}}) {
        std::vector<std::string> args{"--db", db};
        args.insert(args.end(), command.begin(), command.end());
        r = oa_stub(args);
        EXPECT_EQ(r.status, 1) << describe(r);
        EXPECT_TRUE(has(r.err, "the disk holding database '" + db + "' is full")) << describe(r);
    }
}
