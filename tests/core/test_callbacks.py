"""Reference cells as callbacks (q2 runs with the reference rnn_cell_forward, q4 with the reference
rnn_cell_backward) accept every call form the real function does, and forbidden libraries can be
imported: the source document's own code (re-indented) and public code with keyword calls get
the scores their functions deserve, in `check`, `grade` and `gradescope` alike.

Expected statuses: the fixtures' `# expect:` headers (tests/submissions/README.md); the seed's
q1 fails because of its whole-matrix softmax (shared/DESIGN.md, documented values)."""
from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from autograder.check import check
from autograder.core.grading import grade_submission
from autograder.gradescope import gradescope
from autograder.reference import bind_arguments, load_reference
from tests.test_submission_fixtures import SUBMISSIONS, parse_header, submission_source

KEYWORDS = SUBMISSIONS / "correct_keyword_calls.py"
SEED = SUBMISSIONS / "bug_seed_code_reindented.py"
# q1 and q3 broken on top of the keyword-call file: `grade` then also runs q2 and q4 with the
# reference cells (the submission's own are used only when their question passed).
BROKEN_CELLS = ("\n\ndef rnn_cell_forward(xt, a_prev, parameters):\n    raise ValueError('broken')\n"
                "\n\ndef rnn_cell_backward(da_next, cache):\n    raise ValueError('broken')\n")


def test_bind_arguments_follows_the_real_signature() -> None:
    cell = load_reference().rnn_cell_forward
    names = list(inspect.signature(cell).parameters)
    assert names == ["xt", "a_prev", "parameters"]  # the handout's names (shared/DESIGN.md)
    for args, kwargs in [((1, 2, 3), {}), ((1,), {"parameters": 3, "a_prev": 2}),
                         ((), {"parameters": 3, "xt": 1, "a_prev": 2})]:
        assert list(bind_arguments(cell, args, kwargs).items()) == [("xt", 1), ("a_prev", 2), ("parameters", 3)]
    for args, kwargs in [((1, 2), {}), ((1, 2, 3), {"xt": 1}), ((1, 2), {"params": 3})]:
        with pytest.raises(TypeError):
            bind_arguments(cell, args, kwargs)


def _statuses(result) -> dict[str, str]:
    return {q: r.status for q, r in result.questions.items()}


@pytest.mark.parametrize("source, expected", [
    (KEYWORDS.read_bytes(), parse_header(KEYWORDS)[0]),
    (KEYWORDS.read_bytes() + BROKEN_CELLS.encode(),
     {"q1": "failed", "q2": "ok", "q3": "failed", "q4": "ok", "q5": "ok"}),
    (submission_source(SEED), parse_header(SEED)[0]),
], ids=["keyword_calls", "keyword_calls_broken_cells", "seed_code"])
def test_check_grade_and_gradescope_agree(tmp_path: Path, source: bytes, expected: dict[str, str]) -> None:
    path = tmp_path / "rnn.py"
    path.write_bytes(source)
    graded = grade_submission(path)
    assert _statuses(graded) == expected, {q: r.cases[0].message for q, r in graded.questions.items()}
    for q, status in expected.items():
        r = graded.questions[q]
        assert (r.score == r.max_score) == (status == "ok"), q
    checked = check(path)
    assert _statuses(checked) == expected
    root = tmp_path / "gs"
    (root / "submission").mkdir(parents=True)
    (root / "submission" / "rnn.py").write_bytes(source)
    data = gradescope(root=root)
    assert data["score"] == graded.score and data["extra_data"]["questions"] == expected


def test_a_top_level_use_of_torch_is_a_note_not_a_zero(tmp_path: Path) -> None:
    """Importing torch is allowed and its module is inert: a use at top level raises there and is
    reported like any other top-level error; the graded functions are graded as usual."""
    fixture = SUBMISSIONS / "hostile_torch_at_import.py"
    path = tmp_path / "rnn.py"
    path.write_bytes(submission_source(fixture))
    result = grade_submission(path)
    assert _statuses(result) == parse_header(fixture)[0] and result.score == 100
    assert "using torch.set_default_dtype is not allowed" in result.message
