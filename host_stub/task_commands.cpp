#include "task_commands.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "report_commands.h"
#include "request_builder.h"
#include "stub_config.h"
#include "text_table.h"

namespace oa_stub {

namespace {

constexpr const char* kUsage =
    "task show|deadline|close|strike|reopen|cancel|extend|extension|extensions|add|assign "
    "(see oa-stub --help)";

// "刑庭,审管办" or "刑庭、审管办" → the names.
std::vector<std::string> names(const std::optional<std::string>& text) {
    std::vector<std::string> out;
    if (!text) {
        return out;
    }
    std::string current;
    const std::string& s = *text;
    const std::string dun = "、";
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == ',') {
            out.push_back(current);
            current.clear();
            ++i;
        } else if (s.compare(i, dun.size(), dun) == 0) {
            out.push_back(current);
            current.clear();
            i += dun.size();
        } else {
            current += s[i++];
        }
    }
    out.push_back(current);
    out.erase(std::remove(out.begin(), out.end(), std::string()), out.end());
    return out;
}

std::string text_of(const rapidjson::Value& v) {
    return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : std::string();
}

// A task as one paragraph: state, deadlines, departments, closure, extensions.
void print_task(CliContext& c, const rapidjson::Value& t) {
    c.out << "task " << text_of(t["number"]) << " " << text_of(t["title"]) << "\n";
    c.out << "  状态 state: " << text_of(t["state_label"]) << " " << text_of(t["state"]) << "\n";
    const auto& d = t["deadline"];
    c.out << "  时限 deadline: "
          << (d["text"].IsString() ? text_of(d["text"]) : std::string("(none in the plan)"));
    if (d["due"].IsString()) {
        c.out << " (" << text_of(d["due"]) << ")";
    }
    if (t["effective_deadline"].IsString()) {
        c.out << "; effective " << text_of(t["effective_deadline"]);
    }
    if (t["overdue"].GetBool()) {
        c.out << "; 逾期 overdue " << t["overdue_working_days"].GetInt() << " working days";
    }
    if (t.HasMember("escalated_at") && t["escalated_at"].IsString()) {
        c.out << "; 已升级 escalated to the leaders in charge "
              << court_time(t["escalated_at"].GetString());
    }
    c.out << "\n";
    std::string lead, co;
    for (const auto& x : t["lead"].GetArray()) {
        lead += (lead.empty() ? "" : "、") + text_of(x);
    }
    for (const auto& x : t["co"].GetArray()) {
        co += (co.empty() ? "" : "、") + text_of(x);
    }
    c.out << "  牵头 lead: " << lead << "; 配合 co-operating: " << co << "\n";
    if (t["closure"].IsObject()) {
        const auto& cl = t["closure"];
        c.out << "  办结申请 closure (round " << cl["round"].GetInt() << ", "
              << text_of(cl["department"]) << "): " << text_of(cl["state"]) << " at "
              << text_of(cl["step_label"]) << ", version " << cl["version"].GetInt() << "\n";
    }
    for (const auto& e : t["extensions"].GetArray()) {
        c.out << "  延期申请 extension " << e["id"].GetInt64() << ": "
              << (e["from_due"].IsString() ? text_of(e["from_due"]) : "—") << " → "
              << text_of(e["to_due"]) << ", " << text_of(e["state"]) << " (" << text_of(e["reason"])
              << ")\n";
    }
}

// What an action changed, or why it was refused (exit kRefused).
int print_outcome(CliContext& c, const std::string& result) {
    const auto doc = parse(result);
    if (c.options.json) {
        c.out << result << "\n";
    }
    const std::string outcome = doc["outcome"].GetString();
    if (outcome != "ok") {
        c.err << "oa-stub: " << outcome << ": " << doc["message"].GetString() << "\n";
        return kRefused;
    }
    if (!c.options.json) {
        if (doc.HasMember("extension") && doc["extension"].IsObject()) {
            c.out << "extension request " << doc["extension"]["id"].GetInt64() << ": "
                  << doc["extension"]["state"].GetString() << "\n";
        }
        print_task(c, doc["task"]);
    }
    return 0;
}

