"""`rnn-grader check`, as a student runs it (through the real console entry point)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.questions import registry

REPO = Path(__file__).resolve().parents[2]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_reference_passes_every_public_test(capsys):
    code, out, _ = run(capsys, str(REPO / "solutions" / "rnn.py"))
    assert code == 0
    ids = registry.ids()
    assert out.strip().endswith(f"{ids[0]}–{ids[-1]} public tests passed; hidden tests run when you submit")


def test_stub_fails_every_question_naming_the_question(capsys):
    code, out, _ = run(capsys, str(REPO / "assignment" / "rnn.py"))
    assert code == 1
    for q in registry.ids():
        assert f"{q}: FAILED (not_implemented)" in out
    assert 'NotImplementedError: rnn_cell_backward (q3)' in out
    assert "no question passed its public tests" in out


def test_json_reports_public_points(capsys):
    code, out, _ = run(capsys, str(REPO / "solutions" / "rnn.py"), "--json", "-q", "q3")
    scores = json.loads(out)
    assert list(scores) == ["q3"] and scores["q3"]["score"] == scores["q3"]["max_score"] > 0


def test_a_failure_names_the_array_index_and_values(capsys, tmp_path):
    buggy = tmp_path / "rnn.py"
    buggy.write_text((REPO / "solutions" / "rnn.py").read_text().replace(
        "dtanh = (1 - a_next**2) * da_next", "dtanh = (1 - a_next) * da_next"))
    code, out, _ = run(capsys, str(buggy), "-q", "q3")
    assert code == 1
    # the expected value is the documented dxt[1][2] of DESIGN.md
    assert "dxt[" in out and "expected" in out and "rtol=" in out
    assert "hint:" in out


@pytest.mark.parametrize("argv, words", [(["missing.py"], "is not a file")])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("fixture", ["hostile_trickle_reply.py", "hostile_deep_json_reply.py",
                                     "hostile_callback_outer_shapes.py"])
def test_boundary_attacks_cost_only_their_question(capsys, tmp_path, fixture):
    """`check --json` on the worker-boundary attacks (issue 11), with the default limits: the
    attacked question gets no public points, the others all of them (statuses: the fixture's
    `# expect:` header; points: `check --json` on the reference), within the call limit."""
    import time

    from tests.test_submission_fixtures import SUBMISSIONS, parse_header, submission_source

    _, out, _ = run(capsys, str(REPO / "solutions" / "rnn.py"), "--json")
    full = json.loads(out)
    path = tmp_path / "rnn.py"
    path.write_bytes(submission_source(SUBMISSIONS / fixture))
    start = time.monotonic()
    _, out, _ = run(capsys, str(path), "--json")
    assert time.monotonic() - start <= 10 + 8  # one call limit (10 s) at most, plus the rest
    got = json.loads(out)
    expected = parse_header(SUBMISSIONS / fixture)[0]
    assert {q: got[q]["score"] for q in expected} == {
        q: full[q]["score"] if status == "ok" else 0.0 for q, status in expected.items()}


def test_a_file_that_cannot_be_imported_gets_one_message(capsys, tmp_path):
    (tmp_path / "rnn.py").write_text("def rnn_cell_forward(:\n", encoding="utf-8")
    code, out, _ = run(capsys, str(tmp_path / "rnn.py"))
    assert code == 1 and out.count("SyntaxError") == 1 and "no question could be graded" in out
    assert "q1:" not in out


def test_public_verdicts_are_those_of_grade(tmp_path):
    """A loop whose step caches alias one state buffer (its own q1 cell passes): `check` fails q2's
    public case as `grade` does (the fixture's header: q2=failed), and every other public case
    gets grade's verdict too."""
    from autograder.core.grading import grade_submission
    from tests.test_submission_fixtures import fixture, submission_source

    path = tmp_path / "rnn.py"
    path.write_bytes(submission_source(fixture("bug_caches_alias_state.py")))
    public = grade_submission(path, public_only=True)
    full = grade_submission(path)
    for q, result in public.questions.items():
        graded = {c.name: c.status for c in full.questions[q].cases if not c.hidden}
        assert {c.name: c.status for c in result.cases} == graded, q
    assert public.questions["q2"].status == "failed"
