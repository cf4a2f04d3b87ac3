"""The q6–q14 bug library: every patch applies to the reference, every question has at least four
realistic bugs with a hint naming its equation and handout part, and every bug is caught by the
public cases at the proposed tolerances — except those listed in TIGHT, which only a much tighter
rtol (or a hidden case class) reveals. Expected values: the reference solution."""
from __future__ import annotations

import numpy as np
import pytest

from autograder.diagnosis.bugs import reference_source
from autograder.diagnosis.bugs import bugs_of, variant_functions
from autograder.diagnosis.bugs_part2 import BUGS_PART2
from autograder.fixtures.cases_part2 import CASES, case_inputs
from autograder.fixtures.drivers_part2 import FUNCTIONS, run_case
from autograder.reference import load_reference

RTOL, ATOL = 1e-6, 1e-9  # the proposed grading tolerances (those of q1–q5)
REFERENCE = {name: getattr(load_reference(), name) for name in FUNCTIONS}
QUESTIONS = [f"q{n}" for n in range(6, 15)]
# bug -> (the case that catches it, the rtol below which the public cases see it)
TIGHT = {"q7_no_epsilon": ("q7/zero", 1e-7)}  # 1e-6 / total_norm: relative 1.5e-7 on the public case


def _caught(bug_functions, case, rtol=RTOL) -> bool:
    """Whether some output of the bug differs from the reference's beyond atol + rtol·|expected|
    (a different key or shape, or an exception, counts as caught)."""
    inputs = case_inputs(case)
    expected = run_case(REFERENCE, case.question, inputs)
    try:
        actual = run_case(bug_functions, case.question, inputs)
    except Exception:
        return True
    if sorted(actual) != sorted(expected):
        return True
    return any(np.shape(actual[k]) != np.shape(v)
               or not np.allclose(actual[k], v, rtol=rtol, atol=ATOL) for k, v in expected.items())


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_question_has_four_bugs_with_hints(question):
    bugs = bugs_of(question)
    assert len(bugs) >= 4
    part = f"(handout: Part {question[1:]})"
    for bug in bugs:
        assert bug.hint.startswith("your ") or bug.hint.startswith("every "), bug.id
        assert bug.hint.endswith(part) and "\n" not in bug.hint, bug.id


@pytest.mark.parametrize("bug", BUGS_PART2, ids=[b.id for b in BUGS_PART2])
def test_each_find_occurs_exactly_once_and_the_variant_loads(bug):
    for find, _ in bug.patches():
        assert reference_source().count(find) == 1, find
    assert set(FUNCTIONS) <= set(variant_functions(bug))


@pytest.mark.parametrize("bug", BUGS_PART2, ids=[b.id for b in BUGS_PART2])
def test_the_public_cases_catch_each_bug(bug):
    public = [c for c in CASES if c.question == bug.question and not c.hidden]
    functions = variant_functions(bug)
    if bug.id in TIGHT:
        case_id, rtol = TIGHT[bug.id]
        assert not any(_caught(functions, c) for c in public)
        assert any(_caught(functions, c, rtol=rtol / 10) for c in public)
        assert _caught(functions, next(c for c in CASES if c.id == case_id))
    else:
        assert any(_caught(functions, c) for c in public)


def test_bugs_are_told_apart_on_the_public_cases():
    """No two bugs of a question give the same outputs on its public cases (a hint names one)."""
    for question in QUESTIONS:
        public = [c for c in CASES if c.question == question and not c.hidden]
        seen = {}
        for bug in bugs_of(question):
            try:
                outputs = [run_case(variant_functions(bug), question, case_inputs(c)) for c in public]
            except Exception:
                continue
            key = tuple(np.round(np.concatenate([np.ravel(v) for o in outputs for v in o.values()]), 9))
            assert key not in seen, (bug.id, seen.get(key))
            seen[key] = bug.id
