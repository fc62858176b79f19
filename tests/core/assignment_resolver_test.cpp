// rl::core::resolve_assignments on the seed plan with the demo org chart
// (host_stub/demo/org-chart.json): groups expand, aliases resolve, nothing
// is duplicated, and unknown names are kept and reported, never dropped.
#include <gtest/gtest.h>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "core/assignment_resolver.h"
#include "core/plan_parser.h"
#include "core_test_helpers.h"
#include "test_assertions.h"

namespace {

using rl::core::Assignment;
using rl::core::OrgChart;
using rl::core::parse_plan;
using rl::core::Plan;
using rl::core::Resolution;
using rl::core::resolve_assignments;
using rl::core::Role;
using rl::test::kCo;
using rl::test::kLead;
using rl::test::seed_plan;

// (department, role, via_group, written_as) — what an assignment says.
using Row = std::tuple<std::string, Role, std::string, std::string>;

std::vector<Row> rows_of(const Resolution& r, const std::string& task,
                         const std::string& item = "") {
    std::vector<Row> rows;
    for (const auto& a : r.assignments) {
        if (a.task_number == task && a.item_number == item) {
            rows.emplace_back(a.department, a.role, a.via_group, a.written_as);
        }
    }
    return rows;
}

const Resolution& seed_resolution() {
    static const OrgChart chart = rl::test::demo_org_chart();
    static const Resolution resolution = resolve_assignments(seed_plan(), chart);
    return resolution;
}

// The demo org chart with one department taken out (and every reference to it).
OrgChart demo_chart_without(const std::string& removed) {
    rapidjson::Document doc;
    const std::string json = rl::test::demo_org_chart_json();
    doc.Parse(json.c_str(), json.size());
    auto& departments = doc["departments"];
    for (auto it = departments.Begin(); it != departments.End();) {
        it = std::string((*it)["name"].GetString()) == removed ? departments.Erase(it) : it + 1;
    }
    const auto drop = [&](rapidjson::Value& names) {
        for (auto it = names.Begin(); it != names.End();) {
            it = std::string(it->GetString()) == removed ? names.Erase(it) : it + 1;
        }
    };
    for (auto& group : doc["groups"].GetArray()) {
        drop(group["members"]);
    }
    auto& people = doc["people"];
    for (auto it = people.Begin(); it != people.End();) {
        if (std::string((*it)["department"].GetString()) == removed) {
            it = people.Erase(it);
            continue;
        }
        if (it->HasMember("in_charge_of")) {
            drop((*it)["in_charge_of"]);
        }
        ++it;
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    doc.Accept(writer);
    return rl::test::org_chart_from_json(buffer.GetString());
}

TEST(AssignmentResolver, SeedWithDemoChartGives148Assignments) {
    EXPECT_EQ(seed_resolution().assignments.size(), 148u);
}

TEST(AssignmentResolver, SeedWithDemoChartKnowsEveryDepartmentAndWarnsNothing) {
    for (const auto& a : seed_resolution().assignments) {
        EXPECT_TRUE(a.known) << "task " << a.task_number << ": " << a.department;
    }
    EXPECT_TRUE(rl::test::is_empty(seed_resolution().unknown));
    EXPECT_TRUE(rl::test::is_empty(seed_resolution().warnings));
}

TEST(AssignmentResolver, ListedDepartmentKeepsItsRoleAndOrder) {
    EXPECT_EQ(rows_of(seed_resolution(), "24"),
              (std::vector<Row>{{"朝阳川法庭", kLead, "", "朝阳川法庭"},
                                {"办公室", kCo, "", "办公室"},
                                {"干部科", kCo, "", "干部科"},
                                {"审管办", kCo, "", "审管办"},
                                {"技术科", kCo, "", "技术科"}}));
}

TEST(AssignmentResolver, GroupExpandsToItsMembersAsCoOperatingViaTheGroup) {
    const std::string g = "各审判执行部门";
    EXPECT_EQ(rows_of(seed_resolution(), "5"),
              (std::vector<Row>{{"研究室", kLead, "", "研究室"},
                                {"技术科", kCo, "", "技术科"},
                                {"刑庭", kCo, g, g},
                                {"民庭", kCo, g, g},
                                {"行政庭（综合审判庭）", kCo, g, g},
                                {"朝阳川法庭", kCo, g, g},
                                {"交通法庭", kCo, g, g},
                                {"执行局", kCo, g, g}}));
}

TEST(AssignmentResolver, GroupMemberAlsoListedExplicitlyIsNotRepeated) {
    const std::string g = "立案审判执行各部门";
    EXPECT_EQ(rows_of(seed_resolution(), "34"),
              (std::vector<Row>{{"民庭", kLead, "", "民庭"},
                                {"立案庭", kCo, g, g},
                                {"刑庭", kCo, g, g},
                                {"行政庭（综合审判庭）", kCo, g, g},
                                {"朝阳川法庭", kCo, g, g},
                                {"交通法庭", kCo, g, g},
                                {"执行局", kCo, g, g}}));
}

TEST(AssignmentResolver, NoDepartmentIsAssignedTwiceToOneTaskOrItem) {
    std::map<std::tuple<std::string, std::string, std::string>, int> seen;
    for (const auto& a : seed_resolution().assignments) {
        const auto key = std::make_tuple(a.task_number, a.item_number, a.department);
        EXPECT_EQ(++seen[key], 1) << "task " << a.task_number << " item '" << a.item_number
                                  << "': " << a.department;
    }
}

TEST(AssignmentResolver, OrdinalsCountFromOneWithinEachTaskOrItem) {
    std::map<std::pair<std::string, std::string>, int> last;
    for (const auto& a : seed_resolution().assignments) {
        int& previous = last[{a.task_number, a.item_number}];
        EXPECT_EQ(a.ordinal, previous + 1) << "task " << a.task_number << ": " << a.department;
        previous = a.ordinal;
    }
}

TEST(AssignmentResolver, ItemsAreAssignedUnderTheirTaskAndItemNumbers) {
    EXPECT_TRUE(rl::test::is_empty(rows_of(seed_resolution(), "14")));
    EXPECT_EQ(rows_of(seed_resolution(), "14", "1"),
              (std::vector<Row>{{"干部科", kLead, "", "干部科"}}));
    EXPECT_EQ(rows_of(seed_resolution(), "14", "2"),
              (std::vector<Row>{{"干部科", kLead, "", "干部科"}}));
}

TEST(AssignmentResolver, EachTaskHasExactlyOneLeadInTheSeed) {
    std::map<std::pair<std::string, std::string>, int> leads;
    for (const auto& a : seed_resolution().assignments) {
        leads[{a.task_number, a.item_number}] += a.role == kLead ? 1 : 0;
    }
    EXPECT_EQ(leads.size(), 46u);  // 44 tasks without items + task 14's two items
    for (const auto& [where, count] : leads) {
        EXPECT_EQ(count, 1) << "task " << where.first << " item '" << where.second << "'";
    }
}

TEST(AssignmentResolver, UnknownDepartmentIsKeptMarkedAndReportedWithItsTask) {
    const OrgChart chart = demo_chart_without("法警队");
    const Resolution r = resolve_assignments(seed_plan(), chart);
    EXPECT_EQ(r.assignments.size(), 148u);
    EXPECT_EQ(rows_of(r, "17"),
              (std::vector<Row>{{"干部科", kLead, "", "干部科"}, {"法警队", kCo, "", "法警队"}}));
    for (const auto& a : r.assignments) {
        EXPECT_EQ(a.known, a.department != "法警队")
            << "task " << a.task_number << ": " << a.department;
    }
    EXPECT_EQ(r.unknown, (std::vector<std::string>{"task 17: 法警队"}));
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_TRUE(rl::test::has_text(r.warnings[0], {"task 17", "法警队"}));
}

TEST(AssignmentResolver, UnknownNamesAreReportedOncePerPlace) {
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
1.严格落实违法审判责任追究制度。
责任部门：督查室、监察室
2.加强法官助理、书记员的配备和培养。
（1）建立健全法官助理招录机制。
责任部门：干部科、督查室
)");
    const Resolution r = resolve_assignments(plan, rl::test::demo_org_chart());
    ASSERT_EQ(r.assignments.size(), 4u);
    const Assignment& unknown = r.assignments[0];
    EXPECT_EQ(unknown.task_number, "1");
    EXPECT_EQ(unknown.department, "督查室");
    EXPECT_EQ(unknown.written_as, "督查室");
    EXPECT_EQ(unknown.role, kLead);
    EXPECT_FALSE(unknown.known);
    EXPECT_TRUE(r.assignments[1].known);
    EXPECT_EQ(r.assignments[3].item_number, "1");
    EXPECT_FALSE(r.assignments[3].known);
    ASSERT_EQ(r.unknown.size(), 2u);
    EXPECT_EQ(r.unknown[0], "task 1: 督查室");
    EXPECT_TRUE(rl::test::has_text(r.unknown[1], {"task 2", "督查室"}));
    ASSERT_EQ(r.warnings.size(), 2u);
    EXPECT_TRUE(rl::test::has_text(r.warnings[0], {"task 1", "督查室"}));
}

TEST(AssignmentResolver, AliasResolvesToCanonicalNameAndRemembersTheWrittenName) {
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
1.明确司法人员岗位职责。
责任部门：政治处、信息技术科、行政庭(综合审判庭)
)");
    const Resolution r = resolve_assignments(plan, rl::test::demo_org_chart());
    EXPECT_EQ(rows_of(r, "1"),
              (std::vector<Row>{{"干部科", kLead, "", "政治处"},
                                {"技术科", kCo, "", "信息技术科"},
                                {"行政庭（综合审判庭）", kCo, "", "行政庭(综合审判庭)"}}));
    EXPECT_TRUE(rl::test::is_empty(r.unknown));
}

