// rl::core::read_unit_list and looks_like_unit_list: department lists as
// plans write them — after a label, inside a task's closing brackets, in a
// table cell — with the words that are not names stripped.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "core/unit_list.h"
#include "core_test_helpers.h"

namespace {

using rl::core::looks_like_unit_list;
using rl::core::NamedUnit;
using rl::core::read_unit_list;
using rl::core::Role;
using TextRun = rl::core::Run;

// "name" for a unit without a role, "name:lead" / "name:co" with one, "*" for bold.
std::vector<std::string> described(const std::vector<NamedUnit>& units) {
    std::vector<std::string> out;
    for (const auto& unit : units) {
        std::string text = unit.name;
        if (unit.role) {
            text += std::string(":") + rl::core::to_string(*unit.role);
        }
        if (unit.bold) {
            text += "*";
        }
        out.push_back(text);
    }
    return out;
}

std::vector<std::string> read(const std::string& list) {
    return described(read_unit_list(list));
}

using Names = std::vector<std::string>;

TEST(UnitList, SplitsAtEveryListSeparatorOutsideBrackets) {
    EXPECT_EQ(read("立案庭、技术科；办公室,审管办;执行局 政治部"),
              (Names{"立案庭", "技术科", "办公室", "审管办", "执行局", "政治部"}));
    EXPECT_EQ(read("立案庭（诉讼服务中心、信访办）、技术科"),
              (Names{"立案庭（诉讼服务中心、信访办）", "技术科"}));
}

TEST(UnitList, ALeadMarkerAfterANameMakesItLeadEvenWhenItStandsApart) {
    EXPECT_EQ(read("刑庭（牵头）、技术科"), (Names{"刑庭:lead", "技术科"}));
    EXPECT_EQ(read("技术科、刑庭 （牵头）"), (Names{"技术科", "刑庭:lead"}));
    EXPECT_EQ(read("刑庭(牵头)"), (Names{"刑庭:lead"}));
}

TEST(UnitList, FuzeAndItsVariantsAreStrippedWithoutDecidingALead) {
    EXPECT_EQ(read("立案庭、技术科负责"), (Names{"立案庭", "技术科"}));
    EXPECT_EQ(read("审管办、执行局按职责分工负责"), (Names{"审管办", "执行局"}));
    EXPECT_EQ(read("各审判执行部门分别负责"), (Names{"各审判执行部门"}));
    EXPECT_EQ(read("刑庭、民庭各自负责"), (Names{"刑庭", "民庭"}));
    EXPECT_EQ(read("刑庭、民庭共同负责"), (Names{"刑庭", "民庭"}));
    EXPECT_EQ(read("技术科、办公室负责。"), (Names{"技术科", "办公室"}));
}

TEST(UnitList, DengYouGuanBuMenIsNotAName) {
    EXPECT_EQ(read("立案庭、监察室等有关部门按职责分工负责"), (Names{"立案庭", "监察室"}));
    EXPECT_EQ(read("立案庭、监察室等有关部门和单位"), (Names{"立案庭", "监察室"}));
    EXPECT_EQ(read("政治部、办公室等部门"), (Names{"政治部", "办公室"}));
}

TEST(UnitList, QianTouAndPeiHeWordsGiveRolesToTheNamesWrittenWithThem) {
    EXPECT_EQ(read("立案庭牵头，技术科、审管办配合"),
              (Names{"立案庭:lead", "技术科:co", "审管办:co"}));
    EXPECT_EQ(read("政治部、办公室牵头负责"), (Names{"政治部:lead", "办公室:lead"}));
}

TEST(UnitList, HuiTongMakesTheNamesBeforeItLeadAndThoseAfterItCooperate) {
    EXPECT_EQ(read("立案庭会同技术科、审管办负责"),
              (Names{"立案庭:lead", "技术科:co", "审管办:co"}));
    EXPECT_EQ(read("由立案庭牵头，会同技术科、审管办"),
              (Names{"立案庭:lead", "技术科:co", "审管办:co"}));
}

TEST(UnitList, ANameIsBoldWhenEveryCharacterOfItIsBoldInTheRuns) {
    const std::vector<TextRun> runs = {{"责任部门：", false}, {"技术科", true},
                                       {"、", false},         {"立案", true},
                                       {"庭", false},         {"、审管办", false}};
    const auto units = read_unit_list("技术科、立案庭、审管办", &runs);
    EXPECT_EQ(described(units), (Names{"技术科*", "立案庭", "审管办"}));
}

TEST(UnitList, BoldIsReadAfterQualifiersAreStripped) {
    const std::vector<TextRun> runs = {
        {"加强管理（", false}, {"审管办", true}, {"、执行局按职责分工负责）", false}};
    EXPECT_EQ(described(read_unit_list("审管办、执行局按职责分工负责", &runs)),
              (Names{"审管办*", "执行局"}));
}

TEST(UnitList, WithoutRunsNothingIsBold) {
    EXPECT_EQ(read("技术科、立案庭"), (Names{"技术科", "立案庭"}));
}

TEST(UnitList, DepartmentListsLookLikeUnitLists) {
    EXPECT_TRUE(looks_like_unit_list("立案庭、技术科负责"));
    EXPECT_TRUE(looks_like_unit_list("审管办、执行局按职责分工负责"));
    EXPECT_TRUE(looks_like_unit_list("各审判执行部门分别负责"));
    EXPECT_TRUE(looks_like_unit_list("立案庭、技术科"));
    EXPECT_TRUE(looks_like_unit_list("政治部"));
}

TEST(UnitList, RemarksInBracketsDoNotLookLikeUnitLists) {
    EXPECT_FALSE(looks_like_unit_list("试行"));
    EXPECT_FALSE(looks_like_unit_list("以下简称审管办"));
    EXPECT_FALSE(looks_like_unit_list("2019年修订"));
    EXPECT_FALSE(looks_like_unit_list("含人民法庭"));
    EXPECT_FALSE(looks_like_unit_list("即“一站式”诉讼服务"));
    EXPECT_FALSE(
        looks_like_unit_list("确保案件质效不断提升，群众满意度明显提高，形成可复制的经验"));
    EXPECT_FALSE(looks_like_unit_list(""));
    EXPECT_FALSE(looks_like_unit_list("见附件"));
}

}  // namespace
