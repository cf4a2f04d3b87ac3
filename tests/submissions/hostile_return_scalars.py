# expect: q1=ok q2=ok q3=ok q4=failed q5=ok
# base: reference
# Attacks broadcasting comparisons: rnn_backward returns the float 0.0 for every gradient. A
# comparison that broadcasts (np.allclose(0.0, expected) with a loose atol, or a grader that
# converts with np.asarray) could accept it; the contract's type and shape checks reject it:
# q4 failed.
def rnn_backward(da, caches):
    return {"dx": 0.0, "da0": 0.0, "dWax": 0.0, "dWaa": 0.0, "dba": 0.0}
