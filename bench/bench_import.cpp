// Import: plan.import of the seed plan (45 tasks) and of synthetic plans in
// the seed's format (sections 一、…, tasks "N.", items "（n）", 责任部门 lines
// naming org-chart departments and groups); cost per task.
//
// The synthetic plan has 5,000 tasks; a second one is imported beside it to
// show that the cost per task does not grow with the ledger.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common.h"
#include "plugin_host.h"

namespace rl::bench {

namespace {
std::string chinese_number(int n) {  // 1 … 99
    static const char* const digits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n < 10) {
        return digits[n];
    }
    return std::string(n / 10 == 1 ? "" : digits[n / 10]) + "十" + digits[n % 10];
}

}  // namespace

std::string synthetic_plan(int tasks, int serial) {
    static const char* const departments[] = {"干部科",
                                              "技术科",
                                              "审管办",
                                              "绩效办",
                                              "研究室",
                                              "监察室",
                                              "法警队",
                                              "立案庭",
                                              "刑庭",
                                              "民庭",
                                              "行政庭（综合审判庭）",
                                              "执行指挥中心",
                                              "朝阳川法庭",
                                              "办公室",
                                              "交通法庭",
                                              "执行局"};
    const int nd = sizeof departments / sizeof *departments;
    const auto responsibility = [&](int k) {
        std::string line = "责任部门：";
        const int count = 1 + k % 3;
        for (int j = 0; j < count; ++j) {
            line += (j ? "、" : "") + std::string(departments[(k * 7 + j * 5) % nd]);
        }
        if (k % 7 == 0) {
            line += "、各审判部门";
        }
        return line + "\n";
    };
    const int per_section = 100;
    std::string text =
        std::string("某省高级人民法院司法改革工作要点及分工方案（基准测试用合成计划") +
        std::to_string(serial) +
        "）\n\n"
        "为深入推进司法体制综合配套改革，确保各项改革任务落地见效，制定如下工作要点及分工方案。\n";
    for (int t = 1; t <= tasks; ++t) {
        if ((t - 1) % per_section == 0) {
            const int s = (t - 1) / per_section + 1;
            text += chinese_number(s) + "、推进第" + std::to_string(s) + "组改革任务\n";
        }
        text += std::to_string(t) + ".完善第" + std::to_string(t) +
                "项工作机制。围绕审判执行工作实际，健全配套制度，细化工作流程，明确责任分工，"
                "加强督促检查，确保改革举措落地见效。\n";
        if (t % 10 == 0) {
            for (int i = 1; i <= 2; ++i) {
                text += "（" + std::to_string(i) + "）细化第" + std::to_string(i) +
                        "项具体措施，按季度报告推进情况。\n" + responsibility(t + i);
            }
        } else {
            text += responsibility(t);
        }
    }
    return text;
}

namespace {

struct Imported {
    double seconds = 0;
    int tasks = 0;
    int assignments = 0;
};

// Imports the plans in order into one fresh database; the time of each.
std::vector<Imported> import_all(const Options& o, const std::vector<std::string>& plans) {
    const std::string db = o.file("import.db");
    remove_database(db);
    std::vector<Imported> out;
    {
        oa_stub::PluginHost host(RL_LOG_ERROR);
        host.set_clock(court_ms(2019, 11, 4));
        host.load(o.plugin);
        host.create(plugin_config(o, db));
        for (const auto& path : plans) {
            const auto start = Clock::now();
            const auto r =
                parse_json(host.call("plan.import", "{\"path\":" + json_string(path) +
                                                        ",\"actor\":\"service:rl-bench\"}"));
            out.push_back({seconds_since(start), r["tasks"].GetInt(), r["assignments"].GetInt()});
        }
        host.shutdown();
    }
    remove_database(db);
    return out;
}

}  // namespace

