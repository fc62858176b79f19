// A task: its text, deadline and departments, each department's report for
// the period, and the task's audit trail (全程留痕).
import {call} from '../api.js';
import {h, badge, notice, courtTime} from '../dom.js';
import {statusText, ASSIGNMENT_ROLE, stepLabel, personName, auditActionLabel} from '../labels.js';
import {link, currentPeriod} from '../nav.js';
import {periodPicker} from './ledger.js';

export async function auditTable(entries) {
    const rows = [];
    for (const e of entries) {
        const who = await personName(e.actor);
        const forWhom = e.acting_for ? `（代 ${await personName(e.acting_for)}）` : '';
        const moved = e.from_step || e.to_step
            ? `${e.from_step ? await stepLabel(e.from_step) : '—'} → ${e.to_step ? await stepLabel(e.to_step) : '—'}`
            : '';
        rows.push(h('tr', {dataset: {action: e.action}},
            h('td', {'data-label': '时间'}, courtTime(e.at)),
            h('td', {'data-label': '人员'}, who + forWhom),
            h('td', {'data-label': '操作'}, await auditActionLabel(e.action)),
            h('td', {'data-label': '部门'}, [e.department, e.item ? `子项${e.item}` : '', e.period]
                .filter(Boolean).join(' ')),
            h('td', {'data-label': '流转'}, moved),
            h('td.reason', {'data-label': '意见/理由'}, e.reason || '')));
    }
    return h('table.audit.cards', h('thead', h('tr',
        ['时间', '人员', '操作', '部门/期间', '流转', '意见/理由'].map((t) => h('th', t)))),
    h('tbody', rows));
}

export async function render(view, params) {
    const number = params.get('number');
    const period = currentPeriod(params);
    const [ledger, obligations, audit] = await Promise.all([
        call('ledger.tasks', {period: period || undefined}),
        call('obligations.list', {task: number, period: period || undefined}),
        call('audit.list', {task: number}),
    ]);
    const task = (ledger.tasks || []).find((t) => t.number === number);
    if (!task) {
        view.append(notice('error', `计划中没有任务 ${number}`));
        return;
    }
    const shown = obligations.month || ledger.period;
    view.append(
        h('p.crumbs', h('a', {href: link('ledger', {period: shown})}, '台账'), ' › 任务 ' + number),
        h('h1', `${task.number}. ${task.title}`),
        h('div.task-meta',
            h('span', '状态：', badge(task.status, statusText(task.status))),
            h('span', '牵头：' + ((task.lead || []).join('、') || '—')),
            h('span', '配合：' + ((task.co || []).join('、') || '—')),
            h('span', '完成时限：' + (task.deadline ? task.deadline.text || task.deadline.due || '' : '—'))),
        periodPicker(period, (v) => { location.hash = link('task', {number, period: v}); }));

    view.append(h('h2', `各部门报送（${shown}）`));
    if (obligations.outcome !== 'ok') {
        view.append(notice('error', obligations.message));
    } else if (!obligations.obligations.length) {
        view.append(notice('info', '本期没有报送任务。'));
    } else {
        const rows = [];
        for (const o of obligations.obligations) {
            const href = link('report', {task: o.task, item: o.item, department: o.department,
                period: o.period});
            rows.push(h('tr', {dataset: {department: o.department}},
                h('td', {'data-label': '部门'}, h('a', {href}, o.department)),
                h('td', {'data-label': '子项'}, o.item || '—'),
                h('td', {'data-label': '角色'}, ASSIGNMENT_ROLE[o.role] || o.role),
                h('td', {'data-label': '截止'}, o.due_date),
                h('td', {'data-label': '状态'}, badge(o.status, statusText(o.status))),
                h('td', {'data-label': '环节'}, o.report ? await stepLabel(o.report.step) : '—'),
                h('td', {'data-label': '版本'}, o.report ? String(o.report.version) : '—')));
        }
        view.append(h('table.obligations.cards', h('thead', h('tr',
            ['部门', '子项', '角色', '截止日期', '状态', '当前环节', '版本'].map((t) => h('th', t)))),
        h('tbody', rows)));
    }
    view.append(h('h2', '全程留痕'));
    if (audit.outcome !== 'ok') {
        view.append(notice('error', audit.message));
    } else {
        view.append(await auditTable(audit.entries || []));
    }
}
