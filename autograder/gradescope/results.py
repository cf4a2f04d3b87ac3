"""A SubmissionResult as Gradescope's results.json
(https://gradescope-autograders.readthedocs.io/en/latest/specs/), and its atomic write.

Per question two tests, as otter-grader does: the public cases (always visible, with messages and
hints) and the hidden cases (visibility set by the instructor; only each case's name and whether
it passed — never a message, which could carry an expected value).
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from autograder.questions import registry
from autograder.core.markup import plain_block
from autograder.core.results import OUTPUT_CAP, CaseResult, QuestionResult, SubmissionResult, inert_text
from autograder.diagnosis import HIDDEN_FAILURES

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
WHEN_SHOWN = {"after_published": "when grades are published", "after_due_date": "after the due date",
              "hidden": "never (their points still count)"}
GRADER_ERROR = "Autograder error, contact course staff: your submission was not graded (score 0)."

# How a case's status reads to a student.
STATUS_WORDS = {
    "ok": "passed",
    "failed": "wrong result or an exception",
    "timeout": "time limit exceeded",
    "memory": "memory limit exceeded",
    "crashed": "the process running your code died",
    "forbidden": "uses a forbidden library",
    "not_implemented": "not implemented",
    "syntax_error": "the file could not be loaded",
    "unreadable": "the file could not be read",
    "refused": "the file was refused (a link, or too large)",
}


def _public_output(question: QuestionResult, cases: list[CaseResult]) -> str:
    lines = [f"✗ {c.name}: {STATUS_WORDS.get(c.status, c.status)}\n{plain_block(c.message)}"
             for c in cases if not c.passed]
    lines += [f"hint: {hint}" for hint in question.hints]
    lines += [d for d in question.diagnostics if not d.startswith(HIDDEN_FAILURES)]
    return "\n".join(lines) or f"All {len(cases)} public test(s) passed."


def _hidden_output(question: QuestionResult, cases: list[CaseResult]) -> str:
    """Each hidden case passed or failed, and what failed (described, never shown): this test's
    visibility is the instructor's, so what the hidden cases did is shown only with it."""
    lines = [f"{'✓' if c.passed else '✗'} {c.name}: {STATUS_WORDS.get(c.status, c.status)}" for c in cases]
    return "\n".join(lines + [d for d in question.diagnostics if d.startswith(HIDDEN_FAILURES)])


def _test(*, number: str, name: str, cases: list[CaseResult], output: str, visibility: str,
          tags: list[str]) -> dict[str, Any]:
    return {
        "number": number, "name": name, "tags": tags, "visibility": visibility,
        "score": sum(c.points for c in cases), "max_score": sum(c.max_points for c in cases),
        "status": "passed" if all(c.passed for c in cases) else "failed",
        "output": output, "output_format": "text",
    }


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + f"\n… [{len(text) - limit} more characters not shown]"


def to_gradescope(result: SubmissionResult, *, hidden_visibility: str = "after_published",
                  filename: str = "") -> dict[str, Any]:
    """results.json for `result`: a public and a hidden test per question, and a summary."""
    tests = []
    for number, question in enumerate(result.questions.values(), start=1):
        title = f"{question.name} {registry.question(question.name).target}".strip()
        public = [c for c in question.cases if not c.hidden]
        hidden = [c for c in question.cases if c.hidden]
        if public:
            tests.append(_test(number=f"{number}.1", name=f"{title}: public tests", cases=public,
                               output=_public_output(question, public), visibility="visible",
                               tags=[question.name, "public"]))
        if hidden:
            tests.append(_test(number=f"{number}.2", name=f"{title}: hidden tests", cases=hidden,
                               output=_hidden_output(question, hidden), visibility=hidden_visibility,
                               tags=[question.name, "hidden"]))
    cases = [c for q in result.questions.values() for c in q.cases]
    n_hidden = sum(c.hidden for c in cases)
    summary = [f"Graded {inert_text(filename, 200) or result.submission}: ran {len(cases) - n_hidden} public and "
               f"{n_hidden} hidden test cases."]
    if hidden_visibility in WHEN_SHOWN:
        summary.append(f"Hidden test results are shown {WHEN_SHOWN[hidden_visibility]}.")
    if result.message:
        summary.append("Note:\n" + plain_block(result.message))
    if result.output.strip():  # indented: nothing printed can pass for one of the lines above
        summary.append("Your code printed:\n" + plain_block(_cap(result.output, OUTPUT_CAP)))
    return {
        "score": result.score,
        "execution_time": result.execution_time,
        "output": "\n".join(summary),
        "output_format": "text",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"submission": inert_text(filename, 200), "status": result.status, "isolation": result.isolation,
                       "questions": {q.name: q.status for q in result.questions.values()}},
    }


def error_results(message: str = GRADER_ERROR, *, execution_time: float = 0.0) -> dict[str, Any]:
    """What a student gets when the grader itself failed: score 0 and whom to ask."""
    return {"score": 0.0, "execution_time": execution_time, "output": message,
            "output_format": "text", "stdout_visibility": "hidden", "tests": [],
            "extra_data": {"status": "grader_error"}}


def write_results(data: dict[str, Any], path: Path) -> None:
    """Write `path` atomically (temporary file + rename), so it is either whole or absent, and
    replaces whatever was there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".results-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, ensure_ascii=False, allow_nan=False)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
