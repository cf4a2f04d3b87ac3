"""Mistakes recognised from the answer itself, not from a list of known wrong programs.

Each detector looks at one output array of one case (the student's answer, the expected answer,
the case's inputs) and asks whether the answer is a simple, nameable transformation of the right
one: its transpose, a multiple (m, 1/m, T_x, 1/T_x, −1), another array the function sees or
returns, the right array shifted by one time step, zero at the steps a loop never reached, a
sum over steps that kept one step only or left one out, a formula with a term missing or doubled
(least squares over the formula's known terms), BPTT started from a nonzero carry, step caches
that all share one buffer. The alternatives are computed from the case's inputs with the
reference cells in the grader's process; a detector speaks only when the student's array equals
its alternative within the grading tolerance, and says what it saw in the student's names,
without values. Nothing here raises on a malformed answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Iterator, Mapping

import numpy as np

from autograder.diagnosis.bugs import reference_functions
from autograder.questions import checks_module, registry

rnn_checks = checks_module()  # the instance the question files use

# What each question's outputs are called, their formulas, the handout section and the time axes:
# its registry entry (autograder/questions/<family>.py).
PARAMETER_GRADIENTS = ("dWax", "dWaa", "dba")


def name_of(question: str, key: str) -> str:
    return registry.question(question).names.get(key, key)


def formula_of(question: str, key: str) -> str:
    table = registry.question(question).formulas
    return table.get(key) or table.get(key.split("[")[0], "")


def section_of(question: str) -> str:
    return registry.question(question).section


def hint(question: str, key: str, what: str, formula: str | None = None, section: str = "") -> str:
    """"your dWax <what> — <formula> (handout: Part 4)": one line in the student's names."""
    formula = formula_of(question, key) if formula is None else formula
    return f"your {name_of(question, key)} {what}" + (f" — {formula}" if formula else "") + \
        f" (handout: {section_of(question)}{section})"


def real(value: Any) -> np.ndarray | None:
    """A real numeric ndarray as float64, else None."""
    if type(value) is np.ndarray and value.dtype.kind in "biuf" and value.size:
        return value.astype(np.float64, copy=False)
    return None


def close(actual: np.ndarray, expected: np.ndarray) -> bool:
    """Within the grading tolerance, entry-wise (and both finite)."""
    if actual.shape != expected.shape:
        return False
    with np.errstate(all="ignore"):
        return bool(np.all(np.abs(actual - expected) <= rnn_checks.ATOL + rnn_checks.RTOL * np.abs(expected)))


def differs(a: np.ndarray, b: np.ndarray) -> bool:
    """Clearly different (so that matching one is not also matching the other)."""
    return a.shape != b.shape or not close(a, b)


def fit(columns: list[np.ndarray], target: np.ndarray) -> np.ndarray | None:
    """Least-squares coefficients c with target ≈ Σ c_k columns_k, or None when the columns are
    not independent (more unknowns than the data determine) or the fit is not exact to the grading
    tolerance."""
    G = np.stack([c.ravel() for c in columns], axis=1)
    y = target.ravel()
    if G.shape[0] <= G.shape[1] or not np.all(np.isfinite(G)) or not np.all(np.isfinite(y)):
        return None
    if np.linalg.matrix_rank(G) < G.shape[1]:
        return None
    c, *_ = np.linalg.lstsq(G, y, rcond=None)
    if not np.all(np.abs(G @ c - y) <= rnn_checks.ATOL + 10 * rnn_checks.RTOL * np.abs(y) + 1e-7 * np.abs(y).max()):
        return None
    return c


def integers(c: np.ndarray) -> list[int] | None:
    """The coefficients as integers when each is within 1e-6 of one."""
    r = np.round(c)
    return [int(v) for v in r] if np.all(np.abs(c - r) <= 1e-6) else None


@dataclass
class Case:
    """One failing case: the student's outputs next to the expected ones, the case's inputs and
    dimensions (n_x, n_a, n_y, m, T_x)."""

    question: str
    inputs: Mapping[str, np.ndarray]
    outputs: Mapping[str, Any]
    expected: Mapping[str, np.ndarray]
    dims: Mapping[str, int]
    public_dims: Mapping[str, int]

    def wrong(self) -> Iterator[tuple[str, np.ndarray | None, np.ndarray]]:
        """(key, the student's array or None, expected) for every float output that is wrong."""
        for key, exp in self.expected.items():
            if exp.dtype.kind != "f":
                continue
            actual = real(self.outputs.get(key))
            if actual is None or not close(actual, exp):
                yield key, actual, exp

    @cached_property
    def pool(self) -> list[tuple[str, np.ndarray]]:
        """Arrays the function sees or returns, by the student's name: inputs, the other expected
        outputs, and the first and last step of each time-indexed one."""
        named = [(name_of(self.question, k), v) for k, v in self.inputs.items() if v.dtype.kind == "f"]
        for key, exp in self.expected.items():
            if exp.dtype.kind != "f":
                continue
            named.append((name_of(self.question, key), exp))
            question = registry.question(self.question)
            axis = question.answer_time_axes.get(key)
            if axis is not None and key in question.step_names:
                step = question.step_names[key]
                if exp.shape[axis] == 1:
                    named.append((f"the {step} of the only step", np.take(exp, 0, axis)))
                else:
                    named.append((f"the {step} of the last step", np.take(exp, -1, axis)))
                    named.append((f"the {step} of the first step", np.take(exp, 0, axis)))
        return named


