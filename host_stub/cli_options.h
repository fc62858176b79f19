// oa-stub's command-line options: flags and valued options may stand
// anywhere; what is left are the command and its positional arguments.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace oa_stub {

struct Options {
    std::vector<std::string> words;  // command and positional arguments
    bool json = false;
    bool accept_unknown = false;
    bool verbose = false;
    bool help = false;
    bool completed = false;
    bool full = false;  // db check --full
    std::optional<std::string> department, plan, plan_key, encoding, db, config, plugin;
    // Reporting: which obligation, who acts, what they say.
    std::optional<std::string> task, item, period, user, for_user, version, now;
    std::optional<std::string> year;  // scores --year
    std::optional<std::string> summary, percent, measures, problems, next_steps, content_json;
    std::optional<std::string> reason, to_step, to_user;
    // Notifications: urges, supervision notices, the receiver.
    bool all = false;
    std::optional<std::string> note, due, notice, answer, id, port, sweep_every, seconds;
    std::vector<std::string> evidence;  // NAME or NAME=URL, repeatable
    // A task's life (task_commands.cpp): lists are comma- or 、-separated names.
    bool include_struck = false;
    std::optional<std::string> section, title, text, deadline, lead, co, final_report;
    // Instructions (批示) and reading (抄送/待阅).
    bool interim = false;  // instruction answer --interim: not the final answer
    std::optional<std::string> departments, due_days, instruction, status;
    // Exports: the file to write, and whether an existing one may be replaced.
    std::optional<std::string> xlsx, docx;
    bool force = false;
};

// Throws UsageError for an unknown option or a missing value.
Options parse_options(const std::vector<std::string>& args);

// The whole number an option's value must be; throws UsageError naming the option.
int parse_whole(const std::string& text, const char* option);

}  // namespace oa_stub
