# expect: q1=failed q2=ok q3=ok q4=ok q5=ok
# base: reference
# Attacks error reporting: rnn_cell_forward raises an exception whose __str__ and __repr__ raise
# themselves, whose args hold an unpicklable object, with a __cause__ chain 200 levels deep. The
# worker must report the failure without formatting the exception naively (or survive doing so),
# and without pickling it: q1 failed, the worker keeps serving q2-q5.
_ref_cell_forward = rnn_cell_forward


class EvilError(Exception):
    def __str__(self):
        raise RuntimeError("__str__ refuses")

    def __repr__(self):
        raise RuntimeError("__repr__ refuses")

    def __reduce__(self):
        raise RuntimeError("__reduce__ refuses")


def rnn_cell_forward(xt, a_prev, parameters):
    _ref_cell_forward(xt, a_prev, parameters)
    exc = EvilError(lambda: None)
    for _ in range(200):
        outer = EvilError(lambda: None)
        outer.__cause__ = exc
        exc = outer
    raise exc
