"""The question files are genuine otter-grader test files: otter's own grading API (an
ExceptionTestFile run against the submission's global environment, as `otter run` does) gives the
same per-question points as the core, for the reference and for a buggy submission."""
from __future__ import annotations

import pytest
from otter.test_files.exception_test import ExceptionTestFile

from autograder.config import QUESTIONS_DIR
from autograder.questions import registry
from autograder.core.grading import grade_source
from tests.test_submission_fixtures import REFERENCE, SUBMISSIONS, submission_source

QUESTIONS = registry.ids()


def otter_scores(source: str, monkeypatch) -> dict[str, float]:
    monkeypatch.syspath_prepend(str(REFERENCE.parent))  # rnn_utils, as the assignment ships it
    env: dict = {"__name__": "__main__"}
    exec(compile(source, "submission.py", "exec"), env)
    scores = {}
    for q in QUESTIONS:
        test_file = ExceptionTestFile.from_file(str(QUESTIONS_DIR / f"{q}.py"))
        test_file.run(env)
        scores[q] = test_file.score
    return scores


# otter runs everything in one namespace (no isolation), so the buggy submission is one whose bug
# cannot spill into another question: the q4 (da_prevt) bug.
@pytest.mark.parametrize("source", [REFERENCE.read_text(),
                                    submission_source(SUBMISSIONS / "bug_no_da_prevt.py").decode()],
                         ids=["reference", "bug_no_da_prevt"])
def test_stock_otter_agrees_with_the_core(source, monkeypatch):
    core = grade_source(source)
    assert otter_scores(source, monkeypatch) == {q: r.score for q, r in core.questions.items()}
