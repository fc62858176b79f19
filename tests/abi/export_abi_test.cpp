// export.ledger and export.bulletin through the real plugin's C ABI: a month
// of 2019-10 on the seed plan (one report filed on time, one submitted late,
// an urge, a supervision notice), exported as the 台账 (.xlsx) and the 月度通报
// (.docx) to a file and inline, each read back with python3-openpyxl and
// python3-docx; refusals and bad input leave no file; exports write nothing
// to the ledger.
#include <dirent.h>
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <cstdint>
#include <string>
#include <vector>

#include "abi_test_helpers.h"
#include "plugin_host.h"
#include "reform_ledger.h"
#include "support/office_dump.h"
#include "support/test_support.h"

using oa_stub::PluginHost;
using rl::test::TempDir;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)

const std::string kOffice = "u-sigaiban-head";

std::string sha256_hex(const std::string& bytes) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (const unsigned char c : digest) {
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

std::string decode_base64(const std::string& text) {
    static const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (const char c : text) {
        if (c == '=') {
            break;
        }
        buffer = buffer << 6 | static_cast<unsigned>(alphabet.find(c));
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>(buffer >> bits & 0xFF);
        }
    }
    return out;
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

// The sheet called name in a dump, or throws.
const Val& sheet(const Doc& book, const std::string& name) {
    for (const auto& s : arr(book, "sheets").GetArray()) {
        if (str(s, "name") == name) {
            return s;
        }
    }
    throw std::runtime_error("no sheet '" + name + "'");
}

class ExportAbi : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = dir_.file("ledger.db");
        open_plugin(host_, court_ms(2019, 11, 4), rl::test::plugin_config(db_));
        record_october();
    }

    void act(const std::string& task, const std::string& action, const std::string& actor,
             const std::string& department, const std::string& content = "") {
        Req r;
        r.s("task", task).s("department", department).s("period", "2019-10").s("action", action);
        r.s("actor", actor);
        const Doc g = parse_json(host_.call("report.get", Req()
                                                              .s("user", kOffice)
                                                              .s("task", task)
                                                              .s("department", department)
                                                              .s("period", "2019-10")
                                                              .str()));
        const Val& report = at(at(g, "obligation"), "report");
        if (report.IsObject()) {
            r.i("version", num(report, "version"));
        }
        if (!content.empty()) {
            r.raw("content", content);
        }
        const Doc d = parse_json(host_.call("report.act", r.str()));
        ASSERT_EQ(str(d, "outcome"), "ok") << action << " by " << actor << ": " << dump(d);
    }

    // 行政庭 files task 27 on time (due 2019-11-07); 民庭 submits its part of
    // task 33 late; 技术科 is urged on task 33; 执行指挥中心 gets a
    // supervision notice.
    void record_october() {
        const std::string xzt = "行政庭（综合审判庭）";
        host_.set_clock(court_ms(2019, 11, 4, 9));
        act("27", "save_draft", "u-xingzhengting-contact", xzt,
            Req()
                .s("progress_summary", "司法救助制度已修订完毕。")
                .i("percent_complete", 60)
                .str());
        act("27", "submit", "u-xingzhengting-contact", xzt);
        act("27", "approve", "u-xingzhengting-head", xzt);
        act("27", "approve", "u-vp-trial", xzt);
        act("27", "file", kOffice, xzt);
        host_.set_clock(court_ms(2019, 11, 8, 9));
        act("33", "save_draft", "u-minting-contact", "民庭",
            Req().s("progress_summary", "民事审判流程已报送。").i("percent_complete", 30).str());
        act("33", "submit", "u-minting-contact", "民庭");
        const Doc urged = parse_json(host_.call("urge", Req()
                                                            .s("task", "33")
                                                            .s("department", "技术科")
                                                            .s("period", "2019-10")
                                                            .s("actor", kOffice)
                                                            .s("note", "请尽快报送。")
                                                            .str()));
        ASSERT_EQ(str(urged, "outcome"), "ok") << dump(urged);
        const Doc issued =
            parse_json(host_.call("supervision.issue", Req()
                                                           .s("task", "33")
                                                           .s("department", "执行指挥中心")
                                                           .s("actor", kOffice)
                                                           .s("content", "请报送执行流程标准。")
                                                           .str()));
        ASSERT_EQ(str(issued, "outcome"), "ok") << dump(issued);
        host_.set_clock(court_ms(2019, 11, 12, 9));
    }

    Doc export_call(const std::string& method, const std::string& request) {
        return parse_json(host_.call(method, request));
    }

    // The 台账 of 2019-10 exported by the reform office to out_/ledger.xlsx
    // and read back (python3-openpyxl).
    Doc ledger_book() {
        const std::string path = out_.file("ledger.xlsx");
        const Doc r = export_call(
            "export.ledger", Req().s("user", kOffice).s("period", "2019-10").s("path", path).str());
        EXPECT_EQ(str(r, "outcome"), "ok") << dump(r);
        return rl::test::office_dump(path);
    }

    int rows(const std::string& table) {
        return std::stoi(
            rl::test::sql_rows(db_, "SELECT COUNT(*) FROM " + table, true).at(0).at(0));
    }

    TempDir dir_;
    TempDir out_;
    std::string db_;
    PluginHost host_;
};

