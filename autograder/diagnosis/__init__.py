"""Feedback that names the student's actual mistake.

The grading core calls `diagnose` once per question that lost points, after its cases ran, with
what it observed of each case (rnn_checks.observer). It gets back hints (one line each, naming a
known mistake from the bug library that reproduces every failing case) and diagnostics (per-step
error table, per-term errors, a finite-difference self-check). Expected values of hidden cases
never appear in either: only relative errors and shapes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np

from autograder.diagnosis.gradcheck import gradient_check
from autograder.diagnosis.matching import matching_bugs, same_value
from autograder.diagnosis.timesteps import timestep_report
from autograder.questions import checks_module

rnn_checks = checks_module()  # the instance the question files use

MAX_HINTS = 3
# The output of q5 that is its forward pass (a wrong forward makes every gradient wrong).
FORWARD_OUTPUT = {"q5": "h"}


@dataclass(frozen=True)
class Observation:
    """One case of a question as the grader ran it: `outputs` is what rnn_checks.RUNNERS returned
    for the student (None when the runner raised), `expected` the stored expectation."""

    case_id: str
    hidden: bool
    inputs: Mapping[str, np.ndarray]
    outputs: Mapping[str, Any] | None
    expected: Mapping[str, np.ndarray]
    passed: bool


def observe(case_id: str, inputs: Mapping[str, np.ndarray], outputs: Any) -> Observation:
    """An Observation from what rnn_checks.observer receives; `passed` compares every expected
    output with rnn_checks' tolerance (the grader's own verdict for the case may be used instead)."""
    meta, _, expected = rnn_checks.load_case(case_id)
    passed = isinstance(outputs, Mapping) and all(same_value(outputs.get(k), v) for k, v in expected.items())
    return Observation(case_id, bool(meta["hidden"]), inputs, outputs, expected, passed)


def hints_for(question: str, observations: list[Observation]) -> list[str]:
    """Hints of the bugs that reproduce every failing case on which any bug matched (at most
    MAX_HINTS, library order); [] when nothing matches or the matches contradict each other."""
    common: list | None = None
    for obs in observations:
        if obs.passed or obs.outputs is None:
            continue
        found = matching_bugs(question, obs.inputs, obs.outputs, case_id=obs.case_id)
        if found:
            common = found if common is None else [bug for bug in common if bug in found]
    return [bug.hint for bug in (common or [])][:MAX_HINTS]


def _forward_ok(question: str, observations: list[Observation]) -> bool | None:
    """For q5, whether the forward pass (h) was right on every case that produced it."""
    name = FORWARD_OUTPUT.get(question)
    seen = [o for o in observations if name and isinstance(o.outputs, Mapping) and name in o.expected]
    if not seen:
        return None
    return all(same_value(o.outputs.get(name), o.expected[name]) for o in seen)


def diagnose(question: str, observations: list[Observation], functions: dict[str, Callable], *,
             forward_ok: bool | None) -> tuple[list[str], list[str]]:
    """(hints, diagnostics) for a question that lost points.

    `functions`: the student's functions by name (sandbox proxies in the grader; q3 uses
    rnn_cell_forward and rnn_cell_backward, q4 rnn_forward and rnn_backward, q5 RNNCell).
    `forward_ok`: whether the forward question that the backward differentiates passed (q1 for q3,
    q2 for q4); None if unknown (for q5 it is read from the observed hidden states).
    """
    try:
        hints = hints_for(question, observations)
    except Exception:  # noqa: BLE001 - diagnosis must never cost the student their grade
        hints = []
    diagnostics: list[str] = []
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
            diagnostics.append("\n".join([f"Per-step relative error on case {obs.case_id}:", "", *rows, "", *notes]))
    if forward_ok is None:
        forward_ok = _forward_ok(question, observations)
    line = gradient_check(question, functions, forward_ok=forward_ok)
    if line:
        diagnostics.append(line)
    return hints, diagnostics
