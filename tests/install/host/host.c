/* A host built against the installed files only (tests/install): it dlopens the
 * installed plugin at the path its build was given (RL_INSTALLED_PLUGIN_PATH, from
 * find_package or pkg-config), negotiates the ABI through RL_ENTRY_SYMBOL, calls
 * plugin.info and prints the answer.   usage: host DATABASE.db */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <reform_ledger.h>

#ifndef RL_INSTALLED_PLUGIN_PATH
#error "RL_INSTALLED_PLUGIN_PATH must name the installed plugin"
#endif

static char answer[65536];
static size_t answer_size = 0;

static int32_t append(void* context, const char* data, size_t size) {
    (void)context;
    if (answer_size + size >= sizeof answer) {
        return 1;
    }
    memcpy(answer + answer_size, data, size);
    answer_size += size;
    answer[answer_size] = '\0';
    return 0;
}

static rl_status accept_registration(void* context, int32_t kind, const char* json, size_t size,
                                     rl_error* error) {
    (void)context;
    (void)kind;
    (void)json;
    (void)size;
    (void)error;
    return RL_OK;
}

int main(int argc, char** argv) {
    void* library;
    void* symbol;
    rl_entry_fn entry;
    const rl_plugin* plugin = NULL;
    rl_error error;
    rl_host_services services;
    rl_instance* instance = NULL;
    rl_sink sink;
    char config[1024];
    rl_status status;

    if (argc != 2) {
        fprintf(stderr, "usage: host DATABASE.db\n");
        return 2;
    }
    library = dlopen(RL_INSTALLED_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        fprintf(stderr, "host: dlopen %s: %s\n", RL_INSTALLED_PLUGIN_PATH, dlerror());
        return 1;
    }
    symbol = dlsym(library, RL_ENTRY_SYMBOL);
    if (symbol == NULL) {
        fprintf(stderr, "host: %s has no %s\n", RL_INSTALLED_PLUGIN_PATH, RL_ENTRY_SYMBOL);
        return 1;
    }
    memcpy(&entry, &symbol, sizeof entry);
    memset(&error, 0, sizeof error);
    error.struct_size = sizeof error;
    status = entry(RL_ABI_VERSION_MAJOR, RL_ABI_VERSION_MINOR, &plugin, &error);
    if (status != RL_OK || plugin == NULL) {
        fprintf(stderr, "host: entry: %d %s\n", (int)status, error.message);
        return 1;
    }
    memset(&services, 0, sizeof services);
    services.struct_size = sizeof services;
    services.register_definition = accept_registration;
    snprintf(config, sizeof config,
             "{\"database\":{\"path\":\"%s\"},\"org_chart\":{\"departments\":"
             "[{\"name\":\"\\u5e72\\u90e8\\u79d1\"}]}}",
             argv[1]);
    status = plugin->create(&services, config, strlen(config), &instance, &error);
    if (status != RL_OK || instance == NULL) {
        fprintf(stderr, "host: create: %d %s\n", (int)status, error.message);
        return 1;
    }
    sink.struct_size = sizeof sink;
    sink.context = NULL;
    sink.write = append;
    status = plugin->call(instance, "plugin.info", 11, "{}", 2, &sink, &error);
    if (status != RL_OK) {
        fprintf(stderr, "host: plugin.info: %d %s\n", (int)status, error.message);
        return 1;
    }
    printf("plugin: %s\n%s\n", RL_INSTALLED_PLUGIN_PATH, answer);
    plugin->shutdown(instance, &error);
    plugin->destroy(instance);
    dlclose(library);
    return 0;
}
