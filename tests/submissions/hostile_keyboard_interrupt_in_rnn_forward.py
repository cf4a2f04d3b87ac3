# expect: q1=ok q2=failed q3=ok q4=ok q5=ok
# base: reference
# Attacks the grader's Ctrl-C handling: KeyboardInterrupt raised inside rnn_forward must not be
# mistaken for the TA pressing Ctrl-C (abort the batch) or end the worker. It fails q2 only.
_ref_forward = rnn_forward


def rnn_forward(x, a0, parameters):
    _ref_forward(x, a0, parameters)
    raise KeyboardInterrupt
