// Reading Poco Data record sets: NULL reads as empty text or zero.
#pragma once

#include <Poco/Data/RecordSet.h>

#include <string>

namespace rl::storage {

inline std::string text(Poco::Data::RecordSet& rs, std::size_t column) {
    const auto& v = rs.value(column);
    return v.isEmpty() ? std::string() : v.convert<std::string>();
}

inline Poco::Int64 integer(Poco::Data::RecordSet& rs, std::size_t column) {
    const auto& v = rs.value(column);
    return v.isEmpty() ? 0 : v.convert<Poco::Int64>();
}

}  // namespace rl::storage
