"""README's "Try the zip locally before uploading" works as written: from a folder that is not the
checkout, and twice in a row (the second run starts from the state the first one left). Only the
REPO line and the scratch folder (/tmp/gs, per test here) are replaced."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from autograder.questions import registry as _registry

REPO = Path(__file__).resolve().parents[2]
TOTAL = sum(q.points for q in _registry.questions())  # README: 215 with every part


def recipe() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### Try the zip locally", 1)[1]
    block = re.search(r"^```\n(.*?)^```$", section, re.S | re.M)
    assert block is not None, "README: no command block under 'Try the zip locally'"
    return block[1]


def test_recipe_names_its_inputs_by_repo() -> None:
    """Every path into the checkout goes through $REPO (so it works from any folder)."""
    commands = recipe()
    assert re.search(r"^REPO=", commands, re.M)
    for path in ("dist/autograder.zip", "solutions/rnn.py"):
        assert f'"$REPO/{path}"' in commands


@pytest.mark.skipif(os.geteuid() != 0, reason="the recipe is for root (the worker uid is used only then)")
def test_recipe_runs_twice_from_another_folder(autograder_zip: Path, tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"  # what $REPO must hold: a built zip and the reference
    (checkout / "dist").mkdir(parents=True)
    shutil.copy(autograder_zip, checkout / "dist" / "autograder.zip")
    (checkout / "solutions").mkdir()
    shutil.copy(REPO / "solutions" / "rnn.py", checkout / "solutions" / "rnn.py")
    scratch = tmp_path / "gs"
    commands = re.sub(r"^REPO=.*$", f"REPO={checkout}", recipe(), flags=re.M).replace("/tmp/gs", str(scratch))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for attempt in (1, 2):
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", commands], cwd=elsewhere, capture_output=True,
                              text=True, timeout=600, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, (attempt, done.stderr[-2000:])
        out = "\n" + done.stdout
        results = json.loads(out[out.rindex("\n{") + 1:])  # the last command cats results.json
        assert results["score"] == TOTAL, (attempt, results.get("output"))
