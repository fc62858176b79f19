// The real plugin (libreform_ledger.so) through its C ABI: loaded with dlopen
// by oa_stub::PluginHost, or driven directly through its rl_plugin table with
// host services written here.
#include <gtest/gtest.h>

#include <dlfcn.h>
#include <rapidjson/document.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "abi_test_helpers.h"
#include "plugin_host.h"
#include "reform_ledger.h"
#include "registry.h"
#include "support/test_support.h"

using oa_stub::PluginError;
using oa_stub::PluginHost;
using rl::test::TempDir;
using rl::test::abi::status_of;

namespace {

constexpr std::int64_t kNow = 1569888000000;  // 2019-10-01T00:00:00Z

rl_error new_error() {
    rl_error e{};
    e.struct_size = sizeof(e);
    return e;
}

// An rl_error whose every byte but struct_size is 'Z': what the plugin must not
// write stays 'Z'.
rl_error z_filled_error(std::size_t struct_size) {
    rl_error e{};
    std::memset(&e, 'Z', sizeof(e));
    e.struct_size = static_cast<uint32_t>(struct_size);
    return e;
}

int32_t append(void* context, const char* data, size_t size) {
    static_cast<std::string*>(context)->append(data, size);
    return 0;
}

int32_t refuse(void*, const char*, size_t) {
    return 1;
}

bool file_exists(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0;
}

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

std::string seed_parse_request() {
    return "{\"path\":" + json_string(RL_SEED_PLAN) + "}";
}

// Imports name who imports: the demo's reform-office contact.
std::string seed_import_request() {
    return "{\"path\":" + json_string(RL_SEED_PLAN) + ",\"actor\":\"u-sigaiban-contact\"}";
}

rapidjson::Document parse_json(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    return doc;
}

std::set<std::string> keys_of(const rapidjson::Value& object) {
    std::set<std::string> keys;
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
        keys.insert(it->name.GetString());
    }
    return keys;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// Host services of our own: a registry, a fixed clock, no log, and a record of
// the kinds in registration order.
struct TestHost {
    oa_stub::Registry registry;
    std::vector<int32_t> kinds;
    rl_host_services services{};

    TestHost() {
        services.struct_size = sizeof(services);
        services.host_context = this;
        services.log = nullptr;
        services.now_ms = [](void*) -> int64_t { return kNow; };
        services.register_definition = &TestHost::register_definition;
    }

    static rl_status register_definition(void* context, int32_t kind, const char* json, size_t size,
                                         rl_error* error) {
        auto* self = static_cast<TestHost*>(context);
        self->kinds.push_back(kind);
        const std::string problem = self->registry.add(kind, std::string(json, size));
        if (problem.empty()) {
            return RL_OK;
        }
        if (error != nullptr && error->struct_size >= sizeof(rl_error)) {
            error->code = RL_ERR_REGISTRATION;
            std::snprintf(error->message, sizeof(error->message), "%s", problem.c_str());
        }
        return RL_ERR_REGISTRATION;
    }
};

// A PluginHost that has loaded the plugin, for driving its rl_plugin table
// directly. Instances made here must be destroyed before the host unloads.
class PluginTable : public ::testing::Test {
protected:
    void SetUp() override {
        loader_.load(RL_PLUGIN_PATH);
        plugin_ = &loader_.plugin();
        db_ = dir_.file("ledger.db");
    }
    void TearDown() override {
        for (rl_instance* instance : instances_) {
            plugin_->destroy(instance);
        }
        instances_.clear();
    }

    // Creates an instance on test_host_ (or the given host); fails the test if refused.
    rl_instance* create(const std::string& db_path, TestHost* host = nullptr) {
        const std::string config = rl::test::plugin_config(db_path);
        rl_error error = new_error();
        rl_instance* instance = nullptr;
        const rl_status status = plugin_->create(&(host != nullptr ? host : &test_host_)->services,
                                                 config.data(), config.size(), &instance, &error);
        EXPECT_EQ(status, RL_OK) << error.message;
        if (instance != nullptr) {
            instances_.push_back(instance);
        }
        return instance;
    }

    void destroy(rl_instance* instance) {
        instances_.erase(std::remove(instances_.begin(), instances_.end(), instance),
                         instances_.end());
        plugin_->destroy(instance);
    }

    rl_status call(rl_instance* instance, const std::string& method, const std::string& request,
                   std::string* out, rl_error* error) {
        rl_sink sink{sizeof(rl_sink), out, &append};
        return plugin_->call(instance, method.data(), method.size(), request.data(), request.size(),
                             &sink, error);
    }

    PluginHost loader_;
    const rl_plugin* plugin_ = nullptr;
    TestHost test_host_;
    TempDir dir_;
    std::string db_;
    std::vector<rl_instance*> instances_;
};

// A PluginHost with a created instance on a fresh database.
class LoadedPlugin : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = dir_.file("ledger.db");
        host_.set_clock(kNow);
        host_.load(RL_PLUGIN_PATH);
        host_.create(rl::test::plugin_config(db_));
    }
    TempDir dir_;
    std::string db_;
    PluginHost host_;
};

}  // namespace

// ------------------------------------------------------------ version

