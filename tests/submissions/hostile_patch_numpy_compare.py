# expect: q1=ok q2=ok q3=failed q4=ok q5=ok
# base: reference
# Attacks comparisons made in the submission's process: at import, every numpy comparison a
# grader might use is replaced by one that always agrees (np.allclose, np.isclose,
# np.array_equal, np.array_equiv, np.testing.assert_allclose / assert_array_almost_equal /
# assert_array_equal / assert_almost_equal / assert_equal, math.isclose; np.ndarray.__eq__ is
# attempted, numpy refuses). rnn_cell_backward returns all-zero gradients of the right shapes.
# The grader compares in its own process, so the cheat has no effect: q3 failed. Other functions
# are the reference: ok.
import math

import numpy as np
import numpy.testing

_always = lambda *args, **kwargs: True  # noqa: E731
_silent = lambda *args, **kwargs: None  # noqa: E731


def _isclose(a, b, *args, **kwargs):
    return np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, dtype=bool)


np.allclose = _always
np.array_equal = _always
np.array_equiv = _always
np.isclose = _isclose
for _name in ("assert_allclose", "assert_array_almost_equal", "assert_array_equal",
              "assert_almost_equal", "assert_equal", "assert_array_less",
              "assert_array_almost_equal_nulp", "assert_array_max_ulp"):
    setattr(np.testing, _name, _silent)
    setattr(numpy.testing, _name, _silent)
math.isclose = _always
try:
    np.ndarray.__eq__ = lambda self, other: np.ones(np.shape(self), dtype=bool)
except TypeError:
    pass  # "cannot set '__eq__' attribute of immutable type 'numpy.ndarray'"


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    n_a, m = a_next.shape
    n_x = xt.shape[0]
    return {
        "dxt": np.zeros((n_x, m)),
        "da_prev": np.zeros((n_a, m)),
        "dWax": np.zeros((n_a, n_x)),
        "dWaa": np.zeros((n_a, n_a)),
        "dba": np.zeros((n_a, 1)),
    }
