"""The grading core: one function grades one submission and returns per-question, per-case
results. `check`, `grade`, `gradescope` and the tests all call it.

Each question runs its otter test file with the submission's functions replaced by proxies into
the sandbox; q2 and q4 get the reference cell (rnn_cell_forward, rnn_cell_backward) as callbacks,
so a bug in one function costs points in that function's question only. Hidden cases are drawn
for each submission from its content (core/hidden.py); what the submission prints while they run
is kept apart (SubmissionResult.hidden_output), for the TA's record only.
"""
from __future__ import annotations

import dataclasses
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from autograder.config import DEFAULT_CONFIG, QUESTION_TARGETS, QUESTIONS, GraderConfig
from autograder.core.callbacks import guarded
from autograder.core.hidden import draw_hidden_cases
from autograder.core.results import CaseResult, QuestionResult, SubmissionResult, inert_text, worst_status
from autograder.core.submission import UnreadableSubmission, read_source
from autograder.questions import checks_module, test_file
from autograder.reference import bind_arguments, load_reference
from autograder.sandbox.session import Sandbox, StudentError, SubmissionProcess, default_hidden_paths

# The cell each sequence question calls, and the question that grades that cell: q2 runs with the
# reference rnn_cell_forward unless the submission's own passed q1 (then both agree and the
# sandbox saves a round trip per time step), q4 likewise with rnn_cell_backward and q3.
CALLBACKS = {"q2": ("rnn_cell_forward", "q1"), "q4": ("rnn_cell_backward", "q3")}
# The forward question each backward question differentiates.
FORWARD_OF = {"q3": "q1", "q4": "q2"}
# After one of these, the question's remaining cases would only fail the same way again.
REPEATING = ("timeout", "crashed", "memory")

_sandbox: Sandbox | None = None


def default_sandbox() -> Sandbox:
    """The sandbox (zygote) of this process, started on first use (it ends itself at exit)."""
    global _sandbox
    if _sandbox is None:
        _sandbox = Sandbox()
    return _sandbox


def _environment(question: str, process: SubmissionProcess, own_cells: frozenset[str]
                 ) -> dict[str, Callable[..., Any]]:
    """The question's function as a proxy; a sequence question calls the submission's own cell
    if that is in `own_cells` (its question passed), the reference cell otherwise."""
    name = QUESTION_TARGETS[question]
    cell = CALLBACKS.get(question, (None,))[0]
    callbacks = {cell: _reference_cell(cell)} if cell and cell not in own_cells else None
    return {name: process.function(name, callbacks)}


@lru_cache(maxsize=None)
def _reference_cell(cell: str) -> Callable[..., Any]:
    """The reference `cell` as the submission calls it back: any call form the real function
    accepts, bound to its parameters, and run only on the arguments a correct caller passes in
    one of the cases of the questions that call it back (see core/callbacks.py)."""
    function, cases = getattr(load_reference(), cell), checks_module()._fixtures()[0]
    # the sizes of every case (a hidden one's sizes are its class's, whatever its draw)
    dims = [(d["n_x"], d["n_a"], d["n_y"], d["m"]) for d in
            (cases[_case_id(tc)]["dims"] for q, (name, _) in CALLBACKS.items() if name == cell
             for tc in test_file(q).test_cases)]
    checked = guarded(cell, function, dims)

    def call(*args: Any, **kwargs: Any) -> Any:
        return checked(*bind_arguments(function, args, kwargs).values())
    return call


def _all_functions(process: SubmissionProcess, own_cells: frozenset[str]) -> dict[str, Callable[..., Any]]:
    """Every graded name as it is called when graded (for the diagnosis' gradient self-check)."""
    functions: dict[str, Callable[..., Any]] = {}
    for q in QUESTIONS:
        functions.update(_environment(q, process, own_cells))
    return functions


def _run_case(case: Any, env: dict[str, Any]) -> tuple[str, str]:
    try:
        case.body.call_func(env)
        return "ok", ""
    except StudentError as e:
        return e.status, str(e)
    except AssertionError as e:
        return "failed", str(e)
    except Exception as e:  # the submission's value broke the check itself (e.g. wrong type)
        return "failed", f"{type(e).__name__}: {e}"[:500]


