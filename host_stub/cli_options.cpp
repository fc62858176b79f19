#include "cli_options.h"

#include <map>

#include "stub_config.h"

namespace oa_stub {

Options parse_options(const std::vector<std::string>& args) {
    Options o;
    const std::map<std::string, std::optional<std::string> Options::*> valued = {
        {"--department", &Options::department},
        {"--plan", &Options::plan},
        {"--plan-key", &Options::plan_key},
        {"--db", &Options::db},
        {"--encoding", &Options::encoding},
        {"--config", &Options::config},
        {"--plugin", &Options::plugin},
        {"--task", &Options::task},
        {"--item", &Options::item},
        {"--period", &Options::period},
        {"--year", &Options::year},
        {"--user", &Options::user},
        {"--for", &Options::for_user},
        {"--version", &Options::version},
        {"--now", &Options::now},
        {"--summary", &Options::summary},
        {"--percent", &Options::percent},
        {"--measures", &Options::measures},
        {"--problems", &Options::problems},
        {"--next", &Options::next_steps},
        {"--content-json", &Options::content_json},
        {"--reason", &Options::reason},
        {"--opinion", &Options::reason},
        {"--to", &Options::to_step},
        {"--to-user", &Options::to_user},
        {"--note", &Options::note},
        {"--due", &Options::due},
        {"--notice", &Options::notice},
        {"--answer", &Options::answer},
        {"--id", &Options::id},
        {"--port", &Options::port},
        {"--sweep-every", &Options::sweep_every},
        {"--seconds", &Options::seconds},
        {"--section", &Options::section},
        {"--title", &Options::title},
        {"--text", &Options::text},
        {"--deadline", &Options::deadline},
        {"--lead", &Options::lead},
        {"--co", &Options::co},
        {"--final-report", &Options::final_report},
        {"--departments", &Options::departments},
        {"--due-days", &Options::due_days},
        {"--instruction", &Options::instruction},
        {"--status", &Options::status},
        {"--xlsx", &Options::xlsx},
        {"--docx", &Options::docx},
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--json") {
            o.json = true;
        } else if (a == "--accept-unknown") {
            o.accept_unknown = true;
        } else if (a == "--completed") {
            o.completed = true;
        } else if (a == "--full") {
            o.full = true;
        } else if (a == "--force") {
            o.force = true;
        } else if (a == "--all") {
            o.all = true;
        } else if (a == "--include-struck") {
            o.include_struck = true;
        } else if (a == "--interim") {
            o.interim = true;
        } else if (a == "-v" || a == "--verbose") {
            o.verbose = true;
        } else if (a == "-h" || a == "--help") {
            o.help = true;
        } else if (a == "--evidence") {
            if (i + 1 >= args.size()) {
                throw UsageError("option --evidence needs a value (NAME or NAME=URL)");
            }
            o.evidence.push_back(args[++i]);
        } else if (valued.count(a) != 0) {
            if (i + 1 >= args.size()) {
                throw UsageError("option " + a + " needs a value");
            }
            o.*(valued.at(a)) = args[++i];
        } else if (a.size() > 1 && a[0] == '-') {
            throw UsageError("unknown option '" + a + "'");
        } else {
            o.words.push_back(a);
        }
    }
    return o;
}

int parse_whole(const std::string& text, const char* option) {
    try {
        std::size_t used = 0;
        const int n = std::stoi(text, &used);
        if (used == text.size()) {
            return n;
        }
    } catch (const std::exception&) {
        // fall through to the usage error
    }
    throw UsageError(std::string(option) + " expects a whole number, not '" + text + "'");
}

}  // namespace oa_stub
