#include "config.h"

#include "json_util.h"

namespace rl {

namespace {

const json::Reader& reader() {
    static const json::Reader r("configuration", [](const std::string& message) {
        throw ConfigError(message);
    });
    return r;
}

core::OrgChart parse_org_chart(const json::Value& value) {
    const auto& r = reader();
    const std::string path = "org_chart";
    r.only_keys(value, path, {"demo", "court", "note", "departments", "groups", "people"});
    core::OrgChart chart;
    chart.demo = r.boolean(value, path, "demo").value_or(false);
    const auto guarded = [&](const std::string& where, auto&& add) {
        try {
            add();
        } catch (const std::invalid_argument& e) {
            r.fail(where, e.what());
        }
    };
    const json::Value& departments = *r.array(value, path, "departments", true);
    for (rapidjson::SizeType i = 0; i < departments.Size(); ++i) {
        const std::string where = json::index_path(path + ".departments", i);
        if (!departments[i].IsObject()) {
            r.fail(where, "expected an object with \"name\"");
        }
        r.only_keys(departments[i], where, {"name", "aliases"});
        core::Department d{*r.string(departments[i], where, "name", true),
                           r.strings(departments[i], where, "aliases", false)};
        guarded(where, [&] { chart.add_department(std::move(d)); });
    }
    if (const json::Value* groups = r.array(value, path, "groups", false)) {
        for (rapidjson::SizeType i = 0; i < groups->Size(); ++i) {
            const std::string where = json::index_path(path + ".groups", i);
            if (!(*groups)[i].IsObject()) {
                r.fail(where, "expected an object with \"name\" and \"members\"");
            }
            r.only_keys((*groups)[i], where, {"name", "members"});
            core::DepartmentGroup g{*r.string((*groups)[i], where, "name", true),
                                    r.strings((*groups)[i], where, "members", true)};
            guarded(where, [&] { chart.add_group(std::move(g)); });
        }
    }
    if (const json::Value* people = r.array(value, path, "people", false)) {
        for (rapidjson::SizeType i = 0; i < people->Size(); ++i) {
            const std::string where = json::index_path(path + ".people", i);
            const json::Value& p = (*people)[i];
            if (!p.IsObject()) {
                r.fail(where, "expected an object with \"id\", \"name\", \"department\", \"roles\"");
            }
            r.only_keys(p, where, {"id", "name", "department", "roles", "in_charge_of"});
            core::Person person;
            person.id = *r.string(p, where, "id", true);
            person.name = *r.string(p, where, "name", true);
            person.department = *r.string(p, where, "department", true);
            const auto roles = r.strings(p, where, "roles", true);
            for (std::size_t k = 0; k < roles.size(); ++k) {
                const auto role = core::person_role_from_string(roles[k]);
                if (!role) {
                    r.fail(json::index_path(where + ".roles", k),
                           "unknown role '" + roles[k] +
                               "' (expected contact, head, leader_in_charge, reform_office, "
                               "president or supervision_office)");
                }
                person.roles.push_back(*role);
            }
            person.in_charge_of = r.strings(p, where, "in_charge_of", false);
            guarded(where, [&] { chart.add_person(std::move(person)); });
        }
    }
    return chart;
}

}  // namespace

Config parse_config(std::string_view text) {
    const auto& r = reader();
    const rapidjson::Document doc = r.parse_object(text);
    r.only_keys(doc, "", {"database", "org_chart", "options"});
    Config config;
    const json::Value& database = *r.object(doc, "", "database", true);
    r.only_keys(database, "database", {"path"});
    config.database_path = *r.string(database, "database", "path", true);
    if (config.database_path.empty()) {
        r.fail("database.path", "must not be empty");
    }
    config.org_chart = parse_org_chart(*r.object(doc, "", "org_chart", true));
    if (const json::Value* options = r.object(doc, "", "options", false)) {
        r.only_keys(*options, "options", {"lead_rule", "lead_overrides"});
        const auto rule = r.string(*options, "options", "lead_rule", false).value_or("first_listed");
        if (rule == "first_listed") {
            config.parse.lead_rule = core::LeadRule::first_listed;
        } else if (rule == "explicit_only") {
            config.parse.lead_rule = core::LeadRule::explicit_only;
        } else {
            r.fail("options.lead_rule",
                   "unknown rule '" + rule + "' (expected first_listed or explicit_only)");
        }
        if (const json::Value* overrides = r.object(*options, "options", "lead_overrides", false)) {
            for (auto it = overrides->MemberBegin(); it != overrides->MemberEnd(); ++it) {
                const std::string key = it->name.GetString();
                if (!it->value.IsString()) {
                    r.fail("options.lead_overrides." + key, "expected a department name");
                }
                config.parse.lead_overrides[key] = it->value.GetString();
            }
        }
    }
    return config;
}

}  // namespace rl
