// oa-stub export ledger / export bulletin as a user runs them: the files are
// read back with python3-openpyxl and python3-docx; an existing file is kept
// unless --force; bad input and refusals exit non-zero and leave no file.
#include "cli/oa_stub_helpers.h"  // first: rapidjson set up to throw

#include <dirent.h>

#include <map>
#include <string>
#include <vector>

#include "support/office_dump.h"

namespace {

using rl::test::CommandResult;
using rl::test::TempDir;
using rl::test::oa_stub::describe;
using rl::test::oa_stub::OaStubFixture;

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

std::vector<std::string> files_in(const std::string& directory) {
    std::vector<std::string> out;
    DIR* d = opendir(directory.c_str());
    while (d != nullptr) {
        const dirent* e = readdir(d);
        if (e == nullptr) {
            closedir(d);
            break;
        }
        const std::string name = e->d_name;
        if (name != "." && name != "..") {
            out.push_back(name);
        }
    }
    return out;
}

class ExportCli : public OaStubFixture {
protected:
    // 行政庭 files task 27 for 2019-10 on time.
    void file_task_27() {
        import_seed();
        const auto act = [this](const std::string& action, const std::string& user,
                                std::vector<std::string> extra = {}) {
            std::vector<std::string> args = {
                "--now",        "2019-11-04",           "report",   action,    "--task", "27",
                "--department", "行政庭（综合审判庭）", "--period", "2019-10", "--user", user};
            args.insert(args.end(), extra.begin(), extra.end());
            const CommandResult r = run(args);
            ASSERT_EQ(r.status, 0) << action << " " << describe(r);
        };
        act("draft", "u-xingzhengting-contact",
            {"--summary", "司法救助制度已修订。", "--percent", "50"});
        act("submit", "u-xingzhengting-contact");
        act("approve", "u-xingzhengting-head");
        act("approve", "u-vp-trial");
        act("file", "u-sigaiban-head");
    }

    TempDir out_;
};

TEST_F(ExportCli, ExportLedgerWritesTheExcelFileAndSaysWhere) {
    file_task_27();
    const std::string path = out_.file("台账.xlsx");
    const CommandResult r =
        run({"--now", "2019-11-12", "export", "ledger", "--xlsx", path, "--period", "2019-10"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "Wrote the ledger (台账)")) << r.out;
    EXPECT_TRUE(contains(r.out, path)) << r.out;
    EXPECT_TRUE(contains(r.out, "Sheets: 汇总 一、")) << r.out;
    const auto book = rl::test::office_dump(path);
    const auto& sheets = book["sheets"];
    ASSERT_EQ(sheets.Size(), 7u);
    bool found = false;
    for (const auto& s : sheets.GetArray()) {
        if (std::string(s["name"].GetString()) == "汇总" || s["rows"].Size() < 2) {
            continue;
        }
        // Columns by their heading (the second row, below the section's title).
        std::map<std::string, rapidjson::SizeType> column;
        const auto& heading = s["rows"][1];
        for (rapidjson::SizeType i = 0; i < heading.Size(); ++i) {
            if (heading[i]["v"].IsString()) {
                column[heading[i]["v"].GetString()] = i;
            }
        }
        ASSERT_TRUE(column.count("本期状态") && column.count("最新进展"))
            << s["name"].GetString() << ": no 本期状态 or 最新进展 heading";
        const auto status = column["本期状态"], latest = column["最新进展"];
        for (const auto& row : s["rows"].GetArray()) {
            if (row.Size() > latest && row[0]["v"].IsString() &&
                std::string(row[0]["v"].GetString()) == "27") {
                found = true;
                EXPECT_STREQ(row[status]["v"].GetString(), "已归档");
                EXPECT_STREQ(row[status]["fill"].GetString(), "C6EFCE");
                EXPECT_STREQ(row[latest]["v"].GetString(), "司法救助制度已修订。");
            }
        }
    }
    EXPECT_TRUE(found) << "task 27 has no row";
}

TEST_F(ExportCli, ExportBulletinWritesTheWordFile) {
    file_task_27();
    const std::string path = out_.file("通报.docx");
    const CommandResult r = run({"--now", "2019-11-12", "export", "bulletin", "--period", "2019-10",
                                 "--docx", path, "--user", "u-sigaiban-head"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "Wrote the bulletin (通报)")) << r.out;
    EXPECT_TRUE(contains(r.out, "on time 1")) << r.out;
    const auto doc = rl::test::office_dump(path);
    EXPECT_STREQ(doc["paragraphs"][0]["text"].GetString(),
                 "司法改革任务落实情况通报（2019年10月）");
    ASSERT_EQ(doc["tables"].Size(), 3u)
        << "departments, overdue and scores; no urges or notices yet";
    EXPECT_STREQ(doc["tables"][0][0][0].GetString(), "部门");
    EXPECT_STREQ(doc["tables"][2][0][0].GetString(), "名次");
}

TEST_F(ExportCli, AnExistingFileIsKeptUnlessForce) {
    import_seed();
    const std::string path = out_.file("ledger.xlsx");
    rl::test::write_file(path, "keep me");
    const CommandResult refused = run({"--now", "2019-11-12", "export", "ledger", "--xlsx", path});
    EXPECT_EQ(refused.status, 1) << describe(refused);
    EXPECT_TRUE(contains(refused.err, "exists already")) << describe(refused);
    EXPECT_TRUE(contains(refused.err, "force")) << describe(refused);
    EXPECT_EQ(rl::test::read_file(path), "keep me");
    const CommandResult forced =
        run({"--now", "2019-11-12", "export", "ledger", "--xlsx", path, "--force"});
    ASSERT_EQ(forced.status, 0) << describe(forced);
    EXPECT_EQ(rl::test::office_dump(path)["sheets"][0]["name"].GetString(), std::string("汇总"));
    EXPECT_EQ(files_in(out_.path()).size(), 1u);
}

TEST_F(ExportCli, BadInputExitsNonZeroAndLeavesNoFile) {
    import_seed();
    const std::string path = out_.file("b.docx");
    const CommandResult bad_period =
        run({"export", "bulletin", "--period", "2019-13", "--docx", path});
    EXPECT_EQ(bad_period.status, 1) << describe(bad_period);
    EXPECT_TRUE(contains(bad_period.err, "2019-13")) << describe(bad_period);
    const CommandResult no_period = run({"export", "bulletin", "--docx", path});
    EXPECT_EQ(no_period.status, 2) << describe(no_period);
    EXPECT_TRUE(contains(no_period.err, "--period")) << describe(no_period);
    const CommandResult wrong_flag = run({"export", "ledger", "--docx", path});
    EXPECT_EQ(wrong_flag.status, 2) << describe(wrong_flag);
    const CommandResult no_dir =
        run({"export", "ledger", "--xlsx", out_.file("missing/l.xlsx"), "--period", "2019-10"});
    EXPECT_EQ(no_dir.status, 1) << describe(no_dir);
    EXPECT_TRUE(contains(no_dir.err, "does not exist")) << describe(no_dir);
    const CommandResult refused = run({"--now", "2019-11-12", "export", "ledger", "--xlsx",
                                       out_.file("l.xlsx"), "--user", "u-xingting-contact"});
    EXPECT_EQ(refused.status, 3) << describe(refused);
    EXPECT_TRUE(contains(refused.err, "not_permitted")) << describe(refused);
    EXPECT_TRUE(files_in(out_.path()).empty());
}

}  // namespace
