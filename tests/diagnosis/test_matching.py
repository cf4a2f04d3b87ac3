"""Matching a submission's outputs against the variants of the bug library.

The outputs to match are produced by the variants themselves, by the reference, or are junk;
random cases come from the torch oracle (autograder.fixtures.torch_oracle.case_values)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from autograder.diagnosis.bugs import BUGS, Bug, bugs_of, reference_functions, variant_functions
from autograder.diagnosis.matching import matching_bugs, run_quietly, same_value
from autograder.fixtures.torch_oracle import case_values
from autograder.questions import checks_module
from tests.diagnosis.helpers import case_ids
from tests.strategies import dims, random_case, seeds

rnn_checks = checks_module()


@pytest.mark.parametrize("bug", BUGS, ids=lambda b: b.id)
def test_each_bug_is_recognised_alone_on_its_documented_case(bug: Bug) -> None:
    _, inputs, _ = rnn_checks.load_case(f"{bug.question}/documented")
    outputs = run_quietly(bug.question, variant_functions(bug), inputs)
    assert matching_bugs(bug.question, inputs, outputs) == [bug]


@pytest.mark.parametrize("case_id", case_ids())
def test_reference_outputs_match_no_bug(case_id: str) -> None:
    question = case_id.split("/")[0]
    _, inputs, expected = rnn_checks.load_case(case_id)
    assert matching_bugs(question, inputs, run_quietly(question, reference_functions(), inputs)) == []
    # the torch oracle's values are the reference's, within the grading tolerance
    assert matching_bugs(question, inputs, expected) == []


@pytest.mark.parametrize("case_id", case_ids())
def test_junk_outputs_never_crash_and_match_nothing(case_id: str) -> None:
    question = case_id.split("/")[0]
    _, inputs, expected = rnn_checks.load_case(case_id)
    junk = [None, [], "dx", 3, {k: None for k in expected}, {k: [1, 2] for k in expected},
            {k: np.zeros((1, 2, 3, 4)) for k in expected}, {k: np.full(v.shape, np.nan) for k, v in expected.items()},
            {k: v.astype(object) for k, v in expected.items()}]
    for outputs in junk:
        assert matching_bugs(question, inputs, outputs) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=st.sampled_from(["q1", "q2", "q3", "q4", "q5"]), seed=seeds, d=dims(), data=st.data())
def test_a_variant_is_found_wherever_it_differs_from_the_reference(question: str, seed: int, d, data) -> None:
    inputs, expected = case_values(random_case(question, seed, d))
    bug = data.draw(st.sampled_from(bugs_of(question)))
    outputs = run_quietly(question, variant_functions(bug), inputs)
    reference = run_quietly(question, reference_functions(), inputs)
    assert matching_bugs(question, inputs, reference) == []
    differs = outputs is not None and not all(same_value(outputs.get(k), reference[k]) for k in reference)
    assert (bug in matching_bugs(question, inputs, outputs)) == differs


_entries = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64),
                     st.sampled_from([0.0, 1.0, -1.0, 1e-9, 1e-6, np.inf, -np.inf, np.nan]))


@example(5.0, np.inf, 0.0, False)
@example(np.inf, -np.inf, 0.0, False)
@example(np.nan, np.nan, 0.0, False)
@given(_entries, _entries, st.sampled_from([0.0, 1e-12, 1e-7, 1e-5]), st.booleans())
def test_same_value_is_allclose_with_equal_nan(x: float, y: float, r: float, near: bool) -> None:
    """same_value is np.allclose(rtol, atol of rnn_checks, equal_nan=True) without its overhead,
    entry by entry, infinities and NaN included; b is a near copy of a or anything."""
    a, b = np.array([x, 1.0]), np.array([x * (1 + r) if near else y, 1.0])
    with np.errstate(all="ignore"):
        expected = bool(np.allclose(a, b, rtol=rnn_checks.RTOL, atol=rnn_checks.ATOL, equal_nan=True))
    assert same_value(a, b) == expected
