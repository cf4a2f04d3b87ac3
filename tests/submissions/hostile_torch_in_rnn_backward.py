# expect: q1=ok q2=ok q3=ok q4=forbidden q5=ok
# base: reference
# Attacks the "numpy only" rule from inside a function: rnn_backward imports torch only when it
# is called and gets the gradients from autograd (re-running the forward pass in torch from the
# caches). Its answer would be correct; the import is refused in the sandbox and reported:
# q4 forbidden; the other questions never touch torch: ok.
import numpy as np


def rnn_backward(da, caches):
    import torch

    step_caches, x = caches
    a0 = step_caches[0][1]
    p = step_caches[0][3]
    t = lambda v, g=False: torch.tensor(np.asarray(v, dtype=np.float64), requires_grad=g)  # noqa: E731
    X, A0 = t(x, True), t(a0, True)
    Wax, Waa, ba = t(p["Wax"], True), t(p["Waa"], True), t(p["ba"], True)
    a = A0
    loss = torch.zeros((), dtype=torch.float64)
    for step in range(x.shape[2]):
        a = torch.tanh(Wax @ X[:, :, step] + Waa @ a + ba)
        loss = loss + (a * t(da[:, :, step])).sum()
    loss.backward()
    g = lambda v: v.grad.detach().numpy().copy()  # noqa: E731
    return {"dx": g(X), "da0": g(A0), "dWax": g(Wax), "dWaa": g(Waa), "dba": g(ba)}
