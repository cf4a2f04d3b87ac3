# expect: q1=ok q2=ok q3=ok q4=ok q5=ok
# base: none
# A correct submission written with np.einsum everywhere and its own (numerically stable,
# per-column) softmax instead of rnn_utils'.
import numpy as np


def _softmax(z):
    # softmax over each column (one column = one example)
    z = z - z.max(axis=0, keepdims=True)
    e = np.exp(z)
    return e / np.einsum("km->m", e)[np.newaxis, :]


def rnn_cell_forward(xt, a_prev, parameters):
    p = parameters
    pre = np.einsum("ij,jm->im", p["Wax"], xt) + np.einsum("ij,jm->im", p["Waa"], a_prev) + p["ba"]
    a_next = np.tanh(pre)
    yt_pred = _softmax(np.einsum("ij,jm->im", p["Wya"], a_next) + p["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    states, preds, step_caches = [], [], []
    a_t = a0
    for t in range(x.shape[2]):
        a_t, y_t, c = rnn_cell_forward(x[:, :, t], a_t, parameters)
        states.append(a_t)
        preds.append(y_t)
        step_caches.append(c)
    a = np.stack(states, axis=-1)
    y_pred = np.stack(preds, axis=-1)
    return a, y_pred, (step_caches, x)


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = np.einsum("im,im->im", 1.0 - a_next * a_next, da_next)
    return {
        "dxt": np.einsum("ij,im->jm", parameters["Wax"], dz),
        "da_prev": np.einsum("ij,im->jm", parameters["Waa"], dz),
        "dWax": np.einsum("im,jm->ij", dz, xt),
        "dWaa": np.einsum("im,jm->ij", dz, a_prev),
        "dba": np.einsum("im->i", dz)[:, np.newaxis],
    }


def rnn_backward(da, caches):
    step_caches, x = caches
    n_a, m, T_x = da.shape
    dx = np.empty((x.shape[0], m, T_x))
    grads = {"dWax": 0.0, "dWaa": 0.0, "dba": 0.0}
    carry = np.zeros((n_a, m))
    for t in range(T_x - 1, -1, -1):
        g = rnn_cell_backward(da[:, :, t] + carry, step_caches[t])
        dx[:, :, t] = g["dxt"]
        carry = g["da_prev"]
        for k in grads:
            grads[k] = grads[k] + g[k]
    return {"dx": dx, "da0": carry, **grads}


class RNNCell:
    """PyTorch layout: rows are examples. h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)."""

    def __init__(self, weight_ih, weight_hh, bias_ih, bias_hh):
        self.weight_ih, self.weight_hh = weight_ih, weight_hh
        self.bias_ih, self.bias_hh = bias_ih, bias_hh
        self._inputs, self._prev, self._out = [], [], []
        self.dx_list = []
        self.dw_ih_stack, self.dw_hh_stack = [], []
        self.db_ih_stack, self.db_hh_stack = [], []
        self.prev_dh = None

    def __call__(self, x, prev_hidden):
        h = np.tanh(np.einsum("mi,ji->mj", x, self.weight_ih) + self.bias_ih
                    + np.einsum("mi,ji->mj", prev_hidden, self.weight_hh) + self.bias_hh)
        self._inputs.append(x)
        self._prev.append(prev_hidden)
        self._out.append(h)
        self.prev_dh = np.zeros_like(h)
        return h

    def backward(self, dh):
        x, h_prev, h = self._inputs.pop(), self._prev.pop(), self._out.pop()
        dz = (dh + self.prev_dh) * (1.0 - h ** 2)
        self.prev_dh = np.einsum("mj,ji->mi", dz, self.weight_hh)
        self.dx_list.insert(0, np.einsum("mj,ji->mi", dz, self.weight_ih))
        self.dw_ih_stack.append(np.einsum("mj,mi->ji", dz, x))
        self.dw_hh_stack.append(np.einsum("mj,mi->ji", dz, h_prev))
        self.db_ih_stack.append(dz)
        self.db_hh_stack.append(dz)
        return self.dx_list
