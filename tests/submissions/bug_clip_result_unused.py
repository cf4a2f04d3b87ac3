# expect: q6=failed
# base: reference
# np.clip called without out= and its result dropped: the gradients come back unclipped.
def clip(gradients, maxValue):
    for name in ("dWaa", "dWax", "dWya", "db", "dby"):
        np.clip(gradients[name], -maxValue, maxValue)
    return gradients
