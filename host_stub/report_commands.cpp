#include "report_commands.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <ctime>
#include <ostream>

#include "request_builder.h"
#include "stub_config.h"
#include "text_table.h"

namespace oa_stub {

namespace {

// What a report action changed, or why it was refused.
int print_outcome(CliContext& c, const std::string& result) {
    if (c.options.json) {
        c.out << result << "\n";
    }
    const auto doc = parse(result);
    const std::string outcome = doc["outcome"].GetString();
    const auto& o = doc["obligation"];
    if (outcome != "ok") {
        c.err << "oa-stub: " << outcome << ": " << doc["message"].GetString() << "\n";
        if (doc.HasMember("field_errors")) {
            for (const auto& e : doc["field_errors"].GetArray()) {
                c.err << "  " << e["field"].GetString() << ": " << e["message"].GetString() << "\n";
            }
        }
        return kRefused;
    }
    if (!c.options.json) {
        c.out << "task " << o["task"].GetString()
              << (std::string(o["item"].GetString()).empty()
                      ? ""
                      : std::string(" (") + o["item"].GetString() + ")")
              << " " << o["department"].GetString() << " " << o["period"].GetString() << ": "
              << status_label(o["status"].GetString());
        if (o["report"].IsObject()) {
            c.out << ", at step " << o["report"]["step"].GetString() << ", version "
                  << o["report"]["version"].GetInt();
        }
        c.out << "\n";
    }
    return 0;
}

std::string content_from_options(const Options& o) {
    if (o.content_json) {
        return *o.content_json;
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    const auto text = [&](const char* key, const std::optional<std::string>& value) {
        if (value) {
            w.Key(key);
            w.String(value->c_str());
        }
    };
    text("progress_summary", o.summary);
    text("measures", o.measures);
    text("problems", o.problems);
    text("next_steps", o.next_steps);
    if (o.percent) {
        w.Key("percent_complete");
        w.Int(parse_whole(*o.percent, "--percent"));
    }
    if (!o.evidence.empty()) {
        w.Key("evidence");
        w.StartArray();
        for (const auto& e : o.evidence) {
            const auto eq = e.find('=');
            w.StartObject();
            w.Key("name");
            w.String(e.substr(0, eq).c_str());
            w.Key("url");
            w.String(eq == std::string::npos ? "" : e.substr(eq + 1).c_str());
            w.EndObject();
        }
        w.EndArray();
    }
    if (o.completed) {
        w.Key("completed");
        w.Bool(true);
    }
    w.EndObject();
    return buffer.GetString();
}

bool content_given(const Options& o) {
    return o.content_json || o.summary || o.measures || o.problems || o.next_steps || o.percent ||
           !o.evidence.empty() || o.completed;
}

struct ObligationKey {
    std::optional<std::string> plan;
    std::string task;
    std::optional<std::string> item;
    std::string department;
    std::string period;
};

// The report's version as the actor sees it in the ledger (obligations.list
// shows every obligation's status and version to all staff), if it exists.
std::optional<int> current_version(PluginHost& host, const ObligationKey& key,
                                   const std::string& user) {
    std::string result;
    try {
        result = host.call("obligations.list", Request()
                                                   .text_if("plan", key.plan)
                                                   .text("period", key.period)
                                                   .text("department", key.department)
                                                   .text("task", key.task)
                                                   .text("user", user)
                                                   .str());
    } catch (const PluginError&) {
        return std::nullopt;  // an unknown user: report.act says so
    }
    const auto list = parse(result);
    if (std::string(list["outcome"].GetString()) != "ok") {
        return std::nullopt;  // report.act gives the actor the reason
    }
    for (const auto& o : list["obligations"].GetArray()) {
        if (o["period"].GetString() == key.period &&
            o["item"].GetString() == key.item.value_or("") && o["report"].IsObject()) {
            return o["report"]["version"].GetInt();
        }
    }
    return std::nullopt;
}

// A read the plugin refused: its reason on stderr, exit status 3.
bool refused(CliContext& c, const rapidjson::Document& doc) {
    if (std::string(doc["outcome"].GetString()) == "ok") {
        return false;
    }
    c.err << "oa-stub: " << doc["outcome"].GetString() << ": " << doc["message"].GetString()
          << "\n";
    return true;
}

// One report action through report.act. The version is the one given with
// --version, or else the report's current version (read just before).
std::string act(PluginHost& host, const std::string& action, const Options& o) {
    const char* usage = "report ACTION --task N --department NAME --period P --user ID";
    ObligationKey key{o.plan, required(o.task, "--task", usage), o.item,
                      required(o.department, "--department", usage),
                      required(o.period, "--period", usage)};
    Request request;
    request.text_if("plan", o.plan)
        .text("task", *o.task)
        .text_if("item", o.item)
        .text("department", *o.department)
        .text("period", *o.period)
        .text("action", action)
        .text("actor", required(o.user, "--user", usage))
        .text_if("acting_for", o.for_user)
        .text_if("reason", o.reason)
        .text_if("target_step", o.to_step)
        .text_if("hand_over_to", o.to_user);
    if (o.version) {
        request.integer("version", parse_whole(*o.version, "--version"));
    } else if (const auto version = current_version(host, key, *o.user)) {
        request.integer("version", *version);
    }
    if (content_given(o)) {
        request.raw("content", content_from_options(o));
    }
    return host.call("report.act", request.str());
}

void print_obligations(CliContext& c, const rapidjson::Value& list) {
    TextTable table({"No.", "部门 department", "角色 role", "期间 period", "截止 due",
                     "状态 status", "步骤 step", "版本 version"});
    for (const auto& o : list.GetArray()) {
        std::string number = o["task"].GetString();
        if (!std::string(o["item"].GetString()).empty()) {
            number += "(" + std::string(o["item"].GetString()) + ")";
        }
        std::string status = status_label(o["status"].GetString());
        if (o["overdue_working_days"].GetInt() > 0) {
            status += " +" + std::to_string(o["overdue_working_days"].GetInt()) + "d";
        }
        const bool has_report = o["report"].IsObject();
        table.add({number, o["department"].GetString(),
                   std::string(o["role"].GetString()) == "lead" ? "牵头" : "配合",
                   o["period"].GetString(), o["due_date"].GetString(), status,
                   has_report ? o["report"]["step"].GetString() : "",
                   has_report ? std::to_string(o["report"]["version"].GetInt()) : ""});
    }
    table.print(c.out);
}

}  // namespace

std::string status_label(const std::string& status) {
    static const std::pair<const char*, const char*> kLabels[] = {
        {"not_started", "未报送 not started"},
        {"draft", "草稿 draft"},
        {"in_approval", "审批中 in approval"},
        {"returned", "已退回 returned"},
        {"filed", "已归档 filed"},
        {"overdue", "逾期 overdue"},
        {"waived", "免报 waived"},
        {"not_due", "本期无需报送 not due"},
    };
    for (const auto& [key, label] : kLabels) {
        if (status == key) {
            return label;
        }
    }
    return status;
}

std::string court_time(const std::string& iso_utc) {
    std::tm utc{};
    if (std::sscanf(iso_utc.c_str(), "%4d-%2d-%2dT%2d:%2d", &utc.tm_year, &utc.tm_mon, &utc.tm_mday,
                    &utc.tm_hour, &utc.tm_min) != 5) {
        return iso_utc;
    }
    utc.tm_year -= 1900;
    utc.tm_mon -= 1;
    const std::time_t court = timegm(&utc) + 8 * 3600;
    std::tm local{};
    gmtime_r(&court, &local);
    char out[32];
    std::strftime(out, sizeof out, "%Y-%m-%d %H:%M", &local);
    return out;
}

std::int64_t parse_court_time(const std::string& text) {
    const std::optional<std::int64_t> ms = court_time_ms(text);
    if (!ms) {
        throw UsageError("--now expects YYYY-MM-DD or YYYY-MM-DDTHH:MM (court time, UTC+8), not '" +
                         text + "'");
    }
    return *ms;
}

int calendar_command(CliContext& c) {
    const auto& w = c.options.words;
    if (w.size() == 4 && w[1] == "workdays") {
        const auto doc = parse(
            c.host.call("calendar.workdays", Request().text("from", w[2]).text("to", w[3]).str()));
        for (const auto& warning : doc["warnings"].GetArray()) {
            c.err << "oa-stub: warning: " << warning.GetString() << "\n";
        }
        if (c.options.json) {
            rapidjson::StringBuffer buffer;
            rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
            doc.Accept(writer);
            c.out << buffer.GetString() << "\n";
            return 0;
        }
        for (const auto& day : doc["days"].GetArray()) {
            c.out << day.GetString() << "\n";
        }
        return 0;
    }
    if (w.size() == 3 && w[1] == "day") {
        const std::string result = c.host.call("calendar.day", Request().text("date", w[2]).str());
        if (c.options.json) {
            c.out << result << "\n";
            return 0;
        }
        const auto doc = parse(result);
        static const char* const kWeekdays[] = {"", "一", "二", "三", "四", "五", "六", "日"};
        c.out << doc["date"].GetString() << " 星期" << kWeekdays[doc["weekday"].GetInt()] << ": "
              << (doc["working_day"].GetBool() ? "working day 工作日" : "day off 休息日");
        if (doc["note"].IsString()) {
            c.out << " (" << doc["note"].GetString() << ")";
        }
        if (!doc["covered"].GetBool()) {
            c.out << " — no holiday data for this year; weekends only";
        }
        c.out << "\n";
        return 0;
    }
    throw UsageError("usage: oa-stub calendar workdays FROM TO | calendar day DATE");
}

int obligations_command(CliContext& c) {
    const auto& o = c.options;
    const std::string result = c.host.call(
        "obligations.list", Request()
                                .text_if("plan", o.plan)
                                .text_if("period", o.period)
                                .text_if("department", o.department)
                                .text_if("task", o.task)
                                .text("user", required(o.user, "--user", "obligations --user ID"))
                                .str());
    const auto doc = parse(result);
    if (refused(c, doc)) {
        return kRefused;
    }
    if (o.json) {
        c.out << result << "\n";
        return 0;
    }
    c.out << "Obligations for " << doc["month"].GetString() << " (today "
          << doc["today"].GetString() << "): " << doc["obligations"].Size() << "\n";
    print_obligations(c, doc["obligations"]);
    return 0;
}

int report_command(CliContext& c) {
    const auto& o = c.options;
    const std::string action = o.words.size() == 2 ? o.words[1] : "";
    static const std::pair<const char*, const char*> kActions[] = {
        {"draft", "save_draft"}, {"submit", "submit"},     {"approve", "approve"},
        {"return", "return"},    {"withdraw", "withdraw"}, {"handover", "hand_over"},
        {"file", "file"},
    };
    if (action == "show") {
        const char* usage = "report show --task N --department NAME --period P --user ID";
        const std::string result = c.host.call(
            "report.get", Request()
                              .text_if("plan", o.plan)
                              .text("task", required(o.task, "--task", usage))
                              .text_if("item", o.item)
                              .text("department", required(o.department, "--department", usage))
                              .text("period", required(o.period, "--period", usage))
                              .text("user", required(o.user, "--user", usage))
                              .str());
        const auto doc = parse(result);
        if (refused(c, doc)) {
            return kRefused;
        }
        if (o.json) {
            c.out << result << "\n";
            return 0;
        }
        rapidjson::Document list;
        list.SetArray();
        list.PushBack(rapidjson::Value(doc["obligation"], list.GetAllocator()),
                      list.GetAllocator());
        for (const auto& co : doc["co_reports"].GetArray()) {
            list.PushBack(rapidjson::Value(co, list.GetAllocator()), list.GetAllocator());
        }
        print_obligations(c, list);
        const auto& report = doc["obligation"]["report"];
        if (report.IsObject()) {
            const auto& content = report["content"];
            if (content.HasMember("progress_summary")) {
                c.out << "\n工作进展 progress: " << content["progress_summary"].GetString() << "\n";
            }
            c.out << "versions kept: " << doc["versions"].Size() << "\n";
        }
        return 0;
    }
    if (action == "waive") {
        const char* usage =
            "report waive --task N --department NAME --period P --user ID --reason T";
        return print_outcome(
            c, c.host.call("report.waive",
                           Request()
                               .text_if("plan", o.plan)
                               .text("task", required(o.task, "--task", usage))
                               .text_if("item", o.item)
                               .text("department", required(o.department, "--department", usage))
                               .text("period", required(o.period, "--period", usage))
                               .text("actor", required(o.user, "--user", usage))
                               .text_if("reason", o.reason)
                               .str()));
    }
    for (const auto& [name, method_action] : kActions) {
        if (action == name) {
            return print_outcome(c, act(c.host, method_action, o));
        }
    }
    throw UsageError(
        "usage: oa-stub report draft|submit|approve|return|withdraw|handover|file|waive|show "
        "--task N [--item N] --department NAME --period P --user ID …");
}

int status_command(CliContext& c) {
    const auto& o = c.options;
    const std::string result = c.host.call(
        "ledger.status", Request()
                             .text_if("plan", o.plan)
                             .text_if("period", o.period)
                             .text("user", required(o.user, "--user", "status --user ID"))
                             .str());
    const auto doc = parse(result);
    if (refused(c, doc)) {
        return kRefused;
    }
    if (o.json) {
        c.out << result << "\n";
        return 0;
    }
    c.out << "Status for " << doc["month"].GetString() << " (today " << doc["today"].GetString()
          << ")\n";
    TextTable table({"部门 department", "预警", "未报送", "草稿", "审批中", "已退回", "已归档",
                     "逾期", "免报"});
    for (const auto& d : doc["departments"].GetArray()) {
        const auto& n = d["counts"];
        table.add({d["name"].GetString(), d["warning"]["label"].GetString(),
                   std::to_string(n["not_started"].GetInt()), std::to_string(n["draft"].GetInt()),
                   std::to_string(n["in_approval"].GetInt()),
                   std::to_string(n["returned"].GetInt()), std::to_string(n["filed"].GetInt()),
                   std::to_string(n["overdue"].GetInt()), std::to_string(n["waived"].GetInt())});
    }
    table.print(c.out);
    print_warning_reasons(c.out, doc["departments"], "name", "department");
    return 0;
}

void print_warning_reasons(std::ostream& out, const rapidjson::Value& list, const char* name_key,
                           const char* what) {
    for (const auto& entry : list.GetArray()) {
        const auto& warning = entry["warning"];
        if (std::string(warning["colour"].GetString()) == "green") {
            continue;
        }
        out << what << " " << entry[name_key].GetString() << " " << warning["label"].GetString()
            << ":";
        const char* separator = " ";
        for (const auto& reason : warning["reasons"].GetArray()) {
            out << separator << reason["text"].GetString();
            if (std::string(what) == "department" &&
                !std::string(reason["task"].GetString()).empty()) {
                out << " (task " << reason["task"].GetString() << ")";
            }
            separator = "; ";
        }
        out << "\n";
    }
}

std::string joined(const rapidjson::Value& list);

int inbox_command(CliContext& c) {
    const auto& o = c.options;
    const std::string result =
        c.host.call("inbox", Request()
                                 .text("user", required(o.user, "--user", "inbox --user ID"))
                                 .text_if("plan", o.plan)
                                 .text_if("period", o.period)
                                 .str());
    if (o.json) {
        c.out << result << "\n";
        return 0;
    }
    const auto doc = parse(result);
    c.out << "Inbox of " << doc["name"].GetString() << " (" << doc["user"].GetString()
          << "), up to " << doc["month"].GetString() << ": " << doc["items"].Size() << " waiting\n";
    TextTable table({"to do", "No.", "部门 department", "期间 period", "截止 due", "状态 status"});
    for (const auto& item : doc["items"].GetArray()) {
        const auto& ob = item["obligation"];
        std::string number = ob["task"].GetString();
        if (!std::string(ob["item"].GetString()).empty()) {
            number += "(" + std::string(ob["item"].GetString()) + ")";
        }
        table.add({item["waiting_for"].GetString(), number, ob["department"].GetString(),
                   ob["period"].GetString(), ob["due_date"].GetString(),
                   status_label(ob["status"].GetString())});
    }
    table.print(c.out);
    if (doc.HasMember("closures") && doc["closures"].Size() > 0) {
        c.out << "\nClosures (办结申请) waiting: " << doc["closures"].Size() << "\n";
        TextTable closures({"No.", "部门 department", "环节 step", "version", "actions"});
        for (const auto& item : doc["closures"].GetArray()) {
            closures.add({item["task"].GetString(), item["department"].GetString(),
                          item["step_label"].GetString(), std::to_string(item["version"].GetInt()),
                          joined(item["actions"])});
        }
        closures.print(c.out);
    }
    if (doc.HasMember("extensions") && doc["extensions"].Size() > 0) {
        c.out << "\nExtension requests (延期申请) waiting: " << doc["extensions"].Size() << "\n";
        TextTable extensions(
            {"id", "No.", "部门 department", "from", "to", "waiting for", "reason"});
        for (const auto& item : doc["extensions"].GetArray()) {
            const std::string from = item["from_due"].GetString();
            extensions.add({std::to_string(item["id"].GetInt64()), item["task"].GetString(),
                            item["department"].GetString(), from.empty() ? "-" : from,
                            item["to_due"].GetString(), item["waiting_for"].GetString(),
                            item["reason"].GetString()});
        }
        extensions.print(c.out);
    }
    return 0;
}

std::string joined(const rapidjson::Value& list) {
    std::string out;
    for (const auto& v : list.GetArray()) {
        out += out.empty() ? "" : " ";
        out += v.GetString();
    }
    return out.empty() ? "-" : out;
}

// Who imported or re-imported the plan, from what, and which tasks changed.
void print_plan_imports(CliContext& c, const rapidjson::Value& entries) {
    bool first = true;
    for (const auto& e : entries.GetArray()) {
        if (!e.HasMember("detail") || !e["detail"].IsObject()) {
            continue;
        }
        const auto& d = e["detail"];
        if (first) {
            c.out << "\nPlan imports:\n";
            first = false;
        }
        c.out << "  #" << e["id"].GetInt64() << " " << court_time(e["at"].GetString()) << " "
              << e["action"].GetString() << " by " << e["actor"].GetString() << " ("
              << e["role"].GetString() << "): " << d["source"].GetString() << " ("
              << d["encoding"].GetString() << ", file sha256 " << d["file_sha256"].GetString()
              << ")\n"
              << "      " << e["reason"].GetString() << "\n"
              << "      added: " << joined(d["tasks"]["added"]) << "\n"
              << "      changed: " << joined(d["tasks"]["changed"]) << "\n"
              << "      retired: " << joined(d["tasks"]["retired"]) << "\n";
    }
}

// Exit status 0 when the trail verifies, 1 when it does not.
int audit_verify_command(CliContext& c) {
    const std::string result = c.host.call("audit.verify");
    const auto doc = parse(result);
    const bool ok = doc["ok"].GetBool();
    if (c.options.json) {
        c.out << result << "\n";
        return ok ? 0 : 1;
    }
    const auto entries = doc["entries_checked"].GetInt64();
    const auto reports = doc["reports_checked"].GetInt64();
    if (ok) {
        c.out << "Audit trail intact: " << entries
              << " entries chained from the first, each report version bound to its entry, "
              << reports << " reports as their latest version left them.\n";
        if (doc["head"].IsObject()) {
            c.out << "Last entry: #" << doc["head"]["audit_id"].GetInt64() << " "
                  << doc["head"]["hash"].GetString()
                  << " (keep it elsewhere: only it shows a rewrite of the whole chain)\n";
        }
        return 0;
    }
    const auto& problem = doc["first_problem"];
    c.out << "Audit trail BROKEN: " << problem["what"].GetString() << "\n"
          << "(stopped at the first problem; checked " << entries << " entries and " << reports
          << " reports)\n";
    return 1;
}

int audit_command(CliContext& c) {
    const auto& o = c.options;
    const char* usage =
        "usage: oa-stub audit --user ID [--task N] [--json] | oa-stub audit verify [--json]";
    if (o.words.size() == 2 && o.words[1] == "verify") {
        return audit_verify_command(c);
    }
    if (o.words.size() != 1) {
        throw UsageError(usage);
    }
    const std::string result =
        c.host.call("audit.list", Request()
                                      .text_if("plan", o.plan)
                                      .text_if("task", o.task)
                                      .text("user", required(o.user, "--user", "audit --user ID"))
                                      .str());
    const auto doc = parse(result);
    if (refused(c, doc)) {
        return kRefused;
    }
    if (o.json) {
        c.out << result << "\n";
        return 0;
    }
    TextTable table({"#", "time (UTC+8)", "actor", "for", "role", "action", "task", "department",
                     "period", "from → to", "v", "reason / opinion"});
    for (const auto& e : doc["entries"].GetArray()) {
        std::string task = e["task"].GetString();
        if (!std::string(e["item"].GetString()).empty()) {
            task += "(" + std::string(e["item"].GetString()) + ")";
        }
        const std::string from =
            std::string(e["from_state"].GetString()) + "/" + e["from_step"].GetString();
        const std::string to =
            std::string(e["to_state"].GetString()) + "/" + e["to_step"].GetString();
        table.add({std::to_string(e["id"].GetInt64()), court_time(e["at"].GetString()),
                   e["actor"].GetString(), e["acting_for"].GetString(), e["role"].GetString(),
                   e["action"].GetString(), task, e["department"].GetString(),
                   e["period"].GetString(), (from == "/" ? "" : from) + " → " + to,
                   std::to_string(e["report_version"].GetInt()),
                   clip(e["reason"].GetString(), 30)});
    }
    c.out << "Audit trail" << (o.task ? " of task " + *o.task : std::string()) << ": "
          << doc["entries"].Size() << " entries\n";
    table.print(c.out);
    print_plan_imports(c, doc["entries"]);
    return 0;
}

void scripted_month(CliContext& c) {
    PluginHost& host = c.host;
    const std::string period = "2019-10";
    const auto current = parse(host.call("report.get", Request()
                                                           .text("task", "2")
                                                           .text("department", "干部科")
                                                           .text("period", period)
                                                           .text("user", "u-sigaiban-head")
                                                           .str()));
    if (current["obligation"]["report"].IsObject()) {
        c.out << "The scripted month (" << period
              << ") was recorded in this database before; not repeated.\n";
        host.set_clock(parse_court_time("2019-11-08T09:00"));
        return;
    }
    struct Step {
        const char* now;  // court time
        const char* task;
        const char* department;
        const char* action;
        const char* actor;
        const char* words;     // the draft's progress summary, or a reason / opinion
        const char* evidence;  // a draft's evidence file, if any
    };
    // Due date of 2019-10 reports: the 5th working day of November, 2019-11-07.
    const Step script[] = {
        {"2019-11-01T09:00", "2", "技术科", "save_draft", "u-jishuke-contact",
         "完成岗位职责清单嵌入办案平台的技术方案。", nullptr},
        {"2019-11-01T09:10", "2", "技术科", "submit", "u-jishuke-contact", nullptr, nullptr},
        {"2019-11-01T10:00", "2", "技术科", "approve", "u-jishuke-head", "同意。", nullptr},
        {"2019-11-01T15:00", "2", "技术科", "approve", "u-vp-admin", "同意。", nullptr},
        {"2019-11-04T09:00", "2", "技术科", "file", "u-sigaiban-head", nullptr, nullptr},
        {"2019-11-04T10:00", "2", "干部科", "save_draft", "u-gbk-contact",
         "细化法官、法官助理、书记员岗位职责清单，已完成初稿。", nullptr},
        {"2019-11-04T10:05", "2", "干部科", "submit", "u-gbk-contact", nullptr, nullptr},
        {"2019-11-04T14:00", "2", "干部科", "approve", "u-gbk-head", "同意上报。", nullptr},
        {"2019-11-05T09:00", "2", "干部科", "approve", "u-vp-admin", "同意。", nullptr},
        {"2019-11-05T11:00", "2", "干部科", "return", "u-sigaiban-head",
         "请补充岗位职责清单的佐证材料。", nullptr},
        {"2019-11-05T15:00", "2", "干部科", "save_draft", "u-gbk-contact",
         "细化法官、法官助理、书记员岗位职责清单，已完成初稿，附清单文本。",
         "岗位职责清单（2019年10月）.docx"},
        {"2019-11-05T15:05", "2", "干部科", "submit", "u-gbk-contact", nullptr, nullptr},
        {"2019-11-06T09:00", "2", "干部科", "file", "u-sigaiban-head", nullptr, nullptr},
        {"2019-11-04T09:30", "33", "民庭", "save_draft", "u-minting-contact",
         "民事审判流程节点标准已梳理完毕。", nullptr},
        {"2019-11-04T09:35", "33", "民庭", "submit", "u-minting-contact", nullptr, nullptr},
        {"2019-11-06T10:00", "33", "刑庭", "save_draft", "u-xingting-contact",
         "刑事审判流程标准化初稿形成，待各配合部门材料汇总。", nullptr},
    };
    c.out << "Scripted month: reports for " << period << " (due 2019-11-07)\n";
    for (const auto& s : script) {
        host.set_clock(parse_court_time(s.now));
        const auto before = parse(host.call("report.get", Request()
                                                              .text("task", s.task)
                                                              .text("department", s.department)
                                                              .text("period", period)
                                                              .text("user", s.actor)
                                                              .str()));
        Request request;
        request.text("task", s.task)
            .text("department", s.department)
            .text("period", period)
            .text("action", s.action)
            .text("actor", s.actor);
        const auto& report = before["obligation"]["report"];
        if (report.IsObject()) {
            request.integer("version", report["version"].GetInt());
        }
        const std::string action = s.action;
        if (action == "save_draft") {
            Options draft;
            draft.summary = s.words;
            draft.percent = "60";
            if (s.evidence != nullptr) {
                draft.evidence.push_back(std::string(s.evidence) +
                                         "=https://oa.court.local/files/2019/1105-01");
            }
            request.raw("content", content_from_options(draft));
        } else if (s.words != nullptr) {
            request.text("reason", s.words);
        }
        const auto result = parse(host.call("report.act", request.str()));
        const auto& o = result["obligation"];
        c.out << "  " << s.now << "  task " << s.task << " " << s.department << ": " << s.actor
              << " " << action;
        if (std::string(result["outcome"].GetString()) != "ok") {
            c.out << " — refused: " << result["message"].GetString() << "\n";
            continue;
        }
        c.out << " → " << status_label(o["status"].GetString()) << " at "
              << o["report"]["step"].GetString() << " (v" << o["report"]["version"].GetInt()
              << ")\n";
    }
    host.set_clock(parse_court_time("2019-11-08T09:00"));
}

}  // namespace oa_stub
