// What the PostgreSQL backend (postgres_database.cpp) and its libpq
// statements (pg_query.cpp) both need of a Poco PostgreSQL session: its libpq
// connection, and libpq's messages without their trailing newline. Included
// by those two files only, so libpq stays out of the stores' headers.
#pragma once

#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Data/Session.h>
#include <libpq-fe.h>

#include <string>

namespace rl::storage {

inline PGconn* pg_connection(Poco::Data::Session& session) {
    auto* impl = static_cast<Poco::Data::PostgreSQL::SessionImpl*>(session.impl());
    return static_cast<PGconn*>(impl->handle());
}

inline std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

}  // namespace rl::storage
