# expect: q1=ok q2=memory q3=ok q4=ok q5=ok
# base: reference
# Attacks limits set as soft limits only: rnn_forward first tries to raise every resource limit
# (RLIMIT_AS, DATA, RSS, CPU, FSIZE, NPROC, NOFILE) to unlimited, or at least up to its hard
# limit, then allocates ~2.6 GB and returns the correct answer. If the grader set the hard limit
# too (as it must), the raise fails or is capped, the allocation raises MemoryError: q2 memory.
# If it only set the soft limit, this passes with ok, which is the bug this fixture catches.
import resource

import numpy as np

_ref_forward = rnn_forward
_LIMITS = ("RLIMIT_AS", "RLIMIT_DATA", "RLIMIT_RSS", "RLIMIT_CPU", "RLIMIT_FSIZE",
           "RLIMIT_NPROC", "RLIMIT_NOFILE")


def _lift_limits():
    for name in _LIMITS:
        res = getattr(resource, name, None)
        if res is None:
            continue
        try:
            _soft, hard = resource.getrlimit(res)
        except (ValueError, OSError):
            continue
        for new in ((resource.RLIM_INFINITY, resource.RLIM_INFINITY), (hard, hard)):
            try:
                resource.setrlimit(res, new)
                break
            except (ValueError, OSError):
                pass


def rnn_forward(x, a0, parameters):
    _lift_limits()
    scratch = np.ones(330_000_000)
    scratch = None
    return _ref_forward(x, a0, parameters)
