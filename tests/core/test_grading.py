"""The grading core on the reference, the untouched stub, notebooks and unreadable files.
Expected points: the question files' own points (otter resolves them); the reference must get
all of them, the stub none."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.questions import registry
from autograder.core.grading import grade_source, grade_submission
from autograder.core.results import SubmissionResult

QUESTIONS = registry.ids()
TOTAL = sum(q.points for q in registry.questions())  # the registry's points (215 with every part)
RNN = registry.parts()["rnn"]


def full_marks_on_rnn(result: SubmissionResult) -> bool:
    """A Coursera-style file (the RNN functions only): full marks on part "rnn", not_implemented
    (not a crash) on every other question."""
    return all((r.score == r.max_score) if q in RNN else r.status == "not_implemented"
               for q, r in result.questions.items())

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "solutions" / "rnn.py"
STUB = REPO / "assignment" / "rnn.py"
NOTEBOOK = REPO / "assignment" / "rnn_bptt.ipynb"


def _solved_notebook(tmp_path: Path) -> Path:
    """The student notebook with every stub cell replaced by the reference's code for it."""
    from autograder.build.release import make_notebook

    nb = make_notebook(handout_md=(REPO / "solutions" / "handout.md").read_text(),
                       stub_source=REFERENCE.read_text())
    path = tmp_path / "solved.ipynb"
    path.write_text(json.dumps(nb))
    return path


def test_reference_gets_full_marks_on_every_case():
    result = grade_source(REFERENCE.read_text())
    assert result.status == "ok" and result.score == result.max_score == TOTAL
    cases = [c for q in result.questions.values() for c in q.cases]
    assert any(c.hidden for c in cases) and all(c.status == "ok" for c in cases)
    assert all(not q.hints for q in result.questions.values())


def test_stub_gets_zero_with_not_implemented_everywhere():
    result = grade_submission(STUB)
    assert result.score == 0
    for q in QUESTIONS:
        assert result.questions[q].status == "not_implemented"
        assert all("NotImplementedError" in c.message and f"({q})" in c.message for c in result.questions[q].cases)


def test_hidden_cases_are_drawn_only_for_questions_whose_public_cases_ran(monkeypatch):
    """An RNN-only file (the bench's einsum style): q6–q14's public cases all find the function
    not written, so their hidden cases are not drawn (the reference's work, in the grader) and end
    as the public ones did; q1–q5's are drawn and pass. Expected points: the question files'."""
    from autograder.core import grading

    asked = []
    real = grading.draw_hidden_cases
    monkeypatch.setattr(grading, "draw_hidden_cases",
                        lambda source, **kw: asked.append(kw.get("questions")) or real(source, **kw))
    result = grade_source((REPO / "autograder" / "bench" / "correct" / "correct_einsum.py").read_text())
    assert full_marks_on_rnn(result)
    assert [sorted(a) for a in asked] == [sorted(RNN)]
    for q in set(QUESTIONS) - set(RNN):
        hidden = [c for c in result.questions[q].cases if c.hidden]
        public = next(c for c in result.questions[q].cases if not c.hidden)
        assert hidden and all(c.status == "not_implemented" and c.message == public.message for c in hidden)


def test_hidden_cases_run_where_only_some_public_cases_were_not_implemented():
    """A clip_by_global_norm that refuses one public case's bound (raises NotImplementedError)
    and answers the other with the reference's: its hidden cases still run (those with another
    bound pass)."""
    source = REFERENCE.read_text() + (
        "\n\n_reference_clip = clip_by_global_norm\n\ndef clip_by_global_norm(gradients, max_norm):\n"
        "    if max_norm == 5:\n        raise NotImplementedError('not for 5')\n"
        "    return _reference_clip(gradients, max_norm)\n")
    q7 = grade_source(source).questions["q7"]
    assert {c.status for c in q7.cases if not c.hidden} == {"not_implemented", "ok"}
    hidden = [c for c in q7.cases if c.hidden]
    assert any(c.status == "ok" for c in hidden)


def test_public_only_runs_only_public_cases():
    result = grade_source(REFERENCE.read_text(), public_only=True)
    cases = [c for q in result.questions.values() for c in q.cases]
    assert cases and not any(c.hidden for c in cases)
    assert result.score == result.max_score < TOTAL


def test_notebook_submissions(tmp_path):
    solved = grade_submission(_solved_notebook(tmp_path))
    assert solved.score == solved.max_score == TOTAL, solved.message
    stub = grade_submission(NOTEBOOK)
    assert stub.score == 0 and {q.status for q in stub.questions.values()} == {"not_implemented"}


