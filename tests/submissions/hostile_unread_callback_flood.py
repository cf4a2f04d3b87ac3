# expect: q1=failed q2=timeout q3=ok q4=ok q5=ok
# base: reference
# Its own rnn_cell_forward is off by one (q1 failed), so that q2 runs with the reference cell
# as a callback. Attacks a grader that writes without a deadline: rnn_forward writes 3000 callback requests for
# the reference rnn_cell_forward straight to the worker's socket (valid arguments, the current
# request's id) and never reads the answers, so the grader's writes fill the socket and block.
# The call's deadline covers writes too: q2 timeout. Bounded: its own socket operations give up
# after 60 s, then it answers correctly.
import time as _time

_ref_rnn_forward = rnn_forward
_ref_cell_forward = rnn_cell_forward


def rnn_cell_forward(xt, a_prev, parameters):
    a_next, yt_pred, cache = _ref_cell_forward(xt, a_prev, parameters)
    return a_next + 1.0, yt_pred, cache


def rnn_forward(x, a0, parameters):
    callback = rnn_cell_forward  # during q2, the worker's stand-in for the reference cell
    worker = next(c.cell_contents for c in callback.__closure__ if hasattr(c.cell_contents, "sock"))
    wire = __import__("autograder.sandbox.wire", fromlist=["send"])
    worker.sock.settimeout(60)
    started = _time.monotonic()
    try:
        for _ in range(3000):
            buffers = []
            args = wire.encode([x[:, :, 0], a0, parameters], buffers)
            wire.send(worker.sock, {"op": "callback", "id": worker.request_id, "name": "rnn_cell_forward",
                                    "args": args}, buffers)
    except OSError:
        pass
    _time.sleep(max(0.0, 60 - (_time.monotonic() - started)))
    return _ref_rnn_forward(x, a0, parameters)  # with the callback as its cell
