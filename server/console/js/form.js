// The progress-report form, rendered from the form definition the plugin
// registered (GET /api/v1/definitions): each field's label, type, whether it
// is required, its limits and its help text come from there. Fields whose
// "source" is the obligation (task, department, period…) are shown, not
// edited. The plugin's field_errors are shown beside their fields.
import {h, clear} from './dom.js';

const FORM_ID = 'reform_ledger.form.progress_report';

export function findForm(definitions) {
    return (definitions.forms || []).find((f) => f.id === FORM_ID);
}

function contentFields(form) {
    return (form.fields || []).filter((f) => f.source !== 'obligation');
}

function limitNote(field) {
    if (field.max_length) return `不超过 ${field.max_length} 字`;
    if (field.max_items !== undefined) return `最多 ${field.max_items} 项`;
    if (field.min !== undefined && field.max !== undefined) return `${field.min}–${field.max}`;
    return '';
}

function label(field, forId) {
    return h('label.field-label', {for: forId},
        field.label, field.required ? h('span.required', {title: '必填'}, ' *') : null);
}

// The definition's help text, then the limit: "…提交时必填。不超过 20000 字".
// A help text that ends a sentence is not followed by another mark.
function help(field) {
    const parts = [field.help, limitNote(field)].filter(Boolean);
    const text = parts.reduce((all, part) =>
        !all ? part : /[。；！？.;!?]$/.test(all) ? all + part : all + '；' + part, '');
    return text ? h('p.help', text) : null;
}

function attachmentRow(field, entry, disabled) {
    const items = field.item_fields || [];
    const row = h('div.attachment-row');
    for (const item of items) {
        row.append(h('input', {
            type: item.type === 'url' ? 'url' : 'text',
            placeholder: item.label + (item.required ? '（必填）' : ''),
            'aria-label': item.label,
            maxlength: item.max_length,
            dataset: {item: item.name},
            value: entry[item.name] || '',
            disabled,
        }));
    }
    if (!disabled) {
        row.append(h('button.small.secondary', {type: 'button', on: {click: () => row.remove()}},
            '删除'));
    }
    return row;
}

// A form element for editing (or, with disabled, showing) content.
export function renderForm(form, content, {disabled = false, prefix = ''} = {}) {
    const root = h('div.report-form', {dataset: {form: form.id}});
    for (const field of contentFields(form)) {
        const id = prefix + 'f-' + field.name;
        const value = content ? content[field.name] : undefined;
        const wrap = h('div.field', {dataset: {field: field.name}});
        let input;
        switch (field.type) {
        case 'textarea':
            input = h('textarea', {id, name: field.name, rows: 4, maxlength: field.max_length,
                required: field.required, disabled});
            input.value = value || '';
            break;
        case 'percent':
        case 'integer':
            input = h('input', {id, name: field.name, type: 'number', min: field.min,
                max: field.max, step: 1, required: field.required, disabled,
                value: value === null || value === undefined ? '' : value});
            break;
        case 'boolean':
            input = h('input', {id, name: field.name, type: 'checkbox', disabled,
                checked: value === undefined ? !!field.default : !!value});
            break;
        case 'attachments': {
            const list = h('div.attachments', {id});
            for (const entry of Array.isArray(value) ? value : []) {
                list.append(attachmentRow(field, entry, disabled));
            }
            input = h('div.attachment-box', list);
            if (!disabled) {
                input.append(h('button.small.secondary', {type: 'button', on: {click: () => {
                    if (field.max_items !== undefined && list.children.length >= field.max_items) return;
                    list.append(attachmentRow(field, {}, false));
                }}}, '添加' + field.label));
            }
            break;
        }
        default:
            input = h('input', {id, name: field.name, type: 'text', maxlength: field.max_length,
                required: field.required, disabled, value: value || ''});
        }
        if (field.type === 'boolean') {
            wrap.append(h('div.checkbox', input, label(field, id)));
        } else {
            wrap.append(label(field, id), input);
        }
        wrap.append(help(field), h('p.field-error', {id: prefix + 'err-' + field.name, role: 'alert'}));
        root.append(wrap);
    }
    return root;
}

// The content object the form holds, by the definition's field names.
export function readForm(form, root) {
    const content = {};
    for (const field of contentFields(form)) {
        const wrap = root.querySelector(`[data-field="${CSS.escape(field.name)}"]`);
        if (!wrap) continue;
        if (field.type === 'attachments') {
            content[field.name] = [...wrap.querySelectorAll('.attachment-row')].map((row) => {
                const entry = {};
                for (const input of row.querySelectorAll('input[data-item]')) {
                    if (input.value.trim() !== '') entry[input.dataset.item] = input.value.trim();
                }
                return entry;
            }).filter((e) => Object.keys(e).length > 0);
        } else if (field.type === 'boolean') {
            content[field.name] = wrap.querySelector('input').checked;
        } else if (field.type === 'percent' || field.type === 'integer') {
            const text = wrap.querySelector('input').value.trim();
            content[field.name] = text === '' ? null : Number(text);
        } else {
            const el = wrap.querySelector('textarea, input');
            content[field.name] = el.value;
        }
    }
    return content;
}

// Shows the plugin's field_errors ([{field, message}]) beside the fields;
// returns the errors that name no field of the form.
export function showFieldErrors(root, errors) {
    for (const el of root.querySelectorAll('.field-error')) clear(el);
    for (const el of root.querySelectorAll('.field.has-error')) el.classList.remove('has-error');
    const unplaced = [];
    for (const e of errors || []) {
        const name = String(e.field).replace(/\[.*$/, '');
        const slot = root.querySelector(`[data-field="${CSS.escape(name)}"] .field-error`);
        if (slot) {
            slot.append((slot.textContent ? '；' : '') + e.message);
            slot.closest('.field').classList.add('has-error');
        } else {
            unplaced.push(e);
        }
    }
    return unplaced;
}

// The obligation fields of the form (task, department…) as label/value pairs.
export function contextFields(form) {
    return (form.fields || []).filter((f) => f.source === 'obligation');
}
