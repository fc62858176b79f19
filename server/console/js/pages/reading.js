// 待阅: what was sent to the signed-in person for reading (抄送) — filed
// reports, closures, instructions and their answers — newest first, each with
// a 已阅 button; "全部已阅" marks them all. Unread only unless ?all=1.
import {call} from '../api.js';
import {h, notice, courtTime, guarded} from '../dom.js';
import {personName} from '../labels.js';
import {link} from '../nav.js';

export const KIND = {report: '报告归档', instruction: '领导批示', instruction_answer: '批示反馈',
    closure: '办结申请'};

// The navigation's count of unread items (filled in after the header is drawn).
export async function unreadCount() {
    const result = await call('reading.list', {unread_only: true});
    return result.unread || 0;
}

function itemLink(it) {
    if (it.kind === 'report' && it.department && it.period) {
        return link('report', {task: it.task, item: it.item, department: it.department, period: it.period});
    }
    return it.task ? link('task', {number: it.task}) : null;
}

export async function render(view, params, ctx) {
    const all = params.get('all') === '1';
    const result = await call('reading.list', {unread_only: !all});  // the plugin's default: unread only
    const messages = h('div.messages');
    view.append(h('h1', '待阅', h('small', ` 未读 ${result.unread || 0} 件，共 ${result.total || 0} 件`)),
        messages,
        h('p.filters', all
            ? h('a#reading-toggle', {href: link('reading')}, '只看未读')
            : h('a#reading-toggle', {href: link('reading', {all: '1'})}, '显示全部（含已阅）')));
    const items = result.items || [];
    if (!items.length) {
        view.append(notice('info', all ? '没有抄送给您的事项。' : '没有未读事项。'));
        return;
    }
    if (result.unread) {
        view.append(h('div.actions', h('button.secondary#read-all', {type: 'button',
            on: {click: guarded(messages, async () => {
                const r = await call('reading.mark', {all: true});
                if (r.outcome !== 'ok') throw new Error(r.message);
                await ctx.reload();
            })}}, '全部已阅')));
    }
    const rows = [];
    for (const it of items) {
        const href = itemLink(it);
        const button = it.read
            ? h('span.muted', '已阅 ' + courtTime(it.read_at))
            : h('button.small', {type: 'button', dataset: {read: it.id}, on: {click: guarded(messages, async () => {
                const r = await call('reading.mark', {id: it.id});
                if (r.outcome !== 'ok') throw new Error(r.message);
                await ctx.reload();
            })}}, '已阅');
        rows.push(h('tr', {dataset: {item: it.id, kind: it.kind, read: it.read ? 'true' : 'false'}},
            h('td', {'data-label': '类别'}, KIND[it.kind] || it.kind),
            h('td.title', {'data-label': '事项'}, href ? h('a', {href}, it.title || it.subject) : it.title || it.subject),
            h('td', {'data-label': '部门'}, [it.department, it.period].filter(Boolean).join(' ') || '—'),
            h('td', {'data-label': '发送'}, `${await personName(it.sent_by)} ${courtTime(it.sent_at)}`),
            h('td', {'data-label': '阅读'}, button)));
    }
    view.append(h('table.reading.cards#reading', h('thead', h('tr',
        ['类别', '事项', '部门/期间', '发送人', '阅读'].map((x) => h('th', x)))), h('tbody', rows)));
}