class _HiddenOutput:
    """Splits what the submission prints into what it printed while hidden cases ran and the rest,
    by the positions in the process's captured output around each hidden round trip."""

    def __init__(self, process: SubmissionProcess) -> None:
        self.process, self.spans = process, []

    def _position(self) -> int:
        return len(self.process.output.kept)

    def prefetch(self, proxy: Callable[..., Any], question: str, cases: dict[str, Any]) -> None:
        start = self._position()
        try:
            proxy.prefetch(question, cases)
        finally:
            self.spans.append((start, self._position()))

    def split(self, output: str) -> tuple[str, str]:
        """(public output, hidden output) of the process's whole `output` text."""
        kept = bytes(self.process.output.kept)
        hidden = b"".join(kept[a:b] for a, b in self.spans)
        cut, start = bytearray(), 0
        for a, b in self.spans:
            cut += kept[start:a]
            start = b
        cut += kept[start:]
        note = output[len(kept.decode("utf-8", "replace")):]  # the sandbox's note of dropped bytes
        return cut.decode("utf-8", "replace") + note, hidden.decode("utf-8", "replace")


def grade_question(question: str, process: SubmissionProcess, *, public_only: bool = False,
                   forward_ok: bool | None = None, own_cells: frozenset[str] = frozenset(),
                   diagnose: bool = True, hidden_output: _HiddenOutput | None = None) -> QuestionResult:
    """Run the question's otter test cases against the submission in `process`; when it loses
    points, add the diagnosis (hints from the bug library, per-step errors, gradient self-check).
    `own_cells`: the cells (rnn_cell_forward, rnn_cell_backward) whose questions passed. The
    hidden cases must be drawn (rnn_checks.drawn_cases) unless `public_only`."""
    checks = checks_module()
    env = _environment(question, process, own_cells)
    cases: list[CaseResult] = []
    repeated: tuple[str, str] | None = None
    seen: dict[str, tuple] = {}
    checks.observer = lambda cid, inputs, outputs: seen.setdefault(cid, (inputs, outputs))
    test_cases = [tc for tc in test_file(question).test_cases if not (public_only and tc.hidden)]
    case_ids = [_case_id(tc) for tc in test_cases]
    loaded = {cid: checks.load_case(cid) for cid in case_ids}
    # a message from the worker is capped by what one of these cases can legitimately carry
    process.expect_answers(max((sum(a.nbytes for part in (inputs, expected) for a in part.values())
                                for _, inputs, expected in loaded.values()), default=0))
    # the public cases in one round trip, the hidden ones in another (what they print is kept
    # apart); the otter cases below then read the answers
    proxy = env[QUESTION_TARGETS[question]]
    for hidden in (False, True):
        batch = {cid: loaded[cid][1] for cid, tc in zip(case_ids, test_cases) if tc.hidden == hidden}
        if batch and hidden and hidden_output is not None:
            hidden_output.prefetch(proxy, question, batch)
        elif batch:
            proxy.prefetch(question, batch)
    try:
        for tc in test_cases:
            status, message = repeated or _run_case(tc, env)
            if status in REPEATING and repeated is None:
                repeated = (status, f"not run: an earlier case of {question} ended with {status}")
            cases.append(CaseResult(tc.name, tc.hidden, tc.points if status == "ok" else 0.0,
                                    tc.points, status, message))
    finally:
        checks.observer = None
    result = QuestionResult(
        name=question, score=sum(c.points for c in cases), max_score=sum(c.max_points for c in cases),
        status=worst_status([c.status for c in cases]), cases=cases)
    if diagnose and result.status == "failed":
        verdicts = {cid: case for cid, case in zip(case_ids, cases)}
        result.hints, result.diagnostics = _diagnose(question, process, seen, verdicts, forward_ok, own_cells)
    return result


