"""The comparison: stock `otter run` on the same question files, one process per submission.

The question files and their support/ folder (rnn_checks.py and the fixtures, kept out of the
tests folder itself, which otter runs file by file) go in unchanged; rnn_utils goes to files/ as a
package, because otter refuses a submission folder holding two .py files.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from autograder.build.zips import write_zip
from autograder.config import QUESTIONS_DIR, SOLUTIONS_DIR
from autograder.questions import registry



def build_otter_zip(path: Path) -> Path:
    """An otter autograder zip (otter_config.json, tests/, files/) built from autograder/questions."""
    files = [*((f"tests/{q}.py", QUESTIONS_DIR / f"{q}.py") for q in registry.ids()),
             *((f"tests/support/{name}", QUESTIONS_DIR / "support" / name)
               for name in ("rnn_checks.py", "fixtures.npz", "fixtures.json")),
             ("files/rnn_utils/__init__.py", SOLUTIONS_DIR / "rnn_utils.py")]
    return write_zip(path, [("otter_config.json", b"{}"), *((name, p.read_bytes()) for name, p in files)])


def otter_score(results_json: Path) -> float:
    return sum(t.get("score") or 0 for t in json.loads(results_json.read_text())["tests"])


def time_otter_run(submissions: list[Path], *, autograder: Path, work_dir: Path) -> tuple[float, list[float]]:
    """(seconds, scores) of grading `submissions` one after the other with `otter run`."""
    scores = []
    start = time.monotonic()
    for i, submission in enumerate(submissions):
        out = work_dir / f"otter_{i}"
        out.mkdir(parents=True, exist_ok=True)
        folder = work_dir / f"otter_submission_{i}"  # otter wants the file alone in its folder
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "rnn.py"
        target.write_bytes(submission.read_bytes())
        subprocess.run([sys.executable, "-m", "otter", "run", "-a", str(autograder), "-o", str(out),
                        "--no-logo", str(target)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False, timeout=600)
        scores.append(otter_score(out / "results.json") if (out / "results.json").exists() else float("nan"))
    return time.monotonic() - start, scores
