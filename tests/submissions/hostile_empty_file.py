# expect: q1=not_implemented q2=not_implemented q3=not_implemented q4=not_implemented q5=not_implemented
# base: none
# An empty submission (nothing but these comments, as when a student uploads the wrong file):
# it imports fine and defines nothing, so every question is not_implemented ("rnn_cell_forward
# is not defined"), not crashed or failed.
