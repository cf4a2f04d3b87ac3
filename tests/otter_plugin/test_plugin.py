"""RnnGraderPlugin's hooks, called in-process the way otter's PythonRunner and grade_notebook call
them (otter/run/run_autograder/runners/python_runner.py, otter/execute/__init__.py), and the zip
`rnn-grader build` writes. Points come from the README's table (q1 10, q2 10, q3 20, q4 30, q5 30, q6 5, q7 10,
q8 10, q9 10, q10 10, q11 20, q12 20, q13 15, q14 15)."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import dill
import nbformat
import pytest
from otter.run import AutograderConfig
from otter.test_files import GradingResults

from autograder.questions import registry
from autograder.core.grading import grade_submission
from autograder.gradescope.results import GRADER_ERROR, STATUS_WORDS
from autograder.otter_plugin import PLUGIN_NAME, STAND_IN, PluginConfigError, PluginOptions, RnnGraderPlugin
from tests.otter_plugin.conftest import REPO

QUESTIONS = registry.ids()

POINTS = {"q1": 10, "q2": 10, "q3": 20, "q4": 30, "q5": 30, "q6": 5, "q7": 10, "q8": 10, "q9": 10,
          "q10": 10, "q11": 20, "q12": 20, "q13": 15, "q14": 15}


def _container(tmp_path: Path, name: str, content: str) -> tuple[Path, AutograderConfig]:
    """An otter grading folder: <root>/submission/<name> beside otter's copies (tests/, a support
    file), and the config otter would pass to before_grading."""
    submission = tmp_path / "autograder" / "submission"
    (submission / "tests").mkdir(parents=True)
    (submission / "tests" / "q1.py").write_text("OK_FORMAT = False\n")
    (submission / "rnn_utils.py").write_text("raise SystemExit('student code in the kernel')\n")
    (submission / name).write_text(content)
    return submission / name, AutograderConfig({"autograder_dir": str(tmp_path / "autograder")})


def _run_hooks(plugin: RnnGraderPlugin, config: AutograderConfig, results: GradingResults) -> nbformat.NotebookNode:
    plugin.before_grading(config)
    notebook = plugin.before_execution(nbformat.v4.new_notebook())
    plugin.after_grading(results)
    return notebook


def test_the_kernel_gets_a_stand_in_and_only_otters_tests(tmp_path):
    path, config = _container(tmp_path, "rnn.py", (REPO / "solutions" / "rnn.py").read_text())
    plugin = RnnGraderPlugin(str(path), {}, {})
    plugin.before_grading(config)
    notebook = plugin.before_execution(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]))
    assert [c.source for c in notebook.cells] == [STAND_IN]
    assert notebook.metadata.kernelspec.name == "python3"
    assert sorted(p.name for p in path.parent.iterdir()) == ["tests"]  # no student file left to import
    results = GradingResults([])
    plugin.after_grading(results)
    assert {q: (tf.score, tf.possible) for q, tf in results.results.items()} == {q: (p, p) for q, p in POINTS.items()}


def test_the_kernels_results_count_for_nothing(tmp_path):
    path, config = _container(tmp_path, "rnn.py", (REPO / "assignment" / "rnn.py").read_text())
    kernel = GradingResults.without_results(RuntimeError("what the kernel pickled"))
    _run_hooks(RnnGraderPlugin(str(path), {}, {}), config, kernel)
    assert not kernel.has_catastrophic_failure()
    assert kernel.total == 0 and kernel.possible == sum(POINTS.values())
    reloaded = dill.loads(dill.dumps(kernel))  # otter pickles the results into results.pkl
    assert {q: tf.score for q, tf in reloaded.results.items()} == dict.fromkeys(POINTS, 0)


def test_a_plugin_failure_is_a_zero_with_a_message_not_an_aborted_run(tmp_path, monkeypatch):
    path, config = _container(tmp_path, "rnn.py", (REPO / "solutions" / "rnn.py").read_text())

    def broken(*args, **kwargs):
        raise RuntimeError("the sandbox could not start")
    monkeypatch.setattr("autograder.core.grading.grade_submission", broken)
    plugin, results = RnnGraderPlugin(str(path), {}, {}), GradingResults([])
    _run_hooks(plugin, config, results)
    assert {q: (tf.score, tf.possible) for q, tf in results.results.items()} == {q: (0, p) for q, p in POINTS.items()}
    output = results.to_gradescope_dict(AutograderConfig({}))
    assert output["output"] == GRADER_ERROR
    assert all(GRADER_ERROR in t["output"] for t in output["tests"])
    assert "the sandbox could not start" not in json.dumps(output)  # the student sees no traceback
    report = plugin.generate_report()  # otter prints it to stdout, which Gradescope shows instructors
    assert "rnn-grader plugin error while grading the submission" in report
    assert "RuntimeError: the sandbox could not start" in report


def test_a_bad_option_at_grading_time_is_a_zero_too(tmp_path):
    path, config = _container(tmp_path, "rnn.py", (REPO / "solutions" / "rnn.py").read_text())
    plugin, results = RnnGraderPlugin(str(path), {}, {"memory_mb": -1}), GradingResults([])
    _run_hooks(plugin, config, results)
    assert results.total == 0 and results.possible == sum(POINTS.values())
    assert "memory_mb must be a positive number" in plugin.generate_report()


def test_a_py_otter_could_not_read_is_graded_from_the_copy(tmp_path):
    garbage = b"\xff\xfe\x80 not utf-8 \x81\n"
    path, config = _container(tmp_path, "rnn.py", "")
    path.write_bytes(garbage)
    plugin = RnnGraderPlugin(str(path), {}, {})
    plugin.before_grading(config)
    assert path.read_text() == STAND_IN  # what grade_notebook reads next, with open() as text
    results = GradingResults([])
    plugin.before_execution(nbformat.v4.new_notebook())
    plugin.after_grading(results)
    (tmp_path / "rnn.py").write_bytes(garbage)
    core = grade_submission(tmp_path / "rnn.py")  # the core's verdict on the original bytes
    assert results.total == core.score == 0
    for q, question in core.questions.items():
        assert STATUS_WORDS[question.status] in results.get_result(q).summary(public_only=True)


def test_hint_levels(tmp_path):
    """`full` shows the core's hints and per-step tables, `hints` the hints only, `none` neither."""
    source = (REPO / "solutions" / "rnn.py").read_text() + "\n\n" + (
        REPO / "tests" / "submissions" / "bug_no_da_prevt.py").read_text()
    outputs = {}
    for level in ("full", "hints", "none"):
        path, config = _container(tmp_path / level, "rnn.py", source)
        results = GradingResults([])
        _run_hooks(RnnGraderPlugin(str(path), {}, {"hints": level}), config, results)
        assert results.get_score("q4") < POINTS["q4"]
        outputs[level] = results.get_result("q4").summary()  # public and hidden tests
    (tmp_path / "rnn.py").write_text(source)  # the plugin set its copy aside
    core = grade_submission(tmp_path / "rnn.py")
    hints, tables = core.questions["q4"].hints, core.questions["q4"].diagnostics
    assert hints and tables  # the bug library and the per-step table both see this bug
    assert all(h in outputs["full"] for h in hints) and all(t in outputs["full"] for t in tables)
    assert all(h in outputs["hints"] for h in hints) and not any(t in outputs["hints"] for t in tables)
    assert not any(h in outputs["none"] for h in hints) and not any(t in outputs["none"] for t in tables)


