# expect: q1=not_implemented q2=not_implemented q3=not_implemented q4=not_implemented q5=not_implemented
# base: stubs
# Attacks the tests' checker in the submission's process: at import it wraps
# importlib.util.spec_from_file_location so that the questions' rnn_checks module, when a test file
# loads it, gets a run_case that accepts anything, and makes otter's test_case.call_func a no-op.
# Under stock `otter run` the untouched stubs then pass every case (100/100). The plugin grades in
# the sandbox, where the comparison happens in the grader's process: every question is the stubs'
# not_implemented, 0 points, as `rnn-grader grade` says.
import importlib.util as _util
import sys

_real_spec = _util.spec_from_file_location


def _spec(name, location=None, *args, **kwargs):
    spec = _real_spec(name, location, *args, **kwargs)
    if spec is not None and str(name).startswith("rnn_checks@"):
        real_exec = spec.loader.exec_module

        def exec_module(module):
            real_exec(module)
            module.run_case = lambda *a, **k: None

        spec.loader.exec_module = exec_module
    return spec


_util.spec_from_file_location = _spec
_otter_tests = sys.modules.get("otter.test_files.exception_test")  # loaded where otter runs us
if _otter_tests is not None:
    _otter_tests.test_case.call_func = lambda self, env: None
