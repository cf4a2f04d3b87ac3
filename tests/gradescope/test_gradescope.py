"""`rnn-grader gradescope` in-process: finding the submission, results.json per Gradescope's
specification, hidden cases without their messages, and a valid result when the grader fails.
Expected scores come from the grading core on the same file; case counts from the question files."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from autograder.questions import registry
from autograder.core.grading import grade_submission
from autograder.diagnosis import HIDDEN_FAILURES
from autograder.gradescope import gradescope
from autograder.gradescope.results import GRADER_ERROR, STATUS_WORDS, error_results
from autograder.questions import test_file as question_file
from tests.gradescope.conftest import scores_by_question
from tests.gradescope.schema import validate

QUESTIONS = registry.ids()
TOTAL = sum(q.points for q in registry.questions())  # README: 215 with every part

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "solutions" / "rnn.py"
BUG = REPO / "tests" / "submissions" / "bug_dtanh_one_minus_a.py"  # q3 fails, base: reference


def _root(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "submission" / name).write_text(text)
    (tmp_path / "submission").mkdir(exist_ok=True)
    return tmp_path



def test_a_symlink_out_of_the_submission_is_refused_unread(tmp_path):
    """No link is followed (issue 10): the row says which link was refused."""
    secret = tmp_path / "source" / "secret.py"
    secret.parent.mkdir()
    secret.write_text(REFERENCE.read_text())  # would score full marks if it were read
    root = _root(tmp_path, {})
    (root / "submission" / "rnn.py").symlink_to(secret)  # inside tmp_path only
    data = gradescope(root=root)
    validate(data)
    assert data["score"] == 0 and data["extra_data"]["status"] == "refused"
    assert "rnn.py is a symbolic link" in data["output"]


def test_reference_results_follow_the_specification(tmp_path):
    root = _root(tmp_path, {"rnn.py": REFERENCE.read_text()})
    data = gradescope(root=root)
    assert json.loads((root / "results" / "results.json").read_text()) == data
    validate(data)
    assert data["score"] == TOTAL == sum(t["max_score"] for t in data["tests"])
    assert all(t["status"] == "passed" for t in data["tests"])
    public = sum(not tc.hidden for q in QUESTIONS for tc in question_file(q).test_cases)
    hidden = sum(tc.hidden for q in QUESTIONS for tc in question_file(q).test_cases)
    assert f"ran {public} public and {hidden} hidden test cases" in data["output"]
    assert {t["visibility"] for t in data["tests"] if "hidden" in t["tags"]} == {"after_published"}
    assert {t["visibility"] for t in data["tests"] if "public" in t["tags"]} == {"visible"}
    assert data["execution_time"] > 0


def test_a_bug_costs_its_question_and_hidden_cases_show_no_message(tmp_path):
    path = tmp_path / "bug.py"
    path.write_text(REFERENCE.read_text() + "\n\n" + BUG.read_text())
    core = grade_submission(path)
    root = _root(tmp_path / "root", {"rnn.py": path.read_text()})
    data = gradescope(root=root, hidden_visibility="after_due_date")
    validate(data)
    assert data["score"] == core.score < core.max_score
    assert scores_by_question(data) == {q: (r.score, r.max_score) for q, r in core.questions.items()}
    q3_public = next(t for t in data["tests"] if t["tags"] == ["q3", "public"])
    assert q3_public["status"] == "failed"
    failed_public = [c for c in core.questions["q3"].cases if not c.hidden and not c.passed]
    assert failed_public and all(c.message in q3_public["output"] for c in failed_public)
    hidden_messages = [c.message for q in core.questions.values() for c in q.cases if c.hidden and c.message]
    assert hidden_messages  # the bug fails hidden cases too, with messages the student must not see
    text = json.dumps(data, ensure_ascii=False)
    assert not [m for m in hidden_messages if m in text]
    for t in data["tests"]:
        if "hidden" in t["tags"]:
            assert t["visibility"] == "after_due_date"
            names = {tc.name for tc in question_file(t["tags"][0]).test_cases if tc.hidden}
            # one line per case, then (if any failed) what failed, described without its messages
            marks, _, described = t["output"].partition(HIDDEN_FAILURES)
            assert described or "✗" not in marks
            for line in marks.splitlines():
                mark, rest = line.split(" ", 1)
                name, status = rest.rsplit(": ", 1)
                assert mark in "✓✗" and name in names and status in STATUS_WORDS.values()


def test_no_submission_still_gives_a_valid_zero(tmp_path):
    root = _root(tmp_path, {"notes.txt": "hello"})
    data = gradescope(root=root)
    validate(data)
    assert data["score"] == 0 and "notes.txt" in data["output"] + json.dumps(data["tests"])


def test_a_failing_grader_writes_score_zero_and_contact_staff(tmp_path, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("the grader broke")
    monkeypatch.setattr("autograder.core.grading.grade_submission", broken)
    root = _root(tmp_path, {"rnn.py": REFERENCE.read_text()})
    (root / "results").mkdir()
    (root / "results" / "results.json").write_text("FORGED")
    data = gradescope(root=root)
    validate(data)
    assert data == json.loads((root / "results" / "results.json").read_text())
    assert data["score"] == 0 and data["output"] == GRADER_ERROR and "contact course staff" in GRADER_ERROR
    assert "the grader broke" in capsys.readouterr().err  # the traceback, for instructors only
    assert sorted(p.name for p in (root / "results").iterdir()) == ["results.json"]


def test_the_cli_rejects_an_unknown_visibility(tmp_path, capsys):
    from autograder.cli import main
    assert main(["gradescope", "--root", str(tmp_path), "--hidden-visibility", "sometimes"]) == 2
    assert "sometimes" in capsys.readouterr().err


@pytest.mark.parametrize("bad", [
    {"score": "10"},
    {"tests": [{"score": 1, "status": "ok"}]},
    {"score": 1, "tests": [{"score": 1, "visibility": "later"}]},
    {"score": 1, "secret": True},
    {"tests": [{"name": "no score"}]},
    {"score": 1, "leaderboard": [{"name": "t", "value": 1, "order": "up"}]},
])
def test_the_schema_check_rejects_invalid_results(bad):
    with pytest.raises(jsonschema.ValidationError):
        validate(bad)


def test_the_schema_check_accepts_the_specifications_example():
    validate({"score": 44.0, "execution_time": 136, "output": "Text", "visibility": "after_due_date",
              "stdout_visibility": "visible", "extra_data": {},
              "tests": [{"score": 2.0, "max_score": 2.0, "name": "Your name here", "number": "1.1",
                         "output": "Giant multiline string", "tags": ["tag1"], "visibility": "visible",
                         "extra_data": {}}],
              "leaderboard": [{"name": "Accuracy", "value": .926}, {"name": "Time", "value": 15.1, "order": "asc"},
                              {"name": "Stars", "value": "*****"}]})
    validate(error_results())


@pytest.mark.parametrize("fixture", ["hostile_surrogate_exception.py", "hostile_markdown_injection.py"])
def test_untrusted_text_still_gives_valid_results_json(tmp_path, fixture):
    """Issue 10: a lone surrogate once stopped results.json being written; printed text is
    indented, so it never passes for one of the grader's own lines."""
    from tests.test_submission_fixtures import SUBMISSIONS, submission_source

    root = _root(tmp_path, {})
    (root / "submission" / "rnn.py").write_bytes(submission_source(SUBMISSIONS / fixture))
    data = gradescope(root=root)
    validate(data)
    written = (root / "results" / "results.json").read_bytes().decode("utf-8")  # strict
    assert json.loads(written) == data and data["score"] < TOTAL
    assert not [line for line in data["output"].splitlines() if line.startswith(("**Total", "# Feedback", "<img"))]

