#include "notify_commands.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <ostream>
#include <thread>

#include "stub_config.h"
#include "text_table.h"

namespace oa_stub {

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_signal(int) {
    g_stop = true;
}

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    return doc;
}

std::string quote(const std::string& s) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return buffer.GetString();
}

// {"k":"v",…} from pairs whose value is present.
std::string object(
    std::initializer_list<std::pair<const char*, std::optional<std::string>>> fields) {
    std::string out = "{";
    for (const auto& [key, value] : fields) {
        if (value) {
            out += (out.size() > 1 ? "," : "") + quote(key) + ":" + quote(*value);
        }
    }
    return out + "}";
}

int print_outcome(CliContext& c, const std::string& result) {
    if (c.options.json) {
        c.out << result << "\n";
    }
    const auto doc = parse(result);
    const std::string outcome = doc["outcome"].GetString();
    if (outcome != "ok") {
        c.err << "oa-stub: " << outcome << ": " << doc["message"].GetString() << "\n";
        return kRefused;
    }
    if (!c.options.json && doc.HasMember("message") &&
        std::string(doc["message"].GetString()).size() > 0) {
        c.out << doc["message"].GetString() << "\n";
    }
    return 0;
}

void print_sweep(CliContext& c, const rapidjson::Document& r) {
    c.out << "Sweep of " << r["today"].GetString() << ": " << r["obligations_checked"].GetInt()
          << " open obligations checked, " << r["reminders_due"].GetInt() << " reminders due, "
          << r["new_items"].GetInt() << " new, " << r["messages_queued"].GetInt()
          << " messages queued (" << r["deferred"].GetInt() << " wait for working hours), "
          << r["escalations"].GetInt() << " escalations and " << r["accountability"].GetInt()
          << " accountability records\n";
    c.out << "Tasks: " << r["tasks_checked"].GetInt() << " deadlines checked, "
          << r["task_escalations"].GetInt() << " deadline escalations recorded, "
          << r["task_approvals_checked"].GetInt()
          << " closure applications and extension requests in approval checked\n";
    for (const auto& w : r["warnings"].GetArray()) {
        c.err << "oa-stub: warning: " << w.GetString() << "\n";
    }
}

void print_status(CliContext& c, const rapidjson::Document& s) {
    c.out << "Outbox: " << s["pending"].GetInt() << " pending, " << s["in_flight"].GetInt()
          << " in flight, " << s["delivered"].GetInt() << " delivered, " << s["dead"].GetInt()
          << " dead";
    if (s["deferred"].GetInt() > 0) {
        c.out << "; " << s["deferred"].GetInt()
              << " of the pending wait for working hours or a retry";
    }
    if (s["oldest_pending_age_ms"].GetInt64() > 0) {
        c.out << "; oldest pending " << s["oldest_pending_age_ms"].GetInt64() / 1000 << " s";
    }
    c.out << "\n";
}

void print_arrival(CliContext& c, const Arrival& a) {
    c.out << "  received " << a.id << " → " << (a.recipient.empty() ? "?" : a.recipient) << ": "
          << a.title << "\n";
}

}  // namespace

