// rl::load_calendar and rl::builtin_calendar: the working-day calendar
// compiled in from data/cn-working-calendar.json (2019, 2024, 2025, 2026 as
// the State Council notices set them), the due dates it gives, and the
// ConfigErrors a broken calendar file raises, each naming its JSON path.
// Also checks that the compiled-in approval workflow is the one the core
// workflow tests (tests/core/workflow_test.cpp) mirror by hand.
#include <gtest/gtest.h>

#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "calendar_data.h"
#include "config.h"
#include "core/calendar.h"
#include "core/reporting.h"
#include "core/workflow.h"
#include "workflow_loader.h"

namespace {

using rl::ConfigError;
using rl::core::Date;
using rl::core::Period;
using rl::core::ReportingPolicy;
using rl::core::WorkingCalendar;

Date d(const char* iso) {
    const auto parsed = Date::parse(iso);
    if (!parsed) {
        throw std::runtime_error(std::string("test date does not parse: ") + iso);
    }
    return *parsed;
}

const WorkingCalendar& builtin() {
    static const WorkingCalendar calendar = rl::builtin_calendar();
    return calendar;
}

// The ConfigError message load_calendar raises for json, or a marker.
std::string config_error_of(const std::string& json) {
    try {
        rl::load_calendar(json, "test.json");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no ConfigError thrown)";
}

::testing::AssertionResult mentions(const std::string& message,
                                    std::initializer_list<std::string> parts) {
    for (const auto& part : parts) {
        if (message.find(part) == std::string::npos) {
            return ::testing::AssertionFailure()
                   << "\"" << message << "\" does not contain \"" << part << "\"";
        }
    }
    return ::testing::AssertionSuccess();
}

// A calendar file with one 2019 entry.
std::string year_2019(const std::string& holidays, const std::string& working_days) {
    return R"({"time_zone": "+08:00", "years": {"2019": {"notice": "test", "holidays": [)" +
           holidays + R"(], "working_days": [)" + working_days + "]}}}";
}

// --- the built-in calendar: facts ------------------------------------------------------

TEST(BuiltinCalendar, CoversTheYearsOfTheStateCouncilNotices) {
    EXPECT_EQ(builtin().years(), (std::vector<int>{2019, 2024, 2025, 2026}));
}

TEST(BuiltinCalendar, SundayBeforeNationalDay2019IsAMakeUpWorkingDay) {
    EXPECT_EQ(d("2019-09-29").weekday(), 7);
    EXPECT_TRUE(builtin().is_working_day(d("2019-09-29")));
    EXPECT_EQ(builtin().note(d("2019-09-29")), std::optional<std::string>("调休上班"));
}

TEST(BuiltinCalendar, NationalDay2019RunsFromTheFirstToTheSeventh) {
    for (int day = 1; day <= 7; ++day) {
        const Date date{2019, 10, day};
        EXPECT_FALSE(builtin().is_working_day(date)) << date.iso();
        EXPECT_EQ(builtin().note(date), std::optional<std::string>("国庆节")) << date.iso();
    }
    EXPECT_TRUE(builtin().is_working_day(d("2019-10-08")));
    EXPECT_TRUE(builtin().is_working_day(d("2019-09-30")));
}

TEST(BuiltinCalendar, SaturdayAfterNationalDay2019IsAMakeUpWorkingDay) {
    EXPECT_EQ(d("2019-10-12").weekday(), 6);
    EXPECT_TRUE(builtin().is_working_day(d("2019-10-12")));
}

TEST(BuiltinCalendar, OrdinaryWeekendIsNotWorking) {
    EXPECT_FALSE(builtin().is_working_day(d("2019-10-19")));
    EXPECT_FALSE(builtin().is_working_day(d("2019-10-13")));
    EXPECT_EQ(builtin().note(d("2019-10-19")), std::nullopt);
}

TEST(BuiltinCalendar, SpringFestival2026RunsFromTheFifteenthToTheTwentyThird) {
    for (int day = 15; day <= 23; ++day) {
        const Date date{2026, 2, day};
        EXPECT_FALSE(builtin().is_working_day(date)) << date.iso();
        EXPECT_EQ(builtin().note(date), std::optional<std::string>("春节")) << date.iso();
    }
    EXPECT_TRUE(builtin().is_working_day(d("2026-02-24")));
    EXPECT_TRUE(builtin().is_working_day(d("2026-02-13")));
}

TEST(BuiltinCalendar, SaturdaysAroundSpringFestival2026AreMakeUpWorkingDays) {
    EXPECT_EQ(d("2026-02-14").weekday(), 6);
    EXPECT_EQ(d("2026-02-28").weekday(), 6);
    EXPECT_TRUE(builtin().is_working_day(d("2026-02-14")));
    EXPECT_TRUE(builtin().is_working_day(d("2026-02-28")));
}

TEST(BuiltinCalendar, EighthOfOctober2025IsPartOfTheCombinedHoliday) {
    EXPECT_EQ(d("2025-10-08").weekday(), 3);  // a Wednesday
    EXPECT_FALSE(builtin().is_working_day(d("2025-10-08")));
    EXPECT_EQ(builtin().note(d("2025-10-08")), std::optional<std::string>("国庆节、中秋节"));
    EXPECT_TRUE(builtin().is_working_day(d("2025-10-09")));
    EXPECT_TRUE(builtin().is_working_day(d("2025-10-11")));  // Saturday, made up
}

TEST(BuiltinCalendar, SaturdayAfterLabourDay2024IsAMakeUpWorkingDay) {
    EXPECT_EQ(d("2024-05-11").weekday(), 6);
    EXPECT_TRUE(builtin().is_working_day(d("2024-05-11")));
    EXPECT_TRUE(builtin().is_working_day(d("2024-05-06")));  // Monday after 劳动节
    EXPECT_FALSE(builtin().is_working_day(d("2024-05-05")));
}

TEST(BuiltinCalendar, YearWithoutDataFallsBackToPlainWeekendsAndIsReported) {
    EXPECT_FALSE(builtin().covers(2021));
    EXPECT_TRUE(builtin().is_working_day(d("2021-10-01")));   // Friday: no holiday data
    EXPECT_FALSE(builtin().is_working_day(d("2021-10-02")));  // Saturday
    EXPECT_EQ(builtin().note(d("2021-10-01")), std::nullopt);
    EXPECT_EQ(builtin().uncovered_years(d("2019-01-01"), d("2026-12-31")),
              (std::vector<int>{2020, 2021, 2022, 2023}));
    EXPECT_EQ(builtin().uncovered_years(d("2021-03-01"), d("2021-09-30")), std::vector<int>{2021});
    EXPECT_TRUE(builtin().uncovered_years(d("2024-01-01"), d("2026-12-31")).empty());
}

// --- the built-in calendar: arithmetic -------------------------------------------------

TEST(BuiltinCalendar, AddWorkingDaysJumpsOverNationalDay) {
    EXPECT_EQ(builtin().add_working_days(d("2019-09-30"), 1).iso(), "2019-10-08");
}

TEST(BuiltinCalendar, AddWorkingDaysCountsTheMakeUpSunday) {
    // Friday 09-27 → Sunday 09-29 is the 1st working day, Monday 09-30 the 2nd.
    EXPECT_EQ(builtin().add_working_days(d("2019-09-27"), 1).iso(), "2019-09-29");
    EXPECT_EQ(builtin().add_working_days(d("2019-09-27"), 2).iso(), "2019-09-30");
}

TEST(BuiltinCalendar, CountWorkingDaysAcrossNationalDay) {
    // 09-29, 09-30, 10-08, 10-09, 10-10, 10-11, 10-12.
    EXPECT_EQ(builtin().count_working_days(d("2019-09-28"), d("2019-10-13")), 7);
    EXPECT_TRUE(builtin().working_days(d("2019-10-01"), d("2019-10-07")).empty());
}

TEST(BuiltinCalendar, NthWorkingDayOfMonth) {
    EXPECT_EQ(builtin().nth_working_day_of_month(2019, 11, 5).iso(), "2019-11-07");
    EXPECT_EQ(builtin().nth_working_day_of_month(2019, 10, 1).iso(), "2019-10-08");
    // February 2026: 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14 (Sat, made up), then 24 after 春节.
    EXPECT_EQ(builtin().nth_working_day_of_month(2026, 2, 11).iso(), "2026-02-14");
    EXPECT_EQ(builtin().nth_working_day_of_month(2026, 2, 12).iso(), "2026-02-24");
}

TEST(BuiltinCalendar, DefaultPolicyDueDates) {
    const ReportingPolicy policy;
    EXPECT_EQ(policy.due_date(*Period::parse("2019-10"), builtin()).iso(), "2019-11-07");
    EXPECT_EQ(policy.due_date(*Period::parse("2019-09"), builtin()).iso(), "2019-10-12");
    EXPECT_EQ(policy.due_date(*Period::parse("2019-Q3"), builtin()).iso(), "2019-10-12");
    // January 2026 after 元旦 (01-01…03): Sun 4 (made up), Mon 5, Tue 6, Wed 7, Thu 8.
    EXPECT_EQ(policy.due_date(*Period::parse("2025-12"), builtin()).iso(), "2026-01-08");
}

// --- load_calendar ---------------------------------------------------------------------

TEST(LoadCalendar, AcceptsAWellFormedYear) {
    const WorkingCalendar calendar = rl::load_calendar(
        year_2019(R"({"name": "国庆节", "from": "2019-10-01", "to": "2019-10-07"})",
                  R"("2019-09-29", "2019-10-12")"),
        "test.json");
    EXPECT_EQ(calendar.years(), std::vector<int>{2019});
    EXPECT_TRUE(calendar.is_working_day(d("2019-10-12")));
    EXPECT_FALSE(calendar.is_working_day(d("2019-10-04")));
}

TEST(LoadCalendar, MakeUpWorkingDayThatIsNotAWeekendIsAConfigError) {
    const std::string message = config_error_of(year_2019("", R"("2019-10-08")"));
    EXPECT_TRUE(mentions(message, {"test.json", "years.2019", "2019-10-08", "Saturday or Sunday"}));
}

TEST(LoadCalendar, DateOutsideItsYearIsAConfigError) {
    const std::string holiday = config_error_of(
        year_2019(R"({"name": "元旦", "from": "2018-12-30", "to": "2019-01-01"})", ""));
    EXPECT_TRUE(mentions(holiday, {"years.2019", "2018-12-30"}));
    const std::string working = config_error_of(year_2019("", R"("2020-01-04")"));
    EXPECT_TRUE(mentions(working, {"years.2019", "2020-01-04"}));
}

TEST(LoadCalendar, HolidayThatIsAlsoAWorkingDayIsAConfigError) {
    const std::string message =
        config_error_of(year_2019(R"({"name": "国庆节", "from": "2019-10-01", "to": "2019-10-07"})",
                                  R"("2019-10-05")"));  // a Saturday inside the holiday
    EXPECT_TRUE(mentions(message, {"years.2019", "2019-10-05", "both"}));
}

TEST(LoadCalendar, BadDateStringIsAConfigErrorAtItsPath) {
    const std::string working = config_error_of(year_2019("", R"("2019-10-8")"));
    EXPECT_TRUE(mentions(working, {"years.2019.working_days[0]", "2019-10-8"}));
    const std::string holiday = config_error_of(
        year_2019(R"({"name": "国庆节", "from": "2019-10-01", "to": "2019-02-30"})", ""));
    EXPECT_TRUE(mentions(holiday, {"years.2019.holidays[0].to", "2019-02-30"}));
}

TEST(LoadCalendar, ReversedHolidayIsAConfigError) {
    const std::string message = config_error_of(
        year_2019(R"({"name": "国庆节", "from": "2019-10-07", "to": "2019-10-01"})", ""));
    EXPECT_TRUE(mentions(message, {"years.2019", "国庆节"}));
}

TEST(LoadCalendar, TimeZoneOtherThanCourtTimeIsAConfigError) {
    const std::string message = config_error_of(R"({"time_zone": "+09:00", "years": {}})");
    EXPECT_TRUE(mentions(message, {"test.json", "time_zone", "+08:00"}));
    EXPECT_TRUE(mentions(config_error_of(R"({"time_zone": "UTC", "years": {}})"), {"time_zone"}));
}

TEST(LoadCalendar, MissingTimeZoneMeansCourtTime) {
    EXPECT_NO_THROW(rl::load_calendar(R"({"years": {}})", "test.json"));
}

TEST(LoadCalendar, YearKeyMustBeAYear) {
    EXPECT_TRUE(
        mentions(config_error_of(R"({"years": {"19": {"holidays": []}}})"), {"years.19", "year"}));
}

TEST(LoadCalendar, UnknownKeyIsAConfigError) {
    EXPECT_TRUE(
        mentions(config_error_of(R"({"years": {"2019": {"holidays": [], "workdays": []}}})"),
                 {"years.2019.workdays"}));
}

TEST(LoadCalendar, MissingYearsIsAConfigError) {
    EXPECT_TRUE(mentions(config_error_of(R"({"time_zone": "+08:00"})"), {"years"}));
}

TEST(LoadCalendar, MalformedJsonIsAConfigError) {
    EXPECT_TRUE(mentions(config_error_of(R"({"years": )"), {"test.json", "malformed JSON"}));
}

// --- the compiled-in approval workflow ----------------------------------------------------

struct ExpectedStep {
    std::string id;
    rl::core::PersonRole role;
    std::vector<std::string> actions;
    std::vector<std::string> return_targets;
};

TEST(ProgressReportWorkflow, IsTheFourStepChainTheCoreTestsMirror) {
    const rl::core::Workflow w = rl::progress_report_workflow();
    using rl::core::PersonRole;
    const std::vector<ExpectedStep> expected = {
        {"draft",
         PersonRole::contact,
         {"save_draft", "submit", "withdraw", "hand_over", "act_for"},
         {}},
        {"department_head",
         PersonRole::head,
         {"approve", "return", "withdraw", "hand_over", "act_for"},
         {"draft"}},
        {"leader_in_charge",
         PersonRole::leader_in_charge,
         {"approve", "return", "withdraw", "hand_over", "act_for"},
         {"draft", "department_head"}},
        {"reform_office",
         PersonRole::reform_office,
         {"file", "return", "hand_over", "act_for", "waive_co_report"},
         {"draft", "department_head", "leader_in_charge"}},
    };
    EXPECT_EQ(w.id, "reform_ledger.workflow.progress_report_approval");
    EXPECT_TRUE(w.return_requires_reason);
    ASSERT_EQ(w.steps.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(w.steps[i].id, expected[i].id) << i;
        EXPECT_EQ(w.steps[i].actor_role, expected[i].role) << i;
        EXPECT_EQ(w.steps[i].actions, expected[i].actions) << i;
        EXPECT_EQ(w.steps[i].return_targets, expected[i].return_targets) << i;
    }
}

TEST(ProgressReportWorkflow, LoadWorkflowRefusesAReturnToALaterStep) {
    const std::string json = R"({"id": "w", "version": 1, "steps": [
        {"id": "draft", "label": "起草", "actor_role": "contact", "actions": ["submit"],
         "return_targets": ["filing"]},
        {"id": "filing", "label": "归档", "actor_role": "reform_office", "actions": ["file"]}]})";
    EXPECT_THROW(rl::load_workflow(json), std::logic_error);
}

}  // namespace
