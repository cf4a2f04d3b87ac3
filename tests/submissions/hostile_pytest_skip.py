# expect: q1=ok q2=ok q3=failed q4=ok q5=ok
# base: reference
# Attacks a grader that runs inside pytest (e.g. the test suite, or otter under pytest):
# pytest.skip() raises _pytest.outcomes.Skipped, a BaseException subclass; if it propagated
# out of the worker into pytest it would skip the grading test instead of failing q3. Where pytest
# is not importable, an own BaseException subclass named Skipped is raised instead. Either way
# q3 is failed and the worker survives.
_ref_cell_backward = rnn_cell_backward


class Skipped(BaseException):
    """Stand-in for _pytest.outcomes.Skipped when pytest is missing."""


def rnn_cell_backward(da_next, cache):
    _ref_cell_backward(da_next, cache)
    try:
        import pytest
    except ImportError:
        pytest = None
    if pytest is not None:
        pytest.skip("rnn_cell_backward: skip me")
    raise Skipped("rnn_cell_backward: skip me")
