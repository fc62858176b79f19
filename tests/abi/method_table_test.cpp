// The dispatch table the families of ABI methods register into
// (plugin/abi/method_table.h): a method two families claim is refused when
// the table is built, so the instance does not start with one of the two
// handlers silently dropped.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "abi/method_table.h"

namespace {

using rl::abi::Context;
using rl::abi::MethodTable;
using rl::abi::Tx;

void urge_one(Context&, const rapidjson::Document&, rl::json::Writer& out) {
    out.String("one");
}

void urge_other(Context&, const rapidjson::Document&, rl::json::Writer& out) {
    out.String("other");
}

TEST(MethodTable, RefusesAMethodRegisteredTwiceAndKeepsTheFirst) {
    MethodTable table;
    table.add("urge", Tx::write, urge_one);
    try {
        table.add("urge", Tx::read, urge_other);
        FAIL() << "a second registration of 'urge' was taken";
    } catch (const std::logic_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "method 'urge' is registered twice (two families of methods claim it)");
    }
    const rl::abi::Method* method = table.find("urge");
    ASSERT_NE(method, nullptr);
    EXPECT_TRUE(method->fn == &urge_one);
    EXPECT_EQ(method->tx, Tx::write);
}

TEST(MethodTable, RefusesAMethodWithoutAHandler) {
    MethodTable table;
    EXPECT_THROW(table.add("urge", Tx::write, nullptr), std::logic_error);
    EXPECT_EQ(table.find("urge"), nullptr);
}

TEST(MethodTable, ListsMethodsInNameOrderAndFindsOnlyThose) {
    MethodTable table;
    table.add("urge.bulk", Tx::write, urge_other);
    table.add("audit.list", Tx::read, urge_one);
    table.add("urge", Tx::write, urge_one);
    std::string names;
    for (const auto& [name, method] : table) {
        names += name + ";";
    }
    EXPECT_EQ(names, "audit.list;urge;urge.bulk;");
    EXPECT_EQ(table.find("audit"), nullptr);
    EXPECT_TRUE(table.find("urge.bulk")->fn == &urge_other);
}

}  // namespace
