#include "cli.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "assessment_commands.h"
#include "cli_options.h"
#include "export_commands.h"
#include "install_layout.h"
#include "instruction_commands.h"
#include "message_receiver.h"
#include "notify_commands.h"
#include "plugin_host.h"
#include "registry.h"
#include "report_commands.h"
#include "stub_config.h"
#include "task_commands.h"
#include "text_table.h"

namespace oa_stub {

namespace {

constexpr const char* kUsage = R"(usage: oa-stub [options] COMMAND [ARGS]

The stand-in OA host for the Reform Ledger plugin: it loads the plugin through
its C ABI exactly as an OA platform does and runs one command.

Commands:
  demo                          import the bundled 2019 Yanji plan and print the ledger
  forms [--json]                forms the plugin registered
  workflows [--json]            approval workflows the plugin registered
  rules [--json]                notification rules the plugin registered
  plan parse FILE [--encoding gbk] [--json]
                                read a plan (text, .docx or .xlsx) and show it as a
                                table to check before importing; stores nothing
  plan import FILE --user ID [--encoding gbk] [--accept-unknown] [--plan-key KEY] [--json]
                                store a plan in the ledger (one transaction), audited
                                as imported by ID (a person, or service:NAME)
  plan list [--json]            plans in the database
  ledger [--department NAME] [--plan KEY] [--period P] [--include-struck] [--json]
                                one row per task: state, status, warning colour
                                (红黄绿灯), lead and co-operating departments, deadline
                                (struck tasks only when asked); then why each task
                                and department is yellow or red
  summary [--plan KEY] [--json] counts per plan and per department
  info [--json]                 plugin version, ABI, database and schema version
  db check [--full] [--json]    integrity check of the database file (SQLite's
                                quick_check; --full: integrity_check, slower);
                                exit 1 when it finds a problem

Reporting (P is a month such as 2019-10, or a quarter such as 2019-Q4; without
--period, the month being reported on today):
  calendar workdays FROM TO     each working day between two dates, one per line
  calendar day DATE             whether a date is a working day, and why
  obligations --user ID [--period P] [--department NAME] [--task N] [--json]
                                which departments owe which reports
  report draft|submit|approve|return|withdraw|handover|file
         --task N [--item N] --department NAME --period P --user ID
         [--for ID] [--version V] [--summary T] [--percent N] [--measures T]
         [--problems T] [--next T] [--evidence NAME[=URL]]… [--completed]
         [--content-json JSON] [--reason T | --opinion T] [--to STEP] [--to-user ID]
                                act on a progress report (exit 3 when refused)
  report waive --task N --department NAME --period P --user ID --reason T
                                the reform office waives a co-operating report
  report show --task N [--item N] --department NAME --period P --user ID [--json]
                                a report, its versions and co reports (for those who may read it)
  status --user ID [--period P] [--json]
                                per-department warning colour and counts of each status
  inbox --user ID [--period P] [--json]
                                what waits for that person
  audit --user ID [--task N] [--json]
                                the audit trail, as far as that person may read it
  audit verify [--json]         check the audit trail's hash chain, report versions
                                and reports; names the first broken link (exit 1)

A task's life (the reform office: u-sigaiban-*; DATE is YYYY-MM-DD):
  task show --task N [--user ID] [--json]
                                state (未启动 … 已撤消), deadlines, overdue, closure, extensions
  task deadline --task N --due DATE --reason T --user ID
                                the reform office sets or changes the deadline
  task close draft|submit|approve|return|withdraw|handover|file --task N --user ID
         [--department NAME] [--final-report T] [--evidence NAME[=URL]]… [--reason T]
         [--to STEP] [--to-user ID] [--for ID] [--version V]
                                办结: the lead department's closure through its approval
                                chain (exit 3 when refused)
  task strike|reopen|cancel --task N --reason T --user ID
                                销号 a closed task, reopen a closed or struck one, 撤消 a task
  task extend --task N --due DATE --reason T --user ID [--department NAME]
  task extension approve|refuse --id ID --user ID [--reason T]
  task extensions [--task N] [--json]
                                延期申请: ask, decide (leader in charge, then reform office), list
  task add --section S --title T --user ID [--text T] [--task N] [--deadline T]
         [--due DATE] [--lead A,B] [--co C,D] [--reason T]
  task assign --task N --lead A,B [--co C,D] --user ID [--reason T]
                                调整: add a task, (re)assign its departments; reports are owed
                                from the next month

Reminders and supervision:
  notify sweep|deliver|status|dead [--json]
                                run the reminder sweep now / send what is due /
                                outbox figures / dead letters with their last error
  notify requeue ID | notify requeue --all
                                send dead letters again
  urge --task N --department NAME --period P --user ID [--item N] [--note T]
  urge --department NAME --all --user ID [--note T]
                                催办: one obligation, or every overdue one of a department
  supervise issue --task N --department NAME --user ID --note TEXT [--due DATE]
  supervise answer --notice NUMBER --user ID --answer TEXT
  supervise list [--department NAME] [--json]
                                督办单: issue, answer, list

Documents (FILE is written whole or not at all; an existing FILE is kept
unless --force; --user, when given, must be allowed to read every department):
  export ledger --xlsx FILE [--period P] [--plan KEY] [--user ID] [--force] [--json]
                                the 台账 as an Excel file: a summary sheet and one
                                sheet per section, each task's status and latest report
  export bulletin --period P --docx FILE [--plan KEY] [--user ID] [--force] [--json]
                                the 月度通报 as a Word file: totals, per department,
                                overdue reports, urges and supervision notices
  serve [--port P] [--sweep-every S] [--seconds N]
                                run the message receiver (the OA message centre's
                                stand-in) and a reminder sweep on a timer
Assessment:
  scores --period 2019-05 | --year 2019 [--plan KEY] [--json]
                                考评: department scores for a month or a year, ranked
                                (on-time reporting, overdue working days, urges,
                                supervision notices, returns; weights in the
                                configuration's "scores")

Instructions and reading:
  instruction write --task N --departments A,B --user ID --note TEXT
         [--due DATE | --due-days N] [--department NAME --period P [--item N]]
                                批示: the president or a leader in charge instructs
                                departments on a task (or on one report)
  instruction answer --instruction NUMBER --user ID --answer TEXT
         [--department NAME] [--interim]
                                反馈: final unless --interim (exit 3 when refused)
  instruction list [--task N] [--department NAME] [--status open|closed] [--json]
  instruction show --instruction NUMBER [--json]
                                instructions with their full text and answers
  reading list --user ID [--all] [--json]
                                待阅: what was sent to that person to read (--all:
                                read items too), with counts
  reading mark --user ID (--id N | --all)
                                已阅: record reading one item, or every unread one

Options:
  --db PATH        database file (default: $REFORM_LEDGER_DB, else database.path
                   in the configuration, else ./reform_ledger.db)
  --config FILE    stub configuration (default: $REFORM_LEDGER_CONFIG, else
                   the demo's config.json with its demo org chart: installed,
                   share/reform-ledger/demo/; in the build, host_stub/demo/)
  --plugin FILE    plugin library (default: $REFORM_LEDGER_PLUGIN, else
                   libreform_ledger.so beside oa-stub, else the installed
                   lib/…/libreform_ledger.so.1)
  --now TIME       the host clock, in court time: YYYY-MM-DD[THH:MM]
  -v, --verbose    show the plugin's informational log lines
  -h, --help       this text
)";

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? "" : value;
}

rapidjson::Document parse_json(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    return doc;
}

std::string join(const rapidjson::Value& list, const char* separator = "、") {
    std::string out;
    for (const auto& v : list.GetArray()) {
        out += out.empty() ? "" : separator;
        out += v.GetString();
    }
    return out;
}

std::string quote_json(const std::string& s) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return buffer.GetString();
}

