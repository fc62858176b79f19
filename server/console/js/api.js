// The sidecar's API: POST /api/v1/{method} with the session cookie and the
// CSRF token; the server fills in who is signed in. Plugin outcomes
// (invalid, not_permitted, conflict…) come back as results to show; other
// failures throw ApiError with the server's message.

export class ApiError extends Error {
    constructor(status, message, body) {
        super(message);
        this.status = status;
        this.body = body;
    }
}

let csrfToken = '';

async function readJson(response) {
    const text = await response.text();
    if (!text) return {};
    try {
        return JSON.parse(text);
    } catch (e) {
        return {error: {status: response.status, message: text.slice(0, 200)}};
    }
}

function failure(response, body) {
    const message = body && body.error && body.error.message ? body.error.message
        : body && body.message ? body.message : `HTTP ${response.status}`;
    return new ApiError(response.status, message, body);
}

// The signed-in person ({person, csrf_token, demo}), or null.
export async function session() {
    const response = await fetch('/api/v1/session', {credentials: 'same-origin'});
    if (response.status === 401) return null;
    const body = await readJson(response);
    if (!response.ok) throw failure(response, body);
    csrfToken = body.csrf_token || '';
    return body;
}

// body undefined: a POST without a body (sign-out takes none).
async function post(path, body) {
    const init = {method: 'POST', credentials: 'same-origin', headers: {'X-CSRF-Token': csrfToken}};
    if (body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    return fetch(path, init);
}

// A plugin method. Returns the plugin's JSON (with its outcome, also when
// the plugin refused); throws ApiError for anything else.
export async function call(method, request) {
    const response = await post('/api/v1/' + method, request || {});
    const body = await readJson(response);
    if (response.ok || (body && typeof body.outcome === 'string')) return body;
    throw failure(response, body);
}

export async function getJson(path) {
    const response = await fetch(path, {credentials: 'same-origin'});
    const body = await readJson(response);
    if (!response.ok) throw failure(response, body);
    return body;
}

export async function postJson(path, request) {
    const response = await post(path, request);
    const body = await readJson(response);
    if (!response.ok) throw failure(response, body);
    return body;
}

export function setCsrf(token) {
    csrfToken = token || '';
}

// The registered definitions, the org chart: read once per page load.
let definitions = null;
export async function forms() {
    if (!definitions) definitions = getJson('/api/v1/definitions');
    return definitions;
}

let orgChart = null;
export async function org() {
    if (!orgChart) orgChart = call('org.chart', {});
    return orgChart;
}