@pytest.mark.parametrize("name, data, status, words", [
    ("latin1.py", "x = 'é'\n".encode("latin-1"), "unreadable", "not UTF-8"),
    ("broken.ipynb", b"{not json", "unreadable", "not valid .ipynb"),
    ("empty.ipynb", json.dumps({"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}).encode(),
     "not_implemented", "no code"),
    ("blank.py", b"\n\n", "not_implemented", "empty"),
])
def test_unreadable_submissions_get_a_status_and_a_message(tmp_path, name, data, status, words):
    path = tmp_path / name
    path.write_bytes(data)
    result = grade_submission(path)
    assert result.status == status and words in result.message
    assert result.score == 0 and result.max_score == TOTAL


def test_result_round_trips_through_json():
    result = grade_source(REFERENCE.read_text(), public_only=True)
    again = SubmissionResult.from_json(json.loads(json.dumps(result.to_json())))
    assert again.to_json() == result.to_json()


def test_an_exception_at_import_keeps_what_was_defined():
    source = REFERENCE.read_text() + "\nundefined_name_from_a_leftover_notebook_cell\n"
    result = grade_source(source)
    assert result.score == TOTAL and "NameError" in result.message


def test_result_json_is_a_plain_deep_copy() -> None:
    """to_json gives what dataclasses.asdict gives (plus "passed" per case), sharing nothing; on a
    bug-library variant, so that hints are there too."""
    from dataclasses import asdict

    from autograder.diagnosis.bugs import BUGS_BY_ID, patched_source

    result = grade_source(patched_source(BUGS_BY_ID["q1_softmax_whole_matrix"]))
    data = result.to_json()
    expected = asdict(result)
    for q in expected["questions"].values():
        for c in q["cases"]:
            c["passed"] = c["status"] == "ok"
    assert data == expected and data["questions"]["q1"]["hints"]
    data["questions"]["q1"]["cases"].clear()
    data["questions"]["q1"]["hints"].append("x")
    assert result.questions["q1"].cases and "x" not in result.questions["q1"].hints


def test_notebook_imports_work_quietly() -> None:
    """A notebook export's first cell (matplotlib, its rcParams) imports in the worker, full marks,
    and prints nothing: the worker's home is its own working directory (matplotlib and fontconfig
    would otherwise warn about a read-only home in the student's feedback)."""
    first_cell = ("import numpy as np\nimport matplotlib.pyplot as plt\n"
                  "plt.rcParams['figure.figsize'] = (5.0, 4.0)\n")
    coursera = (REPO / "autograder" / "bench" / "correct" / "correct_coursera.py").read_text()
    result = grade_source(first_cell + coursera)
    assert full_marks_on_rnn(result) and result.output == ""


def _coursera_export(cell_after_each: str) -> str:
    """correct_coursera.py as a Coursera notebook export: `from public_tests import *` (a module
    only Coursera has) first, and `cell_after_each` after every graded definition."""
    source = (REPO / "autograder" / "bench" / "correct" / "correct_coursera.py").read_text()
    for name in ("def rnn_forward", "def rnn_cell_backward", "def rnn_backward", "class RNNCell"):
        source = source.replace(f"\n{name}", f"\n{cell_after_each}\n\n{name}", 1)
    return "from public_tests import *\n" + source + f"\n{cell_after_each}\n"


def test_top_level_statements_after_a_failing_one_still_run() -> None:
    """Like a notebook's cells: the test cells of an export fail (NameError, ModuleNotFoundError),
    every function after them is still defined and graded; the student is told what raised."""
    result = grade_source(_coursera_export("rnn_cell_forward_test(rnn_cell_forward)"))
    assert full_marks_on_rnn(result)
    assert "ModuleNotFoundError: No module named 'public_tests'" in result.message
    assert "and 5 more top-level statements raised" in result.message


def test_a_failing_decorator_skips_its_definition_only() -> None:
    """The statement that raised is skipped whole (here a decorated function), not re-run."""
    source = _coursera_export("@undefined_decorator\ndef helper():\n    pass")
    result = grade_source(source)
    assert full_marks_on_rnn(result) and "and 5 more top-level statements raised" in result.message


def test_system_exit_still_ends_the_import() -> None:
    """sys.exit() means stop: what follows it is not run (here, every graded function)."""
    source = (REPO / "autograder" / "bench" / "correct" / "correct_coursera.py").read_text()
    result = grade_source("import sys\nsys.exit(0)\n" + source)
    assert all(q.status == "not_implemented" for q in result.questions.values())