def _scale_names(d: Mapping[str, int]) -> list[tuple[float, str]]:
    names = [(-1.0, "has the wrong sign (it is −1 times the right one)"), (2.0, "is twice the right one"),
             (0.5, "is half the right one")]
    for dim, what in (("m", "the batch size m"), ("T_x", "the number of steps T_x")):
        n = d.get(dim, 0)
        if n > 1:
            names += [(float(n), f"is {what} times the right one (multiplied by {dim})"),
                      (1.0 / n, f"is divided by {dim} (a mean over {'the batch' if dim == 'm' else 'the time steps'},"
                                f" where the formula sums)")]
    return names


def scaled(case: Case, key: str, actual: np.ndarray, expected: np.ndarray) -> str | None:
    """actual ≈ c·expected for c in −1, 2, 1/2, m, 1/m, T_x, 1/T_x."""
    if actual.shape != expected.shape or not np.any(expected):
        return None
    c = float(np.sum(actual * expected) / np.sum(expected * expected))
    if not close(actual, c * expected):
        return None
    matches = [what for value, what in _scale_names(case.dims) if abs(c - value) <= 1e-6 * abs(value)]
    if not matches:
        return None
    return hint(case.question, key, " — or ".join(dict.fromkeys(matches)))


def transposed(case: Case, key: str, actual: np.ndarray, expected: np.ndarray) -> str | None:
    """A 2-D answer that is the transpose of the right one."""
    if expected.ndim != 2 or actual.shape != expected.T.shape or not close(actual, expected.T) \
            or not differs(expected, expected.T):
        return None
    return hint(case.question, key, f"is the transpose of the right one (shape {actual.shape}, expected "
                                    f"{expected.shape}): swap the order of the product")


def zero(case: Case, key: str, actual: np.ndarray, expected: np.ndarray) -> str | None:
    if actual.shape != expected.shape or np.any(actual) or not np.any(expected):
        return None
    return hint(case.question, key, "is all zeros: it is never set")


def shape_words(shape: tuple[int, ...], dims: Mapping[str, int], *, ours: bool = False) -> str:
    """(6, 1) -> "(n_a, m)" when n_a = 6 and m = 1; ambiguous sizes give "n_x|m". A size that is
    none of the case's is written out in a shape of `ours` (an expected one) and as "?" in the
    student's (where it could carry a value out)."""
    def word(n: int) -> str:
        names = [d for d, v in dims.items() if v == n]
        return "|".join(names) if names else str(n) if ours else "?"
    return "(" + ", ".join(word(n) for n in shape) + ")"


def broadcast(case: Case, key: str, actual: np.ndarray, expected: np.ndarray) -> str | None:
    """The right values spread over a larger shape by broadcasting (an (n_a,) array meeting an
    (n_a, 1) one gives (n_a, n_a))."""
    if actual.shape == expected.shape or actual.size <= expected.size:
        return None
    try:
        spread = np.broadcast_to(expected, actual.shape)
    except ValueError:
        return None
    if not close(actual, spread):
        return None
    return hint(case.question, key, f"has shape {shape_words(actual.shape, case.dims)} and every slice of it is the "
                                    f"right {expected.shape} answer: an array of another shape met it and "
                                    f"broadcast (e.g. (n_a,) + (n_a, 1) gives (n_a, n_a)) — start it with the "
                                    f"shape {shape_words(expected.shape, case.dims, ours=True)}")


def collapsed(case: Case, key: str, actual: np.ndarray, expected: np.ndarray) -> str | None:
    """The right array summed over everything (np.sum without axis=) or over one axis, and
    broadcast back into the right shape."""
    if actual.shape != expected.shape or actual.size < 2:
        return None
    if close(actual, np.full(actual.shape, expected.sum())) and differs(expected, np.full(actual.shape, expected.sum())):
        return hint(case.question, key, "has one value in every entry, the total of all the right entries: "
                                        "np.sum without axis= adds up everything")
    for axis in range(expected.ndim):
        total = np.broadcast_to(expected.sum(axis=axis, keepdims=True), expected.shape)
        if expected.shape[axis] > 1 and close(actual, total) and differs(expected, total):
            return hint(case.question, key, f"is summed over axis {axis} (every entry along that axis holds the "
                                            f"total)")
    return None


