// rl::core::OrgChart: how written department names find the configured
// department, and which configurations are refused.
#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/org_chart.h"
#include "core_test_helpers.h"
#include "test_assertions.h"

namespace {

using rl::core::Department;
using rl::core::DepartmentGroup;
using rl::core::OrgChart;
using rl::core::Person;
using rl::core::PersonRole;

// The message of the std::invalid_argument f throws, or a marker.
template <typename F>
std::string invalid_argument_of(F&& f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no std::invalid_argument thrown)";
}

// f throws std::invalid_argument and its message names `name`.
template <typename F>
::testing::AssertionResult refused_naming(F&& f, const std::string& name) {
    return rl::test::has_text(invalid_argument_of(std::forward<F>(f)), name);
}

OrgChart small_chart() {
    OrgChart chart;
    chart.add_department({"干部科", {"政治处"}});
    chart.add_department({"刑庭", {"刑事审判庭"}});
    chart.add_department({"民庭", {}});
    chart.add_department({"行政庭（综合审判庭）", {"行政庭", "综合审判庭"}});
    chart.add_group({"各审判部门", {"刑庭", "民庭", "行政庭（综合审判庭）"}});
    return chart;
}

TEST(OrgChart, CanonicalNameResolvesToItself) {
    const OrgChart chart = small_chart();
    EXPECT_EQ(chart.department("干部科"), std::optional<std::string>("干部科"));
    EXPECT_EQ(chart.department("行政庭（综合审判庭）"),
              std::optional<std::string>("行政庭（综合审判庭）"));
}

TEST(OrgChart, AliasResolvesToCanonicalName) {
    const OrgChart chart = small_chart();
    EXPECT_EQ(chart.department("政治处"), std::optional<std::string>("干部科"));
    EXPECT_EQ(chart.department("刑事审判庭"), std::optional<std::string>("刑庭"));
    EXPECT_EQ(chart.department("综合审判庭"), std::optional<std::string>("行政庭（综合审判庭）"));
}

TEST(OrgChart, AsciiParenthesesMatchFullWidthOnes) {
    const OrgChart chart = small_chart();
    EXPECT_EQ(chart.department("行政庭(综合审判庭)"),
              std::optional<std::string>("行政庭（综合审判庭）"));
    EXPECT_EQ(chart.department("行政庭（综合审判庭)"),
              std::optional<std::string>("行政庭（综合审判庭）"));
}

TEST(OrgChart, SpacesAreIgnoredWhenMatching) {
    const OrgChart chart = small_chart();
    EXPECT_EQ(chart.department("行政庭 (综合审判庭)"),
              std::optional<std::string>("行政庭（综合审判庭）"));
    EXPECT_EQ(chart.department(" 干 部 科 "), std::optional<std::string>("干部科"));
    EXPECT_EQ(chart.department("干部科\u3000"), std::optional<std::string>("干部科"));
}

TEST(OrgChart, FullWidthLettersMatchAscii) {
    OrgChart chart;
    chart.add_department({"IT科", {}});
    EXPECT_EQ(chart.department("ＩＴ科"), std::optional<std::string>("IT科"));
}

TEST(OrgChart, UnknownNameDoesNotResolve) {
    const OrgChart chart = small_chart();
    EXPECT_EQ(chart.department("执行局"), std::nullopt);
    EXPECT_EQ(chart.department("干部"), std::nullopt);
    EXPECT_EQ(chart.department(""), std::nullopt);
}

TEST(OrgChart, GroupIsFoundByNameAndListsCanonicalMembers) {
    OrgChart chart = small_chart();
    chart.add_group({"刑民审判部门", {"刑事审判庭", "民庭", "行政庭(综合审判庭)"}});
    const DepartmentGroup* group = chart.group("各审判部门");
    ASSERT_NE(group, nullptr);
    EXPECT_EQ(group->members, (std::vector<std::string>{"刑庭", "民庭", "行政庭（综合审判庭）"}));
    const DepartmentGroup* aliased = chart.group(" 刑民审判部门");
    ASSERT_NE(aliased, nullptr);
    EXPECT_EQ(aliased->members, (std::vector<std::string>{"刑庭", "民庭", "行政庭（综合审判庭）"}));
    EXPECT_EQ(chart.group("刑庭"), nullptr);
    EXPECT_EQ(chart.department("各审判部门"), std::nullopt);
}

TEST(OrgChart, DuplicateDepartmentNameThrowsNamingIt) {
    OrgChart chart = small_chart();
    EXPECT_TRUE(refused_naming([&] { chart.add_department({"民庭", {}}); }, "民庭"));
}

TEST(OrgChart, DuplicateAfterFoldingThrows) {
    OrgChart chart = small_chart();
    EXPECT_TRUE(refused_naming(
        [&] {
            chart.add_department({"行政庭(综合审判庭)", {}});
        },
        "行政庭(综合审判庭)"));
}

TEST(OrgChart, AliasUsedByAnotherDepartmentThrowsNamingIt) {
    OrgChart chart = small_chart();
    const std::string message = invalid_argument_of([&] {
        chart.add_department({"审判二庭", {"综合审判庭"}});
    });
    EXPECT_TRUE(rl::test::has_text(message, "综合审判庭"));
    EXPECT_TRUE(rl::test::has_text(message, "行政庭（综合审判庭）"));
}

