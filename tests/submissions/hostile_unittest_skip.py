# expect: q1=ok q2=ok q3=ok q4=failed q5=ok
# base: reference
# Attacks a grader built on a test runner: raising unittest.SkipTest inside rnn_backward could
# turn a failing question into a "skipped" (not failed) test, and some runners count skipped as
# not-a-failure. The grader treats it like any exception from the function: q4 failed.
import unittest

_ref_backward = rnn_backward


def rnn_backward(da, caches):
    _ref_backward(da, caches)
    raise unittest.SkipTest("rnn_backward: not applicable on this platform")
