# expect: q1=ok q2=ok q3=failed q4=ok q5=ok
# base: reference
# The most frequent q3 mistake: tanh'(z) written as (1 - a_next) instead of (1 - a_next**2).
# Costs q3 only (q4 is graded with the reference rnn_cell_backward).
def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    dz = da_next * (1 - a_next)
    return {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T,
            "dWaa": dz @ a_prev.T, "dba": dz.sum(axis=1, keepdims=True)}
