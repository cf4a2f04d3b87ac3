# expect: q1=ok q2=ok q3=not_implemented q4=not_implemented q5=not_implemented
# base: reference
# Attacks the "keep what was defined" rule at import: the backward functions and RNNCell are
# deleted, then KeyboardInterrupt is raised at import; the code after it (which would define
# wrong versions) never runs. The worker catches the BaseException and keeps the namespace as it
# is: q1 and q2 are defined and correct (ok), the others are missing (not_implemented). A grader
# that treats the interrupt as the TA's Ctrl-C would abort the batch instead.
del rnn_cell_backward, rnn_backward, RNNCell

raise KeyboardInterrupt


def rnn_cell_backward(da_next, cache):
    return {}


def rnn_backward(da, caches):
    return {}