class Cli {
public:
    Cli(Options options, std::ostream& out, std::ostream& err)
        : o_(std::move(options)),
          out_(out),
          err_(err),
          host_(o_.verbose ? RL_LOG_INFO : RL_LOG_WARNING) {}

    int run() {
        if (o_.help || o_.words.empty()) {
            out_ << kUsage;
            return o_.help ? 0 : 2;
        }
        const std::string command = o_.words[0];
        using Command = void (Cli::*)();
        static const std::map<std::string, Command> commands = {
            {"demo", &Cli::demo},       {"forms", &Cli::forms}, {"workflows", &Cli::workflows},
            {"rules", &Cli::rules},     {"plan", &Cli::plan},   {"ledger", &Cli::ledger},
            {"summary", &Cli::summary}, {"info", &Cli::info},
        };
        using ReportingCommand = int (*)(CliContext&);
        static const std::map<std::string, ReportingCommand> reporting = {
            {"calendar", &calendar_command},   {"obligations", &obligations_command},
            {"report", &report_command},       {"status", &status_command},
            {"inbox", &inbox_command},         {"audit", &audit_command},
            {"notify", &notify_command},       {"urge", &urge_command},
            {"supervise", &supervise_command}, {"task", &task_command},
            {"scores", &scores_command},       {"instruction", &instruction_command},
            {"reading", &reading_command},     {"export", &export_command},
        };
        const auto it = commands.find(command);
        const auto reporting_it = reporting.find(command);
        if (it == commands.end() && reporting_it == reporting.end() && command != "serve" &&
            command != "db") {
            throw UsageError("unknown command '" + command + "' (see oa-stub --help)");
        }
        start(command == "demo" || command == "serve", command == "serve");
        int status = 0;
        CliContext context{o_, out_, err_, host_};
        if (command == "serve") {
            if (!receiver_) {
                throw UsageError(
                    "serve needs \"receiver\": {\"port\", \"secret\"} in the configuration");
            }
            status = serve_command(context, *receiver_);
        } else if (command == "db") {
            status = db();
        } else if (it != commands.end()) {
            (this->*(it->second))();
        } else {
            status = reporting_it->second(context);
        }
        host_.shutdown();
        if (receiver_) {
            receiver_->stop();
        }
        return status;
    }

private:
    void expect_words(std::size_t n, const char* usage) {
        if (o_.words.size() != n) {
            throw UsageError(std::string("usage: oa-stub ") + usage);
        }
    }

