#include "core/bulletin.h"

#include <cstdio>
#include <map>

#include "core/ledger_workbook.h"

namespace rl::core {

namespace {

enum class Outcome { on_time, late, missing, pending };

Outcome outcome_of(const BulletinObligation& o) {
    if (o.status == "overdue") {
        return Outcome::missing;
    }
    if (!o.submitted_on.empty()) {
        // ISO dates compare as text.
        return o.submitted_on <= o.due_date ? Outcome::on_time : Outcome::late;
    }
    return Outcome::pending;
}

std::string task_of(const std::string& task, const std::string& item) {
    return "第" + task + "项" + (item.empty() ? "" : "（" + item + "）");
}

std::string percent(int part, int whole) {
    if (whole == 0) {
        return "—";
    }
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%.1f%%", 100.0 * part / whole);
    return buffer;
}

// 94.5, 100, -3.25: a score as the ranked table gives it (two decimals at most).
std::string score_text(double score) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", score);
    std::string text = buffer;
    while (!text.empty() && text.back() == '0') {
        text.pop_back();
    }
    if (!text.empty() && text.back() == '.') {
        text.pop_back();
    }
    return text;
}

std::string plain_date(const std::string& iso) {
    const auto d = Date::parse(iso);
    if (!d) {
        return iso;
    }
    return std::to_string(d->year) + "年" + std::to_string(d->month) + "月" +
           std::to_string(d->day) + "日";
}

}  // namespace

DateSpan notice_window(const Period& period) {
    const Period month{Cycle::monthly, period.year, period.last_month()};
    const Period next = month.next();
    return {next.first_day().iso(), next.last_day().iso()};
}

std::vector<DepartmentTally> tally_departments(const BulletinInput& input) {
    std::vector<DepartmentTally> out;
    std::map<std::string, std::size_t> index;
    const auto tally_of = [&](const std::string& d) -> DepartmentTally& {
        const auto it = index.find(d);
        if (it != index.end()) {
            return out[it->second];
        }
        index[d] = out.size();
        out.push_back(DepartmentTally{d});
        return out.back();
    };
    for (const auto& o : input.obligations) {
        if (o.status == "waived") {
            continue;
        }
        DepartmentTally& t = tally_of(o.department);
        ++t.due;
        switch (outcome_of(o)) {
            case Outcome::on_time:
                ++t.on_time;
                break;
            case Outcome::late:
                ++t.late;
                break;
            case Outcome::missing:
                ++t.missing;
                break;
            case Outcome::pending:
                ++t.pending;
                break;
        }
    }
    for (const auto& u : input.urges) {
        ++tally_of(u.department).urges;
    }
    for (const auto& n : input.notices) {
        ++tally_of(n.department).notices;
    }
    return out;
}

DepartmentTally total_of(const std::vector<DepartmentTally>& tallies) {
    DepartmentTally total{"合计"};
    for (const auto& t : tallies) {
        total.due += t.due;
        total.on_time += t.on_time;
        total.late += t.late;
        total.missing += t.missing;
        total.pending += t.pending;
        total.urges += t.urges;
        total.notices += t.notices;
    }
    return total;
}

