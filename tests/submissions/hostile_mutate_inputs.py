# expect: *=ok
# base: reference
# Attacks a grader that reuses its inputs or expected-value arrays across calls or compares
# after the call against arrays it shares with the worker: AFTER computing the correct result,
# the backward functions zero their inputs in place (da_next, da, dh, the cache's a_next and
# the parameters inside the caches, x). Only inputs that are not part of the returned values are
# touched. Inputs are copies made per call, so grading is unaffected: all ok. Mutations are
# wrapped in try/except in case the grader passes read-only arrays.
_ref_cell_backward = rnn_cell_backward
_ref_backward = rnn_backward
_RefRNNCell = RNNCell


def _zero(array):
    try:
        array[...] = 0
    except (ValueError, TypeError):
        pass


def rnn_cell_backward(da_next, cache):
    gradients = _ref_cell_backward(da_next, cache)
    a_next, a_prev, xt, parameters = cache
    for value in (da_next, a_next, a_prev, xt, *parameters.values()):
        _zero(value)
    return gradients


def rnn_backward(da, caches):
    gradients = _ref_backward(da, caches)
    step_caches, x = caches
    _zero(da)
    _zero(x)
    for a_next, a_prev, xt, parameters in step_caches:
        for value in (a_next, a_prev, xt, *parameters.values()):
            _zero(value)
    return gradients


class RNNCell(_RefRNNCell):
    def backward(self, dh):
        dx_list = super().backward(dh)
        _zero(dh)
        return dx_list
