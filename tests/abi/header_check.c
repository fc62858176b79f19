/* Compiled as C99 and C11 with -Wall -Wextra -pedantic -Werror: the header
 * must stay plain, portable C. */
#include "reform_ledger.h"

/* Use every type so the compiler looks at each declaration. */
size_t rl_header_check_sizes(void);
size_t rl_header_check_sizes(void) {
    rl_error error;
    error.struct_size = (uint32_t)sizeof error;
    return sizeof(rl_error) + sizeof(rl_sink) + sizeof(rl_host_services) + sizeof(rl_plugin) +
           (size_t)RL_HAS_FIELD(&error, rl_error, message) + (size_t)(RL_OK + RL_ABI_VERSION_MAJOR);
}
