# expect: *=ok
# base: reference
# sandbox-only: leaves up to 40 sleeping processes for 120 s if the grader does not kill them
# Attacks process cleanup: the first call of rnn_cell_backward in a worker forks up to 40 children
# (stopping early when fork fails, e.g. at RLIMIT_NPROC) that only sleep 120 s, then returns the
# correct answer. The children do not stop the correct return, so q3 is ok; but they hold copies
# of the worker's pipes, so a grader that waits for EOF hangs, and they must be SIGKILLed when the
# worker ends (the test module checks that none survive). No fork bomb: children never fork, and
# every child path ends in os._exit.
import os
import time

_ref_cell_backward = rnn_cell_backward
_spawned = False


def _spawn_sleepers(n=40, seconds=120):
    for _ in range(n):
        try:
            pid = os.fork()
        except OSError:
            return  # RLIMIT_NPROC or similar: stop trying
        if pid == 0:
            try:
                time.sleep(seconds)
            except BaseException:
                pass
            finally:
                os._exit(0)


def rnn_cell_backward(da_next, cache):
    global _spawned
    if not _spawned:
        _spawned = True
        _spawn_sleepers()
    return _ref_cell_backward(da_next, cache)
