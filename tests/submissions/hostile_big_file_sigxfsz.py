# expect: q1=ok q2=crashed q3=ok q4=ok q5=ok
# base: reference
# Attacks the file-size limit with its default signal action: rnn_forward restores SIGXFSZ to
# SIG_DFL (CPython ignores it at startup) and writes up to 100 MB into its working directory in
# 1 MB chunks. At RLIMIT_FSIZE (8 MB) the kernel sends SIGXFSZ, whose default action terminates
# the process: the worker dies by a signal, q2 crashed; a fresh worker serves q3-q5. Bounded to
# 100 MB, only in its own cwd, in case the limit is missing.
import os
import signal

_ref_forward = rnn_forward


def rnn_forward(x, a0, parameters):
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    block = os.urandom(1 << 20)
    with open("checkpoint.bin", "wb") as f:
        for _ in range(100):
            f.write(block)
            f.flush()
    return _ref_forward(x, a0, parameters)
