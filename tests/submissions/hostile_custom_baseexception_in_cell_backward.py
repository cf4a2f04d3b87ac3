# expect: q1=ok q2=ok q3=failed q4=ok q5=ok
# base: reference
# Attacks a worker that catches only Exception: a custom BaseException subclass (not SystemExit,
# not KeyboardInterrupt) raised in rnn_cell_backward. It fails q3 only. q4 runs with the reference
# rnn_cell_backward injected, so it is ok.
class GradingAbort(BaseException):
    """Not an Exception: `except Exception` does not catch it."""


_ref_cell_backward = rnn_cell_backward


def rnn_cell_backward(da_next, cache):
    _ref_cell_backward(da_next, cache)
    raise GradingAbort("stop grading here")
