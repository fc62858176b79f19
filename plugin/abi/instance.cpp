#include "abi/instance.h"

#include <rapidjson/stringbuffer.h>

#include <memory>

#include "abi/errors.h"
#include "abi/families.h"
#include "abi/request_limits.h"
#include "core/utf8.h"
#include "registrations.h"
#include "resources/embedded.h"

#ifndef RL_PLUGIN_VERSION
#define RL_PLUGIN_VERSION "0.0.0"
#endif

namespace rl::abi {

Instance::Instance(const rl_host_services& host, Config config)
    : methods_(all_methods()),
      context_(std::make_unique<Context>(host, std::move(config), methods_)) {
    register_definitions();
    // The org chart of now decides: what was handed over to someone who has
    // since left their role waits for the role's holders again (not on a
    // damaged file, which takes no writes).
    storage::Database& database = context_->database();
    if (!database.damage()) {
        database.transaction(true, [this] { release_lapsed_hand_overs(*context_); });
    }
    if (notify::DeliveryWorker* worker = context_->worker()) {
        worker->start();
    }
    context_->host().log(RL_LOG_INFO, std::string("reform-ledger ") + RL_PLUGIN_VERSION +
                                          ": database '" + database.path() +
                                          "' at schema version " +
                                          std::to_string(database.schema_version()));
}

Instance::~Instance() {
    shutdown();
}

void Instance::register_definitions() {
    const Host& host = context_->host();
    const Config& config = context_->config();
    int counts[4] = {0, 0, 0, 0};
    for (const auto& d : definitions()) {
        // Forms carry the configured limits of their fields.
        host.register_definition(
            d.kind, d.id, d.version,
            d.kind == RL_REGISTRATION_FORM ? with_limits(d.json, config.limits) : d.json);
        ++counts[d.kind];
    }
    host.log(RL_LOG_INFO,
             "registered " + std::to_string(counts[RL_REGISTRATION_FORM]) + " forms, " +
                 std::to_string(counts[RL_REGISTRATION_WORKFLOW]) + " workflow(s), " +
                 std::to_string(counts[RL_REGISTRATION_NOTIFICATION_RULE]) + " notification rules");
}

void Instance::shutdown() {
    std::unique_lock<std::shared_mutex> lock(lifecycle_);
    if (shut_down_.exchange(true)) {
        return;
    }
    context_->close();
}

void Instance::call(std::string_view method, std::string_view request,
                    const std::function<void(std::string_view)>& emit) {
    std::shared_lock<std::shared_mutex> lock(lifecycle_);
    if (shut_down_) {
        throw CallError(RL_ERR_STATE, "the plugin instance has been shut down");
    }
    const Method* const handler = methods_.find(method);
    if (handler == nullptr) {
        std::string known;
        for (const auto& [name, entry] : methods_) {
            known += known.empty() ? "" : ", ";
            known += name;
        }
        throw CallError(
            RL_ERR_UNKNOWN_METHOD,
            "unknown method '" + core::utf8::printable(method, 64) + "' (known: " + known + ")");
    }
    const Limits& limits = context_->config().limits;
    check_request_size(request, limits);
    const rapidjson::Document doc =
        request_reader().parse_object(request, limits.json_depth, "limits.json_depth");
    check_text_fields(doc, limits);
    const auto run = [&] {
        auto lease = buffers_.lease();
        rapidjson::StringBuffer& buffer = *lease;
        json::Writer writer(buffer);
        bool discard = false;
        try {
            handler->fn(*context_, doc, writer);
        } catch (const DiscardWrites&) {
            discard = true;
        }
        emit(std::string_view(buffer.GetString(), buffer.GetSize()));
        if (discard) {
            throw DiscardWrites{};
        }
    };
    try {
        if (handler->tx == Tx::none) {
            run();
        } else if (handler->tx == Tx::slices) {
            // The handler's slices, each a transaction of its own; then its
            // last write and the result in one more.
            struct Forget {
                Context& context;
                ~Forget() { context.take_last_write(); }
            } forget{*context_};
            {
                rapidjson::StringBuffer unused;
                json::Writer none(unused);
                handler->fn(*context_, doc, none);
            }
            const Context::LastWrite last = context_->take_last_write();
            if (!last) {
                throw CallError(RL_ERR_INTERNAL,
                                "method '" + std::string(method) + "' gave no last write to run");
            }
            context_->database().transaction(true, [&] {
                auto lease = buffers_.lease();
                rapidjson::StringBuffer& buffer = *lease;
                json::Writer writer(buffer);
                last(writer);
                emit(std::string_view(buffer.GetString(), buffer.GetSize()));
            });
        } else if (handler->keep == Keep::answers && context_->answers().enabled()) {
            // The same request on the same day against a ledger nobody has
            // written to since: the answer kept from last time. Checked by
            // one statement before any transaction (on PostgreSQL one round
            // trip, not three); only a miss opens the read transaction, whose
            // snapshot's count the new answer is kept under.
            std::string key;
            key.reserve(method.size() + request.size() + 12);
            key.append(method).append(1, '\n');
            key.append(context_->today().iso()).append(1, '\n');
            key.append(request);
            AnswerCache& answers = context_->answers();
            if (const AnswerCache::Answer kept =
                    answers.find(key, storage::ledger_changes(context_->database()))) {
                emit(*kept);
                return;
            }
            context_->database().transaction(false, [&] {
                const std::int64_t changes = storage::ledger_changes(context_->database());
                auto lease = buffers_.lease();
                rapidjson::StringBuffer& buffer = *lease;
                json::Writer writer(buffer);
                handler->fn(*context_, doc, writer);
                const auto answer =
                    std::make_shared<const std::string>(buffer.GetString(), buffer.GetSize());
                answers.keep(key, changes, answer);
                emit(*answer);
            });
        } else {
            context_->database().transaction(handler->tx == Tx::write, run);
        }
    } catch (const DiscardWrites&) {
        // The result went out; the transaction rolled back.
    }
}

// ------------------------------------------------------------ the plugin family

namespace {

void plugin_info(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {});
    w.StartObject();
    w.Key("name");
    w.String("reform-ledger");
    w.Key("version");
    w.String(RL_PLUGIN_VERSION);
    w.Key("abi");
    w.StartObject();
    w.Key("major");
    w.Uint(RL_ABI_VERSION_MAJOR);
    w.Key("minor");
    w.Uint(RL_ABI_VERSION_MINOR);
    w.EndObject();
    w.Key("database");
    w.StartObject();
    w.Key("path");
    json::write_string(w, ctx.database().path());
    w.Key("schema_version");
    w.Int(ctx.database().schema_version());
    w.EndObject();
    const AnswerCache::Figures kept = ctx.answers().figures();
    w.Key("answer_cache");
    w.StartObject();
    w.Key("limit_bytes");
    w.Uint64(kept.limit_bytes);
    w.Key("bytes");
    w.Uint64(kept.bytes);
    w.Key("answers");
    w.Uint64(kept.entries);
    w.Key("hits");
    w.Uint64(kept.hits);
    w.Key("misses");
    w.Uint64(kept.misses);
    w.EndObject();
    w.Key("methods");
    w.StartArray();
    for (const auto& entry : ctx.methods()) {
        json::write_string(w, entry.first);
    }
    w.EndArray();
    w.EndObject();
}

void plugin_describe(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    request_reader().only_keys(request, "", {});
    // The catalogue is data compiled in (plugin/catalogue/methods.json); it
    // must name exactly the methods call() runs, or hosts that generate their
    // interfaces from it (reform-ledger-server's OpenAPI) would lie.
    const auto files = resources::method_catalogue();
    if (files.size() != 1) {
        throw CallError(RL_ERR_INTERNAL,
                        "plugin.describe: the method catalogue is not compiled in");
    }
    const std::string text = files.front().text();
    rapidjson::Document catalogue;
    catalogue.Parse(text.data(), text.size());
    if (catalogue.HasParseError() || !catalogue.IsObject() || !catalogue.HasMember("methods") ||
        !catalogue["methods"].IsObject()) {
        throw CallError(RL_ERR_INTERNAL,
                        "plugin.describe: plugin/catalogue/methods.json has no \"methods\" object");
    }
    const auto& methods = catalogue["methods"];
    std::string missing;
    for (const auto& entry : ctx.methods()) {
        if (!methods.HasMember(entry.first.c_str())) {
            missing += (missing.empty() ? "" : ", ") + entry.first;
        }
    }
    std::string unknown;
    for (const auto& m : methods.GetObject()) {
        if (ctx.methods().find(std::string_view(m.name.GetString())) == nullptr) {
            unknown += (unknown.empty() ? "" : ", ") + std::string(m.name.GetString());
        }
    }
    if (!missing.empty() || !unknown.empty()) {
        throw CallError(RL_ERR_INTERNAL,
                        "plugin.describe: plugin/catalogue/methods.json does not match the methods "
                        "call() runs (not described: " +
                            (missing.empty() ? "none" : missing) + "; described but absent: " +
                            (unknown.empty() ? "none" : unknown) + ")");
    }
    w.RawValue(text.data(), text.size(), rapidjson::kObjectType);
}

}  // namespace

void add_plugin_methods(MethodTable& table) {
    table.add("plugin.info", Tx::read, plugin_info);
    table.add("plugin.describe", Tx::none, plugin_describe);
}

}  // namespace rl::abi
