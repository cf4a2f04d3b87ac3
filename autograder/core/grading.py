"""The grading core: one function grades one submission and returns per-question, per-case
results. `check`, `grade`, `gradescope` and the tests all call it.

Data flows one way, per question of the registry (autograder/questions/): its cases run in the
sandbox (all in one request, by the question's driver) -> each case's outputs are compared with
its expectation (rnn_checks.compare, a pure function) -> a question that lost points is diagnosed
-> results. A question whose function calls a cell (q2 calls rnn_cell_forward) gets the reference
cell as a callback unless the question that grades that cell passed, so a bug in one function
costs points in that function's question only. Hidden cases are drawn for each submission from its
content (core/hidden.py); what the submission prints while they run is kept apart
(SubmissionResult.hidden_output), for the TA's record only.
"""
from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from autograder.config import DEFAULT_CONFIG, GraderConfig
from autograder.core.callbacks import guarded
from autograder.core.hidden import draw_hidden_cases
from autograder.core.results import CaseResult, QuestionResult, SubmissionResult, inert_text, worst_status
from autograder.core.submission import UnreadableSubmission, read_source
from autograder.questions import checks_module, registry
from autograder.questions.registry import Case, Question
from autograder.reference import bind_arguments, load_reference
from autograder.sandbox.errors import StudentError
from autograder.sandbox.program import Program
from autograder.sandbox.session import SubmissionProcess
from autograder.sandbox.zygote_client import Sandbox, default_hidden_paths

Drawn = dict[str, tuple[dict[str, Any], dict[str, Any]]]  # hidden case id -> (inputs, expected)
# After one of these, the question's remaining cases would only fail the same way again.
REPEATING = ("timeout", "crashed", "memory")

_sandbox: Sandbox | None = None


def default_sandbox() -> Sandbox:
    """The sandbox (zygote) of this process, started on first use (it ends itself at exit)."""
    global _sandbox
    if _sandbox is None:
        _sandbox = Sandbox()
    return _sandbox


def program() -> Program:
    """What the sandbox's workers run for the registered questions: their drivers, the modules
    their submissions import, and the submission's file name (one file for every family)."""
    families = registry.families()
    return Program(submission=families[0].submission,
                   preload=tuple(dict.fromkeys(m for f in families for m in f.preload)),
                   aliases={k: v for f in families for k, v in f.aliases.items()},
                   drivers={q.id: q.driver for q in registry.questions()})


def cases_of(question: Question, *, drawn: Drawn | None = None, public_only: bool = False) -> list[Case]:
    """The cases a question is graded on: its public ones and the hidden ones `drawn` for this
    submission (only the public ones for `check`)."""
    return [c for c in registry.resolve(question.cases)(question.id, drawn or {}) if not (public_only and c.hidden)]


def _callbacks(question: Question, own_cells: frozenset[str],
               calls: list[tuple[tuple[Any, ...], Any]] | None = None) -> dict[str, Callable[..., Any]] | None:
    """The reference cell a question's function calls, unless the submission's own is in
    `own_cells` (its question passed) and the question does not check its calls. `calls`: where
    each call's (arguments, result) is recorded."""
    cell = question.cell
    if not cell or (cell.name in own_cells and not question.calls):
        return None
    reference = _reference_cell(cell.name)
    if calls is None:
        return {cell.name: reference}

    def recorded(*args: Any, **kwargs: Any) -> Any:
        bound = tuple(bind_arguments(_reference_function(cell.name), args, kwargs).values())
        result = reference(*bound)
        calls.append((bound, result))
        return result
    return {cell.name: recorded}


def _proxy(question: Question, process: SubmissionProcess, own_cells: frozenset[str]) -> Callable[..., Any]:
    return process.function(question.target, _callbacks(question, own_cells), question.methods)


def _callers(cell: str) -> list[Question]:
    return [q for q in registry.questions() if q.cell and q.cell.name == cell]


@lru_cache(maxsize=None)
def _reference_function(cell: str) -> Callable[..., Any]:
    return getattr(load_reference(registry.family_of(_callers(cell)[0].id)), cell)


def _guard_inputs(case: Case) -> Mapping[str, Any]:
    """A case's inputs as a cell's guard reads them (their shapes): a public case's own, a hidden
    one's those of its class (fixtures.json), whatever the submission's draw."""
    if not case.hidden:
        return case.inputs
    shapes = checks_module().cases()[case.id]["input_shapes"]
    return {name: np.broadcast_to(0.0, shape) for name, shape in shapes.items()}  # (no memory)


