# expect: q1=ok q2=ok q3=ok q4=crashed q5=ok
# base: reference
# Attacks the worker mid-question: os._exit(0) inside rnn_backward kills the worker with exit
# status 0 and no exception. q4 is crashed; a fresh worker serves q5, which is ok.
import os

_ref_backward = rnn_backward


def rnn_backward(da, caches):
    _ref_backward(da, caches)
    os._exit(0)
