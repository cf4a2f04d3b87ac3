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


# A cell's bug (its question fails, the sequence questions that call it pass) and sequence loops
# that call their cell with wrong inputs, for every question that calls a cell (q8 is q3's caller
# too): bug-library variants of the reference.
CELL_BUGS = ("q3_dtanh_one_minus_a", "q9_concat_x_first", "q11_dc_prev_missing_a_term", "q13_missing_dtanh")
LOOP_BUGS = ("q8_wrong_cache", "q10_always_a0", "q12_no_dc_prevt", "q14_sensitivities_not_carried")


def _bug(bug_id: str):
    from autograder.diagnosis.bugs import BUGS
    from autograder.diagnosis.bugs_part2 import BUGS_PART2

    return next(bug for bug in (*BUGS, *BUGS_PART2) if bug.id == bug_id)


def _local_verdicts(source: str) -> dict[str, dict[str, bool]]:
    """Every public case's verdict as the notebook's grader.check gives it: rnn_checks.run_case on
    the file's own functions, in this process (stand-in cells), by question and case name."""
    from autograder.questions import checks_module
    from autograder.reference import install_aliases

    checks = checks_module()
    install_aliases(registry.family_of(registry.ids()[0]))  # `from rnn_utils import *`
    namespace: dict = {}
    exec(compile(source, "<submission>", "exec"), namespace)
    verdicts: dict[str, dict[str, bool]] = {}
    for case_id, meta in checks.cases().items():
        target = registry.question(meta["question"]).target
        if meta["hidden"] or target not in namespace:
            continue
        try:
            checks.run_case(case_id, **{target: namespace[target]})
            passed = True
        except Exception:  # noqa: BLE001 - a wrong answer, or the submission raised
            passed = False
        verdicts.setdefault(meta["question"], {})[f"{meta['question']} public: {meta['title']}"] = passed
    return verdicts


def _unused_extra_call() -> str:
    """The reference whose gradient_norms also steps back from a⟨1⟩ to a0 and ignores the answer:
    the stand-in refuses that call (the reference's loop never makes it), but its NaN answer
    reaches no output, as the reference's answer in `grade` does not."""
    from autograder.diagnosis.bugs import reference_source

    end = "        norms[t - 1] = np.linalg.norm(da_t)\n    # END SOLUTION\n"
    assert reference_source().count(end) == 1
    return reference_source().replace(end, end.replace("    # END", "    rnn_cell_backward(da_t, step_caches[0])\n    # END"))


@pytest.mark.parametrize("name", ["bug_caches_alias_state.py", "bug_rtrl_is_bptt.py", "unused_extra_call",
                                  *CELL_BUGS, *LOOP_BUGS])
def test_public_verdicts_are_those_of_grade(tmp_path, name):
    """`check` (public cases only) and the student's local check (the file's own functions, stand-in
    cells) give every public case `grade`'s verdict: a loop whose step caches alias one state
    buffer (its own q1 cell passes); an rtrl_gradients that never calls its cell (right numbers);
    a cell's call whose answer is never used; a cell's bug, which costs the cell's question only;
    a loop that calls its cell with wrong inputs, which costs its own. The questions that fail:
    a fixture's header, a bug's own."""
    from autograder.core.grading import grade_submission
    from autograder.diagnosis.bugs import patched_source
    from tests.test_submission_fixtures import fixture, parse_header, submission_source

    path = tmp_path / "rnn.py"
    if name.endswith(".py"):
        path.write_bytes(submission_source(fixture(name)))
        failing = {q for q, status in parse_header(fixture(name))[0].items() if status == "failed"}
    elif name == "unused_extra_call":
        path.write_text(_unused_extra_call())
        failing = set()
    else:
        path.write_text(patched_source(_bug(name)))
        failing = {_bug(name).question}
    public = grade_submission(path, public_only=True)
    full = grade_submission(path)
    local = _local_verdicts(path.read_text())
    for q, result in public.questions.items():
        graded = {c.name: c.status for c in full.questions[q].cases if not c.hidden}
        assert {c.name: c.status for c in result.cases} == graded, q
        if q in local:
            assert local[q] == {case: status == "ok" for case, status in graded.items()}, q
    assert {q for q, r in public.questions.items() if r.status == "failed"} == failing
