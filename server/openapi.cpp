#include "openapi.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace rl_server {

namespace {

using Value = rapidjson::Value;
using Alloc = rapidjson::Document::AllocatorType;

Value str(const std::string& s, Alloc& a) {
    return Value(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), a);
}

Value ref(const std::string& target, Alloc& a) {
    Value v(rapidjson::kObjectType);
    v.AddMember("$ref", str(target, a), a);
    return v;
}

Value json_content(Value schema, Alloc& a) {
    Value media(rapidjson::kObjectType);
    media.AddMember("schema", schema, a);
    Value content(rapidjson::kObjectType);
    content.AddMember("application/json", media, a);
    return content;
}

Value response(const std::string& description, Value schema, Alloc& a) {
    Value r(rapidjson::kObjectType);
    r.AddMember("description", str(description, a), a);
    if (!schema.IsNull()) {
        r.AddMember("content", json_content(std::move(schema), a), a);
    }
    return r;
}

// The request as the sidecar takes it: "user" and "actor" are filled from the
// token or session, so a client leaves them out.
Value http_request_schema(const Value& request, Alloc& a) {
    Value schema(request, a);
    if (schema.HasMember("properties") && schema["properties"].IsObject()) {
        schema["properties"].RemoveMember("user");
        schema["properties"].RemoveMember("actor");
    }
    if (schema.HasMember("required") && schema["required"].IsArray()) {
        Value kept(rapidjson::kArrayType);
        for (const auto& name : schema["required"].GetArray()) {
            const std::string n = name.GetString();
            if (n != "user" && n != "actor") {
                kept.PushBack(Value(name, a), a);
            }
        }
        if (kept.Empty()) {
            schema.RemoveMember("required");
        } else {
            schema["required"] = kept;
        }
    }
    return schema;
}

std::string access_text(const std::string& access) {
    if (access == "service") {
        return "Only a service token (the OA's own call) may call it.";
    }
    if (access == "office") {
        return "Only the reform office, or a service token, may call it.";
    }
    if (access == "person") {
        return "Only a person of the org chart may call it; the sidecar fills in who.";
    }
    return "A person or a service token may call it.";
}

void add_error_responses(Value& responses, Alloc& a) {
    const std::pair<const char*, const char*> kErrors[] = {
        {"400",
         "Invalid: a malformed or refused request, or outcome \"invalid\" (the plugin's "
         "JSON with field_errors)."},
        {"401", "No token or session, or a token that is not accepted."},
        {"403",
         "Not permitted: outcome \"not_permitted\", a body naming another user or actor "
         "(code identity), a missing CSRF token (code csrf), or a method this caller "
         "may not call (code forbidden)."},
        {"404", "Not found: a plan, department, person or method that does not exist."},
        {"409", "Conflict: outcome \"conflict\" (an older version)."},
        {"413", "The body is larger than server.max_body_bytes."},
        {"429", "Too soon: outcome \"too_soon\" (an urge within urge_min_interval_hours)."},
        {"500", "Internal: the body's error id is in the server's log."},
        {"503", "Too many requests at once (server.max_in_flight), or shutting down."},
    };
    for (const auto& [code, description] : kErrors) {
        responses.AddMember(str(code, a),
                            response(description, ref("#/components/schemas/Error", a), a), a);
    }
}

Value fixed_get(const std::string& summary, const std::string& tag, Value schema, Alloc& a,
                bool secured) {
    Value op(rapidjson::kObjectType);
    op.AddMember("summary", str(summary, a), a);
    Value tags(rapidjson::kArrayType);
    tags.PushBack(str(tag, a), a);
    op.AddMember("tags", tags, a);
    if (!secured) {
        op.AddMember("security", Value(rapidjson::kArrayType), a);
    }
    Value responses(rapidjson::kObjectType);
    responses.AddMember("200", response("OK", std::move(schema), a), a);
    op.AddMember("responses", responses, a);
    Value path(rapidjson::kObjectType);
    path.AddMember("get", op, a);
    return path;
}

Value object_schema(Alloc& a) {
    Value s(rapidjson::kObjectType);
    s.AddMember("type", "object", a);
    return s;
}

}  // namespace