    // with_receiver: run the stub's message receiver (on a free port, unless
    // fixed_port) and let the plugin deliver to it on its own thread.
    void start(bool with_receiver, bool fixed_port) {
        StubSettings settings;
        settings.config_path = o_.config.value_or(env("REFORM_LEDGER_CONFIG"));
        if (settings.config_path.empty()) {
            settings.config_path = default_demo_dir() + "/config.json";
        }
        if (o_.db) {
            settings.database_path = *o_.db;
        } else if (!env("REFORM_LEDGER_DB").empty()) {
            settings.database_path = env("REFORM_LEDGER_DB");
        }
        if (o_.words.size() >= 2 && o_.words[0] == "plan" && o_.words[1] == "parse") {
            // A preview stores nothing: an in-memory ledger, no file created or opened.
            settings.database_path = ":memory:";
        }
        std::string plugin = o_.plugin.value_or(env("REFORM_LEDGER_PLUGIN"));
        if (plugin.empty()) {
            plugin = default_plugin_path();
        }
        if (with_receiver) {
            const ReceiverSettings receiver = receiver_settings(settings);
            if (!receiver.secret.empty()) {
                int port = 0;
                if (fixed_port) {
                    port = o_.port ? parse_whole(*o_.port, "--port") : receiver.port;
                }
                receiver_ = std::make_unique<MessageReceiver>(receiver.secret, port);
                receiver_->start();
                settings.receiver_url = receiver_->url();
                settings.delivery_worker = true;
            }
        }
        const std::string config = plugin_config_json(settings);
        if (o_.now && !o_.words.empty() && o_.words.front() == "serve") {
            // serve runs for a while: its clock starts at --now and moves on,
            // so retries and leases come due; other commands act at that instant.
            host_.set_running_clock(parse_court_time(*o_.now));
        } else if (o_.now) {
            host_.set_clock(parse_court_time(*o_.now));
        }
        host_.load(plugin);
        host_.create(config);
    }

