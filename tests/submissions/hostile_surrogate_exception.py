# expect: q1=ok q2=ok q3=failed q4=ok q5=ok
# base: reference
# Attacks the result record with text that is not valid UTF-8: rnn_cell_backward writes raw
# non-UTF-8 bytes and terminal escapes to stdout and raises an exception whose message holds a
# lone surrogate ("\udcff"), a NUL and a carriage return. Once, that stopped the whole batch
# (UnicodeEncodeError from the result log). Expected: q3 failed with a readable message, every
# record valid UTF-8 JSON, the batch complete.
import sys


def rnn_cell_backward(da_next, cache):
    sys.stdout.flush()
    sys.stdout.buffer.write(b"raw \xff\xfe bytes \x1b[2J\x1b[31mred\r\n")
    sys.stdout.buffer.flush()
    raise ValueError("lone surrogate \udcff, NUL \x00, return \r overwrite, bidi \u202e txet")
