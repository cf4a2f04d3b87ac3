"""The reference cells that q2 and q4 call back, guarded: they run in the grading process, so their
arguments are checked against the shapes of the graded cases before the reference sees them.

A correct `rnn_forward` calls `rnn_cell_forward(xt, a_prev, parameters)` with `xt: (n_x, m)`,
`a_prev: (n_a, m)` and `parameters` holding `Wax (n_a, n_x)`, `Waa (n_a, n_a)`, `Wya (n_y, n_a)`,
`ba (n_a, 1)`, `by (n_y, 1)` (more keys are allowed: the reference ignores them); a correct
`rnn_backward` calls `rnn_cell_backward(da_next, cache)` with `da_next: (n_a, m)` and
`cache = (a_next (n_a, m), a_prev (n_a, m), xt (n_x, m), parameters)`, a tuple or a list. The
dimensions are those of one of the cases (x: (n_x, m, T_x), a0: (n_a, m), Wya: (n_y, n_a)).
Anything else is refused (RefusedArguments): it costs the grader nothing, and the question a
wrong answer. The arrays arrive from the wire as fresh float64 ndarrays, whatever the caller sent.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from autograder.sandbox.errors import RefusedArguments

Dims = tuple[int, int, int, int]  # (n_x, n_a, n_y, m)


def _array(what: str, value: Any, shape: tuple[int, ...]) -> None:
    if type(value) is not np.ndarray:
        raise RefusedArguments(f"{what} is a {type(value).__name__}, not a numpy array")
    if value.shape != shape:
        raise RefusedArguments(f"{what} has shape {value.shape}, expected {shape}")


def _parameters(what: str, value: Any, dims: Dims) -> None:
    n_x, n_a, n_y, _ = dims
    if type(value) is not dict:
        raise RefusedArguments(f"{what} is a {type(value).__name__}, not a dict")
    for key, shape in (("Wax", (n_a, n_x)), ("Waa", (n_a, n_a)), ("Wya", (n_y, n_a)),
                       ("ba", (n_a, 1)), ("by", (n_y, 1))):
        if key not in value:
            raise RefusedArguments(f"{what} has no {key!r}")
        _array(f"{what}[{key!r}]", value[key], shape)


def _forward_arguments(args: tuple, dims: Dims) -> None:
    n_x, n_a, _, m = dims
    if len(args) != 3:
        raise RefusedArguments(f"{len(args)} arguments, expected 3 (xt, a_prev, parameters)")
    _array("xt", args[0], (n_x, m))
    _array("a_prev", args[1], (n_a, m))
    _parameters("parameters", args[2], dims)


def _backward_arguments(args: tuple, dims: Dims) -> None:
    n_x, n_a, _, m = dims
    if len(args) != 2:
        raise RefusedArguments(f"{len(args)} arguments, expected 2 (da_next, cache)")
    _array("da_next", args[0], (n_a, m))
    cache = args[1]
    if type(cache) not in (tuple, list) or len(cache) != 4:
        raise RefusedArguments("cache is not a tuple (a_next, a_prev, xt, parameters)")
    _array("cache[0] (a_next)", cache[0], (n_a, m))
    _array("cache[1] (a_prev)", cache[1], (n_a, m))
    _array("cache[2] (xt)", cache[2], (n_x, m))
    _parameters("cache[3] (parameters)", cache[3], dims)


CHECKS: dict[str, Callable[[tuple, Dims], None]] = {
    "rnn_cell_forward": _forward_arguments, "rnn_cell_backward": _backward_arguments,
}


def guarded(name: str, reference: Callable[..., Any], dims: Iterable[Dims]) -> Callable[..., Any]:
    """`reference` (the cell `name`), run only on arguments a correct caller passes for one of the
    cases of dimensions `dims`."""
    allowed, check = sorted(set(dims)), CHECKS[name]

    def cell(*args: Any) -> Any:
        problems = []
        for case in allowed:
            try:
                check(args, case)
                return reference(*args)
            except RefusedArguments as e:
                problems.append(str(e))
        raise RefusedArguments(problems[0] if problems else "no case to check against")

    cell.__name__ = name
    return cell