def another_array(case: Case, key: str, actual: np.ndarray, expected: np.ndarray) -> str | None:
    """The answer is another array the function sees or returns (yt_pred for y_pred, xt for a
    cache entry, the input gradient for prev_dh)."""
    own = name_of(case.question, key)
    for name, value in case.pool:
        if name != own and value.shape == actual.shape and differs(value, expected) and close(actual, value) \
                and np.any(value):
            return hint(case.question, key, f"is {name} (shape {actual.shape}, expected {expected.shape})")
    return None


def _steps_text(ts: list[int]) -> str:
    if len(ts) > 1 and ts == list(range(ts[0], ts[-1] + 1)):
        return f"t = {ts[0]}..{ts[-1]}"
    return "t = " + ", ".join(map(str, ts))


def per_step(case: Case, key: str, actual: np.ndarray, expected: np.ndarray) -> str | None:
    """Time-indexed outputs: shifted by one step, or zero at the steps the loop never reached."""
    axis = registry.question(case.question).answer_time_axes.get(key)
    if axis is None or actual.shape != expected.shape or expected.shape[axis] < 2:
        return None
    T = expected.shape[axis]
    a = [np.take(actual, t, axis) for t in range(T)]
    e = [np.take(expected, t, axis) for t in range(T)]
    if all(close(a[t], e[T - 1 - t]) for t in range(T)) and differs(e[0], e[-1]):
        return hint(case.question, key, "is in reverse time order: step t's value is at index T_x-1-t (a loop that "
                                        "runs last step first stores or collects in that order) — store step t's "
                                        "result at index t")
    if T >= 3:
        for shift, word in ((1, "the previous step's (t-1)"), (-1, "the next step's (t+1)")):
            ts = [t for t in range(T) if 0 <= t - shift < T]
            if all(close(a[t], e[t - shift]) and differs(e[t], e[t - shift]) for t in ts):
                return hint(case.question, key, f"is shifted by one step: at step t it holds {word} value "
                                                f"(right for {_steps_text([t - shift for t in ts])} but stored one "
                                                f"step off) — store step t's result at index t")
    zeros = [t for t in range(T) if not np.any(a[t]) and np.any(e[t])]
    others_ok = all(close(a[t], e[t]) for t in range(T) if t not in zeros)
    # in a backward pass, the steps before one never processed are wrong too (nothing carried back)
    if zeros and len(zeros) < T and (others_ok or registry.question(case.question).forward is not None):
        reached = [t for t in range(T) if t not in zeros]
        public_T = case.public_dims.get("T_x")
        fixed = f"; it reaches {len(reached)} steps — the public case's T_x = {public_T}: your loop runs a fixed " \
                f"number of steps, take T_x from the shapes" if public_T and len(reached) == public_T != T else ""
        return hint(case.question, key, f"is zero at {_steps_text(zeros)}: your loop never processes "
                                        f"{'that step' if len(zeros) == 1 else 'those steps'}{fixed}",
                    formula=f"loop over every step t = 0 .. T_x-1")
    return None


def shared_buffer(case: Case, key: str, actual: np.ndarray, expected: np.ndarray) -> str | None:
    """Step caches (q2's caches[0][t][k]) that all hold the same array (the carried state updated in place)."""
    axis = registry.question(case.question).answer_time_axes.get(key)
    if not key.startswith("caches[0]") or axis is None or actual.shape != expected.shape:
        return None
    T = expected.shape[axis]
    steps = [np.take(actual, t, axis) for t in range(T)]
    if T < 2 or not all(close(s, steps[-1]) for s in steps) or all(close(np.take(expected, t, axis), steps[-1])
                                                                      for t in range(T)):
        return None
    return hint(case.question, key, "is the same array at every step (by the end they all hold one state): you "
                                    "update one buffer in place (h[:] = … or +=) and every cache keeps a reference "
                                    "to it — give each step its own array (h = a_next)", formula_of(case.question, "caches"))


# --- formulas as sums of known terms ---------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """One term of a pre-activation: its name, its value, and for a confusable stand-in (a
    transposed weight, the wrong state) the name of the formula's term it replaces."""

    name: str
    value: np.ndarray
    replaces: str = ""


