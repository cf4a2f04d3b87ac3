"""Everything a batch writes besides results.jsonl, rebuilt from it: grades.csv, per-student
feedback, and report.html with its plots (what a TA reviews before releasing grades)."""
from __future__ import annotations

import csv
import html
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from autograder.questions import registry
from autograder.core.markup import csv_cell, md_code, md_text

IDENTITY = ("name", "email", "sid")
PLOTS = ("scores.png", "questions.png", "statuses.png")
# One colour per status, the same in every table and plot (ok green); also the order they are listed in.
STATUS_COLOURS = {
    "ok": "#2e7d32",
    "partial": "#9ccc65",
    "failed": "#ef8c00",
    "not_implemented": "#9e9e9e",
    "syntax_error": "#1565c0",
    "forbidden": "#ad1457",
    "memory": "#6d4c41",
    "timeout": "#6a1b9a",
    "crashed": "#c62828",
    "unreadable": "#00838f",
    "refused": "#212121",
}
_SPARE_COLOURS = ("#283593", "#558b2f", "#8e24aa", "#37474f", "#827717")
# Statuses of a plain grade (right, wrong or missing answers); every other status (timeout, crashed,
# memory, forbidden, syntax_error, or any added later) needs a look before grades are released.
PLAIN_GRADES = ("ok", "failed", "not_implemented")
_CASE_PREFIX = re.compile(r"^q\d+ (public|hidden): ")
_ARRAY = r"(?P<array>[A-Za-z_][\w.]*)(?:\[[^\]]*\])*"
# How a check's message reads (rnn_checks.py) -> the kind of failure it reports.
_KINDS = (
    (re.compile(rf"^{_ARRAY}: expected .*, got .* entries differ"), "wrong values"),
    (re.compile(rf"^{_ARRAY}: wrong value"), "wrong values"),
    (re.compile(rf"^{_ARRAY}: shape "), "wrong shape"),
    (re.compile(rf"^{_ARRAY}: expected a numpy array"), "not a numpy array"),
    (re.compile(rf"^{_ARRAY}: expected a float array"), "not a float array"),
    (re.compile(rf"^{_ARRAY}: not finite"), "NaN or inf"),
    (re.compile(rf"^{_ARRAY}: expected an array, got a scalar"), "a scalar, not an array"),
    (re.compile(rf"^{_ARRAY}: entries of different shapes"), "entries of different shapes"),
    (re.compile(rf"^{_ARRAY} must return a tuple"), "wrong number or type of results"),
    (re.compile(rf"^{_ARRAY} must be a list"), "not a list of the right length"),
    (re.compile(rf"^{_ARRAY} has no entry (?P<key>'[^']*')"), "missing key"),
    (re.compile(r"^(?P<array>[^:]{1,40}): expected -?\d+, got "), "wrong count"),
    (re.compile(r"^(?P<error>[A-Z]\w*(Error|Exception)):"), "raised"),
)


def _target(qid: str) -> str:
    """The function or class question `qid` grades ("" for a question no longer registered)."""
    return registry.question(qid).target if qid in registry.ids() else ""


def _points(value: float) -> str:
    return f"{value:g}"


def identity_columns(records: list[dict[str, Any]]) -> list[str]:
    known = {key for r in records for key, value in (r.get("identity") or {}).items() if value}
    return [key for key in IDENTITY if key in known]


def _questions(records: list[dict[str, Any]]) -> list[str]:
    present = {q for r in records for q in r["questions"]}
    return [q for q in registry.ids() if q in present]


def row_status(record: dict[str, Any]) -> str:
    """A submission's status as the TA reads it: "partial" for a plain grade with some points but
    not all (a 92.5/100 row is not "failed"), else the record's status (the worst question status)."""
    plain = record["status"] in PLAIN_GRADES and record["status"] != "ok"
    return "partial" if plain and 0 < record["score"] < record["max_score"] else record["status"]


