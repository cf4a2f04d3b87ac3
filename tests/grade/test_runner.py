"""The runner protocol: one task line in, one answer line out, stray prints kept off the answers."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

from autograder.grade.pool import RUNNER
from tests.grade.conftest import REFERENCE


def test_one_answer_per_task(tmp_path: Path) -> None:
    # A submission that prints at import: its output must end up in the result, not on the stream.
    (tmp_path / "ann.py").write_text(REFERENCE + '\nprint("hello from ann")\n')
    tasks = "".join(json.dumps({"name": n, "path": str(tmp_path / "ann.py")}) + "\n" for n in ("a1", "a2"))
    settings = json.dumps({"slot": 0, "hidden": [str(tmp_path)], "config": {"call_timeout": 2}})
    done = subprocess.run([*RUNNER, settings], input=tasks, capture_output=True, text=True, timeout=120)
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 0 and [a["name"] for a in answers] == ["a1", "a2"]
    assert all(a["result"]["status"] == "ok" for a in answers)
    assert "hello from ann" in answers[0]["result"]["output"]