TEST(AbiVersion, HostWithNextMajorIsRefusedNamingBothVersions) {
    PluginHost host;
    std::string message;
    EXPECT_EQ(status_of([&] { host.load(RL_PLUGIN_PATH, RL_ABI_VERSION_MAJOR + 1, 0); }, &message),
              RL_ERR_VERSION_MISMATCH);
    const std::string host_version = std::to_string(RL_ABI_VERSION_MAJOR + 1) + ".0";
    const std::string plugin_version =
        std::to_string(RL_ABI_VERSION_MAJOR) + "." + std::to_string(RL_ABI_VERSION_MINOR);
    EXPECT_TRUE(contains(message, host_version)) << message;
    EXPECT_TRUE(contains(message, plugin_version)) << message;
}

TEST(AbiVersion, HostWithOlderMajorIsRefused) {
    PluginHost host;
    EXPECT_EQ(status_of([&] { host.load(RL_PLUGIN_PATH, RL_ABI_VERSION_MAJOR - 1, 9); }),
              RL_ERR_VERSION_MISMATCH);
}

TEST(AbiVersion, SameMajorWithANewerMinorIsAccepted) {
    TempDir dir;
    PluginHost host;
    ASSERT_EQ(status_of([&] {
                  host.load(RL_PLUGIN_PATH, RL_ABI_VERSION_MAJOR, RL_ABI_VERSION_MINOR + 5);
              }),
              RL_OK);
    EXPECT_EQ(host.plugin().abi_major, static_cast<uint32_t>(RL_ABI_VERSION_MAJOR));
    EXPECT_EQ(host.plugin().abi_minor, static_cast<uint32_t>(RL_ABI_VERSION_MINOR));
    host.create(rl::test::plugin_config(dir.file("ledger.db")));
    const auto info = parse_json(host.call("plugin.info"));
    ASSERT_TRUE(info.IsObject());
    EXPECT_EQ(info["abi"]["major"].GetUint(), static_cast<unsigned>(RL_ABI_VERSION_MAJOR));
    host.shutdown();
}

