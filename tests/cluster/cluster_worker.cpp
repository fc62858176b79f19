// One node of the three-process cluster test (cluster_test.cpp): a process
// that loads the real plugin with oa_stub::PluginHost (dlopen, the C ABI),
// as an OA application node does, and for several simulated days runs a
// seeded random mix of the reminder sweep, delivery and report actions on the
// ledger it shares with the other nodes.
//
//   cluster_worker CONFIG_FILE DIR INDEX WORKERS SEED DAYS STEPS
//
// Day d (0 … DAYS-1) is 2019-11-04 + d at 09:00 court time, the same instant
// on every node. Each day has three stages: 3d, one sweep on every node at
// once; 3d+1, a random mix of STEPS sweeps, deliveries and report actions;
// 3d+2, one sweep on every node at once again. A node starts stage s only
// when every node has finished stage s-1 (DIR/progress.N holds the last stage
// node N finished), so the host clocks agree as a cluster's do. Stage 3·DAYS,
// on the day after the last, delivers
// what is left (the drain). A node restarted after SIGKILL resumes after the
// last stage it finished.
//
// Every report action the plugin accepted is appended to DIR/actions.INDEX,
// one line each (tab-separated: actor, action, task, item, department,
// period, version after), and every sweep's figures to DIR/sweeps.INDEX, with
// write(2) on an O_APPEND file: a line is kept even if the process is killed
// right after. Exit 0 when done, 2 on a barrier timeout, 1 on any other error.
// With DIE_ON_DAY, the node kills itself (SIGKILL) a few milliseconds into a
// delivery round at the start of that day's mixed stage.
#include <fcntl.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "plugin_host.h"

namespace {

using Doc = rapidjson::Document;
using Val = rapidjson::Value;

std::string q(const std::string& s) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return buffer.GetString();
}

Doc parse(const std::string& text) {
    Doc doc;
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        throw std::runtime_error("not a JSON object: " + text.substr(0, 300));
    }
    return doc;
}

std::string text_of(const Val& v, const char* key) {
    return v.IsObject() && v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

int int_of(const Val& v, const char* key) {
    return v.IsObject() && v.HasMember(key) && v[key].IsInt() ? v[key].GetInt() : 0;
}

// 2019-11-04 + day at 09:00 court time (UTC+8), as epoch milliseconds.
std::int64_t day_ms(int day) {
    std::tm tm{};
    tm.tm_year = 2019 - 1900;
    tm.tm_mon = 10;
    tm.tm_mday = 4 + day;
    tm.tm_hour = 9;
    return (static_cast<std::int64_t>(timegm(&tm)) - 8 * 3600) * 1000;
}

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The last day node `index` finished, -1 if none.
int progress_of(const std::string& dir, int index) {
    const std::string text = read_all(dir + "/progress." + std::to_string(index));
    return text.empty() ? -1 : std::stoi(text);
}

void set_progress(const std::string& dir, int index, int day) {
    const std::string path = dir + "/progress." + std::to_string(index);
    {
        std::ofstream out(path + ".tmp", std::ios::trunc);
        out << day;
    }
    if (std::rename((path + ".tmp").c_str(), path.c_str()) != 0) {
        throw std::runtime_error("cannot write " + path);
    }
}

// Appends one line with a single write(2).
void append_line(const std::string& path, const std::string& line) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw std::runtime_error("cannot open " + path);
    }
    const std::string text = line + "\n";
    const ssize_t n = ::write(fd, text.data(), text.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(text.size())) {
        throw std::runtime_error("cannot append to " + path);
    }
}

