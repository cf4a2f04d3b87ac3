"""One rule picks the submission in a folder, for `grade` and `gradescope` alike. Expected
choices: the rule stated in autograder/core/picker.py (and the README)."""
from __future__ import annotations

from pathlib import Path

import pytest

from autograder.core.picker import pick_submission
from autograder.core.submission import UnreadableSubmission
from autograder.grade.inputs import find_submissions


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "submission"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


@pytest.mark.parametrize("files, chosen", [
    ({"rnn.py": "x", "helper.py": "y", "rnn_utils.py": "z"}, "rnn.py"),
    ({"my_rnn.py": "x", "rnn_utils.py": "z"}, "my_rnn.py"),
    ({"rnn_bptt.ipynb": "{}", "notes.txt": ""}, "rnn_bptt.ipynb"),
    ({"homework/rnn.py": "x", "old/other.py": "y"}, "homework/rnn.py"),
    ({"solution.ipynb": "{}", "README.md": ""}, "solution.ipynb"),
    ({"__MACOSX/._rnn.py": "x", "a.py": "y"}, "a.py"),
    ({"mine.py": "x", "nb.ipynb": "{}"}, "mine.py"),  # the only .py wins over a notebook
])
def test_pick_submission(tmp_path, files, chosen):
    folder = _folder(tmp_path, files)
    assert pick_submission(folder) == folder / chosen


@pytest.mark.parametrize("files, status, words", [
    ({}, "not_implemented", "found: nothing"),
    ({"a.py": "x", "b.py": "y"}, "unreadable", "several .py files"),
])
def test_no_single_submission_is_explained(tmp_path, files, status, words):
    with pytest.raises(UnreadableSubmission, match=words) as raised:
        pick_submission(_folder(tmp_path, files))
    assert raised.value.status == status


def test_grade_picks_as_gradescope_does(tmp_path):
    class_dir = tmp_path / "class"
    student = class_dir / "ana"
    student.mkdir(parents=True)
    (student / "mine.py").write_text("x = 1\n")
    (student / "nb.ipynb").write_text("{}")
    [found] = find_submissions(class_dir, work_dir=tmp_path / "w")
    assert found.path == pick_submission(student) == student / "mine.py"
