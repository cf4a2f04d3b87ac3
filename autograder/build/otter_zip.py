"""dist/otter-autograder.zip: a stock otter-grader autograder, built by `otter generate` itself,
that grades with RnnGraderPlugin (autograder/otter_plugin.py).

It holds what otter generate writes (run_autograder, run_otter.py, setup.sh, environment.yml,
otter_config.json listing the plugin, tests/ with the question files q1.py–q5.py) and, in files/, a
wheel of this package; environment.yml's pip requirements install that wheel, which carries the
plugin, the grading core, the sandbox and the questions' fixtures.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from autograder.config import QUESTIONS_DIR
from autograder.questions import registry
from autograder.errors import UsageError
from autograder.build.gradescope_zip import build_wheel
from autograder.otter_plugin import PLUGIN_NAME, PluginOptions

GRADESCOPE_DIR = "/autograder"  # otter's default autograder_dir
# Written out in otter_config.json, so an instructor sees what can be set there.
def default_options() -> dict:
    """The plugin's options: the course's parts (the registry's, read when the zip is built)."""
    return {"parts": list(registry.parts()), "hints": "full"}


def otter_config(*, plugin_options: dict[str, Any], autograder_dir: str) -> dict[str, Any]:
    """otter_config.json: the plugin with its options (validated here, as at grading time)."""
    PluginOptions.from_config(plugin_options)
    config: dict[str, Any] = {"plugins": [{PLUGIN_NAME: plugin_options}]}
    if autograder_dir != GRADESCOPE_DIR:
        config["autograder_dir"] = autograder_dir
    return config


def build_otter_autograder(*, repo: Path, out: Path, plugin_options: dict[str, Any] | None = None,
                    autograder_dir: str = GRADESCOPE_DIR) -> Path:
    """Write the otter autograder zip to `out` with `otter generate` (run in a scratch folder, as
    otter wants its files below its working directory). `autograder_dir`: where otter's scripts
    expect the container's autograder folder (Gradescope: /autograder)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wheel = build_wheel(repo=repo, out_dir=work)
        (work / "tests").mkdir()
        for q in registry.ids():
            shutil.copy2(QUESTIONS_DIR / f"{q}.py", work / "tests" / f"{q}.py")
        config = otter_config(plugin_options=default_options() if plugin_options is None else plugin_options, autograder_dir=autograder_dir)
        (work / "otter_config.json").write_text(json.dumps(config, indent=2))
        # otter copies files/ to <autograder_dir>/source/files before setup.sh installs environment.yml
        (work / "requirements.txt").write_text(f"{autograder_dir}/source/files/{wheel.name}\n")
        done = subprocess.run(
            [sys.executable, "-m", "otter", "generate", "--tests-dir", "tests", "--output-path", "otter.zip",
             "--config", "otter_config.json", "--requirements", "requirements.txt", "--no-environment",
             wheel.name],
            cwd=work, capture_output=True, text=True)
        if done.returncode != 0:
            raise UsageError(f"otter generate failed: {(done.stderr or done.stdout).strip()[-800:]}")
        shutil.move(str(work / "otter.zip"), str(out.with_name(out.name + ".tmp")))
    out.with_name(out.name + ".tmp").replace(out)
    return out
