"""A library of realistic mistakes, each a textual patch of the reference solution.

A `Bug` names one mistake of one question; `variant_functions(bug)` runs the patched reference so
that the grader can compare a failing submission's outputs with the outputs of every known
mistake and name the one the student made. Variants are trusted code (our own reference, edited),
so they run in the grader process.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Mapping

from autograder.config import SOLUTIONS_DIR
from autograder.questions import registry
from autograder.reference import install_aliases

REFERENCE_PATH = SOLUTIONS_DIR / "rnn.py"


@dataclass(frozen=True)
class Bug:
    """One mistake: replace each `find` (occurring exactly once in solutions/rnn.py) by the
    matching `replace`. `hint` is the single line the student reads."""

    id: str
    question: str
    hint: str
    find: str | tuple[str, ...]
    replace: str | tuple[str, ...]

    def patches(self) -> list[tuple[str, str]]:
        finds = (self.find,) if isinstance(self.find, str) else self.find
        replaces = (self.replace,) if isinstance(self.replace, str) else self.replace
        if len(finds) != len(replaces):
            raise ValueError(f"bug {self.id}: {len(finds)} find texts but {len(replaces)} replacements")
        return list(zip(finds, replaces))


def _bug(id: str, hint: str, find: str | tuple[str, ...], replace: str | tuple[str, ...]) -> Bug:
    return Bug(id, id.split("_", 1)[0], hint, find, replace)


# Code lines of the reference, quoted with their indentation so that the docstrings (which state
# the same equations) never match.
_A_NEXT = "    a_next = np.tanh(Wax @ xt + Waa @ a_prev + ba)\n"
_YT_PRED = "    yt_pred = softmax(Wya @ a_next + by)\n"
# the loop of rnn_forward (other loops of the reference share its first line)
_CELL_CALL = "        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)\n"
_DTANH = "    dtanh = (1 - a_next**2) * da_next\n"
_CELL_BACKWARD_CALL = "rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])"
_D_TANH = "        d_tanh = (dh + self.prev_dh) * (1 - next_hidden**2)\n"
_PREV_DH = "        self.prev_dh = d_tanh @ self.weight_hh\n"

BUGS: tuple[Bug, ...] = (
    # q1 — rnn_cell_forward
    _bug("q1_softmax_whole_matrix",
         "your yt_pred is normalised over the whole matrix (np.exp(z) / np.sum(np.exp(z))) — softmax is "
         "per column: softmax(z)_ij = e^z_ij / Σ_k e^z_kj (handout: Part 1, 'Softmax is per column')",
         _YT_PRED, "    z = Wya @ a_next + by\n    yt_pred = np.exp(z) / np.sum(np.exp(z))\n"),
    _bug("q1_softmax_per_row",
         "your yt_pred is normalised along axis=1 (over the examples) — softmax sums over the classes of "
         "each column, axis=0 (handout: Part 1, 'Softmax is per column')",
         _YT_PRED, "    z = Wya @ a_next + by\n    yt_pred = np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)\n"),
    _bug("q1_missing_ba",
         "your a_next has no bias term — a_next = tanh(Wax·xt + Waa·a_prev + ba) (handout: Part 1)",
         _A_NEXT, "    a_next = np.tanh(Wax @ xt + Waa @ a_prev)\n"),
    _bug("q1_missing_by",
         "your yt_pred has no output bias — yt_pred = softmax(Wya·a_next + by) (handout: Part 1)",
         _YT_PRED, "    yt_pred = softmax(Wya @ a_next)\n"),
    _bug("q1_no_tanh",
         "your a_next is the pre-activation — apply tanh: a_next = tanh(Wax·xt + Waa·a_prev + ba) "
         "(handout: Part 1)",
         _A_NEXT, "    a_next = Wax @ xt + Waa @ a_prev + ba\n"),
    _bug("q1_no_softmax",
         "your yt_pred is the raw score Wya·a_next + by — apply softmax to it (handout: Part 1)",
         _YT_PRED, "    yt_pred = Wya @ a_next + by\n"),
    _bug("q1_cache_a_prev_first",
         "the first entry of your cache is a_prev — the cache is (a_next, a_prev, xt, parameters) "
         "(handout: Part 1)",
         "    cache = (a_next, a_prev, xt, parameters)\n", "    cache = (a_prev, a_prev, xt, parameters)\n"),
    # q2 — rnn_forward
    _bug("q2_store_a_prev",
         "your a[:, :, t] holds the hidden state the step started from (a_prev) — store the new a_next "
         "of step t (handout: Part 2)",
         "        a[:, :, t] = a_next\n", "        a[:, :, t] = cache[1]\n"),
    _bug("q2_skip_last_step",
         "your loop stops one step early (range(T_x - 1)) — run the cell for t = 0 .. T_x-1 (handout: Part 2)",
         "    for t in range(T_x):\n" + _CELL_CALL, "    for t in range(T_x - 1):\n" + _CELL_CALL),
    _bug("q2_skip_first_step",
         "your loop starts at t = 1 (range(1, T_x)) — the first step, from a0 with x[:, :, 0], is missing "
         "(handout: Part 2)",
         "    for t in range(T_x):\n" + _CELL_CALL, "    for t in range(1, T_x):\n" + _CELL_CALL),
    _bug("q2_always_a0",
         "every step of your loop starts from a0 — feed each step's a_next in as the next step's a_prev "
         "(handout: Part 2)",
         _CELL_CALL, _CELL_CALL.replace("a_next, parameters", "a0, parameters")),
    # q3 — rnn_cell_backward
    _bug("q3_dtanh_one_minus_a",
         "your dtanh uses (1 - a_next) — the derivative of tanh is 1 - a_next²: "
         "dtanh = (1 - a_next**2) * da_next (handout: Part 3, dtanh)",
         _DTANH, "    dtanh = (1 - a_next) * da_next\n"),
    _bug("q3_dtanh_square_of_difference",
         "your dtanh uses (1 - a_next)² — the derivative of tanh is 1 - a_next², the square of a_next only: "
         "dtanh = (1 - a_next**2) * da_next (handout: Part 3, dtanh)",
         _DTANH, "    dtanh = (1 - a_next) ** 2 * da_next\n"),
    _bug("q3_dtanh_missing",
         "your gradients skip the tanh derivative (dtanh = da_next) — multiply by 1 - a_next²: "
         "dtanh = (1 - a_next**2) * da_next (handout: Part 3, dtanh)",
         _DTANH, "    dtanh = da_next\n"),
    _bug("q3_dtanh_tanh_of_a_next",
         "your dtanh applies tanh to a_next again (1 - tanh(a_next)²) — a_next already is tanh(z): "
         "dtanh = (1 - a_next**2) * da_next (handout: Part 3, dtanh)",
         _DTANH, "    dtanh = (1 - np.tanh(a_next) ** 2) * da_next\n"),
    _bug("q3_dWaa_transposed",
         "your dWaa equals the transpose of dtanh·a_prevᵀ — check the order of the product in "
         "dWaa = dtanh · a_prevᵀ (handout: Part 3, gradient table)",
         "    dWaa = dtanh @ a_prev.T\n", "    dWaa = a_prev @ dtanh.T\n"),
    _bug("q3_dWax_transposed",
         "your dWax is xt·dtanhᵀ, shape (n_x, n_a) — the gradient has Wax's shape: dWax = dtanh · xtᵀ "
         "(handout: Part 3, gradient table)",
         "    dWax = dtanh @ xt.T\n", "    dWax = xt @ dtanh.T\n"),
    _bug("q3_da_prev_not_transposed",
         "your da_prev uses Waa instead of its transpose — da_prev = Waaᵀ · dtanh (handout: Part 3, "
         "gradient table)",
         '    da_prev = parameters["Waa"].T @ dtanh\n', '    da_prev = parameters["Waa"] @ dtanh\n'),
    _bug("q3_dba_no_keepdims",
         "your dba has shape (n_a,) — keep the column: dba = np.sum(dtanh, axis=1, keepdims=True), "
         "shape (n_a, 1) (handout: Part 3, gradient table)",
         "    dba = np.sum(dtanh, axis=1, keepdims=True)\n", "    dba = np.sum(dtanh, axis=1)\n"),
    _bug("q3_dba_mean",
         "your dba is the mean over the batch — the bias is broadcast over the m columns, so its gradient "
         "is their sum: dba = Σ_j dtanh[:, j] (handout: Part 3, gradient table)",
         "    dba = np.sum(dtanh, axis=1, keepdims=True)\n", "    dba = np.mean(dtanh, axis=1, keepdims=True)\n"),
    _bug("q3_dba_wrong_axis",
         "your dba sums over the hidden units (axis=0) — sum over the examples, axis=1: "
         "dba = np.sum(dtanh, axis=1, keepdims=True) (handout: Part 3, gradient table)",
         "    dba = np.sum(dtanh, axis=1, keepdims=True)\n", "    dba = np.sum(dtanh, axis=0, keepdims=True)\n"),
    # q4 — rnn_backward
    _bug("q4_no_da_prevt",
         "your rnn_backward passes da[:, :, t] alone — add the gradient carried back from step t+1: "
         "rnn_cell_backward(da[:, :, t] + da_prevt, ...) (handout: Part 4, 'What reaches a⟨t⟩')",
         _CELL_BACKWARD_CALL, "rnn_cell_backward(da[:, :, t], step_caches[t])"),
    _bug("q4_overwrite_parameter_gradients",
         "your dWax, dWaa, dba keep only one step's gradient (=) — the weights are shared, so accumulate "
         "over the steps with += (handout: Part 4, 'Why the parameter gradients are summed')",
         ('        dWax += gradients["dWax"]\n', '        dWaa += gradients["dWaa"]\n',
          '        dba += gradients["dba"]\n'),
         ('        dWax = gradients["dWax"]\n', '        dWaa = gradients["dWaa"]\n',
          '        dba = gradients["dba"]\n')),
    _bug("q4_forward_in_time",
         "your rnn_backward walks forward in time — BPTT runs from t = T_x-1 down to 0, so that da_prevt "
         "comes from step t+1 (handout: Part 4)",
         "    for t in reversed(range(T_x)):\n", "    for t in range(T_x):\n"),
    _bug("q4_da0_zero",
         "your da0 is zero — da0 is what flows out of the first step: da0 = da_prevt after the loop "
         "(handout: Part 4)",
         "    da0 = da_prevt\n", "    da0 = np.zeros((n_a, m))\n"),
    _bug("q4_accumulate_da_prevt",
         "your da_prevt accumulates (+=) over the steps — it is replaced at each step: "
         "da_prevt = gradients['da_prev'] of step t+1 only (handout: Part 4)",
         '        da_prevt = gradients["da_prev"]\n', '        da_prevt += gradients["da_prev"]\n'),
    _bug("q4_only_last_step_loss",
         "your rnn_backward uses only da[:, :, T_x-1] — the loss reaches every hidden state: add "
         "da[:, :, t] at every step t (handout: Part 4, 'What reaches a⟨t⟩')",
         ("    da_prevt = np.zeros((n_a, m))\n", _CELL_BACKWARD_CALL),
         ("    da_prevt = da[:, :, -1]\n", "rnn_cell_backward(da_prevt, step_caches[t])")),
    # q5 — RNNCell
    _bug("q5_no_prev_dh",
         "your d_tanh ignores prev_dh — the gradient from the later step must be added: "
         "d_tanh = (dh + prev_dh) ⊙ (1 - h_t²) (handout: Part 5)",
         _D_TANH, "        d_tanh = dh * (1 - next_hidden**2)\n"),
    _bug("q5_prev_dh_transposed",
         "your prev_dh uses weight_hhᵀ — in the row-major layout prev_dh = d_tanh · weight_hh (handout: Part 5)",
         _PREV_DH, "        self.prev_dh = d_tanh @ self.weight_hh.T\n"),
    _bug("q5_prev_dh_not_updated",
         "your backward never updates prev_dh — set prev_dh = d_tanh · weight_hh so it reaches the "
         "previous step and, after the last backward, is the gradient of h0 (handout: Part 5)",
         _PREV_DH, ""),
    _bug("q5_dtanh_one_minus_h",
         "your d_tanh uses (1 - h_t) — the derivative of tanh is 1 - h_t²: "
         "d_tanh = (dh + prev_dh) ⊙ (1 - h_t²) (handout: Part 5)",
         _D_TANH, "        d_tanh = (dh + self.prev_dh) * (1 - next_hidden)\n"),
    _bug("q5_dw_ih_transposed",
         "your dw_ih is xᵀ·d_tanh, shape (n_x, n_a) — the gradient has weight_ih's shape: "
         "dw_ih = d_tanhᵀ · x (handout: Part 5)",
         "        self.dw_ih_stack.append(d_tanh.T @ x)\n", "        self.dw_ih_stack.append(x.T @ d_tanh)\n"),
    _bug("q5_dw_hh_transposed",
         "your dw_hh is the transpose of d_tanhᵀ·h_(t-1) — check the order: dw_hh = d_tanhᵀ · prev_hidden "
         "(handout: Part 5)",
         "        self.dw_hh_stack.append(d_tanh.T @ prev_hidden)\n",
         "        self.dw_hh_stack.append(prev_hidden.T @ d_tanh)\n"),
    _bug("q5_dw_hh_next_hidden",
         "your dw_hh uses the step's output h_t — the weight multiplies the previous state: "
         "dw_hh = d_tanhᵀ · prev_hidden (handout: Part 5)",
         "        self.dw_hh_stack.append(d_tanh.T @ prev_hidden)\n",
         "        self.dw_hh_stack.append(d_tanh.T @ next_hidden)\n"),
    _bug("q5_dx_list_appended",
         "your dx_list is in reverse time order — backward runs last step first, so insert each dx at "
         "the front: dx_list.insert(0, d_tanh · weight_ih) (handout: Part 5)",
         "        self.dx_list.insert(0, d_tanh @ self.weight_ih)\n",
         "        self.dx_list.append(d_tanh @ self.weight_ih)\n"),
    _bug("q5_missing_bias_hh",
         "your next_h leaves out bias_hh — h_t = tanh(x_t·W_ihᵀ + b_ih + h_(t-1)·W_hhᵀ + b_hh) "
         "(handout: Part 5)",
         "prev_hidden @ self.weight_hh.T + self.bias_ih + self.bias_hh", "prev_hidden @ self.weight_hh.T + self.bias_ih"),
)

BUGS_BY_ID: dict[str, Bug] = {bug.id: bug for bug in BUGS}


def bugs_of(question: str) -> tuple[Bug, ...]:
    """The bugs of one question, from the library its registry entry names, in library order."""
    ref = registry.question(question).bugs
    return tuple(bug for bug in registry.resolve(ref) if bug.question == question) if ref else ()


@lru_cache(maxsize=1)
def reference_source() -> str:
    return REFERENCE_PATH.read_text()


def patched_source(bug: Bug) -> str:
    """The reference source with the bug's patches applied; each `find` must occur exactly once."""
    source = reference_source()
    for find, replace in bug.patches():
        count = source.count(find)
        if count != 1:
            raise ValueError(f"bug {bug.id}: {find!r} occurs {count} times in {REFERENCE_PATH}")
        source = source.replace(find, replace)
    return source


