# expect: q11=failed
# base: reference
# dc_prev = dc_next ⊙ ft only: the path through a_next = ot ⊙ tanh(c_next), the
# ot ⊙ (1 − tanh²(c_next)) ⊙ da_next term, is missing from dc_prev (the gate gradients keep it).
# q12 still passes: it runs with the reference lstm_cell_backward when q11 failed.
_ref_lstm_cell_backward = lstm_cell_backward


def lstm_cell_backward(da_next, dc_next, cache):
    gradients = _ref_lstm_cell_backward(da_next, dc_next, cache)
    ft = cache[4]
    gradients["dc_prev"] = dc_next * ft
    return gradients