@pytest.mark.parametrize("raw, message", [
    ({"partz": ["rnn"]}, "unknown"), ({"parts": ["lstm9"]}, "parts must be"), ({"parts": []}, "parts must be"),
    ({"hints": "some"}, "hints must be"), ({"call_timeout": 0}, "call_timeout must be"),
    ({"max_processes": True}, "max_processes must be"), ({"allow_imports": "torch"}, "allow_imports must be"),
    (["rnn"], "must be an object")])
def test_options_are_validated(raw, message):
    with pytest.raises(PluginConfigError, match=message):
        PluginOptions.from_config(raw)


def test_otter_generate_refuses_a_bad_option():
    # otter generate builds each plugin without a submission and calls during_generate
    plugin = RnnGraderPlugin(None, {}, {"hints": "some"})
    with pytest.raises(PluginConfigError, match="hints must be"):
        plugin.during_generate({}, None)
    RnnGraderPlugin(None, {}, {"hints": "hints"}).during_generate({}, None)


def test_options_reach_the_core():
    options = PluginOptions.from_config({"parts": ["rnn"], "hints": "none", "call_timeout": 2.5,
                                         "memory_mb": 512, "allow_imports": ["torch"]})
    assert options.questions == registry.parts()["rnn"] == ("q1", "q2", "q3", "q4", "q5")
    assert (options.config.call_timeout, options.config.memory_mb, options.config.diagnose) == (2.5, 512, False)
    assert "torch" not in options.config.forbidden_imports


def test_the_zip_is_otters_with_the_plugin_listed_and_this_package_required(plugin_zip):
    with zipfile.ZipFile(plugin_zip) as zf:
        names = set(zf.namelist())
        config = json.loads(zf.read("otter_config.json"))
        environment = zf.read("environment.yml").decode()
    assert {"run_autograder", "run_otter.py", "setup.sh", "environment.yml", "otter_config.json"} <= names
    assert {f"tests/{q}.py" for q in QUESTIONS} <= names
    wheels = [n for n in names if n.startswith("files/rnn_grader-") and n.endswith(".whl")]
    assert len(wheels) == 1
    assert f"/autograder/source/{wheels[0]}" in environment  # otter's setup.sh pip-installs it
    assert config["plugins"] == [{PLUGIN_NAME: {"parts": list(registry.parts()), "hints": "full"}}]