TEST(AbiEntry, NullOutIsInvalidArgumentAndTheTableDescribesThePlugin) {
    void* library = dlopen(RL_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(library, nullptr) << dlerror();
    void* symbol = dlsym(library, RL_ENTRY_SYMBOL);
    ASSERT_NE(symbol, nullptr);
    rl_entry_fn entry;
    std::memcpy(&entry, &symbol, sizeof(entry));
    rl_error error = new_error();
    EXPECT_EQ(entry(RL_ABI_VERSION_MAJOR, RL_ABI_VERSION_MINOR, nullptr, &error),
              RL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(error.code, RL_ERR_INVALID_ARGUMENT);
    EXPECT_GT(std::strlen(error.message), 0u);
    EXPECT_EQ(entry(RL_ABI_VERSION_MAJOR, RL_ABI_VERSION_MINOR, nullptr, nullptr),
              RL_ERR_INVALID_ARGUMENT);

    const rl_plugin* plugin = reinterpret_cast<const rl_plugin*>(0x1);
    EXPECT_EQ(entry(RL_ABI_VERSION_MAJOR + 1, 0, &plugin, nullptr), RL_ERR_VERSION_MISMATCH);
    EXPECT_EQ(plugin, nullptr) << "*out must be NULL on failure";

    ASSERT_EQ(entry(RL_ABI_VERSION_MAJOR, RL_ABI_VERSION_MINOR, &plugin, nullptr), RL_OK);
    ASSERT_NE(plugin, nullptr);
    EXPECT_EQ(plugin->struct_size, sizeof(rl_plugin));
    EXPECT_STREQ(plugin->name, "reform-ledger");
    EXPECT_NE(plugin->version, nullptr);
    EXPECT_NE(plugin->create, nullptr);
    EXPECT_NE(plugin->call, nullptr);
    EXPECT_NE(plugin->shutdown, nullptr);
    EXPECT_NE(plugin->destroy, nullptr);
    dlclose(library);
}

// ------------------------------------------------------------ layout pins

TEST(AbiLayout, StatusCodesAndEntrySymbolAreStable) {
    EXPECT_EQ(RL_OK, 0);
    EXPECT_EQ(RL_ERR_INVALID_ARGUMENT, 1);
    EXPECT_EQ(RL_ERR_VERSION_MISMATCH, 2);
    EXPECT_EQ(RL_ERR_CONFIG, 3);
    EXPECT_EQ(RL_ERR_INPUT, 4);
    EXPECT_EQ(RL_ERR_NOT_FOUND, 5);
    EXPECT_EQ(RL_ERR_STORAGE, 6);
    EXPECT_EQ(RL_ERR_REGISTRATION, 7);
    EXPECT_EQ(RL_ERR_UNKNOWN_METHOD, 8);
    EXPECT_EQ(RL_ERR_STATE, 9);
    EXPECT_EQ(RL_ERR_INTERNAL, 99);
    EXPECT_STREQ(RL_ENTRY_SYMBOL, "reform_ledger_entry_v1");
    EXPECT_EQ(RL_REGISTRATION_FORM, 1);
    EXPECT_EQ(RL_REGISTRATION_WORKFLOW, 2);
    EXPECT_EQ(RL_REGISTRATION_NOTIFICATION_RULE, 3);
    EXPECT_EQ(RL_LOG_DEBUG, 0);
    EXPECT_EQ(RL_LOG_ERROR, 3);
}

#if defined(__x86_64__)
TEST(AbiLayout, RlErrorLayoutOnX86_64) {
    EXPECT_EQ(offsetof(rl_error, struct_size), 0u);
    EXPECT_EQ(offsetof(rl_error, code), 4u);
    EXPECT_EQ(offsetof(rl_error, message), 8u);
    EXPECT_EQ(sizeof(rl_error), 1032u);
    EXPECT_EQ(alignof(rl_error), 4u);
}

TEST(AbiLayout, RlSinkLayoutOnX86_64) {
    EXPECT_EQ(offsetof(rl_sink, struct_size), 0u);
    EXPECT_EQ(offsetof(rl_sink, context), 8u);
    EXPECT_EQ(offsetof(rl_sink, write), 16u);
    EXPECT_EQ(sizeof(rl_sink), 24u);
}

TEST(AbiLayout, RlHostServicesLayoutOnX86_64) {
    EXPECT_EQ(offsetof(rl_host_services, struct_size), 0u);
    EXPECT_EQ(offsetof(rl_host_services, host_context), 8u);
    EXPECT_EQ(offsetof(rl_host_services, log), 16u);
    EXPECT_EQ(offsetof(rl_host_services, now_ms), 24u);
    EXPECT_EQ(offsetof(rl_host_services, register_definition), 32u);
    EXPECT_EQ(sizeof(rl_host_services), 40u);
}

TEST(AbiLayout, RlPluginLayoutOnX86_64) {
    EXPECT_EQ(offsetof(rl_plugin, struct_size), 0u);
    EXPECT_EQ(offsetof(rl_plugin, abi_major), 4u);
    EXPECT_EQ(offsetof(rl_plugin, abi_minor), 8u);
    EXPECT_EQ(offsetof(rl_plugin, name), 16u);
    EXPECT_EQ(offsetof(rl_plugin, version), 24u);
    EXPECT_EQ(offsetof(rl_plugin, create), 32u);
    EXPECT_EQ(offsetof(rl_plugin, call), 40u);
    EXPECT_EQ(offsetof(rl_plugin, shutdown), 48u);
    EXPECT_EQ(offsetof(rl_plugin, destroy), 56u);
    EXPECT_EQ(sizeof(rl_plugin), 64u);
}
#endif

TEST(AbiLayout, HasFieldMacroComparesAgainstStructSize) {
    rl_error e{};
    e.struct_size = offsetof(rl_error, code) + sizeof(int32_t);
    EXPECT_TRUE(RL_HAS_FIELD(&e, rl_error, code));
    EXPECT_FALSE(RL_HAS_FIELD(&e, rl_error, message));
    e.struct_size = sizeof(rl_error);
    EXPECT_TRUE(RL_HAS_FIELD(&e, rl_error, message));
}

// ------------------------------------------------------------ registrations

TEST_F(LoadedPlugin, CreateRegistersTwoFormsTwoWorkflowsAndEighteenRules) {
    const auto& registry = host_.registry();
    const auto forms = registry.of_kind(RL_REGISTRATION_FORM);
    const auto workflows = registry.of_kind(RL_REGISTRATION_WORKFLOW);
    const auto rules = registry.of_kind(RL_REGISTRATION_NOTIFICATION_RULE);
    std::set<std::string> form_ids;
    for (const auto& f : forms) {
        form_ids.insert(f.id);
    }
    EXPECT_EQ(form_ids, (std::set<std::string>{"reform_ledger.form.task_assignment",
                                               "reform_ledger.form.progress_report"}));
    std::set<std::string> workflow_ids;
    for (const auto& w : workflows) {
        workflow_ids.insert(w.id);
    }
    EXPECT_EQ(workflow_ids,
              (std::set<std::string>{"reform_ledger.workflow.progress_report_approval",
                                     "reform_ledger.workflow.task_closure_approval"}));
    // six for reports, four for instructions (批示), four for tasks' deadlines,
    // four for closures (办结) and extensions (延期) in approval
    EXPECT_EQ(rules.size(), 18u);
    std::set<std::string> rule_ids;
    for (const auto& r : rules) {
        rule_ids.insert(r.id);
        EXPECT_GE(r.version, 1) << r.id;
    }
    EXPECT_EQ(rule_ids.size(), 18u) << "rule ids are not distinct";
    EXPECT_EQ(registry.size(), 22u);
}

TEST_F(LoadedPlugin, EveryFormFieldHasNameLabelTypeAndRequired) {
    const auto forms = host_.registry().of_kind(RL_REGISTRATION_FORM);
    ASSERT_EQ(forms.size(), 2u);
    for (const auto& form : forms) {
        const auto doc = parse_json(form.json);
        ASSERT_TRUE(doc.IsObject()) << form.id;
        ASSERT_TRUE(doc.HasMember("fields") && doc["fields"].IsArray()) << form.id;
        ASSERT_GT(doc["fields"].Size(), 0u) << form.id;
        std::set<std::string> names;
        for (const auto& field : doc["fields"].GetArray()) {
            ASSERT_TRUE(field.IsObject()) << form.id;
            const std::string name = field.HasMember("name") && field["name"].IsString()
                                         ? field["name"].GetString()
                                         : "";
            EXPECT_FALSE(name.empty()) << form.id << ": a field without a name";
            EXPECT_TRUE(names.insert(name).second) << form.id << ": field " << name << " twice";
            EXPECT_TRUE(field.HasMember("label") && field["label"].IsString() &&
                        field["label"].GetStringLength() > 0)
                << form.id << "." << name << ": label";
            EXPECT_TRUE(field.HasMember("type") && field["type"].IsString() &&
                        field["type"].GetStringLength() > 0)
                << form.id << "." << name << ": type";
            EXPECT_TRUE(field.HasMember("required") && field["required"].IsBool())
                << form.id << "." << name << ": required";
        }
    }
}

TEST_F(PluginTable, RegistrationsComeFormsFirstThenWorkflowsThenRules) {
    ASSERT_NE(create(db_), nullptr);
    std::vector<int32_t> expected{RL_REGISTRATION_FORM, RL_REGISTRATION_FORM,
                                  RL_REGISTRATION_WORKFLOW, RL_REGISTRATION_WORKFLOW};
    // Six rules for reports, four for instructions (批示), four for tasks' deadlines,
    // four for closures and extensions in approval.
    expected.insert(expected.end(), 18, RL_REGISTRATION_NOTIFICATION_RULE);
    EXPECT_EQ(test_host_.kinds, expected);
}

TEST(AbiRegistry, SameIdTwiceIsRefusedNamingTheId) {
    oa_stub::Registry registry;
    EXPECT_EQ(registry.add(RL_REGISTRATION_FORM, R"({"id":"demo.form.a","version":1})"), "");
    const std::string again =
        registry.add(RL_REGISTRATION_FORM, R"({"id":"demo.form.a","version":2})");
    EXPECT_FALSE(again.empty());
    EXPECT_TRUE(contains(again, "demo.form.a")) << again;
    const std::string other_kind =
        registry.add(RL_REGISTRATION_WORKFLOW, R"({"id":"demo.form.a","version":1})");
    EXPECT_TRUE(contains(other_kind, "demo.form.a")) << other_kind;
    EXPECT_EQ(registry.size(), 1u);
    EXPECT_FALSE(registry.add(RL_REGISTRATION_FORM, R"({"version":1})").empty());
    EXPECT_FALSE(registry.add(RL_REGISTRATION_FORM, R"({"id":"x"})").empty());
    EXPECT_FALSE(registry.add(42, R"({"id":"y","version":1})").empty());
    EXPECT_FALSE(registry.add(RL_REGISTRATION_FORM, "not json").empty());
    EXPECT_EQ(registry.size(), 1u);
}

TEST_F(PluginTable, SecondCreateOnTheSameHostServicesIsRefusedAsAlreadyRegistered) {
    ASSERT_NE(create(db_), nullptr);
    ASSERT_EQ(test_host_.registry.size(), 22u);
    const std::string config = rl::test::plugin_config(dir_.file("second.db"));
    rl_error error = new_error();
    rl_instance* second = reinterpret_cast<rl_instance*>(0x1);
    const rl_status status =
        plugin_->create(&test_host_.services, config.data(), config.size(), &second, &error);
    EXPECT_EQ(status, RL_ERR_REGISTRATION);
    EXPECT_EQ(error.code, RL_ERR_REGISTRATION);
    EXPECT_EQ(second, nullptr) << "*out must be NULL on failure";
    const std::string message = error.message;
    EXPECT_TRUE(contains(message, "reform_ledger.form.progress_report")) << message;
    EXPECT_TRUE(contains(message, "already registered")) << message;
    EXPECT_EQ(test_host_.registry.size(), 22u);
    if (second != nullptr && second != reinterpret_cast<rl_instance*>(0x1)) {
        plugin_->destroy(second);
    }
}

TEST_F(PluginTable, HostWithoutRegisterDefinitionIsARegistrationError) {
    TestHost host;
    host.services.register_definition = nullptr;
    const std::string config = rl::test::plugin_config(db_);
    rl_error error = new_error();
    rl_instance* instance = nullptr;
    EXPECT_EQ(plugin_->create(&host.services, config.data(), config.size(), &instance, &error),
              RL_ERR_REGISTRATION);
    EXPECT_EQ(instance, nullptr);
    EXPECT_TRUE(contains(error.message, "register")) << error.message;
}

// ------------------------------------------------------------ configuration

TEST_F(PluginTable, MalformedConfigJsonIsAConfigError) {
    const std::string config = "{\"database\": {\"path\": ";
    rl_error error = new_error();
    rl_instance* instance = nullptr;
    EXPECT_EQ(
        plugin_->create(&test_host_.services, config.data(), config.size(), &instance, &error),
        RL_ERR_CONFIG);
    EXPECT_EQ(instance, nullptr);
    EXPECT_EQ(error.code, RL_ERR_CONFIG);
    EXPECT_TRUE(contains(error.message, "malformed JSON")) << error.message;
    EXPECT_TRUE(contains(error.message, "configuration")) << error.message;
    EXPECT_EQ(test_host_.registry.size(), 0u);
}

TEST(AbiConfig, MissingDatabaseIsAConfigErrorNamingDatabase) {
    PluginHost host;
    host.load(RL_PLUGIN_PATH);
    std::string message;
    EXPECT_EQ(
        status_of([&] { host.create("{\"org_chart\":" + rl::test::demo_org_chart_json() + "}"); },
                  &message),
        RL_ERR_CONFIG);
    EXPECT_TRUE(contains(message, "database")) << message;
    EXPECT_EQ(host.registry().size(), 0u);
}

TEST(AbiConfig, GroupWithAnUnknownMemberIsAConfigErrorNamingTheJsonPath) {
    TempDir dir;
    PluginHost host;
    host.load(RL_PLUGIN_PATH);
    const std::string config =
        "{\"database\":" + rl::test::database_json(dir.file("ledger.db")) +
        ",\"org_chart\":{\"departments\":[{\"name\":\"刑庭\"}],"
        "\"groups\":[{\"name\":\"各审判部门\",\"members\":[\"刑庭\",\"不存在庭\"]}]}}";
    std::string message;
    EXPECT_EQ(status_of([&] { host.create(config); }, &message), RL_ERR_CONFIG);
    EXPECT_TRUE(contains(message, "org_chart.groups[0]")) << message;
    EXPECT_TRUE(contains(message, "不存在庭")) << message;
    EXPECT_FALSE(file_exists(dir.file("ledger.db")))
        << "a database was created for a bad configuration";
}

TEST(AbiConfig, UnusableDatabasePathIsAStorageErrorNamingThePath) {
    RL_SKIP_ON_POSTGRESQL(
        "a SQLite file in a missing folder: PostgreSQL has no file (an unreachable server: "
        "storage.DatabasePostgres.UnreachableServerIsAStorageErrorNamingHostPortAndDatabase)");
    TempDir dir;
    PluginHost host;
    host.load(RL_PLUGIN_PATH);
    const std::string path = dir.file("missing") + "/ledger.db";
    std::string message;
    EXPECT_EQ(status_of([&] { host.create(rl::test::plugin_config(path)); }, &message),
              RL_ERR_STORAGE);
    EXPECT_TRUE(contains(message, path)) << message;
    EXPECT_EQ(host.registry().size(), 0u);
}

// ------------------------------------------------------------ call errors

TEST_F(LoadedPlugin, UnknownMethodIsUnknownMethod) {
    std::string message;
    EXPECT_EQ(status_of([&] { host_.call("plan.frobnicate"); }, &message), RL_ERR_UNKNOWN_METHOD);
    EXPECT_TRUE(contains(message, "plan.frobnicate")) << message;
}

TEST_F(LoadedPlugin, MalformedRequestJsonIsInvalidArgument) {
    EXPECT_EQ(status_of([&] { host_.call("plugin.info", "{\"x\":"); }), RL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { host_.call("plugin.info", "[1,2]"); }), RL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { host_.call("ledger.tasks", "{\"plan\": 5}"); }),
              RL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([&] { host_.call("plan.list", "{\"bogus\": 1}"); }),
              RL_ERR_INVALID_ARGUMENT);
}

