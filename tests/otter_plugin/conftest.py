"""Stock otter-grader as a course runs it: `otter run -a ZIP SUBMISSION` in a subprocess, with the
zip `rnn-grader build` writes (dist/otter-autograder.zip, built once per session into a scratch
folder) or, to show what the plugin changes, a stock zip of the same question files without it
(autograder/bench/otter_loop.py)."""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.bench.otter_loop import build_otter_zip as build_stock_zip
from autograder.build.otter_zip import build_otter_autograder

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
OTTER_TIMEOUT = 300  # seconds for one `otter run` (about 10 s on a quiet machine)


@dataclass
class OtterRun:
    submission: Path  # the graded file, left in place for the comparison with the core
    results: dict | None  # otter's results.json, None if otter wrote none
    returncode: int
    stdout: str
    stderr: str

    def question_scores(self) -> dict[str, tuple[float, float]]:
        """(score, max_score) of each question test (otter names them after the test files)."""
        return {t["name"]: (t["score"], t["max_score"]) for t in self.results["tests"] if "max_score" in t}

    def test_output(self, name: str) -> str:
        return next(t["output"] for t in self.results["tests"] if t["name"] == name)


@pytest.fixture(scope="session")
def otter_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("otter")


@pytest.fixture(scope="session")
def plugin_zip(otter_dir) -> Path:
    return build_otter_autograder(repo=REPO, out=otter_dir / "dist" / "otter-autograder.zip")


@pytest.fixture(scope="session")
def stock_zip(otter_dir) -> Path:
    return build_stock_zip(otter_dir / "stock-otter.zip")


def otter_run(autograder: Path, name: str, content: str | bytes, *, parent: Path) -> OtterRun:
    """`otter run` on one submission file `name` holding `content` (alone in its folder, as
    otter wants), in a fresh folder below `parent`."""
    work = Path(tempfile.mkdtemp(prefix="run-", dir=parent))
    (work / "submission").mkdir()
    (work / "out").mkdir()
    submission = work / "submission" / name
    submission.write_bytes(content.encode() if isinstance(content, str) else content)
    done = subprocess.run([sys.executable, "-m", "otter", "run", "-a", str(autograder), "-o", str(work / "out"),
                           "--no-logo", str(submission)],
                          cwd=work, capture_output=True, text=True, timeout=OTTER_TIMEOUT)
    results = work / "out" / "results.json"
    return OtterRun(submission, json.loads(results.read_text()) if results.exists() else None,
                    done.returncode, done.stdout, done.stderr)
