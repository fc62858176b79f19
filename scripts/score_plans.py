#!/usr/bin/env python3
"""Measures how well the importer reads plans it has never seen (issue 9).

    scripts/score_plans.py [--oa-stub PATH] [--config FILE] [DIR]

For every plan in DIR (default tests/fixtures/unseen) that has an answer file
<name>.expected.json beside it, runs `oa-stub plan parse --json PLAN` and
compares each task with the answer: the departments (names, roles and order)
and the due date. A task counts as right only when both are exactly right.
Prints, per plan, per form (the name's letter: a, b, … — d1 and d2 are form d)
and overall: tasks found / expected, % right, and every miss (expected vs got).

Tasks are paired with the answer's in plan order: first by the start of their
text (so one dropped or split task does not shift all that follow), then, in
the gaps left, by position. What the parser did not give (a missing field, a
refused file) counts as a miss and is said so.

Exit status 0 whenever it measured, whatever the score: it measures, it is not
a test. 2 when it cannot measure at all (no oa-stub, no plans).
Uses only the Python standard library.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAN_SUFFIXES = (".txt", ".docx", ".xlsx", ".doc", ".wps", ".pdf")
TARGET = 90.0  # issue 9: ≥ 90% of tasks right, in each form


# --------------------------------------------------------------------------
# Reading what the parser gave


def collect_tasks(parsed):
    """Tasks in plan order, wherever the JSON keeps them: sections[].tasks[],
    and any deeper level (subsections, groups, parts) that has a tasks list.
    Items (a task's （1）（2）) are not tasks."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "items":
                    continue
                if key == "tasks" and isinstance(value, list):
                    for task in value:
                        if isinstance(task, dict):
                            found.append(task)
                            walk({k: v for k, v in task.items() if k != "items"})
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(parsed.get("sections", parsed))
    # If the parser says where each task came from, that is the plan's order
    # (sections may keep group tasks apart from their own).
    if found and all(isinstance(t.get("line"), int) and t.get("line") > 0 for t in found):
        found.sort(key=lambda t: t["line"])
    return found


LEADING_LABEL = re.compile(
    r"^(?:[0-9０-９]+[.．、]|[（(][一二三四五六七八九十0-9]+[）)]|[一二三四五六七八九十]+[是、])")
SPACE = re.compile(r"\s+")


def text_key(text):
    """The start of a task's text, for pairing: no spaces or line breaks (a
    hard-wrapped plan), no leading number or label."""
    text = SPACE.sub("", text or "")
    return LEADING_LABEL.sub("", text, count=1)


def got_text(task):
    for key in ("text", "title"):
        if isinstance(task.get(key), str) and task[key].strip():
            return task[key]
    return ""


def got_label(task):
    for key in ("label", "number"):
        if task.get(key):
            return str(task[key])
    return "?"


def got_departments(task):
    """[(name, role)] or None when the task has no departments field."""
    deps = task.get("departments")
    if not isinstance(deps, list):
        return None
    out = []
    for d in deps:
        if isinstance(d, dict):
            out.append(((d.get("name") or "").strip(), d.get("role")))
        else:
            out.append((str(d), None))
    return out


def got_due(task):
    """(due or None, whether the task has a deadline field at all)."""
    if "deadline" not in task:
        return None, False
    deadline = task["deadline"]
    if deadline is None:
        return None, True
    if isinstance(deadline, dict):
        return deadline.get("due") or None, True
    return None, True


# --------------------------------------------------------------------------
# Pairing and judging


def pair(expected, got):
    """[(expected index or None, got index or None, title_matched)] in plan order."""
    keys_e = [text_key(e["title_starts"]) for e in expected]
    keys_g = [text_key(got_text(g)) for g in got]

    def same(i, j):
        return bool(keys_e[i]) and keys_g[j].startswith(keys_e[i])

    n, m = len(expected), len(got)
    # Longest common subsequence over "the task's text starts like the answer's".
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            lcs[i][j] = lcs[i + 1][j + 1] + 1 if same(i, j) else max(lcs[i + 1][j], lcs[i][j + 1])
    anchors = []
    i = j = 0
    while i < n and j < m:
        if same(i, j) and lcs[i][j] == lcs[i + 1][j + 1] + 1:
            anchors.append((i, j))
            i += 1
            j += 1
        elif lcs[i + 1][j] >= lcs[i][j + 1]:
            i += 1
        else:
            j += 1
    pairs = []
    prev_i = prev_j = 0
    for ai, aj in anchors + [(n, m)]:
        gap_e = list(range(prev_i, ai))
        gap_g = list(range(prev_j, aj))
        for k in range(max(len(gap_e), len(gap_g))):
            pairs.append((gap_e[k] if k < len(gap_e) else None,
                          gap_g[k] if k < len(gap_g) else None, False))
        if ai < n:
            pairs.append((ai, aj, True))
        prev_i, prev_j = ai + 1, aj + 1
    return pairs


def show_departments(deps):
    if deps is None:
        return "(no departments field)"
    if not deps:
        return "(none)"
    return "、".join(f"{name}({role})" for name, role in deps)


def judge(exp, task, title_matched):
    """(departments right, due right, [what differs])."""
    want_deps = [(d["name"], d["role"]) for d in exp["departments"]]
    have_deps = got_departments(task)
    deps_ok = have_deps == want_deps
    due, has_field = got_due(task)
    # A task without a deadline field is right only when none is expected.
    due_ok = due == exp["due"]
    notes = []
    if not title_matched:
        notes.append(f"text differs: expected “{exp['title_starts']}…”, "
                     f"got “{SPACE.sub('', got_text(task))[:16]}…”")
    if not deps_ok:
        notes.append(f"departments: expected {show_departments(want_deps)}; "
                     f"got {show_departments(have_deps)}")
    if not due_ok:
        got_shown = due if has_field else "(no deadline field)"
        notes.append(f"due: expected {exp['due']}; got {got_shown}")
    return deps_ok, due_ok, notes


# --------------------------------------------------------------------------
# Running the parser


def parse_plan(oa_stub, config, plan):
    """(parsed JSON, None) or (None, why the plan was not read)."""
    with tempfile.TemporaryDirectory(prefix="score-plans-") as scratch:
        # Run where nothing of ours lives: plan parse must store nothing, and
        # if it does, it lands in the scratch directory.
        cmd = [oa_stub, "--config", config, "--db", os.path.join(scratch, "scratch.db"),
               "plan", "parse", "--json", plan]
        try:
            run = subprocess.run(cmd, cwd=scratch, capture_output=True, timeout=300)
        except subprocess.TimeoutExpired:
            return None, "oa-stub did not answer within 300 s"
    stderr = run.stderr.decode("utf-8", "replace").strip()
    if run.returncode != 0:
        first = stderr.splitlines()[0] if stderr else "(nothing on stderr)"
        return None, f"refused (exit {run.returncode}): {first}"
    try:
        return json.loads(run.stdout.decode("utf-8")), None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return None, f"output is not JSON: {e}"


def form_of(name):
    m = re.match(r"([a-z]+)\d*-", name)
    return m.group(1) if m else name


def find_plans(directory):
    plans = []
    for entry in sorted(os.listdir(directory)):
        stem, suffix = os.path.splitext(entry)
        if suffix.lower() not in PLAN_SUFFIXES:
            continue
        answer = os.path.join(directory, stem + ".expected.json")
        if os.path.isfile(answer):
            plans.append((os.path.join(directory, entry), answer))
    return plans


def percent(right, total):
    return 100.0 * right / total if total else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--oa-stub", default=os.path.join(ROOT, "build", "bin", "oa-stub"),
                    help="the oa-stub executable (default: build/bin/oa-stub)")
    ap.add_argument("--config", default=os.path.join(ROOT, "host_stub", "demo", "config.json"),
                    help="oa-stub's configuration (default: host_stub/demo/config.json)")
    ap.add_argument("dir", nargs="?", default=os.path.join(ROOT, "tests", "fixtures", "unseen"),
                    help="plans with <name>.expected.json answers (default: tests/fixtures/unseen)")
    ap.add_argument("--require", type=float, metavar="PERCENT",
                    help="exit 1 when a form scores below PERCENT (the test suite's guard "
                         "against regressions on sets the importer was tuned on)")
    args = ap.parse_args()

    oa_stub = os.path.abspath(args.oa_stub)
    if not os.access(oa_stub, os.X_OK):
        print(f"score_plans: no oa-stub at {oa_stub}; build it "
              "(cmake --build build --target oa-stub reform_ledger) or pass --oa-stub PATH",
              file=sys.stderr)
        return 2
    plans = find_plans(args.dir)
    if not plans:
        print(f"score_plans: no plan with a .expected.json answer in {args.dir}", file=sys.stderr)
        return 2
    config = os.path.abspath(args.config)

    forms = {}  # form → [expected, found, right, deps right, due right]
    rows = []
    for plan, answer in plans:
        name = os.path.basename(plan)
        with open(answer, encoding="utf-8") as f:
            expected = json.load(f)["tasks"]
        parsed, why = parse_plan(oa_stub, config, os.path.abspath(plan))
        got = collect_tasks(parsed) if parsed is not None else []
        right = deps_right = due_right = 0
        misses = []
        unmatched_got = 0
        for ei, gi, title_matched in pair(expected, got) if parsed is not None else []:
            if ei is None:
                unmatched_got += 1
                misses.append(f"  extra task {got_label(got[gi])} “{SPACE.sub('', got_text(got[gi]))[:16]}…”: "
                              f"not in the answer; departments {show_departments(got_departments(got[gi]))}")
                continue
            exp = expected[ei]
            if gi is None:
                misses.append(f"  task {exp['number_or_label']} “{exp['title_starts']}…”: not found")
                continue
            deps_ok, due_ok, notes = judge(exp, got[gi], title_matched)
            deps_right += deps_ok
            due_right += due_ok
            if deps_ok and due_ok:
                right += 1
            if notes:
                misses.append(f"  task {exp['number_or_label']} “{exp['title_starts']}…” "
                              f"(got {got_label(got[gi])}): " + "; ".join(notes))
        n = len(expected)
        form = forms.setdefault(form_of(name), [0, 0, 0, 0, 0])
        for k, v in enumerate((n, len(got), right, deps_right, due_right)):
            form[k] += v
        print(f"{name}: tasks {len(got)} found / {n} expected; right {right}/{n} "
              f"({percent(right, n):.1f}%) [departments {deps_right}/{n}, due {due_right}/{n}]")
        if why:
            print(f"  {why}")
        elif got and not any("deadline" in t for t in got):
            print("  (no task has a deadline field)")
        for line in misses:
            print(line)
        rows.append(name)

    print()
    print("Per form (issue 9: each ≥ 90% right):")
    total = [0, 0, 0, 0, 0]
    below = []
    for form in sorted(forms):
        n, found, right, deps, due = forms[form]
        for k, v in enumerate(forms[form]):
            total[k] += v
        pct = percent(right, n)
        mark = "ok" if pct >= TARGET else "below"
        if pct < TARGET:
            below.append(form)
        print(f"  {form}: tasks {found}/{n}; right {right}/{n} = {pct:.1f}% "
              f"[departments {percent(deps, n):.1f}%, due {percent(due, n):.1f}%] {mark}")
    n, found, right, deps, due = total
    print(f"Overall: {len(rows)} plans; tasks {found} found / {n} expected; right {right}/{n} = "
          f"{percent(right, n):.1f}% [departments {percent(deps, n):.1f}%, due {percent(due, n):.1f}%]")
    print(f"Forms below {TARGET:.0f}%: {', '.join(below) if below else 'none'}")
    if args.require is not None:
        failing = [form for form in sorted(forms)
                   if percent(forms[form][2], forms[form][0]) < args.require]
        if failing:
            print(f"score_plans: forms below the required {args.require:.0f}%: "
                  f"{', '.join(failing)}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends it quietly
    sys.exit(main())
