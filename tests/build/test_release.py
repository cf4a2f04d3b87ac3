"""The student release is generated from solutions/ and stays in sync with it.

Expected names and questions come from the question registry and the reference
`solutions/rnn.py`; the notebook is checked against the public otter tests, whose expected values
are the documented ones (DESIGN.md) stored in autograder/questions/fixtures.*.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import shutil
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Iterator

import nbformat
import numpy as np
import pytest

from autograder.build import release
from autograder.build.release import (
    check_release_in_sync,
    make_notebook,
    make_stub_source,
    public_test_source,
    write_release,
)
from autograder.config import QUESTIONS_DIR, SOLUTIONS_DIR
from autograder.questions import registry

QUESTION_TARGETS = {q.id: q.target for q in registry.questions()}

SOLUTION_SOURCE = (SOLUTIONS_DIR / "rnn.py").read_text()
HANDOUT = (SOLUTIONS_DIR / "handout.md").read_text()
QUESTIONS_READY = (QUESTIONS_DIR / "q1.py").exists()
needs_questions = pytest.mark.skipif(
    not QUESTIONS_READY,
    reason="autograder/questions/q1.py (the otter test files) does not exist yet",
)


def _load_module(path: Path, name: str) -> ModuleType:
    """Import `path` as module `name`, with its directory first on sys.path (for rnn_utils)."""
    sys.path.insert(0, str(path.parent))
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


@pytest.fixture(scope="module")
def modules(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType]:
    """(stub module generated from the solution, reference solution module)."""
    directory = tmp_path_factory.mktemp("stub")
    (directory / "rnn.py").write_text(make_stub_source(SOLUTION_SOURCE))
    shutil.copy(SOLUTIONS_DIR / "rnn_utils.py", directory / "rnn_utils.py")
    return _load_module(directory / "rnn.py", "rnn_stub"), _load_module(
        SOLUTIONS_DIR / "rnn.py", "rnn_reference"
    )


def _stub_calls(stub: ModuleType) -> dict[str, object]:
    """One call per stubbed body, inputs of the documented shapes: x: (n_x, m, T_x) = (3, 10, 4)."""
    rng = np.random.default_rng(0)
    n_x, n_a, n_y, m, T_x = 3, 5, 2, 10, 4
    parameters = {
        "Wax": rng.normal(size=(n_a, n_x)),
        "Waa": rng.normal(size=(n_a, n_a)),
        "Wya": rng.normal(size=(n_y, n_a)),
        "ba": rng.normal(size=(n_a, 1)),
        "by": rng.normal(size=(n_y, 1)),
    }
    xt, a_prev = rng.normal(size=(n_x, m)), rng.normal(size=(n_a, m))
    cache = (a_prev, a_prev, xt, parameters)
    cell = stub.RNNCell(
        rng.normal(size=(n_a, n_x)),
        rng.normal(size=(n_a, n_a)),
        rng.normal(size=(n_a,)),
        rng.normal(size=(n_a,)),
    )
    return {
        "rnn_cell_forward (q1)": lambda: stub.rnn_cell_forward(xt, a_prev, parameters),
        "rnn_forward (q2)": lambda: stub.rnn_forward(
            rng.normal(size=(n_x, m, T_x)), a_prev, parameters
        ),
        "rnn_cell_backward (q3)": lambda: stub.rnn_cell_backward(a_prev, cache),
        "rnn_backward (q4)": lambda: stub.rnn_backward(
            rng.normal(size=(n_a, m, T_x)), ([cache], xt)
        ),
        "RNNCell.__call__ (q5)": lambda: cell(xt.T, a_prev.T),
        "RNNCell.backward (q5)": lambda: cell.backward(a_prev.T),
    }


def test_every_stub_raises_not_implemented_naming_its_question(
    modules: tuple[ModuleType, ModuleType],
) -> None:
    stub, _ = modules
    calls = _stub_calls(stub)
    # every question of the rnn part has a stub (q5 has two: both methods); q6–q14: below
    assert {label.split(" ")[-1].strip("()") for label in calls} == set(QUESTION_TARGETS) - set(PART2_STUBS.values())
    for label, call in calls.items():
        with pytest.raises(NotImplementedError) as raised:
            call()
        assert str(raised.value) == label


def test_stub_keeps_signatures_and_docstrings(modules: tuple[ModuleType, ModuleType]) -> None:
    stub, reference = modules
    assert stub.__doc__ == reference.__doc__
    for target in QUESTION_TARGETS.values():
        ours, theirs = getattr(stub, target), getattr(reference, target)
        members = [(ours, theirs)]
        if inspect.isclass(theirs):
            members += [
                (getattr(ours, name), getattr(theirs, name))
                for name in ("__init__", "__call__", "backward")
            ]
        for stubbed, solved in members:
            assert inspect.signature(stubbed) == inspect.signature(solved), solved.__qualname__
            assert stubbed.__doc__ == solved.__doc__, solved.__qualname__


def _region_and_scaffold_lines(source: str) -> tuple[set[str], set[str]]:
    """(stripped non-blank lines strictly inside solution regions, those outside every region)."""
    inside, outside, in_region = set(), set(), False
    for line in source.splitlines():
        marker = line.strip()
        if marker in (release.BEGIN_MARKER, release.END_MARKER):
            in_region = marker == release.BEGIN_MARKER
        elif marker:
            (inside if in_region else outside).add(marker)
    return inside, outside


def test_no_solution_line_leaks_into_the_stub() -> None:
    inside, outside = _region_and_scaffold_lines(SOLUTION_SOURCE)
    stub_lines = {line.strip() for line in make_stub_source(SOLUTION_SOURCE).splitlines()}
    # A line that the solution also has outside every region (scaffold students get anyway, such
    # as a `return` or a closing parenthesis) is not a leak; every other region line, comments
    # included, must be gone.
    leaked = sorted((inside - outside) & stub_lines)
    assert leaked == []
    assert "x = self.x_stack.pop()" in inside and "x = self.x_stack.pop()" not in stub_lines


def test_stub_regions_are_named_by_the_enclosing_function() -> None:
    source = (
        "class RNNCell:\n"
        "    def backward(self, dh):\n"
        "        # BEGIN SOLUTION\n"
        "        dx = dh\n"
        "        # END SOLUTION\n"
        "        return dx\n"
    )
    stub = make_stub_source(source)
    assert stub.splitlines()[1:] == [
        "class RNNCell:",
        "    def backward(self, dh):",
        "        # YOUR CODE HERE",
        '        raise NotImplementedError("RNNCell.backward (q5)")',
        "        return dx",
    ]
    assert stub.startswith("# Generated by `rnn-grader build`")


@pytest.mark.parametrize(
    "source",
    [
        # not a graded function
        "def helper():\n    # BEGIN SOLUTION\n    pass\n    # END SOLUTION\n",
        "def rnn_forward():\n    # BEGIN SOLUTION\n    pass\n",  # never closed
        # nested
        "def rnn_forward():\n    # BEGIN SOLUTION\n    # BEGIN SOLUTION\n    pass\n    # END SOLUTION\n",
    ],
)
def test_malformed_solution_regions_are_rejected(source: str) -> None:
    with pytest.raises(ValueError):
        make_stub_source(source)


TEST_FILE = '''"""q9 — a test file."""
from otter.test_files import test_case

OK_FORMAT = False
name = "q9"
points = 20


@test_case(name="public one", hidden=False)
def public_one(f):
    assert f()


# only for the grader
@test_case(name="hidden one", hidden=True, points=5)
def hidden_one(f):
    assert f(1)


@test_case(name="public two")
def public_two(f):
    assert f(2)


@test_case(name="hidden last", hidden=True)
def hidden_last(f):
    assert f(3)
'''


def test_public_test_source_drops_hidden_cases_only() -> None:
    assert public_test_source(TEST_FILE) == TEST_FILE.replace(
        '# only for the grader\n@test_case(name="hidden one", hidden=True, points=5)\n'
        "def hidden_one(f):\n    assert f(1)\n\n\n",
        "",
    ).replace(
        '\n\n\n@test_case(name="hidden last", hidden=True)\ndef hidden_last(f):\n    assert f(3)\n',
        "\n",
    )


def test_public_test_source_refuses_a_computed_hidden_flag() -> None:
    with pytest.raises(ValueError, match="literal"):
        public_test_source(
            "from otter.test_files import test_case\nH = True\n\n"
            "@test_case(name='x', hidden=H)\ndef x():\n    pass\n"
        )


@pytest.fixture
def toy_questions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A questions dir: one test file, support/rnn_checks.py, fixtures of a public and a hidden case."""
    questions = tmp_path / "questions"
    (questions / "support").mkdir(parents=True)
    (questions / "q9.py").write_text(TEST_FILE)
    (questions / "support" / "rnn_checks.py").write_text("RTOL = 1e-6\n")
    cases = [{"id": "q9/public", "hidden": False}, {"id": "q9/public_m1", "hidden": True}]
    (questions / "support" / "fixtures.json").write_text(json.dumps({"oracle": "toy", "cases": cases}))
    np.savez(
        questions / "support" / "fixtures.npz",
        **{"q9/public/in/x": np.arange(3.0), "q9/public_m1/in/x": np.ones(2)},
    )
    monkeypatch.setattr(release, "QUESTIONS_DIR", questions)
    return questions


