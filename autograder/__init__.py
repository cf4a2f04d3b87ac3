"""rnn-grader: an RNN/BPTT assignment in numpy and its sandboxed autograder."""
