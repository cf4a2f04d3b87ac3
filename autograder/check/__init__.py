"""`rnn-grader check`: a student runs the public cases on their own file."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from autograder.questions import registry
from autograder.core.grading import grade_submission
from autograder.core.results import SubmissionResult
from autograder.errors import UsageError
from autograder.grade.report import case_title, nothing_graded, one_reason


def check(path: Path, *, questions: tuple[str, ...] | None = None) -> SubmissionResult:
    """Grade `path` on the public cases only (all questions are run; `questions` selects the report)."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path} is not a file (give your rnn.py or rnn_bptt.ipynb)")
    if path.suffix.lower() not in (".py", ".ipynb"):
        raise UsageError(f"{path.name} is not a .py or .ipynb file (give your rnn.py or rnn_bptt.ipynb)")
    questions = registry.ids() if questions is None else questions
    unknown = sorted(set(questions) - set(registry.ids()))
    if unknown:
        raise UsageError(f"unknown question {', '.join(unknown)} (choose from {', '.join(registry.ids())})")
    result = grade_submission(path, public_only=True)
    result.questions = {q: r for q, r in result.questions.items() if q in questions}
    return result


def format_report(result: SubmissionResult) -> str:
    """What the student sees: per question passed/failed with messages, then a one-line summary."""
    lines = []
    data = result.to_json()
    if nothing_graded(data):  # one message, not one per question
        return (f"{next(iter(result.questions.values())).cases[0].message}\n"
                f"no question could be graded ({result.status.replace('_', ' ')}); fix this and run check again")
    if result.message:
        lines.append(f"note: {result.message}")
    for q in result.questions.values():
        mark = "passed" if q.status == "ok" else "FAILED" + ("" if q.status == "failed" else f" ({q.status})")
        lines.append(f"{q.name}: {mark}  {q.score:g}/{q.max_score:g} public points")
        reason = one_reason(data["questions"][q.name])
        if reason:
            lines.append(f"    ✗ every public case: {reason[1]}")
        for case in [] if reason else q.cases:
            if case.status != "ok":
                lines.append(f"    ✗ {case_title(case.name)}\n      {case.message}")
        lines += [f"    hint: {hint}" for hint in q.hints]
        lines += ["    " + line for d in q.diagnostics for line in d.splitlines()]
    if result.output.strip():
        lines.append("your code printed:\n" + "\n".join("    " + l for l in result.output.splitlines()[:40]))
    passed = [q.name for q in result.questions.values() if q.status == "ok"]
    failed = [q.name for q in result.questions.values() if q.status != "ok"]
    summary = (f"{_span(passed)} public tests passed" if passed else "no question passed its public tests")
    if failed:
        summary += f"; {_span(failed)} failed"
    lines.append(summary + "; hidden tests run when you submit")
    return "\n".join(lines)


def _span(names: list[str]) -> str:
    """q1, q2, q3, q4 -> "q1–q4" when consecutive, else a comma list."""
    numbers = [int(n[1:]) for n in names]
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"q{numbers[0]}–q{numbers[-1]}"
    return ", ".join(names)


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("check", help="run the public tests on your rnn.py or notebook")
    p.add_argument("path", type=Path, help="rnn.py or rnn_bptt.ipynb")
    p.add_argument("-q", "--question", action="append", choices=registry.ids(), help="only this question (repeatable)")
    p.add_argument("--json", action="store_true", help='print {"q1": {"score": s, "max_score": m}, …}')
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    result = check(args.path, questions=tuple(args.question) if args.question else None)
    if args.json:
        print(json.dumps({q.name: {"score": q.score, "max_score": q.max_score}
                          for q in result.questions.values()}))
    else:
        print(format_report(result))
    return 0 if all(q.status == "ok" for q in result.questions.values()) else 1
