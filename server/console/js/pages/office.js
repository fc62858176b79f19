// The reform office's desk: urge (催办) one overdue report or a whole
// department at once, the co-operating reports still missing (to waive on
// their report page), and the outbox: what is pending, what was delivered,
// dead letters with their last error, requeued one by one or all at once.
import {call} from '../api.js';
import {h, badge, notice, guarded, clear} from '../dom.js';
import {statusText, ASSIGNMENT_ROLE} from '../labels.js';
import {link, currentPeriod} from '../nav.js';
import {periodPicker} from './ledger.js';

function outcomeNotice(result, okText) {
    if (result.outcome && result.outcome !== 'ok') {
        return notice('error', result.message || result.outcome);
    }
    return notice('ok', okText);
}

export async function render(view, params, ctx) {
    const period = currentPeriod(params);
    const [obligations, status, dead] = await Promise.all([
        call('obligations.list', {period: period || undefined}),
        call('notify.status', {}),
        call('notify.dead', {}),
    ]);
    const messages = h('div.messages');
    view.append(h('h1', '催办与消息'), messages,
        periodPicker(period, (v) => { location.hash = link('office', {period: v}); }));

    // ---- 催办
    const overdue = (obligations.obligations || []).filter((o) => o.status === 'overdue');
    view.append(h('h2', `逾期未报（${obligations.month || period}）`));
    if (!overdue.length) {
        view.append(h('p.muted', '没有逾期未报的报送。'));
    } else {
        const note = h('input#urge-note', {type: 'text', placeholder: '催办附言（可不填）', 'aria-label': '催办附言'});
        const departments = [...new Set(overdue.map((o) => o.department))];
        view.append(h('div.filters', note));
        view.append(h('div.bulk', departments.map((d) => h('button.small.secondary', {type: 'button',
            dataset: {bulkUrge: d},
            on: {click: guarded(messages, async () => {
                const result = await call('urge.bulk', {department: d, note: note.value || undefined});
                clear(messages).append(outcomeNotice(result,
                    `已向 ${d} 一键催办 ${(result.urged || []).length} 项（跳过 ${(result.skipped || []).length} 项近期已催办的）`));
            })}}, `一键催办 ${d}`))));
        view.append(h('table.overdue.cards', h('thead', h('tr',
            ['任务', '部门', '截止日期', '逾期工作日', '已催办', ''].map((t) => h('th', t)))),
        h('tbody', overdue.map((o) => h('tr', {dataset: {task: o.task, department: o.department}},
            h('td.title', {'data-label': '任务'}, h('a', {href: link('report', {task: o.task, item: o.item,
                department: o.department, period: o.period})}, `${o.task}. ${o.task_title}`)),
            h('td', {'data-label': '部门'}, `${o.department}（${ASSIGNMENT_ROLE[o.role] || o.role}）`),
            h('td', {'data-label': '截止'}, o.due_date),
            h('td.num', {'data-label': '逾期'}, String(o.overdue_working_days)),
            h('td.num', {'data-label': '已催办'}, String(o.urges || 0)),
            h('td', h('button.small', {type: 'button', dataset: {urge: o.task + '|' + o.department},
                on: {click: guarded(messages, async () => {
                    const result = await call('urge', {task: o.task, item: o.item || undefined,
                        department: o.department, period: o.period, note: note.value || undefined});
                    clear(messages).append(outcomeNotice(result, `已催办 ${o.department}：任务 ${o.task}`));
                })}}, '催办')))))));
    }

    // ---- 免报
    const missingCo = (obligations.obligations || []).filter((o) => o.role === 'co' &&
        ['not_started', 'draft', 'overdue', 'returned'].includes(o.status));
    view.append(h('h2', '未报送的配合部门'),
        missingCo.length ? h('ul.co-missing', missingCo.map((o) => h('li',
            h('a', {href: link('report', {task: o.task, item: o.item, department: o.department, period: o.period})},
                `任务 ${o.task} · ${o.department}`), ' ', badge(o.status, statusText(o.status)))))
            : h('p.muted', '配合部门均已报送或免报。'),
        h('p.muted', '免报在该配合部门的报告页办理（需填写理由）。'));

    // ---- 消息
    view.append(h('h2', '消息发送'));
    const figures = [['待发送', status.pending], ['发送中', status.in_flight], ['已送达', status.delivered],
        ['失败（死信）', status.dead],
        ['最早待发送', status.oldest_pending_age_ms ? Math.round(status.oldest_pending_age_ms / 1000) + ' 秒前' : '—']];
    view.append(h('dl.figures#outbox-status', figures.map(([k, v]) => [h('dt', k), h('dd', String(v ?? '—'))])));
    const letters = dead.dead || [];
    view.append(h('h3', `死信 ${letters.length} 条`));
    if (letters.length) {
        view.append(h('button.small#requeue-all', {type: 'button', on: {click: guarded(messages, async () => {
            const result = await call('notify.requeue', {all: true});
            clear(messages).append(notice('ok', `已重新排队 ${result.requeued} 条`));
            await ctx.reload();
        })}}, '全部重发'));
        view.append(h('table.dead.cards', h('thead', h('tr', ['消息', '渠道', '收件人', '次数', '最后错误', '']
            .map((t) => h('th', t)))), h('tbody', letters.map((d) => h('tr',
            h('td.title', {'data-label': '消息'}, d.title),
            h('td', {'data-label': '渠道'}, d.channel),
            h('td', {'data-label': '收件人'}, d.recipient),
            h('td.num', {'data-label': '次数'}, String(d.attempts)),
            h('td.reason', {'data-label': '错误'}, d.last_error),
            h('td', h('button.small', {type: 'button', on: {click: guarded(messages, async () => {
                const result = await call('notify.requeue', {id: d.id});
                clear(messages).append(notice('ok', `已重新排队 ${result.requeued} 条`));
                await ctx.reload();
            })}}, '重发')))))));
    }
}
