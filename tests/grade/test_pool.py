"""The grading pool: a runner that dies gets its submission retried once, then recorded as crashed."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from autograder.config import DEFAULT_CONFIG
from autograder.grade.inputs import Submission
from autograder.grade.pool import RUNNER, GradingPool
from tests.grade.conftest import REFERENCE

# Reads one task and dies without answering.
DIES = [sys.executable, "-c", "import sys; sys.stdin.readline(); sys.exit(3)"]
# Dies on its first task if the marker is absent (creating it), else becomes the real runner.
DIES_ONCE = [sys.executable, "-c", (
    "import os, sys\n"
    "marker = sys.argv[1]\n"
    "if not os.path.exists(marker):\n"
    "    open(marker, 'w').close(); sys.stdin.readline(); sys.exit(3)\n"
    f"os.execv(sys.executable, {list(RUNNER)!r} + sys.argv[2:])\n")]


def run(tmp_path: Path, runner: list[str]) -> dict:
    (tmp_path / "ann.py").write_text(REFERENCE)
    results = {}
    pool = GradingPool(jobs=1, config=DEFAULT_CONFIG.with_overrides(call_timeout=2), hidden=[], runner=runner)
    pool.run([Submission("ann", tmp_path / "ann.py")], lambda s, r: results.setdefault(s.name, []).append(r))
    return results


def test_retry_after_a_runner_dies(tmp_path: Path) -> None:
    results = run(tmp_path, [*DIES_ONCE, str(tmp_path / "marker")])
    assert (tmp_path / "marker").exists()
    assert [r.status for r in results["ann"]] == ["ok"]


def test_crashed_when_the_retry_dies_too(tmp_path: Path) -> None:
    [result] = run(tmp_path, DIES)["ann"]
    assert result.status == "crashed" and result.message.startswith("grader error")
    assert result.score == 0 and result.max_score > 0


# Reads one task, writes the start of an answer line and stalls (30 s at most).
STALLS = [sys.executable, "-c", "import sys, time; sys.stdin.readline(); sys.stdout.write('{\"name\": \"ann\"');"
          " sys.stdout.flush(); time.sleep(30)"]


def test_a_stalled_partial_answer_does_not_block_the_pool(tmp_path: Path) -> None:
    """A runner that writes half a line and stalls: the pool keeps its own clock (no blocking
    read), gives up after its watchdog, retries once, then records a grader error."""
    (tmp_path / "ann.py").write_text(REFERENCE)
    results = []
    pool = GradingPool(jobs=1, config=DEFAULT_CONFIG, hidden=[], runner=STALLS)
    pool.hang_after = 2.0  # instead of the submission's limits plus GRACE_SECONDS
    start = time.monotonic()
    pool.run([Submission("ann", tmp_path / "ann.py")], lambda s, r: results.append(r))
    assert time.monotonic() - start < 2 * (pool.hang_after + 2.5)  # two attempts, each ended on time
    [result] = results
    assert result.status == "crashed" and "no result within 2 s" in result.message
