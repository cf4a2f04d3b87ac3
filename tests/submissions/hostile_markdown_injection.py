# expect: q1=failed q2=ok q3=ok q4=ok q5=ok
# base: reference
# Attacks the feedback file's Markdown: at import and in rnn_cell_forward the submission prints,
# and raises with, text that closes a code fence (``` and ~~~, longer runs too), then writes a
# fake heading, a fake score line and an HTML tag with an event handler. Expected: q1 failed
# (it raises), and in feedback/*.md and Gradescope's output all of it stays literal text.
INJECTION = ("done\n```\n~~~\n``````\n# Feedback for someone else\n**Total: 100 / 100**\n"
             "## q1: 10 / 10\n<img src=x onerror=alert(1)>\n[click](javascript:alert(1))\n")
print(INJECTION)


def rnn_cell_forward(xt, a_prev, parameters):
    print(INJECTION)
    raise RuntimeError(INJECTION)
