"""Runs one graded case against a submission's functions and compares every output with the
stored expectation (from torch autograd, confirmed by the reference solution at build time).

Shared by the otter test files q1.py–q14.py beside it: in the student's notebook (`grader.check`),
in `rnn-grader check` and in the autograder, where the functions are proxies into the sandbox.
Needs numpy only. Inputs are passed as fresh copies, so a submission that mutates them changes nothing.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import numpy as np

HERE = Path(__file__).resolve().parent
RTOL = 1e-6
ATOL = 1e-9
PARAMS = ("Wax", "Waa", "Wya", "ba", "by")
BATCH_MAJOR = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
CLIP_KEYS = ("dWaa", "dWax", "dWya", "db", "dby")
LSTM_PARAMS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo", "Wy", "by")
LSTM_GRADS = ("dWf", "dWi", "dWc", "dWo", "dbf", "dbi", "dbc", "dbo")
RTRL_PARAMS = ("Wax", "Waa", "ba")


class CaseFailure(AssertionError):
    """A wrong answer: the message names the question, the array, the index, expected and actual."""


@lru_cache(maxsize=1)
def _fixtures() -> tuple[dict[str, dict[str, Any]], dict[str, np.ndarray]]:
    meta = json.loads((HERE / "fixtures.json").read_text())
    with np.load(HERE / "fixtures.npz", allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}  # read once: a grader runs every case many times
    for array in arrays.values():
        array.flags.writeable = False  # shared by every call: the runners pass copies to submissions
    return {c["id"]: c for c in meta["cases"]}, arrays


def cases() -> dict[str, dict[str, Any]]:
    """The metadata of every stored case by id, in the order of the question files."""
    return dict(_fixtures()[0])


def load_case(case_id: str) -> tuple[dict[str, Any], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(metadata, inputs, expected outputs) of a case, as read-only arrays."""
    cases, data = _fixtures()
    meta = cases[case_id]
    inputs = {k: data[f"{case_id}/in/{k}"] for k in meta["inputs"]}
    expected = {k: data[f"{case_id}/out/{k}"] for k in meta["outputs"]}
    return meta, inputs, expected


def parameters(inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: inputs[k].copy() for k in PARAMS}


def step_caches(inputs: dict[str, np.ndarray]) -> tuple[list[tuple], np.ndarray]:
    """The caches `rnn_forward` returns for the stored forward pass `a` of a q4 case:
    ([(a⟨t⟩, a⟨t-1⟩, x⟨t⟩, parameters) for t in 0..T_x-1], x)."""
    a, a0, x = inputs["a"], inputs["a0"], inputs["x"]
    prev = [a0] + [a[:, :, t] for t in range(a.shape[2] - 1)]
    caches = [(a[:, :, t].copy(), prev[t].copy(), x[:, :, t].copy(), parameters(inputs))
              for t in range(a.shape[2])]
    return caches, x.copy()


def _unpack(value: Any, n: int, what: str) -> tuple:
    if not isinstance(value, (tuple, list)) or len(value) != n:
        raise CaseFailure(f"{what} must return a tuple of {n} values, got {describe(value)}")
    return tuple(value)


def _get(container: Any, key: Any, what: str) -> Any:
    try:
        return container[key]
    except (KeyError, IndexError, TypeError):
        raise CaseFailure(f"{what} has no entry {key!r} (got {describe(container)})") from None


def _length(value: Any) -> Any:
    return np.array(len(value)) if isinstance(value, (list, tuple)) else value


def run_q1(f: dict[str, Callable], i: dict[str, np.ndarray]) -> dict[str, Any]:
    a_next, yt_pred, cache = _unpack(
        f["rnn_cell_forward"](i["xt"].copy(), i["a_prev"].copy(), parameters(i)), 3, "rnn_cell_forward")
    cache = _unpack(cache, 4, "the cache of rnn_cell_forward")
    return {"a_next": a_next, "yt_pred": yt_pred,
            "cache[0]": cache[0], "cache[1]": cache[1], "cache[2]": cache[2]}


