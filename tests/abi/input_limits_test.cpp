// No input crashes or exhausts the host: the real plugin (dlopen, real SQLite
// files) against requests a careless or hostile caller sends. JSON nested
// 200,000 deep is refused without recursion (also on a thread with a small
// stack); a request over its size, with a NUL inside its length or with a
// lone surrogate is refused; every text field has its limit, evidence links
// are http(s) and counted, numbers, dates and periods are bounded; invalid
// base64 is an error naming its offset, never a silent cut; a plan over the
// task limit is refused whole; error messages never carry raw request bytes.
// Each refusal is a clear error (or a business outcome with field errors) and
// changes nothing in the database.
#include <gtest/gtest.h>

#include <pthread.h>

#include <climits>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "abi_test_helpers.h"
#include "plugin_host.h"
#include "reform_ledger.h"
#include "support/test_support.h"

using oa_stub::PluginError;
using oa_stub::PluginHost;
using rl::test::TempDir;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)

const char* const kOffice = "u-sigaiban-head";
const char* const kContact = "u-xingting-contact";

// The plugin configuration with "limits": {limits_json} added.
std::string config_with_limits(const std::string& db, const std::string& limits_json) {
    std::string config = rl::test::plugin_config(db);
    config.insert(config.size() - 1, ",\"limits\":" + limits_json);
    return config;
}

std::string repeat(const std::string& s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) {
        out += s;
    }
    return out;
}

std::string base64(const std::string& bytes) {
    static const char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (i + 1 == bytes.size()) {
        const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        out += std::string{kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == bytes.size()) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out += std::string{kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63],
                           kAlphabet[(v >> 6) & 63], '='};
    }
    return out;
}

// Valid UTF-8 with no C0/C1 control and no bidirectional formatting character.
::testing::AssertionResult printable(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t n = b < 0x80         ? 1
                        : (b >> 5) == 6  ? 2
                        : (b >> 4) == 14 ? 3
                        : (b >> 3) == 30 ? 4
                                         : 0;
        if (n == 0 || i + n > s.size()) {
            return ::testing::AssertionFailure() << "invalid UTF-8 at byte " << i << ": " << s;
        }
        char32_t c = n == 1 ? b : b & (0x7F >> n);
        for (std::size_t k = 1; k < n; ++k) {
            const auto cont = static_cast<unsigned char>(s[i + k]);
            if ((cont & 0xC0) != 0x80) {
                return ::testing::AssertionFailure() << "invalid UTF-8 at byte " << i + k;
            }
            c = (c << 6) | (cont & 0x3F);
        }
        const bool overlong =
            (n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000);
        if (overlong || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
            return ::testing::AssertionFailure() << "invalid UTF-8 at byte " << i;
        }
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
            (c >= 0x2066 && c <= 0x2069)) {
            return ::testing::AssertionFailure()
                   << "control character U+" << std::hex << static_cast<unsigned>(c) << " at byte "
                   << std::dec << i << ": " << s;
        }
        i += n;
    }
    return ::testing::AssertionSuccess();
}

class InputLimitsAbi : public ::testing::Test {
protected:
    void open(const std::string& limits_json = "") {
        db_ = dir_.file("ledger.db");
        open_plugin(host_, kNov8,
                    limits_json.empty() ? rl::test::plugin_config(db_)
                                        : config_with_limits(db_, limits_json));
        // October 2019's obligations exist, as in a running court: naming the
        // month in a refused call is then no excuse for writing anything.
        host_.call("inbox", Req().s("user", kContact).s("period", "2019-10").str());
    }
    void SetUp() override { open(); }

    // Row counts of every table a call could write, for "nothing changed".
    std::string written() const {
        std::string out;
        for (const char* table :
             {"plans", "tasks", "task_items", "assignments", "obligations", "reports",
              "report_versions", "audit_log", "urges", "supervision_notices", "notifications",
              "escalations", "instructions", "instruction_answers", "reading_items"}) {
            out += std::string(table) + "=" +
                   rl::test::sql_rows(db_, std::string("SELECT count(*) FROM ") + table, true)
                       .at(0)
                       .at(0) +
                   " ";
        }
        return out;
    }

