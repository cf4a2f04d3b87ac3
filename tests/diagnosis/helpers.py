"""Shared by the diagnosis tests: the graded cases of a question, and the outputs of trusted
functions on them."""
from __future__ import annotations

import json
from typing import Any, Callable

import numpy as np

from autograder.diagnosis.bugs import Bug, load_functions, patched_source, reference_functions
from autograder.diagnosis.matching import run_quietly, same_value
from autograder.questions import checks_module, registry

rnn_checks = checks_module()

# When a question is graded, its function runs with the reference version of the cell it calls
# (DESIGN.md, "Grade each question in isolation"; the registry's `cell`).
DEPENDENCY = {q.id: q.cell.name for q in registry.questions() if q.cell}


def case_ids(question: str | None = None) -> list[str]:
    cases = json.loads((rnn_checks.HERE / "fixtures.json").read_text())["cases"]
    return [c["id"] for c in cases if question is None or c["question"] == question]


def public_case(question: str) -> str:
    """The id of the first public case of `question` (q1–q5's "documented")."""
    cases = json.loads((rnn_checks.HERE / "fixtures.json").read_text())["cases"]
    return next(c["id"] for c in cases if c["question"] == question and not c["hidden"])


def isolated_functions(bug: Bug, question: str) -> dict[str, Callable]:
    """The patched submission as the grader runs it for `question`: its own functions, with the
    dependency of `question` (if any) rebound to the reference."""
    overrides = {DEPENDENCY[question]: reference_functions()[DEPENDENCY[question]]} if question in DEPENDENCY else {}
    return load_functions(patched_source(bug), f"<isolated {bug.id} {question}>", overrides=overrides)


def outputs_match(outputs: dict[str, Any] | None, expected: dict[str, np.ndarray]) -> bool:
    return outputs is not None and all(same_value(outputs.get(k), v) for k, v in expected.items())


def run_case(question: str, functions: dict[str, Callable], case_id: str) -> tuple[dict[str, Any] | None, dict[str, np.ndarray]]:
    """(outputs of `functions`, expected) on a stored case; outputs None if they raised."""
    _, inputs, expected = rnn_checks.load_case(case_id)
    return run_quietly(question, functions, inputs), expected
