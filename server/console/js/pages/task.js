// A task: its state, deadlines and departments, its closure application
// (办结) and extension requests (延期), the leaders' instructions (批示) with
// each department's answers, each department's report for the period, and
// the task's audit trail (全程留痕).
import {call} from '../api.js';
import {h, badge, notice, courtTime, guarded, clear} from '../dom.js';
import {statusText, ASSIGNMENT_ROLE, stepLabel, personName, auditActionLabel, taskState, deadlineText,
    warningBadge, warningReasons} from '../labels.js';
import {link, currentPeriod} from '../nav.js';
import {periodPicker} from './ledger.js';
import {closureActions, extensionRequestForm, extensionDecisions, officeForms, takeFlash} from './task_actions.js';

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

export async function render(view, params, ctx) {
    const number = params.get('number');
    const period = currentPeriod(params);
    const [ledger, obligations, audit, life, instructions] = await Promise.all([
        call('ledger.tasks', {period: period || undefined}),
        call('obligations.list', {task: number, period: period || undefined}),
        call('audit.list', {task: number}),
        call('task.get', {task: number}),
        call('instruction.list', {task: number}),
    ]);
    // A struck (销号) or cancelled task has left the active ledger: its page
    // still shows it, from task.get.
    const listed = (ledger.tasks || []).find((t) => t.number === number);
    const task = listed || (life.outcome === 'ok' ? life.task : null);
    if (!task) {
        view.append(notice('error', `计划中没有任务 ${number}`));
        return;
    }
    const shown = obligations.month || ledger.period;
    view.append(
        h('p.crumbs', h('a', {href: link('ledger', {period: shown})}, '台账'), ' › 任务 ' + number),
        h('h1', `${task.number}. ${task.title}`),
        h('div.task-meta',
            h('span', '本期报送：', listed ? badge(task.status, statusText(task.status)) : '—（不在台账中）'),
            h('span#task-state', '任务状态：', taskState(task)),
            h('span', '预警：', warningBadge(task.warning)),
            h('span', '牵头：' + ((task.lead || []).join('、') || '—')),
            h('span', '配合：' + ((task.co || []).join('、') || '—'))),
        deadlines(life.task || task),
        periodPicker(period, (v) => { location.hash = link('task', {number, period: v}); }));
    const reasons = warningReasons(task.warning);
    if (reasons) view.append(h('div#task-warning', reasons));
    const t = life.task || {};
    // What this person may do (task_actions.js): a success reloads the page
    // with its flash here; a refusal shows beside the form's buttons.
    const acts = h('div.messages#task-messages');
    const flash = takeFlash();
    if (flash) acts.append(flash);
    view.append(acts);
    view.append(h('h2', '办结申请'), await closureView(t.closure));
    const closureForm = await closureActions(t, ctx);
    if (closureForm) view.append(closureForm);
    view.append(h('h2', '延期申请'), await extensionsView(t.extensions || []));
    const decisions = await extensionDecisions(t, ctx);
    if (decisions) view.append(decisions);
    const request = extensionRequestForm(t, ctx);
    if (request) view.append(request);
    const office = officeForms(t, ctx);
    if (office) view.append(h('h2', '司改办操作'), office);
    const messages = h('div.messages');
    view.append(h('h2', '领导批示'), messages, await instructionsView(instructions, ctx, messages));

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

// 完成时限: the plan's wording and date, the date the reform office set, and
// the one that counts (with an approved extension), overdue or days left.
function deadlines(t) {
    const d = t.deadline || {};
    return h('dl.report-meta#deadlines',
        h('dt', '计划时限'), h('dd', [d.text, d.due && d.due !== d.text ? `（${d.due}）` : '']
            .filter(Boolean).join('') || '—'),
        h('dt', '调整后时限'), h('dd', d.set || '—'),
        h('dt', '有效时限'), h('dd', deadlineText(t)),
        h('dt', '报送至'), h('dd', t.reports_until || '—'));
}

const CLOSURE_STATE = {draft: '草稿', in_approval: '审批中', returned: '已退回', filed: '已办结',
    none: '尚未起草'};

async function closureView(c) {
    if (!c) return h('p.muted#closure', '尚未申请办结。');
    const evidence = (c.content && c.content.evidence) || [];
    return h('dl.report-meta#closure', {dataset: {state: c.state}},
        h('dt', '申请部门'), h('dd', c.department || '—'),
        h('dt', '轮次'), h('dd', String(c.round || 1)),
        h('dt', '状态'), h('dd', badge(c.state, CLOSURE_STATE[c.state] || c.state)),
        h('dt', '当前环节'), h('dd', c.step_label || c.step || '—'),
        h('dt', '最终报告'), h('dd.reason', (c.content && c.content.final_report) || '—'),
        h('dt', '佐证材料'), h('dd', evidence.length ? evidence.map((e, i) => [i ? '、' : '',
            e.url ? h('a', {href: e.url, rel: 'noopener noreferrer', target: '_blank'}, e.name || e.url)
                : e.name]) : '—'),
        h('dt', '更新时间'), h('dd', courtTime(c.updated_at)));
}

const EXTENSION_STATE = {requested: '待分管领导审核', endorsed: '待司改办审批', approved: '已批准',
    refused: '未批准'};

async function extensionsView(list) {
    if (!list.length) return h('p.muted#extensions', '没有延期申请。');
    const rows = [];
    for (const e of list) {
        const decided = e.decided_by
            ? `${await personName(e.decided_by)} ${courtTime(e.decided_at)}${e.decision_reason ? '：' + e.decision_reason : ''}`
            : '';
        const leader = e.leader ? `${await personName(e.leader)}${e.leader_opinion ? '：' + e.leader_opinion : ''}` : '';
        rows.push(h('tr', {dataset: {extension: e.id, state: e.state}},
            h('td', {'data-label': '部门'}, e.department),
            h('td', {'data-label': '申请人'}, `${await personName(e.requested_by)} ${courtTime(e.requested_at)}`),
            h('td', {'data-label': '时限'}, `${e.from_due || '—'} → ${e.to_due}`),
            h('td.reason', {'data-label': '理由'}, e.reason),
            h('td', {'data-label': '状态'}, h('span.badge.ext-' + e.state, EXTENSION_STATE[e.state] || e.state)),
            h('td.reason', {'data-label': '分管领导'}, leader || '—'),
            h('td.reason', {'data-label': '决定'}, decided || '—')));
    }
    return h('table.extensions.cards#extensions', h('thead', h('tr',
        ['部门', '申请人', '原时限 → 申请时限', '理由', '状态', '分管领导意见', '决定'].map((x) => h('th', x)))),
    h('tbody', rows));
}

// The person answers (反馈) for a department they are contact or head of;
// the plugin decides whether they may.
function mayAnswer(person, department) {
    if (!person) return false;
    const holds = (p) => p.department === department &&
        (p.roles || []).some((r) => r === 'contact' || r === 'head');
    return holds(person) || (person.positions || []).some(holds);
}

function answerForm(ins, d, ctx, messages) {
    const text = h('textarea', {rows: 2, 'aria-label': `${d.department}的反馈`});
    const interim = h('input', {type: 'checkbox'});
    return h('div.answer-form', {dataset: {answer: d.department}}, text,
        h('label.checkbox', interim, ' 阶段反馈（不办结本部门部分）'),
        h('button.small', {type: 'button', on: {click: guarded(messages, async () => {
            const result = await call('instruction.answer', {instruction: ins.number, department: d.department,
                answer: text.value, final: !interim.checked});
            if (result.outcome !== 'ok') {
                clear(messages).append(notice('error', result.message || result.outcome));
                return;
            }
            await ctx.reload();
        })}}, '提交反馈'));
}

async function instructionsView(result, ctx, messages) {
    const person = ctx && ctx.state.session ? ctx.state.session.person : null;
    const list = result.instructions || [];
    if (!list.length) return h('p.muted#instructions', '没有领导批示。');
    const cards = [];
    for (const ins of list) {
        const parts = [];
        for (const d of ins.departments || []) {
            const answers = [];
            for (const a of d.answers || []) {
                answers.push(h('li', {dataset: {final: a.final ? 'true' : 'false'}},
                    h('span.muted', `${await personName(a.answered_by)} ${courtTime(a.answered_at)}` +
                        (a.final ? '（反馈）' : '（阶段反馈）') + '：'),
                    h('span.reason', a.content)));
            }
            parts.push(h('tr', {dataset: {department: d.department, status: d.status}},
                h('td', {'data-label': '部门'}, d.department),
                h('td', {'data-label': '状态'}, d.status === 'answered'
                    ? h('span.badge.status-filed', '已反馈')
                    : h('span.badge.' + (d.overdue ? 'status-overdue' : 'status-not_started'),
                        d.overdue ? '逾期未反馈' : '待反馈')),
                h('td', {'data-label': '反馈'}, answers.length ? h('ul.answers', answers) : '—',
                    d.status !== 'answered' && mayAnswer(person, d.department)
                        ? answerForm(ins, d, ctx, messages) : null)));
        }
        const on = ins.on === 'report' && ins.report
            ? `（对 ${ins.report.department} ${ins.report.period} 报告）` : '';
        cards.push(h('article.notice-card.instruction', {dataset: {instruction: ins.number, status: ins.status}},
            h('h3', ins.number, ' ', h('span.badge.' + (ins.status === 'closed' ? 'status-filed' : 'status-in_approval'),
                ins.status === 'closed' ? '已办结' : '办理中')),
            h('p.muted', `${await personName(ins.written_by)} ${courtTime(ins.written_at)}${on} · 反馈期限 ${ins.due_date}`),
            h('p.reason.instruction-content', ins.content),
            h('table.instruction-parts.cards', h('thead', h('tr', ['部门', '状态', '反馈'].map((x) => h('th', x)))),
                h('tbody', parts))));
    }
    return h('div#instructions', cards);
}