TEST_F(ExportAbi, TheLedgerIsWrittenAsAnExcelFileWithItsSizeAndHash) {
    const std::string path = out_.file("台账.xlsx");
    const Doc r = export_call(
        "export.ledger", Req().s("user", kOffice).s("period", "2019-10").s("path", path).str());
    ASSERT_EQ(str(r, "outcome"), "ok") << dump(r);
    EXPECT_EQ(str(r, "format"), "xlsx");
    EXPECT_EQ(str(r, "period"), "2019-10");
    EXPECT_EQ(str(r, "path"), path);
    EXPECT_EQ(num(r, "tasks"), 45);
    const std::string bytes = rl::test::read_file(path);
    EXPECT_EQ(static_cast<std::size_t>(at(r, "size").GetUint64()), bytes.size());
    EXPECT_EQ(str(r, "sha256"), sha256_hex(bytes));
    EXPECT_EQ(files_in(out_.path()), std::vector<std::string>{"台账.xlsx"});

    const Doc book = rl::test::office_dump(path);
    const Val& sheets = arr(book, "sheets");
    ASSERT_EQ(sheets.Size(), 7u) << "a summary and the seed's 6 sections";
    EXPECT_EQ(str(sheets[0], "name"), "汇总");
    ASSERT_EQ(arr(r, "sheets").Size(), 7u);
    for (rapidjson::SizeType i = 0; i < sheets.Size(); ++i) {
        EXPECT_EQ(str(sheets[i], "name"), arr(r, "sheets")[i].GetString());
        EXPECT_NE(str(sheets[i], "freeze"), "") << "sheet " << i << " has no frozen heading";
        EXPECT_NE(str(sheets[i], "filter"), "") << "sheet " << i << " has no filter";
    }
}

// The row of task number in a task sheet of the dump, or throws.
const Val& task_row(const Doc& book, const std::string& number) {
    for (const auto& s : arr(book, "sheets").GetArray()) {
        if (str(s, "name") == "汇总") {
            continue;
        }
        for (const auto& row : arr(s, "rows").GetArray()) {
            if (row.Size() > 0 && row[0]["v"].IsString() && str(row[0], "v") == number) {
                return row;
            }
        }
    }
    throw std::runtime_error("no row for task " + number);
}

