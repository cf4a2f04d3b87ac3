"""`RnnGraderPlugin`: stock otter-grader (`otter run`, `otter grade`, otter's Gradescope zip) grades
with this package's core and sandbox. Listed in a course's otter_config.json:

    "plugins": [{"autograder.otter_plugin.RnnGraderPlugin": {"parts": ["rnn"], "hints": "full"}}]

Otter's protocol (otter/run/run_autograder/runners/python_runner.py, otter/execute/__init__.py):
the grading process builds the plugins (this class) and calls `before_grading(config)`; it reads the
submission, calls `before_execution(notebook)` and executes what that returns in a Jupyter kernel,
which runs the test files and pickles their results; the grading process unpickles them, calls
`after_grading(results)`, prints `generate_report()` and writes results.json/results.pkl from
`results`. Every hook runs in the grading process; only the notebook runs in the kernel.

So: `before_grading` keeps a private copy of the submission (and, as root in a container,
closes the autograder's files to other users); `before_execution` moves everything a
student supplied out of the kernel's working directory and hands otter a stand-in that defines
nothing, so student code never runs in otter's kernel (nor in an `otter.py` or `numpy.py` it
would import from there); `after_grading` grades the private copy with `grade_submission` (the
sandbox) and replaces every question in otter's results with the core's scores and feedback — the
same text as this package's Gradescope zip (`to_gradescope`). Nothing the kernel reported is kept.
Any failure of the plugin gives every question 0 points, "Autograder error, contact course staff"
for the student, and the traceback in the plugin report (otter's stdout, shown to instructors).
"""
from __future__ import annotations

import atexit
import dataclasses
import os
import shutil
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import nbformat
from otter.plugins import AbstractOtterPlugin
from otter.test_files import GradingResults
from otter.test_files.abstract_test import TestCase, TestCaseResult, TestFile

from autograder.config import DEFAULT_CONFIG, PACKAGE_DIR, SOLUTIONS_DIR, GraderConfig
from autograder.questions import registry
from autograder.core.results import SubmissionResult
from autograder.gradescope.results import GRADER_ERROR, STATUS_WORDS, to_gradescope

PLUGIN_NAME = f"{__name__}.RnnGraderPlugin"
HINT_LEVELS = ("full", "hints", "none")  # hints and per-step tables / hints only / neither
# GraderConfig fields an instructor may set in the plugin config (seconds, MB, counts, bytes).
LIMITS = ("call_timeout", "submission_timeout", "import_timeout", "memory_mb", "cpu_seconds",
          "max_file_mb", "max_processes", "output_limit", "max_py_mb", "max_notebook_mb")
OPTIONS = ("parts", "hints", "allow_imports", *LIMITS)
# What otter's kernel executes instead of the submission.
STAND_IN = ("# rnn-grader: this submission is graded by autograder.otter_plugin.RnnGraderPlugin in "
            "rnn-grader's sandbox, not in this kernel.\n")
SET_ASIDE_KEEP = ("tests",)  # otter's fresh copy of source/tests: the kernel runs it on the stand-in


class PluginConfigError(ValueError):
    """The plugin's entry in otter_config.json is malformed: the message names the key."""


@dataclass(frozen=True)
class PluginOptions:
    """The plugin's configuration, validated (unknown keys are errors, not silently ignored)."""

    questions: tuple[str, ...] = field(default_factory=registry.ids)
    config: GraderConfig = DEFAULT_CONFIG
    hints: str = "full"

    @classmethod
    def from_config(cls, raw: Any) -> "PluginOptions":
        raw = {} if raw is None else raw
        if not isinstance(raw, dict):
            raise PluginConfigError(f"the {PLUGIN_NAME} config must be an object, not {type(raw).__name__}")
        unknown = sorted(set(raw) - set(OPTIONS))
        if unknown:
            raise PluginConfigError(f"unknown {PLUGIN_NAME} option(s) {', '.join(map(repr, unknown))} "
                                    f"(known: {', '.join(OPTIONS)})")
        known = registry.parts()
        parts = raw.get("parts", list(known))
        if not isinstance(parts, list) or not parts or any(p not in known for p in parts):
            raise PluginConfigError(f"parts must be a non-empty list of {', '.join(map(repr, known))}, not {parts!r}")
        hints = raw.get("hints", "full")
        if hints not in HINT_LEVELS:
            raise PluginConfigError(f"hints must be one of {', '.join(map(repr, HINT_LEVELS))}, not {hints!r}")
        allow = raw.get("allow_imports", [])
        if not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
            raise PluginConfigError(f"allow_imports must be a list of library names, not {allow!r}")
        limits = {k: raw[k] for k in LIMITS if k in raw}
        for key, value in limits.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise PluginConfigError(f"{key} must be a positive number, not {value!r}")
        config = DEFAULT_CONFIG.with_overrides(**limits, diagnose=hints != "none").allowing(*allow)
        return cls(questions=tuple(q for part in parts for q in known[part]), config=config, hints=hints)


