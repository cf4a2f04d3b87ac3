"""Per-time-step and per-term error of a sequence question (q2, q4, q5).

Shows only relative errors (never expected values), so it is safe for hidden cases too:
‖actual_t − expected_t‖ / max(‖expected_t‖, tiny) for every time-indexed output at every step,
a reading of the pattern when it is a recognisable one, and one line for the other outputs.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from autograder.questions import checks_module, registry

rnn_checks = checks_module()  # the instance the question files use

TINY = 1e-12
# The time axis of each time-indexed output, and what a wrong past with a correct recent end
# means (the carried term): each question's `time_axes` and `carried` in the registry.


def relative_error(actual: Any, expected: np.ndarray) -> float | None:
    """‖actual − expected‖ / max(‖expected‖, TINY); None when `actual` is not a real array of
    expected's shape. NaN/inf in `actual` give inf."""
    if type(actual) is not np.ndarray or actual.dtype.kind not in "biuf" or actual.shape != expected.shape:
        return None
    with np.errstate(all="ignore"):
        err = float(np.linalg.norm(actual - expected) / max(float(np.linalg.norm(expected)), TINY))
    return err if np.isfinite(err) else float("inf")


def step_errors(actual: Any, expected: np.ndarray, axis: int) -> list[float] | None:
    """The relative error of each slice along the time `axis`; None on a shape mismatch."""
    if relative_error(actual, expected) is None:
        return None
    return [relative_error(np.take(actual, t, axis), np.take(expected, t, axis))
            for t in range(expected.shape[axis])]


def _close(actual: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Entry-wise: within the grading tolerance (rnn_checks.RTOL/ATOL)."""
    with np.errstate(all="ignore"):
        return np.abs(actual - expected) <= rnn_checks.ATOL + rnn_checks.RTOL * np.abs(expected)


def step_ok(actual: np.ndarray, expected: np.ndarray, axis: int) -> list[bool]:
    """Per step along `axis`: all entries within the grading tolerance."""
    close = _close(actual, expected)
    return [bool(np.take(close, t, axis).all()) for t in range(expected.shape[axis])]


def _steps(ts: list[int]) -> str:
    """Compact step list: [0, 1, 2] -> "0..2", [3] -> "3", [0, 2] -> "0, 2"."""
    if len(ts) > 1 and ts == list(range(ts[0], ts[-1] + 1)):
        return f"{ts[0]}..{ts[-1]}"
    return ", ".join(str(t) for t in ts)


def reading(question: str, name: str, ok: list[bool]) -> str | None:
    """One line saying at which steps `name` is right, with its meaning when the pattern is a known
    one: right only at the first step processed (the last for a backward pass) means the carried
    term is missing; in a forward pass, wrong only at the last step means the loop stops early."""
    good = [t for t, k in enumerate(ok) if k]
    bad = [t for t, k in enumerate(ok) if not k]
    if not bad:
        return None
    if not good:
        return f"{name}: wrong at every step"
    line = f"{name}: correct at t = {_steps(good)}, wrong at t = {_steps(bad)}"
    q = registry.question(question)
    # a backward pass (it differentiates a forward, or its forward is an output) runs back in time
    first_processed = len(ok) - 1 if q.forward or q.forward_output else 0
    if good == [first_processed]:
        return f"{line} → {q.carried}"
    if first_processed == 0 and bad == [len(ok) - 1]:  # a forward pass
        return f"{line} → the last step is missing (the loop must run for t = 0 .. T_x-1)"
    return line


def timestep_report(question: str, expected: Mapping[str, np.ndarray], actual: Any) -> list[str]:
    """Markdown lines: a table of the per-step relative errors of the time-indexed outputs, the
    reading of each, and a per-term line for the other outputs; [] for a question without time."""
    axes = registry.question(question).time_axes
    if not axes or not isinstance(actual, Mapping):
        return []
    rows, notes = [], []
    patterns: dict[tuple[bool, ...], list[str]] = {}  # outputs right at the same steps read as one
    for name, axis in axes.items():
        if name not in expected:
            continue
        errors = step_errors(actual.get(name), expected[name], axis)
        if errors is None:
            notes.append(f"{name}: {_shape_note(actual.get(name), expected[name])}")
            continue
        ok = step_ok(actual[name], expected[name], axis)
        rows.append(f"| {name} | " + " | ".join("ok" if k else f"{e:.2g}" for k, e in zip(ok, errors)) + " |")
        patterns.setdefault(tuple(ok), []).append(name)
    readings = [reading(question, ", ".join(names), list(ok)) for ok, names in patterns.items()]
    lines = []
    if rows:
        steps = max(expected[name].shape[axis] for name, axis in axes.items() if name in expected)
        header = "| relative error | " + " | ".join(f"t = {t}" for t in range(steps)) + " |"
        lines.append("\n".join([header, "|---" * (steps + 1) + "|", *rows]))
    lines.extend(line for line in readings + notes if line)
    terms = term_line(expected, actual, exclude=tuple(axes))
    if terms:
        lines.append(terms)
    return lines


def _shape_note(actual: Any, expected: np.ndarray) -> str:
    if type(actual) is np.ndarray:
        return f"shape {actual.shape}, expected {expected.shape}"
    return f"expected an array of shape {expected.shape}, got {rnn_checks.describe(actual)}"


def term_line(expected: Mapping[str, np.ndarray], actual: Mapping[str, Any], exclude: tuple[str, ...] = ()) -> str:
    """"dWax: ok · dWaa: rel. error 0.41 · dba: shape (5,), expected (5, 1)" for the outputs that
    are not time-indexed (lengths and the like are left to the grader's own message)."""
    parts = []
    for name, exp in expected.items():
        if name in exclude or exp.dtype.kind not in "f":
            continue
        err = relative_error(actual.get(name), exp)
        if err is None:
            parts.append(f"{name}: {_shape_note(actual.get(name), exp)}")
        elif _close(actual[name], exp).all():
            parts.append(f"{name}: ok")
        else:
            parts.append(f"{name}: rel. error {err:.2g}")
    return " · ".join(parts)
