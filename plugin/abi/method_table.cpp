#include "abi/method_table.h"

#include <stdexcept>

namespace rl::abi {

void MethodTable::add(const std::string& name, Tx tx, HandlerFn fn, Keep keep) {
    if (fn == nullptr) {
        throw std::logic_error("method '" + name + "' is registered without a handler");
    }
    if (keep == Keep::answers && tx != Tx::read) {
        throw std::logic_error("method '" + name + "' keeps its answers but is not a read");
    }
    if (!methods_.emplace(name, Method{fn, tx, keep}).second) {
        throw std::logic_error("method '" + name +
                               "' is registered twice (two families of methods claim it)");
    }
}

const Method* MethodTable::find(std::string_view name) const {
    const auto it = methods_.find(name);
    return it == methods_.end() ? nullptr : &it->second;
}

}  // namespace rl::abi
