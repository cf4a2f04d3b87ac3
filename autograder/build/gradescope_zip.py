"""The Gradescope autograder zip: setup.sh, run_autograder, the pinned requirements and a wheel
of this package (which carries the questions, public fixtures, course secret and reference solution)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from autograder.build.zips import write_zip
from autograder.errors import UsageError
from autograder.gradescope.results import error_results
from autograder.sandbox.zygote_client import DEFAULT_UID_BASE

# setup.sh, run_autograder and requirements.txt: the files Gradescope runs, beside its entry point
GRADESCOPE_FILES = Path(__file__).resolve().parents[1] / "gradescope"
PACKAGE_SOURCES = ("pyproject.toml", "autograder", "solutions")


def build_wheel(*, repo: Path, out_dir: Path) -> Path:
    """A wheel of the package, built from a copy of its sources (the checkout stays untouched); it
    carries the course secret (made now if missing), so that hidden inputs are the course's own."""
    from autograder.core.hidden import course_secret

    course_secret()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in PACKAGE_SOURCES:
            if (repo / name).is_dir():
                shutil.copytree(repo / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(repo / name, src / name)
        (src / "README.md").write_text("The RNN / BPTT autograder (built for Gradescope).\n")
        done = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
             "--disable-pip-version-check", "-w", str(out_dir), str(src)],
            capture_output=True, text=True)
        if done.returncode != 0:
            raise UsageError(f"could not build the wheel (needs pip and setuptools): {done.stderr.strip()[-500:]}")
    return max(out_dir.glob("rnn_grader-*.whl"), key=lambda p: p.stat().st_mtime)


def scripts() -> dict[str, str]:
    """setup.sh and run_autograder with this build's worker uid and fallback result filled in."""
    fallback = json.dumps(error_results()).replace("'", "\\u0027")  # echoed inside single quotes
    return {
        "setup.sh": (GRADESCOPE_FILES / "setup.sh").read_text().replace("@WORKER_UID@", str(DEFAULT_UID_BASE)),
        "run_autograder": (GRADESCOPE_FILES / "run_autograder").read_text().replace("@ERROR_RESULTS@", fallback),
    }


def build_zip(*, repo: Path, out: Path) -> Path:
    """Write the autograder zip to `out`: everything at the top level, as Gradescope wants."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(repo=repo, out_dir=Path(tmp))
        runners = scripts()
        write_zip(out, [*((name, text.encode()) for name, text in runners.items()),
                        ("requirements.txt", (GRADESCOPE_FILES / "requirements.txt").read_bytes()),
                        (wheel.name, wheel.read_bytes())], executable=runners)
    return out
