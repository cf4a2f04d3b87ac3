# expect: *=ok
# base: reference
# Attacks a grader that runs public and hidden cases in one worker process: rnn_cell_backward keeps
# the first entries of every da_next whose shape is not the public cases' (5, 10) — a hidden q3
# case's — in a module global; rnn_backward, given the public case's da of shape (5, 10, 4) after
# such a case, raises with them and prints them, so that a hidden case's inputs would come back in
# q4's public message and output, which students see. A grader whose public cases never run in a
# process that has seen a hidden case never meets that state: every question is the reference's, ok.
_ref_rnn_cell_backward = rnn_cell_backward
_ref_rnn_backward = rnn_backward
_kept = []


def rnn_cell_backward(da_next, cache):
    if np.shape(da_next) != (5, 10):
        _kept.append([float(v) for v in np.ravel(da_next)[:3]])
    return _ref_rnn_cell_backward(da_next, cache)


def rnn_backward(da, caches):
    if np.shape(da) == (5, 10, 4) and _kept:
        print("LEAK", _kept)
        raise ValueError(f"LEAK {_kept}")
    return _ref_rnn_backward(da, caches)
