#include "export_commands.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <ostream>

#include "stub_config.h"

namespace oa_stub {

namespace {

constexpr const char* kUsage =
    "usage: oa-stub export ledger --xlsx FILE [--period P] [--plan KEY] [--user ID] [--force]\n"
    "       oa-stub export bulletin --period P --docx FILE [--plan KEY] [--user ID] [--force]";

std::string quote(const std::string& s) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return buffer.GetString();
}

std::string request_of(const Options& o, const std::string& path) {
    std::string out = "{\"path\":" + quote(path);
    if (o.period) {
        out += ",\"period\":" + quote(*o.period);
    }
    if (o.plan) {
        out += ",\"plan\":" + quote(*o.plan);
    }
    if (o.user) {
        out += ",\"user\":" + quote(*o.user);
    }
    if (o.force) {
        out += ",\"force\":true";
    }
    return out + "}";
}

}  // namespace

int export_command(CliContext& c) {
    const auto& o = c.options;
    const std::string what = o.words.size() == 2 ? o.words[1] : "";
    std::string method, path;
    if (what == "ledger" && o.xlsx && !o.docx) {
        method = "export.ledger";
        path = *o.xlsx;
    } else if (what == "bulletin" && o.docx && !o.xlsx) {
        if (!o.period) {
            throw UsageError("export bulletin needs --period P (the month it reports on)\n" +
                             std::string(kUsage));
        }
        method = "export.bulletin";
        path = *o.docx;
    } else {
        throw UsageError(kUsage);
    }
    const std::string result = c.host.call(method, request_of(o, path));
    if (o.json) {
        c.out << result << "\n";
    }
    rapidjson::Document r;
    r.Parse(result.data(), result.size());
    if (std::string(r["outcome"].GetString()) != "ok") {
        c.err << "oa-stub: " << r["outcome"].GetString() << ": " << r["message"].GetString()
              << "\n";
        return kRefused;
    }
    if (!o.json) {
        c.out << "Wrote " << (what == "ledger" ? "the ledger (台账)" : "the bulletin (通报)")
              << " of plan " << r["plan"].GetString() << " for " << r["period"].GetString()
              << " to " << path << " (" << r["size"].GetUint64() << " bytes, sha256 "
              << r["sha256"].GetString() << ")\n";
        if (r.HasMember("sheets")) {
            c.out << "Sheets:";
            for (const auto& s : r["sheets"].GetArray()) {
                c.out << " " << s.GetString();
            }
            c.out << "\n";
        }
        if (r.HasMember("totals")) {
            const auto& t = r["totals"];
            c.out << "Due " << t["due"].GetInt() << ", on time " << t["on_time"].GetInt()
                  << ", late " << t["late"].GetInt() << ", missing " << t["missing"].GetInt()
                  << ", not yet due " << t["pending"].GetInt() << "; urges " << t["urges"].GetInt()
                  << ", supervision notices " << t["notices"].GetInt() << "\n";
        }
    }
    return 0;
}

}  // namespace oa_stub