def _step_cache_stacks(steps: Any) -> dict[str, Any]:
    """Every step cache as `rnn_backward` will read it: a_next, a_prev, xt of each step stacked on
    a last time axis, (n_a, m, T_x), (n_a, m, T_x), (n_x, m, T_x), and each step's parameters
    flattened in PARAMS order, (T_x, n_params). Read when rnn_forward has returned, so step caches
    that share one buffer updated in place show its final value at every step. None where a
    cache is not (a_next, a_prev, xt, parameters) of arrays (the comparison then names it)."""
    stacks: dict[str, Any] = {}
    for k in range(4):
        name = f"caches[0][t][{k}]"
        try:
            items = [step[k] for step in steps]
            if k == 3:
                items = [np.concatenate([np.asarray(p[n], dtype=float).ravel() for n in PARAMS]) for p in items]
                stacks[name] = np.stack(items)
            elif all(type(item) is np.ndarray for item in items):
                stacks[name] = np.stack(items, axis=-1)
            else:
                stacks[name] = None
        except Exception:  # noqa: BLE001 - a malformed cache is a wrong answer, named by the comparison
            stacks[name] = None
    return stacks


def run_q2(f: dict[str, Callable], i: dict[str, np.ndarray]) -> dict[str, Any]:
    a, y_pred, caches = _unpack(
        f["rnn_forward"](i["x"].copy(), i["a0"].copy(), parameters(i)), 3, "rnn_forward")
    steps = _get(caches, 0, "caches")
    return {"a": a, "y_pred": y_pred, "caches[1]": _get(caches, 1, "caches"),
            "len(caches)": _length(caches), "len(caches[0])": _length(steps), **_step_cache_stacks(steps)}


def run_q3(f: dict[str, Callable], i: dict[str, np.ndarray]) -> dict[str, Any]:
    cache = (i["a_next"].copy(), i["a_prev"].copy(), i["xt"].copy(), parameters(i))
    grads = f["rnn_cell_backward"](i["da_next"].copy(), cache)
    return {k: _get(grads, k, "the gradients of rnn_cell_backward")
            for k in ("dxt", "da_prev", "dWax", "dWaa", "dba")}


def run_q4(f: dict[str, Callable], i: dict[str, np.ndarray]) -> dict[str, Any]:
    grads = f["rnn_backward"](i["da"].copy(), step_caches(i))
    return {k: _get(grads, k, "the gradients of rnn_backward")
            for k in ("dx", "da0", "dWax", "dWaa", "dba")}


def _stack(items: Any, what: str, shape: tuple[int, ...], count: int) -> Any:
    """Stack a list of per-step arrays after checking each one, so a bad entry is named."""
    if not isinstance(items, (list, tuple)) or len(items) != count:
        raise CaseFailure(f"{what} must be a list of {count} arrays, got {describe(items)}")
    for k, item in enumerate(items):
        check_array(f"{what}[{k}]", item, shape)
    return np.stack(items)


def _summed(items: Any, what: str, count: int, *, over_batch: bool) -> Any:
    """Sum per-step gradients over the steps; bias gradients also over the batch, so both the
    seed's (m, n_a) entries and already-reduced (n_a,) entries are accepted."""
    if not isinstance(items, (list, tuple)) or len(items) != count:
        raise CaseFailure(f"{what} must be a list of {count} arrays (one per step), got {describe(items)}")
    for k, item in enumerate(items):
        check_array(f"{what}[{k}]", item, None)
        if item.ndim == 0:
            raise CaseFailure(f"{what}[{k}]: expected an array, got a scalar")
    parts = [item.reshape(-1, item.shape[-1]).sum(axis=0) if over_batch else item for item in items]
    if len({p.shape for p in parts}) != 1:
        raise CaseFailure(f"{what}: entries of different shapes {sorted({p.shape for p in parts})}")
    return np.sum(parts, axis=0)


