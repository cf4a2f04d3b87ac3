# expect: *=timeout
# base: reference
# Attacks the import timeout: a CPU-bound loop at import (bounded to 120 s so that a grader which
# fails to contain it still finishes). No function is ever callable, every question is timeout.
# Note for the grader: RLIMIT_CPU must be above the import/call wall-clock timeout (or a death by
# SIGXCPU reported as timeout), otherwise this shows up as crashed.
import time

_t0 = time.time()
while time.time() < _t0 + 120:
    pass
