"""Which known mistakes reproduce a submission's outputs on one case.

Every variant of the question runs on the case's inputs in the grader process (variants are our
own trusted code); a variant matches when each expected output of the student's is, within the
grading tolerance, what the variant returned. A student's outputs can be anything (lists, None,
arrays of the wrong shape), so every comparison here is defensive and nothing raises.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from autograder.diagnosis.bugs import Bug, bugs_of, reference_functions, variant_functions
from autograder.questions import checks_module

rnn_checks = checks_module()  # the instance the question files use


def _as_array(value: Any) -> np.ndarray | None:
    """A real numeric array (or an integer length) as an ndarray; None for anything else."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return np.asarray(value)
    if type(value) is np.ndarray and value.dtype.kind in "biuf":
        return value
    return None


def same_value(a: Any, b: Any) -> bool:
    """Both real arrays of one shape whose entries agree within the grading tolerance (NaN equal to
    NaN, so that two identical wrong answers still agree)."""
    x, y = _as_array(a), _as_array(b)
    if x is None or y is None or x.shape != y.shape:
        return False
    with np.errstate(all="ignore"):
        return bool(np.allclose(x, y, rtol=rnn_checks.RTOL, atol=rnn_checks.ATOL, equal_nan=True))


def same_outputs(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None, keys: list[str]) -> bool:
    """Every output named in `keys` is present in both and agrees."""
    if not isinstance(a, Mapping) or not isinstance(b, Mapping):
        return False
    return all(k in a and k in b and same_value(a[k], b[k]) for k in keys)


def run_quietly(question: str, functions: Mapping[str, Any], inputs: Mapping[str, np.ndarray]) -> dict[str, Any] | None:
    """The outputs of trusted `functions` on a case, or None when they raise (a variant that raises
    has no outputs, so it can match nothing)."""
    try:
        with np.errstate(all="ignore"):
            return rnn_checks.RUNNERS[question](dict(functions), {k: v.copy() for k, v in inputs.items()})
    except Exception:  # noqa: BLE001 - a variant may break on any shape; that is "no outputs"
        return None


def matching_bugs(question: str, inputs: Mapping[str, np.ndarray], outputs: Any,
                  keys: list[str] | None = None) -> list[Bug]:
    """The bugs of `question` whose variant reproduces `outputs` (the student's, from
    rnn_checks.RUNNERS) on the case with these `inputs`.

    `keys` are the compared outputs (by default those the runner returns for the reference). A
    variant indistinguishable from the reference on this case is skipped: it cannot explain a
    wrong answer there.
    """
    if question not in rnn_checks.RUNNERS or not isinstance(outputs, Mapping):
        return []
    reference = run_quietly(question, reference_functions(), inputs)
    if reference is None:
        return []
    keys = list(reference) if keys is None else keys
    found = []
    for bug in bugs_of(question):
        variant = run_quietly(question, variant_functions(bug), inputs)
        if variant is None or same_outputs(variant, reference, keys):
            continue
        if same_outputs(variant, outputs, keys):
            found.append(bug)
    return found
