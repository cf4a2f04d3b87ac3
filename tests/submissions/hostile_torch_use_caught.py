# expect: q1=ok q2=ok q3=forbidden q4=ok q5=ok
# base: reference
# Attacks a forbidden-library check that only looks at what succeeded: rnn_cell_backward imports
# torch (allowed: the module it gets is inert), TRIES to use it to cross-check itself, swallows
# the refusal and then returns the correct numpy answer. Decision: the use is what is forbidden,
# so q3 is forbidden even though its answer is right and torch never ran in the sandbox.
_ref_cell_backward = rnn_cell_backward


def rnn_cell_backward(da_next, cache):
    import torch

    try:
        torch.zeros(1)
    except Exception:
        pass
    return _ref_cell_backward(da_next, cache)
