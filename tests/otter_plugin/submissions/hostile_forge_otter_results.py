# expect: q1=not_implemented q2=not_implemented q3=not_implemented q4=not_implemented q5=not_implemented
# base: stubs
# Attacks otter's results where otter's kernel produces them: at import it wraps pickle.dump so
# that the GradingResults otter's export cell pickles for the grading process has every test case
# passed. Under stock `otter run` the untouched stubs get 100/100. The plugin never runs the
# submission in otter's kernel and discards what the kernel reported: every question is the stubs'
# not_implemented, 0 points, as `rnn-grader grade` says.
import pickle as _pickle

_real_dump = _pickle.dump


def _dump(obj, *args, **kwargs):
    for test_file in getattr(obj, "results", {}).values():
        for result in getattr(test_file, "test_case_results", []):
            result.passed = True
    return _real_dump(obj, *args, **kwargs)


_pickle.dump = _dump
