"""Hidden cases drawn per submission (core/hidden.py): the same file gets the same inputs, a changed
file new ones; the secret decides them; every correct style among the fixtures passes on many
draws of every hidden class (the tolerances hold at saturated tanh too). Expected values come from
the reference (proved against torch by the build and tests/fixtures/test_oracle.py)."""
from __future__ import annotations

import contextlib
import io
import sys

import numpy as np
import pytest

from autograder.questions import registry
from autograder.core.hidden import case_seed, course_secret, draw_hidden_cases, hidden_specs, reference_case
from autograder.questions import checks_module
from tests.test_submission_fixtures import CORRECT_STYLES, REFERENCE, submission_source

checks = checks_module()
SECRET = b"a secret for this test only, 32+ bytes long"
CORRECT = sorted(CORRECT_STYLES.glob("correct_*.py"))
SEEDS = range(25)  # per class and style (the build's own proof against torch uses 40 more)


def _differ(inputs: dict, other: dict) -> bool:
    return any(not np.array_equal(value, other[name]) for name, value in inputs.items())


def test_same_content_same_inputs_changed_content_new_ones():
    spec = {s.id: s for s in hidden_specs()}
    first, again = draw_hidden_cases("def f(): pass\n", secret=SECRET), draw_hidden_cases("def f(): pass\n", secret=SECRET)
    changed = draw_hidden_cases("def f(): pass\n# a comment\n", secret=SECRET)
    other_course = draw_hidden_cases("def f(): pass\n", secret=SECRET + b"!")
    for case_id, (inputs, _) in first.items():
        for name, value in inputs.items():
            assert np.array_equal(value, again[case_id][0][name])
        # a changed file gets new inputs (except in a class whose draw is the same at every seed,
        # such as all-zero gradients)
        assert _differ(inputs, changed[case_id][0]) or not _differ(*(reference_case(spec[case_id], s)[0] for s in (1, 2)))
        assert case_seed(SECRET, "x", case_id) != case_seed(SECRET + b"!", "x", case_id)
    assert set(first) == {spec.id for spec in hidden_specs()} == set(other_course)


def test_a_draw_of_some_questions_is_the_same_as_theirs_in_the_whole_draw():
    whole = draw_hidden_cases("def f(): pass\n", secret=SECRET)
    some = draw_hidden_cases("def f(): pass\n", secret=SECRET, questions=["q2", "q8"])
    assert set(some) == {cid for cid in whole if cid.split("/")[0] in ("q2", "q8")} and some
    for case_id, (inputs, expected) in some.items():
        assert not _differ(inputs, whole[case_id][0]) and not _differ(expected, whole[case_id][1])


def test_a_drawn_case_keeps_its_class_shapes():
    meta = {c["id"]: c for c in checks._fixtures()[0].values()}
    for case_id, (inputs, expected) in draw_hidden_cases("x", secret=SECRET).items():
        dims = meta[case_id]["dims"]
        key = "x" if "x" in inputs else "xt"
        if meta[case_id]["question"] == "q5":
            assert inputs["x"].shape == (dims["T_x"], dims["m"], dims["n_x"])
        elif key in inputs:
            assert inputs[key].shape[:2] == (dims["n_x"], dims["m"])
        # the shapes the cells' guards check a call against (fixtures.json) are the draw's
        assert {k: list(v.shape) for k, v in inputs.items()} == meta[case_id]["input_shapes"]
        assert all(not v.flags.writeable for v in [*inputs.values(), *expected.values()])


def test_the_secret_is_made_once_and_private(tmp_path):
    path = tmp_path / "course_secret.key"
    first = course_secret(path)
    assert course_secret(path) == first and len(first) == 64
    assert path.stat().st_mode & 0o077 == 0
    path.write_text("short\n")
    with pytest.raises(RuntimeError, match="shorter"):
        course_secret(path)


def _functions(path) -> dict:
    """A correct fixture's graded functions, exec'd here (trusted: our own correct styles)."""
    sys.modules.setdefault("rnn_utils", __import__("solutions.rnn_utils", fromlist=["*"]))
    namespace: dict = {"__name__": "correct_style"}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(path.read_bytes() if path == REFERENCE else submission_source(path), str(path), "exec"), namespace)
    return {name: namespace[name] for name in (q.target for q in registry.questions()) if name in namespace}


@pytest.mark.parametrize("path", [REFERENCE, *CORRECT], ids=lambda p: p.stem)
def test_every_correct_style_passes_every_hidden_class_on_many_draws(path):
    functions = _functions(path)
    specs = [spec for spec in hidden_specs() if registry.question(spec.question).target in functions]
    assert {spec.question for spec in specs} >= {"q1", "q2", "q3", "q4"}  # (a style may leave parts out)
    for spec in specs:
        for seed in SEEDS:
            inputs, expected = reference_case(spec, seed)
            with contextlib.redirect_stdout(io.StringIO()):
                outputs = registry.resolve(registry.question(spec.question).driver)(
                    functions, {k: v.copy() for k, v in inputs.items()})
            for name, value in expected.items():
                checks.assert_close(f"{spec.id} seed {seed} {name}", outputs[name], value)
