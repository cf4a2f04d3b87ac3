"""results.jsonl: the append-only record of a batch, the single source of every other output.

One JSON object per line, appended with one write + flush + fsync, so a crash at any moment leaves
whole lines and at most one torn last line (ignored on read, cut off before the next append).
A line is never rewritten: a changed submission gets a new line and the newest line wins.
"""
from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Any

from autograder.core.results import OUTPUT_CAP, SubmissionResult, inert_text
from autograder.errors import UsageError

RESULTS = "results.jsonl"


def read_records(path: Path) -> list[dict[str, Any]]:
    """Every whole, valid line of `path` in order (a torn or garbled line is skipped)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return []
    records = []
    for line in data.split(b"\n"):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "submission" in record and "hash" in record:
            records.append(record)
    return records


def latest(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """submission name -> its newest record, in order of first appearance."""
    newest: dict[str, dict[str, Any]] = {}
    for record in records:
        newest[record["submission"]] = record
    return newest


def make_record(result: SubmissionResult, *, content_hash: str, source: str) -> dict[str, Any]:
    """The line written for one graded submission."""
    record = result.to_json()
    for key in ("output", "hidden_output"):  # hidden_output: the TA's only, never in feedback
        output = record.get(key, "")
        if len(output) > OUTPUT_CAP:
            record[key] = output[:OUTPUT_CAP] + f"\n… [{len(output) - OUTPUT_CAP} more characters not kept]"
    record.update(hash=content_hash, source=inert_text(source, 1000), score=result.score, max_score=result.max_score)
    return record


class ResultLog:
    """The open results.jsonl of one grading run; holds an exclusive lock so two runs on the same
    output folder cannot interleave."""

    def __init__(self, out_dir: Path) -> None:
        self.path = Path(out_dir) / RESULTS
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise UsageError(f"another rnn-grader is writing {self.path}; wait for it or use another --out") from None
        self._cut_torn_tail()

    def _cut_torn_tail(self) -> None:
        """Drop a last line without its newline (a write cut by a crash): the next line must
        start on a line of its own. That submission was in flight and is graded again."""
        size = os.fstat(self._fd).st_size
        if size == 0 or os.pread(self._fd, 1, size - 1) == b"\n":
            return
        block = 1 << 16
        end = size
        while end > 0:
            start = max(0, end - block)
            newline = os.pread(self._fd, end - start, start).rfind(b"\n")
            if newline >= 0:
                os.ftruncate(self._fd, start + newline + 1)
                return
            end = start
        os.ftruncate(self._fd, 0)

    def append(self, record: dict[str, Any]) -> None:
        line = memoryview((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        while line:  # O_APPEND and our lock: one whole line at the end (a regular file takes it in one write)
            line = line[os.write(self._fd, line):]
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> "ResultLog":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