    void demo() {
        expect_words(1, "demo");
        out_ << "Reform Ledger " << host_.plugin().version << " loaded through ABI "
             << host_.plugin().abi_major << "." << host_.plugin().abi_minor << "\n";
        out_ << "Registered into the host: "
             << host_.registry().of_kind(RL_REGISTRATION_FORM).size() << " forms, "
             << host_.registry().of_kind(RL_REGISTRATION_WORKFLOW).size() << " workflows, "
             << host_.registry().of_kind(RL_REGISTRATION_NOTIFICATION_RULE).size()
             << " notification rules\n";
        const auto info = parse_json(host_.call("plugin.info"));
        out_ << "Database: " << info["database"]["path"].GetString() << " (schema version "
             << info["database"]["schema_version"].GetInt() << ")\n\n";
        const std::string plan_file = default_demo_dir() + "/yanji-2019-plan.txt";
        // The reform office's contact imports the plan (the audit trail says so).
        print_import(
            parse_json(host_.call("plan.import", "{\"path\":" + quote_json(plan_file) +
                                                     ",\"actor\":\"u-sigaiban-contact\"}")));
        out_ << "\n";
        print_summary(parse_json(host_.call("ledger.summary")));
        out_ << "\n";
        CliContext context{o_, out_, err_, host_};
        scripted_month(context);
        out_ << "\n";
        print_ledger(parse_json(host_.call("ledger.tasks", "{\"period\":\"2019-10\"}")));
        out_ << "\n";
        Options audit_options = o_;
        audit_options.task = "2";
        audit_options.user = "u-sigaiban-head";  // the reform office reads every department's
        CliContext audit{audit_options, out_, err_, host_};
        audit_command(audit);
        out_ << "\n";
        if (receiver_) {
            demo_notifications(audit, *receiver_);
        } else {
            out_ << "The configuration has no \"receiver\": no reminders are sent in this run.\n";
        }
    }

    void print_registrations(int32_t kind) {
        expect_words(1, "forms|workflows|rules [--json]");
        const auto list = host_.registry().of_kind(kind);
        if (o_.json) {
            out_ << "[";
            for (std::size_t i = 0; i < list.size(); ++i) {
                out_ << (i == 0 ? "" : ",") << list[i].json;
            }
            out_ << "]\n";
            return;
        }
        TextTable table({"id", "version", "title", "details"});
        for (const auto& r : list) {
            const auto doc = parse_json(r.json);
            std::string details;
            if (doc.HasMember("fields")) {
                details = std::to_string(doc["fields"].Size()) + " fields";
            } else if (doc.HasMember("steps")) {
                for (const auto& step : doc["steps"].GetArray()) {
                    details += details.empty() ? "" : " → ";
                    details += step["label"].GetString();
                }
            } else if (doc.HasMember("trigger") && doc["trigger"].HasMember("type")) {
                details = std::string("trigger: ") + doc["trigger"]["type"].GetString();
            }
            table.add({r.id, std::to_string(r.version), r.title, details});
        }
        table.print(out_);
    }
    void forms() { print_registrations(RL_REGISTRATION_FORM); }
    void workflows() { print_registrations(RL_REGISTRATION_WORKFLOW); }
    void rules() { print_registrations(RL_REGISTRATION_NOTIFICATION_RULE); }

    void plan() {
        const std::string sub = o_.words.size() > 1 ? o_.words[1] : "";
        if (sub == "list") {
            expect_words(2, "plan list [--json]");
            const std::string result = host_.call("plan.list");
            if (o_.json) {
                out_ << result << "\n";
                return;
            }
            TextTable table({"key", "title", "source", "imported", "updated"});
            const auto doc = parse_json(result);  // the loop's values live in it
            for (const auto& p : doc["plans"].GetArray()) {
                table.add({p["key"].GetString(), p["title"].GetString(),
                           p["source_name"].GetString(), p["imported_at"].GetString(),
                           p["updated_at"].GetString()});
            }
            table.print(out_);
            return;
        }
        if (sub != "parse" && sub != "import") {
            throw UsageError("usage: oa-stub plan parse|import|list …");
        }
        expect_words(3, "plan parse|import FILE");
        std::string request = "{\"path\":" + quote_json(o_.words[2]);
        if (o_.encoding) {
            request += ",\"encoding\":" + quote_json(*o_.encoding);
        }
        if (sub == "import") {
            if (!o_.user) {
                throw UsageError(
                    "plan import needs --user ID: who imports the plan, for the audit trail "
                    "(a person in the org chart, or service:NAME)");
            }
            request += ",\"actor\":" + quote_json(*o_.user);
            if (o_.accept_unknown) {
                request += ",\"accept_unknown_departments\":true";
            }
            if (o_.plan_key) {
                request += ",\"plan_key\":" + quote_json(*o_.plan_key);
            }
        }
        request += "}";
        const std::string result =
            host_.call(sub == "parse" ? "plan.parse" : "plan.import", request);
        if (o_.json) {
            out_ << result << "\n";
        } else if (sub == "parse") {
            print_parsed(parse_json(result));
        } else {
            print_import(parse_json(result));
        }
    }

