"""Input layouts: folder of files, folder of student folders, Gradescope export (zip and unpacked)."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from autograder.errors import UsageError
from autograder.grade.inputs import find_submissions
from tests.grade.conftest import REFERENCE, notebook

# The layout of Gradescope's "Export Submissions": a top folder with submission_metadata.yml (keys
# submission_<id>, Ruby-symbol style ":submitters" with ":name", ":email", ":sid") and one folder
# per submission holding what the student uploaded.
METADATA = """\
submission_123456:
  :submitters:
  - :name: Ada Lovelace
    :sid: '1815'
    :email: ada@example.edu
  :created_at: 2024-03-01 12:00:00.000000000 -08:00
  :score: 0.0
submission_123457:
  :submitters:
  - :name: Bea One
    :sid: '2001'
    :email: bea@example.edu
  - :name: Cid Two
    :sid: '2002'
    :email: cid@example.edu
  :created_at: 2024-03-02 09:30:00.000000000 -08:00
  :score: 0.0
submission_123458:
  :submitters:
  - :name: Dot Empty
    :email: dot@example.edu
  :created_at: 2024-03-03 10:00:00.000000000 -08:00
"""


def export_folder(root: Path) -> Path:
    top = root / "assignment_987_export"
    (top / "submission_123456").mkdir(parents=True)
    (top / "submission_123456" / "rnn.py").write_text(REFERENCE)
    (top / "submission_123456" / "rnn_utils.py").write_text("# ours, not the submission\n")
    (top / "submission_123457" / "work").mkdir(parents=True)
    (top / "submission_123457" / "work" / "rnn_bptt.ipynb").write_text(notebook(REFERENCE))
    (top / "submission_123458").mkdir()
    (top / "submission_metadata.yml").write_text(METADATA)
    return top


def test_folder_of_files(tmp_path: Path) -> None:
    (tmp_path / "ann.py").write_text(REFERENCE)
    (tmp_path / "ben.ipynb").write_text(notebook(REFERENCE))
    (tmp_path / "notes.txt").write_text("ignored")
    (tmp_path / ".hidden.py").write_text(REFERENCE)  # a dot-file is a submission too (issue 10)
    (tmp_path / ".git").mkdir()  # a hidden folder is a tool's, not a student's
    found = {s.name: s for s in find_submissions(tmp_path, work_dir=tmp_path / "w")}
    assert sorted(found) == [".hidden", "ann", "ben"] and found["ben"].path.suffix == ".ipynb"


def test_folder_of_student_folders(tmp_path: Path) -> None:
    for name, files in {"ann": ["rnn.py", "scratch.py"], "ben": ["homework.ipynb"], "cat": [],
                        "dan": ["a.py", "b.py"]}.items():
        (tmp_path / name).mkdir()
        for f in files:
            (tmp_path / name / f).write_text(REFERENCE)
    found = {s.name: s for s in find_submissions(tmp_path, work_dir=tmp_path / "w")}
    assert found["ann"].path.name == "rnn.py" and found["ben"].path.name == "homework.ipynb"
    assert found["cat"].path is None and "no .py or .ipynb" in found["cat"].problem
    assert found["dan"].path is None and "more than one" in found["dan"].problem


@pytest.mark.parametrize("zipped", [False, True])
def test_gradescope_export(tmp_path: Path, zipped: bool) -> None:
    top = export_folder(tmp_path / "src")
    source = top.parent
    if zipped:
        source = tmp_path / "submissions.zip"
        with zipfile.ZipFile(source, "w") as zf:
            for p in top.rglob("*"):
                zf.write(p, p.relative_to(top.parent))
    found = {s.name: s for s in find_submissions(source, work_dir=tmp_path / "out")}
    assert sorted(found) == ["123456", "123457", "123458"]
    assert found["123456"].identity == {"name": "Ada Lovelace", "email": "ada@example.edu", "sid": "1815"}
    assert found["123456"].path.name == "rnn.py"
    assert found["123457"].identity["name"] == "Bea One; Cid Two"
    assert found["123457"].path.name == "rnn_bptt.ipynb"
    assert found["123458"].path is None and "sid" not in found["123458"].identity


def test_not_an_export_zip(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "x.zip", "w") as zf:
        zf.writestr("rnn.py", REFERENCE)
    with pytest.raises(UsageError, match="not a Gradescope export"):
        find_submissions(tmp_path / "x.zip", work_dir=tmp_path / "out")
    (tmp_path / "y.zip").write_bytes(b"not a zip")
    with pytest.raises(UsageError, match="zip"):
        find_submissions(tmp_path / "y.zip", work_dir=tmp_path / "out")


def test_content_hash_follows_the_file(tmp_path: Path) -> None:
    (tmp_path / "ann.py").write_text(REFERENCE)
    [submission] = find_submissions(tmp_path, work_dir=tmp_path / "w")
    before = submission.content_hash()
    (tmp_path / "ann.py").write_text(REFERENCE + "\n# edited\n")
    assert submission.content_hash() != before
