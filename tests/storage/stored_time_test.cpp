// The court's day of a stored instant: one function for every store and
// method (there were four copies, two of which ignored a UTC offset).
#include "storage/stored_time.h"

#include <gtest/gtest.h>

namespace rl::storage {
namespace {

std::string day(const std::string& iso) {
    const auto d = court_date_of(iso);
    return d ? d->iso() : "none";
}

TEST(StoredTime, AnInstantFallsOnTheCourtsDayInUtcPlusEight) {
    EXPECT_EQ(day("2019-11-08T01:00:00.000Z"), "2019-11-08");
    EXPECT_EQ(day("2019-11-07T15:59:59.999Z"), "2019-11-07");
    EXPECT_EQ(day("2019-11-07T16:00:00.000Z"), "2019-11-08");
    EXPECT_EQ(day("2019-12-31T16:30:00Z"), "2020-01-01");
}

TEST(StoredTime, AnOffsetIsTakenIntoAccount) {
    EXPECT_EQ(day("2019-11-08T00:30:00+08:00"), "2019-11-08");
    EXPECT_EQ(day("2019-11-07T23:30:00-01:00"), "2019-11-08");
}

TEST(StoredTime, TextThatIsNotAnInstantHasNoCourtDay) {
    EXPECT_EQ(day(""), "none");
    EXPECT_EQ(day("2019-11-08"), "none");
    EXPECT_EQ(day("2019-11-08 10:00"), "none");
    EXPECT_EQ(day("not a time at all"), "none");
}

TEST(StoredTime, DayTextKeepsABareDateAndConvertsAnInstant) {
    EXPECT_EQ(court_day_text("2019-11-07T16:00:00.000Z"), "2019-11-08");
    EXPECT_EQ(court_day_text("2019-11-08"), "2019-11-08");
    EXPECT_EQ(court_day_text(""), "");
}

}  // namespace
}  // namespace rl::storage