def decompose(terms: list[Term], target: np.ndarray, free: list[np.ndarray] = ()) -> str | None:
    """Least squares: target ≈ Σ c_k·term_k (+ any combination of the `free` columns); the words
    for the integer coefficients found ("has no Waa·a_prev term", "adds ba twice", "uses Waaᵀ·a_prev
    where Waa·a_prev belongs"), or None when the fit is not exact or says nothing wrong."""
    terms = [t for t in terms if t.value.shape == target.shape and np.any(t.value)]
    c = fit([t.value for t in terms] + list(free), target)
    r = integers(c[:len(terms)]) if c is not None else None
    if r is None:
        return None
    coefficient = {t.name: k for t, k in zip(terms, r)}
    parts = []
    for t, k in zip(terms, r):
        if t.replaces:
            if k == 1 and coefficient.get(t.replaces) == 0:
                parts.append(f"uses {t.name} where {t.replaces} belongs")
            elif k != 0:
                return None
        elif k == 0 and not any(u.replaces == t.name and coefficient[u.name] == 1 for u in terms):
            parts.append(f"has no {t.name} term")
        elif k == 2:
            parts.append(f"adds {t.name} twice")
        elif k == -1:
            parts.append(f"subtracts {t.name} (it must be added)")
        elif k not in (0, 1):
            return None
    return " and ".join(parts) or None


def outside(terms: list[Term], actual: np.ndarray, activation: Callable[[np.ndarray], np.ndarray] = np.tanh,
            name: str = "tanh") -> str | None:
    """Terms added after the activation instead of inside it: actual ≈ f(Σ inner terms) + Σ outer."""
    terms = [t for t in terms if not t.replaces and t.value.shape == actual.shape]
    for mask in range(1, 2 ** len(terms) - 1):
        out = [t for k, t in enumerate(terms) if mask >> k & 1]
        inner = [t for t in terms if t not in out]
        if close(actual, activation(sum(t.value for t in inner)) + sum(t.value for t in out)):
            return f"adds {' + '.join(t.name for t in out)} after the {name} — {'it belongs' if len(out) == 1 else 'they belong'} " \
                   f"inside the activation"
    return None


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _arctanh(actual: np.ndarray) -> np.ndarray | None:
    """The pre-activation of a tanh output, None when it cannot be one (|value| ≥ 1)."""
    return np.arctanh(actual) if np.max(np.abs(actual)) < 1 else None


def terms_q1(case: Case, key: str, actual: np.ndarray, expected: np.ndarray) -> str | None:
    """a_next: arctanh(a_next) over Wax·xt, Waa·a_prev, ba (and Waaᵀ·a_prev, a square weight
    used the wrong way round); yt_pred: log(yt_pred) over Wya·a_next, by (and Wya·a_prev), up to
    one constant per column (the softmax's normalisation); a sigmoid instead of the softmax."""
    if actual.shape != expected.shape:
        return None
    i = case.inputs
    if key in ("a_next", "cache[0]"):
        z = _arctanh(actual)
        terms = [Term("Wax·xt", i["Wax"] @ i["xt"]), Term("Waa·a_prev", i["Waa"] @ i["a_prev"]),
                 Term("ba", np.broadcast_to(i["ba"], actual.shape)),
                 Term("Waaᵀ·a_prev", i["Waa"].T @ i["a_prev"], replaces="Waa·a_prev")]
        words = outside(terms, actual) or (decompose(terms, z) if z is not None else None)
        return hint(case.question, key, words, formula_of(case.question, "a_next")) if words else None
    if key != "yt_pred":
        return None
    a_next = real(case.outputs.get("a_next"))
    a_next = a_next if a_next is not None and a_next.shape == i["a_prev"].shape else np.tanh(
        i["Wax"] @ i["xt"] + i["Waa"] @ i["a_prev"] + i["ba"])
    terms = [Term("Wya·a_next", i["Wya"] @ a_next), Term("by", np.broadcast_to(i["by"], actual.shape)),
             Term("Wya·a_prev", i["Wya"] @ i["a_prev"], replaces="Wya·a_next")]
    words = outside(terms, actual, _softmax, "softmax")
    if words or np.min(actual) <= 0:
        return hint(case.question, key, words) if words else None
    z = i["Wya"] @ a_next + i["by"]
    if np.max(actual) < 1 and close(actual, 1 / (1 + np.exp(-z))) and differs(expected, 1 / (1 + np.exp(-z))):
        return hint(case.question, key, "is sigmoid(Wya·a_next + by), one probability per entry — a softmax over each "
                               "column makes the column a distribution over the n_y classes")
    words = softmax_terms(terms, actual)
    return hint(case.question, key, words) if words else None


def softmax_terms(terms: list[Term], actual: np.ndarray) -> str | None:
    """decompose() of a softmax's output (n_y, columns): log(actual) over the terms, up to one
    constant per column (the normalisation)."""
    n_y, m = actual.shape
    columns = [np.zeros((n_y, m)) for _ in range(m)]
    for j, column in enumerate(columns):
        column[:, j] = 1.0  # the normalisation of column j
    return decompose(terms, np.log(actual), free=columns)


