# expect: *=ok
# base: reference
# Attacks output capture: the first call of rnn_cell_forward in a worker writes ~40 MB of output
# in 1 MB chunks (20 MB to stdout via print, 20 MB to stderr), plus raw bytes that are not valid
# UTF-8, NUL bytes and terminal escape sequences written straight to fds 1 and 2, then returns
# the correct answer. Output is captured up to a cap and decoded with replacement, never buffered
# in full, never parsed as protocol, never written to a file under RLIMIT_FSIZE: q1 ok (all ok).
import os
import sys

_ref_cell_forward = rnn_cell_forward
_flooded = False


def _flood():
    chunk = ("debug " * 174 + "\n") * 1000  # ~1 MB
    for _ in range(20):
        print(chunk, end="")
        print(chunk, end="", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    junk = b"\xff\xfe\x00\x1b[2J\x1b]0;pwned\x07\xc3\x28 {\"status\": \"ok\"}\n"
    for fd in (1, 2):
        try:
            os.write(fd, junk * 1000)
        except OSError:
            pass


def rnn_cell_forward(xt, a_prev, parameters):
    global _flooded
    if not _flooded:
        _flooded = True
        _flood()
    return _ref_cell_forward(xt, a_prev, parameters)