def test_write_release_keeps_public_fixtures_only(toy_questions: Path, tmp_path: Path) -> None:
    out = tmp_path / "assignment"
    write_release(out_dir=out)
    tests = out / "tests"
    support = tests / "support"
    assert sorted(str(p.relative_to(tests)) for p in tests.rglob("*") if p.is_file()) == [
        "q9.py",
        "support/fixtures.json",
        "support/fixtures.npz",
        "support/rnn_checks.py",
        "support/submission.py",  # check.py reads a .py or notebook as the grader does
    ]
    assert (out / "check.py").is_file()
    assert "hidden_one" not in (tests / "q9.py").read_text()
    assert json.loads((support / "fixtures.json").read_text()) == {
        "oracle": "toy",
        "cases": [{"id": "q9/public", "hidden": False}],
    }
    with np.load(support / "fixtures.npz") as data:
        assert list(data.keys()) == ["q9/public/in/x"]
        np.testing.assert_array_equal(data["q9/public/in/x"], np.arange(3.0))
    for path in [out / "rnn.py", out / "rnn_utils.py", tests / "q9.py", support / "rnn_checks.py"]:
        assert path.read_text().startswith("# Generated by `rnn-grader build`"), path
    assert (out / "README.md").read_text().startswith("<!-- Generated by `rnn-grader build`")


