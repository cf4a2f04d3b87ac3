"""Everything a batch writes besides results.jsonl, rebuilt from it: grades.csv, per-student
feedback, and report.html with its plots (what a TA reviews before releasing grades)."""
from __future__ import annotations

import csv
import html
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from autograder.config import QUESTIONS
from autograder.core.markup import csv_cell, md_code, md_text

IDENTITY = ("name", "email", "sid")
PLOTS = ("scores.png", "questions.png", "statuses.png")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?", re.IGNORECASE)


def _points(value: float) -> str:
    return f"{value:g}"


def identity_columns(records: list[dict[str, Any]]) -> list[str]:
    known = {key for r in records for key, value in (r.get("identity") or {}).items() if value}
    return [key for key in IDENTITY if key in known]


def write_csv(records: list[dict[str, Any]], path: Path) -> None:
    """grades.csv: one row per submission; points per question, total, worst status."""
    who = identity_columns(records)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["submission", *who, *QUESTIONS, "total", "max_total", "status"])
        for r in records:
            qs = r["questions"]
            writer.writerow([csv_cell(r["submission"]), *(csv_cell((r.get("identity") or {}).get(k, "")) for k in who),
                             *(_points(qs[q]["score"]) if q in qs else "" for q in QUESTIONS),
                             _points(r["score"]), _points(r["max_score"]), csv_cell(r["status"])])


def feedback(record: dict[str, Any]) -> str:
    """What the student sees (Markdown): per question the score, the public cases that failed with
    their messages, how many hidden cases failed (never their inputs or values), the hints and
    the diagnosis (per-step relative errors, gradient self-check: no expected values)."""
    lines = [f"# Feedback for {md_text(record['submission'])}", "",
             f"**Total: {_points(record['score'])} / {_points(record['max_score'])}**", ""]
    if record.get("message"):  # student text (what an import raised) goes in code blocks only
        lines += [*md_code(record["message"]), ""]
    for q in record["questions"].values():
        lines.append(f"## {q['name']}: {_points(q['score'])} / {_points(q['max_score'])}"
                     + ("" if q["status"] == "ok" else f" ({q['status']})"))
        lines.append("")
        public = [c for c in q["cases"] if not c["hidden"] and c["status"] != "ok"]
        hidden = [c for c in q["cases"] if c["hidden"]]
        hidden_failed = Counter(c["status"] for c in hidden if c["status"] != "ok")
        for c in public:
            lines += [f"- ✗ {c['name']} ({c['status']})", "", *md_code(c["message"], indent="  ", max_lines=20)]
        if hidden_failed:
            kinds = ", ".join(f"{n} {status}" for status, n in sorted(hidden_failed.items()))
            lines.append(f"- {sum(hidden_failed.values())} of {len(hidden)} hidden cases did not pass ({kinds})")
        elif hidden and q["status"] == "ok":
            lines.append(f"- all {len(hidden)} hidden cases passed")
        lines += [f"- hint: {hint}" for hint in q.get("hints", [])]
        for diagnostic in q.get("diagnostics", []):  # per-step tables are Markdown already
            lines += ["", *diagnostic.splitlines()]
        lines.append("")
    if record.get("output", "").strip():
        lines += ["## What your code printed", "", *md_code(record["output"], max_lines=60), ""]
    return "\n".join(lines)