def run_q5(f: dict[str, Callable], i: dict[str, np.ndarray]) -> dict[str, Any]:
    T, m, n_x = i["x"].shape
    n_a = i["h0"].shape[1]
    cell = f["RNNCell"](*(i[k].copy() for k in BATCH_MAJOR))
    h, hs = i["h0"].copy(), []
    for t in range(T):
        h = cell(i["x"][t].copy(), h)
        hs.append(h)
    for t in reversed(range(T)):
        cell.backward(i["dh"][t].copy())
    return {
        "h": _stack(hs, "next_h", (m, n_a), T),
        "dx": _stack(cell.dx_list, "dx_list", (m, n_x), T),
        "dw_ih": _summed(cell.dw_ih_stack, "dw_ih_stack", T, over_batch=False),
        "dw_hh": _summed(cell.dw_hh_stack, "dw_hh_stack", T, over_batch=False),
        "db_ih": _summed(cell.db_ih_stack, "db_ih_stack", T, over_batch=True),
        "db_hh": _summed(cell.db_hh_stack, "db_hh_stack", T, over_batch=True),
        "dh0": cell.prev_dh,
    }


# Parts "clip", "flow", "lstm", "rtrl" (q6–q14). A stored case holds its parameters by name
# (Wax, Wf, ...), any other dict argument as `name[key]`, numbers as 0-d arrays, and for a
# question that takes a cache the forward pass it is rebuilt from (as q4's `a`).


def nested(i: dict[str, np.ndarray], name: str) -> dict[str, np.ndarray]:
    """The dict argument `name` of a stored case, from its entries `name[key]`."""
    prefix = f"{name}["
    return {k[len(prefix):-1]: v.copy() for k, v in i.items() if k.startswith(prefix)}


