"""Recurrent neural network and backpropagation through time, in numpy.

Shapes (one set of names throughout):
    n_x  input features        m    batch size (examples are columns)
    n_a  hidden units          T_x  time steps
    n_y  output classes

    xt: (n_x, m)   a_prev, a_next: (n_a, m)   yt_pred: (n_y, m)
    x: (n_x, m, T_x)   a0: (n_a, m)   a: (n_a, m, T_x)   y_pred: (n_y, m, T_x)
    parameters: Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1), by (n_y, 1)

q5 (`RNNCell`) uses PyTorch's layout instead: batch-major, x: (m, n_x), h: (m, n_a),
weight_ih: (n_a, n_x), weight_hh: (n_a, n_a), bias_ih, bias_hh: (n_a,).
"""
from __future__ import annotations

import numpy as np

from rnn_utils import softmax

Cache = tuple  # (a_next, a_prev, xt, parameters)


def rnn_cell_forward(
    xt: np.ndarray, a_prev: np.ndarray, parameters: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, Cache]:
    """One step of the RNN (q1).

    a_next = tanh(Wax @ xt + Waa @ a_prev + ba);  yt_pred = softmax(Wya @ a_next + by)

    Args:
        xt: (n_x, m) input at time t.
        a_prev: (n_a, m) hidden state at time t-1.
        parameters: Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1), by (n_y, 1).

    Returns:
        a_next: (n_a, m); yt_pred: (n_y, m), each column a probability distribution;
        cache: (a_next, a_prev, xt, parameters), what the backward pass needs.
    """
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(Wax @ xt + Waa @ a_prev + ba)
    yt_pred = softmax(Wya @ a_next + by)
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


def rnn_forward(
    x: np.ndarray, a0: np.ndarray, parameters: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, tuple[list[Cache], np.ndarray]]:
    """The forward pass over all time steps (q2); calls `rnn_cell_forward` once per step.

    Args:
        x: (n_x, m, T_x) inputs for every time step.
        a0: (n_a, m) initial hidden state.
        parameters: as for `rnn_cell_forward`.

    Returns:
        a: (n_a, m, T_x) hidden states; y_pred: (n_y, m, T_x) predictions;
        caches: (list of the T_x step caches in time order, x).
    """
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    step_caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        step_caches.append(cache)
    caches = (step_caches, x)
    return a, y_pred, caches


def rnn_cell_backward(da_next: np.ndarray, cache: Cache) -> dict[str, np.ndarray]:
    """Backward pass through one step (q3).

    With dtanh = (1 - a_next**2) * da_next (the derivative of tanh, written with its output):
    dxt = Waxᵀ dtanh, da_prev = Waaᵀ dtanh, dWax = dtanh xtᵀ, dWaa = dtanh a_prevᵀ,
    dba = Σ over the batch of dtanh.

    Args:
        da_next: (n_a, m) gradient of the loss with respect to a_next.
        cache: (a_next, a_prev, xt, parameters) from `rnn_cell_forward`.

    Returns:
        dict with dxt (n_x, m), da_prev (n_a, m), dWax (n_a, n_x), dWaa (n_a, n_a), dba (n_a, 1).
    """
    a_next, a_prev, xt, parameters = cache
    dtanh = (1 - a_next**2) * da_next
    dxt = parameters["Wax"].T @ dtanh
    da_prev = parameters["Waa"].T @ dtanh
    dWax = dtanh @ xt.T
    dWaa = dtanh @ a_prev.T
    dba = np.sum(dtanh, axis=1, keepdims=True)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def rnn_backward(
    da: np.ndarray, caches: tuple[list[Cache], np.ndarray]
) -> dict[str, np.ndarray]:
    """Backpropagation through time (q4); calls `rnn_cell_backward` once per step, last step first.

    The gradient reaching a_t is the upstream da[:, :, t] plus what flows back from step t+1
    (da_prevt); parameter gradients are summed over all time steps because the parameters are shared.

    Args:
        da: (n_a, m, T_x) upstream gradient of the loss with respect to every hidden state.
        caches: (list of step caches, x) from `rnn_forward`.

    Returns:
        dict with dx (n_x, m, T_x), da0 (n_a, m), dWax (n_a, n_x), dWaa (n_a, n_a), dba (n_a, 1).
    """
    step_caches, x = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t], step_caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    da0 = da_prevt
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}


class RNNCell:
    """A tanh RNN cell in PyTorch's layout (q5), as in the source document.

    Call it once per time step (forward), then `backward` once per step in reverse order.

    Args:
        weight_ih: (n_a, n_x); weight_hh: (n_a, n_a); bias_ih, bias_hh: (n_a,).

    Attributes after the backward passes:
        dx_list: the T_x input gradients in time order, each (m, n_x).
        dw_ih_stack, dw_hh_stack: per-step weight gradients, (n_a, n_x) and (n_a, n_a), in the
            order `backward` was called (last step first); their sum is the weight gradient.
        db_ih_stack, db_hh_stack: per-step bias gradients, each (m, n_a); summing over steps and
            batch gives the bias gradient.
        prev_dh: (m, n_a) gradient flowing to the previous hidden state; after the last
            backward, the gradient of h0.
    """

    def __init__(
        self,
        weight_ih: np.ndarray,
        weight_hh: np.ndarray,
        bias_ih: np.ndarray,
        bias_hh: np.ndarray,
    ) -> None:
        self.weight_ih = weight_ih
        self.weight_hh = weight_hh
        self.bias_ih = bias_ih
        self.bias_hh = bias_hh
        self.x_stack: list[np.ndarray] = []
        self.prev_hidden_stack: list[np.ndarray] = []
        self.next_hidden_stack: list[np.ndarray] = []
        self.dx_list: list[np.ndarray] = []
        self.dw_ih_stack: list[np.ndarray] = []
        self.dw_hh_stack: list[np.ndarray] = []
        self.db_ih_stack: list[np.ndarray] = []
        self.db_hh_stack: list[np.ndarray] = []
        self.prev_dh: np.ndarray | None = None

    def __call__(self, x: np.ndarray, prev_hidden: np.ndarray) -> np.ndarray:
        """One forward step. x: (m, n_x), prev_hidden: (m, n_a) -> next_h: (m, n_a)."""
        next_h = np.tanh(
            x @ self.weight_ih.T + prev_hidden @ self.weight_hh.T + self.bias_ih + self.bias_hh
        )
        self.x_stack.append(x)
        self.prev_hidden_stack.append(prev_hidden)
        self.next_hidden_stack.append(next_h)
        # no gradient has flowed back from a later step yet
        self.prev_dh = np.zeros(next_h.shape)
        return next_h

    def backward(self, dh: np.ndarray) -> list[np.ndarray]:
        """Backward through the most recent remaining step. dh: (m, n_a) upstream gradient.

        Returns `dx_list`, with this step's input gradient (m, n_x) inserted at the front.
        """
        x = self.x_stack.pop()
        prev_hidden = self.prev_hidden_stack.pop()
        next_hidden = self.next_hidden_stack.pop()
        d_tanh = (dh + self.prev_dh) * (1 - next_hidden**2)
        self.prev_dh = d_tanh @ self.weight_hh
        self.dx_list.insert(0, d_tanh @ self.weight_ih)
        self.dw_ih_stack.append(d_tanh.T @ x)
        self.dw_hh_stack.append(d_tanh.T @ prev_hidden)
        self.db_ih_stack.append(d_tanh)
        self.db_hh_stack.append(d_tanh)
        return self.dx_list
