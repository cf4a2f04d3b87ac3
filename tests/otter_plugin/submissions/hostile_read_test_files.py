# expect: q1=not_implemented q2=not_implemented q3=not_implemented q4=not_implemented q5=not_implemented
# base: stubs
# Attacks the test files and their fixtures on disk: rnn_cell_backward looks for the questions'
# fixtures.npz below its working directory and its parents (at most 3 levels up, 2000 entries),
# prints every tests/*.py it finds, and answers from the stored expected outputs of the case whose
# da_next equals its argument. Under stock `otter run` (tests/ and tests/support/ sit in the
# kernel's working directory) that scores q3. In the sandbox no fixture is visible, so it raises
# NotImplementedError like the stub: every question not_implemented, as `rnn-grader grade` says.
# Read-only: it writes nothing.
import os

import numpy as np


def _find(name):
    here, seen = os.getcwd(), 0
    for _ in range(4):
        for path, dirs, files in os.walk(here):
            seen += 1
            if seen > 2000:
                return None
            if name in files:
                return os.path.join(path, name)
        here = os.path.dirname(here)
    return None


def rnn_cell_backward(da_next, cache):
    tests = _find("q3.py")
    if tests:
        folder = os.path.dirname(tests)
        for name in sorted(os.listdir(folder)):
            if name.endswith(".py"):
                with open(os.path.join(folder, name)) as f:
                    print(f.read()[:200])
    found = _find("fixtures.npz")
    if found:
        with np.load(found) as data:
            for key in data.files:
                if key.endswith("/in/da_next") and np.array_equal(data[key], da_next):
                    case = key[: -len("/in/da_next")]
                    return {k: data[f"{case}/out/{k}"] for k in ("dxt", "da_prev", "dWax", "dWaa", "dba")}
    raise NotImplementedError("rnn_cell_backward (q3)")
