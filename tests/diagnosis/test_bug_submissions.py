"""End to end: every bug of the library, submitted as a whole file, loses points in its own
question only and gets its own hint; correct submissions (the reference solutions/rnn.py and
autograder/bench/correct/correct_*.py, `# expect: q1=ok …`) get no hint at all."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from autograder.core.grading import grade_source
from autograder.diagnosis.bugs import BUGS, BUGS_BY_ID, Bug, patched_source, reference_source


from tests.test_submission_fixtures import CORRECT_STYLES, SUBMISSIONS  # noqa: E402

CORRECT = sorted(CORRECT_STYLES.glob("correct_*.py"))


@lru_cache(maxsize=None)
def graded(bug_id: str):
    return grade_source(patched_source(BUGS_BY_ID[bug_id]), submission=bug_id)


@pytest.mark.parametrize("bug", BUGS, ids=lambda b: b.id)
def test_bug_loses_points_in_its_question_only_and_gets_its_hint(bug: Bug) -> None:
    result = graded(bug.id)
    for q, question in result.questions.items():
        if q == bug.question:
            assert question.score < question.max_score
            assert bug.hint in question.hints
        else:
            assert question.score == question.max_score, q
            assert question.hints == [], q


@pytest.mark.parametrize("path", [None, *CORRECT], ids=lambda p: "reference" if p is None else p.name)
def test_correct_submissions_get_no_hint(path: Path | None) -> None:
    source = reference_source() if path is None else path.read_text()
    result = grade_source(source, submission="correct")
    # Scores of these files are tested with the core; here: whatever else goes wrong, no hint.
    assert all(q.hints == [] for q in result.questions.values())
    assert all(q.diagnostics == [] for q in result.questions.values() if q.score == q.max_score)


def test_bptt_bug_shows_the_per_step_table() -> None:
    diagnostics = "\n".join(graded("q4_no_da_prevt").questions["q4"].diagnostics)
    assert "| dx | " in diagnostics
    assert "dx: correct at t = 3, wrong at t = 0..2 → the gradient from later steps is not carried back" in diagnostics
    assert "Your backward does not match finite differences of your own forward" in diagnostics


def test_hint_accuracy() -> None:
    """Across the library: the bug's own hint for its question (>= 90 %), no other hint anywhere."""
    results = [(bug, graded(bug.id)) for bug in BUGS]
    right = sum(bug.hint in r.questions[bug.question].hints for bug, r in results) / len(results)
    wrong = sum(any(h != bug.hint for q in r.questions.values() for h in q.hints) for bug, r in results)
    assert right >= 0.9
    assert wrong == 0


# The hand-written bug fixtures (other code than the library's patches) and the mistake each makes.
HAND_WRITTEN = {"bug_dtanh_one_minus_a.py": "q3_dtanh_one_minus_a", "bug_no_da_prevt.py": "q4_no_da_prevt",
                "bug_rnncell_no_prev_dh.py": "q5_no_prev_dh",
                "bug_softmax_whole_matrix.py": "q1_softmax_whole_matrix",
                "bug_seed_code_reindented.py": "q1_softmax_whole_matrix"}  # the source document's own code


@pytest.mark.parametrize("fixture, bug_id", sorted(HAND_WRITTEN.items()))
def test_hand_written_bug_gets_its_hint_only(fixture, bug_id):
    from tests.test_submission_fixtures import submission_source

    result = grade_source(submission_source(SUBMISSIONS / fixture).decode())
    bug = BUGS_BY_ID[bug_id]
    assert result.questions[bug.question].hints == [bug.hint]
    assert all(not q.hints for name, q in result.questions.items() if name != bug.question)