@lru_cache(maxsize=None)
def _reference_cell(cell: str) -> Callable[..., Any]:
    """The reference `cell` as the submission calls it back: any call form the real function
    accepts, bound to its parameters, and run only on the arguments a correct caller passes in
    one of the cases of the questions that call it back (the cell's guard, core/callbacks.py)."""
    callers = _callers(cell)
    function = _reference_function(cell)
    checked = guarded(cell, function, registry.resolve(callers[0].cell.guard),
                      [_guard_inputs(case) for q in callers for case in cases_of(q)])

    def call(*args: Any, **kwargs: Any) -> Any:
        return checked(*bind_arguments(function, args, kwargs).values())
    return call


def _all_functions(process: SubmissionProcess, own_cells: frozenset[str]) -> dict[str, Callable[..., Any]]:
    """Every graded name as it is called when graded (for the diagnosis' gradient self-check)."""
    return {q.target: _proxy(q, process, own_cells) for q in registry.questions()}


def _tolerances(case: Case) -> dict[str, Any]:
    """The tolerance of each output of a case (a public case's: once per process)."""
    return _tolerances_of(case.expected) if case.hidden else _public_tolerances(case)


@lru_cache(maxsize=None)
def _public_tolerances(case: Case) -> dict[str, Any]:
    return _tolerances_of(case.expected)


def _tolerances_of(expected: Any) -> dict[str, Any]:
    return {k: checks_module().tolerance_of(v) for k, v in expected.items()}


def verdict(case: Case, outcome: Any) -> tuple[str, str]:
    """(status, message) of one case from its outcome: the driver's outputs, or the StudentError
    it ended with. Pure: compares the outputs with the case's expectation."""
    if isinstance(outcome, StudentError):
        return outcome.status, str(outcome)
    try:
        checks_module().compare(case.question, case.title, outcome, case.expected, hidden=case.hidden,
                                tolerances=_tolerances(case))
        return "ok", ""
    except AssertionError as e:
        return "failed", str(e)
    except Exception as e:  # the submission's value broke the comparison itself (e.g. wrong type)
        return "failed", f"{type(e).__name__}: {e}"[:500]


class _HiddenOutput:
    """Splits what the submission prints into what it printed while hidden cases ran and the rest,
    by the positions in the process's captured output around each hidden round trip."""

    def __init__(self, process: SubmissionProcess) -> None:
        self.process, self.spans = process, []

    def _position(self) -> int:
        return len(self.process.output.kept)

    def run(self, run: Callable[[], list[Any]]) -> list[Any]:
        start = self._position()
        try:
            return run()
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


def _run_checking_calls(question: Question, process: SubmissionProcess, case: Case) -> tuple[Any, str]:
    """One case of a question that must compute through its cell, in a request of its own so
    that the calls it makes to the reference cell are this case's: (its outcome, what is wrong
    with the calls or "") (registry: `calls`)."""
    calls: list[tuple[tuple[Any, ...], Any]] = []
    outcome = process.run_cases(question.id, question.target, {case.id: case.inputs},
                                _callbacks(question, frozenset(), calls))[0]
    if isinstance(outcome, StudentError):
        return outcome, ""
    problems = registry.resolve(question.calls)(case.inputs, calls)
    return outcome, f"{question.id} ({case.title}): {problems[0]}" if problems else ""