def load_functions(source: str, filename: str, overrides: Mapping[str, Callable] | None = None,
                   names: tuple[str, ...] | None = None) -> dict[str, Callable]:
    """Exec trusted `source` in a fresh namespace (with `rnn_utils` importable, as a submission
    sees it) and return its graded functions `names` (default: those of every family whose
    reference is solutions/rnn.py) by name.
    `overrides` are rebound in the namespace afterwards, as the grader rebinds a question's
    dependency to the reference."""
    family = registry.family_of(BUGS[0].question)
    install_aliases(family)
    namespace: dict[str, object] = {"__name__": f"rnn_variant_{filename}"}
    exec(compile(source, filename, "exec"), namespace)
    namespace.update(overrides or {})
    names = names or [q.target for f in registry.families() if f.reference == family.reference for q in f.questions]
    return {name: namespace[name] for name in names}


@lru_cache(maxsize=None)
def _variant(bug: Bug) -> dict[str, Callable]:
    return load_functions(patched_source(bug), f"<bug {bug.id}>")


@lru_cache(maxsize=1)
def _reference() -> dict[str, Callable]:
    return load_functions(reference_source(), "<reference>")


def variant_functions(bug: Bug) -> dict[str, Callable]:
    """The graded functions of the patched reference (exec'd once per bug, then cached)."""
    return dict(_variant(bug))


def reference_functions() -> dict[str, Callable]:
    """The graded functions of the unpatched reference, loaded the same way as the variants."""
    return dict(_reference())
