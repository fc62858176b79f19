// Where the console is: the hash route, links to pages, the period chosen.

// "#/report?task=33&department=刑庭" → {name: 'report', params: URLSearchParams}
export function route() {
    const hash = location.hash.replace(/^#\/?/, '');
    const at = hash.indexOf('?');
    const name = at < 0 ? hash : hash.slice(0, at);
    return {name: name || 'ledger', params: new URLSearchParams(at < 0 ? '' : hash.slice(at + 1))};
}

export function link(name, params) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
        if (v !== undefined && v !== null && v !== '') query.set(k, v);
    }
    const text = query.toString();
    return '#/' + name + (text ? '?' + text : '');
}

// The period worked on: the page's ?period=, else the one last chosen, else
// '' (the plugin's default: the month being reported on today).
export function currentPeriod(params) {
    const given = params && params.get('period');
    if (given) {
        sessionStorage.setItem('rl.period', given);
        return given;
    }
    return sessionStorage.getItem('rl.period') || '';
}

export function rememberPeriod(period) {
    if (period) sessionStorage.setItem('rl.period', period);
}