def write_csv(records: list[dict[str, Any]], path: Path) -> None:
    """grades.csv: one row per submission; points per question, total, status (`row_status`)."""
    who = identity_columns(records)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["submission", *who, *registry.ids(), "total", "max_total", "status"])
        for r in records:
            qs = r["questions"]
            writer.writerow([csv_cell(r["submission"]), *(csv_cell((r.get("identity") or {}).get(k, "")) for k in who),
                             *(_points(qs[q]["score"]) if q in qs else "" for q in registry.ids()),
                             _points(r["score"]), _points(r["max_score"]), csv_cell(row_status(r))])


# --- feedback -----------------------------------------------------------------------------------


def case_title(name: str) -> str:
    """A case's name for a reader who already knows its question: "q3 public: X" -> "X"."""
    return _CASE_PREFIX.sub("", name)


def _case_message(question: str, case: dict[str, Any]) -> str:
    """A case's message without the "q3 (its title): " the check puts first (the feedback names
    the question and case already)."""
    return case["message"].removeprefix(f"{question} ({case_title(case['name'])}): ")


def nothing_graded(record: dict[str, Any]) -> bool:
    """The file was never run (unreadable, no file, or it could not be imported): every case
    failed the same way with the same message, so one message says it all."""
    cases = [c for q in record["questions"].values() for c in q["cases"]]
    return bool(cases) and all(c["status"] != "ok" for c in cases) and len(
        {(c["status"], c["message"]) for c in cases}) == 1 and bool(cases[0]["message"])


def one_reason(question: dict[str, Any]) -> tuple[str, str] | None:
    """(status, message) when every case of the question stopped the same way (not implemented, a
    timeout, a crash: said once, not once per case); None when a case passed or the answers were
    just wrong."""
    reasons = {(c["status"], c["message"]) for c in question["cases"]}
    if len(reasons) != 1 or question["status"] in ("ok", "failed"):
        return None
    return next(iter(reasons))


def _heading(question: dict[str, Any]) -> str:
    target = _target(question["name"])
    return f"{question['name']} `{target}`" if target else question["name"]


def feedback(record: dict[str, Any]) -> str:
    """What the student sees (Markdown): the score, then what passed (public cases by name) and
    what did not (failed public cases with their messages, how many hidden cases failed — never
    their inputs or values —, hints and the diagnosis), then what the code printed."""
    lines = [f"# Feedback for {md_text(record['submission'])}", "",
             f"**Score: {_points(record['score'])} / {_points(record['max_score'])}**", ""]
    questions = list(record["questions"].values())
    if nothing_graded(record):
        status = questions[0]["cases"][0]["status"]
        lines += [f"No question could be graded ({status.replace('_', ' ')}):", "",
                  *md_code(questions[0]["cases"][0]["message"], max_lines=20), "",
                  "Scores: " + ", ".join(f"{q['name']} 0 / {_points(q['max_score'])}" for q in questions), ""]
        return "\n".join(lines + _printed(record))
    if record.get("message"):  # student text (what an import raised) goes in code blocks only
        lines += [*md_code(record["message"], max_lines=20), ""]
    passed = [q for q in questions if q["status"] == "ok"]
    failed = [q for q in questions if q["status"] != "ok"]
    if passed:
        lines += ["## Passed", ""]
        for q in passed:
            public = [case_title(c["name"]) for c in q["cases"] if not c["hidden"]]
            hidden = sum(c["hidden"] for c in q["cases"])
            parts = [f"public: {'; '.join(public)}"] if public else []
            parts += [f"all {hidden} hidden cases"] if hidden else []
            lines.append(f"- ✓ {_heading(q)}: {_points(q['score'])} / {_points(q['max_score'])}"
                         + (f" — {' — '.join(parts)}" if parts else ""))
        lines.append("")
    if failed:
        lines += ["## Did not pass", ""]
    for q in failed:
        lines += [f"### {_heading(q)}: {_points(q['score'])} / {_points(q['max_score'])}", ""]
        lines += _failed_question(q)
        lines.append("")
    return "\n".join(lines + _printed(record))