int notify_command(CliContext& c) {
    const auto& o = c.options;
    const std::string sub = o.words.size() > 1 ? o.words[1] : "";
    if (sub == "sweep" && o.words.size() == 2) {
        const std::string result = c.host.call("notify.sweep");
        if (o.json) {
            c.out << result << "\n";
        } else {
            print_sweep(c, parse(result));
        }
        return 0;
    }
    if (sub == "deliver" && o.words.size() == 2) {
        const std::string result = c.host.call("notify.deliver");
        if (o.json) {
            c.out << result << "\n";
            return 0;
        }
        const auto r = parse(result);
        c.out << "Delivered " << r["delivered"].GetInt() << ", retrying " << r["retried"].GetInt()
              << ", dead " << r["dead"].GetInt() << ", held back by pacing " << r["paced"].GetInt()
              << "\n";
        return 0;
    }
    if (sub == "status" && o.words.size() == 2) {
        const std::string result = c.host.call("notify.status");
        if (o.json) {
            c.out << result << "\n";
        } else {
            print_status(c, parse(result));
        }
        return 0;
    }
    if (sub == "dead" && o.words.size() == 2) {
        const std::string result = c.host.call("notify.dead");
        if (o.json) {
            c.out << result << "\n";
            return 0;
        }
        const auto r = parse(result);
        TextTable table({"id", "message", "channel", "recipient", "attempts", "last error"});
        for (const auto& d : r["dead"].GetArray()) {
            table.add({std::to_string(d["id"].GetInt64()), d["message_id"].GetString(),
                       d["channel"].GetString(), d["recipient"].GetString(),
                       std::to_string(d["attempts"].GetInt()),
                       clip(d["last_error"].GetString(), 60)});
        }
        c.out << "Dead letters: " << r["dead"].Size() << "\n";
        table.print(c.out);
        return 0;
    }
    if (sub == "requeue" && (o.words.size() == 3 || (o.words.size() == 2 && o.all))) {
        const std::string request =
            o.all ? std::string("{\"all\":true}")
                  : "{\"id\":" + std::to_string(parse_whole(o.words[2], "notify requeue ID")) + "}";
        const std::string result = c.host.call("notify.requeue", request);
        if (o.json) {
            c.out << result << "\n";
        } else {
            c.out << "Requeued " << parse(result)["requeued"].GetInt() << "\n";
        }
        return 0;
    }
    throw UsageError("usage: oa-stub notify sweep|deliver|status|dead|requeue ID|requeue --all");
}

int urge_command(CliContext& c) {
    const auto& o = c.options;
    if (!o.user || !o.department) {
        throw UsageError(
            "usage: oa-stub urge --department NAME --user ID (--task N --period P | --all) "
            "[--item N] [--note T]");
    }
    if (o.all) {
        const std::string result = c.host.call("urge.bulk", object({{"plan", o.plan},
                                                                    {"department", o.department},
                                                                    {"actor", o.user},
                                                                    {"note", o.note}}));
        const int status = print_outcome(c, result);
        if (status == 0 && !o.json) {
            const auto r = parse(result);
            c.out << "Urged " << r["urged"].Size() << " overdue obligations of " << *o.department
                  << "; skipped " << r["skipped"].Size() << " (urged too recently)\n";
            for (const auto& s : r["skipped"].GetArray()) {
                c.out << "  task " << s["task"].GetString() << " " << s["period"].GetString()
                      << ": " << s["reason"].GetString() << "\n";
            }
        }
        return status;
    }
    if (!o.task || !o.period) {
        throw UsageError(
            "urge needs --task N and --period P, or --all for every overdue obligation");
    }
    const std::string result = c.host.call("urge", object({{"plan", o.plan},
                                                           {"task", o.task},
                                                           {"item", o.item},
                                                           {"department", o.department},
                                                           {"period", o.period},
                                                           {"actor", o.user},
                                                           {"note", o.note}}));
    const int status = print_outcome(c, result);
    if (status == 0 && !o.json) {
        c.out << "Urged task " << *o.task << " " << *o.department << " " << *o.period << " ("
              << parse(result)["urges"].GetInt() << " urges so far)\n";
    }
    return status;
}

int supervise_command(CliContext& c) {
    const auto& o = c.options;
    const std::string sub = o.words.size() > 1 ? o.words[1] : "";
    if (sub == "issue") {
        if (!o.task || !o.department || !o.user) {
            throw UsageError(
                "usage: oa-stub supervise issue --task N --department NAME --user ID --note TEXT "
                "[--due DATE]");
        }
        const std::string result =
            c.host.call("supervision.issue", object({{"plan", o.plan},
                                                     {"task", o.task},
                                                     {"department", o.department},
                                                     {"actor", o.user},
                                                     {"content", o.note},
                                                     {"due_date", o.due}}));
        const int status = print_outcome(c, result);
        if (status == 0 && !o.json) {
            const auto doc = parse(result);  // n refers into it: it must outlive n
            const auto& n = doc["notice"];
            c.out << "Issued " << n["number"].GetString() << " to " << n["department"].GetString()
                  << ", answer due " << n["due_date"].GetString() << "\n";
        }
        return status;
    }
    if (sub == "answer") {
        if (!o.notice || !o.user || !o.answer) {
            throw UsageError(
                "usage: oa-stub supervise answer --notice NUMBER --user ID --answer TEXT");
        }
        return print_outcome(c, c.host.call("supervision.answer", object({{"plan", o.plan},
                                                                          {"notice", o.notice},
                                                                          {"actor", o.user},
                                                                          {"answer", o.answer}})));
    }
    if (sub == "list") {
        const std::string result = c.host.call(
            "supervision.list", object({{"plan", o.plan}, {"department", o.department}}));
        if (o.json) {
            c.out << result << "\n";
            return 0;
        }
        TextTable table({"督办单 notice", "任务 task", "部门 department", "回复期限 due",
                         "状态 status", "内容 content"});
        const auto doc = parse(result);  // the loop's values live in it
        for (const auto& n : doc["notices"].GetArray()) {
            std::string status = n["status"].GetString();
            if (n["overdue"].GetBool()) {
                status += " (overdue)";
            }
            table.add({n["number"].GetString(), n["task"].GetString(), n["department"].GetString(),
                       n["due_date"].GetString(), status, clip(n["content"].GetString(), 40)});
        }
        table.print(c.out);
        return 0;
    }
    throw UsageError("usage: oa-stub supervise issue|answer|list …");
}

