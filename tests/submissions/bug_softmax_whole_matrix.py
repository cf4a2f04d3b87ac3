# expect: q1=failed q2=ok q3=ok q4=ok q5=ok
# base: reference
# The source document's own softmax: it normalises over the whole (n_y, m) matrix instead of per
# column. rnn_cell_forward (q1) uses it; rnn_forward (q2) is graded with the reference cell.
def softmax(a):
    exp_a = np.exp(a)
    return exp_a / np.sum(exp_a)