def test_fixture_keys_of_no_case_are_refused(toy_questions: Path, tmp_path: Path) -> None:
    np.savez(toy_questions / "support" / "fixtures.npz", **{"q9/secret/in/x": np.ones(1)})
    with pytest.raises(ValueError, match="q9/secret"):
        write_release(out_dir=tmp_path / "assignment")


def test_check_release_in_sync_lists_changed_missing_and_extra_files(
    toy_questions: Path, tmp_path: Path
) -> None:
    out = tmp_path / "assignment"
    write_release(out_dir=out)
    assert check_release_in_sync(out_dir=out) == []
    (out / "rnn.py").write_text("edited by hand\n")
    (out / "tests" / "support" / "fixtures.npz").unlink()
    (out / "notes.txt").write_text("stray\n")
    (out / "__pycache__").mkdir()
    (out / "__pycache__" / "rnn.cpython-311.pyc").write_bytes(b"")  # runtime leftover: ignored
    assert check_release_in_sync(out_dir=out) == ["notes.txt", "rnn.py", "tests/support/fixtures.npz"]
    write_release(out_dir=out)  # regenerating repairs it and removes the stray file
    assert check_release_in_sync(out_dir=out) == []


@needs_questions
def test_committed_assignment_is_in_sync_with_solutions() -> None:
    stale = check_release_in_sync()
    assert (
        stale == []
    ), f"assignment/ is stale; run `rnn-grader build` (or write_release()): {stale}"


@needs_questions
def test_committed_release_holds_no_hidden_case() -> None:
    cases = json.loads((QUESTIONS_DIR / "support" / "fixtures.json").read_text())["cases"]
    hidden = {case["id"] for case in cases if case["hidden"]}
    tests = release.ASSIGNMENT_DIR / "tests"
    with zipfile.ZipFile(tests / "support" / "fixtures.npz") as npz:
        assert not {name for name in npz.namelist() if name.rsplit("/", 2)[0] in hidden}
    assert not hidden & {
        case["id"] for case in json.loads((tests / "support" / "fixtures.json").read_text())["cases"]
    }
    for test_file in tests.glob("q*.py"):
        assert "hidden=True" not in test_file.read_text(), test_file.name


