"""The release's command-line check, for students. Run it from inside the unpacked release:

    python check.py rnn.py             # every question's public cases: messages and hints
    python check.py rnn.py -q q3       # one question
    python check.py rnn_bptt.ipynb     # the notebook's code cells
    python check.py rnn.py --json      # {"q1": {"score": s, "max_score": m}, ...}

It needs numpy and otter-grader only (pip install numpy otter-grader). It runs the same public
tests as the notebook's grader.check cells and as the grader, each question on its own: where your
rnn_forward calls your rnn_cell_forward (rnn_backward, gradient_norms, lstm_forward, lstm_backward,
rtrl_gradients their cells), a stand-in answers with the reference cell's recorded outputs, so a
bug in one function costs that function's question only. Your code runs in this process: it is
your own. Hidden tests run when you submit.
"""
from __future__ import annotations

import __future__
import argparse
import ast
import contextlib
import importlib.util
import inspect
import io
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
TESTS = HERE / "tests"
SUPPORT = TESTS / "support"
MAX_SOURCE_BYTES = 25 * 2**20
FUTURE_FLAGS = sum(getattr(__future__, name).compiler_flag for name in __future__.all_feature_names)


def _module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _points() -> dict[str, float]:
    """Each public case's points, by its test's name (the grader's split of a question's points)."""
    meta = json.loads((SUPPORT / "fixtures.json").read_text(encoding="utf-8"))
    return {f"{c['question']} public: {c['title']}": c["points"] for c in meta["cases"] if not c["hidden"]}


def _load(path: Path, printed: io.StringIO) -> tuple[dict[str, Any], str]:
    """The namespace of the submission's code, and a one-line error if it could not be read or run
    to the end (what it defined before the error still counts, as in the grader)."""
    reader = _module(SUPPORT / "submission.py", "rnn_release_submission")
    try:
        source = reader.read_source(path, max_bytes=MAX_SOURCE_BYTES)
    except reader.UnreadableSubmission as e:
        return {}, str(e)
    namespace: dict[str, Any] = {"__name__": "submission", "__file__": str(path)}
    sys.path[:0] = [str(HERE)]  # rnn_utils.py, as in the notebook
    try:
        flags = compile(source.code, str(path), "exec").co_flags & FUTURE_FLAGS
        body = ast.parse(source.code, str(path)).body
    except (SyntaxError, ValueError) as e:
        return namespace, f"your file has a syntax error at line {getattr(e, 'lineno', '?')}: {getattr(e, 'msg', e)}"
    raised = []
    # as the grader (and a notebook, whose later cells still run): a top-level statement that
    # raised does not stop the ones after it; SystemExit and KeyboardInterrupt do
    for statement in body:
        try:
            code = compile(ast.Module([statement], []), str(path), "exec", flags=flags, dont_inherit=True)
            with contextlib.redirect_stdout(printed):
                exec(code, namespace)
        except Exception as e:  # noqa: BLE001 - the student's code may raise anything at import
            raised.append(f"{type(e).__name__}: {e}")
        except BaseException as e:  # noqa: BLE001
            raised.append(f"{type(e).__name__}: {e}")
            break
    more = f" (and {len(raised) - 1} more top-level statements raised)" if len(raised) > 1 else ""
    return namespace, f"running your file raised {raised[0]}{more}" if raised else ""


def check(path: Path, questions: list[str]) -> tuple[dict[str, dict[str, Any]], str, str]:
    """({question: {"score", "max_score", "cases": [(name, passed, message)]}}, load error, printed)."""
    from otter.test_files.exception_test import ExceptionTestFile

    points, printed = _points(), io.StringIO()
    namespace, error = _load(path, printed)
    results = {}
    for q in questions:
        test_file = ExceptionTestFile.from_file(str(TESTS / f"{q}.py"))
        cases = []
        for tc in test_file.test_cases:
            target = next(iter(inspect.signature(tc.body.test_func).parameters))
            if target not in namespace:
                cases.append((tc.name, False, f"{target} is not defined in your file"))
                continue
            try:
                with contextlib.redirect_stdout(printed):
                    tc.body.call_func(namespace)
                cases.append((tc.name, True, ""))
            except AssertionError as e:
                cases.append((tc.name, False, str(e)))
            except Exception as e:  # noqa: BLE001 - the student's code raised
                cases.append((tc.name, False, f"{type(e).__name__}: {e}"))
        results[q] = {"score": float(sum(points[n] for n, ok, _ in cases if ok)),
                      "max_score": float(sum(points[n] for n, _, _ in cases)), "cases": cases}
    return results, error, printed.getvalue()


def report(results: dict[str, dict[str, Any]], error: str, printed: str) -> str:
    lines = [f"note: {error}"] if error else []
    for q, r in results.items():
        passed = all(ok for _, ok, _ in r["cases"])
        lines.append(f"{q}: {'passed' if passed else 'FAILED'}  {r['score']:g}/{r['max_score']:g} public points")
        for name, ok, message in r["cases"]:
            if not ok:
                title = name.split(": ", 1)[-1]
                lines.append(f"    ✗ {title}\n" + "\n".join("      " + m for m in message.splitlines()))
    if printed.strip():
        lines.append("your code printed:\n" + "\n".join("    " + line for line in printed.splitlines()[:40]))
    failed = [q for q, r in results.items() if not all(ok for _, ok, _ in r["cases"])]
    lines.append((f"failed: {', '.join(failed)}" if failed else "every public test passed")
                 + "; hidden tests run when you submit")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    questions = sorted(p.stem for p in TESTS.glob("q*.py"))
    parser = argparse.ArgumentParser(prog="check.py", description="Run the public tests on your rnn.py or notebook.")
    parser.add_argument("path", type=Path, help="rnn.py or rnn_bptt.ipynb")
    parser.add_argument("-q", "--question", action="append", choices=questions, help="only this question (repeatable)")
    parser.add_argument("--json", action="store_true", help='print {"q1": {"score": s, "max_score": m}, …}')
    args = parser.parse_args(argv)
    if not args.path.is_file() or args.path.suffix.lower() not in (".py", ".ipynb"):
        parser.exit(2, f"check.py: error: {args.path} is not a .py or .ipynb file (give your rnn.py or rnn_bptt.ipynb)\n")
    results, error, printed = check(args.path, args.question or questions)
    if args.json:
        print(json.dumps({q: {"score": r["score"], "max_score": r["max_score"]} for q, r in results.items()}))
    else:
        print(report(results, error, printed))
    return 0 if all(ok for r in results.values() for _, ok, _ in r["cases"]) else 1


if __name__ == "__main__":
    sys.exit(main())
