"""The reference reproduces every documented value of issue 14 (Coursera's "Dinosaur Island" clip
and C5W1 LSTM notebooks, and rnn_backward's fixture of DESIGN.md for RTRL), with the draw orders
written in the issue; and the documented inputs of autograder/fixtures/cases_part2.py are those
draws."""
from __future__ import annotations

import numpy as np
import pytest

from autograder.fixtures.cases_part2 import DOCUMENTED
from autograder.reference import load_reference

ref = load_reference()
TOL = dict(rtol=1e-7, atol=1e-8)  # the documented values carry 8 to 16 digits
GATE_SHAPES = [("Wf", (5, 8)), ("bf", (5, 1)), ("Wi", (5, 8)), ("bi", (5, 1)), ("Wo", (5, 8)),
               ("bo", (5, 1)), ("Wc", (5, 8)), ("bc", (5, 1))]
OUTPUT_SHAPES = [("Wy", (2, 5)), ("by", (2, 1))]


def _documented(question):
    """The documented inputs of cases_part2 (q12's is an example only: its da has 4 of 7 steps)."""
    return DOCUMENTED[question]()


def _same(a, b):
    """Equal inputs, nested dicts included (draws are exact: compare with ==)."""
    if isinstance(a, dict):
        assert sorted(a) == sorted(b)
        for k in a:
            _same(a[k], b[k])
    else:
        np.testing.assert_array_equal(a, b)


def test_clip_documented():
    """Issue 14, q6 (Coursera "Dinosaur Island"): np.random.seed(3), dWax (5,3), dWaa (5,5),
    dWya (2,5), db (5,1), dby (2,1), each randn × 10, maxValue = 10."""
    rng = np.random.RandomState(3)
    g = {k: rng.randn(*s) * 10 for k, s in
         [("dWax", (5, 3)), ("dWaa", (5, 5)), ("dWya", (2, 5)), ("db", (5, 1)), ("dby", (2, 1))]}
    _same(_documented("q6"), {"gradients": g, "maxValue": 10})
    original = {k: v.copy() for k, v in g.items()}
    out = ref.clip(g, 10)
    assert out["dWaa"][1][2] == 10.0 and out["dWax"][3][1] == -10.0 and out["db"][4] == [10.0]
    np.testing.assert_allclose(out["dWya"][1][2], 0.2971381536101662, **TOL)
    np.testing.assert_allclose(out["dby"][1], [8.45833407], **TOL)
    assert set(out) == {"dWaa", "dWax", "dWya", "db", "dby"}
    for k, v in original.items():  # entries inside the range are unchanged exactly
        inside = np.abs(v) <= 10
        np.testing.assert_array_equal(out[k][inside], v[inside])


def _lstm_cell_draws():
    rng = np.random.RandomState(1)
    xt, a_prev, c_prev = rng.randn(3, 10), rng.randn(5, 10), rng.randn(5, 10)
    p = {k: rng.randn(*s) for k, s in GATE_SHAPES + OUTPUT_SHAPES}
    return rng, xt, a_prev, c_prev, p


def test_lstm_cell_backward_documented():
    """Issue 14, q11 (Coursera C5W1): np.random.seed(1), xt (3,10), a_prev (5,10), c_prev (5,10),
    Wf (5,8), bf (5,1), Wi, bi, Wo, bo, Wc, bc, Wy (2,5), by (2,1), one lstm_cell_forward, then
    da_next, dc_next (5,10)."""
    rng, xt, a_prev, c_prev, p = _lstm_cell_draws()
    _, _, _, cache = ref.lstm_cell_forward(xt, a_prev, c_prev, p)
    da_next, dc_next = rng.randn(5, 10), rng.randn(5, 10)
    _same(_documented("q11"), {"xt": xt, "a_prev": a_prev, "c_prev": c_prev, "parameters": p,
                               "da_next": da_next, "dc_next": dc_next})
    _same(_documented("q9"), {"xt": xt, "a_prev": a_prev, "c_prev": c_prev, "parameters": p})
    g = ref.lstm_cell_backward(da_next, dc_next, cache)
    np.testing.assert_allclose(g["dxt"][1][2], 3.23055911511, **TOL)
    np.testing.assert_allclose(g["dc_prev"][2][3], 0.797522038797, **TOL)
    np.testing.assert_allclose(g["dWc"][3][1], 2.30456216369, **TOL)
    np.testing.assert_allclose(g["dbo"][4], [0.13893342], **TOL)
    assert g["dxt"].shape == (3, 10) and g["dWf"].shape == (5, 8) and g["dbo"].shape == (5, 1)


def _lstm_sequence_draws(with_output):
    rng = np.random.RandomState(1)
    x, a0 = rng.randn(3, 10, 7), rng.randn(5, 10)
    p = {k: rng.randn(*s) for k, s in GATE_SHAPES + (OUTPUT_SHAPES if with_output else [])}
    return rng, x, a0, p


