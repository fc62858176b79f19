/* A host written in plain C (compiled as C11, -pedantic -Werror): it loads the
 * plugin with dlopen, negotiates the ABI, receives the registrations, runs a
 * query and shuts the plugin down — what any OA platform written in C does.
 *
 * usage: c_host PLUGIN.so DATABASE.db     exit 0 when every check passed */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reform_ledger.h"

struct host_state {
    int forms;
    int workflows;
    int rules;
    char first_id[128];
};

struct buffer {
    char data[65536];
    size_t size;
};

static int failures = 0;

#define CHECK(cond, ...)                                   \
    do {                                                   \
        if (!(cond)) {                                     \
            fprintf(stderr, "c_host: FAILED %s: ", #cond); \
            fprintf(stderr, __VA_ARGS__);                  \
            fputc('\n', stderr);                           \
            ++failures;                                    \
        }                                                  \
    } while (0)

static void host_log(void* context, int32_t level, const char* message, size_t size) {
    (void)context;
    if (level >= RL_LOG_WARNING) {
        fprintf(stderr, "c_host: plugin says: %.*s\n", (int)size, message);
    }
}

static int64_t host_now(void* context) {
    (void)context;
    return INT64_C(1569888000000); /* 2019-10-01T00:00:00Z */
}

static rl_status host_register(void* context, int32_t kind, const char* json, size_t size,
                               rl_error* error) {
    struct host_state* state = (struct host_state*)context;
    (void)error;
    if (size == 0 || json[0] != '{') {
        return RL_ERR_REGISTRATION;
    }
    if (state->forms + state->workflows + state->rules == 0) {
        const char* id = strstr(json, "\"id\"");
        if (id != NULL) {
            snprintf(state->first_id, sizeof state->first_id, "%.60s", id);
        }
    }
    switch (kind) {
        case RL_REGISTRATION_FORM:
            ++state->forms;
            break;
        case RL_REGISTRATION_WORKFLOW:
            ++state->workflows;
            break;
        case RL_REGISTRATION_NOTIFICATION_RULE:
            ++state->rules;
            break;
        default:
            return RL_ERR_REGISTRATION;
    }
    return RL_OK;
}

static int32_t append(void* context, const char* data, size_t size) {
    struct buffer* b = (struct buffer*)context;
    if (b->size + size >= sizeof b->data) {
        return 1;
    }
    memcpy(b->data + b->size, data, size);
    b->size += size;
    b->data[b->size] = '\0';
    return 0;
}

int main(int argc, char** argv) {
    void* library;
    void* symbol;
    rl_entry_fn entry;
    const rl_plugin* plugin = NULL;
    rl_error error;
    rl_host_services services;
    struct host_state state;
    rl_instance* instance = NULL;
    rl_sink sink;
    struct buffer* result;
    char config[512];
    rl_status status;

    if (argc != 3) {
        fprintf(stderr, "usage: c_host PLUGIN.so DATABASE.db\n");
        return 2;
    }
    remove(argv[2]);
    library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        fprintf(stderr, "c_host: dlopen: %s\n", dlerror());
        return 1;
    }
    symbol = dlsym(library, RL_ENTRY_SYMBOL);
    CHECK(symbol != NULL, "no %s", RL_ENTRY_SYMBOL);
    if (symbol == NULL) {
        return 1;
    }
    memcpy(&entry, &symbol, sizeof entry);

    /* A host of another major version is refused with a code and a message. */
    memset(&error, 0, sizeof error);
    error.struct_size = sizeof error;
    status = entry(RL_ABI_VERSION_MAJOR + 1, 0, &plugin, &error);
    CHECK(status == RL_ERR_VERSION_MISMATCH, "status %d", (int)status);
    CHECK(plugin == NULL, "plugin table handed out on a mismatch");
    CHECK(strstr(error.message, "major") != NULL, "message: %s", error.message);

    /* Same major, a newer minor: accepted. */
    status = entry(RL_ABI_VERSION_MAJOR, RL_ABI_VERSION_MINOR + 7, &plugin, &error);
    CHECK(status == RL_OK && plugin != NULL, "status %d: %s", (int)status, error.message);
    if (plugin == NULL) {
        return 1;
    }
    CHECK(plugin->struct_size >= sizeof(rl_plugin), "struct_size %u",
          (unsigned)plugin->struct_size);
    CHECK(plugin->abi_major == RL_ABI_VERSION_MAJOR, "abi_major %u", (unsigned)plugin->abi_major);

    memset(&state, 0, sizeof state);
    memset(&services, 0, sizeof services);
    services.struct_size = sizeof services;
    services.host_context = &state;
    services.log = host_log;
    services.now_ms = host_now;
    services.register_definition = host_register;

    /* Malformed configuration: a status, a message, no instance. */
    status = plugin->create(&services, "{\"database\":", 12, &instance, &error);
    CHECK(status == RL_ERR_CONFIG, "status %d", (int)status);
    CHECK(instance == NULL, "instance created from malformed JSON");
    CHECK(strstr(error.message, "JSON") != NULL, "message: %s", error.message);

    snprintf(config, sizeof config,
             "{\"database\":{\"path\":\"%s\"},\"org_chart\":{\"departments\":"
             "[{\"name\":\"\\u5e72\\u90e8\\u79d1\"}]}}",
             argv[2]);
    status = plugin->create(&services, config, strlen(config), &instance, &error);
    CHECK(status == RL_OK && instance != NULL, "create: %d %s", (int)status, error.message);
    if (instance == NULL) {
        return 1;
    }
    CHECK(state.forms == 2, "forms registered: %d", state.forms);
    CHECK(state.workflows == 2, "workflows registered: %d", state.workflows);
    CHECK(state.rules >= 1, "rules registered: %d", state.rules);
    CHECK(strstr(state.first_id, "reform_ledger.form.") != NULL, "first registration: %s",
          state.first_id);

    result = (struct buffer*)calloc(1, sizeof *result);
    sink.struct_size = sizeof sink;
    sink.context = result;
    sink.write = append;
    status = plugin->call(instance, "plugin.info", 11, "{}", 2, &sink, &error);
    CHECK(status == RL_OK, "plugin.info: %d %s", (int)status, error.message);
    CHECK(strstr(result->data, "\"schema_version\":") != NULL, "plugin.info: %s", result->data);

    result->size = 0;
    status = plugin->call(instance, "no.such.method", 14, "{}", 2, &sink, &error);
    CHECK(status == RL_ERR_UNKNOWN_METHOD, "unknown method: %d", (int)status);

    status = plugin->shutdown(instance, &error);
    CHECK(status == RL_OK, "shutdown: %d %s", (int)status, error.message);
    status = plugin->call(instance, "plugin.info", 11, "{}", 2, &sink, &error);
    CHECK(status == RL_ERR_STATE, "call after shutdown: %d", (int)status);
    plugin->destroy(instance);
    free(result);
    dlclose(library);

    if (failures != 0) {
        fprintf(stderr, "c_host: %d check(s) failed\n", failures);
        return 1;
    }
    printf("c_host: all checks passed\n");
    return 0;
}
