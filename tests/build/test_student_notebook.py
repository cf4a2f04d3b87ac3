"""The student notebook in a real Jupyter kernel (nbclient): with a bug in rnn_cell_backward only,
`grader.check("q3")` fails with the bug library's hint and every other check passes, q4's and
q8's too (the stand-in cell answers for the student's rnn_cell_backward), as `rnn-grader check`
says of the same notebook. The bug and its expected statuses are tests/submissions/bug_dtanh_one_minus_a.py's."""
from __future__ import annotations

import ast
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.build.release import ASSIGNMENT_DIR, NOTEBOOK_NAME, make_notebook
from autograder.check import check
from autograder.questions import registry
from tests.test_submission_fixtures import REFERENCE, SUBMISSIONS, submission_source

Q3_BUG = SUBMISSIONS / "bug_dtanh_one_minus_a.py"
HINT = "your dtanh uses (1 - a_next)"  # the library's hint for this bug (diagnosis/bugs.py)


def _function_source(source: str, name: str) -> str:
    """The last definition of `name` (a fixture on the reference base redefines the buggy one)."""
    node = [n for n in ast.parse(source).body if getattr(n, "name", None) == name][-1]
    return "\n".join(source.splitlines()[node.lineno - 1:node.end_lineno])


def _outputs(cell) -> str:
    return "\n".join(o.get("text", "") or "\n".join(o.get("data", {}).values() if isinstance(o.get("data"), dict)
                                                      else []) for o in cell.get("outputs", []))


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("release")
    shutil.copytree(ASSIGNMENT_DIR, folder / "rnn_bptt", ignore=shutil.ignore_patterns("__pycache__", "*.ipynb"))
    folder = folder / "rnn_bptt"
    nb = make_notebook(handout_md=(ASSIGNMENT_DIR.parent / "solutions" / "handout.md").read_text(),
                       stub_source=REFERENCE.read_text())
    bug = _function_source(submission_source(Q3_BUG).decode(), "rnn_cell_backward")
    (q3_cell,) = [c for c in nb.cells if c.metadata.get("rnn_grader", {}).get("question") == "q3"]
    q3_cell.source = bug
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    path = folder / NOTEBOOK_NAME
    nbformat.write(nb, path)
    checks = {c.source.split('"')[1]: _outputs(c) for c in nb.cells if c.source.startswith("grader.check(")}
    return path, checks


def test_grader_check_fails_q3_with_the_hint_and_passes_q4(executed):
    _, checks = executed
    assert "q3" in checks and "q4" in checks
    assert "fail" in checks["q3"].lower() and HINT in checks["q3"], checks["q3"]
    for q in registry.ids():  # q4 and q8, whose functions call rnn_cell_backward, among them
        if q != "q3":
            assert "fail" not in checks[q].lower() and "passed" in checks[q].lower(), (q, checks[q])


def test_rnn_grader_check_agrees_on_the_same_notebook(executed):
    path, _ = executed
    result = check(path)
    # the bug is q3's only: every other question passes (q4 and q8 with the reference cell)
    assert {q: r.status for q, r in result.questions.items()} == \
        {q: "failed" if q == "q3" else "ok" for q in registry.ids()}
    assert any(HINT in h for h in result.questions["q3"].hints)
