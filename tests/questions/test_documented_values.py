"""The reference solution reproduces every documented value of DESIGN.md ("Documented values"),
including both sets of rnn_cell_backward values, and the stored fixtures hold them too."""
from __future__ import annotations

import numpy as np
import pytest

from autograder.questions import registry

from autograder.questions import checks_module
from autograder.reference import load_reference

ref = load_reference()
checks = checks_module()

# DESIGN.md, verbatim.
SEED_CODE = {"dxt": ((1, 2), -1.3872130506020928), "da_prev": ((2, 3), -0.1523994937739543),
             "dWax": ((3, 1), 0.41077282493545836), "dWaa": ((1, 2), 1.1503450668497135),
             "dba": ((4,), [0.20023491])}
SEED_PRINTED = {"dxt": ((1, 2), -0.4605641030588796), "da_prev": ((2, 3), 0.08429686538067724),
                "dWax": ((3, 1), 0.39308187392193034), "dWaa": ((1, 2), -0.28483955786960663),
                "dba": ((4,), [0.80517166])}
TOL = dict(rtol=1e-7, atol=1e-8)  # the printed values carry 8 to 17 digits


def _cell_fixture(ba_from_forward_fixture: bool):
    """The seed's rnn_cell_backward driver at np.random.seed(1); optionally with the stale `ba`
    that the original notebook passed (drawn by the rnn_forward fixture)."""
    rng = np.random.RandomState(1)
    xt, a_prev = rng.randn(3, 10), rng.randn(5, 10)
    p = {"Wax": rng.randn(5, 3), "Waa": rng.randn(5, 5), "Wya": rng.randn(2, 5), "ba": rng.randn(5, 1),
         "by": rng.randn(2, 1)}
    da_next = rng.randn(5, 10)
    if ba_from_forward_fixture:
        f = np.random.RandomState(1)
        f.randn(3, 10, 4), f.randn(5, 10), f.randn(5, 5), f.randn(5, 3), f.randn(2, 5)
        p["ba"] = f.randn(5, 1)
    _, _, cache = ref.rnn_cell_forward(xt, a_prev, p)
    return ref.rnn_cell_backward(da_next, cache)


@pytest.mark.parametrize("stale, values", [(False, SEED_CODE), (True, SEED_PRINTED)],
                         ids=["seed code", "seed printed (stale ba)"])
def test_rnn_cell_backward_documented(stale, values):
    grads = _cell_fixture(stale)
    for name, (index, value) in values.items():
        np.testing.assert_allclose(grads[name][index], value, **TOL, err_msg=name)
    assert grads["dxt"].shape == (3, 10) and grads["dba"].shape == (5, 1)


def _forward_fixture(order):
    rng = np.random.RandomState(1)
    x, a0 = rng.randn(3, 10, 4), rng.randn(5, 10)
    shapes = {"Waa": (5, 5), "Wax": (5, 3), "Wya": (2, 5), "ba": (5, 1), "by": (2, 1)}
    p = {k: rng.randn(*shapes[k]) for k in order}
    return rng, x, a0, p


def test_rnn_forward_documented():
    _, x, a0, p = _forward_fixture(("Waa", "Wax", "Wya", "ba", "by"))
    a, y_pred, caches = ref.rnn_forward(x, a0, p)
    np.testing.assert_allclose(a[4][1], [-0.99999375, 0.77911235, -0.99861469, -0.99833267], **TOL)
    np.testing.assert_allclose(y_pred[1][3], [0.79560373, 0.86224861, 0.11118257, 0.81515947], **TOL)
    np.testing.assert_allclose(caches[1][1][3], [-1.1425182, -0.34934272, -0.20889423, 0.58662319], **TOL)
    assert len(caches) == 2 and a.shape == (5, 10, 4) and y_pred.shape == (2, 10, 4)


def test_seed_softmax_gives_the_documented_wrong_values():
    """The seed's softmax sums over the whole matrix: DESIGN.md's second y_pred[1][3]."""
    _, x, a0, p = _forward_fixture(("Waa", "Wax", "Wya", "ba", "by"))
    a, _, _ = ref.rnn_forward(x, a0, p)
    z = np.einsum("ya,amt->ymt", p["Wya"], a) + p["by"][:, :, None]
    whole = np.stack([np.exp(z[:, :, t]) / np.exp(z[:, :, t]).sum() for t in range(4)], axis=2)
    np.testing.assert_allclose(whole[1][3], [0.01644489, 0.0328586, 0.0014877, 0.02851197], **TOL)


def test_rnn_backward_documented():
    rng, x, a0, p = _forward_fixture(("Wax", "Waa", "Wya", "ba", "by"))
    _, _, caches = ref.rnn_forward(x, a0, p)
    grads = ref.rnn_backward(rng.randn(5, 10, 4), caches)
    np.testing.assert_allclose(grads["dx"][1][2], [-2.07101689, -0.59255627, 0.02466855, 0.01483317], **TOL)
    np.testing.assert_allclose(grads["da0"][2][3], -0.314942375127, **TOL)
    np.testing.assert_allclose(grads["dWax"][3][1], 11.2641044965, **TOL)
    np.testing.assert_allclose(grads["dWaa"][1][2], 2.30333312658, **TOL)
    np.testing.assert_allclose(grads["dba"][4], [-0.74747722], **TOL)


@pytest.mark.parametrize("case_id, values", [("q3/documented", SEED_CODE), ("q3/printed", SEED_PRINTED)])
def test_public_fixtures_hold_the_documented_values(case_id, values):
    meta, _, expected = checks.load_case(case_id)
    assert not meta["hidden"]
    for name, (index, value) in values.items():
        np.testing.assert_allclose(expected[name][index], value, **TOL)


def test_every_case_passes_with_the_reference():
    """The reference gets every public and hidden case right (the stored values are torch's)."""
    functions = {q.target: getattr(ref, q.target) for q in registry.questions()}
    cases, _ = checks._fixtures()
    assert len(cases) >= 20
    for case_id in cases:
        checks.run_case(case_id, **functions)


def test_comparison_message_names_array_index_values_and_tolerance():
    expected = np.zeros((2, 3))
    actual = expected.copy()
    actual[1, 2] = 0.5
    with pytest.raises(checks.CaseFailure, match=r"dWaa\[1, 2\]: expected 0\.0, got 0\.5 \(rtol=1e-06, atol=1e-09\); 1 of 6"):
        checks.assert_close("dWaa", actual, expected)
    with pytest.raises(checks.CaseFailure, match=r"dWaa\[1, 2\]: wrong value") as hidden:
        checks.assert_close("dWaa", actual, expected, reveal=False)
    assert "0.5" not in str(hidden.value)


@pytest.mark.parametrize("bad, message", [
    ([[0.0] * 3] * 2, "expected a numpy array, got list"),
    (np.zeros((3, 2)), r"shape \(3, 2\), expected \(2, 3\)"),
    (np.full((2, 3), np.nan), "not finite"),
    (np.zeros((2, 3), dtype=object), "expected a float array"),
])
def test_comparison_checks_type_shape_finiteness(bad, message):
    with pytest.raises(checks.CaseFailure, match=message):
        checks.assert_close("a", bad, np.zeros((2, 3)))