int serve_command(CliContext& c, MessageReceiver& receiver) {
    const auto& o = c.options;
    const int every = o.sweep_every ? parse_whole(*o.sweep_every, "--sweep-every") : 60;
    const int seconds = o.seconds ? parse_whole(*o.seconds, "--seconds") : 0;
    g_stop = false;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    c.out << "Receiving at " << receiver.url() << "; sweeping every " << every << " s"
          << (seconds > 0 ? "; stopping after " + std::to_string(seconds) + " s" : "; Ctrl-C stops")
          << "\n"
          << std::flush;
    const auto start = std::chrono::steady_clock::now();
    auto next_sweep = start;
    std::size_t shown = 0;
    while (!g_stop) {
        const auto now = std::chrono::steady_clock::now();
        if (seconds > 0 && now - start >= std::chrono::seconds(seconds)) {
            break;
        }
        if (every > 0 && now >= next_sweep) {
            print_sweep(c, parse(c.host.call("notify.sweep")));
            next_sweep = now + std::chrono::seconds(every);
        }
        const auto arrivals = receiver.arrivals();
        for (; shown < arrivals.size(); ++shown) {
            print_arrival(c, arrivals[shown]);
        }
        c.out << std::flush;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    print_status(c, parse(c.host.call("notify.status")));
    c.out << "Receiver: " << receiver.arrivals().size() << " messages, " << receiver.duplicates()
          << " duplicates, " << receiver.rejected() << " rejected\n";
    return 0;
}

void demo_notifications(CliContext& c, MessageReceiver& receiver) {
    c.out << "Reminders as of "
          << "2019-11-08 09:00 (the stub receiver listens at " << receiver.url() << ")\n";
    print_sweep(c, parse(c.host.call("notify.sweep")));
    const std::string urged = c.host.call(
        "urge", object({{"task", std::string("33")},
                        {"department", std::string("刑庭")},
                        {"period", std::string("2019-10")},
                        {"actor", std::string("u-sigaiban-head")},
                        {"note", std::string("请于11月11日前报送并汇总配合部门材料。")}}));
    const auto u = parse(urged);
    c.out << "Urge of task 33 (刑庭, 2019-10) by the reform office: " << u["outcome"].GetString()
          << (std::string(u["message"].GetString()).empty()
                  ? ""
                  : std::string(" — ") + u["message"].GetString())
          << "\n";
    // Let the plugin's delivery thread send what was queued (bounded wait).
    for (int i = 0; i < 100; ++i) {
        const auto s = parse(c.host.call("notify.status"));
        if (s["pending"].GetInt() - s["deferred"].GetInt() + s["in_flight"].GetInt() == 0) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    print_status(c, parse(c.host.call("notify.status")));
    const auto arrivals = receiver.arrivals();
    c.out << "The stub's message centre received " << arrivals.size() << " signed messages ("
          << receiver.duplicates() << " duplicates, " << receiver.rejected() << " rejected)"
          << (arrivals.empty() ? ".\n" : ":\n");
    for (const auto& a : arrivals) {
        print_arrival(c, a);
    }
}

}  // namespace oa_stub
