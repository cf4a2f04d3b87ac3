"""Instructors choose the parts (`rnn-grader build --parts rnn,clip,lstm`, recorded in
autograder/questions/parts.json; RNN_GRADER_PARTS overrides it, as here): the release, the
notebook, grading and the gradebook follow the choice, and a Coursera-style file with the RNN
functions only gets full marks on part "rnn" and not_implemented on the others.

Expected values: the parts and points of the registry's families (README's points table)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from autograder.build.release import write_release
from autograder.cli import main
from autograder.core.grading import grade_submission
from autograder.grade import grade_class
from autograder.questions import registry
from tests.test_submission_fixtures import CORRECT_STYLES, REFERENCE

LEFT_OUT = ("q8", "q13", "q14")  # parts flow and rtrl


@pytest.fixture
def three_parts(monkeypatch):
    monkeypatch.setenv(registry.CHOSEN_PARTS, "rnn,clip,lstm")
    assert registry.chosen_parts() == ("rnn", "clip", "lstm")
    assert {q.id for q in registry.left_out()} == set(LEFT_OUT) and not set(LEFT_OUT) & set(registry.ids())


def test_the_release_follows_the_parts(three_parts, tmp_path: Path) -> None:
    write_release(out_dir=tmp_path)
    stub = (tmp_path / "rnn.py").read_text()
    assert "def lstm_backward(" in stub and "def clip(" in stub
    assert "def gradient_norms(" not in stub and "def rtrl_gradients(" not in stub
    notebook = (tmp_path / "rnn_bptt.ipynb").read_text()
    assert 'grader.check(\\"q12\\")' in notebook and 'grader.check(\\"q8\\")' not in notebook
    handout = (tmp_path / "README.md").read_text()
    assert "## Part 12" in handout and "## Part 8" not in handout and "## RTRL and BPTT" not in handout
    assert sorted(p.stem for p in (tmp_path / "tests").glob("q*.py")) == sorted(registry.ids())
    cases = json.loads((tmp_path / "tests" / "support" / "fixtures.json").read_text())["cases"]
    assert {c["question"] for c in cases} == set(registry.ids())  # every question has a public case


def test_grading_and_the_gradebook_follow_the_parts(three_parts, tmp_path: Path) -> None:
    coursera = CORRECT_STYLES / "correct_coursera.py"
    result = grade_submission(coursera)
    assert list(result.questions) == list(registry.ids())
    assert all(r.status == ("ok" if q in registry.parts()["rnn"] else "not_implemented")
               for q, r in result.questions.items())
    assert result.score == 100 and result.max_score == 100 + 15 + 60  # rnn, clip, lstm
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "coursera.py").write_bytes(coursera.read_bytes())
    (folder / "reference.py").write_bytes(REFERENCE.read_bytes())
    grade_class(folder, out_dir=tmp_path / "out", jobs=1, progress=False)
    with open(tmp_path / "out" / "grades.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert not set(LEFT_OUT) & set(rows[0]) and "q12" in rows[0]
    assert {r["submission"]: float(r["total"]) for r in rows} == {"coursera": 100, "reference": 175}


def test_an_unknown_part_is_one_line_and_exit_2(capsys) -> None:
    before = registry.PARTS_FILE.read_bytes()
    assert main(["build", "--parts", "rnn,lstm9"]) == 2
    assert "parts must be" in capsys.readouterr().err and registry.PARTS_FILE.read_bytes() == before
