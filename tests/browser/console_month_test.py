#!/usr/bin/env python3
"""A whole month in the console, in a real browser.

Starts the real reform-ledger-server (--demo, its clock at the demo's
2019-11-08T09:00 with --now, a temporary SQLite file with the seed plan
imported by oa-stub, port 0) and drives Debian's headless Chromium
through it with Selenium: the 刑庭 contact drafts (the plugin's field errors
appear beside the fields) and submits task 33 for 2019-10, the head and the
leader in charge approve, the reform office returns it with a reason, the
contact sees the reason and resubmits, the reform office waives the
co-operating departments and files it, and the ledger shows it filed. A person
without the right sees no approve button and a forged POST gets 403. Then the
statistics, inbox, supervision and office pages; issue 12's task life — each
task's state, effective deadline and colour in the ledger with the departments'
colours, a task page with its closure application, extension request and a
leader's instruction with a department's answer, 待阅 with its count in the
navigation and a 已阅 button, and the 考评 ranking for a month and a year —;
the task page's forms: a task walked through an extension request (a bad date
and a missing reason refused with the plugin's message), its endorsement and
approval, a closure application approved by the head and the leader in charge,
filed and struck (销号) by the reform office; and a Word plan uploaded, previewed and imported. Every page: no JavaScript errors in the browser's log,
no horizontal overflow on a 390-pixel-wide phone, and a screenshot at
1280×800 and at 390 px wide in the output folder.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import date, timedelta

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

WAIT_S = 90  # a loaded 2-core machine: waits are for readiness, never for speed
PERIOD = '2019-10'
# The demo's clock (the server's --now, as scripts/run.sh --serve): the 2019
# plan's month being reported on is 2019-10, its reports due 2019-11-07.
NOW = '2019-11-08T09:00'
TODAY = date(2019, 11, 8)
CO_33 = ['民庭', '行政庭（综合审判庭）', '执行指挥中心', '立案庭', '技术科']


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Server:
    """reform-ledger-server --demo on a free port, over the given database."""

    def __init__(self, args, db):
        self.log_lines = []
        command = [args.server, '--demo', '--port=0', '--database=' + db, '--plugin=' + args.plugin,
                   '--now=' + NOW, '-D', 'work.sweep_interval_s=0']
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, encoding='utf-8')
        threading.Thread(target=self._drain, args=(self.process.stderr,), daemon=True).start()
        deadline = time.monotonic() + WAIT_S
        self.base = None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            m = re.search(r'listening on (http://\S+)', line)
            if m:
                self.base = m.group(1).rstrip('/')
                break
        if not self.base:
            self.stop()
            raise Failure('the server did not say where it listens:\n' + '\n'.join(self.log_lines[-30:]))
        threading.Thread(target=self._drain, args=(self.process.stdout,), daemon=True).start()

    def _drain(self, stream):
        for line in stream:
            self.log_lines.append(line.rstrip())

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=WAIT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Console:
    def __init__(self, base, out):
        self.base = base
        self.out = out
        options = Options()
        options.binary_location = shutil.which('chromium') or '/usr/bin/chromium'
        for flag in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu',
                     '--lang=zh-CN', '--window-size=1280,800', '--hide-scrollbars'):
            options.add_argument(flag)
        options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
        service = Service(executable_path=shutil.which('chromedriver') or '/usr/bin/chromedriver')
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(WAIT_S)
        self.driver.set_script_timeout(WAIT_S)
        self.errors = []
        self.expected_network = []  # (substring) network errors a step causes on purpose
        self.shots = []

    # ---- pages

    def open(self, route, page):
        self.driver.get(self.base + '/#/' + route)
        self.wait_ready(page)

    def go(self, route, page):
        """Moves within the loaded console (a hash change)."""
        self.driver.execute_script('location.hash = arguments[0];', '#/' + route)
        self.wait_ready(page, route)

    def wait_ready(self, page, route=None):
        def ready(d):
            state = d.execute_script(
                'const m = document.getElementById("main");'
                'return m && m.dataset.ready === arguments[0] && '
                '(arguments[1] === null || decodeURIComponent(location.hash) === "#/" + arguments[1]) && '
                '!!m.querySelector(".page[data-ready]");', page, route)
            return state
        try:
            WebDriverWait(self.driver, WAIT_S).until(ready)
        except TimeoutException:
            raise Failure(f'page {page} did not finish loading; it shows: ' + self.main_text()[:500])
        self.read_log()

    def mark_page(self):
        """Marks the page shown now, so that wait_new_page sees it replaced."""
        self.driver.execute_script('document.querySelector("#main .page").dataset.old = "1";')

    def wait_new_page(self, or_error=False):
        WebDriverWait(self.driver, WAIT_S).until(lambda d: d.execute_script(
            'const p = document.querySelector("#main .page");'
            'return (p && !p.dataset.old && p.dataset.ready) || '
            '(arguments[0] && !!document.querySelector(".messages .notice.error"));', or_error))
        self.read_log()

    def main_text(self):
        return self.driver.execute_script('return document.getElementById("main").innerText;') or ''

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def click(self, css):
        el = self.find(css)
        self.driver.execute_script('arguments[0].scrollIntoView({block: "center"});', el)
        el.click()

    def fill(self, css, text):
        el = self.find(css)
        el.clear()
        el.send_keys(text)

    # ---- the browser's log

    def read_log(self):
        for entry in self.driver.get_log('browser'):
            if entry.get('level') != 'SEVERE':
                continue
            message = entry.get('message', '')
            # Not signed in yet (or signed out): the session answers 401.
            if entry.get('source') == 'network' and ('/api/v1/session - ' in message and
                                                      'status of 401' in message):
                continue
            if entry.get('source') == 'network' and any(x in message for x in self.expected_network):
                continue
            self.errors.append(f"{self.driver.execute_script('return location.hash;')}: {message}")

    # ---- screenshots at both sizes

    def shoot(self, name):
        for label, width, height in (('desktop', 1280, 800), ('phone', 390, 844)):
            self.driver.set_window_size(width, height)
            time.sleep(0.3)  # the layout settles after the resize; nothing is asserted on time
            if label == 'phone':
                overflow = self.driver.execute_script(
                    'return document.documentElement.scrollWidth - window.innerWidth;')
                check(overflow <= 1, f'{name}: the page is {overflow} px wider than a 390-px phone')
            path = os.path.join(self.out, f'{name}-{label}.png')
            self.driver.save_screenshot(path)
            self.shots.append(path)
        self.driver.set_window_size(1280, 800)

    # ---- people

    def sign_in(self, person):
        if self.finds('#sign-out'):
            self.click('#sign-out')  # as a person would: 切换人员
            self.wait_ready('signin', 'signin')
        else:
            self.open('signin', 'signin')
        buttons = self.finds(f'button[data-person="{person}"]')
        check(buttons, f'the sign-in page offers no {person}: ' + self.main_text()[:300])
        self.click(f'button[data-person="{person}"]')
        self.wait_ready('ledger')
        who = self.find('#who .person').get_attribute('title')
        check(who == person, f'signed in as {who}, not {person}')

    def report(self, department='刑庭', task='33'):
        self.go(f'report?task={task}&department={department}&period={PERIOD}', 'report')

    def actions(self):
        return [(b.get_attribute('data-action'), b.get_attribute('data-acting-for'))
                for b in self.finds('#actions button')]

    def act(self, action, confirm=False, fill=None):
        self.mark_page()
        self.click(f'#actions button[data-action="{action}"]')
        for css, text in (fill or {}).items():
            self.fill(css, text)
        if confirm:
            self.click('#confirm')
        self.wait_new_page(or_error=True)
        flash = self.finds('.notice.ok')
        errors = [e.text for e in self.finds('.messages .notice.error')]
        check(flash and not errors, f'{action}: {errors or self.main_text()[:300]}')


def forge(c):
    """POSTs a person could craft with the contact's own session cookie (a
    connection of their own, as curl would): an approve they are not offered,
    a body naming another actor, and a request without the CSRF token."""
    cookie = c.driver.get_cookie('rl_session')['value']
    base = urllib.parse.urlparse(c.base)

    def post(path, body, csrf=True, token=None):
        connection = http.client.HTTPConnection(base.hostname, base.port, timeout=WAIT_S)
        headers = {'Cookie': 'rl_session=' + cookie, 'Content-Type': 'application/json',
                   'Connection': 'close'}
        if csrf:
            headers['X-CSRF-Token'] = token
        connection.request('POST', path, json.dumps(body).encode(), headers)
        response = connection.getresponse()
        answer = (response.status, json.loads(response.read() or b'{}'))
        connection.close()
        return answer

    connection = http.client.HTTPConnection(base.hostname, base.port, timeout=WAIT_S)
    connection.request('GET', '/api/v1/session', headers={'Cookie': 'rl_session=' + cookie})
    token = json.loads(connection.getresponse().read())['csrf_token']
    connection.close()
    key = {'task': '33', 'department': '刑庭', 'period': PERIOD}
    version = post('/api/v1/report.get', key, token=token)[1]['obligation']['report']['version']
    return [
        post('/api/v1/report.act', {**key, 'action': 'approve', 'version': version}, token=token),
        post('/api/v1/report.act', {**key, 'action': 'approve', 'actor': 'u-xingting-head',
                                    'version': version}, token=token),
        post('/api/v1/report.act', {**key, 'action': 'withdraw', 'version': version}, csrf=False),
    ]


def api(c, method, body):
    """A method called as the signed-in person, from the page (the session
    cookie and its CSRF token), as the console calls it; must answer 200."""
    answer = c.driver.execute_async_script(
        'const [method, body, done] = arguments;'
        'fetch("/api/v1/session").then(r => r.json()).then(s => fetch("/api/v1/" + method, '
        '{method: "POST", headers: {"Content-Type": "application/json", "X-CSRF-Token": s.csrf_token},'
        ' body: JSON.stringify(body)})).then(async r => done({status: r.status, body: await r.json()}),'
        ' e => done({status: 0, body: String(e)}));', method, body)
    check(answer['status'] == 200, f'{method} {body} answered {answer}')
    return answer['body']


def definitions(console):
    return console.driver.execute_async_script(
        'const done = arguments[0];'
        'fetch("/api/v1/definitions").then(r => r.json()).then(done, e => done(String(e)));')


def run(args):
    work = tempfile.mkdtemp(prefix='rl-browser-')
    db = os.path.join(work, 'ledger.db')
    subprocess.run([args.oa_stub, '--db', db, 'plan', 'import', args.seed, '--user', 'u-sigaiban-contact'],
                   check=True, stdout=subprocess.DEVNULL)
    os.makedirs(args.out, exist_ok=True)
    for old in os.listdir(args.out):
        if old.endswith('.png'):
            os.remove(os.path.join(args.out, old))
    args.db = db
    server = Server(args, db)
    console = None
    try:
        console = Console(server.base, args.out)
        try:
            month(console, args)
        except Exception:
            print('the server\'s last log lines:\n' + '\n'.join(server.log_lines[-25:]), file=sys.stderr)
            raise
        check(not console.errors, 'JavaScript errors in the browser log:\n' + '\n'.join(console.errors))
        print(f'ok: {len(console.shots)} screenshots in {args.out}')
    finally:
        if console:
            console.driver.quit()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


def month(c, args):
    c.open('signin', 'signin')
    check('演示' in c.main_text(), 'the demo sign-in page names no demo people')
    c.shoot('01-signin')

    # ---- the contact drafts; field errors appear beside the fields
    c.sign_in('u-xingting-contact')
    c.expected_network = []
    c.go(f'ledger?period={PERIOD}', 'ledger')
    c.shoot('02-ledger')
    c.report()
    form = next(f for f in definitions(c)['forms'] if f['id'] == 'reform_ledger.form.progress_report')
    for field in form['fields']:
        if field.get('source') == 'obligation':
            continue
        label = c.find(f'[data-field="{field["name"]}"] .field-label').text
        check(label.startswith(field['label']), f'field {field["name"]} is labelled {label!r}, '
              f'the definition says {field["label"]!r}')
        if field.get('required'):
            check('*' in label, f'required field {field["name"]} is not marked')
    check(c.actions() == [('save_draft', '')], f'a new report offers the contact {c.actions()}')
    c.fill('#f-progress_summary', '刑事审判流程标准初稿已形成。')
    c.fill('#f-percent_complete', '150')
    c.expected_network = ['report.act']  # the plugin's "invalid" is a 400
    c.click('#actions button[data-action="save_draft"]')
    WebDriverWait(c.driver, WAIT_S).until(
        lambda d: d.find_element(By.CSS_SELECTOR, '[data-field="percent_complete"] .field-error').text)
    c.read_log()
    check('100' in c.find('[data-field="percent_complete"] .field-error').text,
          'the percent field error does not say the bound')
    c.shoot('03-report-field-error')
    c.expected_network = []
    c.fill('#f-percent_complete', '40')
    c.act('save_draft')
    check(('submit', '') in c.actions(), f'after a draft the contact is offered {c.actions()}')
    c.act('submit')
    check(c.actions() == [('withdraw', '')], f'at the head the contact is offered {c.actions()}')

    # ---- no approve button for the contact; a forged POST is refused
    check(not c.finds('#actions button[data-action="approve"]'), 'the contact sees an approve button')
    forged = forge(c)
    check(forged[0][0] == 403 and forged[0][1].get('outcome') == 'not_permitted',
          f'a forged approve answered {forged[0]}')
    check(forged[1][0] == 403, f'a body naming another actor answered {forged[1]}')
    check(forged[2][0] == 403, f'a POST without the CSRF token answered {forged[2]}')
    c.read_log()
    c.expected_network = []
    c.report()
    check(c.actions() == [('withdraw', '')], 'the forged POSTs changed the report')

    # ---- the head and the leader in charge approve
    c.sign_in('u-xingting-head')
    c.go(f'inbox?period={PERIOD}', 'inbox')
    check(c.finds('tr[data-task="33"][data-department="刑庭"]'), 'task 33 is not in the head\'s inbox')
    c.shoot('04-inbox')
    c.report()
    c.shoot('05-report-head')
    c.act('approve', confirm=True, fill={'#opinion': '同意上报。'})
    c.sign_in('u-vp-trial')
    c.report()
    c.act('approve', confirm=True)

    # ---- a person who may read but not approve
    c.sign_in('u-president')
    c.report()
    check(not c.finds('#actions button'), f'the president is offered {c.actions()}')

    # ---- the reform office returns it with a reason
    c.sign_in('u-sigaiban-head')
    c.report()
    check(('file', '') not in c.actions(), 'file is offered while co-operating reports are missing')
    c.shoot('06-report-office')
    reason = '请补充各配合部门的推进情况。'
    c.click('#actions button[data-action="return"]')
    options = [o.get_attribute('value') for o in c.finds('#return-to option')]
    check(options == ['draft', 'department_head', 'leader_in_charge'], f'return offers {options}')
    c.driver.execute_script('document.getElementById("return-to").value = "draft";')
    c.fill('#opinion', reason)
    c.mark_page()
    c.click('#confirm')
    c.wait_new_page()
    check(c.finds('.notice.ok'), 'the return did not succeed: ' + c.main_text()[:300])

    # ---- the contact sees the reason and resubmits
    c.sign_in('u-xingting-contact')
    c.report()
    check(reason in c.find('#return-reason').text, 'the contact does not see the return reason')
    c.shoot('07-report-returned')
    c.fill('#f-progress_summary', '刑事审判流程标准已定稿，已汇总各配合部门材料。')
    c.fill('#f-percent_complete', '90')
    c.act('submit')

    # ---- the reform office waives the co-operating departments and files
    c.sign_in('u-sigaiban-head')
    for department in CO_33:
        c.report(department)
        c.act('waive', confirm=True, fill={'#opinion': '本月无相关工作。'})
    c.report()
    check(('file', '') in c.actions(), f'file is not offered once all co reports are waived: {c.actions()}')
    c.act('file', confirm=True)
    check(not c.finds('#actions button'), 'a filed report still offers actions')
    c.shoot('08-report-filed')
    c.go(f'task?number=33&period={PERIOD}', 'task')
    check(c.find('.task-meta .badge').get_attribute('data-status') == 'filed', 'the task page does not say filed')
    c.shoot('09-task')
    c.go(f'ledger?period={PERIOD}', 'ledger')
    row = c.find('tr[data-task="33"]')
    check(row.get_attribute('data-status') == 'filed', 'the ledger does not show task 33 filed')
    check('已归档' in row.text, 'the ledger row does not read 已归档')

    # ---- the other pages
    c.go(f'stats?period={PERIOD}', 'stats')
    check(c.finds('#status-chart rect.seg'), 'the statistics page drew no chart')
    check(c.finds('#stats-table tr[data-department="刑庭"]'), 'the statistics table has no 刑庭')
    c.shoot('10-stats')
    c.go(f'office?period={PERIOD}', 'office')
    check(c.finds('#outbox-status'), 'the office page shows no outbox status')
    bulk = c.finds('button[data-bulk-urge]')
    check(bulk, 'the office page offers no bulk urge for the overdue 2019-10 reports')
    department = bulk[0].get_attribute('data-bulk-urge')
    c.click(f'button[data-bulk-urge="{department}"]')
    WebDriverWait(c.driver, WAIT_S).until(lambda d: d.find_elements(By.CSS_SELECTOR, '.messages .notice'))
    check(c.finds('.messages .notice.ok'), f'bulk urge of {department} failed: ' + c.main_text()[:300])
    c.shoot('11-office')
    c.go('supervision', 'supervision')
    c.click('details.issue summary')
    c.fill('#sv-task', '33')
    c.driver.execute_script('document.getElementById("sv-department").value = "刑庭";')
    c.fill('#sv-content', '请于期限内报送流程标准定稿。')
    c.mark_page()
    c.click('details.issue button')
    c.wait_new_page()
    check(c.finds('article.notice-card'), 'the supervision notice was not issued')
    c.shoot('12-supervision')

    task_life(c, args)
    task_forms(c)
    c.sign_in('u-sigaiban-head')

    # ---- a Word plan: preview, then import
    c.go('plan', 'plan')
    c.find('#plan-file').send_keys(os.path.abspath(args.docx))
    c.click('#plan-parse')
    WebDriverWait(c.driver, WAIT_S).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, '#plan-tasks tbody tr') or
        d.find_elements(By.CSS_SELECTOR, '.messages .notice.error'))
    check(not c.finds('.messages .notice.error'), 'the preview failed: ' + c.main_text()[:300])
    rows = len(c.finds('#plan-tasks tbody tr'))
    check(rows > 0, 'the preview lists no tasks')
    c.shoot('13-plan-preview')
    if c.finds('#accept-unknown'):
        c.click('#accept-unknown')
    c.fill('#plan-key', 'browser-test-docx')
    c.click('#plan-import')
    WebDriverWait(c.driver, WAIT_S).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, '.messages .notice'))
    check(c.finds('.messages .notice.ok'), 'the import failed: ' + c.main_text()[:300])
    c.read_log()
    c.shoot('14-plan-imported')


def task_life(c, args):
    """Issue 12 in the console: the ledger's states, deadlines and colours; a
    task's closure, extension and instruction; 待阅; 考评."""
    # ---- the ledger: each task's state, effective deadline (逾期N个工作日) and colour.
    # The 2019 plan gives no dates: the reform office sets one past, one ahead.
    api(c, 'task.deadline.set', {'task': '1', 'due': '2019-10-31', 'reason': '按省院要求限期完成。'})
    api(c, 'task.deadline.set', {'task': '2', 'due': (TODAY + timedelta(days=60)).isoformat(),
                                 'reason': '按省院要求限期完成。'})
    # The OA's timer runs the reminder sweep — here a second process on the
    # same ledger, as `oa-stub notify sweep` — and escalates task 1's deadline,
    # six working days past, to its leaders in charge: the ledger says 已升级.
    subprocess.run([args.oa_stub, '--db', args.db, '--now', NOW, 'notify', 'sweep'], check=True,
                   stdout=subprocess.DEVNULL)
    c.go(f'ledger?period={PERIOD}', 'ledger')
    ledger = api(c, 'ledger.tasks', {'period': PERIOD})
    escalated = [t['number'] for t in ledger['tasks'] if t['escalated_at']]
    check(escalated == ['1'], f'escalated deadlines: {escalated}, not task 1\'s')
    for t in ledger['tasks']:
        row = c.find(f'tr[data-task="{t["number"]}"]')
        check(row.get_attribute('data-state') == t['state'], f'task {t["number"]}: row state '
              f'{row.get_attribute("data-state")}, the plugin says {t["state"]}')
        state = row.find_element(By.CSS_SELECTOR, f'.badge.state-{t["state"]}')
        check(state.get_attribute('textContent') == t['state_label'],
              f'task {t["number"]} reads {state.get_attribute("textContent")!r}, not {t["state_label"]!r}')
        colour = row.find_element(By.CSS_SELECTOR, '.badge[data-colour]')
        check(colour.get_attribute('data-colour') == t['warning']['colour'] and
              colour.get_attribute('textContent') == t['warning']['label'],
              f'task {t["number"]}: colour {colour.get_attribute("data-colour")}, the plugin says '
              f'{t["warning"]["colour"]}')
        reasons = [r['text'] for r in t['warning']['reasons']]
        check(colour.get_attribute('title') == '\n'.join(reasons) if reasons else True,
              f'task {t["number"]}: the colour\'s reasons are not on hover')
        shown = [li.get_attribute('textContent') for li in row.find_elements(By.CSS_SELECTOR, 'details.reasons li')]
        check(shown == reasons, f'task {t["number"]}: reasons below the colour {shown[:2]}…, not {reasons[:2]}…')
        deadline = row.find_element(By.CSS_SELECTOR, 'td.deadline').get_attribute('textContent')
        if t['effective_deadline']:
            check(t['effective_deadline'] in deadline, f'task {t["number"]}: deadline cell {deadline!r}')
        if t['overdue']:
            check(f'逾期{t["overdue_working_days"]}个工作日' in deadline,
                  f'task {t["number"]} is overdue but its deadline cell reads {deadline!r}')
        # 已升级 while the escalated deadline is still missed (a task closed since keeps its record).
        check(('已升级' in deadline) == bool(t['escalated_at'] and t['overdue']),
              f'task {t["number"]}: escalated_at {t["escalated_at"]}, deadline cell {deadline!r}')
        if t['escalated_at'] and t['overdue']:
            marker = row.find_element(By.CSS_SELECTOR, 'td.deadline .escalated')
            check('已提请分管院领导督办' in (marker.get_attribute('title') or ''),
                  f'task {t["number"]}: the escalation\'s time is not on hover: {marker.get_attribute("title")!r}')
    overdue = [t for t in ledger['tasks'] if t['overdue']]
    check([t['number'] for t in overdue] == ['1'], f'overdue today: {[t["number"] for t in overdue]}, not task 1')
    left = next(t for t in ledger['tasks'] if t['number'] == '2')
    check(f'剩{left["working_days_left"]}个工作日' in c.find('tr[data-task="2"] td.deadline').text,
          'task 2 does not show its working days left')
    check(len({t['state'] for t in ledger['tasks']}) > 1, 'every task has the same state')
    for d in ledger['department_warnings']:
        li = c.find(f'#dept-warnings li[data-department="{d["name"]}"]')
        check(li.get_attribute('data-colour') == d['warning']['colour'] and
              d['warning']['label'] in li.text, f'department {d["name"]}: {li.text!r}, the plugin says '
              f'{d["warning"]["label"]}')
    red = c.find('tr[data-colour="red"] details.reasons')
    c.driver.execute_script('arguments[0].open = true; arguments[0].scrollIntoView({block: "center"});', red)
    c.shoot('15-ledger-task-life')

    # ---- a leader's instruction, answered by one of its two departments
    c.sign_in('u-vp-trial')
    unread_before = api(c, 'reading.list', {'unread_only': True})['unread']
    written = api(c, 'instruction.write', {'task': '33', 'departments': ['刑庭', '民庭'],
                                           'content': '请细化审限管理节点，月底前反馈进展。'})
    number = written['instruction']['number']
    c.sign_in('u-xingting-contact')
    c.go(f'task?number=33&period={PERIOD}', 'task')
    card = f'#instructions article[data-instruction="{number}"]'
    check(not c.finds(f'{card} [data-answer="民庭"]'), '刑庭\'s contact is offered to answer for 民庭')
    c.fill(f'{card} [data-answer="刑庭"] textarea', '已细化至十二个节点，嵌入办案平台。')
    c.driver.execute_script('arguments[0].scrollIntoView();', c.find(card))
    c.shoot('16a-task-answer-form')
    c.mark_page()
    c.click(f'{card} [data-answer="刑庭"] button')
    c.wait_new_page()
    check(not c.finds(f'{card} [data-answer="刑庭"]'), 'a final answer still offers the answer form')
    # ---- an extension request, then the closure application
    due = (TODAY + timedelta(days=200)).isoformat()
    requested = api(c, 'task.extension.request', {'task': '33', 'due': due, 'reason': '标准需与省院同步修订。'})
    extension = requested['extension']['id']
    draft = api(c, 'task.close', {'task': '33', 'action': 'save_draft', 'content': {
        'final_report': '各领域流程标准已印发并嵌入办案平台。',
        'evidence': [{'name': '流程标准汇编', 'url': 'https://oa.example/files/33'}]}})
    api(c, 'task.close', {'task': '33', 'action': 'submit', 'version': draft['task']['closure']['version']})
    c.sign_in('u-vp-trial')
    api(c, 'task.extension.act', {'id': extension, 'action': 'approve', 'opinion': '同意延期。'})

    # ---- 待阅: the count in the navigation, the items, 已阅
    reading = api(c, 'reading.list', {'unread_only': True})
    check(reading['unread'] == unread_before + 1, f'the answer was not sent for reading: {reading}')
    c.go('reading', 'reading')
    WebDriverWait(c.driver, WAIT_S).until(lambda d: d.execute_script(
        'const n = document.getElementById("unread-count"); return n && n.dataset.unread;'))
    count = c.find('#unread-count')
    check(count.text == str(reading['unread']), f'the navigation counts {count.text!r} unread, '
          f'the plugin {reading["unread"]}')
    rows = c.finds('#reading tbody tr[data-read="false"]')
    check([r.get_attribute('data-item') for r in rows] == [str(i['id']) for i in reading['items']],
          'the 待阅 page does not list the unread items newest first')
    check(c.finds('#reading tr[data-kind="instruction_answer"]'), 'the instruction\'s answer is not in 待阅')
    c.shoot('16-reading')
    first = reading['items'][0]['id']
    c.mark_page()
    c.click(f'button[data-read="{first}"]')
    c.wait_new_page()
    after = api(c, 'reading.list', {'unread_only': False})
    check(next(i for i in after['items'] if i['id'] == first)['read'], '已阅 was not recorded')
    WebDriverWait(c.driver, WAIT_S).until(lambda d: d.execute_script(
        'const n = document.getElementById("unread-count"); return n && n.dataset.unread === arguments[0];',
        str(reading['unread'] - 1)))
    check(not c.finds(f'#reading tr[data-item="{first}"]'), 'an item read is still listed as unread')
    c.go('reading?all=1', 'reading')
    check(c.find(f'#reading tr[data-item="{first}"]').get_attribute('data-read') == 'true' and
          '已阅' in c.find(f'#reading tr[data-item="{first}"]').text, 'with items read, 已阅 is not shown')

    # ---- the task page: state, deadlines, closure, extension, instruction with answers
    c.sign_in('u-sigaiban-head')
    api(c, 'task.extension.act', {'id': extension, 'action': 'approve', 'opinion': '同意。'})
    c.go(f'task?number=33&period={PERIOD}', 'task')
    got = api(c, 'task.get', {'task': '33'})['task']
    check(c.find('#task-state .badge').get_attribute('data-state') == got['state'] == 'closure_requested',
          f'the task page does not say 申请办结: {c.find("#task-state").text!r}, the plugin says {got["state"]}')
    check(got['effective_deadline'] == due and due in c.find('#deadlines').text,
          f'the approved extension\'s date {due} is not the deadline shown: {c.find("#deadlines").text!r}')
    check(f'剩{got["working_days_left"]}个工作日' in c.find('#deadlines').text, 'no working days left shown')
    closure = c.find('#closure')
    check(closure.get_attribute('data-state') == 'in_approval' and '各领域流程标准已印发' in closure.text and
          '流程标准汇编' in closure.text, f'the closure application reads {closure.text!r}')
    ext = c.find(f'#extensions tr[data-extension="{extension}"]')
    check(ext.get_attribute('data-state') == 'approved' and due in ext.text and '同意延期。' in ext.text,
          f'the extension reads {ext.text!r}')
    card = c.find(f'#instructions article[data-instruction="{number}"]')
    check('请细化审限管理节点' in card.text, 'the instruction\'s text is not shown')
    answered = card.find_element(By.CSS_SELECTOR, 'tr[data-department="刑庭"]')
    check(answered.get_attribute('data-status') == 'answered' and '已细化至十二个节点' in answered.text,
          f'刑庭\'s answer reads {answered.text!r}')
    check(card.find_element(By.CSS_SELECTOR, 'tr[data-department="民庭"]').get_attribute('data-status') == 'open',
          '民庭 has not answered, yet the page says otherwise')
    c.shoot('17-task-life')
    c.driver.execute_script('document.getElementById("extensions").scrollIntoView();')
    c.shoot('17b-task-instructions')

    # ---- 考评: a month and a year, ranked
    for route, method, body in ((f'scores?period={PERIOD}', 'scores.period', {'period': PERIOD}),
                                ('scores?year=2019', 'scores.year', {'year': 2019})):
        c.go(route, 'scores')
        scores = api(c, method, body)
        rows = c.finds('#scores tbody tr')
        check([(r.get_attribute('data-department'), r.get_attribute('data-rank')) for r in rows] ==
              [(d['department'], str(d['rank'])) for d in scores['departments']],
              f'{route}: the table is not the plugin\'s ranking')
        check(rows and float(rows[0].find_element(By.CSS_SELECTOR, 'td.score').text) ==
              scores['departments'][0]['score'], f'{route}: the first score reads {rows[0].text!r}')
        for d, r in zip(scores['departments'], rows):
            check(bool(d['tied_with']) == ('并列' in r.text), f'{route}: {d["department"]} tied with '
                  f'{d["tied_with"]}, the row reads {r.text!r}')
        c.shoot('18-scores-' + ('year' if 'year' in body else 'month'))