def _failed_question(q: dict[str, Any]) -> list[str]:
    public = [c for c in q["cases"] if not c["hidden"]]
    hidden = [c for c in q["cases"] if c["hidden"]]
    lines = []
    if one_reason(q):
        lines += [f"- ✗ every case: {q['status'].replace('_', ' ')}", "",
                  *md_code(_case_message(q["name"], q["cases"][0]), indent="  ", max_lines=20)]
    else:
        for c in public:
            if c["status"] == "ok":
                lines.append(f"- ✓ {case_title(c['name'])}")
            else:
                lines += [f"- ✗ {case_title(c['name'])}" + ("" if c["status"] == "failed" else f" ({c['status']})"),
                          "", *md_code(_case_message(q["name"], c), indent="  ", max_lines=20)]
        hidden_failed = Counter(c["status"] for c in hidden if c["status"] != "ok")
        if hidden_failed:
            kinds = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in sorted(hidden_failed.items()))
            lines.append(f"- {sum(hidden_failed.values())} of {len(hidden)} hidden cases did not pass ({kinds})")
        elif hidden:
            lines.append(f"- all {len(hidden)} hidden cases passed")
    lines += [f"- hint: {hint}" for hint in q.get("hints", [])]
    for diagnostic in q.get("diagnostics", []):  # per-step tables are Markdown already
        lines += ["", *diagnostic.splitlines()]
    return lines


def _printed(record: dict[str, Any]) -> list[str]:
    if not record.get("output", "").strip():
        return []
    return ["## What your code printed", "", *md_code(record["output"], max_lines=60), ""]


def feedback_name(submission: str) -> str:
    """The feedback file of a row, one file name inside feedback/ whatever the row's name."""
    return submission.replace("/", "_").replace("\\", "_") + ".md"