TEST(OrgChart, AliasEqualToAnotherDepartmentsNameThrows) {
    OrgChart chart = small_chart();
    EXPECT_TRUE(refused_naming([&] { chart.add_department({"刑事庭", {"民庭"}}); }, "民庭"));
}

TEST(OrgChart, GroupNamedLikeADepartmentThrows) {
    OrgChart chart = small_chart();
    EXPECT_TRUE(refused_naming([&] { chart.add_group({"政治处", {"干部科"}}); }, "政治处"));
}

TEST(OrgChart, DuplicateGroupNameThrows) {
    OrgChart chart = small_chart();
    EXPECT_TRUE(refused_naming([&] { chart.add_group({"各审判部门", {"民庭"}}); }, "各审判部门"));
}

TEST(OrgChart, DepartmentNamedLikeAnExistingGroupThrows) {
    OrgChart chart = small_chart();
    EXPECT_TRUE(refused_naming([&] { chart.add_department({"各审判部门", {}}); }, "各审判部门"));
}

TEST(OrgChart, GroupMemberThatIsNotADepartmentThrowsNamingIt) {
    OrgChart chart = small_chart();
    const std::string message = invalid_argument_of([&] {
        chart.add_group({"各执行部门", {"刑庭", "执行局"}});
    });
    EXPECT_TRUE(rl::test::has_text(message, "执行局"));
    EXPECT_TRUE(rl::test::has_text(message, "各执行部门"));
    EXPECT_EQ(chart.group("各执行部门"), nullptr);
}

TEST(OrgChart, GroupWithoutMembersThrows) {
    OrgChart chart = small_chart();
    EXPECT_TRUE(refused_naming([&] { chart.add_group({"空部门组", {}}); }, "空部门组"));
}

TEST(OrgChart, PersonInUnknownDepartmentThrowsNamingIt) {
    OrgChart chart = small_chart();
    Person person;
    person.id = "u-zhixingju-head";
    person.name = "执行局负责人";
    person.department = "执行局";
    person.roles = {PersonRole::head};
    const std::string message = invalid_argument_of([&] { chart.add_person(person); });
    EXPECT_TRUE(rl::test::has_text(message, "执行局"));
    EXPECT_TRUE(rl::test::has_text(message, "u-zhixingju-head"));
    EXPECT_TRUE(chart.people().empty());
}

TEST(OrgChart, LeaderInChargeOfUnknownDepartmentThrowsNamingIt) {
    OrgChart chart = small_chart();
    Person person;
    person.id = "u-vp";
    person.name = "副院长";
    person.department = "干部科";
    person.roles = {PersonRole::leader_in_charge};
    person.in_charge_of = {"刑庭", "执行局"};
    EXPECT_TRUE(refused_naming([&] { chart.add_person(person); }, "执行局"));
}

TEST(OrgChart, DepartmentsInChargeWithoutTheLeaderRoleAreRefused) {
    OrgChart chart = small_chart();
    Person person;
    person.id = "u-vp";
    person.department = "干部科";
    person.roles = {PersonRole::head};
    person.in_charge_of = {"刑庭"};
    EXPECT_TRUE(refused_naming([&] { chart.add_person(person); }, "leader_in_charge"));
}

TEST(OrgChart, PersonIdUsedTwiceThrows) {
    OrgChart chart = small_chart();
    Person person;
    person.id = "u-1";
    person.department = "干部科";
    chart.add_person(person);
    EXPECT_TRUE(refused_naming([&] { chart.add_person(person); }, "u-1"));
}

TEST(OrgChart, PersonDepartmentsAreStoredUnderTheirCanonicalNames) {
    OrgChart chart = small_chart();
    Person person;
    person.id = "u-vp";
    person.department = "政治处";
    person.roles = {PersonRole::leader_in_charge};
    person.in_charge_of = {"刑事审判庭", "行政庭(综合审判庭)"};
    chart.add_person(person);
    ASSERT_EQ(chart.people().size(), 1u);
    EXPECT_EQ(chart.people()[0].department, "干部科");
    EXPECT_EQ(chart.people()[0].in_charge_of,
              (std::vector<std::string>{"刑庭", "行政庭（综合审判庭）"}));
}

TEST(OrgChart, PersonRoleNamesRoundTrip) {
    for (PersonRole role :
         {PersonRole::contact, PersonRole::head, PersonRole::leader_in_charge,
          PersonRole::reform_office, PersonRole::president, PersonRole::supervision_office}) {
        EXPECT_EQ(rl::core::person_role_from_string(rl::core::to_string(role)), role);
    }
    EXPECT_EQ(rl::core::person_role_from_string("Head"), std::nullopt);
    EXPECT_EQ(rl::core::person_role_from_string("leader"), std::nullopt);
}

TEST(OrgChart, DemoChartLoadsAllItsDepartmentsGroupsAndPeople) {
    const OrgChart chart = rl::test::demo_org_chart();
    EXPECT_TRUE(chart.demo);
    EXPECT_EQ(chart.departments().size(), 18u);
    EXPECT_EQ(chart.groups().size(), 4u);
    EXPECT_EQ(chart.people().size(), 40u);
    EXPECT_EQ(chart.department("信息技术科"), std::optional<std::string>("技术科"));
}

}  // namespace
