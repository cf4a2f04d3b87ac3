# expect: q1=failed q2=ok q3=ok q4=ok q5=ok
# base: reference
# Attacks the call path: rnn_cell_forward computes the right answer and then raises SystemExit
# instead of returning it. SystemExit inside a graded function fails that question only and the
# worker survives; q2 runs with the reference rnn_cell_forward injected, so it is unaffected.
import sys

_ref_cell_forward = rnn_cell_forward


def rnn_cell_forward(xt, a_prev, parameters):
    _ref_cell_forward(xt, a_prev, parameters)
    sys.exit(0)
