// 考评: the departments ranked by score for a month (scores.period) or a
// year (scores.year), with each part of the score and the weights used.
import {call} from '../api.js';
import {h, notice} from '../dom.js';
import {link, currentPeriod, rememberPeriod} from '../nav.js';

function pct(rate) {
    return rate === null || rate === undefined ? '—' : `${Math.round(rate * 1000) / 10}%`;
}

function signed(points) {
    if (!points) return '0';
    return (points > 0 ? '+' : '') + String(Math.round(points * 100) / 100);
}

export async function render(view, params) {
    const year = params.get('year') || '';
    let period = '';
    if (!year) {
        period = currentPeriod(params);
        if (!/^\d{4}-\d{2}$/.test(period)) {
            // a quarter or nothing chosen: the month being reported on today
            const status = await call('ledger.status', {});
            period = status.month || '';
        }
    }
    const result = year ? await call('scores.year', {year: Number(year)})
        : await call('scores.period', {period});
    if (!year) rememberPeriod(params.get('period'));

    const monthInput = h('input#score-month', {type: 'text', value: period, placeholder: '如 2019-10',
        pattern: '\\d{4}-\\d{2}', size: 9, 'aria-label': '考评月份'});
    monthInput.addEventListener('change', () => {
        const v = monthInput.value.trim();
        if (/^\d{4}-\d{2}$/.test(v)) location.hash = link('scores', {period: v});
    });
    const shownYear = year || (period ? period.slice(0, 4) : '');
    const yearInput = h('input#score-year', {type: 'number', value: shownYear, min: 2000, max: 2100, step: 1,
        'aria-label': '考评年度'});
    yearInput.addEventListener('change', () => {
        if (/^\d{4}$/.test(yearInput.value)) location.hash = link('scores', {year: yearInput.value});
    });
    view.append(h('h1', '考评', h('small', year ? ` ${year}年度` : ` ${result.period || period}`)),
        h('div.filters', h('label', '月度 ', monthInput), h('label', '年度 ', yearInput),
            year ? h('a', {href: link('scores', {period: `${year}-12`})}, '看月度')
                : h('a#score-year-link', {href: link('scores', {year: shownYear})}, `看${shownYear}年度`)));
    if (result.outcome && result.outcome !== 'ok') {
        view.append(notice('error', result.message || result.outcome));
        return;
    }
    // the plugin's notes are in English: the console says the same in Chinese
    view.append(h('p.muted.note', '得分相同的部门名次并列，按部门名称排列，其后名次顺延（1、1、3）。'));
    if ((result.months_not_scored || []).length) {
        view.append(notice('info', '未计入考评的月份：' + result.months_not_scored.join('、')));
    }
    const rows = (result.departments || []).map((d) => h('tr', {dataset: {department: d.department,
        rank: String(d.rank)}},
    h('td.num', {'data-label': '名次'}, String(d.rank)),
    h('td.title', {'data-label': '部门'}, d.department, (d.tied_with || []).length
        ? h('small.muted.tie', ` （并列第${d.rank}名，与${d.tied_with.join('、')}）`) : null),
    h('td.num.score', {'data-label': '得分'}, String(d.score)),
    h('td.num', {'data-label': '按时报送率', title: `按时 ${d.reports_on_time} / 应报 ${d.reports_due}`},
        `${pct(d.on_time_rate)}（${d.reports_on_time}/${d.reports_due}）`),
    h('td.num', {'data-label': '逾期工作日'}, String(d.overdue_working_days)),
    h('td.num', {'data-label': '催办'}, String(d.urges)),
    h('td.num', {'data-label': '督办'}, String(d.supervision_notices)),
    h('td.num', {'data-label': '退回'}, String(d.returns)),
    h('td.num', {'data-label': '按期办结'}, String(d.tasks_closed_on_time)),
    h('td.points', {'data-label': '扣/加分'}, Object.entries(d.points || {}).filter(([, v]) => v)
        .map(([k, v]) => `${POINTS[k] || k}${signed(v)}`).join('，') || '—')));
    view.append(h('p.count', `共 ${rows.length} 个部门，按得分排名`),
        h('table.scores.cards#scores', h('thead', h('tr', ['名次', '部门', '得分', '按时报送率', '逾期工作日',
            '催办', '督办', '退回', '按期办结', '扣/加分'].map((x) => h('th', x)))), h('tbody', rows)));
    const w = result.weights || {};
    view.append(h('p.muted#weights', '权重：按时报送率 ' + (w.on_time_rate ?? '—') +
        ' 分，每逾期一个工作日 −' + (w.overdue_working_day ?? '—') + '，每次催办 −' + (w.urge ?? '—') +
        '，每份督办单 −' + (w.supervision_notice ?? '—') + '，每次退回 −' + (w.return ?? '—') +
        '，每项按期办结 +' + (w.closed_on_time ?? '—') + '；满分 100。'));
}

const POINTS = {on_time_rate: '报送率', overdue_working_days: '逾期', urges: '催办',
    supervision_notices: '督办', returns: '退回', closed_on_time: '办结'};
