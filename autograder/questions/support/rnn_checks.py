"""Runs one graded case against a submission's functions and compares every output with the
stored expectation (from torch autograd, confirmed by the reference solution at build time).

Shared by the otter test files q1.py–q14.py beside it: in the student's notebook (`grader.check`),
in the release's check.py, in `rnn-grader check` and in the autograder, where the functions are
proxies into the sandbox. Needs numpy only. Inputs are passed as fresh copies, so a submission
that mutates them changes nothing.

Where the student's own functions run here (notebook, check.py), each question is still graded in
isolation without the reference: the public cases of every question whose function calls a cell
(q2, q4, q8, q10, q12, q14) carry a table of the reference cell's calls (arguments and result),
and a stand-in cell answers from it (and says where the loop called it with other inputs); the
bug library's outcomes on the public cases are stored as fingerprints, so a failure gets the
hint the grader would give. Hidden cases are not stored at all: the grader draws them per
submission and hands them in (`drawn_cases`).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

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

# The hidden cases of the submission being graded, by id: (inputs, expected); see drawn_cases.
_drawn: dict[str, tuple[dict[str, np.ndarray], dict[str, np.ndarray]]] = {}
MAX_HINTS = 3


class CaseFailure(AssertionError):
    """A wrong answer: the message names the question, the array, the index, expected and actual."""


class StandInRefused(CaseFailure):
    """The student's loop called the stand-in cell with inputs the reference's loop never passes;
    the message says where first, `trace` what every call passed, in sorted order (the outcome
    that hints recognise: a loop's order alone does not change a backward pass's mistake)."""

    def __init__(self, message: str, trace: str = "") -> None:
        super().__init__(message)
        self.trace = trace or message


@lru_cache(maxsize=1)
def _fixtures() -> tuple[dict[str, dict[str, Any]], dict[str, np.ndarray]]:
    meta = json.loads((HERE / "fixtures.json").read_text())
    with np.load(HERE / "fixtures.npz", allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}  # read once: a grader runs every case many times
    for array in arrays.values():
        array.flags.writeable = False  # shared by every call: the runners pass copies to submissions
    return {c["id"]: c for c in meta["cases"]}, arrays


@contextlib.contextmanager
def drawn_cases(cases: Mapping[str, tuple[dict[str, np.ndarray], dict[str, np.ndarray]]]) -> Iterator[None]:
    """Within the block, hidden case `id` has the (inputs, expected) of `cases[id]` (the grader's
    draw for one submission); the previous draw is back afterwards."""
    global _drawn
    saved, _drawn = _drawn, dict(cases)
    try:
        yield
    finally:
        _drawn = saved


def cases() -> dict[str, dict[str, Any]]:
    """The metadata of every case by id, in the order of the question files."""
    return dict(_fixtures()[0])


def load_case(case_id: str) -> tuple[dict[str, Any], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(metadata, inputs, expected outputs) of a case, as read-only arrays."""
    cases, data = _fixtures()
    meta = cases[case_id]
    if meta["hidden"]:
        if case_id not in _drawn:
            raise CaseFailure(f"{case_id}: a hidden case; the grader draws its inputs for each submission")
        inputs, expected = _drawn[case_id]
        return meta, inputs, expected
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


def _as_array(value: Any) -> Any:
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
    return {**_entries(clipped, keys, "the clipped gradients", "clipped"), "total_norm": _as_array(total_norm)}


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
def _public_tolerances(case_id: str) -> dict[str, np.ndarray]:
    """The tolerance of every output of a public case: the same for every submission graded."""
    return {k: tolerance_of(v) for k, v in load_case(case_id)[2].items()}


