// The console: a hash router over the pages, the signed-in person in the
// header, and the navigation each person needs.
import {session, postJson, ApiError} from './api.js';
import {h, clear, notice} from './dom.js';
import {isReformOffice, ROLE} from './labels.js';
import {route} from './nav.js';
import * as signin from './pages/signin.js';
import * as ledger from './pages/ledger.js';
import * as task from './pages/task.js';
import * as report from './pages/report.js';
import * as inbox from './pages/inbox.js';
import * as stats from './pages/stats.js';
import * as plan from './pages/plan.js';
import * as office from './pages/office.js';
import * as supervision from './pages/supervision.js';
import * as reading from './pages/reading.js';
import * as scores from './pages/scores.js';

const PAGES = {signin, ledger, task, report, inbox, stats, plan, office, supervision, reading, scores};

export const state = {session: null};

function renderHeader() {
    const nav = clear(document.getElementById('nav'));
    const who = clear(document.getElementById('who'));
    const s = state.session;
    if (!s) return;
    const items = [['ledger', '台账'], ['inbox', '我的待办'], ['reading', '待阅'], ['stats', '统计'],
        ['scores', '考评'], ['supervision', '督办']];
    if (isReformOffice(s.person)) items.push(['plan', '导入计划'], ['office', '催办与消息']);
    const current = route().name;
    for (const [name, text] of items) {
        nav.append(h('a', {href: '#/' + name, class: name === current ? 'active' : null,
            'aria-current': name === current ? 'page' : null}, text,
        name === 'reading' ? h('span.count-badge#unread-count', {hidden: true}) : null));
    }
    showUnread();
    const roles = (s.person.roles || []).map((r) => ROLE[r] || r).join('、');
    who.append(
        h('span.person', {title: s.person.id}, s.person.name,
            h('small', ` ${s.person.department || ''}${roles ? ' · ' + roles : ''}`)),
        h('button.small.secondary#sign-out', {type: 'button', on: {click: signOut}},
            s.demo ? '切换人员' : '退出'));
}

// 待阅's count in the navigation; a failure leaves it blank (the page says why).
async function showUnread() {
    let n = 0;
    try {
        n = await reading.unreadCount();
    } catch (e) {
        return;
    }
    const el = document.getElementById('unread-count');
    if (!el) return;
    el.textContent = String(n);
    el.dataset.unread = String(n);
    el.hidden = n === 0;
    el.title = `${n} 件未读`;
}

async function signOut() {
    try {
        await postJson('/api/v1/sign-out');
    } catch (e) {
        // signed out already: the sign-in page follows either way
    }
    state.session = null;
    location.hash = '#/signin';
    await show();
}

let showing = 0;
export async function show() {
    const ticket = ++showing;
    const main = document.getElementById('main');
    const r = route();
    try {
        if (!state.session) state.session = await session();
    } catch (e) {
        state.session = null;
    }
    if (!state.session && r.name !== 'signin') {
        location.replace('#/signin');
        return;
    }
    renderHeader();
    const page = PAGES[r.name];
    const view = h('div.page');
    clear(main).append(view);
    if (!page) {
        view.append(notice('error', '没有这个页面：' + r.name));
        return;
    }
    document.body.dataset.page = r.name;
    try {
        await page.render(view, r.params, {state, reload: show, isCurrent: () => ticket === showing});
    } catch (e) {
        if (ticket !== showing) return;
        if (e instanceof ApiError && e.status === 401) {
            state.session = null;
            location.replace('#/signin');
            return;
        }
        view.append(notice('error', '出错了：' + e.message));
    }
    if (ticket === showing) {
        view.dataset.ready = 'true';
        main.dataset.ready = r.name;
    }
}

export function signedIn(s) {
    state.session = s;
}

window.addEventListener('hashchange', show);
window.addEventListener('DOMContentLoaded', show);
