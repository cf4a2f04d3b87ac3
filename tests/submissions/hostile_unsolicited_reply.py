# expect: q1=crashed q2=ok q3=ok q4=ok q5=ok
# base: reference
# Attacks the pairing of requests and answers: rnn_cell_forward writes a well-formed "return" for
# the next request (a later id, a made-up answer) before the worker sends its real reply, hoping
# the grader takes it as the answer to its next question. A message that answers no request ends
# the worker: q1 crashed; the next questions get a fresh worker. Bounded: one small message.
import gc as _gc

_ref_cell_forward = rnn_cell_forward


def rnn_cell_forward(xt, a_prev, parameters):
    worker = next(o for o in _gc.get_objects() if type(o).__name__ == "Worker" and hasattr(o, "sock"))
    wire = __import__("autograder.sandbox.wire", fromlist=["send"])
    wire.send(worker.sock, {"op": "return", "id": worker.request_id + 1, "value": [["ok", {}]]})
    return _ref_cell_forward(xt, a_prev, parameters)
