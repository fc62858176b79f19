// Building the page: elements from data, text always as text (never markup),
// so nothing a plan, a report or a person's name holds can run as code.

// h('div.card#x', {attrs…, on: {click: fn}}, children…)
export function h(spec, attrs, ...children) {
    const m = /^([a-z0-9]+)?((?:[.#][\w-]+)*)$/i.exec(spec);
    const el = document.createElement((m && m[1]) || 'div');
    if (m && m[2]) {
        for (const part of m[2].match(/[.#][\w-]+/g)) {
            if (part[0] === '.') el.classList.add(part.slice(1));
            else el.id = part.slice(1);
        }
    }
    if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
        children.unshift(attrs);
        attrs = null;
    }
    for (const [key, value] of Object.entries(attrs || {})) {
        if (value === undefined || value === null || value === false) continue;
        if (key === 'on') {
            for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
        } else if (key === 'class') {
            for (const c of String(value).split(/\s+/).filter(Boolean)) el.classList.add(c);
        } else if (key === 'value') {
            el.value = value;
        } else if (key === 'checked') {
            el.checked = !!value;
        } else if (key === 'dataset') {
            Object.assign(el.dataset, value);
        } else {
            el.setAttribute(key, value === true ? '' : String(value));
        }
    }
    append(el, children);
    return el;
}

function append(el, children) {
    for (const child of children) {
        if (child === null || child === undefined || child === false) continue;
        if (Array.isArray(child)) append(el, child);
        else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
}

const SVG = 'http://www.w3.org/2000/svg';
// An SVG element with attributes (presentation attributes, not style).
export function svg(name, attrs, ...children) {
    const el = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attrs || {})) el.setAttribute(key, String(value));
    for (const child of children) {
        if (child === null || child === undefined) continue;
        el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
}

export function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
}

// A notice at the top of the main area: kind is ok, error or info.
export function notice(kind, text) {
    return h('div.notice.' + kind, {role: kind === 'error' ? 'alert' : 'status'}, text);
}

// "2019-11-04T01:00:00.000Z" → "2019-11-04 09:00" in court time (UTC+8).
export function courtTime(iso) {
    if (!iso) return '';
    const t = Date.parse(iso);
    if (Number.isNaN(t)) return iso;
    const d = new Date(t + 8 * 3600 * 1000);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ` +
        `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

// An event handler that shows its failure in `where` instead of throwing
// (a button's work fails visibly, never as an uncaught error).
export function guarded(where, fn) {
    return async (event) => {
        const button = event && event.currentTarget instanceof HTMLButtonElement
            ? event.currentTarget : null;
        if (button) button.disabled = true;
        try {
            await fn(event);
        } catch (e) {
            where.prepend(notice('error', '操作失败：' + e.message));
        } finally {
            if (button && button.isConnected) button.disabled = false;
        }
    };
}

// A coloured status badge.
export function badge(status, text) {
    return h('span.badge.status-' + status, {dataset: {status}}, text);
}