def terms_q2(case: Case, key: str, actual: np.ndarray, expected: np.ndarray) -> str | None:
    """y_pred computed in rnn_forward itself: every step's log(y_pred) over Wya·a⟨t⟩, by (and
    Wya·a⟨t-1⟩), up to one constant per column."""
    if key != "y_pred" or actual.shape != expected.shape or np.min(actual) <= 0:
        return None
    i = case.inputs
    a = case.expected["a"]
    prev = np.concatenate([i["a0"][:, :, None], a[:, :, :-1]], axis=2)
    flat = lambda v: v.reshape(v.shape[0], -1)  # noqa: E731 - (n, m, T_x) -> (n, m·T_x)
    terms = [Term("Wya·a_next", i["Wya"] @ flat(a)), Term("by", np.broadcast_to(i["by"], flat(actual).shape)),
             Term("Wya·a_prev", i["Wya"] @ flat(prev), replaces="Wya·a_next")]
    words = softmax_terms(terms, flat(actual))
    return hint(case.question, key, words, "y_pred[:, :, t] = softmax(Wya·a_next + by), the yt_pred of step t") if words else None


def terms_q5(case: Case, key: str, actual: np.ndarray, expected: np.ndarray) -> str | None:
    """next_h of every step from the student's own previous state: arctanh(h_t) over x_t·W_ihᵀ,
    b_ih, h_(t-1)·W_hhᵀ, b_hh (and the untransposed square W_hh), the same at every step."""
    if key != "h" or actual.shape != expected.shape:
        return None
    i = case.inputs
    z = _arctanh(actual)
    prev = np.concatenate([i["h0"][None], actual[:-1]], axis=0)
    ones = np.ones(actual.shape)
    terms = [Term("x·weight_ihᵀ", i["x"] @ i["weight_ih"].T), Term("bias_ih", ones * i["bias_ih"]),
             Term("h_prev·weight_hhᵀ", prev @ i["weight_hh"].T), Term("bias_hh", ones * i["bias_hh"]),
             Term("h_prev·weight_hh", prev @ i["weight_hh"], replaces="h_prev·weight_hhᵀ")]
    words = outside(terms, actual) or (decompose(terms, z) if z is not None else None)
    return hint(case.question, key, words) if words else None


# Products of q3's formulas: (left, right) factors by name; "X.T" is a transpose.
Q3_PRODUCTS = {"dxt": ("Wax.T", "dtanh"), "da_prev": ("Waa.T", "dtanh"), "dWax": ("dtanh", "xt.T"),
               "dWaa": ("dtanh", "a_prev.T")}


def factors_q3(case: Case, key: str, actual: np.ndarray, expected: np.ndarray) -> str | None:
    """q3: one factor of the product replaced by another array of the cell (dWaa = dtanh·a_nextᵀ,
    da_prev = Waa·dtanh, …)."""
    if key not in (*Q3_PRODUCTS, "dba"):
        return None
    i = case.inputs
    base = {"xt": i["xt"], "a_prev": i["a_prev"], "a_next": i["a_next"], "da_next": i["da_next"],
            "Wax": i["Wax"], "Waa": i["Waa"], "dtanh": (1 - i["a_next"] ** 2) * i["da_next"]}
    if key == "dba":
        for name, value in base.items():
            total = value.sum(axis=1, keepdims=True)
            if name != "dtanh" and total.shape == actual.shape and close(actual, total) and differs(total, expected):
                return hint(case.question, key, f"is the sum of {name} over the batch: the sum must be over dtanh")
        return None
    arrays = {**base, **{f"{k}.T": v.T for k, v in base.items()}}
    left, right = Q3_PRODUCTS[key]
    for side in (0, 1):
        fixed = arrays[right] if side == 0 else arrays[left]
        for name, value in arrays.items():
            if name in (left, right):
                continue
            product = value @ fixed if side == 0 and value.shape[1:] == fixed.shape[:1] else \
                fixed @ value if side == 1 and fixed.shape[1:] == value.shape[:1] else None
            if product is not None and product.shape == actual.shape and close(actual, product) \
                    and differs(product, expected):
                shown = (name, right) if side == 0 else (left, name)
                wrong = f"{shown[0]} · {shown[1]}".replace(".T", "ᵀ")
                return hint(case.question, key, f"is {wrong}: the factor {(left, right)[side].replace('.T', 'ᵀ')} is "
                                       f"replaced by {name.replace('.T', 'ᵀ')}")
    return None


# --- BPTT (q4) from the reference cell -------------------------------------------------------------

