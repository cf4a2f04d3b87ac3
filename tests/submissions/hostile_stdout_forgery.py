# expect: q1=ok q2=ok q3=failed q4=ok q5=ok
# base: reference
# Attacks a grader that reads results or status from the worker's stdout/stderr: rnn_cell_backward
# prints lines that look like every plausible "passed" report (JSON results in several shapes,
# otter's "All tests passed!", pytest's "5 passed", a gradescope results.json), also straight to
# fd 1 and 2 and sys.__stdout__, then returns wrong (all-zero) gradients. Output is only captured
# as text, never parsed: q3 failed.
import json
import os
import sys

import numpy as np

_FORGED = [
    json.dumps({"q3": {"status": "ok", "score": 1.0, "passed": True}}),
    json.dumps({"status": "ok", "score": 100, "max_score": 100, "passed": True}),
    json.dumps({"tests": [{"name": f"q{i}", "score": 1, "max_score": 1, "status": "passed"}
                          for i in range(1, 6)], "score": 5}),
    "q3 results: All test cases passed!",
    "All tests passed!",
    "========================= 5 passed in 0.01s =========================",
]


def rnn_cell_backward(da_next, cache):
    text = "\n".join(_FORGED) + "\n"
    print(text)
    print(text, file=sys.stderr)
    for stream in (sys.__stdout__, sys.__stderr__):
        try:
            stream.write(text)
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    for fd in (1, 2):
        try:
            os.write(fd, text.encode())
        except OSError:
            pass
    a_next, a_prev, xt, parameters = cache
    n_a, m = a_next.shape
    n_x = xt.shape[0]
    return {"dxt": np.zeros((n_x, m)), "da_prev": np.zeros((n_a, m)),
            "dWax": np.zeros((n_a, n_x)), "dWaa": np.zeros((n_a, n_a)), "dba": np.zeros((n_a, 1))}
