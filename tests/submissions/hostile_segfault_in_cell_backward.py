# expect: q1=ok q2=ok q3=crashed q4=ok q5=ok
# base: reference
# Attacks the worker with a hard crash: rnn_cell_backward dereferences a NULL pointer through
# ctypes, so the worker dies by SIGSEGV (no Python exception is possible). q3 crashed; a fresh
# worker serves q4 and q5. A grader that enables faulthandler still sees the process die.
import ctypes

_ref_cell_backward = rnn_cell_backward


def rnn_cell_backward(da_next, cache):
    ctypes.string_at(0)
    return _ref_cell_backward(da_next, cache)
