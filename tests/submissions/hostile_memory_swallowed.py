# expect: *=ok
# base: reference
# Attacks the other side of the memory limit: rnn_cell_backward tries a ~2.6 GB allocation,
# catches the MemoryError itself, and then returns the correct answer. The submission recovered,
# so the grader must not report memory (e.g. from scanning stderr or a "peak memory" heuristic):
# all ok. Bounded below 3 GB in case the limit is missing.
import numpy as np

_ref_cell_backward = rnn_cell_backward


def rnn_cell_backward(da_next, cache):
    try:
        scratch = np.ones(330_000_000)
        scratch = None
    except MemoryError:
        print("rnn_cell_backward: no memory for the lookup table, computing directly")
    return _ref_cell_backward(da_next, cache)
