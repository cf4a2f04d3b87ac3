"""The reference cells that sequence questions call back (q2 calls rnn_cell_forward, q4
rnn_cell_backward, q8 rnn_cell_backward, q10 lstm_cell_forward, q12 lstm_cell_backward, q14
rtrl_cell_forward), guarded: they run in the grading process, so their arguments are checked
against the shapes of the graded cases before the reference sees them.

Each cell's guard (named by its `Cell` in the registry) gets the call's arguments and one case's
inputs (flat, as stored: x (n_x, m, T_x), a0 (n_a, m), the parameters by name) and raises
RefusedArguments unless a correct caller would pass them on that case. For example a correct
`rnn_forward` calls `rnn_cell_forward(xt, a_prev, parameters)` with `xt: (n_x, m)`,
`a_prev: (n_a, m)` and `parameters` holding `Wax (n_a, n_x)`, `Waa (n_a, n_a)`, `Wya (n_y, n_a)`,
`ba (n_a, 1)`, `by (n_y, 1)` (more keys are allowed: the reference ignores them); a cache is a
tuple or a list. Anything else is refused: it costs the grader nothing, and the question a wrong
answer. The arrays arrive from the wire as fresh float64 ndarrays, whatever the caller sent.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

import numpy as np

from autograder.sandbox.errors import RefusedArguments

Inputs = Mapping[str, np.ndarray]
RNN_PARAMETERS = ("Wax", "Waa", "Wya", "ba", "by")
RTRL_PARAMETERS = ("Wax", "Waa", "ba")
LSTM_PARAMETERS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo", "Wy", "by")


def _array(what: str, value: Any, shape: tuple[int, ...]) -> None:
    if type(value) is not np.ndarray:
        raise RefusedArguments(f"{what} is a {type(value).__name__}, not a numpy array")
    if value.shape != tuple(shape):
        raise RefusedArguments(f"{what} has shape {value.shape}, expected {tuple(shape)}")


def _count(args: tuple, names: str) -> None:
    if len(args) != len(names.split(", ")):
        raise RefusedArguments(f"{len(args)} arguments, expected {len(names.split(', '))} ({names})")


def _sizes(inputs: Inputs) -> tuple[int, int, int]:
    """(n_x, n_a, m) of a case: from x and a0 (a sequence) or xt and a_prev (one step)."""
    if "x" in inputs and "a0" in inputs:
        return inputs["x"].shape[0], inputs["a0"].shape[0], inputs["a0"].shape[1]
    if "xt" in inputs and "a_prev" in inputs:
        return inputs["xt"].shape[0], inputs["a_prev"].shape[0], inputs["a_prev"].shape[1]
    raise RefusedArguments("no case to check against")


def _parameters(what: str, value: Any, inputs: Inputs, keys: tuple[str, ...]) -> None:
    """A dict holding at least `keys`, each of the shape the case's parameter of that name has."""
    if type(value) is not dict:
        raise RefusedArguments(f"{what} is a {type(value).__name__}, not a dict")
    for key in keys:
        if key not in value:
            raise RefusedArguments(f"{what} has no {key!r}")
        if key not in inputs:
            raise RefusedArguments("no case to check against")
        _array(f"{what}[{key!r}]", value[key], inputs[key].shape)


def _cache(what: str, value: Any, count: int) -> tuple:
    if type(value) not in (tuple, list) or len(value) != count:
        raise RefusedArguments(f"{what} is not a tuple of {count}")
    return tuple(value)


def rnn_cell_forward_arguments(args: tuple, inputs: Inputs) -> None:
    """rnn_cell_forward(xt (n_x, m), a_prev (n_a, m), parameters)."""
    n_x, n_a, m = _sizes(inputs)
    _count(args, "xt, a_prev, parameters")
    _array("xt", args[0], (n_x, m))
    _array("a_prev", args[1], (n_a, m))
    _parameters("parameters", args[2], inputs, RNN_PARAMETERS)