    // Calls, expects RL_ERR_INVALID_ARGUMENT, returns the message.
    std::string refused(const std::string& method, const std::string& request,
                        rl_status expected = RL_ERR_INVALID_ARGUMENT) {
        std::string message;
        const rl_status status = status_of([&] { host_.call(method, request); }, &message);
        EXPECT_EQ(status, expected) << method << " " << request.substr(0, 200) << " → " << message;
        EXPECT_TRUE(printable(message));
        return message;
    }

    std::string draft_request(const std::string& content_json) const {
        return Req()
            .s("action", "save_draft")
            .s("actor", kContact)
            .s("task", "33")
            .s("department", "刑庭")
            .s("period", "2019-10")
            .raw("content", content_json)
            .str();
    }

    TempDir dir_;
    std::string db_;
    PluginHost host_;
};

// ------------------------------------------------------------ JSON depth

std::string nested_arrays(std::size_t depth) {
    return "{\"x\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
}

TEST_F(InputLimitsAbi, TwoHundredThousandNestedArraysAreRefusedNamingTheDepthLimit) {
    const std::string before = written();
    const std::string message = refused("plugin.info", std::string(200000, '['));
    EXPECT_TRUE(contains(message, "nested more than 64 levels")) << message;
    EXPECT_TRUE(contains(message, "limits.json_depth")) << message;
    const std::string closed = refused("report.act", nested_arrays(200000));
    EXPECT_TRUE(contains(closed, "nested more than 64 levels")) << closed;
    EXPECT_EQ(written(), before);
    // The instance is unharmed.
    EXPECT_TRUE(contains(host_.call("plugin.info"), "reform-ledger"));
}

// The deep request once overflowed the stack: parse it on a thread whose stack
// is 256 KiB, far too small for a parser that recurses once per level.
struct DeepCall {
    PluginHost* host;
    std::string request;
    rl_status status = RL_OK;
    std::string message;
};

void* call_deep(void* arg) {
    auto* call = static_cast<DeepCall*>(arg);
    call->status =
        status_of([&] { call->host->call("plugin.info", call->request); }, &call->message);
    return nullptr;
}

TEST_F(InputLimitsAbi, DeepNestingIsRefusedOnAThreadWithASmallStack) {
    for (const std::string& request :
         {std::string(200000, '['), nested_arrays(200000), "{\"a\":" + repeat("{\"a\":", 200000)}) {
        DeepCall call{&host_, request, RL_OK, ""};
        pthread_attr_t attributes;
        ASSERT_EQ(pthread_attr_init(&attributes), 0);
        ASSERT_EQ(pthread_attr_setstacksize(&attributes, 256 * 1024), 0);
        pthread_t thread;
        ASSERT_EQ(pthread_create(&thread, &attributes, &call_deep, &call), 0);
        pthread_join(thread, nullptr);
        pthread_attr_destroy(&attributes);
        EXPECT_EQ(call.status, RL_ERR_INVALID_ARGUMENT) << call.message;
        EXPECT_TRUE(contains(call.message, "nested more than 64 levels")) << call.message;
    }
}

