# expect: q1=ok q2=ok q3=failed q4=ok q5=ok
# base: reference
# Attacks the file-size limit as CPython sees it: CPython ignores SIGXFSZ at startup, so past
# RLIMIT_FSIZE (8 MB) write() fails with OSError(EFBIG, "File too large") instead of killing
# the process. rnn_cell_backward writes up to 100 MB into its cwd in 1 MB chunks and lets the
# OSError propagate: an exception from the graded function, q3 failed (not crashed). Bounded to
# 100 MB, only in its own cwd, in case the limit is missing.
import os

_ref_cell_backward = rnn_cell_backward


def rnn_cell_backward(da_next, cache):
    block = os.urandom(1 << 20)
    with open("gradient_log.bin", "wb") as f:
        for _ in range(100):
            f.write(block)
            f.flush()
    return _ref_cell_backward(da_next, cache)
