// Names the console shows: the ledger's statuses and the people's roles
// (the plugin's own words for them); steps and actions come from the
// registered workflow definition.
import {forms, org} from './api.js';
import {h, courtTime} from './dom.js';

export const STATUS = {
    not_started: '未报送',
    draft: '草稿',
    in_approval: '审批中',
    returned: '已退回',
    filed: '已归档',
    overdue: '已逾期',
    waived: '已免报',
    not_due: '本期不报',
    no_lead: '无牵头部门',
};
export const STATUS_ORDER = ['overdue', 'returned', 'not_started', 'draft', 'in_approval',
    'filed', 'waived'];

export const ROLE = {
    contact: '工作联系人',
    head: '部门负责人',
    leader_in_charge: '分管院领导',
    reform_office: '司改办',
    president: '院长',
    supervision_office: '监察室',
};

export const ASSIGNMENT_ROLE = {lead: '牵头', co: '配合'};

export function statusText(status) {
    return STATUS[status] || status;
}

// The approval workflow the plugin registered.
export async function workflow() {
    const defs = await forms();
    return (defs.workflows || [])[0] || {steps: [], actions_catalog: []};
}

export async function stepLabel(stepId) {
    const wf = await workflow();
    const step = (wf.steps || []).find((s) => s.id === stepId);
    return step ? step.label : stepId;
}

// The label of an action: from the workflow's catalogue (waive: its
// waive_co_report entry).
export async function actionLabel(action) {
    const wf = await workflow();
    const id = action === 'waive' ? 'waive_co_report' : action;
    const entry = (wf.actions_catalog || []).find((a) => a.id === id);
    return entry ? entry.label : action;
}

export async function personName(id) {
    if (!id) return '';
    const chart = await org();
    const p = (chart.people || []).find((x) => x.id === id);
    return p ? p.name : id;
}

export function isReformOffice(person) {
    return !!person && (person.roles || []).includes('reform_office');
}

// Audit entries name actions beyond the workflow's (imports, urges…).
const AUDIT_ACTIONS = {
    plan_import: '导入计划',
    plan_reimport: '更新计划',
    urge: '催办',
    supervision_notice: '督办',
    supervision_answer: '答复督办',
    hand_over_released: '转交失效',
    escalation: '升级提醒',
    accountability: '约谈问责',
};

export async function auditActionLabel(action) {
    return AUDIT_ACTIONS[action] || actionLabel(action);
}

// A task's state (issue 12: the plugin's state and its label).
export const TASK_STATE = {
    not_started: '未启动',
    in_progress: '推进中',
    closure_requested: '申请办结',
    closed: '已办结',
    struck: '已销号',
    cancelled: '已撤消',
};

export function taskState(t) {
    if (!t || !t.state) return '—';
    return h('span.badge.state-' + t.state, {dataset: {state: t.state}},
        t.state_label || TASK_STATE[t.state] || t.state);
}

// The effective deadline (the office's, an approved extension's, else the
// plan's) with 逾期N个工作日 when it has passed; the plan's own wording on hover.
export function deadlineText(t) {
    const planText = t.deadline ? t.deadline.text || '' : '';
    const date = t.effective_deadline || '';
    if (!date && !planText) return '—';
    const parts = [h('span.date', {title: planText && planText !== date ? '计划：' + planText : null},
        date || planText)];
    if (t.overdue) {
        parts.push(' ', h('span.overdue-days', `逾期${t.overdue_working_days}个工作日`));
        if (t.escalated_at) {
            // The sweep escalated this deadline to the leaders in charge.
            parts.push(' ', h('span.escalated', {title: `${courtTime(t.escalated_at)} 已提请分管院领导督办`},
                '已升级'));
        }
    } else if (date && (t.state === 'not_started' || t.state === 'in_progress' ||
        t.state === 'closure_requested')) {
        parts.push(' ', h('span.muted', `剩${t.working_days_left}个工作日`));
    }
    return h('span.deadline-text', parts);
}

export const COLOUR = {red: '红灯', yellow: '黄灯', green: '绿灯'};

// 红灯/黄灯/绿灯 as a coloured badge, its reasons on hover and (withReasons)
// in a fold below it, so that a phone shows them too.
export function warningBadge(warning, withReasons) {
    if (!warning) return '—';
    const reasons = warning.reasons || [];
    const text = warning.label || COLOUR[warning.colour] || warning.colour;
    const b = h('span.badge.warn-' + warning.colour, {dataset: {colour: warning.colour},
        title: reasons.map((r) => r.text).join('\n') || null}, text);
    if (!withReasons || !reasons.length) return b;
    return h('span.warning-cell', b, warningReasons(warning));
}

// The reasons of a colour, folded: "N条原因".
export function warningReasons(warning) {
    const reasons = (warning && warning.reasons) || [];
    if (!reasons.length) return null;
    return h('details.reasons', h('summary', `${reasons.length}条原因`),
        h('ul', reasons.map((r) => h('li', {dataset: {rule: r.rule, colour: r.colour}}, r.text))));
}
