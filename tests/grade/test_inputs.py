"""Input layouts: folder of files, folder of student folders, Gradescope export (zip and unpacked)."""
from __future__ import annotations

import os
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


# --- every input gets a row, and nothing outside the input is read (issue 10) -------------------
# Links are made only inside pytest's tmp_path; the "reference" and "other student" are copies there.

def test_links_get_a_row_that_says_they_were_refused(tmp_path: Path) -> None:
    src = tmp_path / "class"
    (src / "ann").mkdir(parents=True)
    (src / "ann" / "rnn.py").write_text("# ann's own work\n")
    outside = tmp_path / "outside"
    (outside / "solutions").mkdir(parents=True)
    (outside / "solutions" / "rnn.py").write_text(REFERENCE)
    (src / "ben.py").symlink_to(outside / "solutions" / "rnn.py")  # a file linking to the reference
    (src / "cat").symlink_to(outside / "solutions", target_is_directory=True)  # a folder linking to it
    (src / "dan").mkdir()
    (src / "dan" / "rnn.py").symlink_to(src / "ann" / "rnn.py")  # another student's file
    found = {s.name: s for s in find_submissions(src, work_dir=tmp_path / "w")}
    assert sorted(found) == ["ann", "ben", "cat", "dan"]
    for name, link in [("ben", "ben.py"), ("cat", "cat"), ("dan", "rnn.py")]:
        assert found[name].path is None and found[name].status == "refused", name
        assert f"{link} is a symbolic link" in found[name].problem
    assert found["ann"].path == src / "ann" / "rnn.py"


def test_dot_files_non_utf8_names_and_clashes_all_get_rows(tmp_path: Path) -> None:
    (tmp_path / ".x.py").write_text(REFERENCE)
    (tmp_path / "ann.py").write_text(REFERENCE)
    (tmp_path / "ann").mkdir()
    (tmp_path / "ann" / "rnn.py").write_text(REFERENCE)
    raw = os.fsencode(tmp_path) + b"/\xff\xfe.py"  # a name that is not UTF-8
    with open(raw, "wb") as f:
        f.write(REFERENCE.encode())
    found = find_submissions(tmp_path, work_dir=tmp_path / "w")
    names = [s.name for s in found]
    assert len(names) == len(set(names)) == 4
    assert ".x" in names and "ann" in names and "ann~2" in names and "\ufffd\ufffd" in names
    assert all(n.encode("utf-8") for n in names)  # valid text (a surrogate would raise)


def test_a_file_over_its_size_limit_gets_a_row(tmp_path: Path) -> None:
    with open(tmp_path / "big.ipynb", "wb") as f:
        f.truncate(150 << 20)  # sparse: 150 MB that take no disk
    (tmp_path / "ok.py").write_text(REFERENCE)
    found = {s.name: s for s in find_submissions(tmp_path, work_dir=tmp_path / "w")}
    assert found["big"].status == "refused" and "150.0 MB, more than the 25 MB allowed" in found["big"].problem
    assert found["ok"].path is not None
    assert found["big"].content_hash() == found["big"].content_hash()  # without reading 150 MB


def _export(tmp_path: Path, metadata: str) -> Path:
    top = tmp_path / "export"
    (top / "submission_1").mkdir(parents=True)
    (top / "submission_1" / "rnn.py").write_text(REFERENCE)
    (top / "submission_metadata.yml").write_text(metadata)
    return top


def test_metadata_keys_must_name_a_folder_inside_the_export(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "rnn.py").write_text(REFERENCE)
    top = _export(tmp_path, "submission_1:\n  :submitters: []\n../elsewhere:\n  :submitters: []\n"
                            f"{tmp_path / 'elsewhere'}:\n  :submitters: []\n")
    (top / "submission_2").mkdir()  # uploaded, but not listed in the metadata
    (top / "submission_2" / "rnn.py").write_text(REFERENCE)
    found = find_submissions(top, work_dir=tmp_path / "w")
    by_name = {s.name: s for s in found}
    assert by_name["1"].path == top / "submission_1" / "rnn.py"
    assert by_name["2"].path == top / "submission_2" / "rnn.py"
    outside = [s for s in found if s.name not in ("1", "2")]
    assert len(outside) == 2 and all(s.path is None and s.status == "refused" for s in outside)
    assert all("/" not in s.name for s in found)  # a row's name is one file name (its feedback's)


def test_yaml_aliases_are_refused_and_the_folders_still_graded(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nsubmission_1:\n  :submitters:\n  - :name: *c\n"
    [s] = find_submissions(_export(tmp_path, bomb), work_dir=tmp_path / "w")
    assert s.name == "1" and s.path is not None and s.identity == {}  # graded, without identity
    assert "aliases" in s.note


def test_identity_is_inert_and_capped(tmp_path: Path) -> None:
    metadata = 'submission_1:\n  :submitters:\n  - :name: "=HYPERLINK(\\"x\\")\\u202e\\x1b"\n' \
               f'    :email: "{"e" * 5000}"\n    :sid: 12\n'
    [s] = find_submissions(_export(tmp_path, metadata), work_dir=tmp_path / "w")
    assert s.identity["name"] == '=HYPERLINK("x")\ufffd\ufffd' and s.identity["sid"] == "12"
    assert len(s.identity["email"]) < 600
