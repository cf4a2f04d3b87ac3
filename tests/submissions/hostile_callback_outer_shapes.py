# expect: q1=failed q2=failed q3=ok q4=ok q5=ok
# base: reference
# Its own rnn_cell_forward is off by one (q1 failed), so that q2 runs with the reference cell
# as a callback. Attacks the grading process through the reference cell it runs for q2: rnn_forward first calls
# rnn_cell_forward with a 290 KB set of arguments shaped for outer products (xt (1, 6000), Wax
# (6000, 1), ...), which would make the reference allocate (6000, 6000) arrays (over 1 GB) in the
# grader; it swallows whatever comes back and answers correctly. The grader refuses arguments no
# correct rnn_forward passes before running the reference: q2 failed. Bounded: about 1.2 GB if not.
import numpy as _np

_ref_rnn_forward = rnn_forward
_ref_cell_forward = rnn_cell_forward


def rnn_cell_forward(xt, a_prev, parameters):
    a_next, yt_pred, cache = _ref_cell_forward(xt, a_prev, parameters)
    return a_next + 1.0, yt_pred, cache


def rnn_forward(x, a0, parameters):
    n = 6000
    wide = {"Wax": _np.ones((n, 1)), "Waa": _np.ones((n, 1)), "Wya": _np.ones((1, n)),
            "ba": _np.ones((n, 1)), "by": _np.ones((1, 1))}
    try:
        rnn_cell_forward(_np.ones((1, n)), _np.ones((1, n)), wide)
    except Exception:
        pass
    return _ref_rnn_forward(x, a0, parameters)  # with the callback as its cell
