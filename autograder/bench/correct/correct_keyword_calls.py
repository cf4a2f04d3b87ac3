# expect: q1=ok q2=ok q3=ok q4=ok q5=ok
# base: none
# A correct submission that calls its cells with keywords, as public student code does:
# rnn_forward calls rnn_cell_forward(xt=..., a_prev=..., parameters=...) and rnn_backward calls
# rnn_cell_backward(da_next=..., cache=...). When q2/q4 run with the reference cell (always in
# check, in grade when q1/q3 failed) it must accept every call form the real function does.
import numpy as np
from rnn_utils import softmax


def rnn_cell_forward(xt, a_prev, parameters):
    p = parameters
    a_next = np.tanh(p["Wax"].dot(xt) + p["Waa"].dot(a_prev) + p["ba"])
    return a_next, softmax(p["Wya"].dot(a_next) + p["by"]), (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    n_a, (n_y, T_x) = a0.shape[0], (parameters["by"].shape[0], x.shape[2])
    a = np.zeros((n_a, x.shape[1], T_x))
    y_pred = np.zeros((n_y, x.shape[1], T_x))
    caches, a_t = [], a0
    for t in range(T_x):
        a_t, y_pred[:, :, t], cache = rnn_cell_forward(xt=x[:, :, t], a_prev=a_t, parameters=parameters)
        a[:, :, t] = a_t
        caches.append(cache)
    return a, y_pred, (caches, x)


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    dz = da_next * (1.0 - np.square(a_next))
    return {"dxt": p["Wax"].T.dot(dz), "da_prev": p["Waa"].T.dot(dz), "dWax": dz.dot(xt.T),
            "dWaa": dz.dot(a_prev.T), "dba": dz.sum(axis=1, keepdims=True)}


def rnn_backward(da, caches):
    steps, x = caches
    n_a, m, T_x = da.shape
    total = {"dWax": 0.0, "dWaa": 0.0, "dba": 0.0}
    dx, carry = np.zeros(x.shape), np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        g = rnn_cell_backward(da_next=da[:, :, t] + carry, cache=steps[t])
        dx[:, :, t], carry = g["dxt"], g["da_prev"]
        total = {k: total[k] + g[k] for k in total}
    return {"dx": dx, "da0": carry, **total}


class RNNCell:
    def __init__(self, weight_ih, weight_hh, bias_ih, bias_hh):
        self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh = weight_ih, weight_hh, bias_ih, bias_hh
        self.steps = []
        self.dx_list, self.dw_ih_stack, self.dw_hh_stack, self.db_ih_stack, self.db_hh_stack = [], [], [], [], []
        self.prev_dh = None

    def __call__(self, x, prev_hidden):
        h = np.tanh(x @ self.weight_ih.T + self.bias_ih + prev_hidden @ self.weight_hh.T + self.bias_hh)
        self.steps.append((x, prev_hidden, h))
        self.prev_dh = np.zeros_like(h)
        return h

    def backward(self, dh):
        x, h_prev, h = self.steps.pop()
        dz = (dh + self.prev_dh) * (1.0 - h * h)
        self.prev_dh = dz @ self.weight_hh
        self.dx_list.insert(0, dz @ self.weight_ih)
        self.dw_ih_stack.append(dz.T @ x)
        self.dw_hh_stack.append(dz.T @ h_prev)
        self.db_ih_stack.append(dz)
        self.db_hh_stack.append(dz)
        return self.dx_list
