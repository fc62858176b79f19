// 督办单: the notices issued (overdue ones marked); the reform office issues
// one with its own due date; the department's contact or head answers it.
import {call, org} from '../api.js';
import {h, notice, guarded, clear, courtTime} from '../dom.js';
import {isReformOffice, personName} from '../labels.js';

export async function render(view, params, ctx) {
    const person = ctx.state.session.person;
    const [list, chart] = await Promise.all([call('supervision.list', {}), org()]);
    const messages = h('div.messages');
    view.append(h('h1', '督办'), messages);
    if (isReformOffice(person)) {
        const task = h('input#sv-task', {type: 'text', placeholder: '如 33', size: 6});
        const department = h('select#sv-department', (chart.departments || []).map((d) =>
            h('option', {value: d.name}, d.name)));
        const due = h('input#sv-due', {type: 'date'});
        const content = h('textarea#sv-content', {rows: 3});
        view.append(h('details.issue', h('summary', '签发督办单'),
            h('div.form-grid',
                h('label', {for: 'sv-task'}, '任务序号'), task,
                h('label', {for: 'sv-department'}, '督办部门'), department,
                h('label', {for: 'sv-due'}, '办理期限（默认 5 个工作日）'), due,
                h('label', {for: 'sv-content'}, '督办内容'), content),
            h('button', {type: 'button', on: {click: guarded(messages, async () => {
                const result = await call('supervision.issue', {task: task.value.trim(),
                    department: department.value, content: content.value,
                    due_date: due.value || undefined});
                if (result.outcome !== 'ok') {
                    clear(messages).append(notice('error', result.message));
                    return;
                }
                await ctx.reload();
            })}}, '签发')));
    }
    const notices = list.notices || [];
    if (!notices.length) {
        view.append(h('p.muted', '没有督办单。'));
        return;
    }
    const mine = (n) => !isReformOffice(person) && (person.department === n.department ||
        (person.positions || []).some((p) => p.department === n.department));
    for (const n of notices) {
        const card = h('article.notice-card', {class: n.overdue ? 'overdue' : null, dataset: {notice: n.number}},
            h('h3', `${n.number} · 任务 ${n.task} · ${n.department}`, n.overdue ? h('span.badge.status-overdue', '已超期') : null),
            h('p', n.content),
            h('p.muted', `${await personName(n.issued_by)} 签发于 ${courtTime(n.issued_at)}，期限 ${n.due_date}`));
        if (n.answer) {
            card.append(h('p.answer', `答复（${await personName(n.answered_by)}，${courtTime(n.answered_at)}）：${n.answer}`));
        } else if (mine(n)) {
            const answer = h('textarea', {rows: 2, 'aria-label': '答复'});
            card.append(answer, h('button.small', {type: 'button', on: {click: guarded(messages, async () => {
                const result = await call('supervision.answer', {notice: n.number, answer: answer.value});
                if (result.outcome !== 'ok') {
                    clear(messages).append(notice('error', result.message));
                    return;
                }
                await ctx.reload();
            })}}, '答复'));
        }
        view.append(card);
    }
}
