"""The answer-based detectors: each recognises its transformation of the right answer on the stored
cases, says it in the student's names, and stays silent on the right answer and on answers that are
merely wrong (noise). Right answers are the stored expectations (torch autograd); the wrong ones
are built here from them or from the reference cells (solutions/rnn.py)."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from autograder.diagnosis.bugs import reference_functions
from autograder.diagnosis.detectors import Case, answer_hints
from autograder.diagnosis.failures import dimensions
from autograder.questions import checks_module, public_case_id
from tests.diagnosis.helpers import case_ids

rnn_checks = checks_module()


def case_of(case_id: str, **changed: Any) -> Case:
    """The stored case with some outputs replaced by the student's."""
    question = case_id.split("/")[0]
    _, inputs, expected = rnn_checks.load_case(case_id)
    public = dimensions(question, rnn_checks.load_case(public_case_id(question))[1])
    outputs = {**{k: v.copy() for k, v in expected.items()}, **changed}
    return Case(question, inputs, outputs, expected, dimensions(question, inputs), public)


def hints(case_id: str, **changed: Any) -> list[str]:
    return [line for _, line in answer_hints(case_of(case_id, **changed))]


def expected(case_id: str) -> dict[str, np.ndarray]:
    return rnn_checks.load_case(case_id)[2]


@pytest.mark.parametrize("case_id", case_ids())
def test_silent_on_the_right_answer_and_on_noise(case_id: str) -> None:
    assert hints(case_id) == []
    rng = np.random.RandomState(0)
    noisy = {k: v * (1 + 1e-3 * rng.randn(*v.shape)) for k, v in expected(case_id).items() if v.dtype.kind == "f"}
    assert hints(case_id, **noisy) == []


def test_transposed() -> None:
    e = expected("q3/wide")
    (line,) = hints("q3/wide", dWax=e["dWax"].T.copy())
    assert line.startswith("your dWax is the transpose of the right one (shape (6, 4), expected (4, 6))")
    assert "dWax = dtanh · xtᵀ" in line and "(handout: Part 3" in line


@pytest.mark.parametrize("key, factor, words", [
    ("dxt", 1 / 7, "is divided by m (a mean over the batch"), ("da_prev", -1.0, "has the wrong sign"),
    ("dWaa", 7.0, "is the batch size m times the right one")])
def test_scaled_by_m_or_minus_one(key: str, factor: float, words: str) -> None:
    (line,) = hints("q3/wide", **{key: expected("q3/wide")[key] * factor})  # m = 7 in this case
    assert line.startswith(f"your {key} {words}")


def test_scaled_by_the_number_of_steps() -> None:
    (line,) = hints("q4/long", dWax=expected("q4/long")["dWax"] / 12)  # T_x = 12
    assert line.startswith("your dWax is divided by T_x (a mean over the time steps")


def test_another_output_yt_pred_for_y_pred() -> None:
    (line,) = hints("q2/long", y_pred=expected("q2/long")["y_pred"][:, :, -1].copy())
    assert line.startswith("your y_pred is the yt_pred of the last step (shape (4, 3), expected (4, 3, 9))")


def test_shifted_by_one_step() -> None:
    e = expected("q2/long")["a"]
    shifted = np.concatenate([np.zeros(e[:, :, :1].shape), e[:, :, :-1]], axis=2)
    (line,) = hints("q2/long", a=shifted)
    assert line.startswith("your a is shifted by one step: at step t it holds the previous step's (t-1) value")


def test_steps_never_reached_and_a_fixed_loop() -> None:
    dx = expected("q4/long")["dx"].copy()
    dx[:, :, 4:] = 0  # the loop ran for the public case's 4 steps
    (line,) = hints("q4/long", dx=dx)
    assert "your dx is zero at t = 4..11: your loop never processes those steps" in line
    assert "the public case's T_x = 4: your loop runs a fixed number of steps" in line


def _bptt_steps(case_id: str) -> list[dict[str, np.ndarray]]:
    """The reference cell's gradients of every step of a stored q4 case, as BPTT computes them."""
    _, i, _ = rnn_checks.load_case(case_id)
    caches, _ = rnn_checks.step_caches(dict(i))
    cell = reference_functions()["rnn_cell_backward"]
    carry, steps = np.zeros(i["a0"].shape), {}
    for t in reversed(range(i["da"].shape[2])):
        steps[t] = cell(i["da"][:, :, t] + carry, caches[t])
        carry = steps[t]["da_prev"]
    return [steps[t] for t in sorted(steps)]


def test_an_accumulation_that_kept_one_step() -> None:
    steps = _bptt_steps("q4/documented")
    (line,) = hints("q4/documented", dWaa=steps[0]["dWaa"])  # `dWaa = ...` for `+=`, dWax and dba right
    assert line.startswith("your dWaa is the gradient of one step only, the last step your loop processed (t = 0)")
    assert "(+=)" in line and "'Why the parameter gradients are summed'" in line


def test_an_accumulation_that_left_a_step_out() -> None:
    steps = _bptt_steps("q4/documented")
    (line,) = hints("q4/documented", dWax=sum(s["dWax"] for s in steps[1:]))
    assert line.startswith("your dWax leaves out the gradient of t = 0")


def test_a_nonzero_starting_carry() -> None:
    _, i, _ = rnn_checks.load_case("q4/documented")
    caches, x = rnn_checks.step_caches(dict(i))
    cell = reference_functions()["rnn_cell_backward"]
    carry, out = i["da"][:, :, -1], {"dx": np.zeros(x.shape), "dWax": 0, "dWaa": 0, "dba": 0}
    for t in reversed(range(4)):
        g = cell(i["da"][:, :, t] + carry, caches[t])
        out["dx"][:, :, t], carry = g["dxt"], g["da_prev"]
        for k in ("dWax", "dWaa", "dba"):
            out[k] = out[k] + g[k]
    (line,) = hints("q4/documented", **out, da0=carry)
    assert line.startswith("your da_prevt starts at da[:, :, T_x-1], the last step's upstream gradient")


@pytest.mark.parametrize("terms, words", [
    (("Wax", "ba"), "has no Waa·a_prev term"), (("Wax", "Waa", "ba", "ba"), "adds ba twice")])
def test_a_missing_or_doubled_term(terms: tuple[str, ...], words: str) -> None:
    _, i, _ = rnn_checks.load_case("q1/wide")
    value = {"Wax": i["Wax"] @ i["xt"], "Waa": i["Waa"] @ i["a_prev"], "ba": i["ba"]}
    a_next = np.tanh(sum(value[t] for t in terms))
    found = hints("q1/wide", a_next=a_next, **{"cache[0]": a_next})
    assert any(line.startswith(f"your a_next {words} — a_next = tanh(Wax·xt + Waa·a_prev + ba)") for line in found)


def test_step_caches_sharing_one_buffer() -> None:
    e = expected("q2/long")["caches[0][t][1]"]
    same = np.repeat(e[:, :, -1:], e.shape[2], axis=2)
    (line,) = hints("q2/long", **{"caches[0][t][1]": same})
    assert line.startswith("your step caches' a_prev (caches[0][t][1]) is the same array at every step")
