// The progress-report form as the real plugin registers it (dlopen, the
// host's register_definition): what a host needs to render it with nothing
// written into the host — every field's label, type and required flag, help
// texts, which fields come from the obligation, and the configured limits.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "abi_test_helpers.h"
#include "plugin_host.h"
#include "reform_ledger.h"
#include "support/test_support.h"

using oa_stub::PluginHost;
using rl::test::TempDir;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)

// The registered progress-report form under a configuration with these limits.
Doc registered_form(const std::string& limits_json) {
    TempDir dir;
    Doc config = parse_json(rl::test::plugin_config(dir.file("ledger.db")));
    if (!limits_json.empty()) {
        Doc limits = parse_json(limits_json);
        config.AddMember("limits", Val(limits, config.GetAllocator()), config.GetAllocator());
    }
    PluginHost host;
    host.load(RL_PLUGIN_PATH);
    host.create(dump(config));
    std::string json;
    for (const auto& form : host.registry().of_kind(RL_REGISTRATION_FORM)) {
        if (form.id == "reform_ledger.form.progress_report") {
            json = form.json;
        }
    }
    host.shutdown();
    return parse_json(json);
}

const Val& field(const Doc& form, const std::string& name) {
    for (const auto& f : arr(form, "fields").GetArray()) {
        if (str(f, "name") == name) {
            return f;
        }
    }
    throw std::runtime_error("no field " + name);
}

TEST(ProgressReportForm, CarriesTheConfiguredLimitsOfItsFields) {
    const Doc form = registered_form(
        R"({"text_chars": 500, "evidence_entries": 7, "name_chars": 40, "url_chars": 300})");
    for (const char* text : {"progress_summary", "measures", "problems", "next_steps"}) {
        EXPECT_EQ(num(field(form, text), "max_length"), 500) << text;
    }
    const Val& evidence = field(form, "evidence");
    EXPECT_EQ(num(evidence, "max_items"), 7);
    std::map<std::string, int> items;
    for (const auto& item : arr(evidence, "item_fields").GetArray()) {
        items[str(item, "name")] = num(item, "max_length");
    }
    EXPECT_EQ(items, (std::map<std::string, int>{{"name", 40}, {"url", 300}}));
    EXPECT_EQ(num(field(form, "percent_complete"), "min"), 0);
    EXPECT_EQ(num(field(form, "percent_complete"), "max"), 100);

    // The defaults when the configuration sets none.
    const Doc defaults = registered_form("");
    EXPECT_EQ(num(field(defaults, "progress_summary"), "max_length"), 20000);
    EXPECT_EQ(num(field(defaults, "evidence"), "max_items"), 50);
}

TEST(ProgressReportForm, SaysWhichFieldsComeFromTheObligationAndHelpsWithTheOthers) {
    const Doc form = registered_form("");
    std::map<std::string, std::string> from_obligation;
    for (const auto& f : arr(form, "fields").GetArray()) {
        if (f.HasMember("source")) {
            EXPECT_EQ(str(f, "source"), "obligation");
            from_obligation[str(f, "name")] = str(f, "key");
        } else {
            EXPECT_FALSE(str(f, "help").empty()) << str(f, "name") << " has no help text";
        }
    }
    // The keys are the obligation's members in report.get.
    EXPECT_EQ(from_obligation, (std::map<std::string, std::string>{{"task_number", "task"},
                                                                   {"item_number", "item"},
                                                                   {"department", "department"},
                                                                   {"period", "period"}}));
}

}  // namespace
