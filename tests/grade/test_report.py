"""grades.csv, feedback and report.html are rebuilt from results.jsonl; the plots are real PNGs."""
from __future__ import annotations

import shutil
from pathlib import Path

from autograder.grade import rebuild_outputs
from autograder.grade.report import PLOTS, feedback, frequent_failures, write_csv
from autograder.grade.store import latest, read_records

PNG = b"\x89PNG\r\n\x1a\n"


def test_report_and_plots(graded_class: Path) -> None:
    page = (graded_class / "report.html").read_text(encoding="utf-8")
    for name in PLOTS:
        data = (graded_class / name).read_bytes()
        assert data.startswith(PNG) and len(data) > 5000, name  # a drawn figure, not an empty file
        assert f'src="{name}"' in page
    assert "zed" in page and "timeout" in page  # the submission that needs a look is listed


def test_outputs_rebuilt_from_results_only(graded_class: Path, tmp_path: Path) -> None:
    shutil.copy(graded_class / "results.jsonl", tmp_path / "results.jsonl")
    rebuild_outputs(tmp_path)
    assert (tmp_path / "grades.csv").read_text() == (graded_class / "grades.csv").read_text()
    assert sorted(p.name for p in (tmp_path / "feedback").iterdir()) == \
        sorted(p.name for p in (graded_class / "feedback").iterdir())


def test_identity_columns_and_frequent_failures(graded_class: Path, tmp_path: Path) -> None:
    records = list(latest(read_records(graded_class / "results.jsonl")).values())
    records[0]["identity"] = {"name": "Ada", "sid": "7"}
    write_csv(records, tmp_path / "g.csv")
    header, first = (tmp_path / "g.csv").read_text().splitlines()[:2]
    assert header.startswith("submission,name,sid,q1") and first.split(",")[1:3] == ["Ada", "7"]
    top = frequent_failures(records)
    assert any(q == "q3" and m.startswith("hint:") for _, q, m in top)
    assert all("#" in m or not any(ch.isdigit() for ch in m.split(":", 1)[-1]) for _, _, m in top
               if not m.startswith("hint:"))
    assert "timeout" in feedback(next(r for r in records if r["submission"] == "zed"))


def test_frequent_failures_do_not_depend_on_order(graded_class: Path) -> None:
    """The report lists the same failures whatever order the submissions were graded in."""
    records = list(latest(read_records(graded_class / "results.jsonl")).values())
    assert frequent_failures(records) == frequent_failures(records[::-1]) == frequent_failures(
        sorted(records, key=lambda r: r["status"]))
