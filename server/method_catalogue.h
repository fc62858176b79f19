// What the plugin says about its methods (plugin.describe): who may call each
// over HTTP, and which identity fields ("user", "actor") its request takes, so
// the sidecar fills them with the signed-in person. The same catalogue becomes
// the OpenAPI document (openapi.h); nothing about a method is written here.
#pragma once

#include <rapidjson/document.h>

#include <map>
#include <string>
#include <vector>

namespace rl_server {

enum class Access {
    any,      // a person or a service token
    person,   // a person of the org chart only
    service,  // a service token only (the OA's own calls: sweeps, delivery)
    office,   // the reform office, or a service token
};

struct MethodInfo {
    std::string name;
    Access access = Access::any;
    bool takes_user = false;   // the request has a "user" field
    bool takes_actor = false;  // the request has an "actor" field
};

class MethodCatalogue {
public:
    // Parses plugin.describe's result; std::runtime_error if it is malformed.
    explicit MethodCatalogue(const std::string& describe_json);

    const MethodInfo* find(const std::string& method) const;
    std::vector<std::string> names() const;
    const rapidjson::Document& document() const { return document_; }

    static const char* access_name(Access access);

private:
    rapidjson::Document document_;
    std::map<std::string, MethodInfo> methods_;
};

// A person of the org chart, as the sidecar needs them (org.chart).
struct Person {
    std::string id;
    std::string name;
    std::string department;
    std::vector<std::string> roles;  // their own and those of their positions
    bool active = true;
    bool reform_office = false;
    std::string json;  // the org chart's entry, verbatim
};

class People {
public:
    People() = default;
    // Parses org.chart's result.
    explicit People(const std::string& org_chart_json);
    const Person* find(const std::string& id) const;
    const std::vector<Person>& all() const { return people_; }

private:
    std::vector<Person> people_;
    std::map<std::string, std::size_t> by_id_;
};

}  // namespace rl_server