def write_feedback(records: list[dict[str, Any]], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for r in records:
        (folder / feedback_name(r["submission"])).write_text(feedback(r), encoding="utf-8")


# --- what the class got wrong -------------------------------------------------------------------


def failure_kind(question: str, case: dict[str, Any]) -> str:
    """What went wrong in a case, in words that stay the same for every student with the same
    mistake (the array and the kind of difference; never the values)."""
    if case["status"] != "failed":
        return case["status"].replace("_", " ")
    message = _case_message(question, case).strip().splitlines()[0] if case["message"].strip() else ""
    message = re.sub(r"^q\d+ \([^)]*(\([^)]*\)[^)]*)*\): ", "", message)
    for pattern, kind in _KINDS:
        found = pattern.match(message)
        if found is None:
            continue
        if kind == "raised":  # with its text where that names no value (line numbers dropped)
            text = re.sub(r" \(line \d+: .*$", "", message[found.end():]).strip()
            return f"raised {found['error']}" + (f": {text[:100]}" if text and not re.search(r"\d", text) else "")
        if kind == "missing key":
            return f"{found['array']}: missing key {found['key']}"
        return f"{found['array']}: {kind}"
    return "wrong result (other)"


@dataclass(frozen=True)
class Group:
    """Students who share a hint or a kind of failure in one question."""

    question: str
    what: str
    hint: bool
    students: tuple[str, ...]
    hidden_only: bool = False


def failure_groups(records: list[dict[str, Any]]) -> list[Group]:
    """Every hint and failure kind of every question with the students who have it, most students
    first (ties: hints first, then question and text: the same whatever the grading order)."""
    students: dict[tuple[str, str, bool], set[str]] = {}
    public: set[tuple[str, str]] = set()
    for r in records:
        if nothing_graded(r):  # listed under "needs a look", not as five failures
            continue
        for qname, q in r["questions"].items():
            for c in q["cases"]:
                if c["status"] != "ok":
                    kind = failure_kind(qname, c)
                    students.setdefault((qname, kind, False), set()).add(r["submission"])
                    if not c["hidden"]:
                        public.add((qname, kind))
            for h in q.get("hints", []):
                students.setdefault((qname, h, True), set()).add(r["submission"])
    groups = [Group(q, what, hint, tuple(sorted(who)), hidden_only=not hint and (q, what) not in public)
              for (q, what, hint), who in students.items()]
    return sorted(groups, key=lambda g: (-len(g.students), not g.hint, g.question, g.what))


# --- report.html ----------------------------------------------------------------------------------


def status_colour(status: str) -> str:
    if status in STATUS_COLOURS:
        return STATUS_COLOURS[status]
    return _SPARE_COLOURS[sum(map(ord, status)) % len(_SPARE_COLOURS)]


def needs_a_look(record: dict[str, Any]) -> bool:
    """Not a plain grade: the submission timed out, crashed, hit a limit, imported a forbidden
    library, could not be parsed, or its input was unreadable or refused."""
    statuses = {record["status"], *(q["status"] for q in record["questions"].values())}
    return bool(statuses - set(PLAIN_GRADES)) or nothing_graded(record)


def _what_happened(record: dict[str, Any]) -> str:
    """The first stop that is not a plain grade (with its question), else the submission's message."""
    if not nothing_graded(record):
        for q in record["questions"].values():
            for c in q["cases"]:
                if c["status"] not in PLAIN_GRADES and c["message"]:
                    return f"{q['name']}: {_case_message(q['name'], c).splitlines()[0]}"
    return (record.get("message") or "").split("\n", 1)[0]


def _plots(records: list[dict[str, Any]], folder: Path) -> dict[str, str]:
    """Draw the three plots into `folder`; returns their alt texts."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    questions = _questions(records)
    statuses = sorted({row_status(r) for r in records} | {r["questions"][q]["status"] for r in records
                                                         for q in r["questions"]}, key=_status_order)
    alt: dict[str, str] = {}

    # 1. totals, stacked by the submission's status
    max_total = max((r["max_score"] for r in records), default=100) or 100
    fig, ax = plt.subplots(figsize=(5.6, 3.6))
    by_status = [[r["score"] for r in records if row_status(r) == s] for s in statuses]
    used = [(s, v) for s, v in zip(statuses, by_status) if v]
    if used:
        ax.hist([v for _, v in used], bins=20, range=(0, max_total), stacked=True,
                color=[status_colour(s) for s, _ in used], label=[s for s, _ in used], edgecolor="white")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(xlabel="total points", ylabel="submissions", title="Total points", xlim=(0, max_total))
    _legend_below(ax, len(used))
    _save(fig, folder / PLOTS[0])
    counts = Counter(_points(r["score"]) for r in records)
    alt[PLOTS[0]] = (f"Histogram of total points (out of {_points(max_total)}) of {len(records)} submissions, "
                     "coloured by status: " + ", ".join(f"{n} with {t}" for t, n in sorted(
                         counts.items(), key=lambda item: -float(item[0]))) + ".")

    # 2. per question: mean score and full-marks rate, in % (points differ between questions)
    n = max(1, len(records))
    mean = [100 * sum(r["questions"][q]["score"] / (r["questions"][q]["max_score"] or 1)
                      for r in records if q in r["questions"]) / n for q in questions]
    full = [100 * sum(r["questions"].get(q, {}).get("status") == "ok" for r in records) / n for q in questions]
    fig, ax = plt.subplots(figsize=(5.6, 3.6))
    x = range(len(questions))
    ax.bar([i - 0.2 for i in x], mean, width=0.4, label="mean score (% of points)", color="#4a78b0")
    ax.bar([i + 0.2 for i in x], full, width=0.4, label="full marks (% of submissions)",
           color=STATUS_COLOURS["ok"])
    ax.set_xticks(list(x), questions)
    ax.set(ylim=(0, 100), ylabel="%", title="Score per question")
    _legend_below(ax, 2)
    _save(fig, folder / PLOTS[1])
    alt[PLOTS[1]] = "Per question, mean score and share of full marks: " + "; ".join(
        f"{q} mean {m:.0f} %, full marks {f:.0f} %" for q, m, f in zip(questions, mean, full)) + "."

    # 3. per question: how many submissions ended with each status
    fig, ax = plt.subplots(figsize=(5.6, 3.6))
    bottom = [0] * len(questions)
    table = {s: [sum(r["questions"].get(q, {}).get("status") == s for r in records) for q in questions]
             for s in statuses}
    shown = [s for s in statuses if any(table[s])]
    for s in shown:
        ax.bar(list(x), table[s], bottom=bottom, color=status_colour(s), label=s, width=0.6)
        bottom = [b + c for b, c in zip(bottom, table[s])]
    ax.set_xticks(list(x), questions)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(ylabel="submissions", title="Status per question", ylim=(0, max(1, len(records))))
    _legend_below(ax, len(shown))
    _save(fig, folder / PLOTS[2])
    alt[PLOTS[2]] = "Per question, submissions by status: " + "; ".join(
        f"{q}: " + ", ".join(f"{table[s][i]} {s}" for s in shown if table[s][i])
        for i, q in enumerate(questions)) + "."
    return alt


def _status_order(status: str) -> tuple[int, str]:
    order = list(STATUS_COLOURS)
    return (order.index(status) if status in order else len(order), status)


def _legend_below(ax: Any, entries: int) -> None:
    """The legend under the axes, outside the plotted area: it covers nothing."""
    if entries:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=min(entries, 4), fontsize=8, frameon=False)


def _save(fig: Any, path: Path) -> None:
    import matplotlib.pyplot as plt

    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _badge(status: str) -> str:
    return (f'<span class="status" data-status="{_esc(status)}" style="background:{status_colour(status)}">'
            f"{_esc(status)}</span>")


def _link(submission: str) -> str:
    return f'<a href="feedback/{quote(feedback_name(submission), safe="")}">{_esc(submission)}</a>'


def _table(header: list[str], rows: list[list[str]], *, cls: str = "", sort_values: list[list[str]] | None = None
           ) -> str:
    """An HTML table (cells are markup already); "none" instead of a table without rows."""
    if not rows:
        return '<p class="none">none</p>'
    head = "".join(f"<th>{_esc(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        keys = sort_values[i] if sort_values else [""] * len(row)
        body.append("<tr>" + "".join(f'<td data-sort="{_esc(k)}">{cell}</td>' if k else f"<td>{cell}</td>"
                                     for cell, k in zip(row, keys)) + "</tr>")
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _students(names: tuple[str, ...], *, shown: int = 8) -> str:
    """Links to the students' feedback; a long list folded after the first `shown`."""
    links = [_link(n) for n in names]
    if len(links) <= shown:
        return ", ".join(links)
    return (", ".join(links[:shown]) + f"<details><summary>and {len(links) - shown} more</summary>"
            + ", ".join(links[shown:]) + "</details>")


_SORT_SCRIPT = """
document.querySelectorAll("table.sortable th").forEach((th, col) => {
  th.title = "sort by this column"; th.addEventListener("click", () => {
    const body = th.closest("table").tBodies[0], up = th.dataset.dir !== "asc";
    th.closest("tr").querySelectorAll("th").forEach(h => delete h.dataset.dir);
    th.dataset.dir = up ? "asc" : "desc";
    const key = r => { const c = r.cells[col]; return c.dataset.sort ?? c.textContent.trim(); };
    const rows = [...body.rows].sort((a, b) => {
      const x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
      const d = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return up ? d : -d; });
    rows.forEach(r => body.appendChild(r)); }); });
"""

_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5em 2em;color:#222;max-width:110em}
h1{margin:.2em 0} h2{margin-top:1.6em;border-bottom:2px solid #ddd} h3{margin:.2em 0 .4em}
table{border-collapse:collapse;margin:.4em 0} td,th{border-bottom:1px solid #ddd;padding:.25em .6em;
text-align:left;vertical-align:top} th{background:#f3f3f3;white-space:nowrap}
section,.question{min-width:0;overflow-x:auto} section table,.question table{width:100%} table.sortable th{cursor:pointer}
th[data-dir=asc]::after{content:" ▲"} th[data-dir=desc]::after{content:" ▼"}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.status{color:#fff;border-radius:.3em;padding:0 .4em;white-space:nowrap;font-size:.9em}
.plots{display:grid;grid-template-columns:repeat(auto-fit,minmax(26em,1fr));gap:1em}
.plots img{width:100%;max-width:560px}
.questions{display:grid;grid-template-columns:repeat(auto-fit,minmax(38em,1fr));gap:1em 2em}
.question{border:1px solid #ddd;border-radius:.4em;padding:.6em 1em}
.none{color:#666;font-style:italic} .legend span{margin-right:.6em} .muted{color:#666}
"""


def write_html(records: list[dict[str, Any]], folder: Path) -> Path:
    """report.html and its PNG plots in `folder` (self-contained: no script or style from the net)."""
    alt = _plots(records, folder)
    questions = _questions(records)
    totals = sorted(r["score"] for r in records)
    statuses = Counter(row_status(r) for r in records)
    groups = failure_groups(records)
    look = [r for r in records if needs_a_look(r)]
    who = identity_columns(records)
    n = len(records)
    summary = (f"{n} submissions; median total {_points(statistics.median(totals)) if totals else '–'}"
               f" of {_points(max((r['max_score'] for r in records), default=0))}; "
               + ", ".join(f"{k} {_badge(s)}" for s, k in sorted(statuses.items(), key=lambda i: _status_order(i[0]))))

    needing = _table(["submission", "status", "total", "what happened"],
                     [[_link(r["submission"]), _badge(r["status"]), _points(r["score"]), _esc(_what_happened(r)[:300])]
                      for r in look])
    wrong = _table(["students", "question", "hint or failure", "who"],
                   [[str(len(g.students)), _esc(g.question), _group_text(g), _students(g.students)] for g in groups[:10]])

    rows, keys = [], []
    for r in records:
        identity = r.get("identity") or {}
        qs = r["questions"]
        not_passed = [q for q in questions if q in qs and qs[q]["status"] != "ok"]
        rows.append([_link(r["submission"]), *(_esc(identity.get(k, "")) for k in who),
                     *(_points(qs[q]["score"]) if q in qs else "" for q in questions),
                     f"{_points(r['score'])} / {_points(r['max_score'])}", _badge(row_status(r)),
                     _esc(", ".join(not_passed)) or '<span class="muted">–</span>'])
        keys.append(["", *("" for _ in who), *(_points(qs[q]["score"]) if q in qs else "-1" for q in questions),
                     _points(r["score"]), str(_status_order(row_status(r))[0]), " ".join(not_passed)])
    everyone = _table(["submission", *who, *questions, "total", "status", "not passed"], rows,
                      cls="sortable", sort_values=keys)

    sections = []
    for q in questions:
        scored = [r["questions"][q] for r in records if q in r["questions"]]
        top = max((s["max_score"] for s in scored), default=0)
        mean = statistics.fmean(s["score"] for s in scored) if scored else 0.0
        full = sum(s["status"] == "ok" for s in scored)
        mine = [g for g in groups if g.question == q]
        sections.append(
            f'<div class="question"><h3>{_esc(q)} <code>{_esc(_target(q))}</code></h3>'
            f"<p>mean {mean:.1f} / {_points(top)} ({100 * mean / (top or 1):.0f} %); full marks: {full} of "
            f"{len(scored)} ({100 * full / max(1, len(scored)):.0f} %)</p>"
            + _table(["students", "hint or failure", "who"],
                     [[str(len(g.students)), _group_text(g), _students(g.students)] for g in mine])
            + "</div>")
    legend = "".join(f"<span>{_badge(s)}</span>" for s in sorted(STATUS_COLOURS, key=_status_order))
    plots = "".join(f'<figure><img src="{name}" alt="{_esc(alt[name])}"></figure>' for name in PLOTS)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Class report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head><body>
<h1>Class report</h1><p>{summary}</p>
<section><h2>Needs a look ({len(look)})</h2>
<p class="muted">Timeouts, crashes, memory limits, forbidden libraries used, syntax errors, unreadable or refused
files: not a plain grade. Wrong answers and unimplemented functions are graded normally and are not listed.</p>
{needing}</section>
<section><h2>What the class got wrong most</h2>{wrong}</section>
<h2>Plots</h2><div class="plots">{plots}</div>
<h2>Every submission ({n})</h2>
<p class="muted">Click a column to sort; a name opens that student's feedback. Gradebook: <code>grades.csv</code>.
Statuses: <span class="legend">{legend}</span></p>
{everyone}
<h2>Per question</h2><div class="questions">{"".join(sections) or '<p class="none">none</p>'}</div>
<script>{_SORT_SCRIPT}</script>
</body></html>
"""
    path = folder / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


def _group_text(g: Group) -> str:
    if g.hint:
        return f"hint: {_esc(g.what)}"
    return _esc(g.what) + (' <span class="muted">(hidden cases only)</span>' if g.hidden_only else "")
