# expect: q1=failed q2=failed q3=failed q4=failed q5=failed
# base: none
# Attacks the injection of reference functions (q2 runs with the reference rnn_cell_forward, q4
# with the reference rnn_cell_backward, both put into THIS module's globals): whenever a function
# here runs, it inspects the module-global rnn_cell_forward / rnn_cell_backward; if one is not its
# own, it follows __globals__, __wrapped__, __closure__, functools.partial .func and bound
# __self__/__func__ to find the reference module's rnn_forward, rnn_backward, rnn_cell_backward
# and RNNCell, keeps them for later questions (the same worker serves q3 and q5 after q2), and
# answers with them. Without a stolen function it answers zeros (wrong). Standalone (base: none)
# so that no reference code of its own exists anywhere in the worker. A correct grader injects
# functions compiled in an isolated namespace that exposes nothing else: every question failed.
import functools

import numpy as np

_NAMES = ("rnn_cell_forward", "rnn_forward", "rnn_cell_backward", "rnn_backward", "RNNCell")
_stolen = {}
_mine = {}


def _explore(obj, depth=0):
    if obj is None or depth > 4:
        return
    if any(obj is m for m in _mine.values()):
        return
    g = getattr(obj, "__globals__", None)
    if isinstance(g, dict) and g is not globals():
        for name in _NAMES:
            cand = g.get(name)
            if cand is not None and not any(cand is m for m in _mine.values()):
                _stolen.setdefault(name, cand)
    for attr in ("__wrapped__", "__func__", "__self__", "func"):
        _explore(getattr(obj, attr, None), depth + 1)
    if isinstance(obj, functools.partial):
        _explore(obj.func, depth + 1)
    for cell in getattr(obj, "__closure__", None) or ():
        try:
            _explore(cell.cell_contents, depth + 1)
        except ValueError:
            pass


def _harvest():
    for name in ("rnn_cell_forward", "rnn_cell_backward"):
        _explore(globals().get(name))


def _use(name):
    _harvest()
    return _stolen.get(name)


def rnn_cell_forward(xt, a_prev, parameters):
    ref = _use("rnn_cell_forward")
    if ref is not None:
        return ref(xt, a_prev, parameters)
    n_a, n_y = parameters["Waa"].shape[0], parameters["Wya"].shape[0]
    a_next = np.zeros((n_a, xt.shape[1]))
    return a_next, np.zeros((n_y, xt.shape[1])), (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    ref = _use("rnn_forward")
    if ref is not None:
        return ref(x, a0, parameters)
    n_x, m, T_x = x.shape
    n_a, n_y = a0.shape[0], parameters["Wya"].shape[0]
    a = np.zeros((n_a, m, T_x))
    return a, np.zeros((n_y, m, T_x)), ([(a[:, :, t], a0, x[:, :, t], parameters)
                                         for t in range(T_x)], x)


def rnn_cell_backward(da_next, cache):
    ref = _use("rnn_cell_backward")
    if ref is not None:
        return ref(da_next, cache)
    a_next, a_prev, xt, parameters = cache
    n_a, m = a_next.shape
    n_x = xt.shape[0]
    return {"dxt": np.zeros((n_x, m)), "da_prev": np.zeros((n_a, m)),
            "dWax": np.zeros((n_a, n_x)), "dWaa": np.zeros((n_a, n_a)), "dba": np.zeros((n_a, 1))}


def rnn_backward(da, caches):
    ref = _use("rnn_backward")
    if ref is not None:
        return ref(da, caches)
    step_caches, x = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    return {"dx": np.zeros((n_x, m, T_x)), "da0": np.zeros((n_a, m)),
            "dWax": np.zeros((n_a, n_x)), "dWaa": np.zeros((n_a, n_a)), "dba": np.zeros((n_a, 1))}


class RNNCell:
    def __init__(self, weight_ih, weight_hh, bias_ih, bias_hh):
        ref = _use("RNNCell")
        self._impl = ref(weight_ih, weight_hh, bias_ih, bias_hh) if ref is not None else None
        self.weight_ih, self.weight_hh = weight_ih, weight_hh
        self.dx_list, self.dw_ih_stack, self.dw_hh_stack = [], [], []
        self.db_ih_stack, self.db_hh_stack = [], []
        self.prev_dh = None
        self._m = 1

    def __getattribute__(self, name):
        impl = object.__getattribute__(self, "_impl")
        if impl is not None and not name.startswith("_") and name not in ("backward",):
            return getattr(impl, name)
        return object.__getattribute__(self, name)

    def __call__(self, x, prev_hidden):
        if self._impl is not None:
            return self._impl(x, prev_hidden)
        self._m = x.shape[0]
        return np.zeros((x.shape[0], self.weight_hh.shape[0]))

    def backward(self, dh):
        if self._impl is not None:
            return self._impl.backward(dh)
        n_a, n_x = self.weight_ih.shape
        self.dx_list.insert(0, np.zeros((dh.shape[0], n_x)))
        self.dw_ih_stack.append(np.zeros((n_a, n_x)))
        self.dw_hh_stack.append(np.zeros((n_a, n_a)))
        self.db_ih_stack.append(np.zeros(dh.shape))
        self.db_hh_stack.append(np.zeros(dh.shape))
        self.prev_dh = np.zeros(dh.shape)
        return self.dx_list


_mine.update({name: globals()[name] for name in _NAMES})
