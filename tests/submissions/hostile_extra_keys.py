# expect: *=ok
# base: reference
# Attacks result extraction: the gradient dicts carry every required key with the correct value
# plus extra keys whose values cannot be serialised as arrays (a string, None, a lambda, an
# object array, a huge-ish nested list). Decision: extra keys are tolerated, the worker extracts
# only the keys the contract names, so everything is ok. A worker that serialises the whole
# dict would fail here.
import numpy as np

_ref_cell_backward = rnn_cell_backward
_ref_backward = rnn_backward


def _extras():
    return {
        "dWya": np.zeros((2, 2)),
        "note": "also computed dWya, ignore it",
        "debug": None,
        "callback": lambda: None,
        "objects": np.array([object(), object()], dtype=object),
        "history": [[0.0] * 100] * 100,
    }


def rnn_cell_backward(da_next, cache):
    gradients = _ref_cell_backward(da_next, cache)
    gradients.update(_extras())
    return gradients


def rnn_backward(da, caches):
    gradients = _ref_backward(da, caches)
    gradients.update(_extras())
    return gradients
