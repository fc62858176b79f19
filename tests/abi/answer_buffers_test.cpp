// The buffers answers are written into are kept from call to call
// (abi/answer_buffers.h), so reading the ledger again need not map and fault
// in the pages of a fresh buffer for its answer each time (rl_bench's reads
// rows count the page faults per call); a kept buffer never lets one
// answer's bytes into the next.
#include <gtest/gtest.h>

#include <string>

#include "abi/answer_buffers.h"
#include "abi_test_helpers.h"
#include "plugin_host.h"
#include "support/test_support.h"

using oa_stub::PluginHost;
using rl::abi::AnswerBuffers;
using rl::test::TempDir;

namespace {

using namespace rl::test::abi;  // NOLINT(google-build-using-namespace)

TEST(AnswerBuffersUnit, AReturnedBufferComesBackEmptyWithItsCapacity) {
    AnswerBuffers buffers;
    std::size_t grown = 0;
    {
        auto lease = buffers.lease();
        (*lease).Put('x');
        for (int i = 0; i < 200000; ++i) {
            (*lease).Put('y');
        }
        grown = (*lease).stack_.GetCapacity();
    }
    EXPECT_EQ(buffers.kept(), 1u);
    auto again = buffers.lease();
    EXPECT_EQ((*again).GetSize(), 0u) << "the last answer's bytes are gone";
    EXPECT_EQ((*again).stack_.GetCapacity(), grown) << "and its room is kept";
    EXPECT_EQ(buffers.kept(), 0u) << "lent out";
}

TEST(AnswerBuffersUnit, CallsAtOnceEachGetTheirOwnAndTheHugeOrTooManyAreFreed) {
    AnswerBuffers buffers;
    {
        auto a = buffers.lease();
        auto b = buffers.lease();
        EXPECT_NE(&*a, &*b);
        for (std::size_t i = 0; i <= AnswerBuffers::kKeepAtMost; ++i) {
            (*b).Put('z');
        }
    }
    EXPECT_EQ(buffers.kept(), 1u) << "a buffer grown past kKeepAtMost is freed";
    {
        std::vector<std::unique_ptr<AnswerBuffers::Lease>> leases;
        for (std::size_t i = 0; i < AnswerBuffers::kKeepCount + 3; ++i) {
            leases.push_back(std::make_unique<AnswerBuffers::Lease>(buffers));
        }
    }
    EXPECT_EQ(buffers.kept(), AnswerBuffers::kKeepCount);
}

TEST(AnswerBuffers, AShortAnswerAfterALongOneIsWhole) {
    TempDir dir;
    PluginHost host;
    const std::string db = dir.file("ledger.db");
    open_plugin(host, court_ms(2019, 11, 8, 10), rl::test::plugin_config(db));
    const std::string long_one = host.call("ledger.tasks", Req().s("period", "2019-10").str());
    const std::string short_request = Req().s("period", "2019-10").s("department", "刑庭").str();
    const std::string short_one = host.call("ledger.tasks", short_request);
    ASSERT_LT(short_one.size(), long_one.size());
    EXPECT_TRUE(parse_json(short_one).IsObject());
    // As an instance that never wrote a longer answer gives it.
    PluginHost fresh;
    fresh.set_clock(court_ms(2019, 11, 8, 10));
    fresh.load(RL_PLUGIN_PATH);
    fresh.create(rl::test::plugin_config(db));
    EXPECT_EQ(fresh.call("ledger.tasks", short_request), short_one);
    EXPECT_EQ(host.call("ledger.summary", "{}"), fresh.call("ledger.summary", "{}"));
}

}  // namespace
