"""Every case of a question in one request: the worker runs the question's driver on each case's
inputs and answers with one outcome per case, which the grader turns into outputs or errors."""
from __future__ import annotations

from typing import Any

from autograder.sandbox import wire
from autograder.sandbox.errors import StudentError, reported


class EncodedCases:
    """The arguments of a "run" request, encoded once and reused while the inputs are the same
    arrays: every submission gets the same public inputs (read-only), each its own hidden ones (the
    entry keeps the arrays it was made from, so that identity cannot be an id reused)."""

    def __init__(self) -> None:
        self._last: dict[tuple[str, tuple[str, ...]], tuple[list[Any], wire.Encoded]] = {}

    def __call__(self, driver: str, cases: dict[str, dict[str, Any]]) -> wire.Encoded:
        key = (driver, tuple(cases))
        arrays = [value for inputs in cases.values() for value in inputs.values()]
        known = self._last.get(key)
        if known is None or len(known[0]) != len(arrays) or any(a is not b for a, b in zip(known[0], arrays)):
            known = self._last[key] = (arrays, wire.Encoded.of([list(cases.values())]))
        return known[1]


def outcome(value: Any) -> Any:
    """One case's outputs, or the StudentError it ended with (from the worker: checked here)."""
    if isinstance(value, list) and len(value) == 2 and value[0] == "ok":
        return value[1]
    if isinstance(value, list) and len(value) == 3 and value[0] == "raise":
        return reported(value[1], value[2])
    return StudentError("failed", "the worker's answer was malformed")


def outcomes(values: Any, count: int) -> list[Any]:
    """The outcomes of `count` cases from the worker's answer to a "run" request."""
    if not isinstance(values, list) or len(values) != count:
        return [StudentError("failed", "the worker's answer was malformed")] * count
    return [outcome(v) for v in values]
