// 我的待办: what waits for the signed-in person, up to the period.
import {call} from '../api.js';
import {h, badge, notice} from '../dom.js';
import {statusText, ASSIGNMENT_ROLE} from '../labels.js';
import {link, currentPeriod} from '../nav.js';
import {periodPicker} from './ledger.js';

const WAITING = {draft: '待起草', submit: '待提交', approve: '待审批', file: '待归档'};

export async function render(view, params) {
    const period = currentPeriod(params);
    const inbox = await call('inbox', {period: period || undefined});
    view.append(h('h1', '我的待办'),
        periodPicker(period, (v) => { location.hash = link('inbox', {period: v}); }));
    const items = inbox.items || [];
    if (!items.length) {
        view.append(notice('info', `截至 ${inbox.month || period} 没有待办事项。`));
        return;
    }
    const rows = items.map((it) => {
        const o = it.obligation;
        const href = link('report', {task: o.task, item: o.item, department: o.department, period: o.period});
        return h('tr', {dataset: {task: o.task, department: o.department, waiting: it.waiting_for}},
            h('td', {'data-label': '事项'}, h('a', {href}, WAITING[it.waiting_for] || it.waiting_for)),
            h('td.title', {'data-label': '任务'}, h('a', {href}, `${o.task}. ${o.task_title}`)),
            h('td', {'data-label': '部门'}, `${o.department}（${ASSIGNMENT_ROLE[o.role] || o.role}）`),
            h('td', {'data-label': '期间'}, o.period),
            h('td', {'data-label': '环节'}, it.step),
            h('td', {'data-label': '截止'}, o.due_date),
            h('td', {'data-label': '状态'}, badge(o.status, statusText(o.status))));
    });
    view.append(h('p.count', `共 ${items.length} 项`),
        h('table.inbox.cards', h('thead', h('tr', ['事项', '任务', '部门', '期间', '环节', '截止日期', '状态']
            .map((t) => h('th', t)))), h('tbody', rows)));
}
