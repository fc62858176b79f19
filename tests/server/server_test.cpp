// reform-ledger-server from the outside: the real process with the real
// plugin on a temporary SQLite file, spoken to over HTTP(S) on 127.0.0.1 with
// tokens signed here. Each test states one rule of docs/server.md.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <set>
#include <string>

#include "server_test_helpers.h"
#include "support/raw_http.h"

using rl::test::RawClient;
using rl::test::read_file;
using rl::test::run_command;
using rl::test::shell_quote;
using rl::test::TempDir;
using rl::test::write_file;
using rl::test::server::hs256_token;
using rl::test::server::kSecret;
using rl::test::server::Response;
using rl::test::server::ServerProcess;

namespace {

using Doc = rapidjson::Document;

Doc parse(const std::string& text) {
    Doc d;
    d.Parse(text.data(), text.size());
    EXPECT_FALSE(d.HasParseError()) << text.substr(0, 400);
    return d;
}

std::string error_code(const Response& r) {
    const Doc d = parse(r.body);
    if (!d.IsObject() || !d.HasMember("error") || !d["error"].HasMember("code")) {
        return "";
    }
    EXPECT_EQ(d["error"]["status"].GetInt(), r.status) << r.body;
    EXPECT_TRUE(d["error"]["message"].IsString()) << r.body;
    return d["error"]["code"].GetString();
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// The people of the demo org chart the tests act as.
const std::string kContact = "u-gbk-contact";  // 干部科, which alone leads task 1
const std::string kHead = "u-gbk-head";
const std::string kLeader = "u-vp-admin";
const std::string kOffice = "u-sigaiban-head";  // reform office

std::string service_token(const std::string& name = "oa") {
    return hs256_token(name, 300, "rl.service");
}

// Imports the seed plan with the OA's service token.
void import_seed(const ServerProcess& server) {
    const Response r = server.call(
        "plan.import", std::string("{\"path\":\"") + RL_SEED_PLAN + "\"}", service_token());
    ASSERT_EQ(r.status, 200) << r.body;
}

std::string act(const std::string& action, int version = -1, const std::string& extra = "") {
    std::string body = "{\"action\":\"" + action +
                       "\",\"task\":\"1\",\"department\":\"干部科\",\"period\":\"2019-10\"";
    if (version >= 0) {
        body += ",\"version\":" + std::to_string(version);
    }
    return body + extra + "}";
}

const std::string kContent =
    ",\"content\":{\"progress_summary\":\"完成审判团队组建方案\",\"percent_complete\":60}";

int version_of(const Response& r) {
    const Doc d = parse(r.body);
    return d["obligation"]["report"]["version"].GetInt();
}

double metric_value(const std::string& text, const std::string& series) {
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) {
        return 0;
    }
    return std::stod(text.substr(at + series.size() + 2));
}

// ------------------------------------------------------------ basics

TEST(Server, AnswersHealthReadinessAndServesTheConsoleWithAStrictPolicy) {
    ServerProcess server;
    EXPECT_EQ(server.request("GET", "/healthz").status, 200);
    EXPECT_EQ(server.request("GET", "/readyz").status, 200);
    const Response page = server.request("GET", "/");
    EXPECT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.header("Content-Type"), "text/html")) << page.header("Content-Type");
    EXPECT_TRUE(contains(page.header("Content-Security-Policy"), "default-src 'self'"));
    EXPECT_FALSE(contains(page.header("Content-Security-Policy"), "unsafe-inline"));
    EXPECT_EQ(page.header("Cache-Control"), "no-cache");
    EXPECT_EQ(server.request("GET", "/console/no-such-file.js").status, 404);
    EXPECT_EQ(server.request("GET", "/console/../CMakeLists.txt").status, 404);
    EXPECT_EQ(server.request("GET", "/elsewhere").status, 404);
}

TEST(Server, DefinitionsAreTheRegisteredJsonVerbatim) {
    ServerProcess server;
    const Response r = server.request("GET", "/api/v1/definitions", "",
                                      {{"Authorization", "Bearer " + hs256_token(kContact)}});
    ASSERT_EQ(r.status, 200) << r.body;
    const Doc d = parse(r.body);
    std::set<std::string> forms;
    for (const auto& f : d["forms"].GetArray()) {
        forms.insert(f["id"].GetString());
    }
    EXPECT_EQ(forms, (std::set<std::string>{"reform_ledger.form.progress_report",
                                            "reform_ledger.form.task_assignment"}));
    EXPECT_EQ(d["workflows"].Size(), 2u);
    // Six for reports, four for instructions (批示), four for tasks' own deadlines.
    EXPECT_EQ(d["notification_rules"].Size(), 18u);
    std::set<std::string> rule_ids;
    for (const auto& r : d["notification_rules"].GetArray()) {
        rule_ids.insert(r["id"].GetString());
    }
    EXPECT_EQ(rule_ids.count("reform_ledger.rule.task_overdue"), 1u);
    EXPECT_EQ(rule_ids.count("reform_ledger.rule.task_escalation"), 1u);
    // Verbatim: the form's file as compiled into the plugin, with the
    // configured limits the plugin adds to the fields that name one
    // (max_length / max_items; the defaults here).
    const std::string file = read_file(std::string(RL_DEMO_DIR) +
                                       "/../../plugin/definitions/forms/progress_report.json");
    const Doc expected = parse(file);
    Doc registered;
    for (const auto& f : d["forms"].GetArray()) {
        if (std::string(f["id"].GetString()) == "reform_ledger.form.progress_report") {
            registered.CopyFrom(f, registered.GetAllocator());
        }
    }
    ASSERT_TRUE(registered.IsObject()) << r.body;
    int limits_added = 0;
    const auto strip_limits = [&](auto& fields, auto& self) -> void {
        for (auto& field : fields.GetArray()) {
            if (field.HasMember("item_fields")) {
                self(field["item_fields"], self);
            }
            for (const char* key : {"max_length", "max_items"}) {
                if (field.HasMember(key)) {
                    EXPECT_TRUE(field.HasMember("limit")) << key << " without a limit";
                    field.RemoveMember(key);
                    ++limits_added;
                }
            }
        }
    };
    strip_limits(registered["fields"], strip_limits);
    EXPECT_EQ(limits_added, 7);  // four texts, the evidence list, its name and url
    EXPECT_TRUE(registered == expected);
    EXPECT_EQ(server.request("GET", "/api/v1/definitions").status, 401);
}

