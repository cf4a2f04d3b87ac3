# expect: *=ok
# base: reference
# Attacks the worker's probing of the module: a module-level __getattr__ (PEP 562) that raises
# SystemExit for every name the module does not define, and a __dir__ that raises SystemExit.
# hasattr()/getattr(mod, name, default) propagate SystemExit. All five names exist, so a worker
# that looks up what it needs (and treats any BaseException from an optional probe as "absent")
# grades a correct submission: all ok.
import sys


def __getattr__(name):
    raise SystemExit(f"module has no attribute {name!r}")


def __dir__():
    sys.exit("no dir() for you")