def write_feedback(records: list[dict[str, Any]], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for r in records:
        (folder / feedback_name(r["submission"])).write_text(feedback(r), encoding="utf-8")


def feedback_name(submission: str) -> str:
    """The feedback file of a row, one file name inside feedback/ whatever the row's name."""
    return submission.replace("/", "_").replace("\\", "_") + ".md"


def frequent_failures(records: list[dict[str, Any]], *, top: int = 15) -> list[tuple[int, str, str]]:
    """(submissions, question, message) for the most common failure messages and hints; numbers
    are masked so the same mistake with different values counts once. The order does not depend
    on the order of `records`."""
    counts: Counter[tuple[str, str]] = Counter()
    for r in records:
        seen = set()
        for q in r["questions"].values():
            for c in q["cases"]:
                if c["status"] != "ok" and c["message"]:
                    seen.add((q["name"], _NUMBER.sub("#", c["message"].splitlines()[0])[:200]))
            seen.update((q["name"], "hint: " + h) for h in q.get("hints", []))
        counts.update(seen)
    # Ties: hints first (they name the mistake), then by question and message, the same every run.
    ranked = sorted(counts.items(), key=lambda item: (-item[1], not item[0][1].startswith("hint: "), item[0]))
    return [(n, q, message) for (q, message), n in ranked[:top]]


def _plots(records: list[dict[str, Any]], folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    totals = [r["score"] for r in records]
    max_total = max((r["max_score"] for r in records), default=100) or 100
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(totals, bins=20, range=(0, max_total), color="#4a78b0", edgecolor="white")
    ax.set(xlabel="total points", ylabel="submissions", title="Score distribution")
    fig.tight_layout()
    fig.savefig(folder / PLOTS[0], dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 3.5))
    x = range(len(QUESTIONS))
    mean = [100 * sum(r["questions"][q]["score"] / (r["questions"][q]["max_score"] or 1) for r in records)
            / max(1, len(records)) for q in QUESTIONS]
    passed = [100 * sum(r["questions"][q]["status"] == "ok" for r in records) / max(1, len(records))
              for q in QUESTIONS]
    ax.bar([i - 0.2 for i in x], mean, width=0.4, label="mean score (% of points)", color="#4a78b0")
    ax.bar([i + 0.2 for i in x], passed, width=0.4, label="full marks (% of submissions)", color="#7fb069")
    ax.set_xticks(list(x), QUESTIONS)
    ax.set(ylim=(0, 105), ylabel="%", title="Per question")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(folder / PLOTS[1], dpi=100)
    plt.close(fig)

    statuses = Counter(q["status"] for r in records for q in r["questions"].values())
    fig, ax = plt.subplots(figsize=(6, 3.5))
    names = sorted(statuses, key=lambda s: -statuses[s])
    ax.barh(names, [statuses[s] for s in names], color="#c0504d")
    ax.set(xlabel="questions (all submissions)", title="Question statuses")
    fig.tight_layout()
    fig.savefig(folder / PLOTS[2], dpi=100)
    plt.close(fig)


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def write_html(records: list[dict[str, Any]], folder: Path) -> Path:
    """report.html and its PNG plots in `folder`."""
    _plots(records, folder)
    totals = sorted(r["score"] for r in records)
    statuses = Counter(r["status"] for r in records)
    attention = [r for r in records if r["status"] not in ("ok", "failed", "not_implemented")]
    summary = (f"{len(records)} submissions; median total {_points(totals[len(totals) // 2]) if totals else '–'}; "
               + ", ".join(f"{n} {s}" for s, n in statuses.most_common()))
    failures = _table(["submissions", "question", "message / hint"],
                      [[str(n), q, html.escape(m)] for n, q, m in frequent_failures(records)])
    needing = _table(["submission", "status", "total", "message"],
                     [[f'<a href="feedback/{html.escape(quote(feedback_name(r["submission"])))}">{html.escape(r["submission"])}</a>',
                       r["status"], _points(r["score"]), html.escape((r.get("message") or "")[:200])]
                      for r in attention])
    page = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Class report</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}} td,th{{border-bottom:1px solid #ddd;
padding:.2em .6em;text-align:left;vertical-align:top}} table{{border-collapse:collapse}}</style></head><body>
<h1>Class report</h1><p>{html.escape(summary)}</p>
{"".join(f'<img src="{name}" alt="{name}">' for name in PLOTS)}
<h2>Most frequent failures and hints</h2>{failures}
<h2>Needs a look (timeouts, crashes, forbidden use, unreadable or refused files)</h2>{needing}
<p>Per-student feedback: <code>feedback/</code>; gradebook: <code>grades.csv</code>.</p>
</body></html>
"""
    path = folder / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