// The closure's version as the task shows it, when it exists.
std::optional<int> closure_version(CliContext& c, const std::string& task) {
    const auto doc = parse(c.host.call(
        "task.get", Request().text_if("plan", c.options.plan).text("task", task).str()));
    const auto& closure = doc["task"]["closure"];
    if (!closure.IsObject() || std::string(closure["state"].GetString()) == "filed") {
        return std::nullopt;
    }
    return closure["version"].GetInt();
}

int close(CliContext& c, const std::string& verb) {
    const Options& o = c.options;
    const std::string usage = "task close " + verb + " --task N --user ID";
    static const std::map<std::string, std::string> actions = {
        {"draft", "save_draft"}, {"submit", "submit"},     {"approve", "approve"},
        {"return", "return"},    {"withdraw", "withdraw"}, {"handover", "hand_over"},
        {"file", "file"}};
    const auto action = actions.find(verb);
    if (action == actions.end()) {
        throw UsageError("task close: unknown action '" + verb +
                         "' (draft, submit, approve, return, withdraw, handover, file)");
    }
    const std::string& task = required(o.task, "--task", usage);
    Request r;
    r.text_if("plan", o.plan)
        .text("task", task)
        .text_if("department", o.department)
        .text("action", action->second)
        .text("actor", required(o.user, "--user", usage))
        .text_if("acting_for", o.for_user)
        .text_if("reason", o.reason)
        .text_if("target_step", o.to_step)
        .text_if("hand_over_to", o.to_user);
    if (o.version) {
        r.integer("version", parse_whole(*o.version, "--version"));
    } else if (const auto v = closure_version(c, task)) {
        r.integer("version", *v);
    }
    if (o.final_report || !o.evidence.empty()) {
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
        w.StartObject();
        if (o.final_report) {
            w.Key("final_report");
            w.String(o.final_report->c_str());
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
        w.EndObject();
        r.raw("content", buffer.GetString());
    }
    return print_outcome(c, c.host.call("task.close", r.str()));
}

int extensions(CliContext& c) {
    const std::string result = c.host.call(
        "task.extension.list",
        Request().text_if("plan", c.options.plan).text_if("task", c.options.task).str());
    if (c.options.json) {
        c.out << result << "\n";
        return 0;
    }
    const auto doc = parse(result);
    TextTable table({"ID", "No.", "部门 department", "原时限 from", "申请 to", "状态 state",
                     "申请人 by", "理由 reason", "决定 decision"});
    for (const auto& e : doc["extensions"].GetArray()) {
        table.add({std::to_string(e["id"].GetInt64()), text_of(e["task"]), text_of(e["department"]),
                   e["from_due"].IsString() ? text_of(e["from_due"]) : "—", text_of(e["to_due"]),
                   text_of(e["state"]), text_of(e["requested_by"]), clip(text_of(e["reason"]), 24),
                   clip(text_of(e["decision_reason"]), 24)});
    }
    table.print(c.out);
    return 0;
}

}  // namespace