TEST_F(ExportAbi, TheLedgersTaskSheetsShowStatusColoursDeadlinesAndTheLatestReport) {
    const Doc book = ledger_book();
    const Val& first = arr(book, "sheets")[1];
    EXPECT_EQ(str(first, "freeze"), "A3") << "a title line, then the heading row, frozen";
    const Val& heading = arr(first, "rows")[1];
    std::vector<std::string> names;
    for (const auto& c : heading.GetArray()) {
        names.push_back(str(c, "v"));
        EXPECT_TRUE(c["bold"].GetBool());
    }
    EXPECT_EQ(names, (std::vector<std::string>{"序号", "工作任务", "牵头部门", "配合部门",
                                               "完成时限", "进度要求", "任务状态", "逾期工作日",
                                               "升级日期", "预警", "预警原因", "本期状态",
                                               "最新进展", "进展报送情况", "催办次数"}));
    EXPECT_EQ(str(first, "filter").substr(0, 3), "A2:");
    const Val& t27 = task_row(book, "27");
    EXPECT_EQ(str(t27[2], "v"), "行政庭（综合审判庭）");
    EXPECT_EQ(str(t27[11], "v"), "已归档");
    EXPECT_EQ(str(t27[11], "fill"), "C6EFCE") << "filed is green";
    EXPECT_EQ(str(t27[12], "v"), "司法救助制度已修订完毕。");
    EXPECT_EQ(str(t27[13], "v"), "2019年10月 已归档");
    EXPECT_TRUE(t27[12]["wrap"].GetBool());
    EXPECT_TRUE(t27[1]["wrap"].GetBool());
    // Every other task of 2019-10 is overdue on 2019-11-12: red.
    const Val& t33 = task_row(book, "33");
    EXPECT_EQ(str(t33[2], "v"), "刑庭");
    EXPECT_EQ(str(t33[11], "v"), "逾期");
    EXPECT_EQ(str(t33[11], "fill"), "FFC7CE");
    EXPECT_TRUE(at(t33[12], "v").IsNull()) << "刑庭 has not reported; 民庭 co-operates";
    EXPECT_EQ(str(t33[14], "t"), "n");
    EXPECT_EQ(t33[14]["v"].GetInt(), 1) << "技术科 was urged once on task 33";
    EXPECT_EQ(str(t33[0], "font"), "宋体");
    // The task's life and its colour: 27's lead has filed (推进中); 33's lead
    // has not reported and is overdue, so 33 is red, saying why.
    EXPECT_EQ(str(t27[6], "v"), "推进中");
    EXPECT_EQ(str(t33[9], "v"), "红灯");
    EXPECT_EQ(str(t33[9], "fill"), "FFC7CE");
    EXPECT_NE(str(t33[10], "v").find("刑庭"), std::string::npos) << str(t33[10], "v");
    EXPECT_NE(str(t33[10], "v").find("逾期"), std::string::npos) << str(t33[10], "v");
}

// A deadline the sweep escalated to the leaders in charge (升级) shows the
// day it was escalated, beside its overdue working days, while it is overdue.
TEST_F(ExportAbi, TheLedgerShowsTheDayAnOverdueDeadlineWasEscalated) {
    ASSERT_EQ(str(export_call("task.deadline.set", Req()
                                                       .s("task", "33")
                                                       .s("actor", kOffice)
                                                       .s("due", "2019-10-31")
                                                       .s("reason", "按省院要求限期完成")
                                                       .str()),
                  "outcome"),
              "ok");
    // Tuesday 2019-11-12: eight working days past 2019-10-31.
    const Doc swept = export_call("notify.sweep", "{}");
    ASSERT_EQ(num(swept, "task_escalations"), 1) << dump(swept);
    const Doc book = ledger_book();
    const Val& heading = arr(arr(book, "sheets")[1], "rows")[1];
    ASSERT_EQ(str(heading[8], "v"), "升级日期");
    const Val& t33 = task_row(book, "33");
    EXPECT_EQ(t33[7]["v"].GetInt(), 8) << "逾期工作日";
    EXPECT_EQ(str(t33[8], "v").substr(0, 10), "2019-11-12") << "escalated by today's sweep";
    const Val& t27 = task_row(book, "27");
    EXPECT_TRUE(at(t27[8], "v").IsNull()) << "task 27 has no deadline to escalate";
}