def _diagnose(question: str, process: SubmissionProcess, seen: dict[str, tuple],
              verdicts: dict[str, CaseResult], forward_ok: bool | None, own_cells: frozenset[str]
              ) -> tuple[list[str], list[str]]:
    """`seen`: what the observer saw per case id; `verdicts`: the grader's result per case id.
    A case that raised is observed too, without outputs, so that its failure can be described."""
    from autograder.diagnosis import diagnose, observe

    checks = checks_module()
    observations = [dataclasses.replace(observe(cid, *seen.get(cid, (checks.load_case(cid)[1], None))),
                                        passed=case.status == "ok", title=case.name, status=case.status,
                                        message=case.message)
                    for cid, case in verdicts.items()]
    try:
        return diagnose(question, observations, _all_functions(process, own_cells), forward_ok=forward_ok,
                        source=process.source)
    except StudentError:
        return [], []


def _case_id(tc: Any) -> str:
    """The fixture id a generated test case runs, e.g. "q3/documented" (from its function's code)."""
    return next(c for c in tc.body.test_func.__code__.co_consts if isinstance(c, str) and "/" in c)


def unreadable_result(submission: str, status: str, message: str, *, public_only: bool = False
                      ) -> SubmissionResult:
    """The result of a submission that could not be graded at all: every case scores 0 with
    `status` and `message` (unreadable file, no file, or a grader error)."""
    questions = {}
    for q in QUESTIONS:
        cases = [CaseResult(tc.name, tc.hidden, 0.0, tc.points, status, message)
                 for tc in test_file(q).test_cases if not (public_only and tc.hidden)]
        questions[q] = QuestionResult(q, 0.0, sum(c.max_points for c in cases), status, cases)
    return SubmissionResult(submission, status, questions, message=message)


def grade_source(source: str, *, submission: str = "rnn", config: GraderConfig = DEFAULT_CONFIG,
                 public_only: bool = False, sandbox: Sandbox | None = None,
                 hidden: list[str] | tuple[str, ...] = ()) -> SubmissionResult:
    """Grade the Python `source` of one submission. `hidden`: more paths the worker must not see
    (the other submissions of a batch, the output directory)."""
    start = time.monotonic()
    process = SubmissionProcess(
        sandbox or default_sandbox(), source, config=config,
        hidden=sorted({*default_hidden_paths(), *config.hidden_paths, *map(str, hidden)}))
    split = _HiddenOutput(process)
    try:
        with checks_module().drawn_cases({} if public_only else draw_hidden_cases(source)):
            questions: dict[str, QuestionResult] = {}
            for q in QUESTIONS:
                forward = questions.get(FORWARD_OF.get(q, ""))
                # (public tests alone do not vouch for a cell)
                own_cells = frozenset() if public_only else frozenset(
                    cell for cell, graded_in in CALLBACKS.values()
                    if graded_in in questions and questions[graded_in].status == "ok")
                questions[q] = grade_question(
                    q, process, public_only=public_only, diagnose=config.diagnose,
                    forward_ok=None if forward is None else forward.status == "ok", own_cells=own_cells,
                    hidden_output=split)
    finally:
        output, printed_in_hidden = split.split(process.close())
    messages = list(process.warnings)
    if process.load_error is not None:
        messages.insert(0, str(process.load_error))
    return SubmissionResult(
        submission=submission, status=worst_status([q.status for q in questions.values()]),
        questions=questions, output=output, hidden_output=printed_in_hidden, message="\n".join(messages),
        execution_time=round(time.monotonic() - start, 3), isolation=process.sandbox.isolation)


def grade_submission(path: Path, *, config: GraderConfig = DEFAULT_CONFIG, public_only: bool = False,
                     sandbox: Sandbox | None = None, hidden: list[str] | tuple[str, ...] = (),
                     submission: str | None = None) -> SubmissionResult:
    """Grade one submission file (.py, or .ipynb whose code cells are extracted)."""
    path = Path(path)
    name = submission or path.stem
    try:
        source = read_source(path, max_bytes=config.max_submission_bytes(path))
    except UnreadableSubmission as e:
        return unreadable_result(name, e.status, str(e), public_only=public_only)
    result = grade_source(source.code, submission=name, config=config, public_only=public_only,
                          sandbox=sandbox, hidden=hidden)
    if source.notes:
        result.message = inert_text("\n".join([*source.notes, result.message]).strip())
    return result