TEST_F(PluginTable, NullArgumentsAreInvalidArgumentNeverACrash) {
    rl_instance* instance = create(db_);
    ASSERT_NE(instance, nullptr);
    std::string out;
    rl_sink sink{sizeof(rl_sink), &out, &append};
    const char method[] = "plugin.info";
    const size_t method_size = sizeof(method) - 1;
    const auto expect_invalid = [&](rl_status status, const char* what) {
        EXPECT_EQ(status, RL_ERR_INVALID_ARGUMENT) << what;
    };
    rl_error error = new_error();
    expect_invalid(plugin_->call(nullptr, method, method_size, "{}", 2, &sink, &error), "instance");
    EXPECT_EQ(error.code, RL_ERR_INVALID_ARGUMENT);
    expect_invalid(plugin_->call(instance, nullptr, 5, "{}", 2, &sink, &error), "method");
    expect_invalid(plugin_->call(instance, method, method_size, "{}", 2, nullptr, &error), "sink");
    rl_sink no_write{sizeof(rl_sink), &out, nullptr};
    expect_invalid(plugin_->call(instance, method, method_size, "{}", 2, &no_write, &error),
                   "sink.write");
    expect_invalid(plugin_->call(instance, method, method_size, nullptr, 7, &sink, &error),
                   "request with a size");
    expect_invalid(plugin_->call(instance, method, method_size, "{}", 2, nullptr, nullptr),
                   "sink, no error");
    EXPECT_EQ(out, "") << "nothing is written on failure";
    // NULL request with size 0 is an empty request.
    EXPECT_EQ(plugin_->call(instance, method, method_size, nullptr, 0, &sink, &error), RL_OK)
        << error.message;
    EXPECT_FALSE(out.empty());

    rl_instance* created = reinterpret_cast<rl_instance*>(0x1);
    const std::string config = rl::test::plugin_config(dir_.file("other.db"));
    expect_invalid(plugin_->create(nullptr, config.data(), config.size(), &created, &error),
                   "create host");
    EXPECT_EQ(created, nullptr);
    expect_invalid(
        plugin_->create(&test_host_.services, config.data(), config.size(), nullptr, &error),
        "create out");
    expect_invalid(plugin_->create(&test_host_.services, nullptr, 12, &created, &error),
                   "create config with a size");
    TestHost small;
    small.services.struct_size = 4;
    expect_invalid(plugin_->create(&small.services, config.data(), config.size(), &created, &error),
                   "create host struct_size");
    EXPECT_EQ(created, nullptr);
    expect_invalid(plugin_->shutdown(nullptr, &error), "shutdown");
    plugin_->destroy(nullptr);  // ignored
}

