# expect: q1=ok q2=failed q3=ok q4=ok q5=ok
# base: reference
# Attacks array rebuilding: rnn_forward returns a and y_pred as dtype=object ndarrays holding the
# correct Python floats. An object array has no numeric buffer (its bytes are pointers), so the
# grader must reject it rather than reinterpret its bytes or unpickle it: q2 failed.
import numpy as np

_ref_forward = rnn_forward


def rnn_forward(x, a0, parameters):
    a, y_pred, caches = _ref_forward(x, a0, parameters)
    return a.astype(object), y_pred.astype(object), caches
