"""The otter zip's own run_autograder, as Gradescope runs it after setup.sh, without Docker: a
scratch folder laid out like /autograder (source/ = the unzipped zip, submission/, results/,
submission_metadata.json). The zip is built with otter's `autograder_dir` set to that folder (the
one override otter's config allows: its scripts and otter's runner read it); the conda environment
setup.sh would create is replaced by this venv on PATH (setup.sh itself downloads miniforge and
runs apt-get, which needs the network and a throwaway machine). run_autograder's `mamba` lines
then fail harmlessly and its `python source/run_otter.py` is otter's real container entry point."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from autograder.build.otter_zip import build_otter_autograder
from autograder.core.grading import grade_submission
from tests.otter_plugin.conftest import OTTER_TIMEOUT, REPO


def test_run_autograder_in_a_gradescope_shaped_folder(otter_dir):
    scratch = Path(tempfile.mkdtemp(prefix="gradescope-", dir=otter_dir))
    root = scratch / "autograder"
    ag_zip = build_otter_autograder(repo=REPO, out=scratch / "otter-autograder.zip", autograder_dir=str(root))
    for name in ("source", "submission", "results"):
        (root / name).mkdir(parents=True)
    with zipfile.ZipFile(ag_zip) as zf:
        zf.extractall(root / "source")
    (root / "submission_metadata.json").write_text("{}")
    submission = root / "submission" / "rnn.py"
    source = (REPO / "solutions" / "rnn.py").read_text() + "\n\n" + (
        REPO / "tests" / "submissions" / "bug_dtanh_one_minus_a.py").read_text()
    submission.write_text(source)
    kept = scratch / "rnn.py"  # the plugin sets the submission aside: compare on a copy
    kept.write_text(source)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run(["bash", str(root / "source" / "run_autograder")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=OTTER_TIMEOUT)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads((root / "results" / "results.json").read_text())
    core = grade_submission(kept)
    assert {t["name"]: (t["score"], t["max_score"]) for t in results["tests"] if "max_score" in t} == {
        q: (r.score, r.max_score) for q, r in core.questions.items()}
    assert core.questions["q3"].score < core.questions["q3"].max_score  # the bug costs q3 ...
    assert core.questions["q4"].score == core.questions["q4"].max_score  # ... and only q3
    assert "rnn-grader graded rnn.py in its sandbox" in done.stdout  # the plugin report, for instructors
    # as root in a container the plugin closes source/ (the wheel in files/) to the worker's uid
    assert all(not path.stat().st_mode & 0o077 for path in [root / "source", *(root / "source").rglob("*")])