// ------------------------------------------------------------ tokens

TEST(Server, RefusesCallsWithoutAValidToken) {
    ServerProcess server({"auth.clock_skew_s = 30"});
    const std::string body = "{}";
    // No token.
    Response r = server.request("POST", "/api/v1/plan.list", body);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(error_code(r), "unauthorized");
    EXPECT_TRUE(contains(r.header("WWW-Authenticate"), "Bearer"));
    // Signed with another secret.
    r = server.call("plan.list", body,
                    hs256_token(kContact, 300, "", "another secret, 32 bytes or longer......"));
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(error_code(r), "invalid_token");
    EXPECT_TRUE(contains(r.body, "signature")) << r.body;
    // Expired beyond the skew; expired within it still passes.
    r = server.call("plan.list", body, hs256_token(kContact, -120));
    EXPECT_EQ(r.status, 401);
    EXPECT_TRUE(contains(r.body, "expired")) << r.body;
    EXPECT_EQ(server.call("plan.list", body, hs256_token(kContact, -5)).status, 200);
    // alg "none": a token with no signature at all.
    const std::string none =
        "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0."                      // {"alg":"none","typ":"JWT"}
        "eyJzdWIiOiJ1LWdiay1jb250YWN0IiwiZXhwIjo0MTAyNDQ0ODAwfQ.";  // sub u-gbk-contact, exp 2100
    r = server.call("plan.list", body, none);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(error_code(r), "invalid_token");
    // Not a JWT; not "Bearer".
    EXPECT_EQ(server.call("plan.list", body, "not-a-token").status, 401);
    EXPECT_EQ(
        server.request("POST", "/api/v1/plan.list", body, {{"Authorization", "Basic dTpw"}}).status,
        401);
    // A token without exp never expires: refused.
    Poco::JWT::Token forever;
    forever.setSubject(kContact);
    EXPECT_EQ(
        server.call("plan.list", body, Poco::JWT::Signer(kSecret).sign(forever, "HS256")).status,
        401);
    // A valid token for someone the org chart does not know.
    r = server.call("plan.list", body, hs256_token("u-nobody"));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(error_code(r), "unknown_person");
    // No token or secret ever reaches the log.
    EXPECT_FALSE(contains(server.log(), kSecret));
    EXPECT_FALSE(contains(server.log(), "eyJ"));
}

TEST(Server, TheCommandLineWinsOverTheConfigurationFile) {
    const std::string other = "a secret given on the command line, 32+ bytes";
    ServerProcess server({}, {"-Dauth.hs256_secret=" + other});
    EXPECT_EQ(server.call("plan.list", "{}", hs256_token(kContact, 300, "", other)).status, 200);
    EXPECT_EQ(server.call("plan.list", "{}", hs256_token(kContact)).status, 401);
}

TEST(Server, ChecksIssuerAndAudienceWhenConfigured) {
    ServerProcess server({"auth.issuer = https://oa.court.local", "auth.audience = reform-ledger"});
    const auto token = [](const std::string& iss, const std::string& aud) {
        Poco::JWT::Token t;
        t.setSubject(kContact);
        t.setExpiration(Poco::Timestamp() + Poco::Timespan(300, 0));
        t.setIssuer(iss);
        t.setAudience(aud);
        return Poco::JWT::Signer(kSecret).sign(t, "HS256");
    };
    EXPECT_EQ(
        server.call("plan.list", "{}", token("https://oa.court.local", "reform-ledger")).status,
        200);
    EXPECT_EQ(server.call("plan.list", "{}", token("https://elsewhere", "reform-ledger")).status,
              401);
    EXPECT_EQ(server.call("plan.list", "{}", token("https://oa.court.local", "other-app")).status,
              401);
}

TEST(Server, AcceptsRs256AndEs256TokensSignedWithTheOasKey) {
    TempDir keys;
    Poco::Crypto::RSAKey rsa(Poco::Crypto::RSAKey::KL_2048, Poco::Crypto::RSAKey::EXP_LARGE);
    rsa.save(keys.file("rsa.pub"));
    Poco::Crypto::ECKey ec("prime256v1");
    ec.save(keys.file("ec.pub"));
    const auto sign = [](Poco::JWT::Signer& signer, const std::string& alg) {
        Poco::JWT::Token t;
        t.setSubject(kContact);
        t.setExpiration(Poco::Timestamp() + Poco::Timespan(300, 0));
        return signer.sign(t, alg);
    };
    Poco::JWT::Signer rsa_signer(
        Poco::SharedPtr<Poco::Crypto::RSAKey>(new Poco::Crypto::RSAKey(rsa)));
    Poco::JWT::Signer ec_signer(Poco::SharedPtr<Poco::Crypto::ECKey>(new Poco::Crypto::ECKey(ec)));
    {
        ServerProcess server(
            {"auth.hs256_secret =", "auth.public_key_file = " + keys.file("rsa.pub"),
             "auth.public_key_algorithm = RS256"});
        EXPECT_EQ(server.call("plan.list", "{}", sign(rsa_signer, "RS256")).status, 200);
        // The other algorithm, and an HMAC token keyed with the public key, are refused.
        EXPECT_EQ(server.call("plan.list", "{}", sign(ec_signer, "ES256")).status, 401);
        EXPECT_EQ(server
                      .call("plan.list", "{}",
                            hs256_token(kContact, 300, "", read_file(keys.file("rsa.pub"))))
                      .status,
                  401);
    }
    {
        ServerProcess server(
            {"auth.hs256_secret =", "auth.public_key_file = " + keys.file("ec.pub"),
             "auth.public_key_algorithm = ES256"});
        EXPECT_EQ(server.call("plan.list", "{}", sign(ec_signer, "ES256")).status, 200);
        EXPECT_EQ(server.call("plan.list", "{}", sign(rsa_signer, "RS256")).status, 401);
    }
}

// ------------------------------------------------------------ identity and access