class GradedQuestion(TestFile):
    """One question in otter's results as the grading core scored it: its cases (hidden ones
    carry only a status word) and the feedback text of this package's Gradescope zip."""

    def __init__(self, name: str, cases: list[tuple[TestCase, TestCaseResult]], score: float,
                 public_text: str, full_text: str) -> None:
        super().__init__(name, f"rnn-grader:{name}", [tc for tc, _ in cases], all_or_nothing=False)
        self.test_case_results = [result for _, result in cases]
        self.update_score(score)
        self.public_text, self.full_text = public_text, full_text

    def summary(self, public_only: bool = False) -> str:
        return self.public_text if public_only else self.full_text

    @classmethod
    def from_file(cls, path: str) -> "GradedQuestion":
        raise TypeError("a GradedQuestion comes from RnnGraderPlugin's grading, never from a file")

    @classmethod
    def from_metadata(cls, s: Any, path: str) -> "GradedQuestion":
        raise TypeError("a GradedQuestion comes from RnnGraderPlugin's grading, never from metadata")

    def run(self, global_environment: dict[str, Any]) -> None:
        raise TypeError("a GradedQuestion is already graded (by rnn-grader's sandbox)")


def _case(name: str, *, hidden: bool, points: float, passed: bool, message: str
          ) -> tuple[TestCase, TestCaseResult]:
    tc = TestCase(name=name, body=None, hidden=hidden, points=points, success_message=None, failure_message=None)
    return tc, TestCaseResult(test_case=tc, message=message, passed=passed)


def otter_questions(result: SubmissionResult, tests: list[dict[str, Any]]) -> dict[str, GradedQuestion]:
    """`result`'s questions as otter test files, with the texts of `tests` (`to_gradescope(result)`'s
    public and hidden test of each question)."""
    texts = {tuple(t["tags"][:2]): f"{t['name']}\n{t['output']}" for t in tests}
    questions = {}
    for name, question in result.questions.items():
        cases = [_case(c.name, hidden=c.hidden, points=c.max_points, passed=c.passed,
                       message=STATUS_WORDS.get(c.status, c.status) if c.hidden else c.message)
                 for c in question.cases]
        public = texts.get((name, "public"), "")
        full = "\n\n".join(t for t in (public, texts.get((name, "hidden"), "")) if t)
        questions[name] = GradedQuestion(name, cases, question.score, public, full)
    return questions


def error_questions(questions: tuple[str, ...]) -> dict[str, GradedQuestion]:
    """Every question at 0 of its points, with "Autograder error, contact course staff"."""
    from autograder.questions import test_file

    out = {}
    for name in questions:
        cases = [_case(c.name, hidden=c.hidden, points=c.points, passed=False, message=GRADER_ERROR)
                 for c in test_file(name).test_cases]
        out[name] = GradedQuestion(name, cases, 0.0, f"{name}: {GRADER_ERROR}", f"{name}: {GRADER_ERROR}")
    return out


def stand_in_notebook() -> nbformat.NotebookNode:
    """What otter's kernel executes: one comment (a plain python3 kernel, whatever the student's
    notebook asked for)."""
    return nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(STAND_IN)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