def test_notebook_is_valid_deterministic_and_pairs_code_with_checks() -> None:
    notebook = make_notebook(handout_md=HANDOUT, stub_source=make_stub_source(SOLUTION_SOURCE))
    nbformat.validate(notebook)
    again = make_notebook(handout_md=HANDOUT, stub_source=make_stub_source(SOLUTION_SOURCE))
    assert nbformat.writes(notebook) == nbformat.writes(again)
    assert notebook.metadata.kernelspec.name == "python3"
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert code[0].splitlines()[:4] == list(release.NOTEBOOK_SETUP)
    for question, target in QUESTION_TARGETS.items():
        index = next(
            i
            for i, source in enumerate(code)
            if source.startswith((f"def {target}(", f"class {target}"))
        )
        assert code[index + 1] == f'grader.check("{question}")'
    markdown = "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert markdown == HANDOUT.strip("\n")  # the whole handout, in order


@pytest.fixture(scope="module")
def kernel_name(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A kernelspec for this very interpreter, first on JUPYTER_PATH, so that no user-level
    `python3` kernel of another environment is picked up (the CI uses a fresh .venv)."""
    pytest.importorskip("ipykernel")
    pytest.importorskip("nbclient")
    data_dir = tmp_path_factory.mktemp("jupyter")
    spec_dir = data_dir / "kernels" / "rnn-grader-test"
    spec_dir.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec_dir / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "test", "language": "python"})
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(data_dir))
        yield "rnn-grader-test"


def _run_checks(notebook: nbformat.NotebookNode, *, cwd: Path, kernel_name: str) -> dict[str, str]:
    """Execute `notebook` in `cwd` (a cell error fails the test); each check's result as text."""
    from nbclient import NotebookClient

    NotebookClient(
        notebook, timeout=120, kernel_name=kernel_name, resources={"metadata": {"path": str(cwd)}}
    ).execute()
    results = {}
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.source.startswith("grader.check("):
            question = cell.source.split('"')[1]
            results[question] = "\n".join(
                out.get("data", {}).get("text/plain", "") for out in cell.outputs
            )
    return results


@needs_questions
def test_notebook_runs_with_stubs_and_passes_with_solutions(
    tmp_path: Path, kernel_name: str
) -> None:
    assignment = tmp_path / "assignment"
    write_release(out_dir=assignment)
    stub_notebook = nbformat.read(assignment / release.NOTEBOOK_NAME, as_version=4)
    stub_results = _run_checks(stub_notebook, cwd=assignment, kernel_name=kernel_name)
    assert set(stub_results) == set(QUESTION_TARGETS)
    for question, text in stub_results.items():
        # the stubs fail their public tests, and say which function to write
        assert (
            "Test case failed" in text
            and f"NotImplementedError: {QUESTION_TARGETS[question]}" in text
        ), text

    solved_notebook = make_notebook(handout_md=HANDOUT, stub_source=SOLUTION_SOURCE)
    solved_results = _run_checks(solved_notebook, cwd=assignment, kernel_name=kernel_name)
    assert set(solved_results) == set(QUESTION_TARGETS)
    for question, text in solved_results.items():
        assert text == f"{question} results: All test cases passed!", text


# The second half's functions (issue 14), with the question each answers.
PART2_STUBS = {"clip": "q6", "clip_by_global_norm": "q7", "gradient_norms": "q8",
               "lstm_cell_forward": "q9", "lstm_forward": "q10", "lstm_cell_backward": "q11",
               "lstm_backward": "q12", "rtrl_cell_forward": "q13", "rtrl_gradients": "q14"}


def test_part2_stubs_raise_naming_their_question(modules: tuple[ModuleType, ModuleType]) -> None:
    stub, reference = modules
    for name, question in PART2_STUBS.items():
        parameters = inspect.signature(getattr(reference, name)).parameters
        with pytest.raises(NotImplementedError) as raised:
            getattr(stub, name)(*[None] * len(parameters))
        assert str(raised.value) == f"{name} ({question})"
        assert getattr(stub, name).__doc__ == getattr(reference, name).__doc__


def test_part2_code_follows_its_section_with_a_check() -> None:
    """Each q6–q14 stub follows its handout section and is followed by its grader.check cell."""
    notebook = make_notebook(handout_md=HANDOUT, stub_source=make_stub_source(SOLUTION_SOURCE))
    cells = notebook.cells
    for name, question in PART2_STUBS.items():
        index = next(i for i, c in enumerate(cells) if c.source.startswith(f"def {name}("))
        assert cells[index - 1].cell_type == "markdown" and f"({question})" in cells[index - 1].source.splitlines()[0]
        assert cells[index + 1].source == f'grader.check("{question}")'
