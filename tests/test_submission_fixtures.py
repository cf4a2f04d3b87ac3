"""The submission fixtures in tests/submissions/ are well-formed (see tests/submissions/README.md).

Checked here, without running any hostile code:
  * every hostile_*/correct_* fixture has a valid header (or, for files that cannot carry one,
    a `.expect` sidecar) and is listed in the README;
  * every `# base: reference` fixture compiles once the reference solution is prepended, and every
    `# base: none` fixture compiles unless it is expected to be a syntax_error (then it must not);
  * every correct_* fixture agrees with solutions/rnn.py on non-square shapes, including
    m = 1 and T_x = 1 (correct_* files are imported in-process; hostile_* files never are).
"""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from autograder.bench.hints import expected_statuses
from autograder.questions import registry

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = Path(__file__).resolve().parent / "submissions"
# The correct_* fixtures live in the package: they are also the benchmark's corpus and the sample class.
CORRECT_STYLES = ROOT / "autograder" / "bench" / "correct"
SOLUTIONS = ROOT / "solutions"
REFERENCE = SOLUTIONS / "rnn.py"

QUESTIONS = registry.ids()
STATUSES = ("ok", "failed", "timeout", "memory", "crashed", "forbidden", "not_implemented", "refused", "unreadable",
            "syntax_error")
# `qN=status` per question listed, `*=status` for the others (autograder.bench.hints.expected_statuses)
EXPECT_RE = re.compile(r"^# expect: (?P<body>((q\d+|\*)=[a-z_]+)( (q\d+|\*)=[a-z_]+)*)\s*$")
BASE_RE = re.compile(r"^# base: (?P<base>reference|none)\s*$")


def fixture_paths() -> list[Path]:
    return sorted((p for p in [*SUBMISSIONS.glob("*.py"), *CORRECT_STYLES.glob("correct_*.py")]
                   if p.name.startswith(("hostile_", "correct_", "bug_"))), key=lambda p: p.name)


def fixture(name: str) -> Path:
    """The fixture file `name`, wherever it lives (tests/submissions/ or autograder/bench/correct/)."""
    return CORRECT_STYLES / name if name.startswith("correct_") else SUBMISSIONS / name


def header_lines(path: Path) -> list[str]:
    """The header of a fixture: its first lines, or those of its `.expect` sidecar if it has one."""
    sidecar = path.with_suffix(".expect")
    raw = sidecar.read_bytes() if sidecar.exists() else path.read_bytes()
    return raw.decode("utf-8").splitlines()


def parse_header(path: Path) -> tuple[dict[str, str], str]:
    """(expected status per question, base) of a fixture; raises ValueError if malformed."""
    lines = header_lines(path)
    if len(lines) < 3:
        raise ValueError(f"{path.name}: header needs an expect line, a base line and a comment")
    m = EXPECT_RE.match(lines[0])
    if not m:
        raise ValueError(f"{path.name}: line 1 is not '# expect: q1=<status> ... [*=<status>]'")
    listed = dict(item.split("=") for item in m["body"].split())
    b = BASE_RE.match(lines[1])
    if not b:
        raise ValueError(f"{path.name}: line 2 is not '# base: reference' or '# base: none'")
    if not lines[2].startswith("#"):
        raise ValueError(f"{path.name}: line 3 must be a comment saying what the fixture attacks")
    unknown = set(listed) - {"*", *QUESTIONS}
    if unknown:
        raise ValueError(f"{path.name}: no question {sorted(unknown)}")
    return expected_statuses(m["body"], b["base"]), b["base"]


def submission_source(path: Path) -> bytes:
    """What the grader must grade for this fixture: reference prepended when `base: reference`."""
    _, base = parse_header(path)
    body = path.read_bytes()
    if base == "reference":
        return REFERENCE.read_bytes() + b"\n\n" + body
    return body


FIXTURES = fixture_paths()
IDS = [p.name for p in FIXTURES]


def test_inventory():
    hostile = [p for p in FIXTURES if p.name.startswith("hostile_")]
    correct = [p for p in FIXTURES if p.name.startswith("correct_")]
    assert len(hostile) >= 30
    assert len(correct) >= 4


def test_status_names_match_the_grader():
    results = pytest.importorskip("autograder.core.results")
    assert set(STATUSES) == set(results.STATUSES)


@pytest.mark.parametrize("path", FIXTURES, ids=IDS)
def test_header_is_valid(path: Path):
    expect, base = parse_header(path)
    assert sorted(expect) == sorted(QUESTIONS), f"{path.name}: an expectation for every question"
    assert set(expect.values()) <= set(STATUSES), f"{path.name}: unknown status in {expect}"
    if path.name.startswith("correct_"):  # right wherever written; a part left out: not_implemented
        assert base == "none" and {expect[q] for q in registry.parts()["rnn"]} == {"ok"}
        assert set(expect.values()) <= {"ok", "not_implemented"}


@pytest.mark.parametrize("path", FIXTURES, ids=IDS)
def test_fixture_is_documented(path: Path):
    readme = (SUBMISSIONS / "README.md").read_text(encoding="utf-8")
    assert f"`{path.name}`" in readme


def test_sidecars_belong_to_fixtures():
    for sidecar in SUBMISSIONS.glob("*.expect"):
        assert sidecar.with_suffix(".py").exists(), sidecar.name


@pytest.mark.parametrize("path", FIXTURES, ids=IDS)
def test_fixture_compiles_as_expected(path: Path):
    expect, base = parse_header(path)
    source = submission_source(path)
    if set(expect.values()) in ({"syntax_error"}, {"unreadable"}):
        assert base == "none"
        with pytest.raises(SyntaxError):
            compile(source, path.name, "exec")
    else:
        compile(source, path.name, "exec")