TEST_F(ExportAbi, TheSummarySheetCountsStatusesAndDepartments) {
    const Doc book = ledger_book();
    const Val& summary = sheet(book, "汇总");
    const Val& rows = arr(summary, "rows");
    EXPECT_NE(std::string(rows[0][0]["v"].GetString()).find("工作台账"), std::string::npos);
    EXPECT_NE(std::string(rows[1][0]["v"].GetString()).find("2019年10月"), std::string::npos);
    EXPECT_NE(std::string(rows[1][0]["v"].GetString()).find("任务总数：45"), std::string::npos);
    const Val& heading = rows[2];
    EXPECT_EQ(str(heading[0], "v"), "部门");
    EXPECT_EQ(str(heading[3], "v"), "牵头·已归档");
    const Val& total = rows[rows.Size() - 1];
    EXPECT_EQ(str(total[0], "v"), "全部任务");
    EXPECT_EQ(total[1]["v"].GetInt(), 45);
    EXPECT_EQ(total[3]["v"].GetInt(), 1) << "one task filed";
    EXPECT_EQ(str(total[3], "fill"), "C6EFCE");
    EXPECT_EQ(str(summary, "freeze"), "A4");
    // The filter covers the departments, not the total.
    const std::string filter = str(summary, "filter");
    EXPECT_EQ(filter.substr(filter.find(':') + 2), std::to_string(rows.Size() - 1)) << filter;
}

TEST_F(ExportAbi, WithoutAPathTheDocumentComesBackInlineWithTheSameHash) {
    const Doc r =
        export_call("export.ledger", Req().s("user", kOffice).s("period", "2019-10").str());
    ASSERT_EQ(str(r, "outcome"), "ok") << dump(r).substr(0, 300);
    EXPECT_TRUE(at(r, "path").IsNull());
    const std::string name = str(r, "file_name");
    EXPECT_EQ(name.rfind("台账-", 0), 0u) << name;
    EXPECT_EQ(name.substr(name.size() - 13), "-2019-10.xlsx") << name;
    const std::string bytes = decode_base64(str(r, "content_base64"));
    EXPECT_EQ(bytes.size(), static_cast<std::size_t>(at(r, "size").GetUint64()));
    EXPECT_EQ(sha256_hex(bytes), str(r, "sha256"));
    const std::string path = out_.file("inline.xlsx");
    rl::test::write_file(path, bytes);
    EXPECT_EQ(str(arr(rl::test::office_dump(path), "sheets")[0], "name"), "汇总");
}