TEST_F(PluginTable, SinkWithATooSmallStructSizeIsInvalidArgument) {
    rl_instance* instance = create(db_);
    ASSERT_NE(instance, nullptr);
    std::string out;
    rl_sink sink{offsetof(rl_sink, write), &out, &append};  // does not cover write
    rl_error error = new_error();
    EXPECT_EQ(plugin_->call(instance, "plugin.info", 11, "{}", 2, &sink, &error),
              RL_ERR_INVALID_ARGUMENT)
        << "the plugin used a sink field its struct_size does not cover";
    EXPECT_EQ(out, "");
}

TEST_F(PluginTable, MethodAndRequestAreReadByLengthNotNulTerminator) {
    rl_instance* instance = create(db_);
    ASSERT_NE(instance, nullptr);
    std::string out;
    rl_sink sink{sizeof(rl_sink), &out, &append};
    rl_error error = new_error();
    const char method[] = "plugin.infoGARBAGE";
    const char request[] = "{}GARBAGE";
    EXPECT_EQ(plugin_->call(instance, method, 11, request, 2, &sink, &error), RL_OK)
        << error.message;
    EXPECT_TRUE(parse_json(out).IsObject()) << out;
}

TEST_F(PluginTable, SinkThatRefusesOutputFailsTheCall) {
    rl_instance* instance = create(db_);
    ASSERT_NE(instance, nullptr);
    rl_sink sink{sizeof(rl_sink), nullptr, &refuse};
    rl_error error = new_error();
    const rl_status status = plugin_->call(instance, "plugin.info", 11, "{}", 2, &sink, &error);
    EXPECT_NE(status, RL_OK);
    EXPECT_EQ(status, RL_ERR_INTERNAL);
    EXPECT_EQ(error.code, status);
    EXPECT_TRUE(contains(error.message, "sink")) << error.message;
}

