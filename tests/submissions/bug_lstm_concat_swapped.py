# expect: q9=failed
# base: reference
# concat stacked as [xt; a_prev] instead of Coursera's [a_prev; xt]: every gate multiplies the
# wrong columns of its weights. q10 still passes: it runs with the reference lstm_cell_forward
# when q9 failed (each question graded in isolation).
def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    concat = np.concatenate((xt, a_prev), axis=0)
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
