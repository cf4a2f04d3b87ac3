# expect: q1=ok q2=ok q3=ok q4=timeout q5=ok
# base: reference
# Attacks the per-call timeout: rnn_backward spins the CPU (bounded to 120 s), then would return
# the right answer. The call exceeds the wall-clock timeout: q4 timeout; a fresh worker serves q5.
import time

_ref_backward = rnn_backward


def rnn_backward(da, caches):
    t0 = time.time()
    while time.time() < t0 + 120:
        pass
    return _ref_backward(da, caches)
