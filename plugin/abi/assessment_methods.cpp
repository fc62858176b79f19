// Department scores (考评) through the ABI: scores.period (one month) and
// scores.year (the months of a year), each a ranked table of the plan's
// departments. The rules and the formula are core/scores.h; the figures come
// from the months' obligations (storage/month_view.h) and the audit trail and
// supervision notices (storage/assessment_store.h). Reads only.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "abi/context.h"
#include "abi/department_scores.h"
#include "abi/errors.h"
#include "abi/families.h"
#include "core/scores.h"
#include "storage/assessment_store.h"
#include "storage/stored_time.h"

namespace rl::abi {

using storage::court_date_of;

namespace {

std::string month_key(int year, int month) {
    return core::Period{core::Cycle::monthly, year, month}.key();
}

struct Gathered {
    std::vector<core::DepartmentRecord> records;
    std::vector<std::string> months_scored;
    std::vector<std::string> months_not_scored;
};

// A month is scored when its obligations are stored (a sweep, an import or a
// write opened it), or when the ledger has been asking for it: from the month
// reported on when the plan was imported to the month reported on today (the
// ledger shows those months' obligations whether or not they are stored).
// Months before the plan came into the ledger, and months not yet reported
// on, are not.
bool scored(const storage::MonthView& view, const core::Period& month,
            const std::optional<core::Date>& imported, const core::Date& today) {
    if (view.opened()) {
        return true;
    }
    const std::string key = month.key();
    return imported && core::reporting_month(*imported).key() <= key &&
           key <= core::reporting_month(today).key();
}

Gathered gather(Context& ctx, const core::PlanInfo& plan, int year, int first, int last) {
    storage::AssessmentStore store(ctx.database());
    const core::Date today = ctx.today();
    std::map<std::string, core::DepartmentRecord> by;
    for (const auto& load : ctx.plans().summary(plan).departments) {
        by[load.department].department = load.department;
    }
    const auto facts = store.report_facts(plan, month_key(year, first), month_key(year, last));
    const std::optional<core::Date> imported = court_date_of(plan.imported_at);
    Gathered out;
    for (int m = first; m <= last; ++m) {
        const core::Period month{core::Cycle::monthly, year, m};
        const storage::MonthView view = ctx.month_view(plan, month);
        if (!scored(view, month, imported, today)) {
            out.months_not_scored.push_back(month.key());
            continue;
        }
        out.months_scored.push_back(month.key());
        for (const auto& v : view.obligations()) {
            core::ReportRecord r;
            r.department = v.department;
            r.due = *core::Date::parse(v.due_date);
            r.waived = v.waived;
            r.urges = v.urges;
            if (const auto f = facts.find(v.id); f != facts.end()) {
                r.first_submitted = court_date_of(f->second.first_submitted_at);
                r.returns = f->second.returns;
            }
            auto& record = by[v.department];
            record.department = v.department;
            core::tally(record, r, today, ctx.calendar());
        }
    }
    for (const auto& n : store.notices(plan)) {
        // A notice counts toward the month being reported on when it was
        // issued (one issued in November is about October's reports), like
        // the urges and returns of that month's obligations.
        const auto issued = court_date_of(n.issued_at);
        const auto about = issued ? std::optional(core::reporting_month(*issued)) : std::nullopt;
        if (about && about->year == year && about->index >= first && about->index <= last) {
            auto& record = by[n.department];
            record.department = n.department;
            ++record.supervision_notices;
        }
    }
    // 按期办结: a task the department leads, closed (the reform office filed its
    // closure) on or before its effective deadline; a task with no deadline
    // (长期坚持 and the like) cannot be late. Like a notice, a closure counts
    // toward the month being reported on when it was filed.
    for (auto& [name, record] : by) {
        record.tasks_closed_on_time = 0;
    }
    for (const auto& c : store.closures_filed(plan)) {
        const auto filed = court_date_of(c.filed_at);
        const auto about = filed ? std::optional(core::reporting_month(*filed)) : std::nullopt;
        if (!about || about->year != year || about->index < first || about->index > last) {
            continue;
        }
        const auto deadline = core::Date::parse(c.deadline);
        if (deadline && *deadline < *filed) {
            continue;
        }
        auto& record = by[c.department];
        record.department = c.department;
        record.tasks_closed_on_time = record.tasks_closed_on_time.value_or(0) + 1;
    }
    for (auto& [name, record] : by) {
        out.records.push_back(record);
    }
    return out;
}

void write_weights(json::Writer& w, const core::ScoreWeights& weights) {
    w.StartObject();
    w.Key("on_time_rate");
    w.Double(weights.on_time_rate);
    w.Key("overdue_working_day");
    w.Double(weights.overdue_working_day);
    w.Key("urge");
    w.Double(weights.urge);
    w.Key("supervision_notice");
    w.Double(weights.supervision_notice);
    w.Key("return");
    w.Double(weights.returned);
    w.Key("closed_on_time");
    w.Double(weights.closed_on_time);
    w.EndObject();
}

std::string tie_note(const core::DepartmentScore& s) {
    if (s.tied_with.empty()) {
        return "";
    }
    return "并列第" + std::to_string(s.rank) + "名 (tied at rank " + std::to_string(s.rank) +
           " with " + std::to_string(s.tied_with.size()) +
           " other(s) on the same score; listed by name)";
}

void write_table(Context& ctx, const core::PlanInfo& plan, const DepartmentScores& g,
                 json::Writer& w) {
    const auto& table = g.table;
    w.Key("today");
    json::write_string(w, ctx.today().iso());
    w.Key("months_scored");
    json::write_strings(w, g.months_scored);
    w.Key("months_not_scored");
    json::write_strings(w, g.months_not_scored);
    w.Key("weights");
    write_weights(w, ctx.config().scores);
    w.Key("closure_recorded");
    w.Bool(true);
    w.Key("notes");
    w.StartArray();
    if (!g.months_not_scored.empty()) {
        json::write_string(w, "not scored: months before plan '" + plan.key +
                                  "' was imported and months not yet reported on, unless their "
                                  "obligations are stored (" +
                                  std::to_string(g.months_not_scored.size()) + " month(s))");
    }
    w.String(
        "equal scores share a rank and are listed by department name; the next rank "
        "skips (1, 1, 3)");
    w.EndArray();
    w.Key("departments");
    w.StartArray();
    for (const auto& s : table) {
        const auto& r = s.record;
        w.StartObject();
        w.Key("rank");
        w.Int(s.rank);
        w.Key("department");
        json::write_string(w, r.department);
        w.Key("score");
        w.Double(s.score);
        w.Key("tied_with");
        json::write_strings(w, s.tied_with);
        w.Key("tie");
        json::write_string(w, tie_note(s));
        w.Key("on_time_rate");
        if (s.on_time_rate) {
            w.Double(*s.on_time_rate);
        } else {
            w.Null();
        }
        w.Key("reports_due");
        w.Int(r.reports_due);
        w.Key("reports_on_time");
        w.Int(r.reports_on_time);
        w.Key("overdue_working_days");
        w.Int(r.overdue_working_days);
        w.Key("urges");
        w.Int(r.urges);
        w.Key("supervision_notices");
        w.Int(r.supervision_notices);
        w.Key("returns");
        w.Int(r.returns);
        w.Key("tasks_closed_on_time");
        if (r.tasks_closed_on_time) {
            w.Int(*r.tasks_closed_on_time);
        } else {
            w.Null();
        }
        w.Key("points");
        w.StartObject();
        w.Key("on_time_rate");
        w.Double(s.points.on_time_rate);
        w.Key("overdue_working_days");
        w.Double(s.points.overdue_working_days);
        w.Key("urges");
        w.Double(s.points.urges);
        w.Key("supervision_notices");
        w.Double(s.points.supervision_notices);
        w.Key("returns");
        w.Double(s.points.returns);
        w.Key("closed_on_time");
        w.Double(s.points.closed_on_time);
        w.EndObject();
        w.EndObject();
    }
    w.EndArray();
}

void check_plan_year(const core::PlanInfo& plan, int year, const char* field,
                     const std::string& given) {
    const core::YearSpan years{plan.first_year, plan.last_year};
    if (!core::within_plan_years(core::Period{core::Cycle::monthly, year, 1}, years)) {
        request_reader().fail(field, given + " is outside the years of plan '" + plan.key + "' (" +
                                         std::to_string(years.first) + "–" +
                                         std::to_string(years.last) + ", give or take " +
                                         std::to_string(core::kPlanYearMargin) + ")");
    }
}

void scores_period(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "period", "user"});
    ctx.check_optional_reader(request);
    const core::PlanInfo plan = ctx.plan_of(request);
    const std::string text = *r.string(request, "", "period", true);
    const auto period = core::Period::parse(text);
    if (!period || period->cycle != core::Cycle::monthly) {
        r.fail("period",
               "'" + text + "' is not a month (expected 2019-05; use scores.year for a year)");
    }
    check_plan_year(plan, period->year, "period", text);
    const DepartmentScores g =
        department_scores(ctx, plan, period->year, period->index, period->index);
    w.StartObject();
    w.Key("plan");
    json::write_string(w, plan.key);
    w.Key("period");
    json::write_string(w, period->key());
    write_table(ctx, plan, g, w);
    w.EndObject();
}

