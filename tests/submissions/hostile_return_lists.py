# expect: q1=ok q2=ok q3=failed q4=ok q5=ok
# base: reference
# Attacks type checking: rnn_cell_backward returns the correct values as nested Python lists
# (ndarray.tolist()). The contract requires np.ndarray and the grader treats anything that is not
# a real numeric ndarray as a wrong answer: q3 failed (with a message saying so).
_ref_cell_backward = rnn_cell_backward


def rnn_cell_backward(da_next, cache):
    gradients = _ref_cell_backward(da_next, cache)
    return {name: value.tolist() for name, value in gradients.items()}
