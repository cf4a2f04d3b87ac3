"""Every submission fixture gets the grade it got when tests/questions/fixture_grades.json was
recorded (scores, statuses and hints per question, the status of every case): refactoring the
grader must not change what a student sees. Expected values: the record, made with the grader of
main before the question registry (`python -m tests.questions.fixture_grades` remakes it)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.questions.fixture_grades import RECORD, fixture_paths, grade_fixture, key

RECORDED = json.loads(RECORD.read_text())
PATHS = fixture_paths()


def test_every_fixture_is_recorded():
    assert sorted(RECORDED) == sorted(key(p) for p in PATHS)


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_fixture_grade_unchanged(path: Path):
    """The questions of the record (q1–q5 for the fixtures recorded before q6–q14 existed) as
    recorded; the new questions' grades of those fixtures are the headers' (test_submission_outcomes)."""
    recorded, graded = RECORDED[key(path)], grade_fixture(path)
    assert {q: graded["questions"][q] for q in recorded["questions"]} == recorded["questions"]
