"""Which known mistakes reproduce a submission's outputs on one case.

Every variant of the question runs on the case's inputs in the grader process (variants are our
own trusted code); a variant matches when each expected output of the student's is, within the
grading tolerance, what the variant returned. A student's outputs can be anything (lists, None,
arrays of the wrong shape), so every comparison here is defensive and nothing raises.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

import numpy as np

from autograder.diagnosis.bugs import Bug, bugs_of, reference_functions, variant_functions
from autograder.questions import checks_module, registry

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
    x, y = x.astype(np.float64, copy=False), y.astype(np.float64, copy=False)
    with np.errstate(all="ignore"):  # np.allclose(equal_nan=True), without its overhead
        close = (np.abs(x - y) <= rnn_checks.ATOL + rnn_checks.RTOL * np.abs(y)) & np.isfinite(y)
        return bool(close.all() or (close | (x == y) | (np.isnan(x) & np.isnan(y))).all())


def same_outputs(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None, keys: list[str]) -> bool:
    """Every output named in `keys` is present in both and agrees (None, a step cache the runner
    could not read, agrees with None)."""
    if not isinstance(a, Mapping) or not isinstance(b, Mapping):
        return False
    return all(k in a and k in b and ((a[k] is None and b[k] is None) or same_value(a[k], b[k])) for k in keys)


def run_quietly(question: str, functions: Mapping[str, Any], inputs: Mapping[str, np.ndarray]) -> dict[str, Any] | None:
    """The outputs of trusted `functions` on a case, or None when they raise (a variant that raises
    has no outputs, so it can match nothing)."""
    try:
        with np.errstate(all="ignore"):
            return registry.resolve(registry.question(question).driver)(
                dict(functions), {k: v.copy() for k, v in inputs.items()})
    except Exception:  # noqa: BLE001 - a variant may break on any shape; that is "no outputs"
        return None


def telling_variants(question: str, inputs: Mapping[str, np.ndarray], keys: list[str] | None = None
                     ) -> tuple[list[str], tuple[tuple[Bug, dict[str, Any]], ...]]:
    """(keys, [(bug, outputs)]) for the variants of `question` on the case with these `inputs`
    that differ from the reference in the outputs named by `keys` (by default all the reference
    returns): a variant indistinguishable from the reference there cannot explain a wrong answer."""
    reference = run_quietly(question, reference_functions(), inputs)
    if reference is None:
        return [], ()
    keys = list(reference) if keys is None else keys
    variants = ((bug, run_quietly(question, variant_functions(bug), inputs)) for bug in bugs_of(question))
    return keys, tuple((bug, out) for bug, out in variants
                       if out is not None and not same_outputs(out, reference, keys))


@lru_cache(maxsize=None)
def _telling_variants_of_case(question: str, case_id: str) -> tuple[list[str], tuple[tuple[Bug, dict[str, Any]], ...]]:
    """telling_variants on a stored (public) case, compared on its expected outputs: computed once
    per grading process (the same for every submission)."""
    _, inputs, expected = rnn_checks.load_case(case_id)
    return telling_variants(question, inputs, list(expected))


def matching_bugs(question: str, inputs: Mapping[str, np.ndarray], outputs: Any,
                  keys: list[str] | None = None, *, case_id: str | None = None) -> list[Bug]:
    """The bugs of `question` whose variant reproduces `outputs` (the student's, from
    its registry driver) on the case with these `inputs`, in the outputs named by `keys` (see
    telling_variants). For a stored case, give its `case_id`: `keys` are then its expected outputs."""
    if not isinstance(outputs, Mapping):
        return []
    if case_id is not None and not rnn_checks.load_case(case_id)[0]["hidden"]:
        keys, variants = _telling_variants_of_case(question, case_id)
    else:  # a hidden case is drawn per submission: its variants are computed every time
        if case_id is not None:
            keys = list(rnn_checks.load_case(case_id)[2])
        keys, variants = telling_variants(question, inputs, keys)
    return [bug for bug, out in variants if same_outputs(out, outputs, keys)]
