"""Finite-difference self-check of a student's backward pass against the student's OWN forward.

It separates "your backward is wrong" from "your backward is right for a wrong forward": with the
loss L = Σ upstream ⊙ (hidden states of the student's forward), each analytic gradient g of a
variable v must satisfy ⟨g, u⟩ ≈ (L(v + εu) − L(v − εu)) / 2ε along random unit directions u.
Runs in float64 on new inputs with the shapes of a case that failed (never that case's inputs), or
on the public documented case. The functions are proxies into the
sandbox in the grader, so the number of calls is small: 2 directions · 2 forward passes per
gradient, plus one forward and one backward. Nothing here raises.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np

from autograder.questions import checks_module, public_case_id, registry

rnn_checks = checks_module()  # the instance the question files use

EPS = 1e-6
RTOL = 1e-4
ATOL = 1e-6
DIRECTIONS = 2


@dataclass(frozen=True)
class Problem:
    """A backward question as a differentiable function of named float64 variables.

    loss(variables) -> L (the student's forward); gradients() -> the student's backward at the base
    point, by gradient name; wrt[gradient name] = the variable it is the gradient of.
    """

    variables: dict[str, np.ndarray]
    loss: Callable[[dict[str, np.ndarray]], float]
    gradients: Callable[[], Mapping[str, Any]]
    wrt: dict[str, str]


def _params(v: Mapping[str, np.ndarray], case: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The five column-major parameters, the differentiated ones taken from `v`."""
    return {k: np.array(v.get(k, case[k]), dtype=float) for k in rnn_checks.PARAMS}


def _total(weights: np.ndarray, value: Any) -> float:
    """Σ weights ⊙ value, for a value the student returned (must be an array of weights' shape)."""
    value = np.asarray(value, dtype=float)
    if value.shape != weights.shape:
        raise ValueError(f"forward returned shape {value.shape}, expected {weights.shape}")
    return float(np.sum(weights * value))


def _column_major_problem(f: Mapping[str, Callable], case: Mapping[str, np.ndarray], forward: str,
                          backward: str, states: tuple[str, str], upstream: str,
                          grads: tuple[str, str]) -> Problem:
    """L = Σ upstream ⊙ (hidden states returned by `forward`), differentiated with respect to the
    two state inputs `states` and Wax, Waa, ba; `backward(upstream, cache)` gives `grads` for them."""
    variables = {k: case[k].copy() for k in (*states, "Wax", "Waa", "ba")}

    def run(v: Mapping[str, np.ndarray]) -> tuple:
        return f[forward](v[states[0]].copy(), v[states[1]].copy(), _params(v, case))

    def gradients() -> Mapping[str, Any]:
        return f[backward](case[upstream].copy(), run(variables)[2])

    return Problem(variables, lambda v: _total(case[upstream], run(v)[0]), gradients,
                   {grads[0]: states[0], grads[1]: states[1], "dWax": "Wax", "dWaa": "Waa", "dba": "ba"})


def q3_problem(f: Mapping[str, Callable], case: Mapping[str, np.ndarray]) -> Problem:
    """L = Σ da_next ⊙ a_next(xt, a_prev, Wax, Waa, ba), xt: (n_x, m), a_prev: (n_a, m)."""
    return _column_major_problem(f, case, "rnn_cell_forward", "rnn_cell_backward", ("xt", "a_prev"),
                                 "da_next", ("dxt", "da_prev"))


def q4_problem(f: Mapping[str, Callable], case: Mapping[str, np.ndarray]) -> Problem:
    """L = Σ_t da⟨t⟩ ⊙ a⟨t⟩(x, a0, Wax, Waa, ba), x: (n_x, m, T_x), a0: (n_a, m), da: (n_a, m, T_x)."""
    return _column_major_problem(f, case, "rnn_forward", "rnn_backward", ("x", "a0"), "da", ("dx", "da0"))


def q5_problem(f: Mapping[str, Callable], case: Mapping[str, np.ndarray]) -> Problem:
    """L = Σ_t dh[t] ⊙ h_t with a fresh RNNCell per forward pass; x: (T, m, n_x), h0: (m, n_a)."""
    variables = {k: case[k].copy() for k in ("x", "h0", *rnn_checks.BATCH_MAJOR)}

    def loss(v: Mapping[str, np.ndarray]) -> float:
        cell = f["RNNCell"](*(v[k].copy() for k in rnn_checks.BATCH_MAJOR))
        h, total = v["h0"].copy(), 0.0
        for t in range(v["x"].shape[0]):
            h = cell(v["x"][t].copy(), h)
            total += _total(case["dh"][t], h)
        return total

    def gradients() -> Mapping[str, Any]:
        return rnn_checks.run_q5(f, {**variables, "dh": case["dh"]})

    return Problem(variables, loss, gradients, {
        "dx": "x", "dw_ih": "weight_ih", "dw_hh": "weight_hh", "db_ih": "bias_ih", "db_hh": "bias_hh",
        "dh0": "h0"})


def directional_errors(problem: Problem, seed: int = 0) -> dict[str, float | str]:
    """Per gradient: the largest relative disagreement |⟨g,u⟩ − FD| / (|FD| + ATOL/RTOL) over the
    random directions (it passes when ≤ RTOL, i.e. |⟨g,u⟩ − FD| ≤ ATOL + RTOL·|FD|), or a string
    saying why the gradient could not be compared. Raises only if the student's code raises."""
    rng = np.random.RandomState(seed)
    analytic = problem.gradients()
    result: dict[str, float | str] = {}
    for name, var in problem.wrt.items():
        value = problem.variables[var]
        try:
            g = analytic[name]
        except (KeyError, IndexError, TypeError):
            result[name] = "is missing"
            continue
        if type(g) is not np.ndarray or g.shape != value.shape:
            # a gradient has the shape of the thing it is the gradient of
            result[name] = f"has {_shape(g)}, but {var} has shape {value.shape}"
            continue
        worst = 0.0
        for _ in range(DIRECTIONS):
            u = rng.randn(*value.shape)
            u /= np.linalg.norm(u)
            plus = problem.loss({**problem.variables, var: value + EPS * u})
            minus = problem.loss({**problem.variables, var: value - EPS * u})
            numeric = (plus - minus) / (2 * EPS)
            exact = float(np.sum(g * u))
            worst = max(worst, abs(exact - numeric) / (abs(numeric) + ATOL / RTOL))
        result[name] = worst if np.isfinite(worst) else float("inf")
    return result


def _shape(value: Any) -> str:
    return f"shape {value.shape}" if isinstance(value, np.ndarray) else rnn_checks.describe(value)


def synthetic_case(question: str, like: Mapping[str, np.ndarray], seed: int = 0) -> dict[str, np.ndarray]:
    """New inputs of the same shapes as `like` (a case's inputs), drawn from our own seed: the
    self-check may run on the shapes of a hidden case without using its inputs. Weights are
    scaled as the cases' are (tanh not saturated)."""
    rng = np.random.RandomState(seed)
    batch_major = "h0" in like  # PyTorch's layout (RNNCell): weights drawn as torch.nn.RNN's
    n_a = like["h0"].shape[1] if batch_major else None
    case = {}
    for k, v in sorted(like.items()):
        if batch_major and k in rnn_checks.BATCH_MAJOR:
            case[k] = rng.uniform(-1, 1, v.shape) / np.sqrt(n_a)
        elif batch_major:
            case[k] = rng.random_sample(v.shape)
        else:
            case[k] = rng.randn(*v.shape) * (0.5 if k in rnn_checks.PARAMS else 1.0)
    if "a_next" in case:  # a cell's cache: its a_next is the forward of its inputs
        case["a_next"] = np.tanh(case["Wax"] @ case["xt"] + case["Waa"] @ case["a_prev"] + case["ba"])
    return case


def _forward_of(question: registry.Question) -> str:
    """The forward pass a backward question differentiates, in words: "q1 (rnn_cell_forward)"."""
    if question.forward:
        return f"{question.forward} ({registry.question(question.forward).target})"
    return f"the forward step ({question.target}.__call__)"


def gradient_check(question: str, functions: Mapping[str, Callable], *, forward_ok: bool | None,
                   like: Mapping[str, np.ndarray] | None = None, shapes: str = "") -> str | None:
    """One line for the student comparing their backward with finite differences of their own
    forward, or None when it could not run (unknown question, or the student's code raised). It
    runs on new inputs with the shapes of `like` (a failed case's inputs; `shapes` says which, in
    words) or, without `like`, on the documented case. The question lost points when this runs, so
    an agreement is never worded as reassurance."""
    q = registry.question(question)
    if not q.gradcheck:
        return None
    try:
        if like is None:
            _, case, _ = rnn_checks.load_case(public_case_id(question))
            shapes = shapes or "the public case"
        else:
            case = synthetic_case(question, like)
        with np.errstate(all="ignore"):
            errors = directional_errors(registry.resolve(q.gradcheck)(functions, case))
    except Exception:  # noqa: BLE001 - student code (or a proxy to it) may fail in any way
        return None
    where = f"on new inputs with the shapes of {shapes}" if like is not None else f"on {shapes}"
    bad = {k: v for k, v in errors.items() if isinstance(v, str) or not v <= RTOL}
    if not bad:
        line = f"Finite differences of your own forward {where} agree with your backward"
        if forward_ok is False:
            return f"{line}, but your forward differs from the reference: fix {_forward_of(q)} first."
        return (f"{line}; this check cannot see what makes the failing cases fail (see above), so it is no sign "
                f"that your backward is right.")
    parts = [f"{k} {v}" if isinstance(v, str) else f"{k} off by {v:.0%}" for k, v in bad.items()]
    good = [k for k in errors if k not in bad]
    tail = f"; {', '.join(good)} agree" if good else ""
    return (f"Your backward does not match finite differences of your own forward {where}: "
            + ", ".join(parts) + tail + ".")