TEST(Server, FillsTheSignedInPersonAndRefusesABodyNamingAnother) {
    ServerProcess server;
    import_seed(server);
    const std::string token = hs256_token(kContact);
    // The server fills "user": inbox works without it.
    Response r = server.call("inbox", "{\"period\":\"2019-10\"}", token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(std::string(parse(r.body)["user"].GetString()), kContact);
    // Naming oneself is allowed; naming another is forging.
    EXPECT_EQ(server.call("inbox", "{\"user\":\"" + kContact + "\"}", token).status, 200);
    r = server.call("inbox", "{\"user\":\"" + kOffice + "\"}", token);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(error_code(r), "identity");
    r = server.call("report.act", act("save_draft", -1, kContent + ",\"actor\":\"" + kHead + "\""),
                    token);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(error_code(r), "identity");
    // Nothing was written by the forged call: the report does not exist yet.
    r = server.call("report.get",
                    "{\"task\":\"1\",\"department\":\"干部科\",\"period\":\"2019-10\"}", token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(parse(r.body)["obligation"]["report"].IsNull()) << r.body;
}

TEST(Server, ServiceTokensMakeTheOasOwnCallsAndNothingElse) {
    ServerProcess server;
    // A service imports as service:NAME.
    const Response imported =
        server.call("plan.import", std::string("{\"path\":\"") + RL_SEED_PLAN + "\"}",
                    service_token("oa-main"));
    ASSERT_EQ(imported.status, 200) << imported.body;
    Response r = server.call("audit.list", "{}", hs256_token(kOffice));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(contains(r.body, "\"actor\":\"service:oa-main\"")) << r.body.substr(0, 300);
    // Sweeps and delivery: a service only.
    EXPECT_EQ(server.call("notify.sweep", "{}", service_token()).status, 200);
    EXPECT_EQ(server.call("notify.deliver", "{}", service_token()).status, 200);
    r = server.call("notify.sweep", "{}", hs256_token(kOffice));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(error_code(r), "forbidden");
    EXPECT_EQ(server.call("notify.deliver", "{}", hs256_token(kContact)).status, 403);
    // The outbox: the reform office or a service, not any person.
    EXPECT_EQ(server.call("notify.status", "{}", hs256_token(kOffice)).status, 200);
    EXPECT_EQ(server.call("notify.status", "{}", service_token()).status, 200);
    EXPECT_EQ(server.call("notify.dead", "{}", hs256_token(kContact)).status, 403);
    // A service acts as no person: no reports, no acting, no naming a user.
    EXPECT_EQ(server.call("inbox", "{}", service_token()).status, 403);
    EXPECT_EQ(server.call("report.act", act("save_draft", -1, kContent), service_token()).status,
              403);
    r = server.call("ledger.tasks", "{\"user\":\"" + kOffice + "\"}", service_token());
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(error_code(r), "identity");
    EXPECT_EQ(server.call("ledger.tasks", "{\"period\":\"2019-10\"}", service_token()).status, 200);
    // Forging the service's own actor name is refused too.
    r = server.call("plan.import",
                    std::string("{\"path\":\"") + RL_SEED_PLAN + "\",\"actor\":\"service:other\"}",
                    service_token("oa-main"));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(error_code(r), "identity");
}

// ------------------------------------------------------------ statuses

TEST(Server, MapsEveryOutcomeAndErrorToItsStatus) {
    ServerProcess server({"server.max_body_bytes = 4096"});
    import_seed(server);
    const std::string contact = hs256_token(kContact);
    const std::string head = hs256_token(kHead);
    // 200 ok.
    Response r = server.call("report.act", act("save_draft", -1, kContent), contact);
    ASSERT_EQ(r.status, 200) << r.body;
    const int v = version_of(r);
    // 400 "invalid": the plugin's JSON with its field errors.
    r = server.call("report.act", act("save_draft", v, ",\"content\":{\"percent_complete\":140}"),
                    contact);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(std::string(parse(r.body)["outcome"].GetString()), "invalid");
    EXPECT_TRUE(parse(r.body)["field_errors"].IsArray());
    // 403 "not_permitted": drafting is the contact's step, not the head's.
    r = server.call("report.act", act("save_draft", v, kContent), head);
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(std::string(parse(r.body)["outcome"].GetString()), "not_permitted");
    // 409 "conflict": an older version.
    r = server.call("report.act", act("submit", v), contact);
    ASSERT_EQ(r.status, 200) << r.body;
    r = server.call("report.act", act("approve", v), head);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(std::string(parse(r.body)["outcome"].GetString()), "conflict");
    // 429 "too_soon": the reform office urges, and urges again within the interval.
    const std::string urge = "{\"task\":\"1\",\"department\":\"干部科\",\"period\":\"2019-10\"}";
    r = server.call("urge", urge, hs256_token(kOffice));
    ASSERT_EQ(r.status, 200) << r.body;
    r = server.call("urge", urge, hs256_token(kOffice));
    EXPECT_EQ(r.status, 429) << r.body;
    EXPECT_EQ(std::string(parse(r.body)["outcome"].GetString()), "too_soon");
    // 404 RL_ERR_NOT_FOUND: a department that does not exist.
    r = server.call("report.get",
                    "{\"task\":\"1\",\"department\":\"没有这个部门\",\"period\":\"2019-10\"}",
                    contact);
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_EQ(error_code(r), "not_found");
    // 400 RL_ERR_INVALID_ARGUMENT: an unknown key; RL_ERR_INPUT: an unusable plan file.
    r = server.call("plan.list", "{\"colour\":\"red\"}", contact);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(error_code(r), "invalid_argument");
    r = server.call("plan.parse", "{\"path\":\"/dev/null\"}", contact);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(error_code(r), "input");
    // 400 for a body that is not JSON; 404 for a method that does not exist;
    // 405 for GET on a method.
    EXPECT_EQ(error_code(server.call("plan.list", "{not json", contact)), "invalid_json");
    r = server.call("plan.delete_everything", "{}", contact);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(error_code(r), "unknown_method");
    EXPECT_EQ(
        server.request("GET", "/api/v1/plan.list", "", {{"Authorization", "Bearer " + contact}})
            .status,
        405);
    // 413: a body over server.max_body_bytes, refused before it is read.
    r = server.call("plan.list", "{\"x\":\"" + std::string(5000, 'a') + "\"}", contact);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(error_code(r), "too_large");
}

TEST(Server, AnInternalErrorGivesAnIdThatIsInTheLog) {
    RL_SKIP_ON_POSTGRESQL("SQLite file damage: PostgreSQL has no file");
    TempDir keep;
    std::string database;
    {
        ServerProcess first;
        import_seed(first);
        first.terminate();
        ASSERT_EQ(first.wait_exit(), 0);
        database = keep.file("ledger.db");
        write_file(database, read_file(first.database()));
    }
    // A failing disk damages the audit table: the plugin refuses every write
    // with RL_ERR_STORAGE, which is no fault of the caller's.
    rl::test::damage_table(database, "audit_log");
    ServerProcess server({"plugin.database = " + database});
    const Response r = server.call(
        "plan.import", std::string("{\"path\":\"") + RL_SEED_PLAN + "\",\"plan_key\":\"again\"}",
        service_token());
    ASSERT_EQ(r.status, 500) << r.body;
    EXPECT_EQ(error_code(r), "internal");
    const Doc d = parse(r.body);
    const std::string id = d["error"]["id"].GetString();
    EXPECT_EQ(id.rfind("err-", 0), 0u) << id;
    EXPECT_TRUE(contains(d["error"]["message"].GetString(), id));
    // The log has the id with the plugin's detail; the body has no detail.
    EXPECT_TRUE(server.wait_for_log("error " + id)) << server.log();
    EXPECT_TRUE(contains(server.log(), "\"error_id\":\"" + id + "\""));
    EXPECT_FALSE(contains(r.body, database));
}

// ------------------------------------------------------------ sessions

TEST(Server, SignsInThroughSsoAndNeedsTheCsrfTokenToChangeAnything) {
    ServerProcess server;
    import_seed(server);
    // GET /sso with the OA's token: a cookie and a redirect to a local path.
    Response r = server.request("GET", "/sso?token=" + hs256_token(kContact) + "&next=/%23/inbox");
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("Location"), "/#/inbox");
    const std::string set_cookie = r.header("Set-Cookie");
    EXPECT_TRUE(contains(set_cookie, "HttpOnly")) << set_cookie;
    EXPECT_TRUE(contains(set_cookie, "SameSite=Strict")) << set_cookie;
    EXPECT_FALSE(contains(set_cookie, "Secure")) << set_cookie;  // plain HTTP here
    const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
    // Never a redirect elsewhere.
    for (const std::string next : {"//evil.example/", "https://evil.example/", "/\\evil.example"}) {
        r = server.request("GET", "/sso?token=" + hs256_token(kContact) + "&next=" + next);
        EXPECT_EQ(r.header("Location"), "/") << next;
    }
    EXPECT_EQ(server.request("GET", "/sso?token=" + hs256_token(kContact, -600)).status, 401);
    EXPECT_EQ(server.request("GET", "/sso?token=" + service_token()).status, 403);

    r = server.request("GET", "/api/v1/session", "", {{"Cookie", cookie}});
    ASSERT_EQ(r.status, 200) << r.body;
    const Doc session = parse(r.body);
    EXPECT_EQ(std::string(session["person"]["id"].GetString()), kContact);
    EXPECT_FALSE(session["demo"].GetBool());
    const std::string csrf = session["csrf_token"].GetString();
    ASSERT_GE(csrf.size(), 32u);

    const std::string draft = act("save_draft", -1, kContent);
    // Reads need no CSRF token... but every POST does.
    r = server.request("POST", "/api/v1/report.act", draft, {{"Cookie", cookie}});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(error_code(r), "csrf");
    r = server.request("POST", "/api/v1/report.act", draft,
                       {{"Cookie", cookie}, {"X-CSRF-Token", csrf + "x"}});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(error_code(r), "csrf");
    r = server.request("POST", "/api/v1/report.act", draft,
                       {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
    EXPECT_EQ(r.status, 200) << r.body;
    // POST /sso with a form field works as GET does.
    Poco::Net::HTTPClientSession form("127.0.0.1", static_cast<Poco::UInt16>(server.port()));
    Poco::Net::HTTPRequest post("POST", "/sso", Poco::Net::HTTPMessage::HTTP_1_1);
    const std::string fields = "token=" + hs256_token(kHead) + "&next=%2F";
    post.setContentType("application/x-www-form-urlencoded");
    post.setContentLength(static_cast<std::streamsize>(fields.size()));
    form.sendRequest(post) << fields;
    Poco::Net::HTTPResponse posted;
    form.receiveResponse(posted);
    EXPECT_EQ(posted.getStatus(), 303);
    // Signing out needs the CSRF token too; afterwards the cookie is worth nothing.
    EXPECT_EQ(server.request("POST", "/api/v1/sign-out", "{}", {{"Cookie", cookie}}).status, 403);
    EXPECT_EQ(
        server
            .request("POST", "/api/v1/sign-out", "{}", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}})
            .status,
        200);
    EXPECT_EQ(server.request("GET", "/api/v1/session", "", {{"Cookie", cookie}}).status, 401);
    // The session id never reaches the log.
    EXPECT_FALSE(contains(server.log(), cookie.substr(cookie.find('=') + 1)));
}

TEST(Server, DemoSignInExistsOnlyWithDemo) {
    {
        ServerProcess server;
        EXPECT_EQ(server.request("GET", "/api/v1/demo/people").status, 404);
        EXPECT_EQ(server.request("POST", "/api/v1/demo/sign-in", "{\"person\":\"" + kOffice + "\"}")
                      .status,
                  404);
        Response r = server.request("GET", "/api/v1/session", "",
                                    {{"Authorization", "Bearer " + hs256_token(kContact)}});
        EXPECT_FALSE(parse(r.body)["demo"].GetBool());
    }
    ServerProcess server({}, {"--demo"});
    Response r = server.request("GET", "/api/v1/demo/people");
    ASSERT_EQ(r.status, 200);
    bool office = false;
    const Doc people = parse(r.body);
    for (const auto& p : people["people"].GetArray()) {
        office = office || std::string(p["id"].GetString()) == kOffice;
    }
    EXPECT_TRUE(office);
    r = server.request("POST", "/api/v1/demo/sign-in", "{\"person\":\"u-nobody\"}");
    EXPECT_EQ(r.status, 404);
    r = server.request("POST", "/api/v1/demo/sign-in", "{\"person\":\"" + kOffice + "\"}");
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string cookie = r.header("Set-Cookie").substr(0, r.header("Set-Cookie").find(';'));
    const Doc d = parse(r.body);
    EXPECT_TRUE(d["demo"].GetBool());
    r = server.request("POST", "/api/v1/notify.status", "{}",
                       {{"Cookie", cookie}, {"X-CSRF-Token", d["csrf_token"].GetString()}});
    EXPECT_EQ(r.status, 200) << r.body;
}

// ------------------------------------------------------------ documents

TEST(Server, OpenApiListsEveryMethodPluginInfoLists) {
    ServerProcess server;
    const Response info = server.call("plugin.info", "{}", hs256_token(kContact));
    ASSERT_EQ(info.status, 200);
    const Response r = server.request("GET", "/api/v1/openapi.json");
    ASSERT_EQ(r.status, 200);
    const Doc api = parse(r.body);
    EXPECT_EQ(std::string(api["openapi"].GetString()).rfind("3.0", 0), 0u);
    const Doc methods = parse(info.body);
    std::size_t count = 0;
    for (const auto& m : methods["methods"].GetArray()) {
        const std::string path = std::string("/api/v1/") + m.GetString();
        ASSERT_TRUE(api["paths"].HasMember(path.c_str())) << path;
        const auto& post = api["paths"][path.c_str()]["post"];
        EXPECT_TRUE(post["responses"].HasMember("200")) << path;
        EXPECT_TRUE(post["responses"]["200"]["content"]["application/json"]["schema"].IsObject());
        const auto& request = post["requestBody"]["content"]["application/json"]["schema"];
        // The identity fields are the server's to fill, not the client's.
        if (request.HasMember("properties")) {
            EXPECT_FALSE(request["properties"].HasMember("user")) << path;
            EXPECT_FALSE(request["properties"].HasMember("actor")) << path;
        }
        ++count;
    }
    EXPECT_GE(count, 28u);
    // Every method path the document has is one plugin.info lists.
    std::size_t method_paths = 0;
    for (const auto& p : api["paths"].GetObject()) {
        method_paths +=
            p.value.HasMember("post") && std::string(p.name.GetString()) != "/api/v1/sign-out";
    }
    EXPECT_EQ(method_paths, count);
    // Every $ref resolves.
    for (const auto& s : {"Obligation", "ReportContent", "Error"}) {
        EXPECT_TRUE(api["components"]["schemas"].HasMember(s)) << s;
    }
}

TEST(Server, MetricsCountRequestsAndShowTheOutbox) {
    ServerProcess server;
    const std::string token = hs256_token(kContact);
    const std::string series = "rl_http_requests_total{method=\"plan.list\",status=\"200\"}";
    const double before = metric_value(server.request("GET", "/metrics").body, series);
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(server.call("plan.list", "{}", token).status, 200);
    }
    server.call("plan.list", "{}", "bad");
    const Response r = server.request("GET", "/metrics");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(contains(r.header("Content-Type"), "text/plain")) << r.header("Content-Type");
    EXPECT_EQ(metric_value(r.body, series), before + 3) << r.body;
    EXPECT_EQ(metric_value(r.body, "rl_http_requests_total{method=\"plan.list\",status=\"401\"}"),
              1);
    EXPECT_EQ(metric_value(r.body, "rl_http_request_duration_seconds_count{method=\"plan.list\"}"),
              before + 4);
    for (const std::string gauge :
         {"rl_outbox_pending", "rl_outbox_in_flight", "rl_outbox_dead",
          "rl_outbox_oldest_pending_age_seconds", "rl_sweep_duration_seconds_count"}) {
        EXPECT_TRUE(contains(r.body, "\n" + gauge + " ")) << gauge;
    }
}

