# expect: *=ok
# base: reference
# Attacks a grader that draws its inputs in the submission's process: at import and in every
# function, reseeds the global RNGs (np.random.seed(0), random.seed(0)) and replaces
# np.random.randn / rand / random / default_rng with versions returning zeros. Grader inputs are
# drawn in the grader's process, so a correct submission that does this is simply correct: all ok.
import random

import numpy as np

_ref = {
    "rnn_cell_forward": rnn_cell_forward,
    "rnn_forward": rnn_forward,
    "rnn_cell_backward": rnn_cell_backward,
    "rnn_backward": rnn_backward,
}
_RefRNNCell = RNNCell


def _reseed():
    np.random.seed(0)
    random.seed(0)


_reseed()
np.random.randn = lambda *shape: np.zeros(shape)
np.random.rand = lambda *shape: np.zeros(shape)
np.random.random = lambda size=None: np.zeros(size if size is not None else ())
np.random.default_rng = lambda *a, **k: np.random.RandomState(0)


def rnn_cell_forward(xt, a_prev, parameters):
    _reseed()
    return _ref["rnn_cell_forward"](xt, a_prev, parameters)


def rnn_forward(x, a0, parameters):
    _reseed()
    return _ref["rnn_forward"](x, a0, parameters)


def rnn_cell_backward(da_next, cache):
    _reseed()
    return _ref["rnn_cell_backward"](da_next, cache)


def rnn_backward(da, caches):
    _reseed()
    return _ref["rnn_backward"](da, caches)


class RNNCell(_RefRNNCell):
    def __init__(self, *args, **kwargs):
        _reseed()
        super().__init__(*args, **kwargs)

    def __call__(self, x, prev_hidden):
        _reseed()
        return super().__call__(x, prev_hidden)

    def backward(self, dh):
        _reseed()
        return super().backward(dh)