TEST(AssignmentResolver, AliasAndCanonicalNameOfOneDepartmentGiveOneAssignment) {
    const Plan plan = parse_plan(R"(分工方案
一、推进司法责任制
1.明确司法人员岗位职责。
责任部门：干部科、技术科、政治处
)");
    const Resolution r = resolve_assignments(plan, rl::test::demo_org_chart());
    EXPECT_EQ(rows_of(r, "1"),
              (std::vector<Row>{{"干部科", kLead, "", "干部科"}, {"技术科", kCo, "", "技术科"}}));
}

TEST(AssignmentResolver, LeadListedAfterItsGroupStillLeadsAndIsNotRepeated) {
    const Plan plan = parse_plan(R"(分工方案
四、推进审判执行领域改革
1.加强环境资源审判工作。
责任部门：各审判部门、民庭（牵头）
)");
    const Resolution r = resolve_assignments(plan, rl::test::demo_org_chart());
    const std::string g = "各审判部门";
    EXPECT_EQ(rows_of(r, "1"), (std::vector<Row>{{"刑庭", kCo, g, g},
                                                 {"民庭", kLead, g, g},
                                                 {"行政庭（综合审判庭）", kCo, g, g},
                                                 {"朝阳川法庭", kCo, g, g},
                                                 {"交通法庭", kCo, g, g}}));
}

}  // namespace