def task_post(c, css, expect_error=None):
    """Clicks a button of the task page's forms: the page reloads with the
    flash, or (expect_error) shows the plugin's message and stays."""
    c.mark_page()
    c.click(css)
    c.wait_new_page(or_error=True)
    errors = [e.text for e in c.finds('.form-messages .notice.error')]
    if expect_error is not None:
        check(errors and expect_error in errors[0], f'{css}: expected an error naming {expect_error!r}, '
              f'the page shows {errors or c.main_text()[:300]}')
        check(c.find('#main .page').get_attribute('data-old') == '1', f'{css}: the page was replaced')
        return
    check(not errors and c.finds('#task-messages .notice.ok'), f'{css}: {errors or c.main_text()[:300]}')


def closure_buttons(c):
    return [b.get_attribute('data-action') for b in c.finds('#closure-actions button')]


def task_forms(c):
    """The task page's forms, as people use them: the lead department asks
    for an extension (a bad date and a missing reason are refused with the
    plugin's message, nothing written) and applies for closure; the head, the
    leader in charge and the reform office act on both with the buttons the
    plugin offers each of them; the reform office files and strikes (销号)."""
    c.sign_in('u-xingting-contact')
    ledger = api(c, 'ledger.tasks', {'period': PERIOD})
    number = next(t['number'] for t in ledger['tasks']
                  if t['lead'] == ['刑庭'] and t['number'] != '33' and t['state'] in ('not_started', 'in_progress'))
    route = f'task?number={number}&period={PERIOD}'
    c.go(route, 'task')

    # ---- 延期: a bad date, then a missing reason, then the request
    check(c.finds('#extension-form') and not c.finds('#extension-decisions'),
          'the lead department\'s contact is not offered the extension request form (or is offered decisions)')
    c.click('#extension-form summary')
    c.expected_network = ['task.extension.request']  # the plugin's refusals are 400s
    c.fill('#extension-due', '2027-13-01')
    c.fill('#extension-reason', '需与省院同步修订标准。')
    task_post(c, '#extension-submit', expect_error='due')
    c.shoot('20-extension-form')
    due = (TODAY + timedelta(days=200)).isoformat()
    c.fill('#extension-due', due)
    c.fill('#extension-reason', ' ')
    task_post(c, '#extension-submit', expect_error='reason')
    check(not api(c, 'task.get', {'task': number})['task']['extensions'], 'a refused request was written')
    c.expected_network = []
    c.fill('#extension-reason', '需与省院同步修订标准。')
    task_post(c, '#extension-submit')
    ext = c.find('#extensions tr[data-state="requested"]')
    check(due in ext.text, f'the request reads {ext.text!r}')
    extension = ext.get_attribute('data-extension')
    check(not c.finds('#extension-form'), 'a second request is offered while one waits')

    # ---- 办结: the contact drafts, then submits
    check(closure_buttons(c) == ['save_draft', 'submit'], f'the contact is offered {closure_buttons(c)}')
    c.fill('#closure-report', '审判流程节点已全部嵌入办案平台，运行良好。')
    c.click('#closure-add-evidence')
    c.fill('#closure-evidence .evidence-row input[data-item="name"]', '运行情况报告')
    c.fill('#closure-evidence .evidence-row input[data-item="url"]', 'https://oa.example/files/closure')
    task_post(c, '#closure-actions button[data-action="save_draft"]')
    check(c.find('#closure').get_attribute('data-state') == 'draft', 'the draft is not shown as a draft')
    check('运行情况报告' in c.find('#closure').text and
          c.find('#closure-report').get_attribute('value').startswith('审判流程节点'),
          'the draft\'s report and evidence are not kept')
    c.driver.execute_script('document.getElementById("closure").scrollIntoView();')
    c.shoot('19-closure-form')
    task_post(c, '#closure-actions button[data-action="submit"]')
    check(c.find('#task-state .badge').get_attribute('data-state') == 'closure_requested',
          'after submitting, the task is not 申请办结: ' + c.find('#task-state').text)
    check(closure_buttons(c) == ['withdraw'], f'after submitting the contact is offered {closure_buttons(c)}')

    # ---- the head: a return needs a reason (the plugin says so), then approves
    c.sign_in('u-xingting-head')
    c.go(route, 'task')
    # (and withdraw for the contact who sent it, 代办: the plugin's offer)
    check({'approve', 'return'} <= set(closure_buttons(c)) and 'file' not in closure_buttons(c),
          f'the head is offered {closure_buttons(c)}')
    check(not c.finds('#extension-decisions'), 'the head is offered to decide the extension')
    c.expected_network = ['task.close']
    task_post(c, '#closure-actions button[data-action="return"]', expect_error='reason')
    c.expected_network = []
    check(c.find('#closure').get_attribute('data-state') == 'in_approval', 'a refused return changed the closure')
    c.fill('#closure-opinion', '同意申请办结。')
    task_post(c, '#closure-actions button[data-action="approve"]')

    # ---- the leader in charge: approves the closure, endorses the extension
    c.sign_in('u-vp-trial')
    c.go(route, 'task')
    check({'approve', 'return'} <= set(closure_buttons(c)) and 'file' not in closure_buttons(c),
          f'the leader in charge is offered {closure_buttons(c)}')
    options = [o.get_attribute('value') for o in c.finds('#closure-return-to option')]
    check(options == ['draft', 'department_head'], f'the leader may return to {options}')
    decision = f'#extension-decisions [data-extension="{extension}"]'
    check(c.find(decision).get_attribute('data-waiting-for') == 'leader_in_charge', 'no endorsement offered')
    c.fill(f'#extension-opinion-{extension}', '同意延期，报司改办。')
    c.shoot('21-closure-leader')
    task_post(c, f'{decision} button[data-extension-action="approve"]')
    check(c.find(f'#extensions tr[data-extension="{extension}"]').get_attribute('data-state') == 'endorsed',
          'the endorsement is not shown')
    # A page gone stale: the closure moves on (the leader approves elsewhere)
    # before the button here is pressed; the plugin refuses, the page says so.
    version = api(c, 'task.get', {'task': number})['task']['closure']['version']
    api(c, 'task.close', {'task': number, 'action': 'approve', 'version': version})
    c.expected_network = ['task.close']
    task_post(c, '#closure-actions button[data-action="approve"]', expect_error='')
    c.expected_network = []
    c.driver.refresh()  # the same route: a reload, not a hash change
    c.wait_ready('task', route)
    # having sent it on, the leader may withdraw it until the reform office acts
    check(closure_buttons(c) == ['withdraw'], f'after approving, the leader is offered {closure_buttons(c)}')

    # ---- the reform office: approves the extension, files the closure, strikes
    c.sign_in('u-sigaiban-head')
    c.go(route, 'task')
    task_post(c, f'{decision} button[data-extension-action="approve"]')
    check(c.find(f'#extensions tr[data-extension="{extension}"]').get_attribute('data-state') == 'approved',
          'the approval is not shown')
    check(due in c.find('#deadlines').text, f'the approved date is not the deadline: {c.find("#deadlines").text!r}')
    check('file' in closure_buttons(c) and 'approve' not in closure_buttons(c),
          f'the reform office is offered {closure_buttons(c)}')
    # 调整完成时限: a date that is no date is named; then a new date with its reason.
    c.click('#deadline-form summary')
    c.fill('#deadline-due', '2020-02-30')
    c.fill('#deadline-reason', '按省院要求调整。')
    c.expected_network = ['task.deadline.set']
    task_post(c, '#deadline-submit', expect_error='due')
    c.expected_network = []
    moved = (TODAY + timedelta(days=210)).isoformat()
    c.fill('#deadline-due', moved)
    task_post(c, '#deadline-submit')
    check(api(c, 'task.get', {'task': number})['task']['effective_deadline'] == moved and
          moved in c.find('#deadlines').text, f'the deadline set is not shown: {c.find("#deadlines").text!r}')
    task_post(c, '#closure-actions button[data-action="file"]')
    got = api(c, 'task.get', {'task': number})['task']
    check(got['state'] == 'closed' and c.find('#task-state .badge').get_attribute('data-state') == 'closed',
          f'filed, the task is {got["state"]}; the page says {c.find("#task-state").text!r}')
    check(c.find('#closure').get_attribute('data-state') == 'filed' and not c.finds('#closure-form'),
          'a filed closure still offers actions')
    c.shoot('22-task-closed')
    c.expected_network = ['task.strike']
    task_post(c, '#strike', expect_error='reason')
    c.expected_network = []
    c.fill('#stage-reason', '任务已办结，予以销号。')
    task_post(c, '#strike')
    check(c.find('#task-state .badge').get_attribute('data-state') == 'struck', 'the task is not 已销号')
    check(c.finds('#reopen') and not c.finds('#strike'), 'a struck task offers no reopen (or strike again)')
    c.shoot('23-task-struck')
    c.fill('#stage-reason', '省院要求补充材料，重新启动。')
    task_post(c, '#reopen')
    reopened = api(c, 'task.get', {'task': number})['task']['state']
    check(reopened in ('not_started', 'in_progress') and
          c.find('#task-state .badge').get_attribute('data-state') == reopened and not c.finds('#reopen'),
          f'reopened, the task is {reopened}; the page says {c.find("#task-state").text!r}')
    audit = api(c, 'audit.list', {'task': number})['entries']
    actions = [(e['actor'], e['action']) for e in audit]
    for expected in (('u-xingting-contact', 'extension_request'), ('u-vp-trial', 'extension_approve'),
                     ('u-sigaiban-head', 'extension_approve'), ('u-xingting-contact', 'closure_submit'),
                     ('u-xingting-head', 'closure_approve'), ('u-vp-trial', 'closure_approve'),
                     ('u-sigaiban-head', 'task_deadline_set'), ('u-sigaiban-head', 'task_closed'),
                     ('u-sigaiban-head', 'task_strike'), ('u-sigaiban-head', 'task_reopen')):
        check(expected in actions, f'the audit trail lacks {expected}: {actions}')
    check(api(c, 'audit.verify', {})['ok'], 'audit.verify fails after the task page\'s forms')


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--server', required=True)
    parser.add_argument('--oa-stub', required=True)
    parser.add_argument('--plugin', required=True)
    parser.add_argument('--seed', required=True)
    parser.add_argument('--docx', required=True)
    parser.add_argument('--out', required=True)
    args = parser.parse_args()
    for tool in ('chromium', 'chromedriver'):
        if not shutil.which(tool):
            print(f'{tool} is not installed (scripts/setup.sh installs chromium and chromium-driver)',
                  file=sys.stderr)
            return 1
    try:
        run(args)
    except Failure as e:
        print('FAILED: ' + str(e), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
