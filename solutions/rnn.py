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

The LSTM (q9–q12) keeps Coursera's layout: every gate reads concat = [a_prev; xt], (n_a + n_x, m),
    lstm parameters: Wf, Wi, Wc, Wo (n_a, n_a + n_x), bf, bi, bc, bo (n_a, 1), Wy (n_y, n_a), by (n_y, 1)
    c_prev, c_next: (n_a, m) cell states;  c: (n_a, m, T_x)
RTRL (q13–q14) carries forward-mode sensitivities S[p][i, e, ...] = ∂a⟨t⟩[i, e] / ∂p[...]:
    S["Wax"]: (n_a, m, n_a, n_x)   S["Waa"]: (n_a, m, n_a, n_a)   S["ba"]: (n_a, m, n_a)
"""
from __future__ import annotations

import numpy as np

from rnn_utils import sigmoid, softmax

Cache = tuple  # (a_next, a_prev, xt, parameters)
LSTMCache = tuple  # (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters), Coursera's order


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
    # BEGIN SOLUTION
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(Wax @ xt + Waa @ a_prev + ba)
    yt_pred = softmax(Wya @ a_next + by)
    cache = (a_next, a_prev, xt, parameters)
    # END SOLUTION
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
    # BEGIN SOLUTION
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
    # END SOLUTION
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
    # BEGIN SOLUTION
    a_next, a_prev, xt, parameters = cache
    dtanh = (1 - a_next**2) * da_next
    dxt = parameters["Wax"].T @ dtanh
    da_prev = parameters["Waa"].T @ dtanh
    dWax = dtanh @ xt.T
    dWaa = dtanh @ a_prev.T
    dba = np.sum(dtanh, axis=1, keepdims=True)
    # END SOLUTION
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
    # BEGIN SOLUTION
    step_caches, x = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    dx = np.zeros((n_x, m, T_x))
    dWax = np.zeros((n_a, n_x))
    dWaa = np.zeros((n_a, n_a))
    dba = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        dx[:, :, t] = gradients["dxt"]
        da_prevt = gradients["da_prev"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    da0 = da_prevt
    # END SOLUTION
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
        # BEGIN SOLUTION
        next_h = np.tanh(
            x @ self.weight_ih.T + prev_hidden @ self.weight_hh.T + self.bias_ih + self.bias_hh
        )
        self.x_stack.append(x)
        self.prev_hidden_stack.append(prev_hidden)
        self.next_hidden_stack.append(next_h)
        # no gradient has flowed back from a later step yet
        self.prev_dh = np.zeros(next_h.shape)
        # END SOLUTION
        return next_h

    def backward(self, dh: np.ndarray) -> list[np.ndarray]:
        """Backward through the most recent remaining step. dh: (m, n_a) upstream gradient.

        Returns `dx_list`, with this step's input gradient (m, n_x) inserted at the front.
        """
        # BEGIN SOLUTION
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
        # END SOLUTION
        return self.dx_list


# Part "clip": the remedies for exploding gradients.

CLIP_KEYS = ("dWaa", "dWax", "dWya", "db", "dby")


def clip(gradients: dict[str, np.ndarray], maxValue: float) -> dict[str, np.ndarray]:
    """Clip every entry of the five gradients to [-maxValue, maxValue] (q6), as in Coursera's
    "Dinosaur Island".

    Args:
        gradients: dWaa (n_a, n_a), dWax (n_a, n_x), dWya (n_y, n_a), db (n_a, 1), dby (n_y, 1).
        maxValue: the bound; entries inside the range are returned unchanged.

    Returns:
        dict with the same five keys and shapes, each entry in [-maxValue, maxValue].
    """
    # BEGIN SOLUTION
    clipped = {name: np.clip(gradients[name], -maxValue, maxValue) for name in CLIP_KEYS}
    # END SOLUTION
    return clipped


def clip_by_global_norm(
    gradients: dict[str, np.ndarray], max_norm: float
) -> tuple[dict[str, np.ndarray], float]:
    """Rescale all gradients together so that their joint 2-norm is at most max_norm (q7), with
    the semantics of torch.nn.utils.clip_grad_norm_.

    total_norm = sqrt(Σ over every array of Σ g²); coefficient = max_norm / (total_norm + 1e-6),
    applied to every array only when it is below 1 (a small gradient is never scaled up). Unlike
    `clip`, the direction of the update is kept.

    Args:
        gradients: any keys, arrays of any shapes.
        max_norm: the largest joint norm allowed.

    Returns:
        clipped: dict with the same keys and shapes; total_norm: the joint norm before clipping.
    """
    # BEGIN SOLUTION
    total_norm = float(np.sqrt(sum(np.sum(g**2) for g in gradients.values())))
    coefficient = min(max_norm / (total_norm + 1e-6), 1.0)
    clipped = {name: g * coefficient for name, g in gradients.items()}
    # END SOLUTION
    return clipped, total_norm


# Part "flow": the vanishing/exploding experiment.


def gradient_norms(
    da_last: np.ndarray, caches: tuple[list[Cache], np.ndarray]
) -> np.ndarray:
    """How much of the gradient of the last state reaches every earlier state (q8).

    For L = Σ da_last ⊙ a⟨T_x−1⟩ (only the last state is scored), norms[t] = ‖∂L/∂a⟨t⟩‖ (Frobenius
    over (n_a, m)), by backpropagation through the steps with `rnn_cell_backward`; a0 is not
    included, so norms[T_x−1] = ‖da_last‖. Roughly norms[t] ∝ γ^(T_x−1−t).

    Args:
        da_last: (n_a, m) gradient of the loss with respect to a⟨T_x−1⟩.
        caches: (list of the T_x step caches, x) from `rnn_forward`.

    Returns:
        norms: (T_x,).
    """
    # BEGIN SOLUTION
    step_caches, _ = caches
    T_x = len(step_caches)
    norms = np.zeros(T_x)
    da_t = da_last
    norms[T_x - 1] = np.linalg.norm(da_t)
    # step t's backward turns ∂L/∂a⟨t⟩ into ∂L/∂a⟨t−1⟩
    for t in range(T_x - 1, 0, -1):
        da_t = rnn_cell_backward(da_t, step_caches[t])["da_prev"]
        norms[t - 1] = np.linalg.norm(da_t)
    # END SOLUTION
    return norms


# Part "lstm": Coursera's LSTM, each backward beside its forward.

LSTM_GATE_PARAMETERS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")


def lstm_cell_forward(
    xt: np.ndarray, a_prev: np.ndarray, c_prev: np.ndarray, parameters: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, LSTMCache]:
    """One LSTM step (q9). With concat = [a_prev; xt]:

    ft = σ(Wf concat + bf), it = σ(Wi concat + bi), cct = tanh(Wc concat + bc),
    c_next = ft ⊙ c_prev + it ⊙ cct, ot = σ(Wo concat + bo), a_next = ot ⊙ tanh(c_next),
    yt_pred = softmax(Wy a_next + by).

    Args:
        xt: (n_x, m); a_prev, c_prev: (n_a, m).
        parameters: Wf, Wi, Wc, Wo (n_a, n_a + n_x), bf, bi, bc, bo (n_a, 1), Wy (n_y, n_a), by (n_y, 1).

    Returns:
        a_next, c_next: (n_a, m); yt_pred: (n_y, m);
        cache: (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters).
    """
    # BEGIN SOLUTION
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    # END SOLUTION
    return a_next, c_next, yt_pred, cache


def lstm_cell_backward(
    da_next: np.ndarray, dc_next: np.ndarray, cache: LSTMCache
) -> dict[str, np.ndarray]:
    """Backward pass through one LSTM step (q11).

    The gradient reaching c_next is dc = dc_next + ot ⊙ (1 − tanh²(c_next)) ⊙ da_next (directly,
    and through a_next = ot ⊙ tanh(c_next)). Then, with each gate's sigmoid/tanh derivative:
    dot = da_next ⊙ tanh(c_next) ⊙ ot(1 − ot), dcct = dc ⊙ it ⊙ (1 − cct²),
    dit = dc ⊙ cct ⊙ it(1 − it), dft = dc ⊙ c_prev ⊙ ft(1 − ft), dc_prev = dc ⊙ ft;
    dW = dgate concatᵀ, db = Σ over the batch of dgate; [da_prev; dxt] = Σ over gates of Wᵀ dgate.

    Args:
        da_next, dc_next: (n_a, m) gradients of the loss with respect to a_next and c_next.
        cache: from `lstm_cell_forward`.

    Returns:
        dict with dxt (n_x, m), da_prev, dc_prev (n_a, m), dWf, dWi, dWc, dWo (n_a, n_a + n_x),
        dbf, dbi, dbc, dbo (n_a, 1).
    """
    # BEGIN SOLUTION
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)
    dc = dc_next + ot * (1 - tanh_c**2) * da_next
    dgates = {
        "f": dc * c_prev * ft * (1 - ft),
        "i": dc * cct * it * (1 - it),
        "c": dc * it * (1 - cct**2),
        "o": da_next * tanh_c * ot * (1 - ot),
    }
    concat = np.concatenate((a_prev, xt), axis=0)
    gradients = {}
    dconcat = np.zeros(concat.shape)
    for gate, dgate in dgates.items():
        gradients[f"dW{gate}"] = dgate @ concat.T
        gradients[f"db{gate}"] = np.sum(dgate, axis=1, keepdims=True)
        dconcat += parameters[f"W{gate}"].T @ dgate
    gradients["da_prev"] = dconcat[:n_a]
    gradients["dxt"] = dconcat[n_a:]
    gradients["dc_prev"] = dc * ft
    # END SOLUTION
    return gradients


def lstm_forward(
    x: np.ndarray, a0: np.ndarray, parameters: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[list[LSTMCache], np.ndarray]]:
    """The LSTM over all time steps (q10); calls `lstm_cell_forward` once per step, from c0 = 0.

    Args:
        x: (n_x, m, T_x); a0: (n_a, m); parameters: as for `lstm_cell_forward`.

    Returns:
        a: (n_a, m, T_x); y: (n_y, m, T_x); c: (n_a, m, T_x);
        caches: (list of the T_x step caches in time order, x).
    """
    # BEGIN SOLUTION
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    step_caches = []
    a_next, c_next = a0, np.zeros(a0.shape)
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        step_caches.append(cache)
    caches = (step_caches, x)
    # END SOLUTION
    return a, y, c, caches


def lstm_backward(
    da: np.ndarray, caches: tuple[list[LSTMCache], np.ndarray]
) -> dict[str, np.ndarray]:
    """Backpropagation through time for the LSTM (q12); calls `lstm_cell_backward` once per step,
    last step first, carrying both da_prevt and dc_prevt. The steps are those of `da` (T_x =
    da.shape[2]), as in Coursera's notebook: a later cached step does not affect a⟨0⟩ … a⟨T_x−1⟩.

    Args:
        da: (n_a, m, T_x) upstream gradient with respect to every hidden state (none reaches c).
        caches: (list of step caches, x) from `lstm_forward`.

    Returns:
        dict with dx (n_x, m, T_x), da0 (n_a, m), dWf, dWi, dWc, dWo (n_a, n_a + n_x),
        dbf, dbi, dbc, dbo (n_a, 1).
    """
    # BEGIN SOLUTION
    step_caches, x = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    dx = np.zeros((n_x, m, T_x))
    parameters = step_caches[0][9]
    sums = {f"d{p}": np.zeros(parameters[p].shape) for p in LSTM_GATE_PARAMETERS}
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in range(T_x - 1, -1, -1):
        step = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, step_caches[t])
        dx[:, :, t] = step["dxt"]
        da_prevt, dc_prevt = step["da_prev"], step["dc_prev"]
        for name in sums:
            sums[name] += step[name]
    # END SOLUTION
    return {"dx": dx, "da0": da_prevt, **sums}


# Part "rtrl": the same gradient as BPTT, computed forward in time.


def rtrl_cell_forward(
    xt: np.ndarray,
    a_prev: np.ndarray,
    sensitivities: dict[str, np.ndarray],
    parameters: dict[str, np.ndarray],
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One RNN step that also carries the sensitivities of the state to the parameters (q13).

    a_next = tanh(z), z = Wax xt + Waa a_prev + ba, and for p in Wax, Waa, ba
    S⟨t⟩[p] = (1 − a_next²) ⊙ (∂z/∂p with a_prev fixed + Waa · S⟨t−1⟩[p]), where
    ∂z[i, e]/∂Wax[j, k] = δ_ij xt[k, e], ∂z[i, e]/∂Waa[j, k] = δ_ij a_prev[k, e], ∂z[i, e]/∂ba[j] = δ_ij.

    Args:
        xt: (n_x, m); a_prev: (n_a, m); parameters: Wax (n_a, n_x), Waa (n_a, n_a), ba (n_a, 1)
            (others ignored).
        sensitivities: S⟨t−1⟩: Wax (n_a, m, n_a, n_x), Waa (n_a, m, n_a, n_a), ba (n_a, m, n_a);
            zeros at the first step.

    Returns:
        a_next: (n_a, m); sensitivities_next: S⟨t⟩, the same keys and shapes.
    """
    # BEGIN SOLUTION
    Waa = parameters["Waa"]
    a_next = np.tanh(parameters["Wax"] @ xt + Waa @ a_prev + parameters["ba"])
    eye = np.eye(a_prev.shape[0])
    direct = {
        "Wax": np.einsum("ij,ke->iejk", eye, xt),
        "Waa": np.einsum("ij,ke->iejk", eye, a_prev),
        "ba": np.einsum("ij,e->iej", eye, np.ones(xt.shape[1])),
    }
    dtanh = 1 - a_next**2
    sensitivities_next = {}
    for p, dz in direct.items():
        dz = dz + np.einsum("il,le...->ie...", Waa, sensitivities[p])
        # (1 − a_next²)[i, e] scales every ∂z[i, e]/∂p[...]
        sensitivities_next[p] = dtanh.reshape(dtanh.shape + (1,) * (dz.ndim - 2)) * dz
    # END SOLUTION
    return a_next, sensitivities_next


