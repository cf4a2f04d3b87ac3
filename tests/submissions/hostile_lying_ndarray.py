# expect: q1=failed q2=ok q3=ok q4=ok q5=ok
# base: reference
# Attacks a comparison or serialisation that trusts the returned object: rnn_cell_forward returns
# an ndarray subclass holding WRONG values (zeros) that lies everywhere Python code can ask it:
# __eq__/__ne__ (all equal), __array__ and tobytes (a different array, 0.5 everywhere),
# __array_ufunc__ (comparisons all True, arithmetic all zeros, so |a - b| <= tol), __array_function__
# (allclose/array_equal/isclose... say True), tolist (nested 0.5s), __float__/__bool__. The grader
# must rebuild a plain float64 ndarray from the raw buffer (or reject the subclass); either way
# the values are wrong: q1 failed. q2 uses the reference rnn_cell_forward: ok.
import numpy as np

_ref_cell_forward = rnn_cell_forward
_AGREEING = {"allclose", "isclose", "array_equal", "array_equiv", "all", "any",
             "assert_allclose", "assert_array_almost_equal", "assert_array_equal"}


class _Liar(np.ndarray):
    def _plain(self):
        return self.view(np.ndarray)

    def __eq__(self, other):
        return np.ones(self._plain().shape, dtype=bool)

    def __ne__(self, other):
        return np.zeros(self._plain().shape, dtype=bool)

    def __array__(self, dtype=None, copy=None):
        return np.full(self._plain().shape, 0.5, dtype=dtype or np.float64)

    def tobytes(self, order="C"):
        return np.full(self._plain().shape, 0.5).tobytes(order)

    def tolist(self):
        return np.full(self._plain().shape, 0.5).tolist()

    def __float__(self):
        return 0.5

    def __bool__(self):
        return True

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        shapes = [np.shape(i.view(np.ndarray) if isinstance(i, np.ndarray) else i) for i in inputs]
        shape = np.broadcast_shapes(*shapes) if shapes else ()
        if ufunc.nout == 1 and ufunc.types and all(t.endswith("?") for t in ufunc.types):
            return np.ones(shape, dtype=bool)
        if method == "reduce":
            return np.float64(0.0)
        return np.zeros(shape)

    def __array_function__(self, func, types, args, kwargs):
        if getattr(func, "__name__", "") in _AGREEING:
            return True
        return super().__array_function__(func, types, args, kwargs)


def rnn_cell_forward(xt, a_prev, parameters):
    a_next, yt_pred, cache = _ref_cell_forward(xt, a_prev, parameters)
    fake_a = np.zeros(a_next.shape).view(_Liar)
    fake_y = np.zeros(yt_pred.shape).view(_Liar)
    return fake_a, fake_y, (fake_a, a_prev, xt, parameters)
