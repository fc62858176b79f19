/*
 * reform_ledger.h — the C ABI between an OA host and the Reform Ledger plugin.
 *
 * This header is the whole contract. It compiles as C99, C11 and C++17.
 *
 * Some conventions
 *
 *  1. One symbol. The plugin exports exactly one function, reform_ledger_entry_v1
 *     (RL_ENTRY_SYMBOL). The host passes the ABI version it was built against;
 *     the plugin accepts the same major version and any minor version, and
 *     otherwise returns RL_ERR_VERSION_MISMATCH with a message. Features are
 *     discovered through struct_size and through method names, never through
 *     the minor number.
 *  2. Growing structs. Every struct that may grow starts with uint32_t
 *     struct_size, which the writer sets to sizeof(its struct). Fields are only
 *     ever appended. A reader uses a field only if struct_size covers it
 *     (RL_HAS_FIELD).
 *  3. Status codes. Every fallible function returns rl_status: RL_OK (0) or one
 *     of the stable RL_ERR_* codes below. Detail goes into a caller-owned
 *     rl_error (may be NULL when the caller does not want it). Business
 *     outcomes — a validation failure, "not permitted" — are RL_OK calls whose
 *     JSON result says so; a non-zero status means the call itself failed.
 *  4. Strings are UTF-8, passed as pointer + length; they need not be
 *     NUL-terminated. Input is borrowed for the duration of the call only.
 *  5. Output. JSON results are written through a host-provided rl_sink, in one
 *     or more write() calls, during the call; the plugin never hands the host
 *     memory to free, and the host never frees plugin memory.
 *  6. JSON in, JSON out. Configuration and requests are JSON objects; results
 *     are JSON objects. Each method documents its fields (docs/abi.md).
 *  7. Threads. Every function is tagged [control] (only from the thread that
 *     created the instance, never concurrently with another [control] call on
 *     the same instance), [thread-safe] (from any thread, concurrently), or
 *     [any] (from any thread, no instance involved). Host services are tagged
 *     the same way from the host's side.
 *  8. No C++ exception crosses this boundary in either direction: the plugin
 *     catches everything at the boundary, and host callbacks must not throw.
 *  9. Unloading. After destroy() the plugin has joined its threads and stopped
 *     its timers; the host may dlclose() it but need not.
 */
#ifndef REFORM_LEDGER_H
#define REFORM_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RL_ABI_VERSION_MAJOR 1
#define RL_ABI_VERSION_MINOR 0

/* The exported entry function's name, for dlsym(). */
#define RL_ENTRY_SYMBOL "reform_ledger_entry_v1"

/* True when a struct written with struct_size covers FIELD. */
#define RL_HAS_FIELD(ptr, type, field) \
    ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

/* ------------------------------------------------------------------ status */

typedef int32_t rl_status;

#define RL_OK 0
#define RL_ERR_INVALID_ARGUMENT 1 /* a NULL pointer, a bad struct_size, malformed JSON */
#define RL_ERR_VERSION_MISMATCH 2 /* host and plugin majors differ */
#define RL_ERR_CONFIG 3           /* the configuration JSON is invalid */
#define RL_ERR_INPUT 4            /* an input document (a plan file) is unusable */
#define RL_ERR_NOT_FOUND 5        /* a named object does not exist */
#define RL_ERR_STORAGE 6          /* the database cannot be opened, migrated or written */
#define RL_ERR_REGISTRATION 7     /* the host refused a registration */
#define RL_ERR_UNKNOWN_METHOD 8   /* call() was given a method this plugin lacks */
#define RL_ERR_STATE 9            /* the instance is shut down, or similar */
#define RL_ERR_INTERNAL 99        /* a bug; the message says where */

/* Caller-owned error detail. Set struct_size = sizeof(rl_error) before a call.
 * On failure the plugin writes code and a NUL-terminated message (truncated to
 * fit). On success the plugin leaves it untouched. */
typedef struct rl_error {
    uint32_t struct_size;
    int32_t code;
    char message[1024];
} rl_error;

/* Host-provided output sink. write() appends bytes to the result; it returns
 * 0 to continue or non-zero to abort (the plugin then fails the call with
 * RL_ERR_INTERNAL). Called only on the thread that made the call. */
