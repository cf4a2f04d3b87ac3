# expect: q1=ok q2=ok q3=crashed q4=ok q5=ok
# base: reference
# Attacks the grader's parser: rnn_cell_backward writes to the worker's socket a small reply whose
# JSON is 100 000 nested `[` (json.loads raises RecursionError, which once turned the whole row into
# "grader error", losing the points of the other questions). The grader refuses it before parsing:
# q3 crashed, every other question keeps its points. Bounded: 100 KB; it sleeps at most 30 s.
import gc as _gc
import struct as _struct
import time as _time

_ref_cell_backward = rnn_cell_backward


def rnn_cell_backward(da_next, cache):
    worker = next(o for o in _gc.get_objects() if type(o).__name__ == "Worker" and hasattr(o, "sock"))
    header = b"[" * 100_000
    worker.sock.sendall(_struct.pack(">I", len(header)) + header)
    _time.sleep(30)
    return _ref_cell_backward(da_next, cache)
