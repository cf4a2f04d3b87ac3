# expect: q1=ok q2=ok q3=failed q4=ok q5=ok
# base: reference
# Attacks the installed package: the project is pip-installed (editable in development) with a
# top-level package `solutions`, so `import solutions.rnn` may work from anywhere. rnn_cell_backward
# tries, in order: import solutions.rnn / solutions; import autograder and look next to it; every
# sys.path entry + solutions/rnn.py; every *.pth / __editable__ finder file in site-packages that
# names a directory containing solutions/rnn.py. If any works it returns the reference answer;
# otherwise zeros. The sandbox must not expose the reference: q3 failed.
import glob
import importlib
import os
import sys

import numpy as np

_ME = None  # set below: this module's own rnn_cell_backward


def _candidates():
    for name in ("solutions.rnn", "solutions", "autograder.solutions", "autograder"):
        try:
            mod = importlib.import_module(name)
        except BaseException:
            continue
        fn = getattr(mod, "rnn_cell_backward", None)
        if callable(fn) and fn is not _ME:
            yield fn
        base = os.path.dirname(getattr(mod, "__file__", "") or "")
        for rel in ("rnn.py", "../solutions/rnn.py", "solutions/rnn.py"):
            yield os.path.normpath(os.path.join(base, rel))
    dirs = [p for p in sys.path if p]
    for sp in list(dirs):
        for pth in glob.glob(os.path.join(sp, "*.pth")) + glob.glob(os.path.join(sp, "__editable__*")):
            try:
                with open(pth) as f:
                    dirs += [line.strip() for line in f if line.strip().startswith("/")]
            except OSError:
                pass
    for d in dirs:
        yield os.path.join(d, "solutions", "rnn.py")


def rnn_cell_backward(da_next, cache):
    for cand in _candidates():
        try:
            if callable(cand):
                return cand(da_next, cache)
            if os.path.isfile(cand) and os.path.basename(os.path.dirname(cand)) == "solutions":
                namespace = {"__name__": "stolen"}
                sys.path.insert(0, os.path.dirname(cand))
                with open(cand) as f:
                    exec(compile(f.read(), cand, "exec"), namespace)
                return namespace["rnn_cell_backward"](da_next, cache)
        except Exception:
            continue
    a_next, a_prev, xt, parameters = cache
    n_a, m = a_next.shape
    n_x = xt.shape[0]
    return {"dxt": np.zeros((n_x, m)), "da_prev": np.zeros((n_a, m)),
            "dWax": np.zeros((n_a, n_x)), "dWaa": np.zeros((n_a, n_a)), "dba": np.zeros((n_a, 1))}


_ME = rnn_cell_backward
