# expect: q1=memory q2=ok q3=ok q4=ok q5=ok
# base: reference
# Attacks the memory limit: rnn_cell_forward allocates and touches ~2.6 GB (np.ones of 330
# million float64) before computing. Under RLIMIT_AS (~1 GiB) numpy raises MemoryError
# (_ArrayMemoryError), which the grader reports as memory. q2 uses the reference
# rnn_cell_forward and is ok. Bounded below 3 GB in case the limit is missing.
import numpy as np

_ref_cell_forward = rnn_cell_forward


def rnn_cell_forward(xt, a_prev, parameters):
    scratch = np.ones(330_000_000)
    scratch = None
    return _ref_cell_forward(xt, a_prev, parameters)
