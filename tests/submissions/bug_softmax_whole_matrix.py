# expect: q1=failed q2=ok q3=ok q4=ok q5=ok q9=failed
# base: reference
# The source document's own softmax: it normalises over the whole (n_y, m) matrix instead of per
# column. rnn_cell_forward (q1) and lstm_cell_forward (q9) use it; rnn_forward (q2) and lstm_forward (q10)
# are graded with the reference cell.
def softmax(a):
    exp_a = np.exp(a)
    return exp_a / np.sum(exp_a)
