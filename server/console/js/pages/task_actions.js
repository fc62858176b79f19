// What a person can do on a task's page (issue 12): apply for closure (办结)
// and act on it at their step, ask for an extension (延期) and decide one,
// and — the reform office — set the deadline, strike (销号) and reopen.
// Each form posts one plugin method through the sidecar as the
// instruction-answer form does (api.js: the session cookie and its CSRF
// token; the server fills in the actor). The plugin decides: the closure's
// buttons are task.get's "actions" for the signed-in person, the extensions
// to decide are those inbox lists for them; a refusal or a bad field shows
// the plugin's message beside the form's buttons and the page stays as it was.
import {call, forms} from '../api.js';
import {h, notice, guarded, clear} from '../dom.js';
import {isReformOffice, personName} from '../labels.js';

const CLOSURE_WORKFLOW = 'reform_ledger.workflow.task_closure_approval';
const FLASH = 'rl.task.flash';
const OPEN = ['not_started', 'in_progress'];

async function closureWorkflow() {
    const defs = await forms();
    return (defs.workflows || []).find((w) => w.id === CLOSURE_WORKFLOW) || {steps: [], actions_catalog: []};
}

async function closureStepLabel(id) {
    const step = ((await closureWorkflow()).steps || []).find((s) => s.id === id);
    return step ? step.label : id;
}

async function closureActionLabel(id) {
    const entry = ((await closureWorkflow()).actions_catalog || []).find((a) => a.id === id);
    return entry ? entry.label : id;
}

// The person holds role (contact, head…) in one of departments, themselves
// or through a position.
function holds(person, departments, roles) {
    if (!person) return false;
    const one = (p) => departments.includes(p.department) && (p.roles || []).some((r) => roles.includes(r));
    return one(person) || (person.positions || []).some(one);
}

// The flash the page shows after its reload: what was just done.
export function takeFlash() {
    const text = sessionStorage.getItem(FLASH);
    if (text) sessionStorage.removeItem(FLASH);
    return text ? notice('ok', text) : null;
}

// Posts one plugin call; on "ok" reloads the page with a flash, else shows
// the plugin's message (a refusal, a missing reason) in messages. A bad
// argument (a date that is no date) comes back as an error the guard shows.
function poster(ctx, messages) {
    return async (method, body, what) => {
        clear(messages);
        const result = await call(method, body);
        if (result.outcome === 'ok') {
            sessionStorage.setItem(FLASH, what + '：已完成');
            await ctx.reload();
            return;
        }
        messages.append(notice('error', result.message || result.outcome));
    };
}

// Where a form shows the plugin's answer: beside its own buttons.
function formMessages() {
    return h('div.messages.form-messages', {'aria-live': 'polite'});
}

function field(id, labelText, input) {
    return h('div.field', h('label.field-label', {for: id}, labelText), input);
}

function dateInput(id) {
    // Text, not type=date: the plugin checks the date and names the field.
    return h('input.date-input', {id, type: 'text', inputmode: 'numeric', placeholder: 'YYYY-MM-DD', maxlength: 10,
        autocomplete: 'off'});
}

function evidenceRow(entry) {
    const row = h('div.attachment-row.evidence-row',
        h('input', {type: 'text', placeholder: '材料名称', 'aria-label': '材料名称', dataset: {item: 'name'},
            value: entry.name || ''}),
        h('input', {type: 'url', placeholder: '链接', 'aria-label': '链接', dataset: {item: 'url'},
            value: entry.url || ''}));
    row.append(h('button.small.secondary', {type: 'button', on: {click: () => row.remove()}}, '删除'));
    return row;
}

function readEvidence(list) {
    return [...list.querySelectorAll('.evidence-row')].map((row) => {
        const e = {};
        for (const input of row.querySelectorAll('input[data-item]')) {
            if (input.value.trim() !== '') e[input.dataset.item] = input.value.trim();
        }
        return e;
    }).filter((e) => Object.keys(e).length > 0);
}

// ------------------------------------------------------------ 办结