def _bptt(inputs: Mapping[str, np.ndarray], da: np.ndarray, carry0: np.ndarray, cell: Callable, *,
          carried: bool = True, backwards: bool = True) -> tuple[dict[str, np.ndarray], list[dict[str, np.ndarray]]]:
    """The reference BPTT of upstream `da` started from the carry `carry0` at the last step:
    (outputs, per-step cell gradients by t). `carried=False`: the carry is not added to the
    cell's input; `backwards=False`: the loop runs t = 0 .. T_x-1."""
    caches, x = rnn_checks.step_caches(dict(inputs))
    T = da.shape[2]
    dx = np.zeros(x.shape)
    carry, steps = carry0, [None] * T
    for t in (reversed(range(T)) if backwards else range(T)):
        g = cell(da[:, :, t] + carry if carried else da[:, :, t], caches[t])
        dx[:, :, t], carry, steps[t] = g["dxt"], g["da_prev"], g
    totals = {k: sum(s[k] for s in steps) for k in PARAMETER_GRADIENTS}
    return {"dx": dx, "da0": carry, **totals}, steps


def accumulation_q4(case: Case, key: str, actual: np.ndarray, expected: np.ndarray) -> str | None:
    """A parameter gradient as Σ_t c_t·(step t's gradient): one step kept (= for +=), a step left
    out or counted twice; da0 as a sum of several steps' da_prev (accumulated like a parameter)."""
    if key not in (*PARAMETER_GRADIENTS, "da0") or actual.shape != expected.shape:
        return None
    i = case.inputs
    _, steps = _bptt(i, i["da"], np.zeros(i["a0"].shape), reference_functions()["rnn_cell_backward"])
    T = len(steps)
    if key == "da0":
        c = fit([s["da_prev"] for s in steps], actual) if T >= 2 else None
        r = integers(c) if c is not None else None
        if r is None or set(r) - {0, 1} or r == [1] + [0] * (T - 1) or 1 not in r:
            return None
        if r.count(1) == 1:
            t = r.index(1)
            dx = real(case.outputs.get("dx"))
            if dx is None or dx.shape != case.expected["dx"].shape or not close(dx[:, :, 0], case.expected["dx"][:, :, 0]):
                return None  # step 0 itself was never processed: the per-step detectors say so
            return hint(case.question, key, f"is the da_prev of step t = {t}, what flows into step {t - 1}: da0 is what flows "
                                   f"out of step 0 — set it after the loop (da0 = da_prevt)")
        return hint(case.question, key, f"adds up da_prev over {_steps_text([t for t in range(T) if r[t]])} — da0 is what "
                               f"flows out of the first step only, not a sum over steps")
    c = fit([s[key] for s in steps], actual) if T >= 2 else None
    r = integers(c) if c is not None else None
    if r is None or len(set(r)) == 1:
        return None  # a common factor is a scaling (detector `scaled`)
    if r.count(1) == 1 and r.count(0) == T - 1:
        t = r.index(1)
        which = "the last step your loop processed (t = 0)" if t == 0 else \
            "the first step of the backward loop (t = T_x-1)" if t == T - 1 else f"t = {t}"
        return hint(case.question, key, f"is the gradient of one step only, {which}: it is assigned (=) where it must "
                               f"be accumulated (+=) — the weights are shared by every step",
                    section=", 'Why the parameter gradients are summed'")
    if set(r) <= {0, 1}:
        return hint(case.question, key, f"leaves out the gradient of {_steps_text([t for t in range(T) if r[t] == 0])}")
    if set(r) <= {1, 2}:
        return hint(case.question, key, f"counts the gradient of {_steps_text([t for t in range(T) if r[t] == 2])} twice")
    return None


# BPTT run the wrong way, per output: (knobs of _bptt, what the student's loop does).
Q4_MODELS = (
    ({"carried": False}, "what BPTT gives when the gradient carried back from step t+1 is not added to the "
                         "cell's input: rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])"),
    ({"backwards": False}, "what BPTT gives when the loop runs forward in time: it must run t = T_x-1 down "
                           "to 0, so that da_prevt comes from step t+1"),
)


def bptt_models_q4(case: Case) -> tuple[str, set[str]] | None:
    """Outputs equal to those of BPTT with its carry left out of the cell's input, or run forward."""
    i = case.inputs
    cell = reference_functions()["rnn_cell_backward"]
    wrong = {key: actual for key, actual, _ in case.wrong() if actual is not None}
    best: tuple[str, set[str]] | None = None
    for knobs, words in Q4_MODELS:
        model, _ = _bptt(i, i["da"], np.zeros(i["a0"].shape), cell, **knobs)
        keys = {k for k, v in wrong.items() if k in model and close(v, model[k]) and differs(model[k], case.expected[k])}
        if keys and (best is None or len(keys) > len(best[1])):
            best = (words, keys)
    if best is None:
        return None
    names = ", ".join(k for k in case.expected if k in best[1])
    return f"your {names} {'is' if len(best[1]) == 1 else 'are'} {best[0]} (handout: Part 4, " \
           f"'What reaches a⟨t⟩')", best[1]