typedef struct rl_sink {
    uint32_t struct_size;
    void* context;
    int32_t (*write)(void* context, const char* data, size_t size);
} rl_sink;

/* ------------------------------------------------------------ host services */

#define RL_LOG_DEBUG 0
#define RL_LOG_INFO 1
#define RL_LOG_WARNING 2
#define RL_LOG_ERROR 3

/* Kinds of registration the plugin makes into the host. */
#define RL_REGISTRATION_FORM 1
#define RL_REGISTRATION_WORKFLOW 2
#define RL_REGISTRATION_NOTIFICATION_RULE 3

/* The services a host offers the plugin. The host owns this table; it must
 * stay valid until destroy() returns. Every function receives host_context. */
typedef struct rl_host_services {
    uint32_t struct_size;
    void* host_context;

    /* [thread-safe] A log line; message is UTF-8 with secrets already
     * redacted. May be NULL: the plugin then stays silent. */
    void (*log)(void* host_context, int32_t level, const char* message, size_t size);

    /* [thread-safe] Wall-clock time in milliseconds since the Unix epoch, UTC.
     * May be NULL: the plugin then uses the system clock. */
    int64_t (*now_ms)(void* host_context);

    /* [control] Register a form, workflow or notification rule (kind is one of
     * RL_REGISTRATION_*). json is an object with at least "id" (stable,
     * dotted) and "version" (integer). The host returns RL_OK, or
     * RL_ERR_REGISTRATION and a message in *error when it refuses — for
     * example because the id is already registered. */
    rl_status (*register_definition)(void* host_context, int32_t kind, const char* json,
                                     size_t size, rl_error* error);
} rl_host_services;

/* ---------------------------------------------------------------- plugin */

/* An opaque plugin instance. */
typedef struct rl_instance rl_instance;

typedef struct rl_plugin {
    uint32_t struct_size;
    uint32_t abi_major;  /* RL_ABI_VERSION_MAJOR of the plugin */
    uint32_t abi_minor;  /* RL_ABI_VERSION_MINOR of the plugin */
    const char* name;    /* "reform-ledger", static */
    const char* version; /* the plugin's release, e.g. "0.1.0", static */

    /* [control] Create an instance: parse the configuration, open and migrate
     * the database, and register forms, workflows and notification rules
     * through host->register_definition. config_json is an object:
     *   {"database": {"path": "…"}, "org_chart": {…}, "options": {…}}
     * (see docs/abi.md). host must outlive the instance. On success *out is
     * the new instance; on failure *out is NULL and nothing is left open. */
    rl_status (*create)(const rl_host_services* host, const char* config_json, size_t config_size,
                        rl_instance** out, rl_error* error);

    /* [thread-safe] Run one method (e.g. "plan.import", "ledger.tasks") with
     * a JSON request object; the JSON result goes to *result. Each call is one
     * transaction: when it fails, nothing it meant to write is written. */
    rl_status (*call)(rl_instance* instance, const char* method, size_t method_size,
                      const char* request_json, size_t request_size, const rl_sink* result,
                      rl_error* error);

    /* [control] Stop background work and close the database. Afterwards call()
     * fails with RL_ERR_STATE. Idempotent. */
    rl_status (*shutdown)(rl_instance* instance, rl_error* error);

    /* [control] Free the instance (shutting it down first if needed).
     * NULL is ignored. */
    void (*destroy)(rl_instance* instance);
} rl_plugin;

/* [any] The plugin's one exported symbol. The host passes the ABI version it
 * was compiled with; on success *out points at a static rl_plugin table that
 * lives as long as the library is loaded. */
typedef rl_status (*rl_entry_fn)(uint32_t host_abi_major, uint32_t host_abi_minor,
                                 const rl_plugin** out, rl_error* error);

#if defined(_WIN32)
#define RL_EXPORT __declspec(dllexport)
#elif defined(__GNUC__)
#define RL_EXPORT __attribute__((visibility("default")))
#else
#define RL_EXPORT
#endif

RL_EXPORT rl_status reform_ledger_entry_v1(uint32_t host_abi_major, uint32_t host_abi_minor,
                                           const rl_plugin** out, rl_error* error);

#ifdef __cplusplus
}
#endif

#endif /* REFORM_LEDGER_H */