// The closure's actions for this person: the plugin's list; a task with no
// application yet offers its lead department's contact the first draft.
export async function closureActions(task, ctx) {
    const person = ctx.state.session ? ctx.state.session.person : null;
    const c = task.closure;
    let actions = c ? c.actions || [] : [];
    if (!c && OPEN.includes(task.state) && holds(person, task.lead || [], ['contact'])) {
        actions = [{action: 'save_draft'}, {action: 'submit'}];
    }
    if (!actions.length) return null;
    const messages = formMessages();
    const post = poster(ctx, messages);
    const base = {task: task.number};
    if (c && c.department) base.department = c.department;
    const send = (a, extra, what) => {
        const body = {...base, action: a.action, ...extra};
        if (c && c.version) body.version = c.version;
        if (a.acting_for) body.acting_for = a.acting_for;
        return post('task.close', body, what);
    };
    const root = h('div.closure-form#closure-form', {dataset: {actions: actions.map((a) => a.action).join(' ')}});
    const editable = actions.some((a) => a.action === 'save_draft' || a.action === 'submit');
    let readContent = null;
    if (editable) {
        const content = (c && c.content) || {};
        const text = h('textarea#closure-report', {rows: 5});
        text.value = content.final_report || '';
        const list = h('div.attachments#closure-evidence', (content.evidence || []).map(evidenceRow));
        root.append(field('closure-report', '办结报告（提交时必填）', text),
            h('div.field', h('span.field-label', '佐证材料'), h('div.attachment-box', list,
                h('button.small.secondary#closure-add-evidence', {type: 'button',
                    on: {click: () => list.append(evidenceRow({}))}}, '添加佐证材料'))));
        readContent = () => ({final_report: text.value, evidence: readEvidence(list)});
    }
    const opinion = h('textarea#closure-opinion', {rows: 2});
    const returnable = actions.find((a) => a.action === 'return');
    let target = null;
    if (returnable) {
        target = h('select#closure-return-to', await Promise.all((returnable.target_steps || []).map(
            async (s) => h('option', {value: s}, await closureStepLabel(s)))));
        if (target.options.length) target.value = target.options[target.options.length - 1].value;
    }
    if (actions.some((a) => ['approve', 'return', 'file'].includes(a.action))) {
        root.append(field('closure-opinion', returnable ? '意见（退回时必填理由）' : '意见（可不填）', opinion));
        if (target) root.append(field('closure-return-to', '退回到', target));
    }
    const bar = h('div.actions#closure-actions', {role: 'group', 'aria-label': '办结申请的操作'});
    for (const a of actions) {
        if (a.action === 'hand_over') continue;  // 转交 needs a person: the CLI's, not here
        const label = await closureActionLabel(a.action) +
            (a.acting_for ? `（代 ${await personName(a.acting_for)}）` : '');
        const button = h('button', {type: 'button', dataset: {action: a.action, actingFor: a.acting_for || ''},
            class: a.action === 'return' || a.action === 'withdraw' ? 'secondary' : null}, label);
        button.addEventListener('click', guarded(messages, () => {
            if (a.action === 'save_draft' || a.action === 'submit') {
                return send(a, {content: readContent()}, label);
            }
            if (a.action === 'return') {
                return send(a, {reason: opinion.value, target_step: target ? target.value : undefined}, label);
            }
            if (a.action === 'approve' || a.action === 'file') {
                return send(a, opinion.value.trim() ? {opinion: opinion.value} : {}, label);
            }
            return send(a, {}, label);
        }));
        bar.append(button);
    }
    root.append(messages, bar);
    return root;
}

// ------------------------------------------------------------ 延期

