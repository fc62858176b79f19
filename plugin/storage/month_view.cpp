#include "storage/month_view.h"

namespace rl::storage {

namespace {

bool beside(const ObligationView& v, const ObligationView& lead) {
    return v.role == "co" && v.task_number == lead.task_number &&
           v.item_number == lead.item_number && v.period == lead.period;
}

}  // namespace

MonthView::MonthView(ReportStore& store, const core::PlanInfo& plan, const core::Period& month,
                     const core::ReportingPolicy& policy, const core::WorkingCalendar& calendar)
    : store_(store), plan_(plan), month_(month.key()) {
    opened_ = store_.has_obligations(plan_, month_);
    if (!opened_) {
        unopened_ = store_.unopened_obligations(plan_, month.year, month.index, policy, calendar);
    }
}

std::vector<ObligationView> MonthView::obligations(const std::string& department,
                                                   const std::string& task) const {
    if (opened_) {
        return store_.obligations(plan_, month_, department, task);
    }
    std::vector<ObligationView> out;
    for (const auto& v : unopened_) {
        if ((department.empty() || v.department == department) &&
            (task.empty() || v.task_number == task)) {
            out.push_back(v);
        }
    }
    return out;
}

std::vector<LeadPosition> MonthView::lead_positions() const {
    if (opened_) {
        return store_.lead_positions(plan_, month_);
    }
    std::vector<LeadPosition> out;
    for (const auto& v : unopened_) {
        if (v.role == "lead") {
            out.push_back({v.task_number, false, v.due_date, std::nullopt});
        }
    }
    return out;
}

std::vector<ObligationView> MonthView::open_obligations() const {
    auto out = store_.open_obligations(plan_, month_);
    // An unopened month has no stored rows: its obligations, all open, come
    // after the earlier months' in ledger order.
    out.insert(out.end(), unopened_.begin(), unopened_.end());
    return out;
}

std::vector<OpenReport> MonthView::open_reports() const {
    auto out = store_.open_reports(plan_, month_);
    out.reserve(out.size() + unopened_.size());
    for (const auto& v : unopened_) {
        out.push_back({v.task_number, v.department, v.role == "lead", v.period, v.due_date, {}});
    }
    return out;
}

ObligationView MonthView::obligation(const ObligationKey& key) const {
    for (const auto& v : unopened_) {
        if (v.task_number == key.task && v.item_number == key.item &&
            v.department == key.department && v.period == key.period) {
            return v;
        }
    }
    return store_.obligation(plan_, key);
}

std::vector<ObligationView> MonthView::co_obligations(const ObligationView& lead) const {
    if (lead.id != 0) {
        return store_.co_obligations(plan_, lead);
    }
    std::vector<ObligationView> out;
    for (const auto& v : unopened_) {
        if (beside(v, lead)) {
            out.push_back(v);
        }
    }
    return out;
}

std::vector<std::string> MonthView::missing_co_reports(const ObligationView& lead) const {
    if (lead.id != 0) {
        return store_.missing_co_reports(plan_, lead);
    }
    std::vector<std::string> out;
    if (lead.role == "lead") {
        for (const auto& v : unopened_) {
            if (beside(v, lead)) {
                out.push_back(v.department);  // nobody has reported in a month not opened
            }
        }
    }
    return out;
}

}  // namespace rl::storage
