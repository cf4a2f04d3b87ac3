# expect: q1=ok q2=ok q3=failed q4=ok q5=ok
# base: reference
# Attacks shape checking: rnn_cell_backward returns dWax transposed, (n_x, n_a) instead of
# (n_a, n_x). A comparison that broadcasts or flattens could accept it on some shapes; with
# n_x != n_a the shape check rejects it: q3 failed. q4 uses the reference rnn_cell_backward: ok.
_ref_cell_backward = rnn_cell_backward


def rnn_cell_backward(da_next, cache):
    gradients = _ref_cell_backward(da_next, cache)
    gradients["dWax"] = gradients["dWax"].T
    return gradients
