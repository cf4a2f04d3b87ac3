"""The autograder zip end to end, in a simulated Gradescope container (see conftest.py): its
setup.sh installs it, its run_autograder grades each submission, results.json follows Gradescope's
specification and gives exactly the grading core's scores (`grade_submission` on the same file),
and hostile submissions can neither change results.json nor read the autograder's source."""
from __future__ import annotations

import json
import os
import re
import time
import zipfile
from pathlib import Path

import pytest

from autograder.questions import registry as _registry

from autograder.build.release import make_notebook
from autograder.core.grading import grade_submission
from tests.gradescope.conftest import SETUP_LIMIT, make_root, run_autograder, scores_by_question
from tests.gradescope.schema import validate

REPO = Path(__file__).resolve().parents[2]
REFERENCE = (REPO / "solutions" / "rnn.py").read_text()
SUBMISSIONS = REPO / "tests" / "submissions"
OURS = Path(__file__).resolve().parent / "submissions"
RUN_LIMIT = 5.0  # seconds for the reference after setup, from the issue
TOTAL = sum(q.points for q in _registry.questions())  # README: 215 with every part


def _based(path: Path, **fill: str) -> str:
    """A fixture as the student file: the reference prepended for `# base: reference` files."""
    text = path.read_text()
    for key, value in fill.items():
        text = text.replace(f"@{key}@", value)
    return REFERENCE + "\n\n" + text if "# base: reference" in text.splitlines()[:5] else text


def _solved_notebook() -> str:
    return json.dumps(make_notebook(handout_md=(REPO / "solutions" / "handout.md").read_text(),
                                    stub_source=REFERENCE))



def _assert_like_the_core(run, name: str) -> None:
    validate(run.results)
    core = grade_submission(run.root / "submission" / name)
    assert run.results["score"] == core.score
    assert scores_by_question(run.results) == {q: (r.score, r.max_score) for q, r in core.questions.items()}


