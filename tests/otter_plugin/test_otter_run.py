"""Stock `otter run -a otter-autograder.zip SUBMISSION` (a subprocess, the otter-grader the project
depends on) grades with the plugin: every submission gets exactly `rnn-grader grade`'s scores
(the core, `grade_submission`, on the same file) and the same public feedback as this package's
Gradescope zip (`to_gradescope`), and hostile submissions that beat stock otter get nothing from it.

Expected points come from the README's points table (q1 10, q2 10, q3 20, q4 30, q5 30, q6 5,
q7 10, q8 10, q9 10, q10 10, q11 20, q12 20, q13 15, q14 15) for the reference and the stubs; for
every other file, from the core."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from autograder.bench.hints import expected_statuses
from autograder.build.release import make_notebook
from autograder.questions import registry
from autograder.core.grading import grade_submission
from autograder.gradescope.results import GRADER_ERROR, to_gradescope
from autograder.otter_plugin import PLUGIN_NAME, PluginOptions
from tests.otter_plugin.conftest import HERE, REPO, otter_run

QUESTIONS = registry.ids()

POINTS = {"q1": 10, "q2": 10, "q3": 20, "q4": 30, "q5": 30, "q6": 5, "q7": 10, "q8": 10, "q9": 10,
          "q10": 10, "q11": 20, "q12": 20, "q13": 15, "q14": 15}  # README
REFERENCE = (REPO / "solutions" / "rnn.py").read_text()
STUBS = (REPO / "assignment" / "rnn.py").read_text()
SUBMISSIONS = REPO / "tests" / "submissions"
BEATS_STOCK_OTTER = ("hostile_patch_checker_at_load", "hostile_read_test_files", "hostile_forge_otter_results",
                     "hostile_os_exit_at_import")


def _fixture(name: str) -> str:
    """A fixture as the student's file, its base prepended (`reference` or, here, `stubs`)."""
    path = HERE / "submissions" / f"{name}.py"
    if not path.exists():
        path = SUBMISSIONS / f"{name}.py"
    text = path.read_text()
    base = {"# base: reference": REFERENCE, "# base: stubs": STUBS}.get(text.splitlines()[1], "")
    return base + "\n\n" + text if base else text


def _expected_statuses(name: str) -> dict[str, str]:
    """The `# expect:` header of a fixture."""
    path = HERE / "submissions" / f"{name}.py"
    header = (path if path.exists() else SUBMISSIONS / f"{name}.py").read_text().splitlines()
    return expected_statuses(header[0].removeprefix("# expect: "), header[1].removeprefix("# base: "))


def _solved_notebook() -> str:
    """The handout notebook, solved, saved from a course's own kernel (stock `otter run` starts the
    kernel a notebook names, and stops with NoSuchKernel where it is not installed)."""
    notebook = make_notebook(handout_md=(REPO / "solutions" / "handout.md").read_text(), stub_source=REFERENCE)
    notebook["metadata"]["kernelspec"] = {"name": "conda-env-rnn-course-py", "display_name": "RNN course",
                                          "language": "python"}
    return json.dumps(notebook)


SUBMISSION_FILES = {
    "reference": ("rnn.py", lambda: REFERENCE),
    "stubs": ("rnn.py", lambda: STUBS),
    "bug_dtanh_one_minus_a": ("rnn.py", lambda: _fixture("bug_dtanh_one_minus_a")),
    "notebook": ("rnn_bptt.ipynb", _solved_notebook),
    **{name: ("rnn.py", lambda name=name: _fixture(name)) for name in BEATS_STOCK_OTTER},
}


@pytest.fixture(scope="module")
def graded(otter_dir, plugin_zip):
    """name -> (otter run with the plugin, the core's result on the same file), each run once."""
    cache = {}

    def get(name: str):
        if name not in cache:
            filename, content = SUBMISSION_FILES[name]
            run = otter_run(plugin_zip, filename, content(), parent=otter_dir)
            assert run.results is not None, run.stdout[-2000:] + run.stderr[-2000:]
            cache[name] = (run, grade_submission(run.submission))
        return cache[name]
    return get