def _cell_bptt(i: Mapping[str, np.ndarray], *, derivative: bool = True, carried: bool = True) -> dict[str, np.ndarray]:
    """q5's outputs from numpy BPTT in PyTorch's layout, x: (T, m, n_x), h0: (m, n_a), with the
    tanh derivative or the carried prev_dh optionally left out."""
    h, hs = i["h0"], []
    for t in range(i["x"].shape[0]):
        h = np.tanh(i["x"][t] @ i["weight_ih"].T + i["bias_ih"] + h @ i["weight_hh"].T + i["bias_hh"])
        hs.append(h)
    prev = [i["h0"], *hs[:-1]]
    carry = np.zeros(i["h0"].shape)
    out = {"dx": np.zeros(i["x"].shape), "dw_ih": 0.0, "dw_hh": 0.0, "db_ih": 0.0, "db_hh": 0.0}
    for t in reversed(range(len(hs))):
        d = (i["dh"][t] + (carry if carried else 0)) * ((1 - hs[t] ** 2) if derivative else 1)
        out["dx"][t] = d @ i["weight_ih"]
        out["dw_ih"] = out["dw_ih"] + d.T @ i["x"][t]
        out["dw_hh"] = out["dw_hh"] + d.T @ prev[t]
        out["db_ih"] = out["db_ih"] + d.sum(axis=0)
        out["db_hh"] = out["db_hh"] + d.sum(axis=0)
        carry = d @ i["weight_hh"]
    return {**out, "dh0": carry}


Q5_MODELS = (
    ({"derivative": False}, "what the backward gives without the derivative of tanh: d_tanh = (dh + prev_dh) ⊙ "
                            "(1 - h_t²), with h_t the step's output"),
    ({"carried": False}, "what the backward gives when prev_dh is not added: d_tanh = (dh + prev_dh) ⊙ (1 - h_t²)"),
)


def cell_models_q5(case: Case) -> tuple[str, set[str]] | None:
    """Gradients equal to those of RNNCell's backward without the tanh derivative or without prev_dh."""
    wrong = {key: actual for key, actual, _ in case.wrong() if actual is not None}
    for knobs, words in Q5_MODELS:
        model = _cell_bptt(case.inputs, **knobs)
        keys = {k for k, v in wrong.items() if k in model and close(v, model[k]) and differs(model[k], case.expected[k])}
        if keys:
            names = ", ".join(name_of(case.question, k) for k in case.expected if k in keys)
            return f"your {names} {'is' if len(keys) == 1 else 'are'} {words} (handout: Part 5)", keys
    return None


def dtanh_q3(case: Case) -> tuple[str, set[str]] | None:
    """q3: every gradient consistent with one dtanh that is not (1 - a_next²)·da_next (recovered
    from da_prev = Waaᵀ·dtanh): the mistake is in dtanh, whatever its form."""
    i = case.inputs
    da_prev = real(case.outputs.get("da_prev"))
    if da_prev is None or da_prev.shape != i["a_prev"].shape or np.linalg.cond(i["Waa"]) > 1e6:
        return None
    d = np.linalg.solve(i["Waa"].T, da_prev)
    right = (1 - i["a_next"] ** 2) * i["da_next"]
    implied = {"dxt": i["Wax"].T @ d, "da_prev": i["Waa"].T @ d, "dWax": d @ i["xt"].T, "dWaa": d @ i["a_prev"].T,
               "dba": d.sum(axis=1, keepdims=True)}
    keys = {k for k, v in implied.items() if (a := real(case.outputs.get(k))) is not None and close(a, v)}
    if len(keys) < 4 or not differs(d, right):
        return None
    forms = (("1 - a_next**2 * da_next, which multiplies before it subtracts (operator precedence)",
              1 - i["a_next"] ** 2 * i["da_next"]),)
    seen = next((words for words, value in forms if close(d, value)), None)
    what = f"is {seen}" if seen else "is another array than (1 - a_next**2) * da_next"
    return hint(case.question, "dtanh", f"{what}: all of {', '.join(sorted(keys))} agree with that one dtanh, so the mistake "
                               f"is there", "dtanh = (1 - a_next**2) * da_next"), keys


def caches_structure_q2(case: Case) -> tuple[str, set[str]] | None:
    """rnn_forward returning the list of step caches where the pair (list, x) belongs."""
    length, steps, T = case.outputs.get("len(caches)"), case.outputs.get("len(caches[0])"), case.dims.get("T_x")
    keys = {k for k in case.expected if k.startswith("caches") or k.startswith("len(")}
    if isinstance(length, np.ndarray) and length.ndim == 0 and int(length) == T != 2:
        return hint(case.question, "caches", f"has {T} entries, one per step: it is the list of step caches alone",
                    "caches = (list of step caches, x), a pair: len(caches) == 2"), keys
    if isinstance(steps, np.ndarray) and steps.ndim == 0 and int(steps) == 1 != T:
        return hint(case.question, "caches", "holds one step cache: append each step's cache inside the loop"), keys
    return None


