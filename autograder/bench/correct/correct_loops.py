# expect: q1=ok q2=ok q3=ok q4=ok q5=ok
# base: none
# A correct submission by a student who thinks one example at a time: explicit Python loops over
# the batch (columns in q1-q4, rows in q5), np.outer for the weight gradients, a hand-written
# per-example softmax. Slower, still correct.
import numpy as np


def rnn_cell_forward(xt, a_prev, parameters):
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    Wya = parameters["Wya"]
    ba = parameters["ba"]
    by = parameters["by"]
    n_a = Waa.shape[0]
    n_y = Wya.shape[0]
    m = xt.shape[1]
    a_next = np.zeros((n_a, m))
    yt_pred = np.zeros((n_y, m))
    for i in range(m):  # one example (column) at a time
        z = Wax.dot(xt[:, i]) + Waa.dot(a_prev[:, i]) + ba[:, 0]
        a_next[:, i] = np.tanh(z)
        scores = Wya.dot(a_next[:, i]) + by[:, 0]
        scores = scores - np.max(scores)
        exps = np.exp(scores)
        yt_pred[:, i] = exps / np.sum(exps)
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


def rnn_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    n_y = parameters["Wya"].shape[0]
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_prev = a0
    t = 0
    while t < T_x:
        a_prev, y_t, cache = rnn_cell_forward(x[:, :, t], a_prev, parameters)
        a[:, :, t] = a_prev
        y_pred[:, :, t] = y_t
        caches.append(cache)
        t += 1
    return a, y_pred, (caches, x)


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    n_a, m = a_next.shape
    n_x = xt.shape[0]
    dxt = np.zeros((n_x, m))
    da_prev = np.zeros((n_a, m))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    for i in range(m):
        dz = (1 - a_next[:, i] ** 2) * da_next[:, i]  # tanh'(z) = 1 - tanh(z)^2
        dxt[:, i] = Wax.T.dot(dz)
        da_prev[:, i] = Waa.T.dot(dz)
        dWax += np.outer(dz, xt[:, i])
        dWaa += np.outer(dz, a_prev[:, i])
        dba[:, 0] += dz
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def rnn_backward(da, caches):
    step_caches, x = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_from_future = np.zeros((n_a, m))
    for t in range(T_x - 1, -1, -1):
        grads = rnn_cell_backward(da[:, :, t] + da_from_future, step_caches[t])
        dx[:, :, t] = grads["dxt"]
        da_from_future = grads["da_prev"]
        dWax = dWax + grads["dWax"]
        dWaa = dWaa + grads["dWaa"]
        dba = dba + grads["dba"]
    return {"dx": dx, "da0": da_from_future, "dWax": dWax, "dWaa": dWaa, "dba": dba}


class RNNCell:
    def __init__(self, weight_ih, weight_hh, bias_ih, bias_hh):
        self.weight_ih = weight_ih
        self.weight_hh = weight_hh
        self.bias_ih = bias_ih
        self.bias_hh = bias_hh
        self.x_stack = []
        self.prev_hidden_stack = []
        self.next_hidden_stack = []
        self.dx_list = []
        self.dw_ih_stack = []
        self.dw_hh_stack = []
        self.db_ih_stack = []
        self.db_hh_stack = []
        self.prev_dh = None

    def __call__(self, x, prev_hidden):
        m = x.shape[0]
        n_a = self.weight_hh.shape[0]
        next_h = np.zeros((m, n_a))
        for b in range(m):  # one row per example in PyTorch's layout
            z = (self.weight_ih.dot(x[b]) + self.bias_ih
                 + self.weight_hh.dot(prev_hidden[b]) + self.bias_hh)
            next_h[b] = np.tanh(z)
        self.x_stack.append(x)
        self.prev_hidden_stack.append(prev_hidden)
        self.next_hidden_stack.append(next_h)
        self.prev_dh = np.zeros((m, n_a))
        return next_h

    def backward(self, dh):
        x = self.x_stack.pop()
        prev_hidden = self.prev_hidden_stack.pop()
        next_h = self.next_hidden_stack.pop()
        m, n_a = next_h.shape
        n_x = self.weight_ih.shape[1]
        d_tanh = np.zeros((m, n_a))
        dx = np.zeros((m, n_x))
        new_prev_dh = np.zeros((m, n_a))
        dw_ih = np.zeros((n_a, n_x))
        dw_hh = np.zeros((n_a, n_a))
        for b in range(m):
            d_tanh[b] = (dh[b] + self.prev_dh[b]) * (1 - next_h[b] ** 2)
            dx[b] = self.weight_ih.T.dot(d_tanh[b])
            new_prev_dh[b] = self.weight_hh.T.dot(d_tanh[b])
            dw_ih += np.outer(d_tanh[b], x[b])
            dw_hh += np.outer(d_tanh[b], prev_hidden[b])
        self.prev_dh = new_prev_dh
        self.dx_list.insert(0, dx)
        self.dw_ih_stack.append(dw_ih)
        self.dw_hh_stack.append(dw_hh)
        self.db_ih_stack.append(d_tanh)
        self.db_hh_stack.append(d_tanh.copy())
        return self.dx_list
