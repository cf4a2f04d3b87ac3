# expect: q1=ok q2=ok q3=ok q4=ok q5=crashed
# base: reference
# Attacks timeout/crash classification: RNNCell.__call__ sends SIGKILL to its own process. The
# worker dies by SIGKILL quickly, not because the grader killed it: q5 is crashed, not timeout
# (the grader must tell its own kill at the deadline from a death before it). Kills only itself.
import os
import signal

_RefRNNCell = RNNCell


class RNNCell(_RefRNNCell):
    def __call__(self, x, prev_hidden):
        os.kill(os.getpid(), signal.SIGKILL)
        return super().__call__(x, prev_hidden)
