# expect: q1=timeout q2=ok q3=ok q4=ok q5=ok
# base: reference
# Attacks a timeout built on CPU time (RLIMIT_CPU, resource usage): rnn_cell_forward sleeps for
# 120 s, using no CPU at all. Only a wall-clock timeout catches it: q1 timeout. q2 uses the
# reference rnn_cell_forward and is ok.
import time

_ref_cell_forward = rnn_cell_forward


def rnn_cell_forward(xt, a_prev, parameters):
    time.sleep(120)
    return _ref_cell_forward(xt, a_prev, parameters)