def test_the_zip_holds_only_what_grading_needs(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as zf:
        names = sorted(zf.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
        requirements = zf.read("requirements.txt").decode()
        scripts = zf.read("setup.sh").decode() + zf.read("run_autograder").decode()
    assert names[:3] == ["requirements.txt", "rnn_grader-0.1.0-py3-none-any.whl", "run_autograder"]
    assert names[3:] == ["setup.sh"]
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    pins = [l for l in requirements.splitlines() if l and not l.startswith("#")]
    assert pins and all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", p) for p in pins)
    assert not {p.split("==")[0].lower() for p in pins} & {"torch", "playwright", "conda", "mamba"}
    assert not re.search(r"@[A-Z_]+@", scripts)  # every placeholder was filled


def test_gradescope_paths_only_in_the_entry_point():
    """DESIGN.md: no path of Gradescope's outside the Gradescope entry point."""
    offenders = [str(p.relative_to(REPO)) for p in (REPO / "autograder").rglob("*.py")
                 if "/autograder/" in p.read_text().replace("/autograder/gradescope", "")
                 and p != REPO / "autograder" / "gradescope" / "__init__.py"]
    assert not offenders


def test_setup_is_fast_and_the_reference_gets_full_marks_fast(installed, base_dir):
    assert installed.setup_seconds < SETUP_LIMIT
    run = run_autograder(make_root(base_dir, installed, {"rnn.py": REFERENCE}), venv=installed.venv)
    validate(run.results)
    assert run.returncode == 0
    assert run.results["score"] == TOTAL == sum(t["max_score"] for t in run.results["tests"])
    assert run.seconds < RUN_LIMIT, f"{run.seconds:.1f} s"
    print(f"setup.sh {installed.setup_seconds:.1f} s; reference graded in {run.seconds:.2f} s")


@pytest.mark.parametrize("name, files", [
    ("rnn.py", {"rnn.py": (REPO / "assignment" / "rnn.py").read_text()}),  # the untouched stub
    ("rnn.py", {"rnn.py": _based(SUBMISSIONS / "bug_softmax_whole_matrix.py")}),
    ("rnn_bptt.ipynb", {"rnn_bptt.ipynb": _solved_notebook(),
                        "rnn_utils.py": (REPO / "assignment" / "rnn_utils.py").read_text()}),
    ("rnn.py", {"rnn.py": _based(SUBMISSIONS / "hostile_busy_loop_in_rnn_backward.py")}),
    ("rnn.py", {"rnn.py": _based(SUBMISSIONS / "hostile_exit_at_import.py")}),
    ("rnn.py", {"rnn.py": _based(SUBMISSIONS / "hostile_os_exit_at_import.py")}),
    ("rnn.py", {"rnn.py": "import sys\nsys.exit(3)\n" + REFERENCE}),
], ids=["stub", "bug_softmax", "notebook", "busy_loop_in_rnn_backward", "sys_exit_at_end_of_import",
        "os_exit_at_import", "sys_exit_at_start_of_import"])
def test_scores_equal_the_core(gradescope_run, name, files):
    run = gradescope_run(files)
    assert run.returncode == 0
    _assert_like_the_core(run, name)


def test_no_submission_gives_a_valid_zero(gradescope_run):
    run = gradescope_run({"README.txt": "forgot the file"})
    validate(run.results)
    assert run.results["score"] == 0 and "rnn.py" in json.dumps(run.results)


def test_a_broken_install_still_writes_a_valid_zero(base_dir, installed, tmp_path):
    root = make_root(base_dir, installed, {"rnn.py": REFERENCE})
    run = run_autograder(root, venv=tmp_path / "no-such-venv")
    validate(run.results)
    assert run.results["score"] == 0 and "contact course staff" in run.results["output"]


def test_a_submission_cannot_forge_results_json(base_dir, installed):
    root = make_root(base_dir, installed, {})
    (root / "submission" / "rnn.py").write_text(_based(OURS / "hostile_forge_results_json.py", ROOT=str(root)))
    run = run_autograder(root, venv=installed.venv)
    assert run.returncode == 0
    _assert_like_the_core(run, "rnn.py")
    assert run.results["score"] == TOTAL
    # what the submission printed, indented in the output (so it never passes for a grader line)
    sweeps = [line for line in run.results["output"].splitlines() if line.lstrip().startswith("forged:")]
    assert sweeps and not [line for line in sweeps if str(root) in line]  # it ran, and never reached us
    written = (root / "results" / "results.json").read_text()
    time.sleep(8)  # the child it forked would try again after 6 s, had it survived
    assert sorted(p.name for p in (root / "results").iterdir()) == ["results.json"]
    assert (root / "results" / "results.json").read_text() == written and "FORGED" not in written


@pytest.mark.skipif(os.geteuid() != 0, reason="the unprivileged worker uid exists only when grading as root")
def test_the_worker_cannot_read_the_autograder_source(gradescope_run, base_dir, installed):
    files = {"rnn.py": _based(OURS / "hostile_read_source.py", ROOT="@ROOT@", SITE=str(installed.site))}
    secret = f"SECRET-{os.getpid()}-{time.time_ns()}"
    root = make_root(base_dir, installed, {})
    (root / "source" / "secret.txt").write_text(secret)
    for path in [root / "source", *(root / "source").rglob("*")]:  # readable by anyone, but for the sandbox
        path.chmod(0o755)
    (root / "submission" / "rnn.py").write_text(files["rnn.py"].replace("@ROOT@", str(root)))
    run = run_autograder(root, venv=installed.venv)
    _assert_like_the_core(run, "rnn.py")
    assert run.results["score"] == TOTAL
    printed = run.results["output"]
    assert "DENIED" in printed or "LISTED" in printed  # the attack ran
    assert "READ " not in printed and secret not in printed
    for leaked in ("secret.txt", "setup.sh", "rnn_grader-0.1.0", "fixtures.npz", "BEGIN SOLUTION", "otter-grader=="):
        assert leaked not in json.dumps(run.results), leaked


@pytest.mark.parametrize("fixture", [
    "hostile_trickle_reply.py", "hostile_close_output_then_sleep.py", "hostile_memory_in_children.py",
    "hostile_memfd_hoard.py", "hostile_callback_outer_shapes.py", "hostile_padded_reply_header.py",
    "hostile_deep_json_reply.py"])
def test_boundary_attacks_cost_only_their_question(gradescope_run, fixture):
    """The worker-boundary attacks (issue 11) with Gradescope's default limits (10 s per call, 60 s
    per submission, 1 GiB for the worker's tree): the attacked question scores 0, every other
    question keeps its points (statuses: the fixture's `# expect:` header), and the run ends
    within the submission's limit plus start-up."""
    from tests.sandbox.test_boundary import FULL  # the points table of README.md
    from tests.test_submission_fixtures import parse_header

    run = gradescope_run({"rnn.py": _based(SUBMISSIONS / fixture)})
    assert run.returncode == 0
    validate(run.results)
    expected = parse_header(SUBMISSIONS / fixture)[0]
    assert scores_by_question(run.results) == {q: (FULL[q] if s == "ok" else 0.0, FULL[q]) for q, s in expected.items()}
    assert run.seconds <= 60 + 10, run.seconds