def test_lstm_forward_documented():
    """Issue 14, q10 (Coursera C5W1): np.random.seed(1), x (3,10,7), a0 (5,10), then the
    parameters in q11's order."""
    _, x, a0, p = _lstm_sequence_draws(with_output=True)
    _same(_documented("q10"), {"x": x, "a0": a0, "parameters": p})
    a, y, c, caches = ref.lstm_forward(x, a0, p)
    np.testing.assert_allclose(a[4][3][6], 0.172117767533, **TOL)
    assert a.shape == c.shape == (5, 10, 7) and y.shape == (2, 10, 7) and len(caches[0]) == 7


def _lstm_backward_documented_inputs():
    """Coursera's lstm_backward cell: like lstm_forward but without Wy, by (the notebook's
    stale globals: the lstm_forward cell's), then da (5,10,4) against 7 cached steps."""
    rng, x, a0, p = _lstm_sequence_draws(with_output=False)
    stale = _lstm_sequence_draws(with_output=True)[3]
    p |= {"Wy": stale["Wy"], "by": stale["by"]}
    return x, a0, p, rng.randn(5, 10, 4)


DX_12 = [0.00218254, 0.28205375, -0.48292508, -0.43281115]
DA0_23 = 0.312770310257


def test_lstm_backward_documented():
    """Issue 14, q12 (Coursera C5W1): the documented dx[1][2] and da0[2][3] come out with T taken
    from da (4 steps of 7 cached) and da_prevt carried."""
    x, a0, p, da = _lstm_backward_documented_inputs()
    _same(_documented("q12"), {"x": x, "a0": a0, "parameters": p, "da": da})
    _, _, _, caches = ref.lstm_forward(x, a0, p)
    g = ref.lstm_backward(da, caches)
    np.testing.assert_allclose(g["dx"][1][2], DX_12, **TOL)
    np.testing.assert_allclose(g["da0"][2][3], DA0_23, **TOL)
    assert g["dx"].shape == (3, 10, 4)


def test_lstm_backward_story():
    """Why the grader's cases give da over every cached step: (1) the documented values are the
    true gradients of L = Σ_{t<4} da⟨t⟩ ⊙ a⟨t⟩ — padding da with zeros to 7 steps gives the same
    dx[:, :, :4] and da0 (later steps do not affect a⟨0⟩ … a⟨3⟩), so T from x or from the caches
    is right too when da covers every step; (2) not carrying da_prevt misses them."""
    x, a0, p, da = _lstm_backward_documented_inputs()
    _, _, _, caches = ref.lstm_forward(x, a0, p)
    padded = ref.lstm_backward(np.concatenate([da, np.zeros((5, 10, 3))], axis=2), caches)
    np.testing.assert_allclose(padded["dx"][1][2][:4], DX_12, **TOL)
    np.testing.assert_allclose(padded["dx"][:, :, 4:], 0, atol=1e-15)
    np.testing.assert_allclose(padded["da0"][2][3], DA0_23, **TOL)
    # without da_prevt, each step's cell sees only da[:, :, t]: da0 is then step 0's own gradient
    step0 = ref.lstm_cell_backward(da[:, :, 0], np.zeros((5, 10)), caches[0][0])
    assert not np.allclose(step0["da_prev"][2][3], DA0_23, **TOL)


def test_rtrl_gives_bptt_documented_gradients():
    """Issue 14, q14 with DESIGN.md's rnn_backward fixture: np.random.seed(1), x (3,10,4),
    a0 (5,10), Wax (5,3), Waa (5,5), Wya (2,5), ba (5,1), by (2,1), then da (5,10,4); DESIGN.md's
    dWax[3][1], dWaa[1][2], dba[4]."""
    rng = np.random.RandomState(1)
    x, a0 = rng.randn(3, 10, 4), rng.randn(5, 10)
    p = {k: rng.randn(*s) for k, s in [("Wax", (5, 3)), ("Waa", (5, 5)), ("Wya", (2, 5)), ("ba", (5, 1)),
                                        ("by", (2, 1))]}
    da = rng.randn(5, 10, 4)
    _same(_documented("q14"), {"x": x, "a0": a0, "parameters": p, "da": da})
    g = ref.rtrl_gradients(x, a0, p, da)
    np.testing.assert_allclose(g["dWax"][3][1], 11.2641044965, **TOL)
    np.testing.assert_allclose(g["dWaa"][1][2], 2.30333312658, **TOL)
    np.testing.assert_allclose(g["dba"][4], [-0.74747722], **TOL)
    bptt = ref.rnn_backward(da, ref.rnn_forward(x, a0, p)[2])
    for k in ("dWax", "dWaa", "dba"):
        np.testing.assert_allclose(g[k], bptt[k], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("gamma", [0.5, 0.9, 1.5])
def test_scale_to_spectral_radius(gamma):
    """rnn_utils' given helper: Waa · γ / max|eigenvalue(Waa)| (issue 14, q8)."""
    from solutions.rnn_utils import scale_to_spectral_radius
    Waa = np.random.default_rng(0).standard_normal((6, 6))
    np.testing.assert_allclose(np.max(np.abs(np.linalg.eigvals(scale_to_spectral_radius(Waa, gamma)))), gamma)
