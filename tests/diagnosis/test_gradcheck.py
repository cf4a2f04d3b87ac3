"""The finite-difference self-check: the reference passes, backward bugs are caught and named,
forward-only bugs are told apart, junk never raises, and the number of calls stays small."""
from __future__ import annotations

from typing import Any, Callable

import pytest

import numpy as np

from autograder.diagnosis.bugs import BUGS_BY_ID, load_functions, reference_functions, reference_source, variant_functions
from autograder.diagnosis.gradcheck import DIRECTIONS, directional_errors, gradient_check, synthetic_case
from autograder.questions import registry
from autograder.questions import checks_module
from tests.diagnosis.helpers import case_ids

rnn_checks = checks_module()

AGREES = "Finite differences of your own forward on the public case agree with your backward"
NOT_REASSURING = "this check cannot see what makes the failing cases fail (see above), so it is no sign"


@pytest.mark.parametrize("question", ["q3", "q4", "q5"])
def test_reference_agrees_with_itself_but_never_reads_as_reassurance(question: str) -> None:
    # The check runs only for a question that lost points: agreement is worded as no proof.
    line = gradient_check(question, reference_functions(), forward_ok=True)
    assert line.startswith(AGREES) and NOT_REASSURING in line


@pytest.mark.parametrize("case_id", [c for q in ("q3", "q4", "q5") for c in case_ids(q)])
def test_runs_on_new_inputs_of_any_case_shapes(case_id: str) -> None:
    question = case_id.split("/")[0]
    _, inputs, _ = rnn_checks.load_case(case_id)
    line = gradient_check(question, reference_functions(), forward_ok=True, like=inputs, shapes="that case")
    assert line.startswith("Finite differences of your own forward on new inputs with the shapes of that case agree")
    case = synthetic_case(question, inputs)
    assert {k: v.shape for k, v in case.items()} == {k: v.shape for k, v in inputs.items()}
    assert not any(np.array_equal(case[k], inputs[k]) for k in inputs)  # never the case's own inputs


def test_a_loop_of_fixed_length_is_caught_on_the_long_shapes() -> None:
    # reversed(range(4)): right on the public T_x = 4, wrong on the shapes of a long case (T_x = 12)
    source = reference_source().replace("    for t in reversed(range(T_x)):\n", "    for t in reversed(range(4)):\n")
    functions = load_functions(source, "<fixed range>")
    assert gradient_check("q4", functions, forward_ok=True).startswith(AGREES)
    _, inputs, _ = rnn_checks.load_case("q4/long")
    line = gradient_check("q4", functions, forward_ok=True, like=inputs, shapes="the long case")
    assert line.startswith("Your backward does not match finite differences of your own forward on new inputs "
                           "with the shapes of the long case") and "dx off by" in line


def test_q3_dtanh_bug_is_flagged_on_every_gradient() -> None:
    line = gradient_check("q3", variant_functions(BUGS_BY_ID["q3_dtanh_missing"]), forward_ok=True)
    assert line.startswith("Your backward does not match finite differences of your own forward on the public case")
    for name in ("dxt", "da_prev", "dWax", "dWaa", "dba"):
        assert f"{name} off by" in line


def test_a_single_wrong_term_is_named_alone() -> None:
    line = gradient_check("q3", variant_functions(BUGS_BY_ID["q3_dWaa_transposed"]), forward_ok=True)
    assert "dWaa off by" in line and line.endswith("; dxt, da_prev, dWax, dba agree.")
    line = gradient_check("q4", variant_functions(BUGS_BY_ID["q4_da0_zero"]), forward_ok=True)
    assert "da0 off by" in line and "dx, dWax, dWaa, dba agree" in line


def test_a_forward_only_bug_is_told_apart() -> None:
    # q1's softmax does not enter a_next: the reference backward is exact for this forward.
    functions = {**reference_functions(),
                 "rnn_cell_forward": variant_functions(BUGS_BY_ID["q1_softmax_whole_matrix"])["rnn_cell_forward"]}
    line = gradient_check("q3", functions, forward_ok=False)
    assert line == AGREES + ", but your forward differs from the reference: fix q1 (rnn_cell_forward) first."


def test_wrong_shapes_are_named() -> None:
    line = gradient_check("q3", variant_functions(BUGS_BY_ID["q3_dba_no_keepdims"]), forward_ok=True)
    assert "dba has shape (5,), but ba has shape (5, 1)" in line


def _raise(*args: Any) -> Any:
    raise RuntimeError("student code")


@pytest.mark.parametrize("functions", [
    {},
    {"rnn_cell_forward": _raise, "rnn_cell_backward": _raise, "rnn_forward": _raise, "rnn_backward": _raise,
     "RNNCell": _raise},
    {**reference_functions(), "rnn_cell_backward": _raise, "rnn_backward": _raise},
    {**reference_functions(), "rnn_cell_forward": lambda *a: None, "rnn_forward": lambda *a: (1, 2, 3)},
])
@pytest.mark.parametrize("question", ["q3", "q4", "q5"])
def test_failing_code_gives_none(question: str, functions: dict) -> None:
    if question == "q5" and "RNNCell" in functions and functions["RNNCell"] is not _raise:
        functions = {**functions, "RNNCell": _raise}
    assert gradient_check(question, functions, forward_ok=None) is None


def test_junk_gradients_are_reported_not_raised() -> None:
    functions = {**reference_functions(), "rnn_cell_backward": lambda *a: {"dxt": [1], "dba": None}}
    line = gradient_check("q3", functions, forward_ok=None)
    assert "dxt has list of length 1" in line and "da_prev is missing" in line
    assert gradient_check("q1", reference_functions(), forward_ok=None) is None


def _counting(functions: dict[str, Callable], counts: dict[str, int]) -> dict[str, Callable]:
    def wrap(name: str, f: Callable) -> Callable:
        def call(*args: Any) -> Any:
            counts[name] = counts.get(name, 0) + 1
            return f(*args)
        return call
    return {name: wrap(name, f) for name, f in functions.items()}


@pytest.mark.parametrize("question, forward, backward", [
    ("q3", "rnn_cell_forward", "rnn_cell_backward"), ("q4", "rnn_forward", "rnn_backward")])
def test_few_calls(question: str, forward: str, backward: str) -> None:
    counts: dict[str, int] = {}
    ref = reference_functions()
    gradient_check(question, _counting({forward: ref[forward], backward: ref[backward]}, counts), forward_ok=True)
    _, case, _ = rnn_checks.load_case(f"{question}/documented")
    n_grads = len(registry.resolve(registry.question(question).gradcheck)(ref, case).wrt)
    assert counts[backward] == 1
    assert counts[forward] == 1 + 2 * DIRECTIONS * n_grads <= 1 + 2 * n_grads * 2


def test_errors_are_small_for_the_reference() -> None:
    _, case, _ = rnn_checks.load_case("q5/documented")
    errors = directional_errors(registry.resolve(registry.question("q5").gradcheck)(reference_functions(), case))
    assert set(errors) == {"dx", "dw_ih", "dw_hh", "db_ih", "db_hh", "dh0"}
    assert all(isinstance(e, float) and e < 1e-4 for e in errors.values())