    void ledger() {
        expect_words(1, "ledger [--department NAME] [--plan KEY] [--include-struck] [--json]");
        std::string request = "{";
        if (o_.department) {
            request += "\"department\":" + quote_json(*o_.department);
        }
        if (o_.plan) {
            request += std::string(o_.department ? "," : "") + "\"plan\":" + quote_json(*o_.plan);
        }
        if (o_.period) {
            request += std::string(o_.department || o_.plan ? "," : "") +
                       "\"period\":" + quote_json(*o_.period);
        }
        if (o_.include_struck) {
            request += std::string(request.size() > 1 ? "," : "") + "\"include_struck\":true";
        }
        request += "}";
        const std::string result = host_.call("ledger.tasks", request);
        if (o_.json) {
            out_ << result << "\n";
        } else {
            print_ledger(parse_json(result));
        }
    }

    void summary() {
        expect_words(1, "summary [--plan KEY] [--json]");
        const std::string result = host_.call(
            "ledger.summary", o_.plan ? "{\"plan\":" + quote_json(*o_.plan) + "}" : "{}");
        if (o_.json) {
            out_ << result << "\n";
        } else {
            print_summary(parse_json(result));
        }
    }

    void info() {
        expect_words(1, "info [--json]");
        const std::string result = host_.call("plugin.info");
        if (o_.json) {
            out_ << result << "\n";
            return;
        }
        const auto doc = parse_json(result);
        out_ << doc["name"].GetString() << " " << doc["version"].GetString() << ", ABI "
             << doc["abi"]["major"].GetUint() << "." << doc["abi"]["minor"].GetUint() << "\n"
             << "database: " << doc["database"]["path"].GetString() << " (schema version "
             << doc["database"]["schema_version"].GetInt() << ")\n"
             << "methods: " << join(doc["methods"], ", ") << "\n";
    }

    // Exit status 1 when the check finds a problem.
    int db() {
        if (o_.words.size() != 2 || o_.words[1] != "check") {
            throw UsageError("usage: oa-stub db check [--full] [--json]");
        }
        const std::string result = host_.call("db.check", o_.full ? "{\"full\":true}" : "{}");
        const auto doc = parse_json(result);
        const bool ok = doc["ok"].GetBool();
        if (o_.json) {
            out_ << result << "\n";
        } else {
            out_ << "database " << doc["path"].GetString() << ": " << doc["check"].GetString()
                 << (ok ? ": ok\n" : ":\n");
            for (const auto& problem : doc["problems"].GetArray()) {
                out_ << "  " << problem.GetString() << "\n";
            }
        }
        if (!ok) {
            err_ << "oa-stub: error: "
                 << (doc["writes_refused"].IsString() ? doc["writes_refused"].GetString()
                                                      : "the database check found problems")
                 << "\n";
            return 1;
        }
        return 0;
    }

    void print_warnings(const rapidjson::Value& warnings) {
        if (warnings.Size() == 0) {
            return;
        }
        out_ << "Warnings (" << warnings.Size() << "):\n";
        for (const auto& w : warnings.GetArray()) {
            out_ << "  - " << w.GetString() << "\n";
        }
    }