# --- correct_* fixtures agree with the reference -------------------------------------------------

SHAPES = [
    # n_x, n_a, n_y, m, T_x
    (3, 5, 2, 4, 6),
    (3, 5, 2, 1, 1),
]
CORRECT = [p for p in FIXTURES if p.name.startswith("correct_")]


def _load(path: Path, name: str, monkeypatch):
    monkeypatch.syspath_prepend(str(SOLUTIONS))  # for `from rnn_utils import ...`
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    state = np.random.get_state()
    try:
        with np.printoptions():  # notebook leftovers call np.set_printoptions at import
            spec.loader.exec_module(module)
    finally:
        np.random.set_state(state)
    return module


def _close(actual, expected, what):
    assert isinstance(actual, np.ndarray), f"{what}: {type(actual).__name__}, not np.ndarray"
    assert actual.shape == np.shape(expected), f"{what}: shape {actual.shape} != {np.shape(expected)}"
    np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=1e-12, err_msg=what)


def _inputs(shape, seed):
    n_x, n_a, n_y, m, T_x = shape
    rng = np.random.default_rng(seed)
    params = {
        "Wax": rng.standard_normal((n_a, n_x)),
        "Waa": rng.standard_normal((n_a, n_a)),
        "Wya": rng.standard_normal((n_y, n_a)),
        "ba": rng.standard_normal((n_a, 1)),
        "by": rng.standard_normal((n_y, 1)),
    }
    return rng, params


def _copy_params(params):
    return {k: v.copy() for k, v in params.items()}


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "nx{}_na{}_ny{}_m{}_T{}".format(*s))
@pytest.mark.parametrize("path", CORRECT, ids=[p.name for p in CORRECT])
def test_correct_fixture_agrees_with_reference(path: Path, shape, monkeypatch, capsys):
    ref = _load(REFERENCE, "_reference_rnn_for_fixture_check", monkeypatch)
    sub = _load(path, f"_fixture_{path.stem}", monkeypatch)
    capsys.readouterr()
    n_x, n_a, n_y, m, T_x = shape
    rng, params = _inputs(shape, seed=sum(shape))

    # q1
    xt, a_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m))
    want = ref.rnn_cell_forward(xt.copy(), a_prev.copy(), _copy_params(params))
    got = sub.rnn_cell_forward(xt.copy(), a_prev.copy(), _copy_params(params))
    _close(got[0], want[0], "q1 a_next")
    _close(got[1], want[1], "q1 yt_pred")
    for i, name in enumerate(("a_next", "a_prev", "xt")):
        _close(got[2][i], want[2][i], f"q1 cache {name}")
    assert set(got[2][3]) >= set(params)

    # q3
    da_next = rng.standard_normal((n_a, m))
    want = ref.rnn_cell_backward(da_next.copy(), ref.rnn_cell_forward(xt, a_prev, params)[2])
    got = sub.rnn_cell_backward(da_next.copy(), ref.rnn_cell_forward(xt, a_prev, params)[2])
    for key in ("dxt", "da_prev", "dWax", "dWaa", "dba"):
        _close(got[key], want[key], f"q3 {key}")

    # q2
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    want = ref.rnn_forward(x.copy(), a0.copy(), _copy_params(params))
    got = sub.rnn_forward(x.copy(), a0.copy(), _copy_params(params))
    _close(got[0], want[0], "q2 a")
    _close(got[1], want[1], "q2 y_pred")
    assert len(got[2]) == 2 and len(got[2][0]) == T_x
    _close(got[2][1], want[2][1], "q2 caches x")
    for t in range(T_x):
        for i, name in enumerate(("a_next", "a_prev", "xt")):
            _close(got[2][0][t][i], want[2][0][t][i], f"q2 caches[{t}] {name}")

    # q4
    da = rng.standard_normal((n_a, m, T_x))
    caches = ref.rnn_forward(x, a0, params)[2]
    want = ref.rnn_backward(da.copy(), caches)
    got = sub.rnn_backward(da.copy(), caches)
    for key in ("dx", "da0", "dWax", "dWaa", "dba"):
        _close(got[key], want[key], f"q4 {key}")

    # q5 (PyTorch layout, batch-major)
    w_ih, w_hh = rng.standard_normal((n_a, n_x)), rng.standard_normal((n_a, n_a))
    b_ih, b_hh = rng.standard_normal(n_a), rng.standard_normal(n_a)
    xs = rng.standard_normal((T_x, m, n_x))
    h0 = rng.standard_normal((m, n_a))
    dhs = rng.standard_normal((T_x, m, n_a))
    cells = [mod.RNNCell(w_ih.copy(), w_hh.copy(), b_ih.copy(), b_hh.copy()) for mod in (ref, sub)]
    hs = [h0.copy(), h0.copy()]
    for t in range(T_x):
        hs = [cell(xs[t].copy(), h) for cell, h in zip(cells, hs)]
        _close(hs[1], hs[0], f"q5 next_h step {t}")
    for t in reversed(range(T_x)):
        outs = [cell.backward(dhs[t].copy()) for cell in cells]
        assert len(outs[1]) == len(outs[0])
    want_cell, got_cell = cells
    for attr in ("dx_list", "dw_ih_stack", "dw_hh_stack", "db_ih_stack", "db_hh_stack"):
        assert len(getattr(got_cell, attr)) == T_x, attr
        for i, (g, w) in enumerate(zip(getattr(got_cell, attr), getattr(want_cell, attr))):
            _close(g, w, f"q5 {attr}[{i}]")
    _close(got_cell.prev_dh, want_cell.prev_dh, "q5 prev_dh")
