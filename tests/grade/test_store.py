"""results.jsonl: whole lines, torn tail ignored and cut, newest record wins, one writer."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.errors import UsageError
from autograder.grade.store import RESULTS, ResultLog, latest, read_records


def record(name: str, digest: str) -> dict:
    return {"submission": name, "hash": digest, "status": "ok", "questions": {}}


def test_torn_last_line_is_ignored_then_cut(tmp_path: Path) -> None:
    path = tmp_path / RESULTS
    whole = json.dumps(record("a", "1")) + "\n"
    path.write_text(whole + json.dumps(record("b", "2"))[:25])  # killed mid-write
    assert [r["submission"] for r in read_records(path)] == ["a"]
    with ResultLog(tmp_path) as log:
        log.append(record("c", "3"))
    assert path.read_text() == whole + json.dumps(record("c", "3"), ensure_ascii=False) + "\n"
    assert [r["submission"] for r in read_records(path)] == ["a", "c"]


def test_newest_wins_and_order_is_kept(tmp_path: Path) -> None:
    with ResultLog(tmp_path) as log:
        for r in (record("a", "1"), record("b", "1"), record("a", "2")):
            log.append(r)
    newest = latest(read_records(tmp_path / RESULTS))
    assert list(newest) == ["a", "b"] and newest["a"]["hash"] == "2"


def test_one_writer_per_folder(tmp_path: Path) -> None:
    with ResultLog(tmp_path):
        with pytest.raises(UsageError, match="another rnn-grader"):
            ResultLog(tmp_path)
