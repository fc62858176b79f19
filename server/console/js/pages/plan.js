// Plan import (reform office): a file (text, Word .docx, Excel .xlsx) read in
// the browser, sent base64 to plan.parse for a preview — tasks, leads,
// co-operating units, deadlines, warnings, names the org chart does not know
// with the closest names it does — then to plan.import.
import {call, org} from '../api.js';
import {h, notice, guarded, clear} from '../dom.js';

function base64Of(buffer) {
    const bytes = new Uint8Array(buffer);
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
        binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
}

function readFile(file) {
    return new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result);
        reader.onerror = () => reject(reader.error || new Error('无法读取文件'));
        reader.readAsArrayBuffer(file);
    });
}

// Similarity of two names: shared character pairs (Dice), so 刑事审判庭
// finds 刑庭 and 技术室 finds 技术科.
function pairs(text) {
    const chars = [...text.replace(/[\s（）()]/g, '')];
    if (chars.length < 2) return chars;
    const out = [];
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    return out;
}
function similarity(a, b) {
    const pa = pairs(a);
    const pb = pairs(b);
    const common = pa.filter((p) => pb.includes(p)).length;
    const chars = [...new Set(a)].filter((c) => b.includes(c)).length;
    return (2 * common) / (pa.length + pb.length || 1) + chars / (2 * Math.max(a.length, b.length));
}

function suggestions(name, chart) {
    const scored = [];
    for (const d of chart.departments || []) {
        const best = Math.max(...[d.name, ...(d.aliases || [])].map((n) => similarity(name, n)));
        scored.push([best, d.name]);
    }
    return scored.filter(([s]) => s > 0.2).sort((x, y) => y[0] - x[0]).slice(0, 3).map(([, n]) => n);
}

function names(list, role) {
    return (list || []).filter((d) => d.role === role).map((d) => d.name).join('、') || '—';
}

export async function render(view) {
    const chart = await org();
    view.append(h('h1', '导入计划'),
        h('p', '选择司改办收到的分工方案文件（文本 .txt、Word .docx 或 Excel .xlsx）。先预览，核对无误后导入。'));
    const messages = h('div.messages');
    const file = h('input#plan-file', {type: 'file', accept: '.txt,.docx,.xlsx,text/plain'});
    const preview = h('div#plan-preview');
    const parseButton = h('button#plan-parse', {type: 'button'}, '预览');
    view.append(messages, h('div.filters', h('label', {for: 'plan-file'}, '计划文件 '), file, parseButton), preview);

    let request = null;
    parseButton.addEventListener('click', guarded(messages, async () => {
        clear(messages);
        clear(preview);
        const chosen = file.files[0];
        if (!chosen) {
            messages.append(notice('error', '请先选择文件'));
            return;
        }
        request = {content_base64: base64Of(await readFile(chosen)), source_name: chosen.name};
        const parsed = await call('plan.parse', request);
        await showPreview(parsed, chosen.name);
    }));

    async function showPreview(p, sourceName) {
        const tasks = [];
        for (const s of p.sections || []) {
            for (const t of s.tasks || []) tasks.push({section: s, task: t});
        }
        preview.append(h('h2', p.title || sourceName),
            h('p', `格式：${p.format}${p.encoding ? '（' + p.encoding + '）' : ''} · 年份：${p.year || '—'} · ` +
                `${p.tasks_count} 项任务，${p.items_count} 个子项`));
        const unknown = (p.unknown_departments || []).map((u) => {
            const m = /^task (\S+): (.*)$/.exec(u);
            return m ? {task: m[1], name: m[2]} : {task: '', name: u};
        });
        if (unknown.length) {
            preview.append(h('h3', '组织机构中没有的部门'), h('ul.unknown#unknown-departments', unknown.map((u) => {
                const s = suggestions(u.name, chart);
                return h('li', `任务 ${u.task}：`, h('strong', u.name),
                    s.length ? `　是否为：${s.join('、')}？` : '　（无相近部门）');
            })), h('p.muted', '请在组织机构中添加该名称（或别名）后重新预览；或勾选下方“保留未知部门”导入。'));
        }
        if ((p.warnings || []).length) {
            preview.append(h('details.warnings#plan-warnings', {open: p.warnings.length <= 5},
                h('summary', `提示 ${p.warnings.length} 条`), h('ul', p.warnings.map((w) => h('li', w)))));
        }
        preview.append(h('table.plan.cards#plan-tasks', h('thead', h('tr',
            ['序号', '任务', '牵头部门', '配合部门', '完成时限', '出处'].map((t) => h('th', t)))),
        h('tbody', tasks.map(({task}) => h('tr',
            h('td', {'data-label': '序号'}, task.number),
            h('td.title', {'data-label': '任务'}, task.title),
            h('td', {'data-label': '牵头'}, names(task.departments, 'lead')),
            h('td', {'data-label': '配合'}, names(task.departments, 'co')),
            h('td', {'data-label': '时限'}, task.deadline ? (task.deadline.due || task.deadline.text) : '—'),
            h('td.muted', {'data-label': '出处'}, task.where))))));
        const accept = h('input#accept-unknown', {type: 'checkbox'});
        const planKey = h('input#plan-key', {type: 'text', placeholder: '默认：文件第一行（计划标题）'});
        const importButton = h('button#plan-import', {type: 'button'}, '导入');
        preview.append(h('div.import-box',
            unknown.length ? h('label.checkbox', accept, ' 保留未知部门（标记为未知，不丢弃）') : null,
            h('label', {for: 'plan-key'}, '计划标识 '), planKey, importButton));
        importButton.addEventListener('click', guarded(messages, async () => {
            clear(messages);
            const body = {...request};
            if (accept.checked) body.accept_unknown_departments = true;
            if (planKey.value.trim()) body.plan_key = planKey.value.trim();
            const result = await call('plan.import', body);
            messages.append(notice('ok', result.changed
                ? `已导入：新增 ${(result.tasks_added || []).length} 项、变更 ${(result.tasks_changed || []).length} 项、` +
                  `撤销 ${(result.tasks_retired || []).length} 项任务（共 ${result.tasks} 项）。`
                : '计划未变化，无需导入。'));
            messages.append(h('p', h('a', {href: '#/ledger'}, '查看台账')));
        }));
    }
}