TEST_F(ExportAbi, TheBulletinIsAWordFileWithTotalsDepartmentsOverdueUrgesAndNotices) {
    const std::string path = out_.file("通报.docx");
    const Doc r = export_call(
        "export.bulletin", Req().s("user", kOffice).s("period", "2019-10").s("path", path).str());
    ASSERT_EQ(str(r, "outcome"), "ok") << dump(r);
    EXPECT_EQ(str(r, "format"), "docx");
    const Val& totals = at(r, "totals");
    EXPECT_EQ(num(totals, "on_time"), 1);
    EXPECT_EQ(num(totals, "late"), 1);
    EXPECT_EQ(num(totals, "urges"), 1);
    EXPECT_EQ(num(totals, "notices"), 1);
    EXPECT_EQ(num(totals, "due"), 148) << "the seed's 148 assignments each owe";
    EXPECT_EQ(num(totals, "missing"), 146);
    EXPECT_EQ(sha256_hex(rl::test::read_file(path)), str(r, "sha256"));

    const Doc doc = rl::test::office_dump(path);
    EXPECT_EQ(str(doc, "title"), "司法改革任务落实情况通报（2019年10月）");
    std::vector<std::string> paragraphs;
    for (const auto& p : arr(doc, "paragraphs").GetArray()) {
        paragraphs.push_back(str(p, "text"));
    }
    ASSERT_GE(paragraphs.size(), 4u);
    EXPECT_EQ(paragraphs[0], "司法改革任务落实情况通报（2019年10月）");
    EXPECT_EQ(str(arr(doc, "paragraphs")[0], "style"), "Title");
    bool totals_line = false;
    for (const auto& p : paragraphs) {
        totals_line =
            totals_line || p.find("应报送工作进展148项，按时报送1项，逾期报送1项，未报送146项") !=
                               std::string::npos;
    }
    EXPECT_TRUE(totals_line);
    EXPECT_EQ(str(at(doc, "fonts"), "eastAsia"), "仿宋");
    const Val& tables = arr(doc, "tables");
    ASSERT_EQ(tables.Size(), 5u);
    // Departments: 行政庭 filed on time, 民庭 late.
    bool xingting = false, minting = false;
    for (const auto& row : tables[0].GetArray()) {
        const std::string name = row[0].GetString();
        if (name == "行政庭（综合审判庭）") {
            xingting = true;
            EXPECT_STREQ(row[2].GetString(), "1") << "行政庭 on time";
        }
        if (name == "民庭") {
            minting = true;
            EXPECT_STREQ(row[3].GetString(), "1") << "民庭 late";
        }
    }
    EXPECT_TRUE(xingting && minting);
    EXPECT_STREQ(tables[0][tables[0].Size() - 1][0].GetString(), "合计");
    // Urges: 技术科 on task 33, by the reform office's head (by name).
    const Val& urges = tables[2];
    ASSERT_EQ(urges.Size(), 2u);
    EXPECT_STREQ(urges[1][0].GetString(), "技术科");
    EXPECT_STREQ(urges[1][3].GetString(), "2019-11-08");
    EXPECT_STREQ(urges[1][5].GetString(), "请尽快报送。");
    const Val& notices = tables[3];
    ASSERT_EQ(notices.Size(), 2u);
    EXPECT_STREQ(notices[1][1].GetString(), "执行指挥中心");
    EXPECT_STREQ(notices[1][5].GetString(), "未答复");
    // 六、部门考评: the ranked table scores.period gives, one row per department.
    const Doc scores = export_call("scores.period", Req().s("period", "2019-10").str());
    const Val& ranked = arr(scores, "departments");
    const Val& table = tables[4];
    ASSERT_EQ(table.Size(), ranked.Size() + 1) << "a heading and one row per department";
    EXPECT_STREQ(table[0][0].GetString(), "名次");
    EXPECT_STREQ(table[0][2].GetString(), "得分");
    EXPECT_STREQ(table[1][1].GetString(), str(ranked[0], "department").c_str());
    EXPECT_STREQ(table[1][0].GetString(), std::to_string(num(ranked[0], "rank")).c_str());
}

