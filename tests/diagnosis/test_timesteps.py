"""Per-time-step error tables. The documented q4 values are from DESIGN.md; the rest from the
stored fixtures (torch autograd) and the bug library's variants."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.diagnosis.bugs import BUGS_BY_ID, reference_functions, variant_functions
from autograder.diagnosis.timesteps import relative_error, step_errors, timestep_report
from autograder.questions import checks_module
from tests.diagnosis.helpers import run_case
from tests.strategies import seeds

rnn_checks = checks_module()


def _report(bug_id: str | None, case_id: str) -> tuple[list[str], dict]:
    q = case_id.split("/")[0]
    functions = reference_functions() if bug_id is None else variant_functions(BUGS_BY_ID[bug_id])
    outputs, expected = run_case(q, functions, case_id)
    return timestep_report(q, expected, outputs), outputs


def test_missing_da_prevt_is_right_at_the_last_step_only() -> None:
    lines, outputs = _report("q4_no_da_prevt", "q4/documented")
    # DESIGN.md: dx[1][2] = [-2.07101689, -0.59255627, 0.02466855, 0.01483317]; without da_prevt
    # only the last step, where nothing flows back yet, keeps its value.
    assert outputs["dx"][1][2][3] == pytest.approx(0.01483317, abs=1e-8)
    assert not np.allclose(outputs["dx"][1][2][:3], [-2.07101689, -0.59255627, 0.02466855], atol=1e-3)
    text = "\n".join(lines)
    assert "| dx | " in text and text.count("| ok |") == 1
    assert "dx: correct at t = 3, wrong at t = 0..2 → the gradient from later steps is not carried back (da_prevt)" in lines
    assert any(line.startswith("da0: rel. error") for line in lines)


def test_forward_that_does_not_carry_the_state_is_named() -> None:
    lines, _ = _report("q2_always_a0", "q2/documented")
    assert any(line.startswith("a, y_pred: correct at t = 0, wrong at t = 1..3 → the hidden state is not carried")
               for line in lines)


def test_q5_steps_run_along_axis_0() -> None:
    lines, _ = _report("q5_no_prev_dh", "q5/documented")
    assert "dx: correct at t = 2, wrong at t = 0..1 → the gradient from later steps is not carried back (prev_dh)" in lines


def test_shape_errors_are_named_per_term() -> None:
    lines, _ = _report("q5_dw_ih_transposed", "q5/documented")
    assert "dw_ih: shape (4, 5), expected (5, 4)" in lines[-1] and "dw_hh: ok" in lines[-1]


@pytest.mark.parametrize("case_id", ["q2/documented", "q4/documented", "q4/long", "q5/documented"])
def test_reference_reads_ok_everywhere(case_id: str) -> None:
    lines, _ = _report(None, case_id)
    assert "wrong" not in "\n".join(lines) and "rel. error" not in lines[-1]


def test_questions_without_time_and_junk_give_plain_lines() -> None:
    _, _, expected = rnn_checks.load_case("q4/documented")
    assert timestep_report("q3", expected, {}) == []
    assert timestep_report("q4", expected, None) == []
    lines = timestep_report("q4", expected, {"dx": [1, 2], "da0": np.full((5, 10), np.nan)})
    assert lines[0].startswith("dx: expected an array of shape (3, 10, 4), got list")
    assert "da0: rel. error inf" in lines[1]


@settings(max_examples=30, deadline=None)
@given(seed=seeds, shape=st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 6)), step=st.data())
def test_step_errors_locate_a_change(seed: int, shape: tuple[int, int, int], step) -> None:
    expected = np.random.RandomState(seed).randn(*shape) + 3  # away from zero: relative error defined
    t = step.draw(st.integers(0, shape[2] - 1))
    actual = expected.copy()
    actual[:, :, t] *= 2
    errors = step_errors(actual, expected, 2)
    assert errors is not None and [k for k, e in enumerate(errors) if e > 0] == [t]
    assert errors[t] == pytest.approx(1.0)
    assert relative_error(actual.T, expected) is None or shape == shape[::-1]
