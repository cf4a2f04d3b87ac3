"""Feedback that names the student's actual mistake.

The grading core calls `diagnose` once per question that lost points, after its cases ran, with
what it observed of each case (rnn_checks.observer). It gets back hints (one line each: a known
mistake from the bug library that reproduces every failing case; else what the answer itself shows,
detectors.py; and what a failed case's class usually means, failures.py) and diagnostics (what
failed in each failed case, per-step error table, per-term errors, a finite-difference self-check
on a failed case's shapes). Inputs and expected values of hidden cases never appear in either:
only relative errors, shapes and the student's own source lines.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np

from autograder.diagnosis import failures
from autograder.diagnosis.detectors import Case, answer_hints
from autograder.diagnosis.gradcheck import gradient_check
from autograder.diagnosis.matching import matching_bugs, same_value
from autograder.diagnosis.timesteps import timestep_report
from autograder.questions import checks_module, public_case_id, registry

rnn_checks = checks_module()  # the instance the question files use

MAX_HINTS = 3
# The first line of the diagnostic that describes the failed hidden cases (Gradescope shows it with
# the hidden tests, at the instructor's chosen visibility).
HIDDEN_FAILURES = "What failed in the hidden cases (described, never shown):"


@dataclass(frozen=True)
class Observation:
    """One case of a question as the grader ran it: `outputs` is what its registry driver returned
    for the student (None when the runner raised), `expected` the stored expectation."""

    case_id: str
    hidden: bool
    inputs: Mapping[str, np.ndarray]
    outputs: Mapping[str, Any] | None
    expected: Mapping[str, np.ndarray]
    passed: bool
    title: str = ""  # the test case's name, as the student sees it
    status: str = "ok"  # the grader's status of the case
    message: str = ""  # the worker's message when the case raised (read for its type and line only)


def observe(case_id: str, inputs: Mapping[str, np.ndarray], outputs: Any) -> Observation:
    """An Observation from what rnn_checks.observer receives; `passed` compares every expected
    output with rnn_checks' tolerance (the grader's own verdict for the case may be used instead)."""
    meta, _, expected = rnn_checks.load_case(case_id)
    passed = isinstance(outputs, Mapping) and all(same_value(outputs.get(k), v) for k, v in expected.items())
    return Observation(case_id, bool(meta["hidden"]), inputs, outputs, expected, passed)


def hints_for(question: str, observations: list[Observation]) -> list[str]:
    """Hints of the bugs that reproduce every failing case that returned (at most MAX_HINTS,
    library order); [] when nothing matches one of them: a variant that explains some failing
    cases only is another mistake that happens to agree there (range(4) looks like range(T_x - 1)
    when T_x = 5)."""
    common: list | None = None
    for obs in observations:
        if obs.passed or obs.outputs is None:
            continue
        found = matching_bugs(question, obs.inputs, obs.outputs, case_id=obs.case_id)
        common = found if common is None else [bug for bug in common if bug in found]
    return [bug.hint for bug in (common or [])][:MAX_HINTS]


def _forward_ok(question: str, observations: list[Observation]) -> bool | None:
    """For a question whose forward pass is one of its outputs (the registry's `forward_output`:
    q5's h), whether it was right on every case that produced it."""
    name = registry.question(question).forward_output
    seen = [o for o in observations if name and isinstance(o.outputs, Mapping) and name in o.expected]
    if not seen:
        return None
    return all(same_value(o.outputs.get(name), o.expected[name]) for o in seen)


def _public_dims(question: str, observations: list[Observation]) -> dict[str, int]:
    public = next((o.inputs for o in observations if not o.hidden), None)
    if public is None:
        public = rnn_checks.load_case(public_case_id(question))[1]
    return failures.dimensions(question, public)


def failure_report(question: str, observations: list[Observation], source: str
                   ) -> tuple[list[str], list[str], dict[str, int]]:
    """(hints, lines, dimensions of the public case): one line per failed case saying its class and
    how it failed; hints for what the failures usually mean (sizes written into the code, squeeze,
    hard-coded answers)."""
    code = failures.Source(source)
    public = _public_dims(question, observations)
    failed = [o for o in observations if not o.passed]
    hints: list[str] = []
    lines = []
    records = []
    for obs in failed:
        dims = failures.dimensions(question, obs.inputs)
        record = failures.Failure(obs.title or obs.case_id, obs.hidden, obs.status, obs.message, dims,
                                  obs.outputs if isinstance(obs.outputs, Mapping) else None, obs.expected)
        records.append(record)
        line = failures.describe(question, record, code)
        if obs.hidden:
            lines.append(f"{line} (case class: {failures.case_class(question, dims, public)})")
        # a size written into the code (or a squeeze) explains the shapes that follow from it
        hints += failures.meaning_hints(question, record, code, public) or (
            failures.structure_hints(question, record) + failures.allocation_hints(question, record, code)
            + failures.entry_hints(question, record) + failures.product_hints(question, record, code))
    if failed:
        hints += failures.time_index_hints(question, code)
    public_obs = next((o for o in observations if not o.hidden), None)
    if public_obs is not None:
        hard = failures.hard_coded(question, [r for r in records if r.hidden], public_obs.outputs
                                   if isinstance(public_obs.outputs, Mapping) else None, public_obs.expected, code)
        if hard:  # pasted answers explain every wrong output
            return [hard], lines, public
    return list(dict.fromkeys(hints)), lines, public


def detector_hints(question: str, observations: list[Observation], public: Mapping[str, int]) -> list[str]:
    """What the answer-based detectors see on the failing cases that returned: per output, what
    they saw on the largest failing case where it is wrong (a case with one step or one example
    can make several mistakes look alike)."""
    best: dict[str, tuple[int, str | None]] = {}
    for obs in sorted((o for o in observations if not o.passed and isinstance(o.outputs, Mapping)),
                      key=lambda o: -sum(v.size for v in o.expected.values())):
        case = Case(question, obs.inputs, obs.outputs, obs.expected, failures.dimensions(question, obs.inputs), public)
        found = dict(answer_hints(case))
        # an output wrong on a larger case where nothing was recognised is no finding on a smaller one
        for key in [k for k, _, _ in case.wrong()] + list(found):
            best.setdefault(key, (0, found.get(key)))
    return list(dict.fromkeys(line for _, line in best.values() if line))


def diagnose(question: str, observations: list[Observation], functions: dict[str, Callable], *,
             forward_ok: bool | None, source: str = "") -> tuple[list[str], list[str]]:
    """(hints, diagnostics) for a question that lost points.

    `functions`: the student's functions by name (sandbox proxies in the grader; q3 uses
    rnn_cell_forward and rnn_cell_backward, q4 rnn_forward and rnn_backward, q5 RNNCell).
    `forward_ok`: whether the forward question that the backward differentiates passed (q1 for q3,
    q2 for q4); None if unknown (for q5 it is read from the observed hidden states).
    `source`: the submission's text (its lines are quoted where a case raised).
    The library's hints come first where it recognises the mistake (they are the most specific);
    otherwise those of the failures' meaning and of the detectors.
    """
    try:
        hints = hints_for(question, observations)
    except Exception:  # noqa: BLE001 - diagnosis must never cost the student their grade
        hints = []
    try:
        meaning, described, public = failure_report(question, observations, source)
    except Exception:  # noqa: BLE001
        meaning, described, public = [], [], {}
    if not hints and not any(failures.HARD_CODED in h for h in meaning):
        try:
            hints = detector_hints(question, observations, public)
        except Exception:  # noqa: BLE001
            hints = []
    # what a failure on other sizes means comes first: a size written into the code explains it
    hints = list(dict.fromkeys(meaning + hints))[:MAX_HINTS]
    diagnostics: list[str] = []
    if described:
        diagnostics.append("\n".join([HIDDEN_FAILURES, "",
                                       *(f"- {line}" for line in described)]))
    failing = [o for o in observations if not o.passed and o.outputs is not None]
    # A public case may be shown in full; a hidden one is summarised by relative errors anyway.
    shown = sorted(failing, key=lambda o: o.hidden)[:1]
    for obs in shown:
        try:
            table = timestep_report(question, obs.expected, obs.outputs)
        except Exception:  # noqa: BLE001
            table = []
        if table:
            rows = [line for line in table if line.startswith("|")]
            notes = [line for line in table if not line.startswith("|")]
            # a blank line ends the Markdown table before the reading of it
            diagnostics.append("\n".join([f"Per-step relative error on case {obs.title or obs.case_id}:", "",
                                           *rows, "", *notes]))
    if forward_ok is None:
        forward_ok = _forward_ok(question, observations)
    # the self-check runs on the shapes of a failed case (one that returned first), never its inputs
    failed = sorted((o for o in observations if not o.passed), key=lambda o: (o.outputs is None, not o.hidden))
    if failed:
        target = failed[0]
        dims = failures.dimensions(question, target.inputs)
        shapes = f"“{target.title or target.case_id}” (" + ", ".join(f"{k}={v}" for k, v in dims.items()) + ")"
        line = gradient_check(question, functions, forward_ok=forward_ok, like=target.inputs, shapes=shapes)
    else:
        line = gradient_check(question, functions, forward_ok=forward_ok)
    if line:
        diagnostics.append(line)
    return hints, diagnostics