void scores_year(Context& ctx, const rapidjson::Document& request, json::Writer& w) {
    const auto& r = request_reader();
    r.only_keys(request, "", {"plan", "year", "user"});
    ctx.check_optional_reader(request);
    const core::PlanInfo plan = ctx.plan_of(request);
    const auto it = request.FindMember("year");
    if (it == request.MemberEnd() || !it->value.IsInt()) {
        r.fail("year", "expected the year as a whole number (2019)");
    }
    const int year = it->value.GetInt();
    check_plan_year(plan, year, "year", std::to_string(year));
    const DepartmentScores g = department_scores(ctx, plan, year, 1, 12);
    w.StartObject();
    w.Key("plan");
    json::write_string(w, plan.key);
    w.Key("year");
    w.Int(year);
    write_table(ctx, plan, g, w);
    w.EndObject();
}

}  // namespace

DepartmentScores department_scores(Context& ctx, const core::PlanInfo& plan, int year, int first,
                                   int last) {
    Gathered g = gather(ctx, plan, year, first, last);
    DepartmentScores out;
    out.table = core::rank_departments(g.records, ctx.config().scores);
    out.months_scored = std::move(g.months_scored);
    out.months_not_scored = std::move(g.months_not_scored);
    return out;
}

void add_assessment_methods(MethodTable& table) {
    table.add("scores.period", Tx::read, scores_period);
    table.add("scores.year", Tx::read, scores_year);
}

}  // namespace rl::abi
