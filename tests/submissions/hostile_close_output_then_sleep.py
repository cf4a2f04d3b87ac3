# expect: q1=timeout q2=ok q3=ok q4=ok q5=ok
# base: reference
# Attacks a grader that treats end-of-file on the output pipe as data to read again: rnn_cell_forward
# closes fds 1 and 2 (the pipe's only writers) and sleeps 30 s before answering correctly. The
# grader must stop reading the closed pipe (no busy loop) and end the call at its deadline:
# q1 timeout; q2 uses the reference cell. Bounded: it answers after 30 s.
import os as _os
import time as _time

_ref_cell_forward = rnn_cell_forward


def rnn_cell_forward(xt, a_prev, parameters):
    _os.close(1)
    _os.close(2)
    _time.sleep(30)
    return _ref_cell_forward(xt, a_prev, parameters)
