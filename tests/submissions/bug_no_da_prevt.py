# expect: q1=ok q2=ok q3=ok q4=failed q5=ok
# base: reference
# BPTT without carrying the gradient back through time: each step sees only da[:, :, t], so dx is
# right at the last step and wrong at every earlier one (DESIGN.md: dx[1][2][3] = 0.01483317 still).
def rnn_backward(da, caches):
    steps, x = caches
    grads = [rnn_cell_backward(da[:, :, t], steps[t]) for t in range(da.shape[2])]
    total = {k: sum(g[k] for g in grads) for k in ("dWax", "dWaa", "dba")}
    return {"dx": np.stack([g["dxt"] for g in grads], axis=2), "da0": grads[0]["da_prev"], **total}
