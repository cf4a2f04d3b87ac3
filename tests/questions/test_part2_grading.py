"""q6–q14 graded end to end through the sandbox, by `check`, `grade` and `gradescope` alike:
each question in isolation (q8, q10, q12 with the reference cell when the cell's question failed,
q14 always with the reference rtrl_cell_forward), the cell guards refuse what a correct caller
would not pass, and a Coursera-style file gets the marks of the parts it wrote.

Expected statuses: the fixtures' `# expect:` headers and the isolation rule of DESIGN.md (a
broken cell costs its own question only); shapes: the contracts in solutions/rnn.py's docstrings."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.check import check
from autograder.core.callbacks import (lstm_cell_backward_arguments, lstm_cell_forward_arguments,
                                       rtrl_cell_forward_arguments)
from autograder.core.grading import grade_submission
from autograder.gradescope import gradescope
from autograder.questions import registry
from autograder.sandbox.errors import RefusedArguments
from tests.test_submission_fixtures import CORRECT_STYLES, REFERENCE, parse_header

COURSERA_LSTM = CORRECT_STYLES / "correct_coursera_lstm.py"


def _broken(name: str, signature: str) -> str:
    return f"\n\ndef {name}({signature}):\n    raise ValueError('broken')\n"


@pytest.mark.parametrize("cell, signature, own, callers", [
    ("rnn_cell_backward", "da_next, cache", "q3", ("q4", "q8")),
    ("lstm_cell_forward", "xt, a_prev, c_prev, parameters", "q9", ("q10",)),
    ("lstm_cell_backward", "da_next, dc_next, cache", "q11", ("q12",)),
    ("rtrl_cell_forward", "xt, a_prev, sensitivities, parameters", "q13", ("q14",)),
], ids=lambda v: v if isinstance(v, str) and v.endswith(("forward", "backward")) else None)
def test_a_broken_cell_costs_its_own_question_only(tmp_path: Path, cell, signature, own, callers) -> None:
    path = tmp_path / "rnn.py"
    path.write_text(REFERENCE.read_text() + _broken(cell, signature))
    statuses = {q: r.status for q, r in grade_submission(path).questions.items()}
    assert statuses == {q: "failed" if q == own else "ok" for q in registry.ids()}, statuses


def test_coursera_lstm_gets_the_parts_it_wrote_in_check_grade_and_gradescope(tmp_path: Path) -> None:
    expected = parse_header(COURSERA_LSTM)[0]
    assert {q for q, s in expected.items() if s == "ok"} == {*registry.parts()["rnn"], "q6", "q9", "q10", "q11", "q12"}
    graded = grade_submission(COURSERA_LSTM)
    assert {q: r.status for q, r in graded.questions.items()} == expected
    assert all((r.score == r.max_score) == (expected[q] == "ok") for q, r in graded.questions.items())
    assert {q: r.status for q, r in check(COURSERA_LSTM).questions.items()} == expected
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "rnn.py").write_bytes(COURSERA_LSTM.read_bytes())
    data = gradescope(root=tmp_path)
    assert data["extra_data"]["questions"] == expected and data["score"] == graded.score


def _lstm_case(n_x: int = 3, n_a: int = 5, n_y: int = 2, m: int = 4, T_x: int = 3) -> dict[str, np.ndarray]:
    """A q10/q12 case's stored inputs (x, a0, the LSTM parameters by name)."""
    shapes = {**{f"W{g}": (n_a, n_a + n_x) for g in "fico"}, **{f"b{g}": (n_a, 1) for g in "fico"},
              "Wy": (n_y, n_a), "by": (n_y, 1)}
    return {"x": np.ones((n_x, m, T_x)), "a0": np.ones((n_a, m)), **{k: np.ones(s) for k, s in shapes.items()}}


def test_lstm_guards_take_the_contract_and_refuse_the_rest() -> None:
    case = _lstm_case()
    parameters = {k: v for k, v in case.items() if k not in ("x", "a0")}
    state = np.ones((5, 4))
    lstm_cell_forward_arguments((np.ones((3, 4)), state, state, {**parameters, "extra": 1}), case)
    for args in [(np.ones((4, 3)), state, state, parameters),                  # xt transposed
                 (np.ones((3, 4)), state, np.ones((5, 1)), parameters),        # c_prev of another size
                 (np.ones((3, 4)), state, state, {**parameters, "Wf": np.ones((5, 5))}),
                 (np.ones((3, 4)), state, parameters)]:
        with pytest.raises(RefusedArguments):
            lstm_cell_forward_arguments(args, case)
    cache = (*[state] * 8, np.ones((3, 4)), parameters)
    lstm_cell_backward_arguments((state, state, cache), case)
    lstm_cell_backward_arguments((state, state, list(cache)), case)
    for bad in [cache[:9], (*[state] * 8, state, parameters), (*[state] * 8, np.ones((3, 4)), [parameters])]:
        with pytest.raises(RefusedArguments):
            lstm_cell_backward_arguments((state, state, bad), case)


def test_rtrl_guard_takes_the_sensitivities_of_the_contract() -> None:
    n_x, n_a, m = 3, 5, 4
    case = {"x": np.ones((n_x, m, 6)), "a0": np.ones((n_a, m)), "Wax": np.ones((n_a, n_x)),
            "Waa": np.ones((n_a, n_a)), "ba": np.ones((n_a, 1)), "Wya": np.ones((2, n_a)), "by": np.ones((2, 1))}
    parameters = {k: v for k, v in case.items() if k not in ("x", "a0")}
    sensitivities = {"Wax": np.ones((n_a, m, n_a, n_x)), "Waa": np.ones((n_a, m, n_a, n_a)), "ba": np.ones((n_a, m, n_a))}
    args = (np.ones((n_x, m)), np.ones((n_a, m)), sensitivities, parameters)
    rtrl_cell_forward_arguments(args, case)
    for bad in [{**sensitivities, "ba": np.ones((n_a, m, n_a, 1))}, {"Wax": sensitivities["Wax"]},
                {**sensitivities, "by": np.ones(2)}]:
        with pytest.raises(RefusedArguments):
            rtrl_cell_forward_arguments((*args[:2], bad, parameters), case)