@pytest.mark.parametrize("name", list(SUBMISSION_FILES))
def test_otter_run_gives_the_cores_scores_and_feedback(graded, name):
    run, core = graded(name)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.question_scores() == {q: (r.score, r.max_score) for q, r in core.questions.items()}
    # the public feedback is this package's Gradescope zip's, question by question
    ours = to_gradescope(core, hidden_visibility="hidden", filename=run.submission.name)
    public = "\n\n".join(f"{t['name']}\n{t['output']}" for t in ours["tests"] if "public" in t["tags"])
    assert run.test_output("Public Tests") == public
    assert run.results["output"] == ours["output"]
    assert "Kernel died" not in run.stderr


@pytest.mark.parametrize("name, expected", [("reference", POINTS), ("notebook", POINTS),
                                            ("stubs", dict.fromkeys(POINTS, 0))])
def test_full_marks_and_zero(graded, name, expected):
    run, _ = graded(name)
    assert run.question_scores() == {q: (expected[q], POINTS[q]) for q in QUESTIONS}


def test_a_q3_bug_costs_q3_only_and_otter_shows_its_hint(graded):
    run, core = graded("bug_dtanh_one_minus_a")
    scores = run.question_scores()
    assert scores["q3"][0] < POINTS["q3"] and scores["q4"] == (POINTS["q4"], POINTS["q4"])
    assert core.questions["q3"].hints  # the bug library names this mistake
    for hint in core.questions["q3"].hints:
        assert f"hint: {hint}" in run.test_output("q3")
        assert f"hint: {hint}" in run.test_output("Public Tests")
    # a hidden case's message names expected values: it never reaches otter's results.json
    hidden = [c.message for q in core.questions.values() for c in q.cases if c.hidden and c.message]
    shown = "\n".join([run.results.get("output", ""), *(t.get("output", "") for t in run.results["tests"])])
    assert hidden and not any(message in shown for message in hidden)


@pytest.mark.parametrize("name", BEATS_STOCK_OTTER)
def test_hostile_submissions_beat_stock_otter_but_not_the_plugin(graded, otter_dir, stock_zip, name):
    run, core = graded(name)
    assert {q: r.status for q, r in core.questions.items()} == _expected_statuses(name)
    assert sum(s for s, _ in run.question_scores().values()) == core.score == 0
    stock = otter_run(stock_zip, "rnn.py", _fixture(name), parent=otter_dir)
    if stock.results is None:  # os._exit: the kernel died and stock otter wrote no results.json
        assert stock.returncode != 0
    else:
        assert sum(t.get("score") or 0 for t in stock.results["tests"]) > core.score


def _with_options(plugin_zip: Path, out: Path, options: dict) -> Path:
    """A copy of the zip whose otter_config.json gives the plugin `options` (as an instructor
    edits it), without otter generate's check."""
    with zipfile.ZipFile(plugin_zip) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "otter_config.json":
                data = json.dumps({**json.loads(data), "plugins": [{PLUGIN_NAME: options}]}).encode()
            dst.writestr(item, data)
    return out


def test_a_broken_plugin_config_is_a_zero_not_an_aborted_run(otter_dir, plugin_zip):
    broken = _with_options(plugin_zip, otter_dir / "broken-config.zip", {"memory_mb": -1})
    run = otter_run(broken, "rnn.py", REFERENCE, parent=otter_dir)
    assert run.returncode == 0 and run.results is not None
    assert run.question_scores() == {q: (0, POINTS[q]) for q in QUESTIONS}
    assert run.results["output"] == GRADER_ERROR
    assert "memory_mb must be a positive number" in run.stdout  # the plugin report: instructors only


def test_the_plugins_call_timeout_bounds_one_question_not_the_run(otter_dir, plugin_zip):
    """Stock otter's kernel would spin for the loop's 120 s; the plugin's call_timeout costs q4 only."""
    options = {"call_timeout": 2}
    limited = _with_options(plugin_zip, otter_dir / "call-timeout-2s.zip", options)
    run = otter_run(limited, "rnn.py", _fixture("hostile_busy_loop_in_rnn_backward"), parent=otter_dir)
    core = grade_submission(run.submission, config=PluginOptions.from_config(options).config)
    assert {q: r.status for q, r in core.questions.items()} == _expected_statuses("hostile_busy_loop_in_rnn_backward")
    assert run.question_scores() == {q: (r.score, r.max_score) for q, r in core.questions.items()}
