"""The bug library: every patch applies exactly once to solutions/rnn.py, changes its question's
function only, and really changes what that function returns.

Expected outputs are the stored fixtures (torch autograd, autograder/questions/fixtures.*)."""
from __future__ import annotations

import ast

import pytest

from autograder.questions import registry
from autograder.diagnosis.bugs import BUGS, Bug, bugs_of, patched_source, reference_source
from tests.diagnosis.helpers import isolated_functions, outputs_match, public_case, run_case

QUESTIONS = registry.ids()
QUESTION_TARGETS = {q.id: q.target for q in registry.questions()}


def test_library_size_and_shape() -> None:
    assert len(BUGS) >= 22
    assert len({bug.id for bug in BUGS}) == len(BUGS)
    for q in QUESTIONS:
        assert len(bugs_of(q)) >= 4, q
    for bug in BUGS:
        assert bug.question in QUESTIONS and bug.id.startswith(bug.question + "_")
        assert "\n" not in bug.hint and "handout" in bug.hint, bug.id


@pytest.mark.parametrize("bug", BUGS, ids=lambda b: b.id)
def test_each_find_occurs_exactly_once(bug: Bug) -> None:
    for find, replace in bug.patches():
        assert reference_source().count(find) == 1, find
        assert find != replace
    assert patched_source(bug) != reference_source()


def _top_level(source: str) -> dict[str, str]:
    return {node.name: ast.dump(node) for node in ast.parse(source).body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


@pytest.mark.parametrize("bug", BUGS, ids=lambda b: b.id)
def test_patch_changes_only_its_questions_function(bug: Bug) -> None:
    before, after = _top_level(reference_source()), _top_level(patched_source(bug))
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed == {QUESTION_TARGETS[bug.question]}


@pytest.mark.parametrize("bug", BUGS, ids=lambda b: b.id)
def test_variant_is_wrong_on_its_documented_case(bug: Bug) -> None:
    outputs, expected = run_case(bug.question, isolated_functions(bug, bug.question), f"{bug.question}/documented")
    assert not outputs_match(outputs, expected)


@pytest.mark.parametrize("bug", BUGS, ids=lambda b: b.id)
def test_variant_is_right_on_every_other_question(bug: Bug) -> None:
    for q in QUESTIONS:
        if q != bug.question:
            outputs, expected = run_case(q, isolated_functions(bug, q), public_case(q))
            assert outputs_match(outputs, expected), q


def test_a_patch_that_does_not_apply_is_refused() -> None:
    with pytest.raises(ValueError, match="occurs 0 times"):
        patched_source(Bug("q1_nothing", "q1", "hint", "no such text", "x"))
