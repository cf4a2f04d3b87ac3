# expect: q1=ok q2=ok q3=memory q4=ok q5=ok
# base: reference
# config: memory_mb=300 call_timeout=6
# Attacks a memory limit that bounds each process but not the tree: the first call of
# rnn_cell_backward forks 8 children that each touch 180 MB (1.44 GB together, each well under
# RLIMIT_AS) and sleep, waits until they report, then answers correctly. The tree's limit (cgroup,
# or the zygote's monitor) ends it: q3 memory. Over both the default 1 GiB and the 300 MB the test
# sets (this machine touches about 200 MB/s: the lower limit is reached well within the call's
# time). Bounded: 8 children, 1.44 GB; they exit after 60 s, the parent waits at most 30 s.
import os as _os
import select as _select
import time as _time

_ref_cell_backward = rnn_cell_backward


def _hold(w):
    try:
        block = bytearray(180 * 1024 * 1024)
        block[::4096] = b"\x01" * len(range(0, len(block), 4096))  # touch every page
        _os.write(w, b"x")
        _time.sleep(60)
    finally:
        _os._exit(0)


def rnn_cell_backward(da_next, cache):
    r, w = _os.pipe()
    started = 0
    for _ in range(8):
        if _os.fork() == 0:
            _hold(w)
        started += 1
    got, deadline = b"", _time.monotonic() + 30
    while len(got) < started and _time.monotonic() < deadline:
        if _select.select([r], [], [], 1)[0]:
            got += _os.read(r, 16)
    return _ref_cell_backward(da_next, cache)