class RnnGraderPlugin(AbstractOtterPlugin):
    """Grades the submission in rnn-grader's sandbox; otter's kernel never sees student code.
    Options (otter_config.json): parts, hints (full|hints|none), allow_imports, and the limits
    call_timeout, submission_timeout, import_timeout (s), memory_mb, cpu_seconds, max_file_mb,
    max_processes, output_limit (bytes), max_py_mb, max_notebook_mb (largest submission read)."""

    def __init__(self, submission_path: str | None, submission_metadata: dict[str, Any],
                 plugin_config: Any) -> None:
        super().__init__(submission_path, submission_metadata, plugin_config)
        self.options = PluginOptions()
        self._failure = ""  # what went wrong, with tracebacks (for the instructor)
        self._report = ""
        self._private: Path | None = None  # owner-only: the copy graded and what was set aside
        self._original: Path | None = None
        self._autograder_dir: Path | None = None
        self._hidden_visibility = "hidden"
        self._guard("reading the plugin options", self._read_options)

    # otter generate / otter assign: a bad config fails the build, with the reason.
    def during_generate(self, otter_config: dict[str, Any], assignment: Any) -> None:
        PluginOptions.from_config(self.plugin_config)

    def before_grading(self, config: Any) -> None:
        self._guard("reading otter's configuration", self._read_otter_config, config)
        self._guard("closing the autograder to other users", self._close_to_others, config)
        self._guard("copying the submission", self._keep_original)

    def before_execution(self, submission: Any) -> nbformat.NotebookNode:
        self._guard("setting the submission aside", self._set_aside)
        return stand_in_notebook()

    def after_grading(self, results: GradingResults) -> None:
        try:
            if not self._failure:  # (an earlier step failed: nothing trustworthy to grade)
                self._grade_into(results)
        except Exception:
            self._record("grading the submission")
        finally:
            if self._failure:
                self._error_into(results)
            results._catastrophic_error = None  # what the kernel reported counts for nothing
            if self._private is not None:
                shutil.rmtree(self._private, ignore_errors=True)

    def generate_report(self) -> str:
        return self._failure or self._report

    # --- steps -------------------------------------------------------------------------------

    def _guard(self, what: str, step: Callable[..., None], *args: Any) -> None:
        try:
            step(*args)
        except Exception:
            self._record(what)

    def _record(self, what: str) -> None:
        self._failure += f"rnn-grader plugin error while {what}:\n{traceback.format_exc()}"

    def _read_options(self) -> None:
        self.options = PluginOptions.from_config(self.plugin_config)

    def _read_otter_config(self, config: Any) -> None:
        self._hidden_visibility = "after_published" if config.show_hidden else "hidden"
        self._autograder_dir = Path(config.autograder_dir).resolve()

    def _close_to_others(self, config: Any) -> None:
        """In a grading container, as root (the worker runs as another uid): what the rnn-grader
        zip's setup.sh does, so that a worker the sandbox cannot hide them from (no namespaces)
        cannot read the autograder's source (the wheel in files/) or the installed package.
        Never on `otter run` (someone's own machine)."""
        if getattr(config, "otter_run", True) or os.geteuid() != 0:
            return
        installed = [p for p in (PACKAGE_DIR, SOLUTIONS_DIR) if "site-packages" in p.parts]
        for top in [self._autograder_dir / "source", *installed]:
            for folder, dirs, files in os.walk(top):
                for path in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                    if not os.path.islink(path):
                        os.chmod(path, os.stat(path).st_mode & ~0o077)

    def _keep_original(self) -> None:
        """Copy the submission where only this process's user can read it; a .py otter itself
        could not read (not UTF-8) is replaced in place by the stand-in, which otter reads."""
        if self._original is not None:
            return
        source = Path(self.submission_path)
        self._private = Path(tempfile.mkdtemp(prefix="rnn-grader-otter-"))  # mode 0700
        atexit.register(shutil.rmtree, self._private, True)  # also if otter stops before after_grading
        self._original = self._private / "graded" / source.name
        self._original.parent.mkdir()
        shutil.copyfile(source, self._original)
        if source.suffix == ".py":
            try:
                source.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                source.write_text(STAND_IN)

    def _set_aside(self) -> None:
        """Move what the student supplied (and otter's copies of support files) out of the
        kernel's working directory: only otter's tests stay."""
        self._keep_original()
        folder = Path(self.submission_path).parent
        aside = self._private / "set-aside"
        aside.mkdir()
        for entry in folder.iterdir():
            if entry.name not in SET_ASIDE_KEEP:
                shutil.move(str(entry), str(aside / entry.name))

    def _grade_into(self, results: GradingResults) -> None:
        from autograder.core.grading import grade_submission

        root = self._autograder_dir or Path(self.submission_path).resolve().parents[1]
        hidden = [str(root / name) for name in ("source", "submission", "results")] + [str(self._private)]
        result = grade_submission(self._original, config=self.options.config, hidden=hidden,
                                  submission=self._original.stem)
        result = dataclasses.replace(result, questions={
            q: dataclasses.replace(r, diagnostics=r.diagnostics if self.options.hints == "full" else [])
            for q, r in result.questions.items() if q in self.options.questions})
        filename = self._original.name
        feedback = to_gradescope(result, hidden_visibility=self._hidden_visibility, filename=filename)
        results.results = otter_questions(result, feedback["tests"])
        results.set_output(feedback["output"])
        self._report = (f"rnn-grader graded {filename} in its sandbox (isolation: {result.isolation}): "
                        f"{result.score:g} / {result.max_score:g}, status {result.status}")

    def _error_into(self, results: GradingResults) -> None:
        try:
            results.results = error_questions(self.options.questions)
        except Exception:  # the package itself is broken: otter's own question list, at 0
            self._record("writing the error result")
            for test_file in results.results.values():
                test_file.update_score(0)
        results.set_output(GRADER_ERROR)
