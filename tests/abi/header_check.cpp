// Compiled as C++17 with -Wall -Wextra -pedantic -Werror.
#include "reform_ledger.h"

#include <type_traits>

static_assert(std::is_standard_layout_v<rl_plugin>, "rl_plugin must be plain C layout");
static_assert(std::is_standard_layout_v<rl_host_services>,
              "rl_host_services must be plain C layout");
static_assert(std::is_same_v<decltype(&reform_ledger_entry_v1), rl_entry_fn>,
              "the entry function matches rl_entry_fn");
