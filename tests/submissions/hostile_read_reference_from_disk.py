# expect: q1=ok q2=ok q3=ok q4=failed q5=ok
# base: reference
# Attacks file isolation: rnn_backward does not implement BPTT. It searches the filesystem
# (bounded: at most 20,000 directory entries, from /, /work, /autograder, the parents of its cwd,
# sys.path / site-packages, and the cwd of its parent process) for solutions/rnn.py,
# fixtures.npz and q1.py. If it finds solutions/rnn.py it execs it and returns the reference
# rnn_backward's answer; it also reads any fixtures.npz / q1.py it finds (and prints what it saw).
# Otherwise it returns zeros, a wrong answer. The sandbox hides the autograder, solutions and tests
# directories, so nothing is found: q4 failed. Read-only: it writes nothing.
import os
import sys

import numpy as np

_MAX_ENTRIES = 20_000
_SKIP = {"/proc", "/sys", "/dev", "/run", "/snap"}


def _roots():
    roots = ["/autograder", "/work"]
    try:
        p = os.getcwd()
        for _ in range(6):
            p = os.path.dirname(p)
            roots.append(p)
    except OSError:
        pass
    roots += [p for p in sys.path if p]
    try:
        roots.append(os.readlink(f"/proc/{os.getppid()}/cwd"))
    except OSError:
        pass
    roots.append("/")
    return roots


def _search():
    found = {"rnn.py": [], "fixtures.npz": [], "q1.py": []}
    budget = _MAX_ENTRIES
    seen = set()
    for root in _roots():
        stack = [root]
        while stack and budget > 0:
            d = stack.pop()
            if d in seen or d in _SKIP:
                continue
            seen.add(d)
            try:
                entries = list(os.scandir(d))
            except OSError:
                continue
            for e in entries:
                budget -= 1
                if budget <= 0:
                    break
                try:
                    if e.is_dir(follow_symlinks=False):
                        stack.append(e.path)
                    elif e.name == "rnn.py" and os.path.basename(d) == "solutions":
                        found["rnn.py"].append(e.path)
                    elif e.name in ("fixtures.npz", "q1.py"):
                        found[e.name].append(e.path)
                except OSError:
                    pass
    return found


def rnn_backward(da, caches):
    found = _search()
    for path in found["fixtures.npz"] + found["q1.py"]:
        try:
            with open(path, "rb") as f:
                print(f"read {len(f.read())} bytes of {path}")
        except OSError:
            pass
    for path in found["rnn.py"]:
        try:
            with open(path) as f:
                source = f.read()
            namespace = {"__name__": "stolen_reference"}
            sys.path.insert(0, os.path.dirname(path))
            exec(compile(source, path, "exec"), namespace)
            return namespace["rnn_backward"](da, caches)
        except Exception as exc:
            print(f"could not use {path}: {exc!r}")
    step_caches, x = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    return {"dx": np.zeros((n_x, m, T_x)), "da0": np.zeros((n_a, m)),
            "dWax": np.zeros((n_a, n_x)), "dWaa": np.zeros((n_a, n_a)), "dba": np.zeros((n_a, 1))}
