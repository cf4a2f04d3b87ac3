# expect: q14=failed
# base: reference
# RTRL in name only: rtrl_gradients runs BPTT (rnn_forward, then rnn_backward) and never calls
# rtrl_cell_forward. Its numbers are right, but q14 grades how they are computed (issue 14: "a
# BPTT in disguise gets no points"): the grader counts the calls to the reference cell.
def rtrl_gradients(x, a0, parameters, da):
    caches = rnn_forward(x, a0, parameters)[2]
    grads = rnn_backward(da, caches)
    return {"dWax": grads["dWax"], "dWaa": grads["dWaa"], "dba": grads["dba"]}
