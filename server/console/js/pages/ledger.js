// 台账: every task of the plan with its lead and co-operating departments,
// its state (未启动…已撤消), effective deadline and warning colour (红黄绿灯),
// and the period's report status; the departments' colours above; filters by
// department, status, colour and section, and a search over numbers and titles.
import {call, org} from '../api.js';
import {h, badge, notice} from '../dom.js';
import {statusText, STATUS, COLOUR, taskState, deadlineText, warningBadge} from '../labels.js';
import {link, currentPeriod, rememberPeriod} from '../nav.js';

export function periodPicker(period, onChange) {
    const input = h('input#period', {type: 'text', value: period, placeholder: '如 2019-10',
        pattern: '\\d{4}-(\\d{2}|Q[1-4])', size: 9, 'aria-label': '报送期间'});
    const go = () => {
        const v = input.value.trim();
        if (v === '' || /^\d{4}-(\d{2}|Q[1-4])$/.test(v)) onChange(v);
    };
    input.addEventListener('change', go);
    return h('label.period', '期间 ', input);
}

export async function render(view, params) {
    const period = currentPeriod(params);
    const department = params.get('department') || '';
    const [result, chart] = await Promise.all([
        call('ledger.tasks', {period: period || undefined}),
        org(),
    ]);
    const shown = result.period || period;
    rememberPeriod(params.get('period'));
    view.append(h('h1', '台账', h('small', ` ${result.plan ? result.plan.title || result.plan.key : ''}`)));
    if (!result.tasks) {
        view.append(notice('info', '还没有导入计划。'));
        return;
    }

    const filters = {department, status: params.get('status') || '', section: params.get('section') || '',
        colour: params.get('colour') || '', q: params.get('q') || ''};
    const sections = [];
    for (const t of result.tasks) {
        if (!sections.find((s) => s.key === t.section)) sections.push({key: t.section, title: t.section_title});
    }
    const select = (id, label, options, value) => h('label', label + ' ',
        h('select', {id}, options.map(([v, text]) => h('option', {value: v, selected: v === value}, text))));
    const depSelect = select('f-department', '部门', [['', '全部部门'],
        ...(chart.departments || []).map((d) => [d.name, d.name])], filters.department);
    const statusSelect = select('f-status', '状态', [['', '全部状态'],
        ...Object.keys(STATUS).filter((s) => s !== 'no_lead').map((s) => [s, STATUS[s]])], filters.status);
    const sectionSelect = select('f-section', '部分', [['', '全部'],
        ...sections.map((s) => [s.key, `${s.key}、${s.title || ''}`])], filters.section);
    const colourSelect = select('f-colour', '预警', [['', '全部'],
        ...Object.entries(COLOUR).map(([c, text]) => [c, text])], filters.colour);
    const search = h('input#f-q', {type: 'search', placeholder: '搜索序号或任务', value: filters.q,
        'aria-label': '搜索'});
    const picker = periodPicker(period, (v) => {
        location.hash = link('ledger', {...filters, period: v});
    });
    view.append(h('div.filters', picker, depSelect, statusSelect, colourSelect, sectionSelect, search));
    const departments = result.department_warnings || [];
    if (departments.length) {
        view.append(h('details.dept-warnings#dept-warnings', {open: true},
            h('summary', '部门预警 ', ...Object.entries(COLOUR).map(([c, text]) => {
                const n = departments.filter((d) => d.warning && d.warning.colour === c).length;
                return h('span.muted', ` ${text}${n}`);
            })),
            h('ul', departments.map((d) => h('li', {dataset: {department: d.name,
                colour: d.warning ? d.warning.colour : ''}},
            d.name, ' ', warningBadge(d.warning))))));
    }

    const body = h('tbody');
    const table = h('table.ledger.cards',
        h('thead', h('tr', ['序号', '任务', '牵头部门', '配合部门', '任务状态', '完成时限', '预警',
            `报送（${shown || '本期'}）`]
            .map((t) => h('th', t)))), body);
    const count = h('p.count');
    view.append(count, table);

    const matches = (t) => {
        const f = {department: depSelect.querySelector('select').value,
            status: statusSelect.querySelector('select').value,
            colour: colourSelect.querySelector('select').value,
            section: sectionSelect.querySelector('select').value,
            q: search.value.trim()};
        if (f.department && !(t.lead || []).includes(f.department) && !(t.co || []).includes(f.department)) return false;
        if (f.status && t.status !== f.status) return false;
        if (f.colour && !(t.warning && t.warning.colour === f.colour)) return false;
        if (f.section && t.section !== f.section) return false;
        if (f.q && !(t.number + ' ' + t.title + ' ' + (t.label || '')).includes(f.q)) return false;
        return true;
    };
    const draw = () => {
        body.replaceChildren();
        let n = 0;
        for (const t of result.tasks) {
            if (!matches(t)) continue;
            n++;
            const href = link('task', {number: t.number, period: shown});
            body.append(h('tr', {dataset: {task: t.number, status: t.status, state: t.state || '',
                colour: t.warning ? t.warning.colour : ''}},
                h('td', {'data-label': '序号'}, h('a', {href}, t.number)),
                h('td.title', {'data-label': '任务'}, h('a', {href}, t.title)),
                h('td', {'data-label': '牵头'}, (t.lead || []).join('、') || '—'),
                h('td', {'data-label': '配合'}, (t.co || []).join('、') || '—'),
                h('td', {'data-label': '任务状态'}, taskState(t)),
                h('td.deadline', {'data-label': '完成时限'}, deadlineText(t)),
                h('td.warning', {'data-label': '预警'}, warningBadge(t.warning, true)),
                h('td', {'data-label': '报送'}, badge(t.status, statusText(t.status)))));
        }
        count.textContent = `共 ${n} 项任务（计划共 ${result.tasks.length} 项）`;
    };
    for (const el of [depSelect, statusSelect, colourSelect, sectionSelect]) el.addEventListener('change', draw);
    search.addEventListener('input', draw);
    draw();
}