    void print_import(const rapidjson::Document& r) {
        out_ << "Plan: " << r["plan"]["title"].GetString() << "\n"
             << "  from " << r["plan"]["source_name"].GetString() << " ("
             << r["plan"]["source_encoding"].GetString() << ")\n"
             << "  "
             << (r["created"].GetBool()   ? "imported"
                 : r["changed"].GetBool() ? "updated"
                                          : "unchanged")
             << ": " << r["sections"].GetInt() << " sections, " << r["tasks"].GetInt() << " tasks, "
             << r["items"].GetInt() << " items, " << r["responsibility_lines"].GetUint64()
             << " responsibility lines, " << r["assignments"].GetInt() << " assignments"
             << " (rows added " << r["rows_added"].GetInt() << ", updated "
             << r["rows_updated"].GetInt() << ", retired " << r["rows_retired"].GetInt() << ")\n";
        print_warnings(r["warnings"]);
    }

    // The names of one role in a department list, joined by 、.
    static std::string names_of(const rapidjson::Value& departments, const char* role) {
        std::string out;
        for (const auto& d : departments.GetArray()) {
            if (std::string(d["role"].GetString()) == role) {
                out += out.empty() ? "" : "、";
                out += d["name"].GetString();
            }
        }
        return out;
    }

    // The plan's deadline, the effective one when it differs (set by the
    // reform office or extended), and how late the task is.
    static std::string task_deadline_text(const rapidjson::Value& t) {
        std::string text = t["deadline"].IsObject() ? deadline_text(t["deadline"]) : "";
        if (t["effective_deadline"].IsString()) {
            const std::string effective = t["effective_deadline"].GetString();
            const bool same = t["deadline"].IsObject() && t["deadline"]["due"].IsString() &&
                              effective == t["deadline"]["due"].GetString();
            if (!same) {
                text += (text.empty() ? "" : " → ") + effective;
            }
        }
        if (t["overdue"].GetBool()) {
            text += " 逾期" + std::to_string(t["overdue_working_days"].GetInt()) + "个工作日";
            if (t.HasMember("escalated_at") && t["escalated_at"].IsString()) {
                text += " 已升级";  // escalated to the leaders in charge
            }
        }
        return text;
    }

    static std::string deadline_text(const rapidjson::Value& deadline) {
        if (!deadline.IsObject()) {
            return "";
        }
        std::string out = deadline["due"].IsString() ? deadline["due"].GetString() : "—";
        out += std::string(" ") + deadline["text"].GetString();
        return out;
    }

    // A plan as the reform office checks it before importing: one row per
    // task (and item) with its leads, co-operating units, deadline and where
    // in the file it came from; section and subsection headings as rows.
    void print_parsed(const rapidjson::Document& r) {
        out_ << r["title"].GetString() << "\n  " << r["format"].GetString();
        if (r["year"].IsInt()) {
            out_ << ", year " << r["year"].GetInt();
        }
        out_ << "; " << r["sections"].Size() << " sections, " << r["tasks_count"].GetInt()
             << " tasks, " << r["items_count"].GetInt() << " items\n\n";
        TextTable table(
            {"No.", "任务 task", "牵头 lead", "配合 co-operating", "时限 deadline", "出处 where"});
        for (const auto& section : r["sections"].GetArray()) {
            std::string heading = section["number"].GetString();
            heading += heading.empty() ? "" : "、";
            heading += section["title"].GetString();
            if (section["part"].GetInt() > 1) {
                heading += "（第" + std::to_string(section["part"].GetInt()) + "部分）";
            }
            table.add({"", clip(heading, 40), "", "", "", ""});
            std::string group;
            for (const auto& task : section["tasks"].GetArray()) {
                const auto& g = task["group"];
                const std::string this_group = g.IsObject()
                                                   ? std::string("（") + g["number"].GetString() +
                                                         "）" + g["title"].GetString()
                                                   : "";
                if (this_group != group && !this_group.empty()) {
                    table.add({"", " " + clip(this_group, 39), "", "", "", ""});
                }
                group = this_group;
                std::string lead = names_of(task["departments"], "lead");
                std::string co = names_of(task["departments"], "co");
                if (task["departments"].Size() == 0 && task["items"].Size() == 0) {
                    lead = "(none)";
                }
                table.add({task["number"].GetString(), "  " + clip(task["title"].GetString(), 38),
                           lead, co, deadline_text(task["deadline"]), task["where"].GetString()});
                for (const auto& item : task["items"].GetArray()) {
                    table.add({std::string("  (") + item["number"].GetString() + ")",
                               "    " + clip(item["text"].GetString(), 36),
                               names_of(item["departments"], "lead"),
                               names_of(item["departments"], "co"), "", item["where"].GetString()});
                }
            }
        }
        table.print(out_);
        if (r["closing"].GetStringLength() > 0) {
            out_ << "\nClosing lines (not part of any task): " << r["closing"].GetString() << "\n";
        }
        if (r["unknown_departments"].Size() > 0) {
            out_ << "\nNot in the org chart (" << r["unknown_departments"].Size() << "):\n";
            for (const auto& u : r["unknown_departments"].GetArray()) {
                out_ << "  - " << u.GetString() << "\n";
            }
        }
        out_ << "\n";
        print_warnings(r["warnings"]);
    }

