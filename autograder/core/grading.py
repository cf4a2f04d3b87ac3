"""The grading core: one function grades one submission and returns per-question, per-case
results. `check`, `grade`, `gradescope` and the tests all call it.

Data flows one way, per question of the registry (autograder/questions/): its cases run in the
sandbox (all in one request, by the question's driver) -> each case's outputs are compared with
its expectation (rnn_checks.compare, a pure function) -> a question that lost points is diagnosed
-> results. A question whose function calls a cell (q2 calls rnn_cell_forward) gets the reference
cell as a callback unless the question that grades that cell passed, so a bug in one function
costs points in that function's question only. Hidden cases are drawn for each submission from its
content (core/hidden.py) and run in a worker of their own, after every public case: nothing they
give the submission can come back in a public case's message or output. What the submission
prints while they run is kept apart (SubmissionResult.hidden_output), for the TA's record only.
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
from autograder.sandbox.output import Output
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


def cases_of(question: Question, *, drawn: Drawn | None = None) -> list[Case]:
    """The cases a question is graded on: its public ones and the hidden ones `drawn` for this
    submission (undrawn, the hidden ones have their names and points only)."""
    return registry.resolve(question.cases)(question.id, drawn or {})


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
        if isinstance(outcome, WrongCalls):  # right numbers, not computed through the cell
            return "failed", outcome.problem
        return "ok", ""
    except AssertionError as e:
        return "failed", str(e)
    except Exception as e:  # the submission's value broke the comparison itself (e.g. wrong type)
        return "failed", f"{type(e).__name__}: {e}"[:500]


Outcomes = dict[str, Any]  # case id -> the driver's outputs, or the StudentError it ended with


class WrongCalls(dict):
    """A case's outputs from a function that did not call its cell as its question requires
    (registry: `calls`); `problem` says how. The case fails even if the outputs are right."""

    def __init__(self, outputs: Any, problem: str) -> None:
        super().__init__(outputs)
        self.problem = problem


def _run_checking_calls(question: Question, process: SubmissionProcess, case: Case) -> Any:
    """One case of a question that must compute through its cell, in a request of its own so
    that the calls it makes to the reference cell are this case's: its outcome, a WrongCalls
    when the calls are wrong."""
    calls: list[tuple[tuple[Any, ...], Any]] = []
    outcome = process.run_cases(question.id, question.target, {case.id: case.inputs},
                                _callbacks(question, frozenset(), calls))[0]
    problems = [] if isinstance(outcome, StudentError) else registry.resolve(question.calls)(case.inputs, calls)
    return WrongCalls(outcome, f"{question.id} ({case.title}): {problems[0]}") if problems else outcome


def _run(question: Question, process: SubmissionProcess, cases: list[Case], own_cells: frozenset[str]
         ) -> Outcomes:
    """Every one of `cases` (all public or all hidden) run in one request (one per case for a
    question that checks its calls to the cell), the question's cell answered by the reference
    unless it is in `own_cells`."""
    batch = {c.id: c.inputs for c in cases}
    if not batch:
        return {}
    # a message from the worker is capped by what one of these cases can legitimately carry
    process.expect_answers(max(sum(a.nbytes for part in (c.inputs, c.expected) for a in part.values())
                               for c in cases))
    if question.calls and question.cell:
        return {c.id: _run_checking_calls(question, process, c) for c in cases}
    return dict(zip(batch, process.run_cases(question.id, question.target, batch, _callbacks(question, own_cells))))


def question_result(question: Question, cases: list[Case], outcomes: Outcomes, *, share: float) -> QuestionResult:
    """The verdicts on `cases` (each worth `share` points) of what they returned, in case order."""
    results: list[CaseResult] = []
    repeated: tuple[str, str] | None = None
    for case in cases:
        status, message = repeated or verdict(case, outcomes[case.id])
        if status in REPEATING and repeated is None:
            repeated = (status, f"not run: an earlier case of {question.id} ended with {status}")
        results.append(CaseResult(case.name, case.hidden, share if status == "ok" else 0.0, share, status, message))
    return QuestionResult(
        name=question.id, score=sum(c.points for c in results), max_score=sum(c.max_points for c in results),
        status=worst_status([c.status for c in results]), cases=results)


def _own_cells(passed: dict[str, QuestionResult]) -> frozenset[str]:
    """The cells whose questions (among those graded so far) passed: such a cell runs in the
    worker itself, as the student's own check runs it (the reference over the wire would copy the
    arrays and hide a loop's aliasing of its step caches)."""
    return frozenset(q.cell.name for q in registry.questions()
                     if q.cell and q.cell.question in passed and passed[q.cell.question].status == "ok")


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


def _hidden_skipped(question: Question, public: QuestionResult) -> StudentError | None:
    """Why the hidden cases of a question are not run, given its public verdict: they would only
    end the same way (a timeout, a crash, memory), or every public case found the function not
    written (not_implemented) or the file not importable. None: they run."""
    if public.status in REPEATING:
        return StudentError(public.status, f"not run: an earlier case of {question.id} ended with {public.status}")
    statuses = {c.status for c in public.cases}
    if len(statuses) == 1 and statuses <= {"not_implemented", "syntax_error"}:
        return StudentError(statuses.pop(), public.cases[0].message)  # (a public message: the same reason)
    return None


