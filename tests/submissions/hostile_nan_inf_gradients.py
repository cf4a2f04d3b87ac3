# expect: q1=ok q2=ok q3=failed q4=failed q5=ok
# base: reference
# Attacks comparisons that are fooled by non-finite values (e.g. `not (abs(a - b) > tol)`, which
# is True for NaN, or equal_nan=True): rnn_cell_backward returns NaN for dWax, rnn_backward
# returns +inf in dba and -inf in da0. The contract checks finiteness: q3 and q4 failed.
import numpy as np

_ref_cell_backward = rnn_cell_backward
_ref_backward = rnn_backward


def rnn_cell_backward(da_next, cache):
    gradients = _ref_cell_backward(da_next, cache)
    gradients["dWax"] = np.full_like(gradients["dWax"], np.nan)
    return gradients


def rnn_backward(da, caches):
    gradients = _ref_backward(da, caches)
    gradients["dba"] = gradients["dba"] + np.inf
    gradients["da0"] = gradients["da0"] - np.inf
    return gradients