TEST_F(PluginTable, ImportWhoseOutputTheSinkRefusesWritesNothing) {
    // "Each call is one transaction: when it fails, nothing it meant to write is written."
    rl_instance* instance = create(db_);
    ASSERT_NE(instance, nullptr);
    const std::string request = seed_import_request();
    rl_sink sink{sizeof(rl_sink), nullptr, &refuse};
    rl_error error = new_error();
    const rl_status status =
        plugin_->call(instance, "plan.import", 11, request.data(), request.size(), &sink, &error);
    ASSERT_NE(status, RL_OK);
    std::string out;
    ASSERT_EQ(call(instance, "plan.list", "{}", &out, &error), RL_OK) << error.message;
    const auto list = parse_json(out);
    ASSERT_TRUE(list.IsObject()) << out;
    EXPECT_EQ(list["plans"].Size(), 0u)
        << "plan.import failed (status " << status << ") but its plan was stored: " << out;
}

// ------------------------------------------------------------ methods

TEST_F(LoadedPlugin, ImportingTheSeedThenSummaryHasFortyFiveTasks) {
    const auto imported = parse_json(host_.call("plan.import", seed_import_request()));
    ASSERT_TRUE(imported.IsObject());
    EXPECT_TRUE(imported["created"].GetBool());
    EXPECT_EQ(imported["tasks"].GetInt(), 45);
    const auto summary = parse_json(host_.call("ledger.summary"));
    ASSERT_TRUE(summary.IsObject());
    EXPECT_EQ(summary["tasks"].GetInt(), 45);
    EXPECT_EQ(summary["sections"].GetInt(), 6);
    EXPECT_EQ(summary["items"].GetInt(), 2);
    EXPECT_EQ(summary["assignments"].GetInt(), 148);
    EXPECT_EQ(summary["plan"]["imported_at"].GetString(), std::string("2019-10-01T00:00:00.000Z"));
    // A second import of the same file changes nothing.
    const auto again = parse_json(host_.call("plan.import", seed_import_request()));
    EXPECT_FALSE(again["changed"].GetBool());
    EXPECT_EQ(again["rows_added"].GetInt(), 0);
}

TEST_F(LoadedPlugin, PlanParseHasExactlySectionsAndWarningsAndTaskKeys) {
    const auto parsed = parse_json(host_.call("plan.parse", seed_parse_request()));
    ASSERT_TRUE(parsed.IsObject());
    EXPECT_EQ(
        keys_of(parsed),
        (std::set<std::string>{"title", "format", "encoding", "year", "tasks_count", "items_count",
                               "sections", "closing", "unknown_departments", "warnings"}));
    EXPECT_EQ(parsed["year"].GetInt(), 2019) << "from the title";
    ASSERT_TRUE(parsed["sections"].IsArray());
    EXPECT_EQ(parsed["sections"].Size(), 6u);
    ASSERT_TRUE(parsed["warnings"].IsArray());
    const std::set<std::string> task_keys{"number", "label",       "group",    "title",    "text",
                                          "where",  "departments", "deadline", "progress", "items"};
    std::size_t tasks = 0;
    for (const auto& section : parsed["sections"].GetArray()) {
        EXPECT_EQ(keys_of(section), (std::set<std::string>{"number", "title", "part", "tasks"}));
        for (const auto& task : section["tasks"].GetArray()) {
            ++tasks;
            EXPECT_EQ(keys_of(task), task_keys) << "task " << task["number"].GetString();
            for (const auto& d : task["departments"].GetArray()) {
                EXPECT_EQ(keys_of(d), (std::set<std::string>{"name", "role", "source"}));
                EXPECT_NE(std::string(d["source"].GetString()).find(d["name"].GetString()),
                          std::string::npos)
                    << "a department's source is the text it was read from";
            }
            for (const auto& item : task["items"].GetArray()) {
                EXPECT_EQ(keys_of(item),
                          (std::set<std::string>{"number", "text", "where", "departments"}));
            }
        }
    }
    EXPECT_EQ(tasks, 45u);
    const auto& task1 = parsed["sections"][0]["tasks"][0];
    EXPECT_STREQ(task1["where"].GetString(), "line 28");
    EXPECT_STREQ(task1["label"].GetString(), "1");
    EXPECT_TRUE(task1["group"].IsNull());
    EXPECT_TRUE(task1["deadline"].IsNull()) << "the seed gives no deadlines";
    // Parsing stores nothing.
    EXPECT_EQ(parse_json(host_.call("plan.list"))["plans"].Size(), 0u);
}