TEST_F(InputLimitsAbi, NestingUpToTheLimitIsParsedAndTheConfiguredLimitHolds) {
    // {"x": [[…]]} with 63 arrays is 64 levels: parsed, then refused for its key.
    const std::string at_limit = refused("plugin.info", nested_arrays(63));
    EXPECT_TRUE(contains(at_limit, "unknown key")) << at_limit;
    const std::string over = refused("plugin.info", nested_arrays(64));
    EXPECT_TRUE(contains(over, "nested more than 64 levels")) << over;

    PluginHost tight;
    TempDir dir;
    tight.set_clock(kNov8);
    tight.load(RL_PLUGIN_PATH);
    tight.create(config_with_limits(dir.file("ledger.db"), "{\"json_depth\": 8}"));
    std::string message;
    EXPECT_EQ(status_of([&] { tight.call("plugin.info", nested_arrays(8)); }, &message),
              RL_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(contains(message, "nested more than 8 levels")) << message;
}

// ------------------------------------------------------------ request bytes

TEST_F(InputLimitsAbi, ARequestOverTheSizeLimitIsRefusedNamingItsSizeAndTheLimit) {
    PluginHost small;
    TempDir dir;
    const std::string db = dir.file("ledger.db");
    open_plugin(small, kNov8, config_with_limits(db, "{\"request_bytes\": 1024}"));
    const std::string request = Req()
                                    .s("task", "33")
                                    .s("department", "刑庭")
                                    .s("period", "2019-10")
                                    .s("note", repeat("催", 400))
                                    .str();
    ASSERT_GT(request.size(), 1024u);
    std::string message;
    EXPECT_EQ(status_of([&] { small.call("urge", request); }, &message), RL_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(contains(message, std::to_string(request.size()) + " bytes")) << message;
    EXPECT_TRUE(contains(message, "limits.request_bytes")) << message;
    EXPECT_EQ(rl::test::sql_rows(db, "SELECT count(*) FROM urges", true).at(0).at(0), "0");
}

TEST_F(InputLimitsAbi, ANulByteInsideTheRequestsLengthIsAnError) {
    const std::string before = written();
    const std::string trailing = refused("plugin.info", std::string("{}\0{\"x\":1}", 10));
    EXPECT_TRUE(contains(trailing, "NUL byte at byte 2")) << trailing;
    const std::string in_string =
        refused("obligations.list", std::string("{\"period\":\"2019-10\0zz\"}", 23));
    EXPECT_TRUE(contains(in_string, "NUL")) << in_string;
    // An escaped U+0000 is no better: no field holds one.
    const std::string escaped = refused("report.act", R"({"actor":"u-xingting-contact\u0000x"})");
    EXPECT_TRUE(contains(escaped, "U+0000")) << escaped;
    EXPECT_EQ(written(), before);
}

TEST_F(InputLimitsAbi, ALoneSurrogateEscapeIsNotTextAndIsRefused) {
    const std::string message = refused("ledger.tasks", R"({"department":"\udc00刑庭"})");
    EXPECT_TRUE(contains(message, "UTF-8")) << message;
    const std::string raw = refused("ledger.tasks", "{\"department\":\"\xed\xb0\x80\"}");
    EXPECT_TRUE(contains(raw, "byte")) << raw;
}

TEST_F(InputLimitsAbi, PluginInfoRefusesUnknownKeysAndEveryKeyGivenTwiceIsRefused) {
    const std::string unknown = refused("plugin.info", R"({"verbose": true})");
    EXPECT_TRUE(contains(unknown, "verbose")) << unknown;
    const std::string twice = refused("urge", Req()
                                                  .s("task", "33")
                                                  .s("department", "刑庭")
                                                  .s("period", "2019-10")
                                                  .s("actor", kOffice)
                                                  .s("actor", "u-xingting-head")
                                                  .str());
    EXPECT_TRUE(contains(twice, "actor")) << twice;
    EXPECT_TRUE(contains(twice, "twice")) << twice;
}

// ------------------------------------------------------------ messages

TEST_F(InputLimitsAbi, ErrorMessagesNeverCarryInvalidUtf8OrControlCharactersFromTheRequest) {
    std::string message;
    EXPECT_EQ(status_of([&] { host_.call("plan.\xff\xfe\x1b[2J\xe2\x80\xae", "{}"); }, &message),
              RL_ERR_UNKNOWN_METHOD);
    EXPECT_TRUE(printable(message));
    EXPECT_TRUE(contains(message, "unknown method 'plan.")) << message;

    const std::string key = refused("plan.list", R"({"\u001b[31mred\u202e": 1})");
    EXPECT_TRUE(contains(key, "\\u001B[31mred\\u202E")) << key;

    // A path is quoted by the file reader: the host still gets clean text.
    const std::string path = refused(
        "plan.parse", R"({"path": "/nonexistent/\u001b[2J\u202eplan\u0085.txt"})", RL_ERR_INPUT);
    EXPECT_TRUE(contains(path, "/nonexistent/")) << path;
}

TEST_F(InputLimitsAbi, AMessageQuotesAtMostAFewDozenCharactersOfAnInput) {
    std::string message;
    const std::string method(100000, 'm');
    EXPECT_EQ(status_of([&] { host_.call(method, "{}"); }, &message), RL_ERR_UNKNOWN_METHOD);
    EXPECT_TRUE(contains(message, std::string(64, 'm') + "\u2026")) << message.substr(0, 200);
    EXPECT_FALSE(contains(message, std::string(65, 'm')));
    const std::string key = refused("plan.list", "{" + q(std::string(5000, 'k')) + ":1}");
    EXPECT_TRUE(contains(key, std::string(64, 'k') + "\u2026")) << key.substr(0, 200);
    EXPECT_FALSE(contains(key, std::string(65, 'k')));
}

// ------------------------------------------------------------ text fields

TEST_F(InputLimitsAbi, ATwentyMillionCharacterReasonIsRefusedNamingTheFieldAndTheLimit) {
    const std::string before = written();
    const std::string request = Req()
                                    .s("action", "save_draft")
                                    .s("actor", kContact)
                                    .s("task", "33")
                                    .s("department", "刑庭")
                                    .s("period", "2019-10")
                                    .s("reason", std::string(20000000, 'r'))
                                    .str();
    const std::string message = refused("report.act", request);
    EXPECT_TRUE(contains(message, "reason")) << message;
    EXPECT_TRUE(contains(message, "20000000 characters")) << message;
    EXPECT_TRUE(contains(message, "limits.note_chars")) << message;
    EXPECT_EQ(written(), before);
}

TEST_F(InputLimitsAbi, EveryNoteLikeFieldIsLimitedInCharactersNotBytes) {
    const std::string at_limit = repeat("由", 2000);  // 6000 bytes, 2000 characters
    const std::string over = repeat("由", 2001);
    struct Case {
        const char* method;
        std::function<std::string(const std::string&)> request;
        const char* field;
    };
    const Case cases[] = {
        {"report.act",
         [](const std::string& t) {
             return Req()
                 .s("action", "return")
                 .s("actor", "u-xingting-head")
                 .s("task", "33")
                 .s("department", "刑庭")
                 .s("period", "2019-10")
                 .s("reason", t)
                 .str();
         },
         "reason"},
        {"report.act",
         [](const std::string& t) {
             return Req()
                 .s("action", "approve")
                 .s("actor", "u-xingting-head")
                 .s("task", "33")
                 .s("department", "刑庭")
                 .s("period", "2019-10")
                 .s("opinion", t)
                 .str();
         },
         "opinion"},
        {"report.waive",
         [](const std::string& t) {
             return Req()
                 .s("actor", kOffice)
                 .s("task", "33")
                 .s("department", "民庭")
                 .s("period", "2019-10")
                 .s("reason", t)
                 .str();
         },
         "reason"},
        {"urge",
         [](const std::string& t) {
             return Req()
                 .s("actor", kOffice)
                 .s("task", "33")
                 .s("department", "刑庭")
                 .s("period", "2019-10")
                 .s("note", t)
                 .str();
         },
         "note"},
        {"urge.bulk",
         [](const std::string& t) {
             return Req().s("actor", kOffice).s("department", "刑庭").s("note", t).str();
         },
         "note"},
        {"supervision.issue",
         [](const std::string& t) {
             return Req()
                 .s("actor", kOffice)
                 .s("task", "33")
                 .s("department", "刑庭")
                 .s("content", t)
                 .str();
         },
         "content"},
        {"supervision.answer",
         [](const std::string& t) {
             return Req().s("actor", kContact).s("notice", "督办〔2019〕1号").s("answer", t).str();
         },
         "answer"},
        {"instruction.write",
         [](const std::string& t) {
             return Req()
                 .s("actor", "u-president")
                 .s("task", "33")
                 .raw("departments", "[\"刑庭\"]")
                 .s("content", t)
                 .str();
         },
         "content"},
        {"instruction.answer",
         [](const std::string& t) {
             return Req()
                 .s("actor", kContact)
                 .s("instruction", "批示〔2019〕1号")
                 .s("answer", t)
                 .str();
         },
         "answer"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.method) + " " + c.field);
        const std::string before = written();
        const std::string message = refused(c.method, c.request(over));
        EXPECT_TRUE(contains(message, c.field)) << message;
        EXPECT_TRUE(contains(message, "2001 characters")) << message;
        EXPECT_TRUE(contains(message, "limits.note_chars")) << message;
        EXPECT_EQ(written(), before);
        // At the limit the field is no reason to refuse (the call may still say no).
        const rl_status status = status_of([&] { host_.call(c.method, c.request(at_limit)); });
        EXPECT_TRUE(status == RL_OK || status == RL_ERR_NOT_FOUND) << status;
    }
}

TEST_F(InputLimitsAbi, IdsNamesAndKeysAreLimitedToNameChars) {
    const std::string long_id = repeat("u", 201);
    const std::string before = written();
    for (const auto& [method, request] : std::vector<std::pair<std::string, std::string>>{
             {"report.act", Req()
                                .s("action", "save_draft")
                                .s("actor", long_id)
                                .s("task", "33")
                                .s("department", "刑庭")
                                .s("period", "2019-10")
                                .str()},
             {"ledger.tasks", Req().s("department", repeat("庭", 201)).str()},
             {"inbox", Req().s("user", long_id).str()},
             {"obligations.list", Req().s("task", repeat("3", 201)).str()},
             {"ledger.summary", Req().s("plan", repeat("计", 201)).str()},
         }) {
        const std::string message = refused(method, request);
        EXPECT_TRUE(contains(message, "201 characters")) << message;
        EXPECT_TRUE(contains(message, "limits.name_chars")) << message;
    }
    EXPECT_EQ(written(), before);
}

TEST_F(InputLimitsAbi, ReportTextFieldsOverTheLimitAreFieldErrorsAndNothingIsStored) {
    const std::string before = written();
    const Doc d = parse_json(host_.call(
        "report.act",
        draft_request(
            Req().s("progress_summary", repeat("进", 20001)).i("percent_complete", 10).str())));
    EXPECT_EQ(str(d, "outcome"), "invalid");
    const std::string errors = dump(arr(d, "field_errors"));
    EXPECT_TRUE(contains(errors, "progress_summary")) << errors;
    EXPECT_TRUE(contains(errors, "20001 characters")) << errors;
    EXPECT_EQ(written(), before);
}

TEST_F(InputLimitsAbi,
       TwoHundredThousandJavascriptEvidenceLinksAreOneFieldErrorAndNothingIsStored) {
    const std::string entry = Req().s("name", "x").s("url", "javascript:alert(1)").str();
    std::string list = "[";
    for (int i = 0; i < 200000; ++i) {
        list += (i == 0 ? "" : ",") + entry;
    }
    list += "]";
    const std::string before = written();
    const Doc d =
        parse_json(host_.call("report.act", draft_request(Req()
                                                              .s("progress_summary", "进展")
                                                              .i("percent_complete", 10)
                                                              .raw("evidence", list)
                                                              .str())));
    EXPECT_EQ(str(d, "outcome"), "invalid");
    const Val& errors = arr(d, "field_errors");
    ASSERT_EQ(errors.Size(), 1u) << dump(errors).substr(0, 500);
    EXPECT_EQ(str(errors[0], "field"), "evidence");
    EXPECT_TRUE(contains(str(errors[0], "message"), "200000")) << dump(errors);
    EXPECT_EQ(written(), before);
}

TEST_F(InputLimitsAbi, EvidenceLinksMustBeHttpOrHttps) {
    const std::string before = written();
    for (const char* url :
         {"javascript:alert(document.cookie)", "data:text/html,<script>x</script>",
          "file:///etc/passwd", "oa://files/1", "https://oa.court.local/\u202Egpj.exe"}) {
        const Doc d = parse_json(host_.call(
            "report.act",
            draft_request(
                Req()
                    .s("progress_summary", "进展")
                    .i("percent_complete", 10)
                    .raw("evidence", "[" + Req().s("name", "材料").s("url", url).str() + "]")
                    .str())));
        EXPECT_EQ(str(d, "outcome"), "invalid") << url;
        EXPECT_TRUE(contains(dump(arr(d, "field_errors")), "evidence[0].url")) << url;
    }
    EXPECT_EQ(written(), before);
    const Doc ok = parse_json(host_.call(
        "report.act",
        draft_request(
            Req()
                .s("progress_summary", "进展")
                .i("percent_complete", 10)
                .raw("evidence",
                     "[" +
                         Req().s("name", "材料").s("url", "https://oa.court.local/files/1").str() +
                         "]")
                .str())));
    EXPECT_EQ(str(ok, "outcome"), "ok") << dump(ok);
}

TEST_F(InputLimitsAbi, ConfiguredTextAndEvidenceLimitsAreTheOnesApplied) {
    PluginHost tight;
    TempDir dir;
    const std::string db = dir.file("ledger.db");
    open_plugin(tight, kNov8,
                config_with_limits(db, "{\"text_chars\": 100, \"evidence_entries\": 2}"));
    const std::string evidence = "[" + Req().s("name", "a").s("url", "https://x.local/a").str() +
                                 "," + Req().s("name", "b").str() + "," +
                                 Req().s("name", "c").str() + "]";
    const Doc d = parse_json(
        tight.call("report.act", draft_request(Req()
                                                   .s("progress_summary", repeat("进", 101))
                                                   .i("percent_complete", 10)
                                                   .raw("evidence", evidence)
                                                   .str())));
    EXPECT_EQ(str(d, "outcome"), "invalid");
    const std::string errors = dump(arr(d, "field_errors"));
    EXPECT_TRUE(contains(errors, "101 characters")) << errors;
    EXPECT_TRUE(contains(errors, "has 3 entries")) << errors;
    EXPECT_EQ(rl::test::sql_rows(db, "SELECT count(*) FROM reports", true).at(0).at(0), "0");
}

// ------------------------------------------------------------ numbers, dates, periods

TEST_F(InputLimitsAbi, DueWorkingDaysNearIntMaxIsRefusedAndNothingIsIssued) {
    const std::string before = written();
    for (int days : {INT_MAX, INT_MAX - 1, 251, 0, -5}) {
        const std::string message = refused("supervision.issue", Req()
                                                                     .s("actor", kOffice)
                                                                     .s("task", "33")
                                                                     .s("department", "刑庭")
                                                                     .s("content", "请报送。")
                                                                     .i("due_working_days", days)
                                                                     .str());
        EXPECT_TRUE(contains(message, "due_working_days")) << message;
        EXPECT_TRUE(contains(message, "1 to 250")) << message;
    }
    EXPECT_EQ(written(), before);
    const Doc issued = parse_json(host_.call("supervision.issue", Req()
                                                                      .s("actor", kOffice)
                                                                      .s("task", "33")
                                                                      .s("department", "刑庭")
                                                                      .s("content", "请报送。")
                                                                      .i("due_working_days", 250)
                                                                      .str()));
    EXPECT_EQ(str(issued, "outcome"), "ok") << dump(issued);
}

TEST_F(InputLimitsAbi, DatesOutsideTheYearsTheCourtUsesAreRefused) {
    const std::string before = written();
    EXPECT_TRUE(contains(refused("supervision.issue", Req()
                                                          .s("actor", kOffice)
                                                          .s("task", "33")
                                                          .s("department", "刑庭")
                                                          .s("content", "请报送。")
                                                          .s("due_date", "9999-12-31")
                                                          .str()),
                         "due_date"));
    EXPECT_TRUE(contains(refused("calendar.day", Req().s("date", "0001-01-01").str()), "1900"));
    EXPECT_TRUE(contains(
        refused("calendar.workdays", Req().s("from", "2019-10-01").s("to", "9999-12-31").str()),
        "2199"));
    EXPECT_EQ(written(), before);
}

TEST_F(InputLimitsAbi, AVersionBelowZeroIsRefused) {
    const std::string message = refused("report.act", Req()
                                                          .s("action", "submit")
                                                          .s("actor", kContact)
                                                          .s("task", "33")
                                                          .s("department", "刑庭")
                                                          .s("period", "2019-10")
                                                          .i("version", -1)
                                                          .str());
    EXPECT_TRUE(contains(message, "version")) << message;
}

TEST_F(InputLimitsAbi, APeriodOutsideThePlansYearsIsRefusedAndSetsUpNothing) {
    // The seed plan is about 2019 (its preamble: 深入推进2019年…): 2017-01 … 2021-12.
    const std::string before = written();
    for (const char* period : {"0001-01", "1999-12", "2016-12", "2022-01", "9999-Q4"}) {
        SCOPED_TRACE(period);
        for (const std::string& message :
             {refused("report.act", Req()
                                        .s("action", "save_draft")
                                        .s("actor", kContact)
                                        .s("task", "33")
                                        .s("department", "刑庭")
                                        .s("period", period)
                                        .str()),
              refused("urge", Req()
                                  .s("actor", kOffice)
                                  .s("task", "33")
                                  .s("department", "刑庭")
                                  .s("period", period)
                                  .str()),
              refused("inbox", Req().s("user", kContact).s("period", period).str())}) {
            EXPECT_TRUE(contains(message, "period")) << message;
            EXPECT_TRUE(contains(message, "2019")) << message;
            EXPECT_TRUE(contains(message, "2017-01 to 2021-12")) << message;
        }
    }
    EXPECT_EQ(written(), before);
    // A later sweep sets up no ancient months either.
    host_.call("notify.sweep");
    EXPECT_EQ(
        rl::test::sql_rows(db_, "SELECT count(*) FROM obligations WHERE period < '2017'", true)
            .at(0)
            .at(0),
        "0");
    // Within the window a period is taken.
    host_.call("inbox", Req().s("user", kContact).s("period", "2021-12").str());
    host_.call("inbox", Req().s("user", kContact).s("period", "2017-Q1").str());
}

// ------------------------------------------------------------ plans

TEST_F(InputLimitsAbi, InvalidBase64IsAnErrorNamingTheOffsetAndNothingIsImported) {
    const std::string good = base64(rl::test::seed_plan_text());
    struct Case {
        std::string encoded;
        std::string expect;
    };
    std::string bad_char = good;
    bad_char[1000] = '*';
    std::string cut = good.substr(0, 4001);  // cut inside a group, no padding
    const Case cases[] = {
        {bad_char, "'*' at offset 1000"},
        {good.substr(0, 2000) + "!" + good.substr(2000), "'!' at offset 2000"},
        {good.substr(0, 1000) + "=" + good.substr(1000), "offset 1000"},
        {cut, "cut short"},
        {good + "=", "padding"},
        {good.substr(0, 3000) + "\xe4\xb8\xad" + good.substr(3000), "offset 3000"},
    };
    const std::string before = written();
    for (const auto& c : cases) {
        const std::string message =
            refused("plan.import",
                    Req().s("actor", "u-sigaiban-head").s("content_base64", c.encoded).str());
        EXPECT_TRUE(contains(message, "content_base64")) << message;
        EXPECT_TRUE(contains(message, c.expect)) << message;
    }
    EXPECT_EQ(written(), before);
}

TEST_F(InputLimitsAbi, WellFormedBase64WithLineBreaksImportsTheWholePlan) {
    const std::string encoded = base64(rl::test::seed_plan_text());
    std::string wrapped;
    for (std::size_t i = 0; i < encoded.size(); i += 76) {
        wrapped += encoded.substr(i, 76) + "\r\n";
    }
    const Doc parsed =
        parse_json(host_.call("plan.parse", Req().s("content_base64", wrapped).str()));
    std::size_t tasks = 0;
    for (const auto& section : arr(parsed, "sections").GetArray()) {
        tasks += arr(section, "tasks").Size();
    }
    EXPECT_EQ(tasks, 45u);
}

TEST_F(InputLimitsAbi, APlanOverTheFileSizeLimitIsRefusedBeforeDecoding) {
    PluginHost small;
    TempDir dir;
    const std::string db = dir.file("ledger.db");
    small.set_clock(kNov8);
    small.load(RL_PLUGIN_PATH);
    small.create(config_with_limits(db, "{\"plan_file_bytes\": 4096}"));
    const std::string seed = rl::test::seed_plan_text();
    ASSERT_GT(seed.size(), 4096u);
    std::string message;
    EXPECT_EQ(
        status_of(
            [&] {
                small.call(
                    "plan.import",
                    Req().s("actor", "u-sigaiban-head").s("content_base64", base64(seed)).str());
            },
            &message),
        RL_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(contains(message, std::to_string(seed.size()) + " bytes")) << message;
    EXPECT_TRUE(contains(message, "limits.plan_file_bytes")) << message;
    EXPECT_EQ(rl::test::sql_rows(db, "SELECT count(*) FROM plans", true).at(0).at(0), "0");
}

TEST_F(InputLimitsAbi, APlanWithMoreTasksThanTheLimitIsRefusedWhole) {
    PluginHost small;
    TempDir dir;
    const std::string db = dir.file("ledger.db");
    small.set_clock(kNov8);
    small.load(RL_PLUGIN_PATH);
    small.create(config_with_limits(db, "{\"plan_tasks\": 40}"));
    std::string message;
    EXPECT_EQ(status_of([&] { small.call("plan.import", seed_import_request()); }, &message),
              RL_ERR_INPUT);
    EXPECT_TRUE(contains(message, "more than 40 tasks and items")) << message;
    EXPECT_TRUE(contains(message, "limits.plan_tasks")) << message;
    EXPECT_EQ(rl::test::sql_rows(db, "SELECT count(*) FROM tasks", true).at(0).at(0), "0");
}

}  // namespace