export function extensionRequestForm(task, ctx) {
    const person = ctx.state.session ? ctx.state.session.person : null;
    const pending = (task.extensions || []).some((e) => e.state === 'requested' || e.state === 'endorsed');
    if (!OPEN.includes(task.state) || pending || !holds(person, task.lead || [], ['contact', 'head'])) {
        return null;
    }
    const messages = formMessages();
    const post = poster(ctx, messages);
    const due = dateInput('extension-due');
    const reason = h('textarea#extension-reason', {rows: 2});
    return h('details.extension-form#extension-form', h('summary', '申请延期'),
        field('extension-due', '申请延至（YYYY-MM-DD）', due),
        field('extension-reason', '延期理由（必填）', reason), messages,
        h('div.actions', h('button#extension-submit', {type: 'button', on: {click: guarded(messages, () =>
            post('task.extension.request', {task: task.number, due: due.value.trim(), reason: reason.value},
                '延期申请'))}}, '提交延期申请')));
}

// The extension requests of this task waiting for this person (inbox's
// "extensions": the leader in charge endorses, the reform office approves).
export async function extensionDecisions(task, ctx) {
    let inbox;
    try {
        inbox = await call('inbox', {});
    } catch (e) {
        return null;
    }
    const mine = (inbox.extensions || []).filter((e) => e.task === task.number);
    if (!mine.length) return null;
    const box = h('div#extension-decisions');
    for (const e of mine) {
        const messages = formMessages();
        const post = poster(ctx, messages);
        const office = e.waiting_for === 'reform_office';
        const opinion = h('textarea', {id: `extension-opinion-${e.id}`, rows: 2});
        const decide = (action, label) => h('button', {type: 'button', class: action === 'refuse' ? 'secondary' : null,
            dataset: {extensionAction: action}, on: {click: guarded(messages, () =>
                post('task.extension.act', {id: e.id, action, reason: opinion.value}, label))}}, label);
        box.append(h('div.extension-decision', {dataset: {extension: String(e.id), waitingFor: e.waiting_for}},
            h('p', `${e.department}申请将时限由 ${e.from_due || '—'} 延至 ${e.to_due}：${e.reason}`),
            field(`extension-opinion-${e.id}`, office ? '审批意见（不批准时必填理由）' : '审核意见（不同意时必填理由）',
                opinion), messages,
            h('div.actions', office
                ? [decide('approve', '批准延期'), decide('refuse', '不批准')]
                : [decide('approve', '同意（报司改办）'), decide('refuse', '不同意')])));
    }
    return box;
}

// ------------------------------------------------------------ the reform office

export function officeForms(task, ctx) {
    const person = ctx.state.session ? ctx.state.session.person : null;
    if (!isReformOffice(person)) return null;
    const box = h('div#office-actions');
    if (OPEN.includes(task.state) || task.state === 'closure_requested') {
        const messages = formMessages();
        const post = poster(ctx, messages);
        const due = dateInput('deadline-due');
        const reason = h('textarea#deadline-reason', {rows: 2});
        box.append(h('details.office-form#deadline-form', h('summary', '调整完成时限'),
            field('deadline-due', '新的时限（YYYY-MM-DD）', due),
            field('deadline-reason', '理由（必填）', reason), messages,
            h('div.actions', h('button#deadline-submit', {type: 'button', on: {click: guarded(messages, () =>
                post('task.deadline.set', {task: task.number, due: due.value.trim(), reason: reason.value},
                    '调整时限'))}}, '保存时限'))));
    }
    if (task.state === 'closed' || task.state === 'struck') {
        const messages = formMessages();
        const post = poster(ctx, messages);
        const reason = h('textarea#stage-reason', {rows: 2});
        const buttons = [];
        if (task.state === 'closed') {
            buttons.push(h('button#strike', {type: 'button', on: {click: guarded(messages, () =>
                post('task.strike', {task: task.number, reason: reason.value}, '销号'))}}, '销号'));
        }
        buttons.push(h('button.secondary#reopen', {type: 'button', on: {click: guarded(messages, () =>
            post('task.reopen', {task: task.number, reason: reason.value}, '重新启动'))}}, '重新启动'));
        box.append(h('div.office-form#stage-form', field('stage-reason', '理由（必填）', reason), messages,
            h('div.actions', buttons)));
    }
    return box.children.length ? box : null;
}