def rtrl_gradients(
    x: np.ndarray, a0: np.ndarray, parameters: dict[str, np.ndarray], da: np.ndarray
) -> dict[str, np.ndarray]:
    """Real-time recurrent learning (q14): the BPTT gradients of L = Σ_t Σ da⟨t⟩ ⊙ a⟨t⟩, accumulated
    online while running forward; calls `rtrl_cell_forward` once per step, in time order, carrying
    the sensitivities it returns. dp = Σ_t Σ_{i,e} da[i, e, t] S⟨t⟩[p][i, e, ...].

    Args:
        x: (n_x, m, T_x); a0: (n_a, m); parameters: Wax, Waa, ba as for `rtrl_cell_forward`;
        da: (n_a, m, T_x) upstream gradient with respect to every hidden state.

    Returns:
        dict with dWax (n_a, n_x), dWaa (n_a, n_a), dba (n_a, 1), equal to `rnn_backward`'s.
    """
    # BEGIN SOLUTION
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    sensitivities = {
        "Wax": np.zeros((n_a, m, n_a, n_x)),
        "Waa": np.zeros((n_a, m, n_a, n_a)),
        "ba": np.zeros((n_a, m, n_a)),
    }
    grads = {p: np.zeros(s.shape[2:]) for p, s in sensitivities.items()}
    a_t = a0
    for t in range(T_x):
        a_t, sensitivities = rtrl_cell_forward(x[:, :, t], a_t, sensitivities, parameters)
        for p, s in sensitivities.items():
            grads[p] += np.einsum("ie,ie...->...", da[:, :, t], s)
    # END SOLUTION
    return {"dWax": grads["Wax"], "dWaa": grads["Waa"], "dba": grads["ba"].reshape(n_a, 1)}