// Word and WPS refuse what LibreOffice and python-docx forgive (elements out
// of the schema's order, cells without a paragraph, a grid that does not
// match its rows, parts without content types or relationships, characters
// XML 1.0 does not allow): tests/support/ooxml_check.py checks the real
// exports for each, with an urge note and a notice text carrying control
// characters as text pasted from other programs does.
TEST_F(ExportAbi, TheBulletinAndTheLedgerKeepTheRulesWordWpsAndExcelEnforce) {
    const Doc urged = parse_json(host_.call("urge", Req()
                                                        .s("task", "33")
                                                        .s("department", "技术科")
                                                        .s("period", "2019-10")
                                                        .s("actor", kOffice)
                                                        .s("note", "请尽快\v报送\x01。")
                                                        .str()));
    ASSERT_EQ(str(urged, "outcome"), "ok") << dump(urged);
    const Doc issued =
        parse_json(host_.call("supervision.issue", Req()
                                                       .s("task", "33")
                                                       .s("department", "技术科")
                                                       .s("actor", kOffice)
                                                       .s("content", "请报送\f制度\x1f文本。")
                                                       .str()));
    ASSERT_EQ(str(issued, "outcome"), "ok") << dump(issued);

    const std::string bulletin = out_.file("通报.docx");
    const Doc b =
        export_call("export.bulletin",
                    Req().s("user", kOffice).s("period", "2019-10").s("path", bulletin).str());
    ASSERT_EQ(str(b, "outcome"), "ok") << dump(b);
    EXPECT_EQ(rl::test::ooxml_violations(bulletin), "");
    const Doc doc = rl::test::office_dump(bulletin);
    bool note = false;
    for (const auto& row : arr(doc, "tables")[2].GetArray()) {
        note = note || std::string(row[5].GetString()) == "请尽快\n报送。";
    }
    EXPECT_TRUE(note) << "the urge note's vertical tab is a line break, its U+0001 left out";

    const std::string ledger = out_.file("台账.xlsx");
    const Doc l = export_call(
        "export.ledger", Req().s("user", kOffice).s("period", "2019-10").s("path", ledger).str());
    ASSERT_EQ(str(l, "outcome"), "ok") << dump(l);
    EXPECT_EQ(rl::test::ooxml_violations(ledger), "");
}

// A closed task shows 已办结 and is green in the 台账; closed by its deadline,
// it counts for its lead department in the bulletin's 部门考评.
TEST_F(ExportAbi, ExportsShowATaskClosedByItsDeadline) {
    const std::string xzt = "行政庭（综合审判庭）";
    ASSERT_EQ(str(export_call("task.deadline.set", Req()
                                                       .s("task", "27")
                                                       .s("actor", kOffice)
                                                       .s("due", "2019-12-31")
                                                       .s("reason", "年底前完成")
                                                       .str()),
                  "outcome"),
              "ok");
    const auto close = [&](const std::string& action, const std::string& actor,
                           const std::string& content = "") {
        const Doc t = export_call("task.get", Req().s("task", "27").str());
        Req r;
        r.s("task", "27").s("action", action).s("actor", actor);
        const Val& c = at(at(t, "task"), "closure");
        if (c.IsObject()) {
            r.i("version", num(c, "version"));
        }
        if (!content.empty()) {
            r.raw("content", content);
        }
        const Doc d = export_call("task.close", r.str());
        ASSERT_EQ(str(d, "outcome"), "ok") << action << " by " << actor << ": " << dump(d);
    };
    close("save_draft", "u-xingzhengting-contact",
          Req().s("final_report", "司法救助制度修订并施行。").str());
    close("submit", "u-xingzhengting-contact");
    close("approve", "u-xingzhengting-head");
    close("approve", "u-vp-trial");
    close("file", kOffice);

    const Doc book = ledger_book();
    const Val& t27 = task_row(book, "27");
    EXPECT_EQ(str(t27[4], "v").substr(0, 10), "2019-12-31") << "the deadline in force";
    EXPECT_EQ(str(t27[6], "v"), "已办结");
    EXPECT_EQ(str(t27[6], "fill"), "C6EFCE");
    EXPECT_EQ(str(t27[9], "v"), "绿灯");

    const std::string bulletin = out_.file("bulletin.docx");
    ASSERT_EQ(
        str(export_call("export.bulletin",
                        Req().s("user", kOffice).s("period", "2019-10").s("path", bulletin).str()),
            "outcome"),
        "ok");
    const Doc doc = rl::test::office_dump(bulletin);
    const Val& scores = arr(doc, "tables")[4];
    bool found = false;
    for (const auto& row : scores.GetArray()) {
        if (std::string(row[1].GetString()) == xzt) {
            found = true;
            EXPECT_STREQ(row[8].GetString(), "1") << "按期办结";
        }
    }
    EXPECT_TRUE(found) << xzt << " has no score row";
}