TEST(Server, RunsTheSweepOnItsTimer) {
    ServerProcess server({"work.sweep_interval_s = 1"});
    EXPECT_TRUE(server.wait_for_log("reminder sweep: {")) << server.log();
    const Response r = server.request("GET", "/metrics");
    EXPECT_GE(metric_value(r.body, "rl_sweep_duration_seconds_count"), 1) << r.body;
}

// The OA's message centre, for the delivery worker's messages: counts them.
class MessageCentre : public Poco::Net::HTTPRequestHandlerFactory {
public:
    class Handler : public Poco::Net::HTTPRequestHandler {
    public:
        explicit Handler(std::atomic<int>& count) : count_(count) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) override {
            std::string body;
            Poco::StreamCopier::copyToString(request.stream(), body);
            if (request.has("webhook-id") && request.has("webhook-signature")) {
                ++count_;
            }
            response.setContentLength(0);
            response.send();
        }

    private:
        std::atomic<int>& count_;
    };
    explicit MessageCentre(std::atomic<int>& count) : count_(count) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new Handler(count_);
    }

private:
    std::atomic<int>& count_;
};

TEST(Server, TheDeliveryWorkerSendsWhatIsQueued) {
    std::atomic<int> received{0};
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    Poco::Net::HTTPServer centre(new MessageCentre(received), socket,
                                 new Poco::Net::HTTPServerParams);
    centre.start();
    TempDir config;
    const std::string secret = "whsec_cmVmb3JtLWxlZGdlciBzZXJ2ZXIgdGVzdHM6IGEgMzIrIGJ5dGU=";
    write_file(config.file("plugin.json"),
               "{\"org_chart\":\"" + std::string(RL_DEMO_DIR) +
                   "/org-chart.json\",\"notifications\":{\"channels\":[{\"name\":\"oa\","
                   "\"kind\":\"webhook\",\"url\":\"http://127.0.0.1:" +
                   std::to_string(socket.address().port()) + "/messages\",\"secret\":\"" + secret +
                   "\"}]}}");
    ServerProcess server(
        {"plugin.config = " + config.file("plugin.json"), "work.deliver_interval_ms = 100"});
    import_seed(server);
    const Response r =
        server.call("urge", "{\"task\":\"1\",\"department\":\"干部科\",\"period\":\"2019-10\"}",
                    hs256_token(kOffice));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (received == 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_GE(received.load(), 1) << server.log();
    // The message is settled as delivered once its answer is back, a moment
    // after the centre has it (longer on PostgreSQL: a round trip more).
    std::string metrics = server.request("GET", "/metrics").body;
    while (metric_value(metrics, "rl_outbox_delivered") < 1 &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        metrics = server.request("GET", "/metrics").body;
    }
    EXPECT_GE(metric_value(metrics, "rl_delivery_runs_total"), 1) << metrics;
    EXPECT_GE(metric_value(metrics, "rl_outbox_delivered"), 1) << metrics;
    centre.stop();
}

// ------------------------------------------------------------ limits and signals

TEST(Server, AnswersBusyBeyondMaxInFlight) {
    ServerProcess server({"server.max_in_flight = 1"});
    const std::string token = hs256_token(kContact);
    // One call is admitted and waits for the rest of its body.
    RawClient slow(server.port());
    ASSERT_TRUE(slow.send("POST /api/v1/plan.list HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                          token + "\r\nContent-Length: 2\r\n\r\n{"));
    // Once it is being answered, another is refused at once.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (metric_value(server.request("GET", "/metrics").body, "rl_http_requests_in_flight") < 1 &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const Response r = server.call("plan.list", "{}", token);
    EXPECT_EQ(r.status, 503) << r.body << server.log();
    EXPECT_EQ(error_code(r), "busy");
    EXPECT_EQ(r.header("Retry-After"), "1");
    ASSERT_TRUE(slow.send("}"));
    std::string text;
    EXPECT_EQ(slow.read_response(30000, &text), 200) << text;
    EXPECT_EQ(server.call("plan.list", "{}", token).status, 200);
}

TEST(Server, DisconnectsAClientThatStopsSending) {
    ServerProcess server({"server.receive_timeout_s = 1"});
    RawClient slow(server.port());
    ASSERT_TRUE(slow.send("POST /api/v1/plan.list HTTP/1.1\r\nHost: x\r\n"));  // and then nothing
    EXPECT_TRUE(slow.closed_by_server(30000));
    // The thread it held serves others again.
    EXPECT_EQ(server.request("GET", "/healthz").status, 200);
}

TEST(Server, AnErrorAnswerLeavesNoBodyBehindOnAKeptAliveConnection) {
    // A 401 (no token) and a sign-out, each with a body the route never
    // needed, then a request on the same connection: it is read as itself,
    // not after the rest of the body before it.
    ServerProcess server;
    RawClient client(server.port());
    const std::string body = "{\"period\": \"2019-10\"}";
    ASSERT_TRUE(
        client.send("POST /api/v1/inbox HTTP/1.1\r\nHost: x\r\nContent-Type: "
                    "application/json\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body));
    std::string refused;
    EXPECT_EQ(client.read_response(30000, &refused), 401);
    EXPECT_EQ(refused.rfind("HTTP/1.1 401 Unauthorized\r\n", 0), 0u)
        << "the status line carries its reason: " << refused.substr(0, 40);
    ASSERT_TRUE(client.send("POST /api/v1/sign-out HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body));
    const int signed_out = client.read_response(30000);
    EXPECT_TRUE(signed_out >= 200 && signed_out < 500) << signed_out;
    ASSERT_TRUE(client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string text;
    EXPECT_EQ(client.read_response(30000, &text), 200) << text;
    EXPECT_TRUE(contains(text, "\"up\"")) << text;
}

TEST(Server, NowStartsTheHostClockAtACourtTimeAndABadOneIsRefused) {
    // A demo of the 2019 plan: the month being reported on is 2019-10.
    ServerProcess server({}, {"--now=2019-11-08T09:00"});
    import_seed(server);
    Response r = server.call("obligations.list", "{}", hs256_token(kContact));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(contains(r.body, "\"month\":\"2019-10\"")) << r.body.substr(0, 300);
    EXPECT_TRUE(contains(r.body, "\"today\":\"2019-11-08\"")) << r.body.substr(0, 300);

    ServerProcess bad({}, {"--now=2019-13-01"}, false);
    EXPECT_NE(bad.wait_exit(), 0);
    EXPECT_TRUE(contains(bad.log() + bad.out(), "plugin.now")) << bad.log() << bad.out();
}

TEST(Server, SigtermFinishesTheRequestUnderWayAndExitsZero) {
    ServerProcess server;
    const std::string token = hs256_token(kContact);
    RawClient under_way(server.port());
    ASSERT_TRUE(
        under_way.send("POST /api/v1/plan.list HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                       token + "\r\nContent-Length: 2\r\n\r\n{"));
    // The request is being answered (admitted, reading its body) before the signal.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (metric_value(server.request("GET", "/metrics").body, "rl_http_requests_in_flight") < 1 &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    server.terminate();
    ASSERT_TRUE(server.wait_for_log("stopping")) << server.log();
    EXPECT_TRUE(server.running());
    ASSERT_TRUE(under_way.send("}"));
    std::string text;
    EXPECT_EQ(under_way.read_response(30000, &text), 200) << text;
    EXPECT_EQ(server.wait_exit(), 0) << server.log();
    EXPECT_TRUE(contains(server.log(), "stopped"));
}

TEST(Server, ServesHttpsWithTheConfiguredCertificate) {
    TempDir tls;
    const auto made = run_command(
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1 -keyout " +
        shell_quote(tls.file("key.pem")) + " -out " + shell_quote(tls.file("cert.pem")));
    ASSERT_EQ(made.status, 0) << made.err;
    ServerProcess server({"server.tls.certificate_file = " + tls.file("cert.pem"),
                          "server.tls.private_key_file = " + tls.file("key.pem")});
    EXPECT_EQ(server.scheme(), "https");
    server.set_ca_file(tls.file("cert.pem"));
    EXPECT_EQ(server.call("plan.list", "{}", hs256_token(kContact)).status, 200);
    const Response r = server.request("GET", "/sso?token=" + hs256_token(kContact));
    EXPECT_EQ(r.status, 303);
    EXPECT_TRUE(contains(r.header("Set-Cookie"), "; Secure")) << r.header("Set-Cookie");
    // Plain HTTP on the TLS port gets no answer.
    RawClient plain(server.port());
    plain.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_NE(plain.read_response(5000), 200);
}

// ------------------------------------------------------------ a month

TEST(Server, AReportGoesThroughTheWholeApprovalOverHttp) {
    ServerProcess server;
    import_seed(server);
    const std::string contact = hs256_token(kContact);
    const std::string head = hs256_token(kHead);
    const std::string leader = hs256_token(kLeader);
    const std::string office = hs256_token(kOffice);

    Response r = server.call("report.act", act("save_draft", -1, kContent), contact);
    ASSERT_EQ(r.status, 200) << r.body;
    r = server.call("report.act", act("submit", version_of(r)), contact);
    ASSERT_EQ(r.status, 200) << r.body;
    // The head finds it in the inbox, and approves.
    const Response inbox = server.call("inbox", "{\"period\":\"2019-10\"}", head);
    EXPECT_TRUE(contains(inbox.body, "干部科")) << inbox.body;
    r = server.call("report.act", act("approve", version_of(r), ",\"opinion\":\"同意\""), head);
    ASSERT_EQ(r.status, 200) << r.body;
    // The leader in charge approves; the reform office files.
    r = server.call("report.act", act("approve", version_of(r)), leader);
    ASSERT_EQ(r.status, 200) << r.body;
    r = server.call("report.act", act("file", version_of(r)), office);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(std::string(parse(r.body)["obligation"]["report"]["state"].GetString()), "filed");
    // The ledger shows it filed; the audit trail names each person.
    r = server.call("ledger.tasks", "{\"period\":\"2019-10\"}", office);
    ASSERT_EQ(r.status, 200);
    const Doc ledger = parse(r.body);
    for (const auto& t : ledger["tasks"].GetArray()) {
        if (std::string(t["number"].GetString()) == "1") {
            EXPECT_EQ(std::string(t["status"].GetString()), "filed");
        }
    }
    r = server.call("audit.list", "{\"task\":\"1\"}", office);
    for (const auto& who : {kContact, kHead, kLeader, kOffice}) {
        EXPECT_TRUE(contains(r.body, "\"actor\":\"" + who + "\"")) << who;
    }
    // The access log has one JSON line per call, with the person and no token.
    const std::string log = server.log();
    EXPECT_TRUE(
        contains(log, "\"method\":\"report.act\",\"person\":\"" + kLeader + "\",\"status\":200"))
        << log.substr(0, 2000);
    EXPECT_FALSE(contains(log, leader));
}

// ------------------------------------------------------------ the task page's forms

// A person signed in to the console as its pages are: the /sso cookie, and
// the session's CSRF token on every POST (server/console/js/api.js).
class ConsoleSession {
public:
    ConsoleSession(const ServerProcess& server, const std::string& person) : server_(server) {
        const Response r = server.request("GET", "/sso?token=" + hs256_token(person));
        EXPECT_EQ(r.status, 303) << r.body;
        const std::string set_cookie = r.header("Set-Cookie");
        cookie_ = set_cookie.substr(0, set_cookie.find(';'));
        const Response s = server.request("GET", "/api/v1/session", "", {{"Cookie", cookie_}});
        EXPECT_EQ(s.status, 200) << s.body;
        csrf_ = parse(s.body)["csrf_token"].GetString();
    }
    Response post(const std::string& method, const std::string& body) const {
        return server_.request("POST", "/api/v1/" + method, body,
                               {{"Cookie", cookie_}, {"X-CSRF-Token", csrf_}});
    }

private:
    const ServerProcess& server_;
    std::string cookie_;
    std::string csrf_;
};

std::string outcome_of(const Response& r) {
    const Doc d = parse(r.body);
    return d.IsObject() && d.HasMember("outcome") ? d["outcome"].GetString() : "";
}

// The audit entries of task 1: what a refusal must leave as it was.
std::size_t task1_audit_entries(const ServerProcess& server) {
    const Response r = server.call("audit.list", "{\"task\":\"1\"}", hs256_token(kOffice));
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r.body)["entries"].GetArray().Size();
}

int closure_version(const Response& r) {
    return parse(r.body)["task"]["closure"]["version"].GetInt();
}

TEST(Server, TheTaskPagesClosureAndExtensionFormsPostThroughTheSession) {
    // The demo's clock: the 2019 plan's month being reported on is 2019-10.
    ServerProcess server({}, {"--now=2019-11-08T09:00"});
    import_seed(server);
    const ConsoleSession contact(server, kContact);
    const ConsoleSession head(server, kHead);
    const ConsoleSession leader(server, kLeader);
    const ConsoleSession office(server, kOffice);

    // 延期: the lead department asks, the leader in charge endorses, the office approves.
    Response r =
        contact.post("task.extension.request",
                     "{\"task\":\"1\",\"due\":\"2020-06-30\",\"reason\":\"需配合省院部署\"}");
    ASSERT_EQ(r.status, 200) << r.body;
    const int id = parse(r.body)["extension"]["id"].GetInt();
    const std::string ext = "{\"id\":" + std::to_string(id);
    r = leader.post("task.extension.act", ext + ",\"action\":\"approve\",\"reason\":\"同意\"}");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(std::string(parse(r.body)["extension"]["state"].GetString()), "endorsed");
    r = office.post("task.extension.act", ext + ",\"action\":\"approve\"}");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(std::string(parse(r.body)["extension"]["state"].GetString()), "approved");
    EXPECT_EQ(std::string(parse(r.body)["task"]["effective_deadline"].GetString()), "2020-06-30");

    // 办结: the contact drafts and submits, head and leader approve, the office files.
    r = contact.post("task.close",
                     "{\"task\":\"1\",\"action\":\"save_draft\",\"content\":{\"final_report\":"
                     "\"审判团队组建完毕\",\"evidence\":[{\"name\":\"组建方案\",\"url\":"
                     "\"https://oa.example/f/1\"}]}}");
    ASSERT_EQ(r.status, 200) << r.body;
    r = contact.post("task.close", "{\"task\":\"1\",\"action\":\"submit\",\"version\":" +
                                       std::to_string(closure_version(r)) + "}");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(std::string(parse(r.body)["task"]["state"].GetString()), "closure_requested");
    r = head.post("task.close",
                  "{\"task\":\"1\",\"action\":\"approve\",\"opinion\":\"同意\","
                  "\"version\":" +
                      std::to_string(closure_version(r)) + "}");
    ASSERT_EQ(r.status, 200) << r.body;
    r = leader.post("task.close", "{\"task\":\"1\",\"action\":\"approve\",\"version\":" +
                                      std::to_string(closure_version(r)) + "}");
    ASSERT_EQ(r.status, 200) << r.body;
    r = office.post("task.close", "{\"task\":\"1\",\"action\":\"file\",\"version\":" +
                                      std::to_string(closure_version(r)) + "}");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(std::string(parse(r.body)["task"]["state"].GetString()), "closed");
    // 销号 and reopen, each with its reason.
    r = office.post("task.strike", "{\"task\":\"1\",\"reason\":\"已办结，予以销号\"}");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(std::string(parse(r.body)["task"]["state"].GetString()), "struck");
    r = office.post("task.reopen", "{\"task\":\"1\",\"reason\":\"省院要求补充\"}");
    ASSERT_EQ(r.status, 200) << r.body;
    // Every step is in the audit trail under the person who took it.
    r = server.call("audit.list", "{\"task\":\"1\"}", hs256_token(kOffice));
    const Doc audit = parse(r.body);
    std::set<std::pair<std::string, std::string>> done;
    for (const auto& e : audit["entries"].GetArray()) {
        done.emplace(e["actor"].GetString(), e["action"].GetString());
    }
    for (const auto& step : {std::pair<std::string, std::string>{kContact, "extension_request"},
                             {kLeader, "extension_approve"},
                             {kOffice, "extension_approve"},
                             {kOffice, "task_deadline_extended"},
                             {kContact, "closure_submit"},
                             {kHead, "closure_approve"},
                             {kLeader, "closure_approve"},
                             {kOffice, "task_closed"},
                             {kOffice, "task_strike"},
                             {kOffice, "task_reopen"}}) {
        EXPECT_EQ(done.count(step), 1u) << step.first << " " << step.second << "\n" << r.body;
    }
    r = server.call("audit.verify", "{}", hs256_token(kOffice));
    EXPECT_TRUE(parse(r.body)["ok"].GetBool()) << r.body;
}

TEST(Server, TheTaskPagesFormsRefuseTheWrongPersonAndWriteNothing) {
    ServerProcess server({}, {"--now=2019-11-08T09:00"});
    import_seed(server);
    const ConsoleSession contact(server, kContact);
    const ConsoleSession head(server, kHead);
    const ConsoleSession office(server, kOffice);
    const std::size_t before = task1_audit_entries(server);
    // The contact may not set the deadline, strike, or approve a closure not yet drafted.
    Response r = contact.post("task.deadline.set",
                              "{\"task\":\"1\",\"due\":\"2020-06-30\",\"reason\":\"x\"}");
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(outcome_of(r), "not_permitted") << r.body;
    EXPECT_FALSE(parse(r.body)["message"].GetString() == std::string()) << r.body;
    // Drafting is the contact's step, not the head's.
    r = head.post(
        "task.close",
        "{\"task\":\"1\",\"action\":\"save_draft\",\"content\":{\"final_report\":\"x\"}}");
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(outcome_of(r), "not_permitted") << r.body;
    // An extension: the reform office may not endorse in the leader's place.
    r = contact.post("task.extension.request",
                     "{\"task\":\"1\",\"due\":\"2020-06-30\",\"reason\":\"需配合省院部署\"}");
    ASSERT_EQ(r.status, 200) << r.body;
    const std::size_t requested = task1_audit_entries(server);
    EXPECT_EQ(requested, before + 1);
    const int id = parse(r.body)["extension"]["id"].GetInt();
    r = office.post("task.extension.act",
                    "{\"id\":" + std::to_string(id) + ",\"action\":\"approve\"}");
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(outcome_of(r), "not_permitted") << r.body;
    // A body naming another actor is forging, whatever the method.
    r = contact.post(
        "task.extension.act",
        "{\"id\":" + std::to_string(id) + ",\"action\":\"approve\",\"actor\":\"" + kLeader + "\"}");
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(error_code(r), "identity");
    EXPECT_EQ(task1_audit_entries(server), requested);
    r = server.call("task.get", "{\"task\":\"1\"}", hs256_token(kOffice));
    EXPECT_EQ(std::string(parse(r.body)["task"]["extensions"][0]["state"].GetString()),
              "requested");
    EXPECT_TRUE(parse(r.body)["task"]["deadline"]["set"].IsNull()) << r.body;
}

TEST(Server, TheTaskPagesFormsNameABadDateOrAMissingReasonAndWriteNothing) {
    ServerProcess server({}, {"--now=2019-11-08T09:00"});
    import_seed(server);
    const ConsoleSession contact(server, kContact);
    const ConsoleSession office(server, kOffice);
    const std::size_t before = task1_audit_entries(server);
    // A date that is no date: 400, the message names the field.
    for (const std::string due : {"2020-02-30", "明年六月", ""}) {
        Response r = office.post("task.deadline.set", "{\"task\":\"1\",\"due\":\"" + due +
                                                          "\",\"reason\":\"按省院要求\"}");
        EXPECT_EQ(r.status, 400) << due << r.body;
        EXPECT_EQ(error_code(r), "invalid_argument") << r.body;
        EXPECT_TRUE(contains(r.body, "due")) << r.body;
        r = contact.post("task.extension.request",
                         "{\"task\":\"1\",\"due\":\"" + due + "\",\"reason\":\"需配合省院部署\"}");
        EXPECT_EQ(r.status, 400) << due << r.body;
        EXPECT_TRUE(contains(r.body, "due")) << r.body;
    }
    // A date before today, and an empty reason: the plugin's "invalid", its message.
    Response r =
        contact.post("task.extension.request",
                     "{\"task\":\"1\",\"due\":\"2019-11-01\",\"reason\":\"需配合省院部署\"}");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(outcome_of(r), "invalid") << r.body;
    r = contact.post("task.extension.request",
                     "{\"task\":\"1\",\"due\":\"2020-06-30\",\"reason\":\"  \"}");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(outcome_of(r), "invalid") << r.body;
    EXPECT_TRUE(contains(parse(r.body)["message"].GetString(), "reason")) << r.body;
    r = office.post("task.deadline.set", "{\"task\":\"1\",\"due\":\"2020-06-30\",\"reason\":\"\"}");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(outcome_of(r), "invalid") << r.body;
    EXPECT_TRUE(contains(parse(r.body)["message"].GetString(), "reason")) << r.body;
    EXPECT_EQ(task1_audit_entries(server), before);
    r = server.call("task.get", "{\"task\":\"1\"}", hs256_token(kOffice));
    EXPECT_TRUE(parse(r.body)["task"]["deadline"]["set"].IsNull()) << r.body;
    EXPECT_EQ(parse(r.body)["task"]["extensions"].GetArray().Size(), 0u) << r.body;
}

}  // namespace
