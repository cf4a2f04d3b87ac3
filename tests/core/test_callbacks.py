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
from tests.test_submission_fixtures import CORRECT_STYLES, SUBMISSIONS, parse_header, submission_source

KEYWORDS = CORRECT_STYLES / "correct_keyword_calls.py"
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
     {**parse_header(KEYWORDS)[0], "q1": "failed", "q3": "failed"}),
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
    assert _statuses(result) == parse_header(fixture)[0] and result.score == result.max_score
    assert "using torch.set_default_dtype is not allowed" in result.message


def test_guarded_cells_run_only_on_what_a_correct_caller_passes() -> None:
    """core/callbacks.py: the shapes of DESIGN.md's contract (xt (n_x, m), a_prev (n_a, m), the five
    parameters; a cache of four, tuple or list) for the dimensions of a case; more parameter keys
    are allowed; anything else is refused before the reference runs."""
    import numpy as np

    from autograder.core.callbacks import guarded, rnn_cell_backward_arguments, rnn_cell_forward_arguments
    from autograder.sandbox.errors import RefusedArguments

    n_x, n_a, n_y, m = 3, 5, 2, 10

    def case(n_x: int, n_a: int, n_y: int, m: int) -> dict[str, np.ndarray]:  # a q2/q4 case's inputs
        return {"x": np.ones((n_x, m, 4)), "a0": np.ones((n_a, m)), "Wax": np.ones((n_a, n_x)),
                "Waa": np.ones((n_a, n_a)), "Wya": np.ones((n_y, n_a)), "ba": np.ones((n_a, 1)),
                "by": np.ones((n_y, 1))}

    ran = []
    cell = guarded("rnn_cell_forward", lambda *args: ran.append(args) or "ran", rnn_cell_forward_arguments,
                   [case(n_x, n_a, n_y, m), case(4, 6, 2, 1)])
    params = {k: v for k, v in case(n_x, n_a, n_y, m).items() if k not in ("x", "a0")}
    assert cell(np.ones((n_x, m)), np.ones((n_a, m)), {**params, "extra": 1}) == "ran"
    for args in [(np.ones((1, 6000)), np.ones((n_a, m)), params),              # an outer-product xt
                 (np.ones((n_x, m)), np.ones((n_a, 1)), params),               # a_prev of another case
                 (np.ones((n_x, m)), np.ones((n_a, m)), {**params, "Wax": np.ones((6000, 1))}),
                 (np.ones((n_x, m)), np.ones((n_a, m)), [params]),
                 (np.ones((n_x, m)).tolist(), np.ones((n_a, m)), params)]:
        with pytest.raises(RefusedArguments):
            cell(*args)
    assert len(ran) == 1
    backward = guarded("rnn_cell_backward", lambda *args: "ran", rnn_cell_backward_arguments, [case(n_x, n_a, n_y, m)])
    cache = [np.ones((n_a, m)), np.ones((n_a, m)), np.ones((n_x, m)), params]
    assert backward(np.ones((n_a, m)), cache) == backward(np.ones((n_a, m)), tuple(cache)) == "ran"
    with pytest.raises(RefusedArguments):
        backward(np.ones((n_a, m)), cache[:3])
