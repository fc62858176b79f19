// Sign-in. The OA hands a person over through /sso with its token; with
// --demo, this page lets one choose any person of the demo org chart.
import {getJson, postJson, session, setCsrf} from '../api.js';
import {h, notice, guarded} from '../dom.js';
import {ROLE} from '../labels.js';

export async function render(view, params, ctx) {
    const s = await session();
    if (s) {
        ctx.state.session = s;
        location.hash = '#/ledger';
        return;
    }
    view.append(h('h1', '登录司改台账'));
    let people;
    try {
        people = await getJson('/api/v1/demo/people');
    } catch (e) {
        view.append(notice('info', '请从 OA 系统进入司改台账（单点登录）。如果您已从 OA 进入，' +
            '登录可能已过期，请回到 OA 重新打开。'));
        return;
    }
    view.append(notice('info', '演示模式：选择一位演示人员登录（演示组织机构，非真实人员）。'));
    const byDepartment = new Map();
    for (const p of people.people || people || []) {
        if (p.active === false) continue;
        if (!byDepartment.has(p.department)) byDepartment.set(p.department, []);
        byDepartment.get(p.department).push(p);
    }
    const list = h('div.people');
    for (const [department, members] of byDepartment) {
        list.append(h('section.people-group', h('h2', department || '—'),
            members.map((p) => h('button.person-choice', {
                type: 'button',
                dataset: {person: p.id},
                on: {click: guarded(view, async () => {
                    const signed = await postJson('/api/v1/demo/sign-in', {person: p.id});
                    setCsrf(signed.csrf_token);
                    ctx.state.session = signed;
                    location.hash = '#/ledger';
                })},
            }, h('span.name', p.name),
            h('small', (p.roles || []).map((r) => ROLE[r] || r).join('、'))))));
    }
    view.append(list);
}
