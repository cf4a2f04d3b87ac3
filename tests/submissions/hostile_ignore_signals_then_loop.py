# expect: q1=ok q2=ok q3=timeout q4=ok q5=ok
# base: reference
# Attacks soft timeouts: ignores (and blocks) SIGTERM, SIGALRM, SIGINT, SIGHUP, SIGQUIT, SIGXCPU,
# SIGUSR1/2, cancels any alarm/interval timer, faulthandler timer, trace and profile hooks, then
# spins (bounded, 120 s) inside rnn_cell_backward. A grader that relies on signal.alarm, SIGTERM
# or an in-process timer never regains control; only SIGKILL from outside works: q3 timeout.
import faulthandler
import signal
import sys
import time

_ref_cell_backward = rnn_cell_backward
_NAMES = ("SIGTERM", "SIGALRM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGXCPU", "SIGUSR1", "SIGUSR2",
          "SIGVTALRM", "SIGPROF")


def _deafen():
    sigs = [getattr(signal, n) for n in _NAMES if hasattr(signal, n)]
    for sig in sigs:
        try:
            signal.signal(sig, signal.SIG_IGN)
        except (ValueError, OSError, RuntimeError):
            pass  # signal.signal only works in the main thread
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    except (ValueError, OSError, AttributeError):
        pass
    for timer in ("ITIMER_REAL", "ITIMER_VIRTUAL", "ITIMER_PROF"):
        try:
            signal.setitimer(getattr(signal, timer), 0)
        except (ValueError, OSError, AttributeError):
            pass
    try:
        signal.alarm(0)
    except (ValueError, OSError):
        pass
    try:
        faulthandler.cancel_dump_traceback_later()
    except Exception:
        pass
    sys.settrace(None)
    sys.setprofile(None)


_deafen()


def rnn_cell_backward(da_next, cache):
    _deafen()
    t0 = time.time()
    while time.time() < t0 + 120:
        pass
    return _ref_cell_backward(da_next, cache)
