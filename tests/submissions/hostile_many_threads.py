# expect: *=ok
# base: reference
# sandbox-only: a worker that is not killed lingers 120 s (non-daemon threads block its exit)
# Attacks worker shutdown: the first call of rnn_forward starts up to 40 NON-daemon threads that
# sleep 120 s (stopping early if thread creation fails, e.g. at RLIMIT_NPROC), then returns the
# correct answer. q2 is ok; the threads keep the interpreter from exiting normally, so the
# grader must SIGKILL the worker rather than wait for it.
import threading
import time

_ref_forward = rnn_forward
_started = False


def rnn_forward(x, a0, parameters):
    global _started
    if not _started:
        _started = True
        for i in range(40):
            t = threading.Thread(target=time.sleep, args=(120,), name=f"sleeper-{i}", daemon=False)
            try:
                t.start()
            except RuntimeError:
                break  # can't start new thread
    return _ref_forward(x, a0, parameters)