struct BarrierTimeout : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Waits until every node has finished stage-1 (bounded: a hung node fails
// the test instead of blocking it).
void wait_for_stage(const std::string& dir, int workers, int stage) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    for (;;) {
        bool all = true;
        for (int j = 0; j < workers && all; ++j) {
            all = progress_of(dir, j) >= stage - 1;
        }
        if (all) {
            return;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            throw BarrierTimeout("waited 120 s for the other nodes to finish stage " +
                                 std::to_string(stage - 1));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

// The people who may act on a department's report: its contact and head, the
// leader in charge of it, and the reform office.
std::vector<std::string> people_of(const Doc& chart, const std::string& department) {
    std::vector<std::string> out = {"u-sigaiban-head", "u-sigaiban-contact"};
    for (const auto& p : chart["people"].GetArray()) {
        bool in_charge = false;
        if (p.HasMember("in_charge_of")) {
            for (const auto& d : p["in_charge_of"].GetArray()) {
                in_charge = in_charge || department == d.GetString();
            }
        }
        if (in_charge || text_of(p, "department") == department) {
            out.push_back(p["id"].GetString());
        }
    }
    return out;
}

class Node {
public:
    Node(const std::string& config, std::string dir, int index, unsigned seed)
        : dir_(std::move(dir)), index_(index), random_(seed) {
        const Doc whole = parse(config);
        if (!whole.HasMember("org_chart") || !whole["org_chart"].IsObject()) {
            throw std::runtime_error("the configuration has no org_chart");
        }
        chart_.CopyFrom(whole["org_chart"], chart_.GetAllocator());
        host_.set_clock(day_ms(0));
        host_.load(RL_PLUGIN_PATH);
        host_.create(config);
    }

    void run_day(int day, int steps) {
        host_.set_clock(day_ms(day));
        if (day == die_on_day_) {
            // Killed by SIGKILL a few milliseconds into a delivery round: most
            // likely with a message claimed, or on the wire.
            std::thread([] {
                std::this_thread::sleep_for(std::chrono::milliseconds(4));
                ::kill(::getpid(), SIGKILL);
            }).detach();
            deliver();
            std::this_thread::sleep_for(std::chrono::seconds(60));  // not reached
        }
        for (int i = 0; i < steps; ++i) {
            const unsigned r = random_() % 10;
            if (r < 2) {
                sweep();
            } else if (r < 5) {
                deliver();
            } else {
                act();
            }
        }
    }

    // Every node sweeps at once, when the day begins (its new reminders all
    // due at once) and when its work is done: the three sweeps queue between
    // them what one would, and nothing due is left unqueued.
    void sweep_at_once(int day) {
        host_.set_clock(day_ms(day));
        sweep();
    }

    // Delivers until a round finds nothing to do (at most 50 rounds).
    void drain(int day) {
        host_.set_clock(day_ms(day));
        for (int i = 0; i < 50; ++i) {
            const Doc d = parse(host_.call("notify.deliver"));
            if (int_of(d, "delivered") + int_of(d, "retried") + int_of(d, "dead") +
                    int_of(d, "paced") ==
                0) {
                return;
            }
        }
    }

    void shutdown() { host_.shutdown(); }
    void die_on_day(int day) { die_on_day_ = day; }

private:
    void sweep() {
        const Doc s = parse(host_.call("notify.sweep"));
        append_line(dir_ + "/sweeps." + std::to_string(index_),
                    text_of(s, "today") + "\t" + std::to_string(int_of(s, "new_items")) + "\t" +
                        std::to_string(int_of(s, "messages_queued")));
    }

    void deliver() { host_.call("notify.deliver"); }

    // One report action: a random obligation among the first few of 2019-10
    // (so the nodes contend for the same reports), a random person who may
    // act on it, one of the actions report.get offers that person, at the
    // version it read.
    void act() {
        const Doc list = parse(host_.call("obligations.list",
                                          "{\"user\":\"u-sigaiban-head\",\"period\":\"2019-10\"}"));
        const Val& obligations = list["obligations"];
        if (!obligations.IsArray() || obligations.Empty()) {
            return;
        }
        const rapidjson::SizeType pick =
            static_cast<rapidjson::SizeType>(random_() % std::min(12u, obligations.Size()));
        const Val& o = obligations[pick];
        const std::string task = text_of(o, "task"), item = text_of(o, "item"),
                          department = text_of(o, "department");
        const auto people = people_of(chart_, department);
        const std::string user = people[random_() % people.size()];
        std::string where =
            "\"task\":" + q(task) + ",\"department\":" + q(department) + ",\"period\":\"2019-10\"";
        if (!item.empty()) {
            where += ",\"item\":" + q(item);
        }
        const Doc got = parse(host_.call("report.get", "{" + where + ",\"user\":" + q(user) + "}"));
        if (text_of(got, "outcome") != "ok" || !got.HasMember("actions") ||
            !got["actions"].IsArray() || got["actions"].Empty()) {
            return;
        }
        const Val& offers = got["actions"];
        const Val& offer = offers[static_cast<rapidjson::SizeType>(random_() % offers.Size())];
        const std::string action = text_of(offer, "action");
        std::string request = "{" + where + ",\"action\":" + q(action) + ",\"actor\":" + q(user);
        const Val& report = got["obligation"]["report"];
        if (report.IsObject()) {
            request += ",\"version\":" + std::to_string(int_of(report, "version"));
        }
        if (offer.HasMember("acting_for")) {
            request += ",\"acting_for\":" + q(text_of(offer, "acting_for"));
        }
        for (const char* list_key : {"target_steps", "hand_over_to"}) {
            if (offer.HasMember(list_key) && offer[list_key].IsArray() &&
                !offer[list_key].Empty()) {
                const std::string key =
                    std::string(list_key) == "target_steps" ? "target_step" : "hand_over_to";
                request += ",\"" + key + "\":" + q(offer[list_key][0].GetString());
            }
        }
        if (action == "save_draft" || action == "submit") {
            request +=
                ",\"content\":{\"progress_summary\":\"流程节点已梳理。\",\"percent_complete\":50}";
        }
        if (action == "return" || action == "approve" || action == "waive") {
            request += ",\"reason\":\"请补充材料。\"";
        }
        request += "}";
        if (action == "waive") {
            return;  // report.waive, not report.act: left to the reform office's own tests
        }
        const Doc d = parse(host_.call("report.act", request));
        if (text_of(d, "outcome") != "ok") {
            return;  // another node acted first (a stale version), or not allowed now
        }
        const Val& after = d["obligation"]["report"];
        append_line(dir_ + "/actions." + std::to_string(index_),
                    user + "\t" + action + "\t" + task + "\t" + item + "\t" + department +
                        "\t2019-10\t" + std::to_string(int_of(after, "version")));
    }

    std::string dir_;
    int index_;
    std::mt19937 random_;
    int die_on_day_ = -1;
    Doc chart_;
    oa_stub::PluginHost host_;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 8 && argc != 9) {
        std::cerr << "usage: cluster_worker CONFIG_FILE DIR INDEX WORKERS SEED DAYS STEPS "
                     "[DIE_ON_DAY]\n";
        return 1;
    }
    try {
        const std::string config = read_all(argv[1]);
        const std::string dir = argv[2];
        const int index = std::stoi(argv[3]);
        const int workers = std::stoi(argv[4]);
        const unsigned seed = static_cast<unsigned>(std::stoul(argv[5]));
        const int days = std::stoi(argv[6]);
        const int steps = std::stoi(argv[7]);
        const int resume = progress_of(dir, index) + 1;
        // A restarted node draws other numbers than the run it replaces.
        Node node(config, dir, index, seed * 7919u + static_cast<unsigned>(resume));
        if (argc == 9) {
            node.die_on_day(std::stoi(argv[8]));
        }
        for (int stage = resume; stage <= 3 * days; ++stage) {
            wait_for_stage(dir, workers, stage);
            const int day = stage / 3;
            if (stage == 3 * days) {
                node.drain(day);
            } else if (stage % 3 == 1) {
                node.run_day(day, steps);
            } else {
                node.sweep_at_once(day);
            }
            set_progress(dir, index, stage);
        }
        node.shutdown();
        return 0;
    } catch (const BarrierTimeout& e) {
        std::cerr << "cluster_worker " << argv[3] << ": " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "cluster_worker " << argv[3] << ": " << e.what() << "\n";
        return 1;
    }
}