def grade_question(question: str, process: SubmissionProcess, *, public_only: bool = False,
                   forward_ok: bool | None = None, own_cells: frozenset[str] = frozenset(),
                   diagnose: bool = True, drawn: Drawn | None = None,
                   hidden_output: _HiddenOutput | None = None) -> QuestionResult:
    """Run the question's cases against the submission in `process`, compare, and when it loses
    points add the diagnosis (hints from the bug library, per-step errors, gradient self-check).
    `own_cells`: the cells (e.g. rnn_cell_forward) whose questions passed; `drawn`: this
    submission's hidden cases (core/hidden.py), needed unless `public_only`."""
    q = registry.question(question)
    every = cases_of(q, drawn=drawn)
    cases = [c for c in every if not (public_only and c.hidden)]
    share = q.points / len(every)  # otter's: the question's points split evenly over its cases
    # a message from the worker is capped by what one of these cases can legitimately carry
    process.expect_answers(max((sum(a.nbytes for part in (c.inputs, c.expected) for a in part.values())
                                for c in cases), default=0))
    callbacks = _callbacks(q, own_cells)

    def run(batch: list[Case]) -> list[tuple[Any, str]]:
        """(outcome, what is wrong with its calls to the cell) of each case of `batch`: in one
        request, or one request per case for a question that checks those calls."""
        if q.calls and q.cell:
            return [_run_checking_calls(q, process, c) for c in batch]
        return [(outcome, "") for outcome in
                process.run_cases(q.id, q.target, {c.id: c.inputs for c in batch}, callbacks)]

    # the public cases in one round trip, the hidden ones in another (what they print is kept apart)
    outcome_of: dict[str, tuple[Any, str]] = {}
    for hidden in (False, True):
        batch = [c for c in cases if c.hidden == hidden]
        if batch:
            got = hidden_output.run(lambda: run(batch)) if hidden and hidden_output is not None else run(batch)
            outcome_of.update(zip((c.id for c in batch), got))
    outcomes, call_problems = [outcome_of[c.id][0] for c in cases], [outcome_of[c.id][1] for c in cases]
    results: list[CaseResult] = []
    repeated: tuple[str, str] | None = None
    for case, outcome, problem in zip(cases, outcomes, call_problems):
        status, message = repeated or verdict(case, outcome)
        if problem and status == "ok":  # right numbers, not computed through the cell
            status, message = "failed", problem
        if status in REPEATING and repeated is None:
            repeated = (status, f"not run: an earlier case of {question} ended with {status}")
        results.append(CaseResult(case.name, case.hidden, share if status == "ok" else 0.0, share, status, message))
    result = QuestionResult(
        name=question, score=sum(c.points for c in results), max_score=sum(c.max_points for c in results),
        status=worst_status([c.status for c in results]), cases=results)
    if diagnose and result.status == "failed":
        result.hints, result.diagnostics = _diagnose(q, process, cases, outcomes, results, forward_ok, own_cells)
    return result


def _diagnose(question: Question, process: SubmissionProcess, cases: list[Case], outcomes: list[Any],
              results: list[CaseResult], forward_ok: bool | None, own_cells: frozenset[str]
              ) -> tuple[list[str], list[str]]:
    """A case that raised is diagnosed too, without outputs, so that its failure can be described."""
    from autograder.diagnosis import Observation, diagnose

    observations = [Observation(case.id, case.hidden, case.inputs,
                                None if isinstance(outcome, StudentError) else outcome, case.expected,
                                passed=result.status == "ok", title=result.name, status=result.status,
                                message=result.message)
                    for case, outcome, result in zip(cases, outcomes, results)]
    try:
        return diagnose(question.id, observations, _all_functions(process, own_cells), forward_ok=forward_ok,
                        source=process.source)
    except StudentError:
        return [], []


def unreadable_result(submission: str, status: str, message: str, *, public_only: bool = False
                      ) -> SubmissionResult:
    """The result of a submission that could not be graded at all: every case scores 0 with
    `status` and `message` (unreadable file, no file, or a grader error)."""
    questions = {}
    for q in registry.questions():
        every = cases_of(q)  # the hidden ones undrawn: their names and points only
        cases = [CaseResult(c.name, c.hidden, 0.0, q.points / len(every), status, message)
                 for c in every if not (public_only and c.hidden)]
        questions[q.id] = QuestionResult(q.id, 0.0, sum(c.max_points for c in cases), status, cases)
    return SubmissionResult(submission, status, questions, message=message)


def grade_source(source: str, *, submission: str = "rnn", config: GraderConfig = DEFAULT_CONFIG,
                 public_only: bool = False, sandbox: Sandbox | None = None,
                 hidden: list[str] | tuple[str, ...] = ()) -> SubmissionResult:
    """Grade the Python `source` of one submission. `hidden`: more paths the worker must not see
    (the other submissions of a batch, the output directory)."""
    start = time.monotonic()
    process = SubmissionProcess(
        sandbox or default_sandbox(), source, config=config, program=program(),
        hidden=sorted({*default_hidden_paths(), *config.hidden_paths, *map(str, hidden)}))
    cells = [q.cell for q in registry.questions() if q.cell]
    split = _HiddenOutput(process)
    drawn = {} if public_only else draw_hidden_cases(source)
    try:
        # the diagnosis reads the hidden cases by id too (rnn_checks.load_case)
        with checks_module().drawn_cases(drawn):
            questions: dict[str, QuestionResult] = {}
            for q in registry.questions():
                forward = questions.get(q.forward or "")
                # a cell whose question passed (in `check`: its public cases) runs in the worker
                # itself, as the student's own check runs it: the reference over the wire would
                # copy the arrays and hide a loop's aliasing of its step caches
                own_cells = frozenset(
                    cell.name for cell in cells if cell.question in questions and questions[cell.question].status == "ok")
                questions[q.id] = grade_question(
                    q.id, process, public_only=public_only, diagnose=config.diagnose, drawn=drawn,
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