WordDocument bulletin_document(const BulletinInput& input) {
    using K = WordBlock::Kind;
    WordDocument doc;
    const std::string period = period_label(input.period);
    doc.title = "司法改革任务落实情况通报（" + period + "）";
    auto& b = doc.blocks;
    b.push_back(WordBlock::of(K::title, doc.title));
    b.push_back(WordBlock::of(K::subtitle, input.plan_title));
    b.push_back(WordBlock::of(K::subtitle, plain_date(input.today)));

    const auto tallies = tally_departments(input);
    const DepartmentTally total = total_of(tallies);
    b.push_back(WordBlock::of(K::heading, "一、总体情况"));
    b.push_back(WordBlock::of(
        K::paragraph,
        period + "，各部门应报送工作进展" + std::to_string(total.due) + "项，按时报送" +
            std::to_string(total.on_time) + "项，逾期报送" + std::to_string(total.late) +
            "项，未报送" + std::to_string(total.missing) + "项，尚未到期" +
            std::to_string(total.pending) + "项，按时报送率" + percent(total.on_time, total.due) +
            "。司改办催办" + std::to_string(total.urges) + "次，发出督办单" +
            std::to_string(total.notices) + "件。"));

    b.push_back(WordBlock::of(K::heading, "二、各部门报送情况"));
    std::vector<std::vector<std::string>> rows = {
        {"部门", "应报", "按时", "逾期报送", "未报送", "未到期", "催办", "督办"}};
    for (const auto& t : tallies) {
        rows.push_back({t.department, std::to_string(t.due), std::to_string(t.on_time),
                        std::to_string(t.late), std::to_string(t.missing),
                        std::to_string(t.pending), std::to_string(t.urges),
                        std::to_string(t.notices)});
    }
    rows.push_back({total.department, std::to_string(total.due), std::to_string(total.on_time),
                    std::to_string(total.late), std::to_string(total.missing),
                    std::to_string(total.pending), std::to_string(total.urges),
                    std::to_string(total.notices)});
    b.push_back(WordBlock::of_table(std::move(rows), {2200, 850, 850, 1250, 1100, 1100, 850, 850}));

    b.push_back(WordBlock::of(K::heading, "三、逾期未报送事项"));
    std::vector<std::vector<std::string>> overdue = {{"部门", "任务", "应报日期", "逾期工作日"}};
    for (const auto& o : input.obligations) {
        if (o.status == "overdue") {
            overdue.push_back({o.department,
                               task_of(o.task_number, o.item_number) + " " + o.task_title,
                               o.due_date, std::to_string(o.overdue_working_days)});
        }
    }
    if (overdue.size() == 1) {
        b.push_back(WordBlock::of(K::paragraph, "本期无逾期未报送事项。"));
    } else {
        b.push_back(WordBlock::of_table(std::move(overdue), {2000, 4600, 1400, 1100}));
    }

    b.push_back(WordBlock::of(K::heading, "四、催办情况"));
    if (input.urges.empty()) {
        b.push_back(WordBlock::of(K::paragraph, "本期无催办。"));
    } else {
        std::vector<std::vector<std::string>> urges = {
            {"部门", "任务", "报送期", "催办日期", "催办人", "催办意见"}};
        for (const auto& u : input.urges) {
            urges.push_back({u.department, task_of(u.task_number, ""), period_label(u.period),
                             u.urged_on, u.by, u.note});
        }
        b.push_back(WordBlock::of_table(std::move(urges), {1700, 1100, 1300, 1400, 1300, 2300}));
    }

    b.push_back(WordBlock::of(K::heading, "五、督办情况"));
    const DateSpan window = notice_window(*Period::parse(input.period));
    b.push_back(WordBlock::of(K::paragraph, "督办单签发期间：" + plain_date(window.first) + "至" +
                                                plain_date(window.last) + "。"));
    if (input.notices.empty()) {
        b.push_back(WordBlock::of(K::paragraph, "本期未发出督办单。"));
    } else {
        std::vector<std::vector<std::string>> notices = {
            {"督办单号", "部门", "任务", "签发日期", "答复期限", "办理情况", "督办内容"}};
        for (const auto& n : input.notices) {
            notices.push_back({n.number, n.department, task_of(n.task_number, ""), n.issued_on,
                               n.due_date, n.status == "answered" ? "已答复" : "未答复",
                               n.content});
        }
        b.push_back(
            WordBlock::of_table(std::move(notices), {1500, 1300, 900, 1200, 1200, 1000, 2000}));
    }

    b.push_back(WordBlock::of(K::heading, "六、部门考评"));
    if (input.scores.empty()) {
        b.push_back(WordBlock::of(K::paragraph, "本期无考评数据。"));
    } else {
        std::vector<std::vector<std::string>> scores = {{"名次", "部门", "得分", "按时报送率",
                                                         "逾期工作日", "催办", "督办", "退回",
                                                         "按期办结"}};
        for (const auto& d : input.scores) {
            const auto& r = d.record;
            scores.push_back(
                {std::to_string(d.rank) + (d.tied_with.empty() ? "" : "（并列）"), r.department,
                 score_text(d.score),
                 d.on_time_rate ? percent(r.reports_on_time, r.reports_due) : "—",
                 std::to_string(r.overdue_working_days), std::to_string(r.urges),
                 std::to_string(r.supervision_notices), std::to_string(r.returns),
                 r.tasks_closed_on_time ? std::to_string(*r.tasks_closed_on_time) : "—"});
        }
        b.push_back(WordBlock::of_table(std::move(scores),
                                        {800, 1800, 900, 1200, 1100, 800, 800, 800, 1100}));
    }
    return doc;
}

}  // namespace rl::core
