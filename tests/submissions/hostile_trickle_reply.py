# expect: q1=ok q2=ok q3=timeout q4=ok q5=ok
# base: reference
# Attacks a timeout that restarts with every read: the first call of rnn_cell_backward replaces the
# worker's own wire.send so that the correct answer reaches the socket one byte every 1.25 s (a
# grader that waits afresh for each byte takes minutes and gives full marks). The call's one
# deadline ends it: q3 timeout; the next questions get a fresh worker. Bounded: after 90 s the
# rest is sent at once.
import json as _json
import struct as _struct
import sys as _sys
import time as _time

_ref_cell_backward = rnn_cell_backward


def _trickle(sock, header, buffers=(), **_):
    header = {**header, "buffers": [len(b) for b in buffers]}
    data = _json.dumps(header).encode()
    raw = b"".join([_struct.pack(">I", len(data)), data, *buffers])
    started = _time.monotonic()
    for i in range(len(raw)):
        if _time.monotonic() - started > 90:
            sock.sendall(raw[i:])
            return
        sock.sendall(raw[i:i + 1])
        _time.sleep(1.25)


def rnn_cell_backward(da_next, cache):
    _sys.modules["autograder.sandbox.wire"].send = _trickle
    return _ref_cell_backward(da_next, cache)