void bench_import(const Options& o, Table& t) {
    const int tasks = 5000;
    const int plans = 2;
    progress("import: seed plan; " + std::to_string(plans) + " synthetic plans of " +
             std::to_string(tasks) + " tasks");
    std::vector<double> seed_times;
    Imported seed;
    for (int i = 0, reps = o.tiny ? 2 : 5; i < reps; ++i) {
        seed = import_all(o, {o.seed_plan()}).front();
        seed_times.push_back(seed.seconds);
    }
    seed.seconds = median(seed_times);

    std::vector<std::string> files;
    for (int k = 1; k <= plans; ++k) {
        files.push_back(o.file("synthetic-plan-" + std::to_string(k) + ".txt"));
        write_file(files.back(), synthetic_plan(tasks, k));
    }
    std::vector<double> first, total, last;
    Imported one;
    int all_tasks = 0, all_assignments = 0;
    for (int i = 0, reps = o.tiny ? 1 : 3; i < reps; ++i) {
        const auto run = import_all(o, files);
        one = run.front();
        first.push_back(run.front().seconds);
        last.push_back(run.back().seconds);
        double sum = 0;
        all_tasks = all_assignments = 0;
        for (const auto& r : run) {
            sum += r.seconds;
            all_tasks += r.tasks;
            all_assignments += r.assignments;
        }
        total.push_back(sum);
    }
    for (const auto& f : files) {
        std::remove(f.c_str());
    }
    if (one.tasks != tasks) {
        throw std::runtime_error("a synthetic plan imported " + std::to_string(one.tasks) +
                                 " tasks, expected " + std::to_string(tasks));
    }
    const double seed_per_task = seed.seconds / seed.tasks;
    const double one_per_task = median(first) / one.tasks;
    const double all_per_task = median(total) / all_tasks;
    t.add({"import seed plan (" + std::to_string(seed.tasks) + " tasks, " +
               std::to_string(seed.assignments) + " assignments)",
           human_seconds(seed.seconds), human_seconds(seed_per_task) + "/task", "", "-"});
    t.add({"import synthetic plan (" + with_commas(one.tasks) + " tasks, " +
               with_commas(one.assignments) + " assignments)",
           human_seconds(median(first)) + " (" + human_seconds(one_per_task) + "/task)",
           "seed: " + human_seconds(seed_per_task) + "/task",
           ratio_text(one_per_task / seed_per_task) + " per task", "-"});
    t.add({"import " + std::to_string(plans) + " such plans into one ledger (" +
               with_commas(all_tasks) + " tasks, " + with_commas(all_assignments) + " assignments)",
           human_seconds(median(total)) + " (" + human_seconds(all_per_task) + "/task)",
           "2nd plan " + human_seconds(median(last)) + " vs 1st " + human_seconds(median(first)),
           ratio_text(median(last) / median(first)) + " 2nd/1st", "-"});
}

namespace {

// plan as revised during the year: every `every`-th task's body reworded;
// with every 1, also 技术科 and 监察室 swapped in every responsibility line
// (an assignment retired and one added per line that names one of them).
std::string revised_plan(const std::string& plan, int every) {
    std::string out;
    int task = 0;
    std::size_t start = 0;
    while (start < plan.size()) {
        std::size_t end = plan.find('\n', start);
        end = end == std::string::npos ? plan.size() : end + 1;
        std::string line = plan.substr(start, end - start);
        start = end;
        const bool is_task = !line.empty() && line[0] >= '0' && line[0] <= '9';
        if (is_task && ++task % every == 0) {
            const std::string from = "健全配套制度";
            const auto at = line.find(from);
            if (at != std::string::npos) {
                line.replace(at, from.size(), "健全完善配套制度");
            }
        }
        if (every == 1 && line.rfind("责任部门：", 0) == 0) {
            for (auto [a, b] : {std::pair<std::string, std::string>{"技术科", "\x01"},
                                {"监察室", "技术科"},
                                {"\x01", "监察室"}}) {
                for (auto at = line.find(a); at != std::string::npos; at = line.find(a, at)) {
                    line.replace(at, a.size(), b);
                    at += b.size();
                }
            }
        }
        out += line;
    }
    return out;
}

}  // namespace