def _tolerances(case_id: str, meta: dict[str, Any], expected: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    if meta["hidden"]:  # drawn per submission
        return {k: tolerance_of(v) for k, v in expected.items()}
    return _public_tolerances(case_id)


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
    """Run one case with the student's own `functions` (by name), as the notebook's
    `grader.check`, check.py and stock otter do; raise CaseFailure on a wrong answer, with the hint
    the grader would give."""
    meta, _, expected = load_case(case_id)
    try:
        outputs = local_outputs(case_id, functions)
    except StandInRefused as e:
        raise CaseFailure(f"{meta['question']} ({meta['title']}): {e}{_hint_lines(case_id, e.trace)}") from None
    try:
        compare(meta["question"], meta["title"], outputs, expected, hidden=meta["hidden"],
                tolerances=_tolerances(case_id, meta, expected))
    except CaseFailure as e:
        raise CaseFailure(f"{e}{_hint_lines(case_id, outputs)}") from None


def local_outputs(case_id: str, functions: Mapping[str, Callable]) -> dict[str, Any]:
    """The case driver run here on the submission's own `functions`, with the stand-in cell where
    the case has a table. StandInRefused when the loop called it with other inputs than the
    reference's loop and the NaN answers of those calls reached the outputs (or the loop broke on
    them): an answer the loop never uses would not change the grader's verdict either. For a
    question that checks its calls to the cell (q14), any such call, or a missing one."""
    meta, inputs, _ = load_case(case_id)
    with _stand_in(case_id, meta, functions) as log:
        with np.errstate(all="ignore"):  # the NaN answers of a refused call
            try:
                outputs = globals()[meta["driver"]](dict(functions), inputs)
            except Exception:
                if not log.problems:
                    raise
                outputs = None
    table = log.table
    if table is not None and table.ordered and not log.problems and len(log.calls) < len(table.args):
        log.problems.append(f"your {next(iter(functions))} called {table.cell} {len(log.calls)} times; "
                            f"the reference's loop calls it {len(table.args)} times, once per step")
    if log.problems and (table.ordered or outputs is None or _has_nan(outputs)):
        raise StandInRefused(f"{log.problems[0]} (the stand-in for the reference {table.cell} answers only "
                             "what the reference's loop passes)", "\n".join(sorted(log.calls)))
    return outputs


def _has_nan(outputs: Mapping[str, Any]) -> bool:
    return any(type(v) is np.ndarray and v.dtype.kind == "f" and bool(np.isnan(v).any()) for v in outputs.values())


# ---- the stand-in cell ------------------------------------------------------------------------

_MISSING = object()  # an entry a caller's argument lacks


def _entry(value: Any, path: Any) -> Any:
    """value[path[0]][path[1]]…, or _MISSING."""
    for key in path:
        try:
            value = value[key]
        except Exception:  # noqa: BLE001 - the caller's argument may be anything
            return _MISSING
    return value


def _nan_like(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _nan_like(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return type(value)(_nan_like(v) for v in value)
    return np.full(np.shape(value), np.nan)


def _path_text(path: tuple) -> str:
    """("cache", 3, "Wax") -> "cache[3]['Wax']"."""
    return str(path[0]) + "".join(f"[{key!r}]" for key in path[1:])


def _pairs(actual: Any, recorded: Any, path: tuple) -> Iterator[tuple[tuple, Any, Any]]:
    """(path, what the caller passed there, what the reference's loop passed) for every array of
    a recorded argument, depth first; where the caller's structure differs, the whole entry (a
    tuple and a list are alike; a dict may hold more keys, as the reference ignores them)."""
    if isinstance(recorded, dict) and isinstance(actual, dict):
        for key, value in recorded.items():
            yield from _pairs(actual.get(key, _MISSING), value, (*path, key))
    elif isinstance(recorded, (tuple, list)) and type(actual) in (tuple, list) and len(actual) == len(recorded):
        for k, (a, r) in enumerate(zip(actual, recorded)):
            yield from _pairs(a, r, (*path, k))
    else:
        yield path, actual, recorded


class _Table:
    """The reference cell's calls on one public case, as the build recorded them: call k was made
    at step `steps[k]` (1-based, as the handout counts) with `args[k]` (by argument name) and
    returned what `answer(k, ...)` rebuilds."""

    def __init__(self, case_id: str, meta: dict[str, Any]) -> None:
        cells = meta["cells"]
        self.case_id, self.cell, self.arguments = case_id, cells["function"], tuple(cells["arguments"])
        self.outputs, self.words, self.ordered = cells["outputs"], cells["words"], cells["ordered"]
        self.T_x, self.steps = cells["T_x"], cells["steps"]
        self.args = [{name: self._value(node) for name, node in call["args"].items()} for call in cells["calls"]]
        self.results = [call["result"] for call in cells["calls"]]

    def array(self, index: int) -> np.ndarray:
        return _fixtures()[1][f"{self.case_id}/cells/{index}"]

    def _value(self, node: dict[str, Any]) -> Any:
        (kind, value), = node.items()
        if kind == "array":
            return self.array(value)
        if kind == "dict":
            return {k: self._value(v) for k, v in value.items()}
        return (tuple if kind == "tuple" else list)(self._value(v) for v in value)

    def answer(self, k: int, bound: Mapping[str, Any], *, nan: bool = False) -> Any:
        """What call k returned, rebuilt for a caller who passed `bound`: fresh copies (NaN for a
        refused call), the caller's own objects where the reference returned its arguments, one
        object where it returned one twice (a_next and the cache's a_next)."""
        made: dict[tuple, Any] = {}

        def build(node: dict[str, Any], path: tuple) -> Any:
            (kind, value), = node.items()
            if kind == "arg":
                built = _entry(bound, value)
                if built is _MISSING:  # (a refused call's arguments may lack it)
                    built = _nan_like(_entry(self.args[k], value))
            elif kind == "same":
                built = made[tuple(value)]
            elif kind == "array":
                built = np.full(self.array(value).shape, np.nan) if nan else self.array(value).copy()
            elif kind == "dict":
                built = {key: build(v, (*path, key)) for key, v in value.items()}
            else:
                built = (tuple if kind == "tuple" else list)(build(v, (*path, i)) for i, v in enumerate(value))
            made[path] = built
            return built
        return build(self.results[k], ())

    def answers(self, k: int) -> Iterator[tuple[str, np.ndarray]]:
        """(what the handout calls it, value) of every array call k computed (not one of its
        arguments): "a⟨2⟩", "the da_prev of step 3"."""
        def walk(node: dict[str, Any], path: tuple) -> Iterator[tuple[tuple, int]]:
            (kind, value), = node.items()
            if kind == "array":
                yield path, value
            elif kind == "dict":
                for key, v in value.items():
                    yield from walk(v, (*path, key))
            elif kind in ("tuple", "list"):
                for i, v in enumerate(value):
                    yield from walk(v, (*path, i))

        step = self.steps[k]
        for path, index in walk(self.results[k], ()):
            if path and isinstance(path[0], int) and path[0] < len(self.outputs):
                path = (self.outputs[path[0]], *path[1:])
            words = self.words.get(str(path[0])) if path else None
            name = (words.format(t=step) + _path_text(("", *path[1:])) if words
                    else f"the {_path_text(path) if path else 'answer'} of step {step}")
            yield name, self.array(index)


class _Names:
    """The arrays of a case that an argument of its cell may be, by what the handout calls them:
    the case's inputs, their steps (x⟨t⟩), what the reference's cell computed at each step (a⟨t⟩,
    the da_prev of step t) and a step of an input plus what the next step computed (the gradient
    BPTT carries: da⟨t⟩ + the da_prev of step t+1). Built on the first refused call."""

    def __init__(self, table: _Table, inputs: Mapping[str, np.ndarray]) -> None:
        self.table, self.inputs = table, inputs
        self._named: dict[str, np.ndarray] | None = None

    def named(self) -> dict[str, np.ndarray]:
        if self._named is None:
            T_x = self.table.T_x
            sequences = {k: v for k, v in self.inputs.items() if v.ndim == 3 and v.shape[2] == T_x}
            named = {k: v for k, v in self.inputs.items() if v.ndim}
            named.update({f"{k}⟨{t + 1}⟩": v[:, :, t] for k, v in sequences.items() for t in range(T_x)})
            computed = {step: dict(self.table.answers(k)) for k, step in enumerate(self.table.steps)}
            for step in sorted(computed):
                named.update(computed[step])
            for step in sorted(computed):
                for k, v in sequences.items():
                    named.update({f"{k}⟨{step}⟩ + {name}": v[:, :, step - 1] + later
                                  for name, later in computed.get(step + 1, {}).items()
                                  if later.shape == v.shape[:2]})
            self._named = named
        return self._named

    def which(self, value: Any, like: np.ndarray, unnamed: str) -> str:
        """What `value` (passed where an array like `like` belongs) is, in words; `unnamed` if it
        is none of the named arrays."""
        if type(value) is not np.ndarray:
            return f"a {type(value).__name__}, not a numpy array"
        if value.shape != like.shape:
            return f"an array of shape {value.shape}"
        if value.dtype.kind in "biuf" and not np.any(value):
            return "zeros"
        return next((name for name, named in self.named().items() if _close(value, named)), unnamed)

    def difference(self, path: tuple, actual: Any, wanted: Any) -> str:
        """How the argument entry at `path` differs from what the reference's loop passed."""
        text = _path_text(path)
        if actual is _MISSING:
            return f"no {text}"
        if not isinstance(wanted, np.ndarray):  # a container of another kind or length
            return f"{text} = {describe(actual)}, not a {type(wanted).__name__} of length {len(wanted)}"
        return (f"{text} = {self.which(actual, wanted, 'an array that is none of the inputs or steps of the case')}, "
                f"not {self.which(wanted, wanted, f'the {text} the reference passes there')}")


class _Log:
    """What the student's loop passed the stand-in: one line per call, and the refusals."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.problems: list[str] = []
        self.table: _Table | None = None

    def refuse(self, problem: str) -> None:
        """Record a refused call; the loop goes on with NaN answers (NaN matches nothing), so that
        the trace shows the whole loop."""
        self.calls.append("refused: " + problem)
        self.problems.append(problem)


def _bind(table: _Table, args: tuple, kwargs: dict[str, Any]) -> dict[str, Any]:
    names, cell = table.arguments, table.cell
    if len(args) > len(names) or set(kwargs) - set(names[len(args):]):
        raise StandInRefused(f"{cell} takes ({', '.join(names)}); it was called with "
                             f"{len(args)} positional argument(s) and {sorted(kwargs) or 'no'} keywords")
    bound = {**dict(zip(names, args)), **kwargs}
    missing = [n for n in names if n not in bound]
    if missing:
        raise StandInRefused(f"{cell} was called without {', '.join(missing)}")
    return bound


def _close(actual: Any, expected: np.ndarray) -> bool:
    return (type(actual) is np.ndarray and actual.dtype.kind in "biuf" and actual.shape == expected.shape
            and bool(np.all(np.abs(actual - expected) <= ATOL + RTOL * np.abs(expected))))


def _cell(table: _Table, inputs: Mapping[str, np.ndarray], caller: str, log: _Log) -> Callable[..., Any]:
    """The stand-in: a call whose every argument array is close to those of one of the reference's
    calls (the next one, for a question that checks its calls) gets that call's answer; any other
    is refused, named by the step of the recorded call it agrees with most (the nearest to its
    place in the loop among equals) and its first argument that differs."""
    names, count = _Names(table, inputs), len(table.args)

    def cell(*args: Any, **kwargs: Any) -> Any:
        bound = _bind(table, args, kwargs)
        position = len(log.calls)
        if table.ordered:
            candidates = [position] if position < count else []
        else:
            candidates = sorted(range(count), key=lambda k: abs(k - position))
        scored = []
        for k in candidates:
            pairs = [pair for name in table.arguments for pair in _pairs(bound[name], table.args[k][name], (name,))]
            agree = [_close(actual, wanted) for _, actual, wanted in pairs]
            if all(agree):
                log.calls.append(f"step {table.steps[k]}")
                return table.answer(k, bound)
            scored.append((sum(agree), k, pairs, agree))
        if position >= count:
            log.refuse(f"your {caller} called {table.cell} more than the {count} times the reference's loop does")
        else:
            _, k, pairs, agree = max(scored, key=lambda s: s[0])  # the first of equals: the nearest
            path, actual, wanted = next(pair for pair, ok in zip(pairs, agree) if not ok)
            log.refuse(f"at t = {table.steps[k]} your {caller} passed {names.difference(path, actual, wanted)}")
        return table.answer(0, bound, nan=True)
    return cell


@contextlib.contextmanager
def _stand_in(case_id: str, meta: dict[str, Any], functions: Mapping[str, Callable]) -> Iterator[_Log]:
    """While the block runs, the cell the graded function calls is the stand-in, bound in that
    function's own globals (where its call looks the name up), as the grader binds the reference;
    the log says what the loop passed it."""
    log = _Log()
    caller = next(iter(functions), "")
    namespace = getattr(functions.get(caller), "__globals__", None)
    if not meta.get("cells") or namespace is None:
        yield log
        return
    log.table = _Table(case_id, meta)
    cell, missing = log.table.cell, object()
    saved = namespace.get(cell, missing)
    namespace[cell] = _cell(log.table, load_case(case_id)[1], caller, log)
    try:
        yield log
    finally:
        if saved is missing:
            namespace.pop(cell, None)
        else:
            namespace[cell] = saved


# ---- hints from fingerprints --------------------------------------------------------------------

def _number(value: float) -> str:
    return "nan" if value != value else f"{value + 0.0:.6g}"  # + 0.0: -0.0 and 0.0 alike


def fingerprint(outcome: Any, keys: list[str]) -> str:
    """A short hash of a case's outcome: the outputs named in `keys` rounded to 6 significant
    digits (so that the same answer computed in another order hashes alike), or the stand-in's
    refusal's trace (a string)."""
    if isinstance(outcome, str):
        text = "refused:" + outcome
    else:
        parts = []
        for key in keys:
            value = outcome.get(key) if isinstance(outcome, Mapping) else None
            if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
                value = np.array(value)
            if type(value) is np.ndarray and value.dtype.kind in "biuf":
                parts.append(f"{key}{value.shape}:" + ",".join(_number(float(v)) for v in value.ravel()))
            else:
                parts.append(f"{key}:{type(value).__name__}")
        text = "\n".join(parts)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def known_mistakes(case_id: str, outcome: Any) -> list[str]:
    """The hints of the bug library's mistakes whose outcome on this public case is `outcome`."""
    cases, _ = _fixtures()
    meta = cases[case_id]
    mark = fingerprint(outcome, meta["outputs"])
    return [hint for hint, known in meta.get("mistakes", []) if known == mark][:MAX_HINTS]


def _hint_lines(case_id: str, outcome: Any) -> str:
    try:
        return "".join(f"\nhint: {hint}" for hint in known_mistakes(case_id, outcome))
    except Exception:  # noqa: BLE001 - a hint must never turn a verdict into an error
        return ""
