"""What a worker can see: the reference, the fixtures, the question files and the course secret
(which draws the hidden cases) are hidden from it
wherever the README says so (namespaces available: root or user namespaces)."""
from __future__ import annotations

import pytest

from autograder.core.grading import grade_source
from tests.core.test_submission_outcomes import CONFIG, REPO, _isolation
from tests.test_submission_fixtures import REFERENCE


def test_worker_cannot_read_reference_or_fixtures() -> None:
    """Where the README guarantees it (namespaces available), the files are hidden from workers."""
    if _isolation() == "none":
        pytest.skip("no namespaces: the README says reading is then not prevented")
    probe = "\n".join(
        ["import os", "def rnn_cell_forward(xt, a_prev, parameters):",
         f"    paths = [{str(REFERENCE)!r}, {str(REPO / 'autograder/questions/support/fixtures.npz')!r},",
         f"             {str(REPO / 'autograder/questions/q1.py')!r}, {str(REPO / 'autograder/course_secret.key')!r}]",
         "    found = []",
         "    for p in paths:",
         "        try:",
         "            found.append(len(open(p, 'rb').read()))",
         "        except OSError as e:",
         "            found.append(type(e).__name__)",
         "    raise RuntimeError(f'probe {found}')"])
    result = grade_source(probe, config=CONFIG)
    message = result.questions["q1"].cases[0].message
    assert "probe" in message and all(kind in ("PermissionError", "FileNotFoundError", "IsADirectoryError")
                                      for kind in message.split("probe [")[1].split("]")[0].replace("'", "").split(", ")), message
