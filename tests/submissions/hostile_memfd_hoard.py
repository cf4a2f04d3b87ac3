# expect: q1=memory q2=ok q3=ok q4=ok q5=ok
# base: reference
# config: memory_mb=300 call_timeout=6
# Attacks a memory limit that does not count shared memory: rnn_cell_forward fills 160 memfd files
# of 8 MB each (1.28 GB, never mapped, so RLIMIT_AS does not see it; each within RLIMIT_FSIZE),
# holds them 2 s, then answers correctly. The tree's limit counts memfd pages: q1 memory
# (over the default 1 GiB and the test's 300 MB alike).
# Bounded: 1.28 GB, released when the process ends.
import os as _os
import time as _time

_ref_cell_forward = rnn_cell_forward


def rnn_cell_forward(xt, a_prev, parameters):
    held = []
    for i in range(160):
        fd = _os.memfd_create(f"hoard{i}")
        held.append(fd)
        try:
            _os.posix_fallocate(fd, 0, 8 * 1024 * 1024)
        except OSError:
            break
    _time.sleep(2)
    return _ref_cell_forward(xt, a_prev, parameters)
