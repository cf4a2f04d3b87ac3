"""Every input gets a row and every output is inert (issue 10): a class folder mixing correct
submissions with each of the ten cases — text that is not UTF-8, formula-like names, Markdown and
HTML injection, symbolic links, dot-files, an oversized notebook, a %%bash cell, keyword calls,
the source document's `import torch.nn`, a question left out — and a crafted Gradescope export.
The batch completes with one row per input, the correct rows exactly as when graded alone, and
nothing a submission wrote shows up as markup, a formula or a file outside --out.

Links are made only inside pytest's tmp_path, to copies of the reference made there."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from autograder.grade.store import read_records
from tests.grade.conftest import REFERENCE, grade, notebook
from tests.test_submission_fixtures import SUBMISSIONS, fixture, parse_header, submission_source

COMMONMARK = MarkdownIt("commonmark")
CORRECT = {"ada.py": REFERENCE, "bea.ipynb": notebook(REFERENCE)}
# Coursera-style: q1–q4 right, no RNNCell (q5 not attempted): the row is not "needs a look".
NO_RNNCELL = REFERENCE[:REFERENCE.index("class RNNCell")]
FORMULA_NAMES = ('=HYPERLINK("x.invalid")', "+1", "-2+3", "@SUM(A1)")


def _bash_notebook() -> str:
    data = json.loads(notebook(REFERENCE))
    data["cells"].append({"cell_type": "code", "id": "b", "metadata": {}, "execution_count": None,
                          "outputs": [], "source": ["%%bash\n", "pip list | grep torch\n"]})
    return json.dumps(data)


def write_hostile_class(root: Path) -> Path:
    src = root / "class"
    src.mkdir(parents=True)
    for name, text in CORRECT.items():
        (src / name).write_text(text, encoding="utf-8")
    for name in ("hostile_surrogate_exception.py", "hostile_markdown_injection.py",
                 "correct_keyword_calls.py", "bug_seed_code_reindented.py"):
        (src / name).write_bytes(submission_source(fixture(name)))
    with open(bytes(src) + b"/\xff\xfe.py", "wb") as f:  # a file name that is not UTF-8
        f.write(REFERENCE.encode())
    for name in FORMULA_NAMES:
        (src / f"{name}.py").write_text(REFERENCE, encoding="utf-8")
    outside = root / "outside_solutions"
    outside.mkdir()
    (outside / "rnn.py").write_text(REFERENCE, encoding="utf-8")
    (src / "linked_file.py").symlink_to(outside / "rnn.py")
    (src / "linked_folder").symlink_to(outside, target_is_directory=True)
    (src / "ivy").mkdir()
    (src / "ivy" / "rnn.py").symlink_to(src / "ada.py")  # another student's work
    (src / ".dot.py").write_text(REFERENCE, encoding="utf-8")
    with open(src / "huge.ipynb", "wb") as f:
        f.truncate(150 << 20)  # sparse: 150 MB that take no disk
    (src / "bash_cell.ipynb").write_text(_bash_notebook(), encoding="utf-8")
    (src / "no_rnncell.py").write_text(NO_RNNCELL, encoding="utf-8")
    return src


def _rows(out: Path) -> list[dict[str, str]]:
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    root = tmp_path_factory.mktemp("hostile_class")
    src = write_hostile_class(root)
    assert grade(src, root / "out") == 0
    alone = root / "alone"
    alone.mkdir()
    for name, text in CORRECT.items():
        (alone / name).write_text(text, encoding="utf-8")
    assert grade(alone, root / "out_alone") == 0
    inputs = sum(1 for p in src.iterdir())
    return root / "out", root / "out_alone", inputs


def test_one_row_per_input_and_correct_rows_unchanged(hostile_batch) -> None:
    out, out_alone, inputs = hostile_batch
    rows = _rows(out)
    assert len(rows) == inputs == len({r["submission"] for r in rows})
    by_name = {r["submission"]: r for r in rows}
    for row in _rows(out_alone):
        assert by_name[row["submission"]] == row and row["status"] == "ok"
    (out / "results.jsonl").read_bytes().decode("utf-8")  # strict: valid UTF-8 throughout
    assert len(read_records(out / "results.jsonl")) == inputs


def test_each_case_gets_its_honest_status(hostile_batch) -> None:
    out, _, _ = hostile_batch
    rows = {r["submission"]: r for r in _rows(out)}
    status = {name: r["status"] for name, r in rows.items()}
    # README (grades.csv status): a plain grade with some points but not all reads "partial"
    # (files with the RNN functions only: q6–q14 not_implemented)
    assert status["hostile_surrogate_exception"] == "partial" and rows["hostile_surrogate_exception"]["q3"] == "0"
    assert status["hostile_markdown_injection"] == "partial"
    assert status["\ufffd\ufffd"] == "ok" and status[".dot"] == "ok"
    for name in ("linked_file", "linked_folder", "ivy", "huge"):
        assert status[name] == "refused" and rows[name]["total"] == "0", name
    # the reference as a notebook with a %%bash cell: full marks; the keyword-call style writes part rnn only
    assert status["bash_cell"] == "ok" and status["correct_keyword_calls"] == "partial"
    assert rows["bash_cell"]["total"] == rows["bash_cell"]["max_total"] and rows["correct_keyword_calls"]["total"] == "100"
    records = {r["submission"]: r for r in read_records(out / "results.jsonl")}
    seed = {q: r["status"] for q, r in records["bug_seed_code_reindented"]["questions"].items()}
    assert seed == parse_header(SUBMISSIONS / "bug_seed_code_reindented.py")[0]
    assert status["no_rnncell"] == "partial" and rows["no_rnncell"]["total"] == "70"
    assert records["no_rnncell"]["status"] == "not_implemented"  # the record keeps the worst question status
    assert records["hostile_surrogate_exception"]["status"] == "failed"
    feedback = (out / "feedback" / "bash_cell.md").read_text(encoding="utf-8")
    assert "(%%bash)" in feedback  # the dropped cell is named in the feedback


def test_csv_cells_are_never_formulas(hostile_batch) -> None:
    out, _, _ = hostile_batch
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        cells = [cell for row in csv.reader(f) for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    names = {r["submission"] for r in _rows(out)}
    assert {"'" + n for n in FORMULA_NAMES} <= names


def test_feedback_is_never_markup(hostile_batch) -> None:
    out, _, inputs = hostile_batch
    files = sorted((out / "feedback").iterdir())
    assert len(files) == inputs
    for path in files:
        tokens = COMMONMARK.parse(path.read_text(encoding="utf-8"))
        inline = [c for t in tokens for c in (t.children or [])]
        assert [t.tag for t in tokens if t.type == "heading_open"].count("h1") == 1, path.name
        assert not [t for t in [*tokens, *inline] if t.type in ("html_block", "html_inline", "link_open", "image")]
        totals = [c.content for c in inline if c.type == "text" and c.content.startswith("Score:")]
        assert len(totals) == 1, path.name
    injected = (out / "feedback" / "hostile_markdown_injection.md").read_text(encoding="utf-8")
    assert "<img src=x onerror=alert(1)>" in injected  # shown, as text in a code block


def test_nothing_is_written_outside_out(hostile_batch) -> None:
    out, _, _ = hostile_batch
    root = out.parent
    assert sorted(p.name for p in (root / "outside_solutions").iterdir()) == ["rnn.py"]
    assert all(p.resolve().is_relative_to(out) for p in out.rglob("*"))


def test_report_needs_a_look_lists_problems_not_unattempted_questions(hostile_batch) -> None:
    out, _, _ = hostile_batch
    page = (out / "report.html").read_text(encoding="utf-8")
    needing = page[page.index("<h2>Needs a look"):]
    needing = needing[:needing.index("<h2>", 1)]  # up to the next section
    assert "linked_file" in needing and "huge" in needing
    assert "no_rnncell" not in needing and "bug_seed_code_reindented" not in needing


# --- a crafted Gradescope export ---------------------------------------------------------------

def test_crafted_export_stays_inside_itself(tmp_path: Path) -> None:
    top = tmp_path / "export"
    (top / "submission_1").mkdir(parents=True)
    (top / "submission_1" / "rnn.py").write_text(REFERENCE, encoding="utf-8")
    (tmp_path / "victim").mkdir()
    (tmp_path / "victim" / "rnn.py").write_text(REFERENCE, encoding="utf-8")
    (top / "submission_metadata.yml").write_text(
        "submission_1:\n  :submitters:\n  - :name: '=cmd|'' /C calc''!A0'\n    :email: '@x'\n    :sid: '-1'\n"
        "../victim:\n  :submitters: []\n"
        f"{tmp_path / 'victim'}:\n  :submitters: []\n", encoding="utf-8")
    out = tmp_path / "out"
    assert grade(top, out) == 0
    rows = _rows(out)
    assert len(rows) == 3
    graded = [r for r in rows if r["status"] == "ok"]
    assert [r["submission"] for r in graded] == ["1"]
    assert graded[0]["name"].startswith("'=") and graded[0]["email"] == "'@x" and graded[0]["sid"] == "'-1"
    assert all(r["status"] == "refused" for r in rows if r["submission"] != "1")
    assert sorted(p.name for p in (tmp_path / "victim").iterdir()) == ["rnn.py"]
    assert all(p.resolve().is_relative_to(out) for p in out.rglob("*"))


def test_yaml_aliases_cost_the_identity_columns_only(tmp_path: Path) -> None:
    top = tmp_path / "export"
    (top / "submission_1").mkdir(parents=True)
    (top / "submission_1" / "rnn.py").write_text(REFERENCE, encoding="utf-8")
    (top / "submission_metadata.yml").write_text(
        "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
        "submission_1:\n  :submitters:\n  - :name: *b\n", encoding="utf-8")
    out = tmp_path / "out"
    assert grade(top, out) == 0
    [row] = _rows(out)
    assert row["submission"] == "1" and row["status"] == "ok" and "name" not in row
    assert (out / "grades.csv").stat().st_size < 1000  # not blown up into megabytes
    [record] = read_records(out / "results.jsonl")
    assert "identity unknown" in record["message"] and "aliases" in record["message"]


def test_a_rerun_completes_and_changes_nothing(hostile_batch) -> None:
    """Once, the row that stopped a batch stayed pending and stopped every rerun the same way."""
    out, _, _ = hostile_batch
    before = (out / "grades.csv").read_bytes(), (out / "results.jsonl").read_bytes()
    assert grade(out.parent / "class", out) == 0
    assert ((out / "grades.csv").read_bytes(), (out / "results.jsonl").read_bytes()) == before
