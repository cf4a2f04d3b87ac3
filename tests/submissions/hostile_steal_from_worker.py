# expect: q1=failed q2=failed q3=failed q4=failed q5=failed
# base: none
# Attacks what the worker process holds in memory: on every call it scans sys.modules, every
# object the garbage collector tracks (gc.get_objects()) and the caller frames (f_globals,
# f_locals of the worker's own code) for a function named rnn_cell_forward / rnn_forward /
# rnn_cell_backward / rnn_backward or a class named RNNCell that is not its own, and answers with
# it; without one it answers zeros (wrong). Standalone (base: none) so that no reference code of
# its own is in the worker. A correct grader never has the reference for a question in the worker
# before that question has been graded there (the reference rnn_cell_forward needed for q2 may
# only arrive after q1 is graded, compiled in isolation), and never imports solutions in the
# worker: every question failed. A worker that imports the reference module up front passes here.
import gc
import sys
import types

import numpy as np

_NAMES = ("rnn_cell_forward", "rnn_forward", "rnn_cell_backward", "rnn_backward", "RNNCell")
_mine = {}


def _foreign(obj, name):
    if getattr(obj, "__name__", None) != name:
        return False
    if any(obj is m for m in _mine.values()):
        return False
    if isinstance(obj, types.FunctionType):
        return obj.__globals__ is not globals()
    if isinstance(obj, type):
        return obj.__module__ != __name__ or obj is not _mine.get(name)
    return False


def _find(name):
    for mod in list(sys.modules.values()):
        try:
            cand = vars(mod).get(name)
        except TypeError:
            continue
        if cand is not None and _foreign(cand, name):
            return cand
    frame = sys._getframe(1)
    while frame is not None:
        for scope in (frame.f_locals, frame.f_globals):
            try:
                values = list(scope.values())
            except Exception:
                continue
            for value in values:
                if _foreign(value, name):
                    return value
                if isinstance(value, dict):
                    cand = value.get(name)
                    if cand is not None and _foreign(cand, name):
                        return cand
        frame = frame.f_back
    for obj in gc.get_objects():
        if isinstance(obj, (types.FunctionType, type)) and _foreign(obj, name):
            return obj
    return None


def rnn_cell_forward(xt, a_prev, parameters):
    ref = _find("rnn_cell_forward")
    if ref is not None:
        return ref(xt, a_prev, parameters)
    n_a, n_y = parameters["Waa"].shape[0], parameters["Wya"].shape[0]
    a_next = np.zeros((n_a, xt.shape[1]))
    return a_next, np.zeros((n_y, xt.shape[1])), (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    ref = _find("rnn_forward")
    if ref is not None:
        return ref(x, a0, parameters)
    n_x, m, T_x = x.shape
    n_a, n_y = a0.shape[0], parameters["Wya"].shape[0]
    a = np.zeros((n_a, m, T_x))
    return a, np.zeros((n_y, m, T_x)), ([(a[:, :, t], a0, x[:, :, t], parameters)
                                         for t in range(T_x)], x)


def rnn_cell_backward(da_next, cache):
    ref = _find("rnn_cell_backward")
    if ref is not None:
        return ref(da_next, cache)
    a_next, a_prev, xt, parameters = cache
    n_a, m = a_next.shape
    n_x = xt.shape[0]
    return {"dxt": np.zeros((n_x, m)), "da_prev": np.zeros((n_a, m)),
            "dWax": np.zeros((n_a, n_x)), "dWaa": np.zeros((n_a, n_a)), "dba": np.zeros((n_a, 1))}


def rnn_backward(da, caches):
    ref = _find("rnn_backward")
    if ref is not None:
        return ref(da, caches)
    step_caches, x = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    return {"dx": np.zeros((n_x, m, T_x)), "da0": np.zeros((n_a, m)),
            "dWax": np.zeros((n_a, n_x)), "dWaa": np.zeros((n_a, n_a)), "dba": np.zeros((n_a, 1))}


def RNNCell(weight_ih, weight_hh, bias_ih, bias_hh):
    """A factory, not a class: returns the stolen reference cell if there is one."""
    ref = _find("RNNCell")
    if ref is not None:
        return ref(weight_ih, weight_hh, bias_ih, bias_hh)
    return _ZeroCell(weight_ih, weight_hh)


class _ZeroCell:
    def __init__(self, weight_ih, weight_hh):
        self.n_a, self.n_x = weight_ih.shape
        self.dx_list, self.dw_ih_stack, self.dw_hh_stack = [], [], []
        self.db_ih_stack, self.db_hh_stack = [], []
        self.prev_dh = None

    def __call__(self, x, prev_hidden):
        return np.zeros((x.shape[0], self.n_a))

    def backward(self, dh):
        self.dx_list.insert(0, np.zeros((dh.shape[0], self.n_x)))
        self.dw_ih_stack.append(np.zeros((self.n_a, self.n_x)))
        self.dw_hh_stack.append(np.zeros((self.n_a, self.n_a)))
        self.db_ih_stack.append(np.zeros(dh.shape))
        self.db_hh_stack.append(np.zeros(dh.shape))
        self.prev_dh = np.zeros(dh.shape)
        return self.dx_list


_mine.update({name: globals()[name] for name in _NAMES})
