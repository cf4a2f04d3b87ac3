"""The otter autograder zip has the layout `otter run` expects (its tests/*.py are all test files)."""
from __future__ import annotations

import zipfile
from pathlib import Path

from autograder.bench.otter_loop import build_otter_zip
from autograder.questions import registry


def test_zip_layout(tmp_path: Path) -> None:
    with zipfile.ZipFile(build_otter_zip(tmp_path / "ag.zip")) as zf:
        names = set(zf.namelist())
        q1 = zf.read("tests/q1.py").decode()
    assert {"otter_config.json", "files/rnn_utils/__init__.py", "tests/support/rnn_checks.py",
            "tests/support/fixtures.npz", "tests/support/fixtures.json"} <= names
    assert sorted(n for n in names if n.count("/") == 1 and n.startswith("tests/")) == \
        sorted(f"tests/{q}.py" for q in registry.ids())
    assert '/ "support" / "rnn_checks.py"' in q1