TEST_F(LoadedPlugin, LedgerTasksForAnUnknownDepartmentIsNotFound) {
    host_.call("plan.import", seed_import_request());
    EXPECT_EQ(status_of([&] { host_.call("ledger.tasks", "{\"department\":\"没有这个部门\"}"); }),
              RL_ERR_NOT_FOUND);
    EXPECT_EQ(status_of([&] { host_.call("ledger.summary", "{\"plan\":\"nope\"}"); }),
              RL_ERR_NOT_FOUND);
    // An alias resolves to the canonical department.
    const auto rows = parse_json(host_.call("ledger.tasks", "{\"department\":\"信息技术科\"}"));
    EXPECT_EQ(std::string(rows["department"].GetString()), "技术科");
    EXPECT_GT(rows["tasks"].Size(), 0u);
}

TEST_F(PluginTable, CallAfterShutdownIsStateAndShutdownIsIdempotent) {
    rl_instance* instance = create(db_);
    ASSERT_NE(instance, nullptr);
    std::string out;
    rl_error error = new_error();
    ASSERT_EQ(call(instance, "plugin.info", "{}", &out, &error), RL_OK) << error.message;
    EXPECT_EQ(plugin_->shutdown(instance, &error), RL_OK) << error.message;
    out.clear();
    EXPECT_EQ(call(instance, "plugin.info", "{}", &out, &error), RL_ERR_STATE);
    EXPECT_EQ(error.code, RL_ERR_STATE);
    EXPECT_EQ(call(instance, "ledger.tasks", "{}", &out, &error), RL_ERR_STATE);
    EXPECT_EQ(out, "");
    EXPECT_EQ(plugin_->shutdown(instance, &error), RL_OK) << "shutdown is idempotent";
    destroy(instance);
}

// ------------------------------------------------------------ lifecycle, threads

TEST(AbiLifecycle, FiftyLoadCreateCallShutdownUnloadCyclesInOneProcess) {
    TempDir dir;
    const std::string config = rl::test::plugin_config(dir.file("ledger.db"));
    for (int i = 0; i < 50; ++i) {
        SCOPED_TRACE("cycle " + std::to_string(i));
        std::string failure;
        try {
            PluginHost host;
            host.load(RL_PLUGIN_PATH);
            host.create(config);
            const auto info = parse_json(host.call("plugin.info"));
            if (!info.IsObject() || info["database"]["schema_version"].GetInt() != 13) {
                failure = "plugin.info is wrong";
            }
            if (host.registry().size() != 22u) {
                failure = "registered " + std::to_string(host.registry().size()) + " definitions";
            }
            host.shutdown();
        } catch (const std::exception& e) {
            failure = e.what();
        }
        ASSERT_EQ(failure, "");
        // The host dlclose()d the plugin; it is really gone, so the next cycle reloads it.
        void* still_loaded = dlopen(RL_PLUGIN_PATH, RTLD_NOW | RTLD_NOLOAD);
        if (still_loaded != nullptr) {
            dlclose(still_loaded);
        }
        ASSERT_EQ(still_loaded, nullptr) << "the plugin stayed mapped after dlclose";
    }
}