TEST_F(ExportAbi, ExportsWriteNothingToTheLedger) {
    const int audit = rows("audit_log");
    const int obligations = rows("obligations");
    export_call("export.ledger", Req().s("user", kOffice).s("period", "2019-09").str());
    export_call("export.bulletin", Req().s("user", kOffice).s("period", "2019-09").str());
    EXPECT_EQ(rows("audit_log"), audit);
    EXPECT_EQ(rows("obligations"), obligations) << "exporting September opened it";
}

TEST_F(ExportAbi, AnExistingFileIsKeptUnlessForced) {
    const std::string path = out_.file("ledger.xlsx");
    rl::test::write_file(path, "not ours");
    std::string message;
    EXPECT_EQ(status_of(
                  [&] {
                      host_.call("export.ledger",
                                 Req().s("period", "2019-10").s("path", path).str());
                  },
                  &message),
              RL_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(contains(message, "exists already")) << message;
    EXPECT_TRUE(contains(message, "force")) << message;
    EXPECT_EQ(rl::test::read_file(path), "not ours");
    EXPECT_EQ(files_in(out_.path()).size(), 1u);
    const Doc r = export_call(
        "export.ledger", Req().s("period", "2019-10").s("path", path).raw("force", "true").str());
    ASSERT_EQ(str(r, "outcome"), "ok");
    EXPECT_EQ(sha256_hex(rl::test::read_file(path)), str(r, "sha256"));
    EXPECT_EQ(files_in(out_.path()).size(), 1u);
}

TEST_F(ExportAbi, BadInputIsRefusedNamingItAndLeavesNoFile) {
    const std::string path = out_.file("b.docx");
    const auto refused = [&](const std::string& method, const std::string& request,
                             rl_status expected, const std::string& words) {
        std::string message;
        EXPECT_EQ(status_of([&] { host_.call(method, request); }, &message), expected) << request;
        EXPECT_TRUE(contains(message, words)) << request << " → " << message;
    };
    refused("export.bulletin", Req().s("period", "2019-13").s("path", path).str(),
            RL_ERR_INVALID_ARGUMENT, "'2019-13' is not a period");
    refused("export.bulletin", Req().s("period", "2031-05").s("path", path).str(),
            RL_ERR_INVALID_ARGUMENT, "outside the years of plan");
    refused("export.bulletin", Req().s("path", path).str(), RL_ERR_INVALID_ARGUMENT, "period");
    refused("export.bulletin",
            Req().s("period", "2019-10").s("path", out_.file("no/such/dir.docx")).str(),
            RL_ERR_INVALID_ARGUMENT, "does not exist");
    refused("export.ledger", Req().s("path", out_.path()).str(), RL_ERR_INVALID_ARGUMENT,
            "is a directory");
    refused("export.ledger", Req().s("format", "docx").s("path", path).str(),
            RL_ERR_INVALID_ARGUMENT, "format");
    refused("export.ledger", Req().s("user", "u-nobody").s("path", path).str(), RL_ERR_NOT_FOUND,
            "u-nobody");
    refused("export.ledger", Req().s("colour", "red").str(), RL_ERR_INVALID_ARGUMENT, "colour");
    EXPECT_TRUE(files_in(out_.path()).empty());
}

TEST_F(ExportAbi, APersonWhoMayNotReadEveryDepartmentIsRefusedAndNothingIsWritten) {
    const std::string path = out_.file("ledger.xlsx");
    for (const auto& method : {"export.ledger", "export.bulletin"}) {
        const Doc r = export_call(
            method,
            Req().s("user", "u-xingting-contact").s("period", "2019-10").s("path", path).str());
        EXPECT_EQ(str(r, "outcome"), "not_permitted") << dump(r);
        EXPECT_TRUE(contains(str(r, "message"), "may not read the reports")) << dump(r);
    }
    EXPECT_TRUE(files_in(out_.path()).empty());
}

}  // namespace