int task_command(CliContext& c) {
    const Options& o = c.options;
    if (o.words.size() < 2) {
        throw UsageError(std::string("usage: oa-stub ") + kUsage);
    }
    const std::string& verb = o.words[1];
    const auto expect_words = [&](std::size_t n, const std::string& usage) {
        if (o.words.size() != n) {
            throw UsageError("usage: oa-stub " + usage);
        }
    };
    if (verb == "show") {
        expect_words(2, "task show --task N [--user ID] [--json]");
        const std::string result =
            c.host.call("task.get", Request()
                                        .text_if("plan", o.plan)
                                        .text("task", required(o.task, "--task", "task show"))
                                        .text_if("user", o.user)
                                        .str());
        if (o.json) {
            c.out << result << "\n";
        } else {
            print_task(c, parse(result)["task"]);
        }
        return 0;
    }
    if (verb == "close") {
        if (o.words.size() != 3) {
            throw UsageError(
                "usage: oa-stub task close draft|submit|approve|return|withdraw|handover|file "
                "--task N --user ID");
        }
        return close(c, o.words[2]);
    }
    if (verb == "extensions") {
        expect_words(2, "task extensions [--task N] [--json]");
        return extensions(c);
    }
    if (verb == "deadline") {
        const std::string usage = "task deadline --task N --due DATE --reason T --user ID";
        expect_words(2, usage);
        return print_outcome(c, c.host.call("task.deadline.set",
                                            Request()
                                                .text_if("plan", o.plan)
                                                .text("task", required(o.task, "--task", usage))
                                                .text("actor", required(o.user, "--user", usage))
                                                .text("due", required(o.due, "--due", usage))
                                                .text_if("reason", o.reason)
                                                .str()));
    }
    if (verb == "strike" || verb == "reopen" || verb == "cancel") {
        const std::string usage = "task " + verb + " --task N --reason T --user ID";
        expect_words(2, usage);
        return print_outcome(
            c, c.host.call("task." + verb, Request()
                                               .text_if("plan", o.plan)
                                               .text("task", required(o.task, "--task", usage))
                                               .text("actor", required(o.user, "--user", usage))
                                               .text_if("reason", o.reason)
                                               .str()));
    }
    if (verb == "extend") {
        const std::string usage = "task extend --task N --due DATE --reason T --user ID";
        expect_words(2, usage);
        return print_outcome(c, c.host.call("task.extension.request",
                                            Request()
                                                .text_if("plan", o.plan)
                                                .text("task", required(o.task, "--task", usage))
                                                .text_if("department", o.department)
                                                .text("actor", required(o.user, "--user", usage))
                                                .text("due", required(o.due, "--due", usage))
                                                .text_if("reason", o.reason)
                                                .str()));
    }
    if (verb == "extension") {
        const std::string usage = "task extension approve|refuse --id ID --user ID [--reason T]";
        if (o.words.size() != 3 || (o.words[2] != "approve" && o.words[2] != "refuse")) {
            throw UsageError("usage: oa-stub " + usage);
        }
        return print_outcome(
            c, c.host.call("task.extension.act",
                           Request()
                               .text_if("plan", o.plan)
                               .integer("id", parse_whole(required(o.id, "--id", usage), "--id"))
                               .text("action", o.words[2])
                               .text("actor", required(o.user, "--user", usage))
                               .text_if("reason", o.reason)
                               .str()));
    }
    if (verb == "add") {
        const std::string usage =
            "task add --section S --title T --user ID [--text T] [--task N] [--deadline T] "
            "[--due DATE] [--lead A,B] [--co C,D] [--reason T]";
        expect_words(2, usage);
        return print_outcome(
            c, c.host.call("task.add", Request()
                                           .text_if("plan", o.plan)
                                           .text("section", required(o.section, "--section", usage))
                                           .text_if("number", o.task)
                                           .text("title", required(o.title, "--title", usage))
                                           .text_if("text", o.text)
                                           .text_if("deadline", o.deadline)
                                           .text_if("due", o.due)
                                           .list("lead", names(o.lead))
                                           .list("co", names(o.co))
                                           .text("actor", required(o.user, "--user", usage))
                                           .text_if("reason", o.reason)
                                           .str()));
    }
    if (verb == "assign") {
        const std::string usage =
            "task assign --task N --lead A,B [--co C,D] --user ID [--reason T]";
        expect_words(2, usage);
        return print_outcome(
            c, c.host.call("task.assign", Request()
                                              .text_if("plan", o.plan)
                                              .text("task", required(o.task, "--task", usage))
                                              .list("lead", names(o.lead))
                                              .list("co", names(o.co))
                                              .text("actor", required(o.user, "--user", usage))
                                              .text_if("reason", o.reason)
                                              .str()));
    }
    throw UsageError("task: unknown subcommand '" + verb + "' (usage: oa-stub " + kUsage + ")");
}

}  // namespace oa_stub