def case_points(question: Question, cases: list[Case]) -> float:
    """What one case of `question` is worth, `cases` being all of its cases: its points split
    evenly, as otter splits them (so a public-only check reports the same points per case)."""
    return question.points / len(cases)


def unreadable_result(submission: str, status: str, message: str, *, public_only: bool = False
                      ) -> SubmissionResult:
    """The result of a submission that could not be graded at all: every case scores 0 with
    `status` and `message` (unreadable file, no file, or a grader error)."""
    questions = {}
    for q in registry.questions():
        every = cases_of(q)  # the hidden ones undrawn: their names and points only
        cases = [CaseResult(c.name, c.hidden, 0.0, case_points(q, every), status, message)
                 for c in every if not (public_only and c.hidden)]
        questions[q.id] = QuestionResult(q.id, 0.0, sum(c.max_points for c in cases), status, cases)
    return SubmissionResult(submission, status, questions, message=message)


def grade_source(source: str, *, submission: str = "rnn", config: GraderConfig = DEFAULT_CONFIG,
                 public_only: bool = False, sandbox: Sandbox | None = None,
                 hidden: list[str] | tuple[str, ...] = ()) -> SubmissionResult:
    """Grade the Python `source` of one submission. `hidden`: more paths the worker must not see
    (the other submissions of a batch, the output directory).

    Two workers at most, one after the other, so that nothing a hidden case gave the submission
    can reach a student: every public case first (a question calls its own cell when that cell's
    question passed its public cases, exactly as the student's check decides); then, in the same
    worker, every hidden case (its own cell when the cell's question passed all its cases): what
    the worker prints from the first hidden request on is kept for the TA only (as are the hidden
    cases' messages); then the diagnosis' calls (the gradient self-check) in a fresh worker,
    started only if a question needs one, whose output is public."""
    start = time.monotonic()
    process = SubmissionProcess(
        sandbox or default_sandbox(), source, config=config, program=program(),
        hidden=sorted({*default_hidden_paths(), *config.hidden_paths, *map(str, hidden)}))
    public_output, hidden_output = process.output, Output(config.output_limit)
    order = registry.questions()
    every = {q.id: cases_of(q) for q in order}  # the hidden ones are drawn after the public phase
    shares = {q.id: case_points(q, every[q.id]) for q in order}
    cases = {q.id: [c for c in every[q.id] if not c.hidden] for q in order}
    outcomes: dict[str, Outcomes] = {q.id: {} for q in order}
    questions: dict[str, QuestionResult] = {}
    drawn: Drawn = {}
    try:
        for q in order:
            outcomes[q.id] = _run(q, process, cases[q.id], _own_cells(questions))
            questions[q.id] = question_result(q, cases[q.id], outcomes[q.id], share=shares[q.id])
        if not public_only:
            skipped = {q.id: reason for q in order if (reason := _hidden_skipped(q, questions[q.id]))}
            # drawn only where they will run: the reference's expected values are the dearest part
            drawn = draw_hidden_cases(source, questions=[q.id for q in order if q.id not in skipped])
            cases = {q.id: cases_of(q, drawn=drawn) for q in order}
        # the hidden phase and the diagnosis read the hidden cases by id too (rnn_checks.load_case)
        with checks_module().drawn_cases(drawn):
            if not public_only:
                process.switch_output(hidden_output)
                public_verdicts, questions = questions, {}
                for q in order:
                    hidden_cases = [c for c in cases[q.id] if c.hidden]
                    if q.id in skipped:
                        outcomes[q.id].update(dict.fromkeys((c.id for c in hidden_cases), skipped[q.id]))
                    else:
                        outcomes[q.id].update(_run(q, process, hidden_cases, _own_cells(questions)))
                    questions[q.id] = question_result(q, cases[q.id], outcomes[q.id], share=shares[q.id])
                process.fresh_worker(public_output)
            if config.diagnose:
                for q in order:
                    if questions[q.id].status == "failed":
                        forward = questions.get(q.forward or "")
                        result = questions[q.id]
                        result.hints, result.diagnostics = _diagnose(
                            q, process, cases[q.id], [outcomes[q.id][c.id] for c in cases[q.id]], result.cases,
                            None if forward is None else forward.status == "ok", _own_cells(questions))
    finally:
        process.close()
    messages = list(process.warnings)
    if process.load_error is not None:
        messages.insert(0, str(process.load_error))
    return SubmissionResult(
        submission=submission, status=worst_status([q.status for q in questions.values()]),
        questions=questions, output=public_output.text(), hidden_output=hidden_output.text(),
        message="\n".join(messages), execution_time=round(time.monotonic() - start, 3),
        isolation=process.sandbox.isolation)


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