std::string openapi_document(const MethodCatalogue& catalogue, const std::string& plugin_version,
                             bool demo) {
    rapidjson::Document doc(rapidjson::kObjectType);
    Alloc& a = doc.GetAllocator();
    const auto& source = catalogue.document();
    doc.AddMember("openapi", "3.0.3", a);
    Value info(rapidjson::kObjectType);
    info.AddMember("title", "Reform Ledger HTTP sidecar (reform-ledger-server)", a);
    info.AddMember("version", str(plugin_version, a), a);
    info.AddMember("description",
                   "Every plugin method as POST /api/v1/{method}, generated from the plugin's "
                   "method catalogue (plugin.describe). The sidecar fills \"user\" and \"actor\" "
                   "with the signed-in person; a body naming another is refused (403, code "
                   "identity). See docs/server.md.",
                   a);
    doc.AddMember("info", info, a);

    Value components(rapidjson::kObjectType);
    Value schemas(rapidjson::kObjectType);
    if (source.HasMember("schemas") && source["schemas"].IsObject()) {
        schemas.CopyFrom(source["schemas"], a);
    }
    rapidjson::Document error;
    error.Parse(
        R"({"type":"object","required":["error"],"properties":{"error":{"type":"object",)"
        R"("required":["status","code","message"],"properties":{"status":{"type":"integer"},)"
        R"("code":{"type":"string"},"message":{"type":"string"},"id":{"type":"string",)"
        R"("description":"For a 500: the error id, also in the server's log."}}}}})");
    schemas.AddMember("Error", Value(error, a), a);
    components.AddMember("schemas", schemas, a);
    Value security_schemes(rapidjson::kObjectType);
    Value bearer(rapidjson::kObjectType);
    bearer.AddMember("type", "http", a);
    bearer.AddMember("scheme", "bearer", a);
    bearer.AddMember("bearerFormat", "JWT", a);
    security_schemes.AddMember("bearer", bearer, a);
    Value session(rapidjson::kObjectType);
    session.AddMember("type", "apiKey", a);
    session.AddMember("in", "cookie", a);
    session.AddMember("name", "rl_session", a);
    session.AddMember("description",
                      "A browser session (after /sso); state-changing requests also carry the "
                      "X-CSRF-Token header.",
                      a);
    security_schemes.AddMember("session", session, a);
    components.AddMember("securitySchemes", security_schemes, a);

    Value security(rapidjson::kArrayType);
    for (const char* scheme : {"bearer", "session"}) {
        Value entry(rapidjson::kObjectType);
        entry.AddMember(str(scheme, a), Value(rapidjson::kArrayType), a);
        security.PushBack(entry, a);
    }
    doc.AddMember("security", security, a);

    Value paths(rapidjson::kObjectType);
    for (const auto& m : source["methods"].GetObject()) {
        const std::string name = m.name.GetString();
        const auto& body = m.value;
        Value op(rapidjson::kObjectType);
        std::string operation_id = name;
        for (char& c : operation_id) {
            c = c == '.' ? '_' : c;
        }
        op.AddMember("operationId", str(operation_id, a), a);
        if (body.HasMember("summary") && body["summary"].IsString()) {
            op.AddMember("summary", Value(body["summary"], a), a);
        }
        const std::string access = body["access"].GetString();
        op.AddMember("description", str(access_text(access), a), a);
        op.AddMember("x-access", str(access, a), a);
        if (body.HasMember("tag") && body["tag"].IsString()) {
            Value tags(rapidjson::kArrayType);
            tags.PushBack(Value(body["tag"], a), a);
            op.AddMember("tags", tags, a);
        }
        Value request_body(rapidjson::kObjectType);
        request_body.AddMember("required", false, a);
        request_body.AddMember("content", json_content(http_request_schema(body["request"], a), a),
                               a);
        op.AddMember("requestBody", request_body, a);
        Value responses(rapidjson::kObjectType);
        Value result = body.HasMember("result") ? Value(body["result"], a) : object_schema(a);
        responses.AddMember("200", response("The plugin's result, as is.", std::move(result), a),
                            a);
        add_error_responses(responses, a);
        op.AddMember("responses", responses, a);
        Value path(rapidjson::kObjectType);
        path.AddMember("post", op, a);
        paths.AddMember(str("/api/v1/" + name, a), path, a);
    }
    rapidjson::Document definitions;
    definitions.Parse(
        R"({"type":"object","properties":{"forms":{"type":"array","items":{"type":"object"}},)"
        R"("workflows":{"type":"array","items":{"type":"object"}},)"
        R"("notification_rules":{"type":"array","items":{"type":"object"}}}})");
    paths.AddMember("/api/v1/definitions",
                    fixed_get("The registered forms, workflows and notification rules, verbatim.",
                              "sidecar", Value(definitions, a), a, true),
                    a);
    rapidjson::Document session_schema;
    session_schema.Parse(
        R"({"type":"object","properties":{"person":{"type":"object"},)"
        R"("csrf_token":{"type":"string","nullable":true},"demo":{"type":"boolean"}}})");
    paths.AddMember("/api/v1/session",
                    fixed_get("Who is signed in, and the CSRF token for the session.", "sidecar",
                              Value(session_schema, a), a, true),
                    a);
    paths.AddMember("/api/v1/openapi.json",
                    fixed_get("This document.", "sidecar", object_schema(a), a, false), a);
    paths.AddMember("/healthz",
                    fixed_get("The process is up.", "sidecar", object_schema(a), a, false), a);
    paths.AddMember("/readyz",
                    fixed_get("The plugin is created and its database answers (else 503).",
                              "sidecar", object_schema(a), a, false),
                    a);
    if (demo) {
        paths.AddMember("/api/v1/demo/people",
                        fixed_get("The demo org chart's people (only with --demo).", "demo",
                                  object_schema(a), a, false),
                        a);
    }
    doc.AddMember("paths", paths, a);
    doc.AddMember("components", components, a);
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    doc.Accept(w);
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace rl_server
