# expect: *=not_implemented
# base: none
# An empty submission (nothing but these comments, as when a student uploads the wrong file):
# it imports fine and defines nothing, so every question is not_implemented ("rnn_cell_forward
# is not defined"), not crashed or failed.