    void print_summary(const rapidjson::Document& r) {
        out_ << "Ledger summary: " << r["plan"]["title"].GetString() << "\n"
             << "  " << r["sections"].GetInt() << " sections, " << r["tasks"].GetInt() << " tasks, "
             << r["items"].GetInt() << " items, " << r["assignments"].GetInt() << " assignments ("
             << r["lead_assignments"].GetInt() << " lead, " << r["co_assignments"].GetInt()
             << " co-operating), " << r["departments"].Size() << " departments\n\n";
        TextTable table({"部门 department", "牵头 lead", "配合 co", ""});
        for (const auto& d : r["departments"].GetArray()) {
            table.add({d["name"].GetString(), std::to_string(d["lead"].GetInt()),
                       std::to_string(d["co"].GetInt()),
                       d["in_org_chart"].GetBool() ? "" : "not in org chart"});
        }
        table.print(out_);
    }

    void print_ledger(const rapidjson::Document& r) {
        out_ << "Ledger: " << r["plan"]["title"].GetString();
        if (r["department"].IsString()) {
            out_ << " — " << r["department"].GetString();
        }
        out_ << " (" << r["tasks"].Size() << " tasks; status for " << r["period"].GetString()
             << ")\n";
        bool any_deadline = false;
        for (const auto& t : r["tasks"].GetArray()) {
            any_deadline =
                any_deadline || t["deadline"].IsObject() || t["effective_deadline"].IsString();
        }
        std::vector<std::string> headers{"No.",
                                         "任务 task",
                                         "进展 state",
                                         std::string("状态 ") + r["period"].GetString(),
                                         "预警 warning",
                                         "牵头部门 lead",
                                         "配合部门 co-operating"};
        if (any_deadline) {
            headers.push_back("时限 deadline");
        }
        TextTable table(headers);
        for (const auto& t : r["tasks"].GetArray()) {
            std::vector<std::string> row{t["number"].GetString(),
                                         clip(t["title"].GetString(), 34),
                                         t["state_label"].GetString(),
                                         status_label(t["status"].GetString()),
                                         t["warning"]["label"].GetString(),
                                         join(t["lead"]),
                                         join(t["co"])};
            if (any_deadline) {
                row.push_back(task_deadline_text(t));
            }
            table.add(row);
            for (const auto& item : t["items"].GetArray()) {
                std::vector<std::string> item_row{
                    std::string("  (") + item["number"].GetString() + ")",
                    "",
                    "",
                    "",
                    "",
                    join(item["lead"]),
                    join(item["co"])};
                if (any_deadline) {
                    item_row.emplace_back();
                }
                table.add(item_row);
            }
        }
        table.print(out_);
        print_warning_reasons(out_, r["tasks"], "number", "task");
        print_warning_reasons(out_, r["department_warnings"], "name", "department");
    }

    Options o_;
    std::ostream& out_;
    std::ostream& err_;
    PluginHost host_;
    std::unique_ptr<MessageReceiver> receiver_;
};

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    try {
        Cli cli(parse_options(args), out, err);
        return cli.run();
    } catch (const UsageError& e) {
        err << "oa-stub: " << e.what() << "\n";
        return 2;
    } catch (const PluginError& e) {
        err << "oa-stub: error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        err << "oa-stub: error: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace oa_stub
