// rapidjson's assertions throw std::logic_error instead of aborting, so that
// an unexpected JSON shape fails a test instead of the whole binary. Every
// test source using rapidjson with this setting includes this header before
// any rapidjson header (one definition for the suites and their support).
#pragma once

#include <stdexcept>

#define RAPIDJSON_ASSERT_THROWS
#define RAPIDJSON_ASSERT(x) \
    ((x) ? static_cast<void>(0) : throw std::logic_error("unexpected JSON shape: " #x))