// How long a 5,000-task import holds the write lock: in one transaction (as
// before issue 11's item 4: database.import_slice_ms 10000 lets one slice take
// all of it) and in slices (the default, 100 ms), on the engine o names.
void bench_import_slices(const Options& o, Table& t) {
    const int tasks = 5000;
    progress("import (" + o.engine() + "): longest hold of the write lock, " +
             std::to_string(tasks) + "-task plan, one transaction vs slices");
    const std::string file = o.file("synthetic-plan-slices.txt");
    write_file(file, synthetic_plan(tasks, 9));
    struct Hold {
        double longest_ms = 0;
        int slices = 0;
        double seconds = 0;
    };
    const auto import_with = [&](int slice_ms) {
        const std::string db = o.file("import-slices.db");
        reset_ledger(o, db);
        std::string config = plugin_config(o, db);
        const std::string database = "\"database\":{";
        config.replace(config.find(database), database.size(),
                       database + "\"import_slice_ms\":" + std::to_string(slice_ms) + ",");
        Hold h;
        {
            oa_stub::PluginHost host(RL_LOG_ERROR);
            host.set_clock(court_ms(2019, 11, 4));
            host.load(o.plugin);
            host.create(config);
            const auto start = Clock::now();
            const auto r =
                parse_json(host.call("plan.import", "{\"path\":" + json_string(file) +
                                                        ",\"actor\":\"service:rl-bench\"}"));
            h.seconds = seconds_since(start);
            h.longest_ms = r["longest_write_ms"].GetDouble();
            h.slices = r["write_slices"].GetInt();
            host.shutdown();
        }
        reset_ledger(o, db);
        return h;
    };
    std::vector<double> whole_ms, sliced_ms, whole_s, sliced_s;
    Hold whole, sliced;
    for (int i = 0, reps = o.tiny ? 1 : 3; i < reps; ++i) {  // alternating
        whole = import_with(10000);
        sliced = import_with(100);
        whole_ms.push_back(whole.longest_ms);
        sliced_ms.push_back(sliced.longest_ms);
        whole_s.push_back(whole.seconds);
        sliced_s.push_back(sliced.seconds);
    }
    std::remove(file.c_str());
    const double held = median(sliced_ms);
    t.add({"import of a " + with_commas(tasks) + "-task plan: longest hold of the write lock",
           fixed(held, 1) + " ms (" + std::to_string(sliced.slices) + " slices of 100 ms)",
           "one transaction: " + fixed(median(whole_ms), 1) + " ms; limit about 200 ms",
           ratio_text(held / 200.0) + " of the limit", held <= 200.0 ? "yes" : "NO"});
    t.add({"  the same import's time, in slices", human_seconds(median(sliced_s)),
           "one transaction: " + human_seconds(median(whole_s)),
           ratio_text(median(sliced_s) / median(whole_s)), "-"});

    // A re-import of a plan readers already see is one write transaction
    // (docs/abi.md, plan.import): how long it holds the lock, for a plan as
    // revised during the year. Each starts from the original.
    progress("import (" + o.engine() + "): re-imports of the " + with_commas(tasks) + "-task plan");
    const std::string original = synthetic_plan(tasks, 9);
    const std::vector<std::pair<std::string, std::string>> versions = {
        {"the same file again", original},
        {"1 task in 100 reworded", revised_plan(original, 100)},
        {"every task reworded, 2 departments swapped", revised_plan(original, 1)},
    };
    const std::string db = o.file("reimport.db");
    reset_ledger(o, db);
    {
        oa_stub::PluginHost host(RL_LOG_ERROR);
        host.set_clock(court_ms(2019, 11, 4));
        host.load(o.plugin);
        host.create(plugin_config(o, db));
        const auto import = [&](const std::string& text) {
            write_file(file, text);
            return parse_json(host.call("plan.import", "{\"path\":" + json_string(file) +
                                                           ",\"actor\":\"service:rl-bench\","
                                                           "\"plan_key\":\"reimport\"}"));
        };
        import(original);
        for (const auto& [what, text] : versions) {
            std::vector<double> holds;
            int changed = 0;
            for (int i = 0, reps = o.tiny ? 1 : 3; i < reps; ++i) {
                const auto r = import(text);
                holds.push_back(r["longest_write_ms"].GetDouble());
                changed = r["rows_added"].GetInt() + r["rows_updated"].GetInt() +
                          r["rows_retired"].GetInt();
                import(original);
            }
            const double hold = median(holds);
            t.add({"  re-import, " + what + " (" + with_commas(changed) +
                       " rows changed): hold of the write lock",
                   fixed(hold, 1) + " ms", "limit about 200 ms",
                   ratio_text(hold / 200.0) + " of the limit", hold <= 200.0 ? "yes" : "NO"});
        }
        host.shutdown();
    }
    reset_ledger(o, db);
    std::remove(file.c_str());
}

}  // namespace rl::bench
