"""dist/student.zip (autograder/build/release.py, write_student_zip): the release as students get it.
It holds no line of a solution region of solutions/rnn.py, nothing of any hidden case (their
arrays, as bytes or printed digits; the course secret), and its check.py gives the grader's
public verdicts. The fresh-venv test (it downloads numpy and otter-grader from the package
index; RNN_GRADER_FRESH_VENV=0 skips it) installs only what the README's student section says
and runs check.py there."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from autograder.build.release import (ASSIGNMENT_DIR, STUDENT_ZIP_ROOT, _solution_regions,
                                      write_student_zip)
from autograder.check import check
from autograder.core.hidden import course_secret, draw_hidden_cases
from autograder.diagnosis.bugs import BUGS, patched_source
from autograder.diagnosis.bugs_part2 import BUGS_PART2
from autograder.questions import registry
from tests.test_submission_fixtures import REFERENCE, SUBMISSIONS, fixture, submission_source

REPO = ASSIGNMENT_DIR.parent
STUB = ASSIGNMENT_DIR / "rnn.py"
Q3_BUG = SUBMISSIONS / "bug_dtanh_one_minus_a.py"  # q3 only (its header: q3=failed, the rest ok)
BUGS_BY_ID = {bug.id: bug for bug in (*BUGS, *BUGS_PART2)}


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """The unpacked student.zip, built from the committed assignment/ as `rnn-grader build` does."""
    tmp = tmp_path_factory.mktemp("student")
    zipped = write_student_zip(out=tmp / "student.zip")
    with zipfile.ZipFile(zipped) as zf:
        zf.extractall(tmp / "unpacked")
    return tmp / "unpacked" / STUDENT_ZIP_ROOT


def _files(release: Path) -> dict[str, bytes]:
    return {p.relative_to(release).as_posix(): p.read_bytes() for p in sorted(release.rglob("*")) if p.is_file()}


def _texts(release: Path) -> dict[str, str]:
    """Every text file (a notebook by its cells' sources and outputs, as JSON would escape them)."""
    texts = {}
    for name, data in _files(release).items():
        if name.endswith(".npz"):
            continue
        text = data.decode("utf-8")
        if name.endswith(".ipynb"):
            cells = json.loads(text)["cells"]
            text = "\n".join("".join(c["source"]) for c in cells)
        texts[name] = text
    return texts


def _normalised(line: str) -> str:
    return " ".join(line.split())


def test_the_zip_is_deterministic_and_is_the_committed_release(tmp_path, release):
    first = write_student_zip(out=tmp_path / "a.zip").read_bytes()
    assert write_student_zip(out=tmp_path / "b.zip").read_bytes() == first
    committed = {p.relative_to(ASSIGNMENT_DIR).as_posix() for p in ASSIGNMENT_DIR.rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts}
    assert set(_files(release)) == committed
    assert {"check.py", "rnn.py", "rnn_utils.py", "rnn_bptt.ipynb", "README.md"} <= committed


def test_no_line_of_a_solution_region(release):
    source = (REPO / "solutions" / "rnn.py").read_text().splitlines()
    solution = {_normalised(line) for begin, end in _solution_regions(source)
                for line in source[begin:end - 1]
                # (a line of brackets alone, such as a dict's closing "}", says nothing of the answer)
                if any(ch.isalnum() for ch in line) and not line.strip().startswith("#")}
    assert len(solution) > 40  # the regions were found (the test can fail)
    for name, text in _texts(release).items():
        leaked = solution & {_normalised(line) for line in text.splitlines()}
        assert not leaked, f"{name} holds lines of the reference's solution regions: {sorted(leaked)[:5]}"


def test_no_reference_or_secret_files(release):
    names = set(_files(release))
    assert not any(n.startswith(("solutions/", "autograder/")) or n.endswith(".key") for n in names)
    secret = course_secret()
    assert not any(secret in data for data in _files(release).values())


def _hidden_draws() -> list[np.ndarray]:
    """Hidden cases as the grader draws them for a few submissions (the reference, the stub, the
    q3 bug): their arrays are what must never reach a student."""
    arrays = []
    for path in (REFERENCE, STUB, Q3_BUG):
        for inputs, expected in draw_hidden_cases(path.read_text()).values():
            arrays += [a for a in (*inputs.values(), *expected.values()) if a.dtype.kind == "f" and a.size >= 4]
    return arrays


def test_no_hidden_case_array_as_bytes_or_printed_digits(release):
    files, texts = _files(release), _texts(release)
    arrays = _hidden_draws()
    assert len(arrays) > 50
    for array in arrays:
        flat = np.ascontiguousarray(array, dtype=np.float64).ravel()
        # zeros tell nothing of a case (every LSTM starts from c0 = 0, the stand-in tables show
        # it): the bytes searched start at the first other entry
        first = np.flatnonzero(flat)[:1]
        if first.size and flat.size - first[0] >= 4:
            raw = flat[first[0]:first[0] + 4].tobytes()
            assert not any(raw in data for data in files.values())
        # 8 decimals of its first entries, as a print or repr would show them: a printed array
        # shows several, while one alone meets a public number by chance (about one run in forty)
        digits = [d for value in array.ravel()[:4] if len((d := f"{abs(float(value)):.8f}".rstrip("0"))
                                                         .replace(".", "").lstrip("0")) >= 6]
        for name, text in texts.items():
            found = [d for d in digits if d in text]
            assert len(found) < 2, (name, found)


def _check_py(release: Path):
    spec = importlib.util.spec_from_file_location("release_check_py", release / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _materialised(path: Path | str, tmp_path: Path) -> Path:
    """A submission file: the reference, the stub, a fixture, or a bug-library variant (by id)."""
    if isinstance(path, str):
        out = tmp_path / "rnn.py"
        out.write_text(patched_source(BUGS_BY_ID[path]))
        return out
    out = tmp_path / path.name
    out.write_bytes(path.read_bytes() if path in (REFERENCE, STUB) else submission_source(path))
    return out


# q2 and q4 bugs that the stand-in cell refuses (wrong state, no carry, forward order) and some
# it answers (wrong outputs assembled from right calls), and q1/q3/q5 bugs; for every other
# question that calls a cell (q8, q10, q12, q14), a bug of its cell (which its question does not
# pay for) and loops that call the cell with wrong inputs
AGREEMENT_FILES = [REFERENCE, STUB, Q3_BUG, *(fixture(f"{name}.py") for name in (
    "bug_first_step_from_zeros", "bug_no_da_prevt", "bug_carry_starts_at_da_last", "bug_returns_yt_pred",
    "bug_dx_time_reversed", "bug_forward_fixed_range", "bug_bias_outside_tanh", "bug_rnncell_db_from_dh",
    "bug_caches_alias_state", "correct_einsum", "correct_keyword_calls", "correct_loops")),
    "q9_concat_x_first", "q11_dc_prev_missing_a_term", "q13_missing_dtanh",
    "q8_wrong_cache", "q8_shifted", "q10_always_a0", "q10_cell_state_not_carried", "q12_no_dc_prevt",
    "q12_forward_in_time", "q14_sensitivities_not_carried", "q14_a_not_carried", "q14_stale_sensitivities"]


@pytest.mark.parametrize("path", AGREEMENT_FILES, ids=[getattr(p, "stem", p) for p in AGREEMENT_FILES])
def test_check_py_gives_the_public_verdicts_of_rnn_grader_check(path, release, tmp_path):
    """The student's check (their code in its own process, stand-in cells) and `rnn-grader check`
    (sandbox, reference cells): the same score per question, and the bug library's hints."""
    submission = _materialised(path, tmp_path)
    results, _, _ = _check_py(release).check(submission, list(registry.ids()))
    grader = check(submission)
    assert {q: (r["score"], r["max_score"]) for q, r in results.items()} == \
        {q: (r.score, r.max_score) for q, r in grader.questions.items()}
    library = {bug.hint for bug in BUGS_BY_ID.values()}
    for q, r in grader.questions.items():
        messages = "\n".join(m for _, _, m in results[q]["cases"])
        for hint in set(r.hints) & library:
            assert hint in messages, (q, hint)


def _T_x(case_id: str) -> int:
    """T_x of a public case (the shape of its x in the release's fixtures.json)."""
    cases = json.loads((ASSIGNMENT_DIR / "tests" / "support" / "fixtures.json").read_text())["cases"]
    return next(c for c in cases if c["id"] == case_id)["shapes"]["x"][2]


Q8_T, Q12_T = _T_x("q8/public"), _T_x("q12/public")
# what the student's check says of loops that call their cell with wrong inputs: the step and the
# argument, in the handout's words
STAND_IN_MESSAGES = [
    (SUBMISSIONS / "bug_first_step_from_zeros.py", "at t = 1 your rnn_forward passed a_prev = zeros, not a0"),
    # its first call steps back from a⟨T_x⟩ with the cache of step T_x - 1 (the reference's loop
    # passes that cache the da_prev of step T_x)
    ("q8_wrong_cache", f"at t = {Q8_T - 1} your gradient_norms passed da_next = da_last, not the da_prev of step {Q8_T}"),
    ("q10_always_a0", "at t = 2 your lstm_forward passed a_prev = a0, not a⟨1⟩"),
    ("q10_cell_state_not_carried", "at t = 2 your lstm_forward passed c_prev = zeros, not c⟨1⟩"),
    ("q12_no_dc_prevt", f"at t = {Q12_T - 1} your lstm_backward passed dc_next = zeros, not the dc_prev of step {Q12_T}"),
    ("q12_forward_in_time", "at t = 1 your lstm_backward passed da_next = da⟨1⟩, not da⟨1⟩ + the da_prev of step 2"),
    ("q14_sensitivities_not_carried", "at t = 2 your rtrl_gradients passed sensitivities['Wax'] = zeros, not S⟨1⟩['Wax']"),
    ("q14_a_not_carried", "at t = 2 your rtrl_gradients passed a_prev = a0, not a⟨1⟩"),
]


@pytest.mark.parametrize("path, words", STAND_IN_MESSAGES, ids=[getattr(p, "stem", p) for p, _ in STAND_IN_MESSAGES])
def test_stand_in_says_where_the_loop_went_wrong(path, words, release, tmp_path):
    submission = _materialised(path, tmp_path)
    question = BUGS_BY_ID[path].question if isinstance(path, str) else "q2"
    results, _, _ = _check_py(release).check(submission, [question])
    (_, passed, message), = results[question]["cases"]
    assert not passed and words in message, message


def _run_check(python: Path, release: Path, submission: Path) -> dict:
    done = subprocess.run([str(python), "check.py", str(submission), "--json"], cwd=release,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


@pytest.mark.skipif(os.environ.get("RNN_GRADER_FRESH_VENV") == "0",
                    reason="downloads numpy and otter-grader (about 100 s): RNN_GRADER_FRESH_VENV=0 skips it")
def test_check_py_in_a_fresh_venv_with_only_the_readme_installs(release, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    # the README's student section: pip install numpy otter-grader
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "numpy", "otter-grader"], check=True, timeout=1800)
    imports = subprocess.run([str(python), "-c", "import autograder"], capture_output=True, cwd=release)
    assert imports.returncode != 0  # this package is not there: the release stands alone
    reference = _run_check(python, release, _materialised(REFERENCE, tmp_path))
    assert all(r["score"] == r["max_score"] > 0 for r in reference.values()), reference
    stub = _run_check(python, release, _materialised(STUB, tmp_path))
    assert all(r["score"] == 0 for r in stub.values()), stub
    bug = _run_check(python, release, _materialised(Q3_BUG, tmp_path))
    assert bug["q3"]["score"] == 0 and all(bug[q]["score"] == bug[q]["max_score"] for q in bug if q != "q3")
    assert bug == {q: {"score": r.score, "max_score": r.max_score}
                   for q, r in check(_materialised(Q3_BUG, tmp_path)).questions.items()}
    text = subprocess.run([str(python), "check.py", str(_materialised(Q3_BUG, tmp_path))], cwd=release,
                          capture_output=True, text=True, timeout=300).stdout
    assert "hint: your dtanh uses (1 - a_next)" in text
