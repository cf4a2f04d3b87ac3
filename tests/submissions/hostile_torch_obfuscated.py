# expect: q1=ok q2=ok q3=ok q4=forbidden q5=ok
# base: reference
# Attacks a forbidden-import check that greps the source: rnn_backward imports torch through
# importlib.import_module("tor" + "ch") (no "import torch" text anywhere), then uses it for a
# trivial step before returning the reference answer. Detection has to happen at run time (import
# hook / audit hook): q4 forbidden.
import importlib

_ref_backward = rnn_backward


def rnn_backward(da, caches):
    backend = importlib.import_module("tor" + "ch")
    backend.set_grad_enabled(True)
    return _ref_backward(da, caches)