def start_carry_q4(case: Case) -> str | None:
    """BPTT started from a nonzero da_prevt: the error is the response of the right backward to a
    carry c0 entering the last step; solve for c0 by least squares over every output."""
    i = case.inputs
    keys = ("dx", "da0", *PARAMETER_GRADIENTS)
    actual = {k: real(case.outputs.get(k)) for k in keys}
    if any(actual[k] is None or actual[k].shape != case.expected[k].shape for k in keys):
        return None
    n_a, m, T = i["da"].shape
    if n_a * m > 400:
        return None
    cell = reference_functions()["rnn_cell_backward"]
    error = np.concatenate([(actual[k] - case.expected[k]).ravel() for k in keys])
    columns = []
    for j in range(n_a * m):
        basis = np.zeros(n_a * m)
        basis[j] = 1.0
        out, _ = _bptt(i, np.zeros(i["da"].shape), basis.reshape(n_a, m), cell)
        columns.append(np.concatenate([out[k].ravel() for k in keys]))
    c = fit(columns, error)
    if c is None or not np.any(np.abs(c) > 1e-6):
        return None
    c0 = c.reshape(n_a, m)
    def near(target: np.ndarray) -> bool:  # least squares recovers c0 to about 1e-8 relative
        return bool(np.linalg.norm(c0 - target) <= 1e-5 * max(np.linalg.norm(target), 1e-12))

    if near(-i["da"][:, :, T - 1]):
        return None  # the same as never processing the last step: the per-step detectors say so
    for t, words in ((T - 1, "da[:, :, T_x-1], the last step's upstream gradient, which is then counted twice"),
                     (0, "da[:, :, 0]")):
        if near(i["da"][:, :, t]):
            start = words
            break
    else:
        start = "a nonzero array"
    return hint(case.question, "da_prevt", f"starts at {start} — nothing flows into the last step from later steps, so "
                                  f"da_prevt starts as zeros: da_prevt = np.zeros((n_a, m))",
                "gradient into step t = da[:, :, t] + da_prevt")


def start_state_q2(case: Case) -> str | None:
    """rnn_forward started from zeros instead of a0."""
    if not np.any(case.inputs["a0"]):
        return None
    a = real(case.outputs.get("a"))
    if a is None or a.shape != case.expected["a"].shape:
        return None
    ref = reference_functions()["rnn_forward"]
    params = {k: case.inputs[k].copy() for k in rnn_checks.PARAMS}
    from_zero = ref(case.inputs["x"].copy(), np.zeros(case.inputs["a0"].shape), params)[0]
    if close(a, from_zero):
        return hint(case.question, "a", "is the forward pass started from zeros, not from a0 — the first step's a_prev "
                               "is a0", "a_next = a0 before the loop")
    return None


# Mistakes any question's answer can show, tried first (then the question's own, from the registry).
ARRAY_DETECTORS = (transposed, scaled, zero, broadcast, collapsed, another_array, shared_buffer, per_step)


def _whole(detector: Callable[[Case], str | None]) -> Callable[[Case], tuple[str, set[str]] | None]:
    """A detector whose finding explains every output of the case."""
    def explain(case: Case) -> tuple[str, set[str]] | None:
        line = detector(case)
        return (line, set(case.expected)) if line else None
    explain.__name__ = detector.__name__
    return explain


start_carry_q4_case = _whole(start_carry_q4)
start_state_q2_case = _whole(start_state_q2)


def answer_hints(case: Case) -> list[tuple[str, str]]:
    """What the detectors recognise in one failing case: (output key, hint) per wrong output (the
    first detector that matches), or ("*", hint) for a pattern that explains the whole case."""
    question = registry.question(case.question)
    # patterns of a whole case: (hint, the outputs it explains); the array detectors skip those
    case_detectors = [registry.resolve(ref) for ref in question.case_detectors]
    array_detectors = [*ARRAY_DETECTORS, *(registry.resolve(ref) for ref in question.answer_detectors)]
    found: list[tuple[str, str]] = []
    explained: set[str] = set()
    for detector in case_detectors:
        try:
            with np.errstate(all="ignore"):
                finding = detector(case)
        except Exception:  # noqa: BLE001 - a malformed answer must not stop the diagnosis
            finding = None
        if finding and not finding[1] <= explained:
            found.append(("*" + detector.__name__, finding[0]))
            explained |= finding[1]
    for key, actual, expected in case.wrong():
        if actual is None or key in explained:
            continue
        for detector in array_detectors:
            try:
                with np.errstate(all="ignore"):
                    line = detector(case, key, actual, expected)
            except Exception:  # noqa: BLE001
                line = None
            if line:
                found.append((key, line))
                break
    return found
