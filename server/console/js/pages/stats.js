// Statistics for a period: per department, how many obligations stand in
// each status, and the on-time rate — of the obligations already due (and
// not waived), the share first submitted on or before their due date (court
// time), as the audit trail records it. A chart drawn here (SVG) and a table.
import {call} from '../api.js';
import {h, svg, notice, courtTime} from '../dom.js';
import {STATUS_ORDER, statusText} from '../labels.js';
import {link, currentPeriod} from '../nav.js';
import {periodPicker} from './ledger.js';

function onTimeRates(obligations, entries, today) {
    const firstSubmit = new Map();
    for (const e of entries) {
        if (e.action !== 'submit') continue;
        const k = [e.task, e.item || '', e.department, e.period].join('|');
        if (!firstSubmit.has(k)) firstSubmit.set(k, courtTime(e.at).slice(0, 10));
    }
    const rates = new Map();
    for (const o of obligations) {
        if (o.waived || o.due_date > today) continue;
        const r = rates.get(o.department) || {due: 0, onTime: 0};
        r.due++;
        const at = firstSubmit.get([o.task, o.item || '', o.department, o.period].join('|'));
        if (at && at <= o.due_date) r.onTime++;
        rates.set(o.department, r);
    }
    return rates;
}

function percent(r) {
    return r && r.due ? Math.round((100 * r.onTime) / r.due) + '%' : '—';
}

function chart(departments) {
    const rowHeight = 22;
    const labelWidth = 170;
    const barWidth = 420;
    const max = Math.max(1, ...departments.map((d) => STATUS_ORDER.reduce((n, s) => n + (d.counts[s] || 0), 0)));
    const height = departments.length * rowHeight + 40;
    const root = svg('svg', {viewBox: `0 0 ${labelWidth + barWidth + 40} ${height}`, role: 'img',
        'aria-label': '各部门报送状态', class: 'chart', id: 'status-chart'});
    departments.forEach((d, i) => {
        const y = i * rowHeight + 4;
        root.append(svg('text', {x: labelWidth - 6, y: y + 14, 'text-anchor': 'end', class: 'label'},
            d.name.length > 11 ? d.name.slice(0, 10) + '…' : d.name));
        let x = labelWidth;
        let total = 0;
        for (const s of STATUS_ORDER) {
            const n = d.counts[s] || 0;
            if (!n) continue;
            const w = (n / max) * barWidth;
            root.append(svg('rect', {x, y, width: Math.max(w, 1), height: rowHeight - 6,
                class: 'seg status-' + s}, svg('title', null, `${d.name} ${statusText(s)} ${n}`)));
            x += w;
            total += n;
        }
        root.append(svg('text', {x: x + 4, y: y + 14, class: 'value'}, String(total)));
    });
    // The legend under the bars.
    let lx = labelWidth;
    const ly = departments.length * rowHeight + 18;
    for (const s of STATUS_ORDER) {
        root.append(svg('rect', {x: lx, y: ly, width: 10, height: 10, class: 'seg status-' + s}));
        root.append(svg('text', {x: lx + 13, y: ly + 9, class: 'legend'}, statusText(s)));
        lx += 62;
    }
    return root;
}

export async function render(view, params) {
    const period = currentPeriod(params);
    const [status, obligations, audit] = await Promise.all([
        call('ledger.status', {period: period || undefined}),
        call('obligations.list', {period: period || undefined}),
        call('audit.list', {}),
    ]);
    view.append(h('h1', '统计', h('small', ` ${status.month || ''}`)),
        periodPicker(period, (v) => { location.hash = link('stats', {period: v}); }));
    if (status.outcome !== 'ok') {
        view.append(notice('error', status.message));
        return;
    }
    const departments = status.departments || [];
    if (!departments.length) {
        view.append(notice('info', '本期没有报送任务。'));
        return;
    }
    const rates = onTimeRates(obligations.obligations || [], audit.entries || [], status.today);
    view.append(h('figure.chart-box', chart(departments),
        h('figcaption', `各部门 ${status.month} 报送状态（截至 ${status.today}）`)));
    const rows = departments.map((d) => h('tr', {dataset: {department: d.name}},
        h('td', {'data-label': '部门'}, d.name),
        STATUS_ORDER.map((s) => h('td.num', {'data-label': statusText(s)}, String(d.counts[s] || 0))),
        h('td.num', {'data-label': '按时报送率'}, percent(rates.get(d.name)))));
    const all = {due: 0, onTime: 0};
    for (const r of rates.values()) {
        all.due += r.due;
        all.onTime += r.onTime;
    }
    view.append(h('table.stats.cards#stats-table', h('thead', h('tr', h('th', '部门'),
        STATUS_ORDER.map((s) => h('th.num', statusText(s))), h('th.num', '按时报送率'))),
    h('tbody', rows)),
    h('p.muted', `按时报送率：已到截止日期（且未免报）的报送中，在截止日期当天或之前首次提交的比例。全院：${percent(all)}` +
        `（${all.onTime}/${all.due}）。`));
}