TEST_F(LoadedPlugin, ConcurrentLedgerCallsOnOneInstanceAllSucceedWithTheSameOutput) {
    host_.call("plan.import", seed_import_request());
    const std::string reference = host_.call("ledger.tasks", "{}");
    ASSERT_EQ(parse_json(reference)["tasks"].Size(), 45u);
    constexpr int kThreads = 8;
    constexpr int kCalls = 20;
    std::atomic<int> ok{0};
    std::atomic<int> different{0};
    std::vector<std::string> errors(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kCalls; ++i) {
                try {
                    if (host_.call("ledger.tasks", "{}") == reference) {
                        ++ok;
                    } else {
                        ++different;
                    }
                } catch (const std::exception& e) {
                    errors[t] = e.what();
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    for (int t = 0; t < kThreads; ++t) {
        EXPECT_EQ(errors[t], "") << "thread " << t;
    }
    EXPECT_EQ(different.load(), 0);
    EXPECT_EQ(ok.load(), kThreads * kCalls);
}

// ------------------------------------------------------------ rl_error

TEST_F(PluginTable, SmallErrorStructGetsATruncatedNulTerminatedMessageAndNoOverflow) {
    rl_instance* instance = create(db_);
    ASSERT_NE(instance, nullptr);
    std::string out;
    rl_error full = new_error();
    ASSERT_EQ(call(instance, "no.such.method", "{}", &out, &full), RL_ERR_UNKNOWN_METHOD);
    ASSERT_GT(std::strlen(full.message), 16u);

    rl_error small = z_filled_error(offsetof(rl_error, message) + 16);
    small.code = 0;
    EXPECT_EQ(call(instance, "no.such.method", "{}", &out, &small), RL_ERR_UNKNOWN_METHOD);
    EXPECT_EQ(small.code, RL_ERR_UNKNOWN_METHOD);
    const std::size_t length = strnlen(small.message, 16);
    EXPECT_LT(length, 16u) << "no NUL within struct_size";
    EXPECT_EQ(length, 15u);
    EXPECT_EQ(std::string(small.message, length), std::string(full.message, length));
    for (std::size_t i = 16; i < sizeof(small.message); ++i) {
        ASSERT_EQ(small.message[i], 'Z') << "byte " << i << " past struct_size was written";
    }
}

TEST_F(PluginTable, TruncationNeverCutsAUtf8Sequence) {
    rl_instance* instance = create(db_);
    ASSERT_NE(instance, nullptr);
    std::string out;
    // "unknown method '未知…" — 16 ASCII bytes, then 3-byte characters.
    rl_error small = z_filled_error(offsetof(rl_error, message) + 19);  // room for 18 bytes + NUL
    EXPECT_EQ(call(instance, "未知方法", "{}", &out, &small), RL_ERR_UNKNOWN_METHOD);
    EXPECT_EQ(std::string(small.message), "unknown method '");
    EXPECT_EQ(small.message[19], 'Z');
}

TEST_F(PluginTable, ErrorTooSmallForAnyMessageGetsTheCodeAndNothingBeyondItsSize) {
    rl_instance* instance = create(db_);
    ASSERT_NE(instance, nullptr);
    std::string out;
    rl_error tiny = z_filled_error(offsetof(rl_error, message));
    tiny.code = 0;
    EXPECT_EQ(call(instance, "no.such.method", "{}", &out, &tiny), RL_ERR_UNKNOWN_METHOD);
    // struct_size covers code (RL_HAS_FIELD), so the code is reported even with no room for text.
    EXPECT_TRUE(RL_HAS_FIELD(&tiny, rl_error, code));
    EXPECT_EQ(tiny.code, RL_ERR_UNKNOWN_METHOD);
    for (std::size_t i = 0; i < sizeof(tiny.message); ++i) {
        ASSERT_EQ(tiny.message[i], 'Z') << "byte " << i << " past struct_size was written";
    }
    EXPECT_EQ(call(instance, "no.such.method", "{}", &out, nullptr), RL_ERR_UNKNOWN_METHOD);
}

TEST_F(PluginTable, ErrorIsUntouchedOnSuccess) {
    rl_instance* instance = create(db_);
    ASSERT_NE(instance, nullptr);
    std::string out;
    rl_error error = z_filled_error(sizeof(rl_error));
    error.code = -7;
    ASSERT_EQ(call(instance, "plugin.info", "{}", &out, &error), RL_OK);
    EXPECT_EQ(error.code, -7);
    for (std::size_t i = 0; i < sizeof(error.message); ++i) {
        ASSERT_EQ(error.message[i], 'Z') << "byte " << i;
    }
}

// ------------------------------------------------------------ method catalogue

// plugin.describe is the one source hosts generate their interfaces from (the
// sidecar's OpenAPI and its identity filling): it names exactly the methods
// plugin.info lists, each with who may call it and its request and result.
TEST_F(LoadedPlugin, DescribeNamesExactlyTheMethodsPluginInfoLists) {
    const auto info = parse_json(host_.call("plugin.info"));
    const auto catalogue = parse_json(host_.call("plugin.describe"));
    ASSERT_TRUE(catalogue["methods"].IsObject());
    std::set<std::string> listed;
    for (const auto& m : info["methods"].GetArray()) {
        listed.insert(m.GetString());
    }
    std::set<std::string> described;
    const std::set<std::string> access = {"any", "person", "service", "office"};
    for (const auto& m : catalogue["methods"].GetObject()) {
        described.insert(m.name.GetString());
        EXPECT_TRUE(access.count(m.value["access"].GetString())) << m.name.GetString();
        EXPECT_TRUE(m.value["request"].IsObject()) << m.name.GetString();
        EXPECT_TRUE(m.value["result"].IsObject()) << m.name.GetString();
        EXPECT_TRUE(m.value["summary"].IsString()) << m.name.GetString();
    }
    EXPECT_EQ(described, listed);
    EXPECT_TRUE(listed.count("plugin.describe"));
}

// Each request schema lists exactly the keys its method accepts: the plugin's
// own refusal of an unknown key names them, and the catalogue must agree.
TEST_F(LoadedPlugin, DescribedRequestKeysAreExactlyTheKeysEachMethodAccepts) {
    const auto catalogue = parse_json(host_.call("plugin.describe"));
    for (const auto& m : catalogue["methods"].GetObject()) {
        const std::string method = m.name.GetString();
        std::set<std::string> described;
        const auto& request = m.value["request"];
        if (request.HasMember("properties")) {
            for (const auto& p : request["properties"].GetObject()) {
                described.insert(p.name.GetString());
            }
        }
        std::string message;
        ASSERT_EQ(status_of([&] { host_.call(method, "{\"zz_not_a_key\":1}"); }, &message),
                  RL_ERR_INVALID_ARGUMENT)
            << method;
        std::set<std::string> accepted;
        const std::string marker = "expected one of: ";
        const auto at = message.find(marker);
        if (at == std::string::npos) {
            EXPECT_TRUE(contains(message, "none is expected")) << method << ": " << message;
        } else {
            const std::string list =
                message.substr(at + marker.size(), message.find(')', at) - at - marker.size());
            std::size_t start = 0;
            while (start < list.size()) {
                const auto comma = list.find(", ", start);
                accepted.insert(list.substr(start, comma - start));
                start = comma == std::string::npos ? list.size() : comma + 2;
            }
        }
        EXPECT_EQ(described, accepted) << method;
    }
}
