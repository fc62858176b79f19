#include "stub_config.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "text/file_reader.h"

namespace oa_stub {

namespace {

constexpr const char* kDefaultDatabase = "reform_ledger.db";

// The plugin takes a configuration of at most 16 MiB (kMaxConfigBytes in
// plugin/config.h); the stub reads its own files under the same bound.
constexpr std::size_t kMaxConfigFileBytes = std::size_t{16} << 20;

rapidjson::Document parse_file(const std::string& path, const char* what) {
    const std::string text = read_text_file(path, what);
    rapidjson::Document doc;
    // Iterative: a file nested a million deep is an error, not a stack overflow.
    doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
    if (doc.HasParseError()) {
        throw UsageError(std::string(what) + " '" + path + "' is not valid JSON: " +
                         rapidjson::GetParseError_En(doc.GetParseError()) + " at byte " +
                         std::to_string(doc.GetErrorOffset()));
    }
    if (!doc.IsObject()) {
        throw UsageError(std::string(what) + " '" + path + "' must hold a JSON object");
    }
    return doc;
}

std::string directory_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

std::string read_text_file(const std::string& path, const char* what) {
    try {
        return rl::text::read_file(
            path, {kMaxConfigFileBytes, "the plugin for a configuration (fixed)"}, what);
    } catch (const rl::text::DocumentError& e) {
        throw UsageError(e.what());
    }
}

std::string effective_database_path(const StubSettings& settings) {
    if (settings.database_path) {
        return *settings.database_path;
    }
    rapidjson::Document doc = parse_file(settings.config_path, "configuration");
    if (doc.HasMember("database") && doc["database"].IsObject() &&
        doc["database"].HasMember("path") && doc["database"]["path"].IsString()) {
        return doc["database"]["path"].GetString();
    }
    return kDefaultDatabase;
}

ReceiverSettings receiver_settings(const StubSettings& settings) {
    rapidjson::Document doc = parse_file(settings.config_path, "configuration");
    ReceiverSettings out;
    if (!doc.HasMember("receiver")) {
        return out;
    }
    const auto& r = doc["receiver"];
    if (!r.IsObject() || !r.HasMember("secret") || !r["secret"].IsString() ||
        (r.HasMember("port") && !r["port"].IsInt())) {
        throw UsageError("configuration '" + settings.config_path +
                         "': receiver must be {\"port\": NUMBER, \"secret\": \"whsec_…\"}");
    }
    out.secret = r["secret"].GetString();
    if (r.HasMember("port")) {
        out.port = r["port"].GetInt();
    }
    return out;
}

std::string plugin_config_json(const StubSettings& settings) {
    rapidjson::Document doc = parse_file(settings.config_path, "configuration");
    auto& alloc = doc.GetAllocator();
    if (doc.HasMember("org_chart") && doc["org_chart"].IsString()) {
        std::string file = doc["org_chart"].GetString();
        if (file.empty() || file[0] != '/') {
            file = directory_of(settings.config_path) + "/" + file;
        }
        rapidjson::Document chart = parse_file(file, "org chart");
        doc["org_chart"].CopyFrom(chart, alloc);
    }
    const ReceiverSettings receiver = receiver_settings(settings);
    doc.RemoveMember("receiver");
    if (doc.HasMember("notifications") && doc["notifications"].IsObject()) {
        auto& notifications = doc["notifications"];
        if (notifications.HasMember("channels") && notifications["channels"].IsArray()) {
            const std::string url = settings.receiver_url.value_or(
                "http://127.0.0.1:" + std::to_string(receiver.port) + "/messages");
            for (auto& channel : notifications["channels"].GetArray()) {
                if (channel.IsObject() && channel.HasMember("url") && channel["url"].IsString() &&
                    std::string(channel["url"].GetString()) == "stub:receiver") {
                    channel["url"].SetString(url.c_str(), alloc);
                }
            }
        }
        if (!settings.delivery_worker) {
            // The command delivers itself (notify deliver): no thread, but the
            // rest of the worker's settings (lease_ms, batch) still hold.
            if (!notifications.HasMember("worker") || !notifications["worker"].IsObject()) {
                notifications.RemoveMember("worker");
                notifications.AddMember("worker", rapidjson::Value(rapidjson::kObjectType), alloc);
            }
            auto& worker = notifications["worker"];
            worker.RemoveMember("enabled");
            worker.AddMember("enabled", false, alloc);
        }
    }
    const std::string db = effective_database_path(settings);
    // A PostgreSQL database in the configuration (database.url or .host) is
    // kept, unless --db or $REFORM_LEDGER_DB names a SQLite file instead.
    const bool postgresql = doc.HasMember("database") && doc["database"].IsObject() &&
                            (doc["database"].HasMember("url") || doc["database"].HasMember("host"));
    if (!doc.HasMember("database") || !doc["database"].IsObject() ||
        (postgresql && settings.database_path)) {
        doc.RemoveMember("database");
        doc.AddMember("database", rapidjson::Value(rapidjson::kObjectType), alloc);
    }
    auto& database = doc["database"];
    if (!postgresql || settings.database_path) {
        database.RemoveMember("path");
        database.AddMember("path", rapidjson::Value(db.c_str(), alloc), alloc);
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    doc.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace oa_stub
