# base: reference
# Attacks results.json: at import, in rnn_backward and from a forked child that outlives grading
# by a few seconds, creates or appends "FORGED" to results.json in every directory named
# `results` it finds (its cwd's ancestors, /autograder, @ROOT@, and up to 4 levels below /tmp).
# Bounded and harmless: at most 2000 directories per sweep, only files named results.json.
import os
import time

_ref_backward = rnn_backward
_STARTS = ("/autograder", "@ROOT@", "/tmp")


def _results_dirs():
    found, seen = [], 0
    here = os.getcwd()
    for _ in range(4):
        found.append(os.path.join(here, "results"))
        here = os.path.dirname(here)
    for start in _STARTS:
        for path, dirs, _files in os.walk(start):
            seen += 1
            if seen > 2000 or path.count(os.sep) - start.count(os.sep) >= 4:
                dirs[:] = []
            if os.path.basename(path) == "results":
                found.append(path)
    return found


def _forge():
    forged = []
    for d in _results_dirs():
        try:
            with open(os.path.join(d, "results.json"), "a") as f:
                f.write('FORGED {"score": 1000}\n')
            forged.append(d)
        except OSError:
            pass
    print("forged:", forged)


_forge()
if os.fork() == 0:  # one child that tries again once grading should be over
    try:
        time.sleep(6)
        _forge()
    finally:
        os._exit(0)


def rnn_backward(da, caches):
    _forge()
    return _ref_backward(da, caches)
