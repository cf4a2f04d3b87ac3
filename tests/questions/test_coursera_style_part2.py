"""Code written the way Coursera's notebooks write it (in-place `np.clip(..., out=...)`, explicit
per-gate LSTM backward, T_x from `da`) agrees with the reference on every q6, q9–q12 case, so such
submissions will grade as their correctness deserves. Expected values: the reference solution."""
from __future__ import annotations

import numpy as np
import pytest

from autograder.fixtures.cases_part2 import CASES, case_inputs
from autograder.fixtures.drivers_part2 import FUNCTIONS, run_case
from autograder.reference import load_reference
from solutions.rnn_utils import sigmoid, softmax

REFERENCE = {name: getattr(load_reference(), name) for name in FUNCTIONS}


def clip(gradients, maxValue):
    dWaa, dWax, dWya, db, dby = (gradients[k] for k in ("dWaa", "dWax", "dWya", "db", "dby"))
    for gradient in [dWax, dWaa, dWya, db, dby]:
        np.clip(gradient, -maxValue, maxValue, out=gradient)
    return {"dWaa": dWaa, "dWax": dWax, "dWya": dWya, "db": db, "dby": dby}


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    Wf, bf, Wi, bi = parameters["Wf"], parameters["bf"], parameters["Wi"], parameters["bi"]
    Wc, bc, Wo, bo = parameters["Wc"], parameters["bc"], parameters["Wo"], parameters["bo"]
    Wy, by = parameters["Wy"], parameters["by"]
    n_x, m = xt.shape
    n_y, n_a = Wy.shape
    concat = np.zeros((n_a + n_x, m))
    concat[:n_a, :] = a_prev
    concat[n_a:, :] = xt
    ft = sigmoid(np.dot(Wf, concat) + bf)
    it = sigmoid(np.dot(Wi, concat) + bi)
    cct = np.tanh(np.dot(Wc, concat) + bc)
    c_next = ft * c_prev + it * cct
    ot = sigmoid(np.dot(Wo, concat) + bo)
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(np.dot(Wy, a_next) + by)
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


def lstm_forward(x, a0, parameters):
    caches = []
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    a_next, c_next = a0, np.zeros(a0.shape)
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t], y[:, :, t], c[:, :, t] = a_next, yt, c_next
        caches.append(cache)
    return a, y, c, (caches, x)


def lstm_cell_backward(da_next, dc_next, cache):
    (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) = cache
    n_x, m = xt.shape
    n_a, m = a_next.shape
    dot = da_next * np.tanh(c_next) * ot * (1 - ot)
    dcct = (dc_next * it + ot * (1 - np.square(np.tanh(c_next))) * it * da_next) * (1 - np.square(cct))
    dit = (dc_next * cct + ot * (1 - np.square(np.tanh(c_next))) * cct * da_next) * it * (1 - it)
    dft = (dc_next * c_prev + ot * (1 - np.square(np.tanh(c_next))) * c_prev * da_next) * ft * (1 - ft)
    concat = np.concatenate((a_prev, xt), axis=0)
    dWf, dWi, dWc, dWo = (np.dot(d, concat.T) for d in (dft, dit, dcct, dot))
    dbf, dbi, dbc, dbo = (np.sum(d, axis=1, keepdims=True) for d in (dft, dit, dcct, dot))
    W = {k: parameters[k] for k in ("Wf", "Wi", "Wc", "Wo")}
    da_prev = (np.dot(W["Wf"][:, :n_a].T, dft) + np.dot(W["Wi"][:, :n_a].T, dit)
               + np.dot(W["Wc"][:, :n_a].T, dcct) + np.dot(W["Wo"][:, :n_a].T, dot))
    dc_prev = dc_next * ft + ot * (1 - np.square(np.tanh(c_next))) * ft * da_next
    dxt = (np.dot(W["Wf"][:, n_a:].T, dft) + np.dot(W["Wi"][:, n_a:].T, dit)
           + np.dot(W["Wc"][:, n_a:].T, dcct) + np.dot(W["Wo"][:, n_a:].T, dot))
    return {"dxt": dxt, "da_prev": da_prev, "dc_prev": dc_prev, "dWf": dWf, "dbf": dbf, "dWi": dWi,
            "dbi": dbi, "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}


def lstm_backward(da, caches):
    (caches, x) = caches
    (a1, c1, a0, c0, f1, i1, cc1, o1, x1, parameters) = caches[0]
    n_a, m, T_x = da.shape
    n_x, m = x1.shape
    dx = np.zeros((n_x, m, T_x))
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    sums = {k: np.zeros(parameters[k[1:]].shape) for k in ("dWf", "dWi", "dWc", "dWo", "dbf", "dbi", "dbc", "dbo")}
    for t in reversed(range(T_x)):
        gradients = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])
        da_prevt, dc_prevt = gradients["da_prev"], gradients["dc_prev"]
        dx[:, :, t] = gradients["dxt"]
        for k in sums:
            sums[k] += gradients[k]
    return {"dx": dx, "da0": gradients["da_prev"], **sums}


COURSERA = {"clip": clip, "lstm_cell_forward": lstm_cell_forward, "lstm_forward": lstm_forward,
            "lstm_cell_backward": lstm_cell_backward, "lstm_backward": lstm_backward}
QUESTION = {"q6": "clip", "q9": "lstm_cell_forward", "q10": "lstm_forward", "q11": "lstm_cell_backward",
            "q12": "lstm_backward"}


@pytest.mark.parametrize("case", [c for c in CASES if c.question in QUESTION], ids=lambda c: c.id)
def test_coursera_style_code_agrees_with_the_reference(case):
    inputs = case_inputs(case)
    expected = run_case(REFERENCE, case.question, inputs)
    actual = run_case(REFERENCE | COURSERA, case.question, inputs)
    assert sorted(actual) == sorted(expected)
    for name, value in expected.items():
        np.testing.assert_allclose(actual[name], value, rtol=1e-6, atol=1e-9, err_msg=name)
