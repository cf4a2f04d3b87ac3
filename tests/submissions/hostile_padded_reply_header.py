# expect: q1=crashed q2=ok q3=ok q4=ok q5=ok
# base: reference
# Attacks the grader's memory through the size of a reply: rnn_cell_forward writes to the worker's
# socket a reply whose JSON header is padded with 60 MB of `{}` (json.loads would build 20 million
# dicts, 1.5 GB, in the grader), then sleeps. The header is over the cap that follows from the
# case's answer: the worker is ended, q1 crashed. Bounded: 60 MB; it sleeps at most 30 s.
import gc as _gc
import struct as _struct
import time as _time

_ref_cell_forward = rnn_cell_forward


def rnn_cell_forward(xt, a_prev, parameters):
    worker = next(o for o in _gc.get_objects() if type(o).__name__ == "Worker" and hasattr(o, "sock"))
    header = b'{"op": "return", "id": %d, "buffers": [], "value": null, "pad": [' % worker.request_id
    header += b"{}," * 20_000_000 + b"{}]}"
    worker.sock.settimeout(30)
    try:
        worker.sock.sendall(_struct.pack(">I", len(header)) + header)
    except OSError:
        pass
    _time.sleep(30)
    return _ref_cell_forward(xt, a_prev, parameters)