def _number(value: Any) -> Any:
    """A returned number as a 0-d array, so it is compared like any output (anything else is
    left as it is, for the comparison to name)."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        return np.asarray(float(value))
    return value


def _entries(value: Any, keys: Any, what: str, prefix: str = "") -> dict[str, Any]:
    return {f"{prefix}[{k}]" if prefix else k: _get(value, k, what) for k in keys}


def run_q6(f: dict[str, Callable], i: dict[str, np.ndarray]) -> dict[str, Any]:
    clipped = f["clip"](nested(i, "gradients"), float(i["maxValue"]))
    return _entries(clipped, CLIP_KEYS, "the gradients clip returns")


def run_q7(f: dict[str, Callable], i: dict[str, np.ndarray]) -> dict[str, Any]:
    gradients = nested(i, "gradients")
    keys = list(gradients)
    clipped, total_norm = _unpack(f["clip_by_global_norm"](gradients, float(i["max_norm"])), 2,
                                  "clip_by_global_norm")
    return {**_entries(clipped, keys, "the clipped gradients", "clipped"), "total_norm": _number(total_norm)}


def run_q8(f: dict[str, Callable], i: dict[str, np.ndarray]) -> dict[str, Any]:
    return {"norms": f["gradient_norms"](i["da_last"].copy(), step_caches(i))}


def lstm_parameters(i: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: i[k].copy() for k in LSTM_PARAMS}


def run_q9(f: dict[str, Callable], i: dict[str, np.ndarray]) -> dict[str, Any]:
    a_next, c_next, yt_pred, cache = _unpack(f["lstm_cell_forward"](
        i["xt"].copy(), i["a_prev"].copy(), i["c_prev"].copy(), lstm_parameters(i)), 4, "lstm_cell_forward")
    cache = _unpack(cache, 10, "the cache of lstm_cell_forward")
    # the cache without its last entry (the parameters, which are the inputs)
    return {"a_next": a_next, "c_next": c_next, "yt_pred": yt_pred, **{f"cache[{k}]": cache[k] for k in range(9)}}


def run_q10(f: dict[str, Callable], i: dict[str, np.ndarray]) -> dict[str, Any]:
    a, y, c, caches = _unpack(f["lstm_forward"](i["x"].copy(), i["a0"].copy(), lstm_parameters(i)), 4,
                              "lstm_forward")
    return {"a": a, "y": y, "c": c, "caches[1]": _get(caches, 1, "caches"),
            "len(caches[0])": _length(_get(caches, 0, "caches"))}


def lstm_step_cache(i: dict[str, np.ndarray], t: int | None = None) -> tuple:
    """(a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) of a stored q11 case,
    or of step t of a stored q12 case (whose entries are stacked on a last time axis)."""
    if t is None:
        names = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt")
        return (*(i[k].copy() for k in names), lstm_parameters(i))
    zeros = np.zeros(i["a0"].shape)
    a_prev = i["a0"] if t == 0 else i["a"][:, :, t - 1]
    c_prev = zeros if t == 0 else i["c"][:, :, t - 1]
    return (i["a"][:, :, t].copy(), i["c"][:, :, t].copy(), a_prev.copy(), c_prev.copy(),
            *(i[k][:, :, t].copy() for k in ("ft", "it", "cct", "ot")), i["x"][:, :, t].copy(), lstm_parameters(i))


def run_q11(f: dict[str, Callable], i: dict[str, np.ndarray]) -> dict[str, Any]:
    grads = f["lstm_cell_backward"](i["da_next"].copy(), i["dc_next"].copy(), lstm_step_cache(i))
    return _entries(grads, ("dxt", "da_prev", "dc_prev", *LSTM_GRADS), "the gradients of lstm_cell_backward")


def run_q12(f: dict[str, Callable], i: dict[str, np.ndarray]) -> dict[str, Any]:
    caches = ([lstm_step_cache(i, t) for t in range(i["x"].shape[2])], i["x"].copy())
    grads = f["lstm_backward"](i["da"].copy(), caches)
    return _entries(grads, ("dx", "da0", *LSTM_GRADS), "the gradients of lstm_backward")


def run_q13(f: dict[str, Callable], i: dict[str, np.ndarray]) -> dict[str, Any]:
    a_next, sensitivities = _unpack(f["rtrl_cell_forward"](
        i["xt"].copy(), i["a_prev"].copy(), nested(i, "sensitivities"), parameters(i)), 2, "rtrl_cell_forward")
    return {"a_next": a_next,
            **_entries(sensitivities, RTRL_PARAMS, "the sensitivities rtrl_cell_forward returns", "sensitivities_next")}


def run_q14(f: dict[str, Callable], i: dict[str, np.ndarray]) -> dict[str, Any]:
    grads = f["rtrl_gradients"](i["x"].copy(), i["a0"].copy(), parameters(i), i["da"].copy())
    return _entries(grads, ("dWax", "dWaa", "dba"), "the gradients of rtrl_gradients")


RUNNERS: dict[str, Callable[[dict[str, Callable], dict[str, np.ndarray]], dict[str, Any]]] = {
    "q1": run_q1, "q2": run_q2, "q3": run_q3, "q4": run_q4, "q5": run_q5, "q6": run_q6, "q7": run_q7,
    "q8": run_q8, "q9": run_q9, "q10": run_q10, "q11": run_q11, "q12": run_q12, "q13": run_q13, "q14": run_q14,
}

def describe(value: Any) -> str:
    """A short description of a value of the wrong kind, e.g. `list of length 3`."""
    if isinstance(value, np.ndarray):
        return f"ndarray {value.dtype} {value.shape}"
    if isinstance(value, (list, tuple, dict)):
        return f"{type(value).__name__} of length {len(value)}"
    return f"{type(value).__name__} {str(value)[:60]}"


def check_array(name: str, actual: Any, shape: tuple[int, ...] | None) -> None:
    """Type (a real numeric np.ndarray), shape, then finiteness; raises CaseFailure."""
    if type(actual) is not np.ndarray:
        raise CaseFailure(f"{name}: expected a numpy array, got {describe(actual)}")
    if actual.dtype.kind not in "biuf":
        raise CaseFailure(f"{name}: expected a float array, got dtype {actual.dtype}")
    if shape is not None and actual.shape != tuple(shape):
        raise CaseFailure(f"{name}: shape {actual.shape}, expected {tuple(shape)}")
    if not np.all(np.isfinite(actual)):
        bad = tuple(int(k) for k in np.argwhere(~np.isfinite(actual))[0])
        raise CaseFailure(f"{name}: not finite at {list(bad)} ({float(actual[bad])})")


def tolerance_of(expected: np.ndarray, rtol: float = RTOL, atol: float = ATOL) -> np.ndarray:
    """How far each entry may be from `expected`: atol + rtol·|expected|."""
    return atol + rtol * np.abs(expected)


@lru_cache(maxsize=None)
def _tolerances(case_id: str) -> dict[str, np.ndarray]:
    """The tolerance of every output of a stored case: the same for every submission graded."""
    return {k: tolerance_of(v) for k, v in load_case(case_id)[2].items()}


def assert_close(name: str, actual: Any, expected: np.ndarray, *, reveal: bool = True,
                 rtol: float = RTOL, atol: float = ATOL, tolerance: np.ndarray | None = None) -> None:
    """Compare one output; the message names the array, the first bad index, expected vs actual
    (unless `reveal` is False, for hidden cases) and the tolerance. `tolerance`: atol + rtol·|expected|
    if already known."""
    if expected.dtype.kind in "iu" and expected.ndim == 0:  # a length, compared exactly
        if not isinstance(actual, (int, np.integer, np.ndarray)) or np.ndim(actual) or actual != expected:
            raise CaseFailure(f"{name}: expected {int(expected)}, got {describe(actual)}")
        return
    if tolerance is None:
        tolerance = tolerance_of(expected, rtol, atol)
    if type(actual) is np.ndarray and actual.dtype.kind in "biuf" and actual.shape == expected.shape:
        close = np.abs(actual - expected) <= tolerance  # False for NaN and inf
        if np.count_nonzero(close) == close.size:
            return
    check_array(name, actual, expected.shape)
    bad = ~(np.abs(actual - expected) <= tolerance)
    if bad.any():
        idx = tuple(int(k) for k in np.argwhere(bad)[0])
        values = f"expected {float(expected[idx])!r}, got {float(actual[idx])!r}" if reveal else "wrong value"
        raise CaseFailure(f"{name}{list(idx)}: {values} (rtol={rtol:g}, atol={atol:g}); "
                          f"{int(bad.sum())} of {bad.size} entries differ")


def compare(question: str, title: str, outputs: Any, expected: dict[str, np.ndarray], *, hidden: bool,
            tolerances: dict[str, np.ndarray] | None = None) -> None:
    """Every expected output against `outputs` (a driver's result); raise CaseFailure naming the
    question and the case on the first wrong one. Pure: reads nothing but its arguments."""
    for name, value in expected.items():
        try:
            assert_close(name, outputs[name], value, reveal=not hidden,
                         tolerance=None if tolerances is None else tolerances[name])
        except CaseFailure as e:
            raise CaseFailure(f"{question} ({title}): {e}") from None


def run_case(case_id: str, **functions: Callable) -> None:
    """Run one stored case with the submission's `functions` (by name), as the notebook's
    `grader.check` and stock otter do; raise CaseFailure on a wrong answer."""
    meta, inputs, expected = load_case(case_id)
    outputs = RUNNERS[meta["question"]](functions, inputs)
    compare(meta["question"], meta["title"], outputs, expected, hidden=meta["hidden"], tolerances=_tolerances(case_id))
