# expect: q1=ok q2=ok q3=forbidden q4=ok q5=ok
# base: reference
# Attacks a forbidden-import check that only looks at what succeeded: rnn_cell_backward TRIES to
# import torch (to cross-check itself), swallows the refusal (ImportError) and then returns the
# correct numpy answer. Decision: the attempt is what is forbidden, so q3 is forbidden even though
# its answer is right and the import never succeeded in the sandbox.
_ref_cell_backward = rnn_cell_backward


def rnn_cell_backward(da_next, cache):
    try:
        import torch  # noqa: F401
    except ImportError:
        torch = None
    return _ref_cell_backward(da_next, cache)
