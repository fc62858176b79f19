// One department's progress report for a period: the form (rendered from the
// registered definition), the actions the plugin offers this person now
// (report.get's "actions" — nothing else is offered), its versions, the
// co-operating departments' reports and its audit trail.
import {call, forms} from '../api.js';
import {h, badge, notice, courtTime, guarded, clear} from '../dom.js';
import {findForm, renderForm, readForm, showFieldErrors, contextFields} from '../form.js';
import {statusText, ASSIGNMENT_ROLE, stepLabel, actionLabel, personName} from '../labels.js';
import {link} from '../nav.js';
import {auditTable} from './task.js';

const FLASH = 'rl.flash';

function keyOf(params) {
    return {
        task: params.get('task') || '',
        item: params.get('item') || '',
        department: params.get('department') || '',
        period: params.get('period') || '',
    };
}

async function offerLabel(a) {
    const label = await actionLabel(a.action);
    return a.acting_for ? `${label}（代 ${await personName(a.acting_for)}）` : label;
}

export async function render(view, params, ctx) {
    const key = keyOf(params);
    const [defs, got, audit] = await Promise.all([
        forms(), call('report.get', key), call('audit.list', {task: key.task})]);
    view.append(h('p.crumbs', h('a', {href: link('ledger', {period: key.period})}, '台账'), ' › ',
        h('a', {href: link('task', {number: key.task, period: key.period})}, '任务 ' + key.task),
        ' › ' + key.department));
    if (got.outcome !== 'ok') {
        view.append(notice('error', got.message || '无权查看该报告'));
        return;
    }
    const flash = sessionStorage.getItem(FLASH);
    if (flash) {
        sessionStorage.removeItem(FLASH);
        view.append(notice('ok', flash));
    }
    const form = findForm(defs);
    const o = got.obligation;
    const r = o.report;
    const actions = got.actions || [];
    view.append(h('h1', `${o.task}. ${o.task_title}`));
    const meta = h('dl.report-meta');
    for (const f of contextFields(form)) {
        meta.append(h('dt', f.label), h('dd', String(o[f.key] || '—')));
    }
    meta.append(
        h('dt', '角色'), h('dd', ASSIGNMENT_ROLE[o.role] || o.role),
        h('dt', '截止日期'), h('dd', o.due_date),
        h('dt', '状态'), h('dd', badge(o.status, statusText(o.status))),
        h('dt', '当前环节'), h('dd#current-step', r ? await stepLabel(r.step) : '未起草'),
        h('dt', '版本'), h('dd', r ? String(r.version) : '—'));
    if (r && r.assignee) meta.append(h('dt', '已转交'), h('dd', await personName(r.assignee)));
    if (o.waived) meta.append(h('dt', '免报'), h('dd', `${await personName(o.waived.by)}：${o.waived.reason}`));
    view.append(meta);

    // Why it came back: the last return of this report, in the audit trail.
    const mine = (audit.entries || []).filter((e) => e.department === o.department &&
        e.period === o.period && (e.item || '') === (o.item || ''));
    if (r && r.state === 'returned') {
        const back = mine.filter((e) => e.action === 'return').pop();
        if (back) {
            view.append(h('div.notice.returned#return-reason', {role: 'alert'},
                h('strong', `${await stepLabel(back.from_step)}退回（${await personName(back.actor)}，` +
                    `${courtTime(back.at)}）：`), h('span.reason', back.reason)));
        }
    }

    const messages = h('div.messages');
    view.append(messages);
    const editable = actions.some((a) => a.action === 'save_draft' || a.action === 'submit');
    view.append(h('h2', form.title || '报告'));
    const formEl = renderForm(form, r ? r.content : {}, {disabled: !editable});
    view.append(formEl);

    const done = async (result, what) => {
        clear(messages);
        if (result.outcome === 'ok') {
            sessionStorage.setItem(FLASH, what + '：已完成');
            await ctx.reload();
            return;
        }
        const unplaced = showFieldErrors(formEl, result.field_errors || []);
        messages.append(notice('error', result.message || result.outcome));
        for (const e of unplaced) messages.append(notice('error', `${e.field}：${e.message}`));
    };
    const act = async (a, extra, what) => {
        const body = {...key, action: a.action, ...extra};
        if (r) body.version = r.version;
        if (a.acting_for) body.acting_for = a.acting_for;
        if (a.action === 'save_draft' || a.action === 'submit') body.content = readForm(form, formEl);
        await done(await call('report.act', body), what);
    };

    // The actions: a button each; those that need more (an opinion, a step,
    // a person, a reason) open a small panel with its own confirm button.
    const bar = h('div.actions#actions', {role: 'group', 'aria-label': '可办理的操作'});
    const panel = h('div.action-panel');
    if (!actions.length) {
        bar.append(h('p.muted', r && r.state === 'filed' ? '报告已归档。' : '您现在没有可办理的操作。'));
    }
    for (const a of actions) {
        const text = await offerLabel(a);
        const button = h('button', {type: 'button', dataset: {action: a.action, actingFor: a.acting_for || ''},
            class: a.action === 'return' || a.action === 'withdraw' ? 'secondary' : null}, text);
        bar.append(button);
        button.addEventListener('click', guarded(messages, async () => {
            clear(messages);
            clear(panel);
            if (a.action === 'save_draft' || a.action === 'submit' || a.action === 'withdraw' ||
                a.action === 'file') {
                if (a.action === 'withdraw' || a.action === 'file') {
                    panel.append(h('p', `确认${text}？`), confirmButton(text, () => act(a, {}, text)));
                    return;
                }
                await act(a, {}, text);
                return;
            }
            const opinion = h('textarea#opinion', {rows: 3, 'aria-label': '意见'});
            if (a.action === 'approve') {
                panel.append(h('label', {for: 'opinion'}, '审批意见（可不填）'), opinion,
                    confirmButton(text, () => act(a, {reason: opinion.value}, text)));
            } else if (a.action === 'return') {
                const target = h('select#return-to', await Promise.all((a.target_steps || []).map(
                    async (s) => h('option', {value: s}, await stepLabel(s)))));
                panel.append(h('label', {for: 'return-to'}, '退回到'), target,
                    h('label', {for: 'opinion'}, '退回理由（必填）'), opinion,
                    confirmButton(text, () => act(a, {target_step: target.value, reason: opinion.value}, text)));
            } else if (a.action === 'hand_over') {
                const to = h('select#hand-over-to', await Promise.all((a.hand_over_to || []).map(
                    async (p) => h('option', {value: p}, await personName(p)))));
                panel.append(h('label', {for: 'hand-over-to'}, '转交给'), to,
                    confirmButton(text, () => act(a, {hand_over_to: to.value}, text)));
            } else if (a.action === 'waive') {
                panel.append(h('label', {for: 'opinion'}, '免报理由（必填）'), opinion,
                    confirmButton(text, async () => done(await call('report.waive',
                        {...key, reason: opinion.value}), text)));
            }
            panel.querySelector('textarea, select')?.focus();
        }));
    }
    view.append(bar, panel);

    function confirmButton(text, fn) {
        return h('button.confirm#confirm', {type: 'button', on: {click: guarded(messages, () => {
            clear(messages);
            return fn();
        })}}, '确认' + text);
    }

    if ((got.co_reports || []).length) {
        view.append(h('h2', '配合部门报送'));
        const rows = [];
        for (const c of got.co_reports) {
            const href = link('report', {task: c.task, item: c.item, department: c.department, period: c.period});
            rows.push(h('tr', {dataset: {department: c.department}},
                h('td', {'data-label': '部门'}, h('a', {href}, c.department)),
                h('td', {'data-label': '状态'}, badge(c.status, statusText(c.status))),
                h('td', {'data-label': '环节'}, c.report ? await stepLabel(c.report.step) : '未起草'),
                h('td', {'data-label': '操作'}, (c.actions || []).some((a) => a.action === 'waive')
                    ? h('a.button.small', {href}, await actionLabel('waive')) : '')));
        }
        view.append(h('table.co.cards', h('thead', h('tr', ['部门', '状态', '当前环节', ''].map((t) => h('th', t)))),
            h('tbody', rows)));
    }

    view.append(h('h2', '历史版本'));
    if (!(got.versions || []).length) {
        view.append(h('p.muted', '尚无版本。'));
    } else {
        const list = h('div.versions');
        for (const v of [...got.versions].reverse()) {
            list.append(h('details.version', h('summary',
                `第 ${v.version} 版 · ${statusText(v.state)} · ${await stepLabel(v.step)} · ${courtTime(v.recorded_at)}`),
            renderForm(form, v.content || {}, {disabled: true, prefix: `v${v.version}-`})));
        }
        view.append(list);
    }
    view.append(h('h2', '全程留痕'), await auditTable(mine));
}
