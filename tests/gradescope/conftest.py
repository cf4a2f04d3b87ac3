"""A simulated Gradescope container: the autograder zip built and installed once per session with
its own setup.sh (into a fresh venv, without the system-wide steps), then for each submission a
root laid out like /autograder (source/, submission/, results/) graded by the zip's run_autograder.

The roots are world-traversable and results/ world-writable, so that only the sandbox (mounts,
unprivileged uid, the write after the worker is gone) keeps student code away from them."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.build.gradescope_zip import build_zip

REPO = Path(__file__).resolve().parents[2]
SETUP_LIMIT = 60.0  # seconds: setup.sh on a bare image, from the issue


@dataclass
class Installed:
    source: Path  # the zip's contents after setup.sh (what every root's source/ is copied from)
    venv: Path
    site: Path  # the venv's site-packages
    setup_seconds: float


@dataclass
class Run:
    root: Path
    results: dict
    seconds: float
    returncode: int


@pytest.fixture(scope="session")
def base_dir():
    base = Path(tempfile.mkdtemp(prefix="rnn-gradescope-test-"))
    base.chmod(0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def autograder_zip(base_dir) -> Path:
    return build_zip(repo=REPO, out=base_dir / "dist" / "autograder.zip")


@pytest.fixture(scope="session")
def installed(base_dir, autograder_zip) -> Installed:
    source, venv = base_dir / "template" / "source", base_dir / "venv"
    source.mkdir(parents=True)
    with zipfile.ZipFile(autograder_zip) as zf:
        zf.extractall(source)
    for name in ("setup.sh", "run_autograder"):
        (source / name).chmod(0o755)  # zipfile does not restore modes; Gradescope's unzip does
    env = {**os.environ, "RNN_GRADER_VENV": str(venv), "RNN_GRADER_SYSTEM": "0"}
    start = time.monotonic()
    done = subprocess.run(["bash", str(source / "setup.sh")], env=env, cwd=base_dir,
                          capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - start
    if done.returncode != 0 and "pip" in done.stderr and any(
            word in done.stderr for word in ("ConnectionError", "NewConnectionError", "Temporary failure",
                                             "No matching distribution")):
        pytest.skip(f"setup.sh could not download its pinned packages (offline?): {done.stderr[-300:]}")
    assert done.returncode == 0, done.stdout + done.stderr
    site = Path(subprocess.check_output([str(venv / "bin/python"), "-I", "-c",
                                         "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    return Installed(source, venv, site, seconds)


def scores_by_question(results: dict) -> dict[str, tuple[float, float]]:
    """(score, max_score) per question, summed over its public and hidden tests."""
    sums: dict[str, list[float]] = {}
    for t in results["tests"]:
        total = sums.setdefault(t["tags"][0], [0.0, 0.0])
        total[0] += t["score"]
        total[1] += t["max_score"]
    return {q: (s, m) for q, (s, m) in sums.items()}


def make_root(parent: Path, installed: Installed, files: dict[str, str | bytes]) -> Path:
    """A fresh /autograder-like root holding `files` as the submission."""
    root = Path(tempfile.mkdtemp(prefix="root-", dir=parent))
    root.chmod(0o755)
    shutil.copytree(installed.source, root / "source")
    (root / "submission").mkdir(mode=0o755)
    (root / "results").mkdir()
    (root / "results").chmod(0o777)
    for name, data in files.items():
        path = root / "submission" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    return root


def run_autograder(root: Path, *, venv: Path, timeout: float = 300) -> Run:
    """Gradescope's step: run source/run_autograder (cwd /autograder there, here the root)."""
    env = {**os.environ, "RNN_GRADER_ROOT": str(root), "RNN_GRADER_VENV": str(venv)}
    start = time.monotonic()
    done = subprocess.run([str(root / "source" / "run_autograder")], env=env, cwd=root,
                          capture_output=True, text=True, timeout=timeout)
    seconds = time.monotonic() - start
    (root / "results").chmod(0o755)  # the container is gone: a later test's submission may not write here
    return Run(root, json.loads((root / "results" / "results.json").read_text()), seconds, done.returncode)


@pytest.fixture
def gradescope_run(base_dir, installed):
    """grade({name: content}) -> Run, in a root of its own."""
    def grade(files: dict[str, str | bytes]) -> Run:
        return run_autograder(make_root(base_dir, installed, files), venv=installed.venv)
    return grade
