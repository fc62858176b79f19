// A robot's reply is whatever the far end sends back: the delivery thread
// reads it without recursion, so a reply nested 64 KiB deep (all the sender
// keeps of a body) is "not a reply", never a stack overflow. Run on a thread
// with a 128 KiB stack, far too small for a parser that recurses per level.
#include <gtest/gtest.h>

#include <pthread.h>

#include <optional>
#include <string>

#include "transport/classify.h"

namespace {

using rl::transport::parse_robot_reply;
using rl::transport::RobotReply;

struct Parse {
    std::string body;
    std::optional<RobotReply> reply;
};

void* parse_on_thread(void* arg) {
    auto* p = static_cast<Parse*>(arg);
    p->reply = parse_robot_reply(p->body);
    return nullptr;
}

std::optional<RobotReply> parse_with_small_stack(const std::string& body) {
    Parse p{body, std::nullopt};
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstacksize(&attributes, 128 * 1024);
    pthread_t thread;
    if (pthread_create(&thread, &attributes, &parse_on_thread, &p) != 0) {
        ADD_FAILURE() << "pthread_create failed";
    } else {
        pthread_join(thread, nullptr);
    }
    pthread_attr_destroy(&attributes);
    return p.reply;
}

TEST(RobotReplyDepth, A64KiBDeepReplyIsNotAReplyAndNoStackOverflow) {
    EXPECT_FALSE(parse_with_small_stack(std::string(64 * 1024, '[')));
    EXPECT_FALSE(parse_with_small_stack("{\"errcode\":0,\"x\":" + std::string(64 * 1024, '{')));
    const std::string closed =
        "{\"x\":" + std::string(30000, '[') + std::string(30000, ']') + ",\"errcode\":0}";
    const auto reply = parse_with_small_stack(closed);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->errcode, 0);
}

}  // namespace