def rnn_cell_backward_arguments(args: tuple, inputs: Inputs) -> None:
    """rnn_cell_backward(da_next (n_a, m), cache = (a_next, a_prev, xt, parameters))."""
    n_x, n_a, m = _sizes(inputs)
    _count(args, "da_next, cache")
    _array("da_next", args[0], (n_a, m))
    cache = _cache("cache (a_next, a_prev, xt, parameters)", args[1], 4)
    _array("cache[0] (a_next)", cache[0], (n_a, m))
    _array("cache[1] (a_prev)", cache[1], (n_a, m))
    _array("cache[2] (xt)", cache[2], (n_x, m))
    _parameters("cache[3] (parameters)", cache[3], inputs, RNN_PARAMETERS)


def lstm_cell_forward_arguments(args: tuple, inputs: Inputs) -> None:
    """lstm_cell_forward(xt (n_x, m), a_prev (n_a, m), c_prev (n_a, m), parameters)."""
    n_x, n_a, m = _sizes(inputs)
    _count(args, "xt, a_prev, c_prev, parameters")
    _array("xt", args[0], (n_x, m))
    _array("a_prev", args[1], (n_a, m))
    _array("c_prev", args[2], (n_a, m))
    _parameters("parameters", args[3], inputs, LSTM_PARAMETERS)


_LSTM_CACHE = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot")


def lstm_cell_backward_arguments(args: tuple, inputs: Inputs) -> None:
    """lstm_cell_backward(da_next, dc_next (n_a, m), cache = (a_next, c_next, a_prev, c_prev,
    ft, it, cct, ot (n_a, m), xt (n_x, m), parameters))."""
    n_x, n_a, m = _sizes(inputs)
    _count(args, "da_next, dc_next, cache")
    _array("da_next", args[0], (n_a, m))
    _array("dc_next", args[1], (n_a, m))
    cache = _cache("cache (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)", args[2], 10)
    for k, name in enumerate(_LSTM_CACHE):
        _array(f"cache[{k}] ({name})", cache[k], (n_a, m))
    _array("cache[8] (xt)", cache[8], (n_x, m))
    _parameters("cache[9] (parameters)", cache[9], inputs, LSTM_PARAMETERS[:8])


def rtrl_cell_forward_arguments(args: tuple, inputs: Inputs) -> None:
    """rtrl_cell_forward(xt (n_x, m), a_prev (n_a, m), sensitivities {Wax (n_a, m, n_a, n_x),
    Waa (n_a, m, n_a, n_a), ba (n_a, m, n_a)}, parameters)."""
    n_x, n_a, m = _sizes(inputs)
    _count(args, "xt, a_prev, sensitivities, parameters")
    _array("xt", args[0], (n_x, m))
    _array("a_prev", args[1], (n_a, m))
    sensitivities = args[2]
    if type(sensitivities) is not dict or sorted(sensitivities) != sorted(RTRL_PARAMETERS):
        raise RefusedArguments("sensitivities is not a dict with the keys Wax, Waa, ba")
    for key, shape in (("Wax", (n_a, m, n_a, n_x)), ("Waa", (n_a, m, n_a, n_a)), ("ba", (n_a, m, n_a))):
        _array(f"sensitivities[{key!r}]", sensitivities[key], shape)
    _parameters("parameters", args[3], inputs, RTRL_PARAMETERS)


def _shapes(inputs: Inputs) -> tuple:
    return tuple(sorted((k, np.shape(v)) for k, v in inputs.items()))


def guarded(name: str, reference: Callable[..., Any], guard: Callable[[tuple, Inputs], None],
            cases: Iterable[Inputs]) -> Callable[..., Any]:
    """`reference` (the cell `name`), run only on arguments that `guard` accepts for one of the
    cases with these inputs (checked once per distinct set of shapes)."""
    allowed = list({_shapes(inputs): inputs for inputs in cases}.values())

    def cell(*args: Any) -> Any:
        problems = []
        for inputs in allowed:
            try:
                guard(args, inputs)
                return reference(*args)
            except RefusedArguments as e:
                problems.append(str(e))
        raise RefusedArguments(problems[0] if problems else "no case to check against")

    cell.__name__ = name
    return cell
